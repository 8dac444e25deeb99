"""A clinician's changes for one patient (issue 11 item 1): accepted where asked, dosed as asked,
progressed; refused for each reason with exit 2 and nothing written; the same in flags, request
files, roster columns and the Python API."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

import hamrehab
from hamrehab.changes import parse_dose
from hamrehab.cli import main
from hamrehab.exceptions import InputError
from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.render import render

from .pdftext import page_texts
from .planner_rules import CHECKERS

ROOT = Path(__file__).resolve().parent.parent
START = dt.date(2026, 3, 2)
TENDON = dict(diagnosis="proximal-tendinopathy", start=START, weeks=16, runner_km_per_week=30)


def _plan(catalogue, **changes):
    plan = build(PlanRequest(**TENDON, **changes), catalogue)
    for checker in CHECKERS.values():  # a changed plan keeps every rule a protocol's plan keeps
        checker(plan, catalogue)
    return plan


def _rows(plan, ex_id):
    return [(w, p) for w in plan.weeks for p in w.prescriptions if p.exercise == ex_id]


def test_without_leaves_the_exercise_out_everywhere(catalogue):
    plan = _plan(catalogue, without=("side-bridge",))
    assert not _rows(plan, "side-bridge") and "Left out: Side bridge." in plan.changes
    assert _rows(_plan(catalogue), "side-bridge")


GYM = ("chair", "bench", "band", "loop-band", "dumbbell", "stability-ball", "anchor-or-partner", "step", "towel", "wall")


def _harder_steps(catalogue):
    """Every (diagnosis, phase, exercise, harder form) a protocol's progression may step up to."""
    return [(pid, ph.id, px.exercise, h) for pid, proto in sorted(catalogue.protocols.items()) for ph in proto.phases
            for px in ph.exercises if "harder" in px.progression for h in catalogue.exercises[px.exercise].harder]


def test_a_left_out_harder_form_is_never_stepped_up_to(catalogue):
    # A physiotherapist leaving out the full Nordic curl has judged it too much for this runner: the assisted
    # Nordic curl's progression must not bring it back (it did, from week 3 of the distal plan's last phase).
    steps = _harder_steps(catalogue)
    assert ("distal-tendinopathy", "spring-and-speed", "nordic-curl-assisted", "nordic-curl") in steps
    for pid, phase, ex_id, harder in steps:
        grade = 2 if catalogue.protocols[pid].grades else None
        plan = build(PlanRequest(diagnosis=pid, grade=grade, stage=phase, weeks=16, start=START, equipment=GYM, without=(harder,),
                                 clinician_cleared=True),
                     catalogue)
        assert not _rows(plan, harder), (pid, phase, ex_id, harder)
        kept = build(PlanRequest(diagnosis=pid, grade=grade, stage=phase, weeks=16, start=START, equipment=GYM, clinician_cleared=True),
                     catalogue)
        if ex_id == "nordic-curl-assisted":  # the step is there when nothing is left out
            assert _rows(kept, harder)


def test_a_swapped_in_exercise_never_steps_up_to_a_second_row_of_one_in_the_week(catalogue):
    # The marching drill in the Nordic curl's place took the Nordic's progression, up to the skipping drill: the
    # distal plan's last weeks gave the skipping drill twice, at two doses, ticked on the same days.
    plan = build(PlanRequest(diagnosis="distal-tendinopathy", start=START, swap=("nordic-curl-assisted=marching-drill",)), catalogue)
    for w in plan.weeks:
        ids = [p.exercise for p in w.prescriptions]
        assert len(ids) == len(set(ids)), (w.number, ids)
    assert any(p.exercise == "marching-drill" for w in plan.weeks for p in w.prescriptions)


