"""Notices to the clinician about checkpoint boxes their changes leave out of step (hamrehab/boxes.py): on the
terminal, in the JSON and in the clinician's section, never on the runner's pages."""
from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from hamrehab.cli import main
from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.render import render
from hamrehab.vocab import DIAGNOSES

START = dt.date(2026, 3, 2)
LOW = dict(diagnosis="distal-tendinopathy", start=START, equipment=("chair", "step", "towel"), dose=("single-leg-bridge=2x5@1",))


def test_a_dose_the_phase_never_grows_to_the_boxs_asks_is_said_to_the_clinician(catalogue):
    # 2 x 5 once a week grows a step a week, to 2 x 12 by the end of the phase; the box asks for 3 slow sets of 10-12
    plan = build(PlanRequest(**LOW), catalogue)
    assert len(plan.clinician_notices) == 1
    notice = plan.clinician_notices[0]
    assert notice.startswith("Your dose of Single-leg bridge grows to 2 x ") and "3 slow sets of 10-12 single-leg bridges" in notice
    assert "Stage 2: slow strength" in notice


@pytest.mark.parametrize("dose", ["single-leg-bridge=3x10", "single-leg-bridge=3x12@3"])
def test_a_dose_that_reaches_the_box_gives_no_notice(catalogue, dose):
    assert build(PlanRequest(**{**LOW, "dose": (dose,)}), catalogue).clinician_notices == ()


def test_a_box_naming_an_exercise_the_clinician_left_out_is_said(catalogue):
    plan = build(PlanRequest(diagnosis="prevention", start=START, without=("leg-swings",)), catalogue)
    assert [n for n in plan.clinician_notices if "names Leg swings" in n and "You warm up with leg swings" in n]


@pytest.mark.parametrize("diagnosis", DIAGNOSES)
def test_a_plan_without_changes_has_no_notice(catalogue, diagnosis):
    assert build(PlanRequest(diagnosis=diagnosis, start=START, grade=2 if diagnosis == "hamstring-strain" else None),
                 catalogue).clinician_notices == ()


def test_the_notice_is_on_the_terminal_in_the_json_and_the_clinicians_section_only(catalogue, runner, tmp_path):
    args = ["plan", "--diagnosis", "distal-tendinopathy", "--start", "2026-03-02", "--equipment", "chair,step,towel",
            "--dose", "single-leg-bridge=2x5@1"]
    result = runner.invoke(main, [*args, "-o", str(tmp_path / "p.json")])
    assert result.exit_code == 0 and "notice: Your dose of Single-leg bridge grows to" in result.output
    assert json.loads((tmp_path / "p.json").read_text())["clinician_notices"] == list(build(PlanRequest(**LOW), catalogue).clinician_notices)
    plan = build(PlanRequest(**LOW), catalogue)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render(plan, "pdf"))).pages]
    said = [i for i, text in enumerate(pages) if "Raise the" in text]
    clinician = [i for i, text in enumerate(pages) if catalogue.wording.pages.clinician_heading in text]
    assert said and clinician and min(said) >= min(clinician)  # only in the clinician's section, at the end
    for handout in ("compact", "summary"):  # the short handouts have no clinician's section
        assert "Raise the" not in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render(plan, "pdf", handout=handout))).pages)
    assert "Raise the dose" in render(plan, "text").decode()


def test_a_left_out_name_inside_a_longer_name_the_runner_still_does_is_not_said(catalogue):
    # Leaving out the glute bridge ('bridge') says nothing of a box asking for single-leg bridges, which the runner does.
    plan = build(PlanRequest(diagnosis="si-joint-referral", start=START, weeks=12, without=("glute-bridge",)), catalogue)
    assert not [n for n in plan.clinician_notices if "single-leg bridges" in n], plan.clinician_notices


def test_a_left_out_exercise_the_phase_never_gives_is_not_said_for_its_box(catalogue):
    # Walking is left out of the early phases; 'Back to speed' asks for no pain "as you step up from walking to jogging",
    # the activity, in a phase that never gives the Walking exercise: nothing for the clinician to change there.
    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=2, start=START, without=("walking",)), catalogue)
    assert "walking" in {px.exercise for ph in catalogue.protocol("hamstring-strain").phases for px in ph.exercises}
    assert any("from walking to jogging" in c.text for ph in plan.phases for c in ph.exit_criteria)
    assert not [n for n in plan.clinician_notices if "names Walking" in n], plan.clinician_notices
