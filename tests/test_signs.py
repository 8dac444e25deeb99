"""A warning sign is said once, with its own urgency (hamrehab/catalogue/signs.py, the protocols' `watch_for`)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hamrehab.catalogue.files import Collector, Entry
from hamrehab.catalogue.signs import check_warning_signs, sign_named, sign_patterns
from hamrehab.cli import main
from hamrehab.model import PlanRequest, Protocol
from hamrehab.planner import build
from hamrehab.render.pdf import render_pdf
from hamrehab.yamlsource import read_yaml

from .conftest import shipped_catalogue, write
from .pdftext import pdf_text

ROOT = Path(__file__).resolve().parents[1]
NAMED = [("Get same-day help for numbness in the saddle area.", "saddle-numbness"),
         ("A change in BLADDER control needs help.", "bladder-or-bowel-change"),
         ("A swollen calf can be a blood clot.", "calf-or-thigh-swelling"),
         ("If you felt a pop, see a doctor.", "pop-or-snap"),
         ("You cannot hop on the sore leg without pain.", "hop-painful")]
PLAIN = ["Pain in one spot you can put a finger on is not ordinary soreness.", "A popular route is flat.",
         "An independent check of the diagnosis.", "Shop for a foam roller.", "Very dark urine after an extreme session."]


@pytest.mark.parametrize("text,flag", NAMED)
def test_a_caution_naming_a_sign_is_found(text, flag):
    found = sign_named(text, sign_patterns(shipped_catalogue().red_flags))
    assert found is not None and found[0].id == flag


@pytest.mark.parametrize("text", PLAIN)
def test_words_that_only_contain_a_term_are_left_alone(text):
    assert sign_named(text, sign_patterns(shipped_catalogue().red_flags)) is None


def _doms(folder: Path, caution: str = "", watch_for: str = "") -> Path:
    """The built-in DOMS protocol, as a clinician's own copy, with one more caution or another watch_for."""
    text = (ROOT / "protocols" / "doms.yaml").read_text(encoding="utf-8")
    if caution:
        text = text.replace("\ncautions:\n", f"\ncautions:\n  - {caution}\n", 1)
    if watch_for:
        text = text.replace("\nwatch_for: [large-bruising]\n", f"\nwatch_for: [{watch_for}]\n", 1)
    return write(folder, "doms.yaml", text)


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_a_builtin_caution_naming_a_sign_is_a_problem_at_its_line(tmp_path):
    path = _doms(tmp_path, caution="Numbness in the saddle area needs help the same day.")
    doc, _ = read_yaml(path)
    assert doc is not None
    item = Protocol.model_validate({**doc.data, "id": "doms"})
    flags = Entry(shipped_catalogue().red_flags, doc, tmp_path, True)
    out = Collector()
    check_warning_signs({"doms": Entry(item, doc, tmp_path, True)}, flags, out)
    assert [(p.line, p.field) for p in out.problems] == [(_line(path, "saddle area"), "cautions.0")]
    assert "names the warning sign 'saddle-numbness'" in out.problems[0].message
    assert "list 'saddle-numbness' under watch_for" in out.problems[0].message


def test_a_clinicians_caution_naming_a_sign_loads_with_a_notice_naming_its_line(runner, tmp_path):
    path = _doms(tmp_path / "mine", caution="A swollen calf can be a blood clot - get it checked the same day.")
    result = runner.invoke(main, ["validate", "--protocols", str(path.parent)])
    assert result.exit_code == 0, result.output
    assert (f"notice: {path}:{_line(path, 'swollen calf')}: cautions.0: 'swollen' names the warning sign "
            "'calf-or-thigh-swelling'") in result.output
    clean = runner.invoke(main, ["validate", "--protocols", str(_doms(tmp_path / "clean").parent)])
    assert clean.exit_code == 0 and "warning sign" not in clean.output


def test_an_unknown_red_flag_in_watch_for_is_a_problem_with_a_suggestion(runner, tmp_path):
    path = _doms(tmp_path, watch_for="large-bruising, saddle-numbnes")
    result = runner.invoke(main, ["validate", "--protocols", str(path.parent)])
    assert result.exit_code == 2, result.output
    assert f"{path}:{_line(path, 'watch_for:')}: watch_for.1: unknown red flag 'saddle-numbnes'" in result.output
    assert "saddle-numbness" in result.output


def test_the_nerve_handout_says_each_sign_once_under_its_own_urgency():
    """Its cautions said numbness in the saddle area needed help 'the same day', beside the list's 'get help now'."""
    catalogue = shipped_catalogue()
    plan = build(PlanRequest(diagnosis="sciatic-referral", side="left", start=dt.date(2026, 3, 2)), catalogue)
    text = " ".join(pdf_text(render_pdf(plan)).split())
    assert text.count("Numbness between the legs or around the back passage") == 1
    assert "saddle" not in text.lower()
    emergency, today = text.index("EMERGENCY"), text.index("TODAY")
    assert emergency < text.index("Numbness between the legs") < today
    signs = dict((plain, urgency) for urgency, plain in plan.warning_signs)
    assert signs["Weight loss you cannot explain"] == "soon"  # added by the protocol's watch_for
    assert len(signs) == len(plan.warning_signs)