def test_the_weak_glute_sides_extra_work_is_never_one_the_clinician_left_out(catalogue):
    # With no glute exercise in the week, the weak side's extra work was the power position hold, left out or not.
    request = dict(diagnosis="si-joint-referral", start=START, equipment=("chair", "step", "towel", "wall"), weak_glute_side="right")
    assert any(p.exercise == "power-position-hold" and p.notes for w in build(PlanRequest(**request), catalogue).weeks
               for p in w.prescriptions)
    plan = build(PlanRequest(**request, without=("power-position-hold",)), catalogue)
    assert not _rows(plan, "power-position-hold")


def test_walking_swapped_in_never_steps_up_to_a_run_as_an_exercise(catalogue):
    # Walking in a bridge's place took the bridge's progression, up to its harder form: walk-jog intervals, a run,
    # as an exercise row beside the week's running row.
    plan = build(PlanRequest(diagnosis="distal-tendinopathy", start=START, weeks=10, swap=("chair-bridge=walking",),
                             equipment=GYM, runner_km_per_week=120.0, days_per_week=4), catalogue)
    rows = [p for w in plan.weeks for p in w.prescriptions]
    assert any(p.exercise == "walking" for p in rows)
    assert not [p.exercise for p in rows if catalogue.exercises[p.exercise].category == "running"]


@pytest.mark.parametrize("diagnosis", ["hamstring-strain", "prevention"])
def test_walking_left_out_takes_the_brisk_walks_of_a_runner_who_does_not_run_with_it(catalogue, diagnosis):
    # A runner who does not run gets brisk walks, on the Walking card, where a runner would run. With walking left
    # out, the week pages still gave them (and prevention, which has no Walking row, refused the change).
    request = dict(diagnosis=diagnosis, grade=2 if diagnosis == "hamstring-strain" else None, start=START, runner_km_per_week=0)
    walked = [w.number for w in build(PlanRequest(**request), catalogue).weeks if any(r.kind == "walk" for r in w.running)]
    assert walked
    plan = build(PlanRequest(**request, without=("walking",)), catalogue)
    for checker in CHECKERS.values():
        checker(plan, catalogue)
    words = catalogue.wording.planner_notes
    assert not [w.number for w in plan.weeks if w.running]
    assert [w.number for w in plan.weeks if words.no_walks in w.notes] == [n for n in walked if not plan.weeks[n - 1].hold]
    assert words.non_runner not in plan.notes and words.warm_up_later not in plan.notes  # no week has runs, later or not
    assert "Left out: Walking." in plan.changes and "walking" not in {e.id for e in plan.exercises}
    text = render(plan, "text").decode()  # and its week says why, without a running pace for runs it does not have
    week = text.split(f"Week {walked[0]} (from")[1].split("\nWeek ")[0]
    assert "No brisk walks this week" in week and "Running:" not in week, week
    page = next(t for t in page_texts(render(plan, "pdf")) if f"Week {walked[0]} of" in t)  # the same on the week page
    assert catalogue.wording.week_pages.no_runs in page and "No brisk walks this week" in page
    assert not [line for line in page.splitlines() if line.startswith("Running")][1:], page  # the row's name only


def test_walking_is_not_in_the_plan_of_a_runner_without_walks_or_a_walking_row(catalogue):
    with pytest.raises(InputError, match="--without walking: 'walking' is not in this plan"):
        build(PlanRequest(diagnosis="prevention", start=START, runner_km_per_week=20, without=("walking",)), catalogue)


def test_add_to_one_phase_appears_there_only_and_progresses(catalogue):
    plan = _plan(catalogue, add=("marching-bridge:slow-strength",))
    rows = _rows(plan, "marching-bridge")
    assert rows and {w.phase for w, _ in rows} == {"slow-strength"}
    assert all(p.clinician for _, p in rows)
    reps = [p.reps for _, p in rows]
    assert reps[0] == catalogue.exercises["marching-bridge"].dosage.reps and max(reps) > reps[0]  # progressed
    assert any("Added Marching bridge" in c for c in plan.changes)


