"""Every bound validation accepts is one the handout can lay out (issue 10, finding 9).

A clinician's folder at every maximum the models allow (the longest texts, the most steps, cues,
phases, exercises, criteria, address lines, the longest name and notes, the last start date)
renders in every page size and print size, and anything past a bound is refused by `validate`.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import re
from pathlib import Path

import pypdf
import pytest
import yaml

from hamrehab.catalogue import load_catalogue
from hamrehab.cli import main
from hamrehab.clinic import load_clinic
from hamrehab.model import PlanRequest
from hamrehab.model.request import LAST_START
from hamrehab.planner import build
from hamrehab.render.ics import render_ics
from hamrehab.render.pdf import render_pdf

ROOT = Path(__file__).resolve().parent.parent


def words(n: int) -> str:
    return ("lorem ipsum dolor sit amet " * (n // 27 + 1))[:n].strip() + "."


def _exercise(ex_id: str, long: bool) -> dict:
    ex = yaml.safe_load((ROOT / "exercises" / "chair-bridge.yaml").read_text(encoding="utf-8"))
    ex = copy.deepcopy(ex)
    ex.update(equipment=["none"], easier=[], harder=[], substitutes=[])
    if long:
        ex.update(name=words(79), aliases=[words(79)] * 10, summary=words(599), caution=words(599),
                  steps=[words(599)] * 11 + ["W" * 600], cues=[words(299)] * 10, mistakes=[words(599)] * 10)
        ex["figure"]["start"]["label"] = words(299)
        ex["figure"]["end"]["label"] = words(299)
        ex["dosage"]["load"] = words(299)
        ex["dosage"]["basis"] = words(599)
    return ex


def _protocol(ids: list[str], long_ids: list[str]) -> dict:
    pr = yaml.safe_load((ROOT / "protocols" / "doms.yaml").read_text(encoding="utf-8"))
    template = pr["phases"][1]
    phases = []
    for i in range(12):
        ph = copy.deepcopy(template)
        ph.update(id=f"phase-{i + 1}", name=words(79), weeks=[4, 6], goals=[words(299)] * 10, avoid=[words(299)] * 12)
        ph["skip_after_days"] = None
        ph.pop("skip_after_days")
        chosen = ids if i == 0 else long_ids + ids[:3]
        ph["exercises"] = [{"exercise": e, "note": words(599)} for e in chosen]
        ph["running"]["effort"] = words(299)
        ph["running"]["notes"] = [words(299)] * 10
        ph["pain_rules"]["next_morning"] = words(599)
        ph["pain_rules"]["stop_if"] = words(599)
        ph["exit_criteria"] = [{"text": words(599), "kind": "home-test", "sources": ["S4"]}] * 15
        phases.append(ph)
    pr.update(phases=phases, name=words(79), plain_name=words(299), what_it_is=words(2999), what_to_expect=words(2999),
              avoid=[words(299)] * 20, cautions=[words(599)] * 20, evidence_notes=[words(599)] * 60)
    return pr


@pytest.fixture(scope="module")
def biggest(tmp_path_factory):
    folder = tmp_path_factory.mktemp("biggest")
    ex_dir, pr_dir = folder / "exercises", folder / "protocols"
    ex_dir.mkdir()
    pr_dir.mkdir()
    ids = [f"short-{i}" for i in range(40)]
    long_ids = [f"long-{i}" for i in range(3)]
    for ex_id in ids:
        (ex_dir / f"{ex_id}.yaml").write_text(yaml.safe_dump(_exercise(ex_id, False)), encoding="utf-8")
    for ex_id in long_ids:
        (ex_dir / f"{ex_id}.yaml").write_text(yaml.safe_dump(_exercise(ex_id, True)), encoding="utf-8")
    (pr_dir / "doms.yaml").write_text(yaml.safe_dump(_protocol(ids, long_ids)), encoding="utf-8")
    logo = folder / "logo.png"
    from PIL import Image

    Image.new("RGB", (2000, 2000), "navy").save(logo)
    (folder / "clinic.yaml").write_text(yaml.safe_dump({
        "name": words(199), "clinician": words(199), "address": [words(199)] * 6, "phone": words(199),
        "email": words(199), "website": words(199), "logo": "logo.png"}), encoding="utf-8")
    return load_catalogue([ex_dir], [pr_dir]), load_clinic(folder / "clinic.yaml"), folder


def test_the_biggest_folder_validates(biggest, runner, catalogue):
    loaded, _, folder = biggest
    result = runner.invoke(main, ["validate", "--catalogue", str(folder / "exercises"), "--protocols", str(folder / "protocols")])
    assert result.exit_code == 0, result.output
    assert len(loaded.exercises) == len(catalogue.exercises) + 43 and set(loaded.protocols) == set(catalogue.protocols)
    assert f"ok: {len(loaded.exercises)} exercises, {len(loaded.protocols)} protocols, {len(loaded.references)} sources" in result.output


@pytest.mark.parametrize("page_size,large_print", [("a4", False), ("letter", True)])
def test_every_maximum_lays_out(biggest, page_size, large_print):
    catalogue, clinic, _ = biggest
    request = PlanRequest(diagnosis="doms", start=LAST_START, weeks=52, name="N" * 200, patient_id="P" * 100,
                          notes=words(1999) + " " + "x" * 1999)
    plan = build(request, catalogue)
    assert len(plan.weeks) == 52 and len(plan.phases) >= 10
    pdf = render_pdf(plan, page_size=page_size, large_print=large_print, clinic=clinic)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 52
    weeks = [item.title for item in _flat(reader.outline) if re.match(r"Week \d+:", item.title)]
    assert [t.split(":")[0] for t in weeks] == [f"Week {n}" for n in range(1, 53)], "a bookmarked page for every week"
    assert render_ics(plan).startswith(b"BEGIN:VCALENDAR")


def _flat(outline):
    for item in outline:
        yield from (_flat(item) if isinstance(item, list) else (item,))


def test_a_default_length_plan_is_at_most_a_year(biggest):
    catalogue, _, _ = biggest
    plan = build(PlanRequest(diagnosis="doms", start=dt.date(2026, 3, 2)), catalogue)
    assert len(plan.weeks) == 52  # twelve phases of 5 weeks would be 60


@pytest.mark.parametrize("field,value", [
    ("steps", ["one step", "x" * 601]), ("steps", ["a step"] * 13), ("name", "n" * 81), ("cues", ["c" * 301]),
])
def test_past_a_bound_is_refused_with_file_and_line(tmp_path, runner, field, value):
    ex = _exercise("too-much", False)
    ex[field] = value
    folder = tmp_path / "ex"
    folder.mkdir()
    (folder / "too-much.yaml").write_text(yaml.safe_dump(ex, sort_keys=False), encoding="utf-8")
    result = runner.invoke(main, ["validate", "--catalogue", str(folder)])
    assert result.exit_code == 2 and "too-much.yaml:" in result.output and field in result.output
    assert "too long" in result.output


def test_a_start_past_the_last_date_is_refused(runner):
    result = runner.invoke(main, ["plan", "--diagnosis", "doms", "--start", "9999-12-25", "-o", "-"])
    assert result.exit_code == 2 and "--start: 9999-12-25 is outside the dates a plan can cover" in result.output
    assert "Traceback" not in result.output
