"""The planner's rules, each a test; the property tests run over every diagnosis, grade, stage,
equipment kit and length."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamrehab.exceptions import InputError
from hamrehab.model import HOME_KIT, PlanRequest
from hamrehab.planner import build
from hamrehab.render.json import render_json
from hamrehab.safety import RED_FLAGS
from hamrehab.vocab import DIAGNOSES, EQUIPMENT

from .planner_rules import CHECKERS

START = dt.date(2026, 3, 2)
KITS = {"none": ("none",), "home": HOME_KIT, "gym": tuple(e for e in EQUIPMENT if e != "none")}



def check_plan(plan, catalogue):
    """Every rule a signed plan must keep (tests/planner_rules.py)."""
    assert plan.referral is None and plan.weeks
    if plan.request.weeks is not None:
        assert len(plan.weeks) == plan.request.weeks
    for checker in CHECKERS.values():
        checker(plan, catalogue)


@pytest.mark.parametrize("diagnosis", DIAGNOSES)
@pytest.mark.parametrize("kit", sorted(KITS))
def test_every_diagnosis_and_kit_default_plan(diagnosis, kit, catalogue):
    protocol = catalogue.protocol(diagnosis)
    for grade in protocol.grades or (None,):
        plan = build(PlanRequest(diagnosis=diagnosis, grade=grade, start=START, equipment=KITS[kit], clinician_cleared=True), catalogue)
        check_plan(plan, catalogue)
        assert all(w.prescriptions for w in plan.weeks)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(DIAGNOSES), st.lists(st.sampled_from(sorted(RED_FLAGS)), min_size=1, max_size=3), st.integers(0, 5))
def test_property_any_red_flag_gives_referral_and_no_prescriptions(catalogue, diagnosis, flags, pain):
    plan = build(PlanRequest(diagnosis=diagnosis, start=START, red_flags=tuple(flags), pain=pain), catalogue)
    assert plan.referral is not None and plan.weeks == () and plan.phases == ()


PETERSEN = {  # week: (sessions a week, sets, reps, reps_max)
    1: (1, 2, 5, None), 2: (2, 2, 6, None), 3: (3, 3, 6, 8), 4: (3, 3, 8, 10),
    **{w: (3, 3, (12, 10, 8), None) for w in range(5, 11)},
}


def test_prevention_nordic_dosing_is_the_petersen_table(catalogue):
    plan = build(PlanRequest(diagnosis="prevention", start=START, weeks=14), catalogue)
    nordic = {w.number: next(p for p in w.prescriptions if p.exercise == "nordic-curl") for w in plan.weeks}
    for week, (sessions, sets, reps, reps_max) in PETERSEN.items():
        p = nordic[week]
        assert (p.days_per_week, p.sets, p.reps, p.reps_max) == (sessions, sets, reps, reps_max), week
    for week in range(11, 15):  # maintenance: once a week, 3 sets of 12, 10, 8
        p = nordic[week]
        assert (p.days_per_week, p.sets, p.reps) == (1, 3, (12, 10, 8)), week


def test_same_request_twice_gives_identical_json(catalogue):
    request = PlanRequest(diagnosis="hamstring-strain", grade=2, side="left", start=START, weak_glute_side="right", runner_km_per_week=40)
    assert render_json(build(request, catalogue)) == render_json(build(request, catalogue))


def test_stage_from_days_since_onset_passes_only_the_first_72_hours(catalogue):
    """Stages by criteria: the clock carries a strain past 'protect' (72 h) and no further."""
    def first_phase(days):
        return build(PlanRequest(diagnosis="hamstring-strain", grade=2, start=START, days_since_onset=days), catalogue).weeks[0].phase
    assert [first_phase(d) for d in (0, 1, 2)] == ["protect"] * 3
    assert {first_phase(d) for d in range(3, 400, 7)} == {"early-loading"}


def test_symptom_led_protocols_start_at_their_first_stage(catalogue):
    for diagnosis in ("proximal-tendinopathy", "distal-tendinopathy", "sciatic-referral", "si-joint-referral"):
        protocol = catalogue.protocol(diagnosis)
        assert protocol.stage_by == "symptoms"
        plan = build(PlanRequest(diagnosis=diagnosis, start=START, days_since_onset=365), catalogue)
        assert plan.weeks[0].phase == protocol.phases[0].id


def test_pain_5_starts_at_the_first_phase_and_repeats_week_one(catalogue):
    protocol = catalogue.protocol("proximal-tendinopathy")
    plan = build(PlanRequest(diagnosis="proximal-tendinopathy", start=START, stage=protocol.phases[2].id, pain=5), catalogue)
    assert plan.weeks[0].phase == protocol.phases[0].id
    assert any("5/10" in n for n in plan.notes)
    assert plan.weeks[1].prescriptions == plan.weeks[0].prescriptions and plan.weeks[1].hold


def test_missing_equipment_uses_the_substitute_and_says_so(catalogue):
    ex = catalogue.exercises["romanian-deadlift"]
    assert ex.substitutes
    plan = build(PlanRequest(diagnosis="proximal-tendinopathy", start=START, equipment=("none",)), catalogue)
    used = {p.exercise for w in plan.weeks for p in w.prescriptions}
    assert "romanian-deadlift" not in used
    assert ex.substitutes[0] in used
    assert "Single-leg deadlift is used instead of Romanian deadlift, which needs equipment you have not listed (dumbbell)." in plan.notes


def test_weak_glute_side_gets_extra_work(catalogue):
    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=1, side="left", weak_glute_side="right", start=START), catalogue)
    for week in plan.weeks:
        assert any(p.extra_set_side == "right" or p.sides == "right leg only" for p in week.prescriptions), week.number


HEIDERSCHEIT = {  # heiderscheit-2010 phase I, daily (clinical-facts.md section 8)
    "side-step-grapevine": dict(sets=3, duration_s=60), "prone-bridge": dict(reps=5, hold_s=10),
    "side-bridge": dict(reps=5, hold_s=10), "bent-knee-bridge-hold": dict(reps=10, hold_s=5),
    "single-leg-balance": dict(reps=4, hold_s=20),
}


def test_heiderscheit_phase_one_doses_as_published(catalogue):
    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=2, start=START, days_since_onset=3, equipment=KITS["gym"]), catalogue)
    week = plan.weeks[0]
    assert week.phase == "early-loading"
    doses = {p.exercise: p for p in week.prescriptions}
    for ex_id, dose in HEIDERSCHEIT.items():
        p = doses[ex_id]
        assert all(getattr(p, k) == v for k, v in dose.items()), (ex_id, p)
        assert p.days == tuple(range(7)), ex_id
    assert doses["easy-bike"].duration_s == 600 and doses["easy-bike"].days == tuple(range(7))


def test_askling_doses_as_published(catalogue):
    """askling-2013: Extender twice a day, every day, 3 x 12; Diver every other day, 3 x 6; Glider every third day, 3 x 4."""
    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=2, start=START, stage="progressive-strength",
                             days_since_onset=30), catalogue)
    for week in (w for w in plan.weeks if w.phase == "progressive-strength"):
        doses = {p.exercise: p for p in week.prescriptions}
        ext, diver, glider = doses["askling-extender"], doses["askling-diver"], doses["askling-glider"]
        assert (ext.sets, ext.reps, ext.times_per_day, ext.days) == (3, 12, 2, tuple(range(7)))
        assert (diver.sets, diver.reps) == (3, 6) and all(b - a == 2 for a, b in zip(diver.days, diver.days[1:]))
        assert (glider.sets, glider.reps) == (3, 4) and all(b - a >= 3 for a, b in zip(glider.days, glider.days[1:]))


def test_long_plans_hold_every_fourth_week_of_a_phase(catalogue):
    plan = build(PlanRequest(diagnosis="proximal-tendinopathy", start=START, weeks=20, runner_km_per_week=30), catalogue)
    starts = {ph.id: ph.weeks[0] for ph in plan.phases}
    holds = [(w.phase, w.number - starts[w.phase] + 1) for w in plan.weeks if w.hold]
    assert holds and all(k % 4 == 0 for _, k in holds)
    short = build(PlanRequest(diagnosis="doms", start=START, weeks=3), catalogue)
    assert not any(w.hold for w in short.weeks)


def test_no_hold_week_inside_the_petersen_table(catalogue):
    plan = build(PlanRequest(diagnosis="prevention", start=START, weeks=20), catalogue)
    assert not any(w.hold for w in plan.weeks[:10])


def test_every_phase_ends_with_a_checkpoint(catalogue):
    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=2, start=START), catalogue)
    assert len(plan.phases) > 1
    assert all(phase.exit_criteria for phase in plan.phases)
    # the last week of each phase is a checkpoint, and no other week is
    assert [w.number for w in plan.weeks if w.checkpoint] == [phase.weeks[-1] for phase in plan.phases]


def test_strength_days_are_never_consecutive(catalogue):
    plan = build(PlanRequest(diagnosis="prevention", start=START, days_per_week=4), catalogue)
    for week in plan.weeks:
        for p in week.prescriptions:
            if p.category in ("eccentric", "concentric", "isometric") and p.days_per_week < 7:
                assert all(b - a > 1 for a, b in zip(p.days, p.days[1:])), (p.exercise, p.days)


def test_grade_with_other_diagnosis_is_refused(catalogue):
    with pytest.raises(InputError, match="grade"):
        build(PlanRequest(diagnosis="doms", grade=2, start=START), catalogue)


def test_unknown_stage_has_a_suggestion(catalogue):
    ids = [p.id for p in catalogue.protocol("hamstring-strain").phases]
    with pytest.raises(InputError, match="did you mean"):
        build(PlanRequest(diagnosis="hamstring-strain", grade=1, start=START, stage=ids[1] + "x"), catalogue)


def test_distal_plan_says_it_is_borrowed(catalogue):
    plan = build(PlanRequest(diagnosis="distal-tendinopathy", start=START), catalogue)
    assert plan.borrowed_from == "proximal-tendinopathy"


def test_no_static_stretch_for_tendon_or_nerve(catalogue):
    for diagnosis in ("proximal-tendinopathy", "distal-tendinopathy", "sciatic-referral"):
        plan = build(PlanRequest(diagnosis=diagnosis, start=START, weeks=30, equipment=KITS["gym"]), catalogue)
        assert "static-hamstring-stretch" not in {p.exercise for w in plan.weeks for p in w.prescriptions}


def test_no_nordic_or_sprinting_in_acute_strain(catalogue):
    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=2, start=START, equipment=KITS["gym"]), catalogue)
    early = [w for w in plan.weeks if dict((p.id, p.tag) for p in plan.phases)[w.phase] in ("acute", "early")]
    assert early
    for w in early:
        names = {p.exercise for p in w.prescriptions}
        assert not names & {"nordic-curl", "nordic-curl-assisted", "strides"}
        assert not w.running


def test_the_planners_memos_change_no_byte(catalogue, monkeypatch):
    """The week layout search and a protocol's dose changes are remembered per process (week._layout,
    dosing._changes); plans made with them cold, warm and switched off are the same bytes."""
    import hamrehab.dosing as dosing
    import hamrehab.week as week

    requests = [PlanRequest(diagnosis=d, grade=g, start=START, runner_km_per_week=km, days_per_week=days, equipment=KITS[kit],
                            weak_glute_side="right", clinician_cleared=True)
                for d in DIAGNOSES for g in (catalogue.protocol(d).grades[:2] or (None,))
                for km, days, kit in ((0, 3, "none"), (35, 5, "home"), (80, 7, "gym"))]
    week._layout.cache_clear()
    dosing._changes.cache_clear()
    cold = [render_json(build(r, catalogue)) for r in requests]
    warm = [render_json(build(r, catalogue)) for r in requests]
    assert week._layout.cache_info().hits > 0 and dosing._changes.cache_info().hits > 0
    monkeypatch.setattr(week, "_layout", week._layout.__wrapped__)
    monkeypatch.setattr(dosing, "_changes", dosing._changes.__wrapped__)
    off = [render_json(build(r, catalogue)) for r in requests]
    assert cold == warm == off


def test_but_is_dataclasses_replace_without_the_walk():
    from dataclasses import replace

    from hamrehab.plan import Dose, Prescription, but

    dose = Dose(3, (10, 8, 6), None, None, None, 60, 1, 3, "light")
    rx = Prescription(**dose.__dict__, exercise="chair-bridge", name="Chair bridge", category="activation", per_side=True,
                      sides="each side", days=(0, 2, 4), notes=("n",))
    for record, changes in ((dose, {"sets": 4, "reps": 12}), (rx, {"days": (1,), "clinician": True}), (rx, {})):
        copy = but(record, **changes)
        assert copy == replace(record, **changes) and type(copy) is type(record) and copy is not record
        assert hash(copy) == hash(replace(record, **changes))
    assert but(dose, sets=5).sets == 5 and dose.sets == 3  # the original is untouched
    with pytest.raises(TypeError, match="no field 'set'"):
        but(dose, set=5)


def test_a_stand_in_already_in_the_phase_keeps_its_own_dose_and_the_note_says_the_exercise_is_left_out(catalogue):
    """DOMS lists walking and the easy bike; without a bike, walking (already there) covers it, at walking's own dose."""
    plan = build(PlanRequest(diagnosis="doms", start=START, equipment=("none",)), catalogue)
    assert ("Easy bike is left out: it needs equipment you have not listed (bike), and Walking, already in your plan, "
            "takes its place.") in plan.notes
    assert not any("is used instead of Easy bike" in n for n in plan.notes)
    phase = catalogue.protocol("doms").phases[0]
    walking = next(px for px in phase.exercises if px.exercise == "walking")
    first = plan.weeks[0]
    rows = [p for p in first.prescriptions if p.exercise == "walking"]
    assert len(rows) == 1 and rows[0].notes[-1] == walking.note  # walking's own row, with its own note
    with_bike = build(PlanRequest(diagnosis="doms", start=START, equipment=("bike",)), catalogue)
    assert next(p for p in with_bike.weeks[0].prescriptions if p.exercise == "walking").duration_s == rows[0].duration_s
    # the sciatic plan lists two loop-band exercises before the side bridge: the side bridge keeps its own daily dose,
    # not the loop bands' three days a week that it took on when it stood in for the first of them
    sciatic = build(PlanRequest(diagnosis="sciatic-referral", start=START, equipment=("none",)), catalogue)
    daily = catalogue.exercises["side-bridge"].dosage.days_per_week
    assert daily == 7
    assert {p.days_per_week for w in sciatic.weeks for p in w.prescriptions if p.exercise == "side-bridge"} == {daily}