def test_add_without_a_phase_goes_to_every_phase(catalogue):
    plan = _plan(catalogue, add=("single-leg-balance",))
    assert {w.phase for w, _ in _rows(plan, "single-leg-balance")} == {ph.id for ph in plan.phases}


def test_swap_puts_the_new_exercise_where_the_old_one_was(catalogue):
    base = _plan(catalogue, equipment=("chair", "bench"))
    old = _rows(base, "hip-thrust")
    plan = _plan(catalogue, equipment=("chair", "bench"), swap=("hip-thrust=glute-bridge",))
    new = _rows(plan, "glute-bridge")
    assert old and not _rows(plan, "hip-thrust")
    assert {w.number for w, _ in new} >= {w.number for w, _ in old}
    assert "Glute bridge instead of Hip thrust." in plan.changes


@pytest.mark.parametrize("spec,expect", [
    ("isometric-heel-press=1x5x30s", dict(sets=1, reps=5, hold_s=30.0)),
    ("glute-bridge=3x12@2", dict(sets=3, reps=12, days_per_week=2)),
    ("walking=20min", dict(sets=1, duration_s=1200)),
])
def test_dose_starts_as_given_and_progresses_from_it(catalogue, spec, expect):
    ex_id = spec.split("=")[0]
    plan = _plan(catalogue, dose=(spec,))
    rows = _rows(plan, ex_id)
    assert rows
    first = rows[0][1]
    assert all(getattr(first, k) == v for k, v in expect.items()), first
    assert first.clinician and "Dose set by your clinician." in first.notes
    assert any(spec.split("=")[0] in c.lower().replace(" ", "-") or "set by your clinician" in c for c in plan.changes)


def test_a_range_dose_keeps_its_range(catalogue):
    plan = _plan(catalogue, dose=("glute-bridge=3x8-10",), equipment=("chair",))
    rows = _rows(plan, "glute-bridge")
    assert rows and all((p.sets, p.reps, p.reps_max) == (3, 8, 10) for _, p in rows)


