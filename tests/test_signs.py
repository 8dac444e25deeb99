"""A warning sign is said once, with its own urgency (hamrehab/catalogue/signs.py, the protocols' `watch_for`)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hamrehab.catalogue.files import Collector, Entry
from hamrehab.catalogue.plainwords import check_plain_words
from hamrehab.catalogue.signs import Signs, check_warning_signs
from hamrehab.cli import main
from hamrehab.model import Exercise, PlanRequest, Protocol
from hamrehab.planner import build
from hamrehab.render.pdf import render_pdf

from .conftest import builtin_entry, shipped_catalogue, write
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
    found = Signs(shipped_catalogue().red_flags).named(text)
    assert found is not None and found[0].id == flag


@pytest.mark.parametrize("text", PLAIN)
def test_words_that_only_contain_a_term_are_left_alone(text):
    assert Signs(shipped_catalogue().red_flags).named(text) is None


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
    entry = builtin_entry(path, Protocol)
    flags = Entry(shipped_catalogue().red_flags, entry.doc, tmp_path, True)
    out = Collector()
    check_warning_signs({"doms": entry}, flags, out)
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


OLD_ELEVATION = "If the calf or thigh becomes swollen, warm and red, or you feel short of breath, get medical help the same day."
LATE = [(OLD_ELEVATION, "chest-pain-or-breathless", "the same day"),
        ("Numbness around the back passage: see a doctor within a few days.", "saddle-numbness", "within a few days"),
        ("Stop. A fever with the pain needs a doctor soon.", "fever", "soon")]
IN_TIME = ["If you feel short of breath or have chest pain, call emergency services now. If the calf or thigh becomes "
           "swollen, warm and red, see a doctor the same day.",
           "If the calf swells, see a doctor today.", "Pain that spreads down the leg: stop now.",
           "A fever needs a doctor.", "Add hills soon after the runs feel easy."]


@pytest.mark.parametrize("text,flag,words", LATE)
def test_a_sign_said_with_a_later_time_than_its_flag_is_found(text, flag, words):
    found = Signs(shipped_catalogue().red_flags).too_late(text)
    assert found is not None and (found[0].id, found[1]) == (flag, words)


@pytest.mark.parametrize("text", IN_TIME)
def test_a_sign_said_as_urgently_or_more_or_with_no_time_is_left_alone(text):
    assert Signs(shipped_catalogue().red_flags).too_late(text) is None


def test_the_old_elevation_card_is_a_problem_in_a_builtin_and_a_notice_in_a_clinicians_folder(runner, tmp_path):
    """The elevation card told the runner to get help 'the same day' for breathlessness, an emergency in the list."""
    text = (ROOT / "exercises" / "elevation.yaml").read_text(encoding="utf-8")
    caution = next(line for line in text.splitlines() if line.startswith("caution: "))
    path = write(tmp_path / "mine", "elevation.yaml", text.replace(caution, f"caution: {OLD_ELEVATION}"))
    out = Collector()
    entry = builtin_entry(path, Exercise)
    signs = Signs(shipped_catalogue().red_flags)
    check_plain_words({"elevation": entry}, shipped_catalogue().references, out, ((signs.may_give_a_time, signs.too_late_at),))
    line = _line(path, "short of breath")
    assert [(p.line, p.field) for p in out.problems] == [(line, "caution")]
    assert "'the same day' is later than the warning sign 'chest-pain-or-breathless'" in out.problems[0].message
    result = runner.invoke(main, ["validate", "--catalogue", str(path.parent)])
    assert result.exit_code == 0, result.output
    assert f"notice: {path}:{line}: caution: 'the same day' is later than" in result.output


UNTIMED = [("If you cannot walk normally, use crutches and get the leg checked.", "cannot-walk-normally", "the same day"),
           ("Stop if the pain spreads down the leg (then see a clinician).", "pain-down-leg-when-running", "within a few days"),
           ("If tingling or numbness spreads below the knee, stop and see a doctor or physio.", "tingling-below-knee",
            "within a few days")]
TIMED_OR_NO_SIGN = ["If you cannot walk normally, use crutches and see a doctor today.", "See a physio if the dose feels too easy.",
                    "Stop if the pain spreads down the leg, then see a clinician within a few days.", "Tingling means stop."]


@pytest.mark.parametrize("text,flag,words", UNTIMED)
def test_a_sign_that_sends_the_runner_to_a_professional_without_a_time_is_found(text, flag, words):
    message = Signs(shipped_catalogue().red_flags).untimed_at(("note",), text)
    assert message is not None and f"'{flag}'" in message and f"say '{words}' or sooner" in message


@pytest.mark.parametrize("text", TIMED_OR_NO_SIGN)
def test_a_timed_referral_or_one_without_a_sign_is_left_alone(text):
    assert Signs(shipped_catalogue().red_flags).untimed_at(("note",), text) is None


def test_the_old_strain_walking_note_is_a_problem_in_a_builtin_and_a_notice_in_a_clinicians_folder(runner, tmp_path):
    """The strain's walking note said 'use crutches and get the leg checked' where the list says 'today'."""
    text = (ROOT / "protocols" / "hamstring-strain.yaml").read_text(encoding="utf-8")
    new = "If you cannot walk normally, use crutches and see a doctor or physiotherapist today."
    assert new in text
    path = write(tmp_path / "mine", "hamstring-strain.yaml", text.replace(new, UNTIMED[0][0]))
    out = Collector()
    entry = builtin_entry(path, Protocol)
    signs = Signs(shipped_catalogue().red_flags)
    check_plain_words({"hamstring-strain": entry}, shipped_catalogue().references, out, ((signs.may_send, signs.untimed_at),))
    lines = path.read_text(encoding="utf-8").splitlines()
    line = max(n for n, text in enumerate(lines[:_line(path, "get the leg checked")], 1) if "note:" in text)  # its key's line
    assert [(p.line, p.field) for p in out.problems] == [(line, "phases.0.exercises.3.note")]
    result = runner.invoke(main, ["validate", "--protocols", str(path.parent)])
    assert result.exit_code == 0 and f"notice: {path}:{line}: phases.0.exercises.3.note: 'get the leg checked' sends" in result.output