def test_a_stand_in_dosed_the_same_way_follows_the_published_table(catalogue):
    """Prevention without a partner or anchor: the Nordic curl with the heels under a bed follows the ten-week Nordic
    table, as its checkpoint asks ("ending with three sessions a week"), and then keeps one session of 12, 10 and 8;
    it stayed at 2 x 5 once a week for all fourteen weeks."""
    plan = build(PlanRequest(diagnosis="prevention", start=START, equipment=("none",)), catalogue)
    rows = [(w.number, p) for w in plan.weeks for p in w.prescriptions if p.exercise == "nordic-curl-bed"]
    table = next(px for px in catalogue.protocol("prevention").phases[0].exercises if px.exercise == "nordic-curl").schedule
    for entry in table:
        p = next(p for n, p in rows if n == entry.week)
        assert (p.sets, p.reps, p.days_per_week) == (entry.sets, tuple(entry.reps) if isinstance(entry.reps, list) else entry.reps,
                                                      entry.days_per_week), entry
    assert rows[-1][1].reps == (12, 10, 8) and rows[-1][1].days_per_week == 1
    # the tendon's assisted Nordic table likewise: one session a week, then two
    proximal = build(PlanRequest(diagnosis="proximal-tendinopathy", start=START, equipment=("chair",)), catalogue)
    assert {p.days_per_week for w in proximal.weeks for p in w.prescriptions if p.exercise == "nordic-curl-bed-assisted"} >= {1, 2}


def test_a_stand_in_the_clinician_left_out_stands_in_for_nothing(catalogue):
    plan = build(PlanRequest(diagnosis="sciatic-referral", start=START, equipment=("none",), without=("side-bridge",)), catalogue)
    assert not any(p.exercise == "side-bridge" for w in plan.weeks for p in w.prescriptions)
    assert not any("Side bridge is used instead" in n or "Side bridge, already" in n for n in plan.notes)
    assert ("Loop-band side walk is left out: it needs equipment you have not listed (loop band), and no other exercise can "
            "take its place.") in plan.notes