@pytest.mark.parametrize("field,value,reason", [
    ("add", "nordic-curl:isometric-load", "is contraindicated for proximal-tendinopathy in phase 'isometric-load'"),
    ("add", "static-hamstring-stretch", "is contraindicated for proximal-tendinopathy"),
    ("swap", "hip-thrust=nordic-curl", "is contraindicated"),
    ("dose", "glute-bridge=40x10", "sets 40 is outside this exercise's safe limits"),
    ("dose", "isometric-heel-press=1x5x400s", "outside this exercise's safe limits"),
    ("add", "nordc-curl", "no exercise 'nordc-curl' (did you mean 'nordic-curl'?)"),
    ("add", "chair-bridge:slow-strenght", "'slow-strenght' is not a phase of this plan (did you mean 'slow-strength'?)"),
    ("without", "side-brige", "'side-brige' is not in this plan (did you mean 'side-bridge'?)"),
    ("dose", "glute-bridge=three", "is not a dose for this reps exercise"),
    ("add", "easy-run", "is running"),
    ("without", "strides", "is running"),  # was accepted, listed as left out, and the last phase still gave strides
    ("add", "stability-ball-curl:slow-strength", "needs stability-ball"),
])
def test_each_refusal_names_the_change_and_why_and_writes_nothing(runner, tmp_path, field, value, reason):
    out = tmp_path / "plan.pdf"
    args = ["plan", "--diagnosis", "proximal-tendinopathy", f"--{field}", value, "--equipment", "chair", "-o", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert f"error: --{field} {value}: " in result.output and reason in result.output
    assert not out.exists() and not list(tmp_path.iterdir())


def test_every_problem_is_reported_at_once(runner):
    result = runner.invoke(main, ["plan", "--diagnosis", "doms", "--add", "nope", "--dose", "walking=99x", "--without", "x", "-o", "-"])
    assert result.exit_code == 2 and result.output.count("error: ") == 3


def test_a_clinicians_own_exercise_from_a_catalogue_folder_can_be_added(tmp_path, runner):
    ex = yaml.safe_load((ROOT / "exercises" / "glute-bridge.yaml").read_text(encoding="utf-8"))
    ex.update(name="Riverside wall bridge", easier=[], harder=[], substitutes=[])
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "riverside-wall-bridge.yaml").write_text(yaml.safe_dump(ex), encoding="utf-8")
    result = runner.invoke(main, ["plan", "--diagnosis", "sciatic-referral", "--catalogue", str(folder),
                                  "--add", "riverside-wall-bridge", "--format", "json", "-o", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = [p for w in data["weeks"] for p in w["prescriptions"] if p["exercise"] == "riverside-wall-bridge"]
    assert rows and all(p["clinician"] for p in rows)
    assert any("Riverside wall bridge" in c for c in data["changes"])
    assert any(e["key"] == "S1" for e in data["sources"])


def test_changes_read_the_same_from_a_request_file_a_roster_and_the_api(tmp_path, runner, catalogue):
    fields = {"diagnosis": "proximal-tendinopathy", "start": "2026-03-02", "weeks": 6, "without": ["side-bridge"],
              "add": ["marching-bridge:slow-strength"], "dose": ["glute-bridge=3x12"]}
    (tmp_path / "request.yaml").write_text(yaml.safe_dump(fields), encoding="utf-8")
    by_file = runner.invoke(main, ["plan", "--request", str(tmp_path / "request.yaml"), "--format", "json", "-o", "-"])
    by_flags = runner.invoke(main, ["plan", "--diagnosis", "proximal-tendinopathy", "--start", "2026-03-02", "--weeks", "6",
                                    "--without", "side-bridge", "--add", "marching-bridge:slow-strength", "--dose", "glute-bridge=3x12",
                                    "--format", "json", "-o", "-"])
    api = hamrehab.render_json(hamrehab.build_plan(hamrehab.make_request(fields), catalogue))
    assert by_file.exit_code == by_flags.exit_code == 0
    assert json.loads(by_file.stdout)["weeks"] == json.loads(by_flags.stdout)["weeks"] == json.loads(api)["weeks"]
    roster = tmp_path / "roster.csv"
    roster.write_text("patient_id,diagnosis,start,weeks,without,add,dose\n"
                      "R1,proximal-tendinopathy,2026-03-02,6,side-bridge,marching-bridge:slow-strength,glute-bridge=3x12\n", encoding="utf-8")
    result = runner.invoke(main, ["batch", str(roster), "--out", str(tmp_path / "out"), "--format", "json", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "out" / "R1.json").read_text())["weeks"] == json.loads(api)["weeks"]


def test_dose_grammar(catalogue):
    bridge = catalogue.exercises["glute-bridge"]
    assert parse_dose("3x10", bridge)[0].model_dump(exclude_none=True) == {"sets": 3, "reps": 10}
    assert parse_dose("3 × 8-10 @2", bridge) == (parse_dose("3x8@2", bridge)[0], 10)
    with pytest.raises(ValueError):
        parse_dose("3x10x30s", bridge)
    with pytest.raises(InputError):
        build(PlanRequest(diagnosis="doms", start=START, dose=("walking=3x",)), catalogue)


@pytest.mark.parametrize("spec,said", [("single-leg-bridge=2x5@1", "Single-leg bridge: 2 x 5, once a week, set by your clinician."),
                                       ("single-leg-bridge=2x5@3", "Single-leg bridge: 2 x 5, 3 days a week, set by your clinician."),
                                       ("single-leg-bridge=2x5", "Single-leg bridge: 2 x 5, set by your clinician.")])
def test_a_clinicians_dose_is_listed_in_plain_words(catalogue, spec, said):
    # It read "2 x 5, 1 days a week".
    assert said in _plan(catalogue, dose=(spec,)).changes
