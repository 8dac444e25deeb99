"""Every planner rule as its own property over the whole request space (issue 9).

Each rule is a checker in tests/planner_rules.py. Its test runs it over a seeded corpus of
plans (diagnosis x grade x stage x days since onset x pain x kit x weeks x usual running x
training days x sides) and over hypothesis's own search, which shrinks any failure to a
small request. `test_each_checker_catches_a_broken_plan` proves every checker can fail.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamrehab.exceptions import InputError
from hamrehab.model import HOME_KIT, PlanRequest
from hamrehab.planner import build
from hamrehab.timeline import earliest_day
from hamrehab.vocab import DIAGNOSES, EQUIPMENT

from .conftest import examples, shipped_catalogue
from .planner_rules import CHECKERS

START = dt.date(2026, 3, 2)
KITS = {"none": ("none",), "home": HOME_KIT, "gym": tuple(e for e in EQUIPMENT if e != "none")}
VOLUMES = (None, 0.0, 5.0, 20.0, 30.0, 45.0, 60.0, 80.0, 120.0)


def _fields(draw_one, catalogue=None, changes: bool = False) -> dict:
    """One request's fields, with `draw_one(name, choices)` picking each value; `changes`: the clinician may leave
    out one of the protocol's exercises (in half the plans)."""
    catalogue = catalogue or shipped_catalogue()
    diagnosis = draw_one("diagnosis", DIAGNOSES)
    protocol = catalogue.protocol(diagnosis)
    ids = tuple(dict.fromkeys(px.exercise for phase in protocol.phases for px in phase.exercises))
    return dict(
        diagnosis=diagnosis,
        grade=draw_one("grade", protocol.grades) if protocol.grades else None,
        stage=draw_one("stage", (None, None) + tuple(p.id for p in protocol.phases)),
        days_since_onset=draw_one("days", (None, 0, 1, 2, 3, 5, 9, 14, 21, 30, 45, 90, 200, 400)),
        pain=draw_one("pain", tuple(range(11))),
        equipment=KITS[draw_one("kit", sorted(KITS))],
        weeks=draw_one("weeks", (None, 1, 2, 3, 4, 6, 8, 10, 12, 16, 20, 26, 40, 52)),
        runner_km_per_week=draw_one("km", VOLUMES),
        days_per_week=draw_one("dpw", (1, 2, 3, 4, 5, 6, 7)),
        side=draw_one("side", ("left", "right", "both")),
        weak_glute_side=draw_one("weak", (None, "left", "right")),
        clinician_cleared=draw_one("cleared", (False, True)),
        **(_changes(draw_one, ids, catalogue) if changes else {}),
    )


DOSES = ("3x10", "2x8", "1x12", "3x8-12", "2x5@1", "1x5x30s", "2x30s", "10min", "1x6x20s")


def _changes(draw_one, ids: tuple[str, ...], catalogue) -> dict:
    """A clinician's change in half the plans: one exercise left out, added, swapped for another or re-dosed (a change
    the plan refuses, such as a weight for a runner without one, is a refused request: see _plan)."""
    every = tuple(sorted(i for i, ex in catalogue.exercises.items() if ex.category != "running"))
    kind = draw_one("change", ("none",) * 4 + ("without", "add", "swap", "dose"))
    if kind == "without":  # walking too: a runner who does not run has brisk walks, on the Walking card
        return {"without": (draw_one("without", ids + ("walking",)),)}
    if kind == "add":
        return {"add": (draw_one("add", every),)}
    if kind == "swap":
        return {"swap": (f"{draw_one('old', ids)}={draw_one('new', every)}",)}
    if kind == "dose":
        return {"dose": (f"{draw_one('dosed', ids)}={draw_one('dose', DOSES)}",)}
    return {}


@st.composite
def requests(draw, changes: bool = False):
    return PlanRequest(start=START, **_fields(lambda _name, choices: draw(st.sampled_from(choices)), changes=changes))


def _plan(request: PlanRequest):
    """The plan, or None when the request is refused or referred (those have rules of their own below)."""
    try:
        plan = build(request, shipped_catalogue())
    except InputError as exc:
        changed = request.without or request.add or request.swap or request.dose
        assert "--stage" in str(exc) or (changed and str(exc).startswith(("--without", "--add", "--swap", "--dose"))), exc
        return None  # (a change the plan refuses: an exercise not in it, contraindicated, or a dose outside its range)
    return plan if plan.referral is None else None


def _corpus(n: int = 160) -> list:
    rng = random.Random(20261130)
    plans = []
    while len(plans) < n:
        plan = _plan(PlanRequest(start=START, **_fields(lambda _name, choices: rng.choice(choices), changes=True)))
        if plan is not None:
            plans.append(plan)
    return plans


@pytest.fixture(scope="module")
def corpus():
    return _corpus()


def _property(name: str):
    checker = CHECKERS[name]

    @settings(max_examples=examples(long=20, short=10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(requests(changes=True))
    def search(request):
        plan = _plan(request)
        if plan is not None:
            checker(plan, shipped_catalogue())

    def test(corpus, catalogue):
        for plan in corpus:
            checker(plan, catalogue)
        search()

    test.__name__ = f"test_{name}"
    test.__doc__ = checker.__doc__
    return test


for _name in CHECKERS:
    globals()[f"test_{_name}"] = _property(_name)


# ------------------------------------------------------------------ rules about refusals and referrals
@settings(max_examples=examples(long=150, short=50), deadline=None)
@given(requests())
def test_named_stage_too_early_for_the_clock_is_refused(catalogue, request):
    """R4.4 A named stage of a time-led protocol (a strain) that the days since onset cannot have reached
    is refused, unless a clinician cleared it; symptom-led protocols take a named stage as given."""
    protocol = catalogue.protocol(request.diagnosis)
    request = request.model_copy(update={"pain": min(request.pain, 4), "red_flags": ()})
    if request.diagnosis == "hamstring-strain" and request.grade == 3:
        request = request.model_copy(update={"clinician_cleared": True})
    index = [p.id for p in protocol.phases].index(request.stage) if request.stage else 0
    grade = request.grade or (2 if protocol.grades else None)
    too_early = (index > 0 and protocol.stage_by == "time" and not request.clinician_cleared
                 and (request.days_since_onset is None or request.days_since_onset < earliest_day(protocol, index, grade)))
    if too_early:
        with pytest.raises(InputError, match="--clinician-cleared"):
            build(request, catalogue)
    elif request.stage is not None:
        assert build(request, catalogue).weeks[0].phase == request.stage
    else:
        assert build(request, catalogue).weeks


@settings(max_examples=examples(long=150, short=50), deadline=None)
@given(requests())
def test_pain_at_the_referral_threshold_gives_the_see_a_professional_handout(catalogue, request):
    """R5.3 Pain now at refer_at (6/10) or more: the referral handout, no exercises; below it, a plan."""
    request = request.model_copy(update={"stage": None, "red_flags": (), "clinician_cleared": True})
    plan = build(request, catalogue)
    referred = request.pain >= catalogue.rules.pain.refer_at
    assert (plan.referral is not None) == referred
    assert (plan.weeks == ()) == referred


# ------------------------------------------------------------------ every checker can fail
def _req(**kw) -> PlanRequest:
    return PlanRequest(start=START, **kw)


def _week_with(plan, test):
    return next(i for i, w in enumerate(plan.weeks) if test(w))


def _set_week(plan, i, week):
    weeks = list(plan.weeks)
    weeks[i] = week
    return replace(plan, weeks=tuple(weeks))


def _set_prescription(plan, i, ex_id, **changes):
    w = plan.weeks[i]
    ps = tuple(replace(p, **changes) if p.exercise == ex_id else p for p in w.prescriptions)
    return _set_week(plan, i, replace(w, prescriptions=ps))


def _set_runs(plan, i, make):
    w = plan.weeks[i]
    runs = tuple(make(r) for r in w.running)
    days = tuple(replace(d, run=next((r for r in runs if r.day == d.offset), None)) for d in w.days)
    return _set_week(plan, i, replace(w, running=runs, days=days))


STRAIN = _req(diagnosis="hamstring-strain", grade=1, weeks=12, runner_km_per_week=30, side="left", weak_glute_side="right")
TENDON = _req(diagnosis="proximal-tendinopathy", runner_km_per_week=40)


def _strain():
    return build(STRAIN, shipped_catalogue())


def _break_warm_ups():
    plan = _strain()
    i = _week_with(plan, lambda w: any(p.exercise == "leg-swings" for p in w.prescriptions))
    return _set_prescription(plan, i, "leg-swings", days=tuple(range(7)), days_per_week=7)


def _break_strides():
    plan = _strain()
    i = _week_with(plan, lambda w: any("strides" in r.extras for r in w.running))
    return _set_runs(plan, i, lambda r: replace(r, kind="walk-jog") if "strides" in r.extras else r)


def _break_heavy_before_fast():
    plan = _strain()
    i = _week_with(plan, lambda w: any("strides" in r.extras for r in w.running))
    q = next(r.day for r in plan.weeks[i].running if "strides" in r.extras)
    return _set_prescription(plan, i, "nordic-curl", days=(q - 1,), days_per_week=1)


def _break_heavy_consecutive():
    plan = _strain()
    i = _week_with(plan, lambda w: any(p.exercise == "nordic-curl" for p in w.prescriptions))
    return _set_prescription(plan, i, "nordic-curl", days=(0, 1), days_per_week=2)


def _break_tendon():
    plan = build(TENDON, shipped_catalogue())
    i = _week_with(plan, lambda w: any(p.category == "concentric" for p in w.prescriptions))
    ex = next(p.exercise for p in plan.weeks[i].prescriptions if p.category == "concentric")
    return _set_prescription(plan, i, ex, days=tuple(range(7)), days_per_week=7)


def _break_strength_days():
    plan = build(TENDON, shipped_catalogue())
    i = _week_with(plan, lambda w: any(p.session == "strength" and p.days_per_week < 7 for p in w.prescriptions))
    ex = next(p.exercise for p in plan.weeks[i].prescriptions if p.session == "strength" and p.days_per_week < 7)
    return _set_prescription(plan, i, ex, days=(3, 4), days_per_week=2)


def _break_two_forms():
    plan = _strain()
    i = _week_with(plan, lambda w: w.running)
    w = plan.weeks[i]
    return _set_week(plan, i, replace(w, running=w.running + (replace(w.running[0], jog_minutes=1),)))


def _break_days_view():
    plan = _strain()
    w = plan.weeks[0]
    days = (replace(w.days[0], sessions=w.days[0].sessions + (("care", ("heat-pack",)),)),) + w.days[1:]
    return _set_week(plan, 0, replace(w, days=days))


def _break_weekly_rise():
    plan = _strain()
    i = _week_with(plan, lambda w: w.number > 1 and w.running and plan.weeks[w.number - 2].running)
    return _set_runs(plan, i, lambda r: replace(r, jog_minutes=r.jog_minutes * 2))


def _break_longest():
    plan = _strain()
    i = _week_with(plan, lambda w: w.number > 1 and w.running and plan.weeks[w.number - 2].running)
    first = plan.weeks[i].running[0]
    return _set_runs(plan, i, lambda r: replace(r, jog_minutes=r.jog_minutes * 3 // 2) if r is first else replace(r, jog_minutes=1))


def _break_honest():
    plan = _strain()
    i = _week_with(plan, lambda w: any(r.kind == "walk-jog" for r in w.running))
    return _set_runs(plan, i, lambda r: replace(r, walk_minutes=0))


def _break_one_change():
    plan = _strain()
    i = _week_with(plan, lambda w: any("strides" in r.extras for r in w.running))
    return _set_runs(plan, i, lambda r: replace(r, jog_minutes=r.jog_minutes + 1))


def _break_extras_phase():
    plan = _strain()
    i = _week_with(plan, lambda w: any(r.kind == "walk-jog" for r in w.running))
    return _set_runs(plan, i, lambda r: replace(r, kind="continuous", walk_minutes=0, extras=("hills",)))


def _break_scale():
    plan = _strain()
    i = _week_with(plan, lambda w: w.running)
    return _set_runs(plan, i, lambda r: replace(r, jog_minutes=200))


def _break_non_runner():
    plan = build(_req(diagnosis="doms", runner_km_per_week=0.0), shipped_catalogue())
    i = _week_with(plan, lambda w: w.running)
    return _set_runs(plan, i, lambda r: replace(r, kind="continuous", jog_minutes=25, walk_minutes=0))


def _break_hold():
    plan = build(TENDON, shipped_catalogue())
    i = _week_with(plan, lambda w: w.hold)
    w = plan.weeks[i]
    p = w.prescriptions[0]
    return _set_week(plan, i, replace(w, prescriptions=(replace(p, sets=p.sets + 1),) + w.prescriptions[1:]))


def _break_stage():
    plan = build(_req(diagnosis="proximal-tendinopathy", days_since_onset=200), shipped_catalogue())
    later = build(_req(diagnosis="proximal-tendinopathy", stage="slow-strength"), shipped_catalogue())
    return replace(later, request=plan.request)


def _break_exposure():
    plan = build(_req(diagnosis="prevention"), shipped_catalogue())
    return _set_prescription(plan, 0, "nordic-curl", sets=3, reps=(12, 10, 8), days=(0, 2, 4), days_per_week=3)


def _break_extra_weeks():
    plan = build(_req(diagnosis="hamstring-strain", grade=2, weeks=20), shipped_catalogue())
    first = plan.phases[0]
    return replace(plan, phases=(replace(first, weeks=(1, 2, 3)),) + plan.phases[1:])


def _break_pain_limits():
    plan = _strain()
    ph = plan.phases[0]
    return replace(plan, phases=(replace(ph, pain_rules=ph.pain_rules.model_copy(update={"during_max": 7})),) + plan.phases[1:])


def _break_pain_week_two():
    plan = build(_req(diagnosis="proximal-tendinopathy", pain=5, runner_km_per_week=30), shipped_catalogue())
    w = plan.weeks[1]
    p = w.prescriptions[0]
    return _set_week(plan, 1, replace(w, prescriptions=(replace(p, sets=p.sets + 1),) + w.prescriptions[1:]))


def _break_core():
    plan = build(_req(diagnosis="sciatic-referral", equipment=("none",)), shipped_catalogue())
    w = plan.weeks[0]
    return _set_week(plan, 0, replace(w, prescriptions=tuple(p for p in w.prescriptions if "slider" not in p.exercise)))


def _break_weak_glute():
    plan = _strain()
    i = _week_with(plan, lambda w: any(p.exercise == "leg-swings" for p in w.prescriptions))
    return _set_prescription(plan, i, "leg-swings", extra_set_side="right")


def _break_limits():
    plan = _strain()
    p = plan.weeks[0].prescriptions[0]
    return _set_prescription(plan, 0, p.exercise, sets=99)


def _break_kit_words():
    """A runner with no bike handed the phase's words that suggest cycling."""
    plan = build(_req(diagnosis="hamstring-strain", grade=2, equipment=("none",)), shipped_catalogue())
    protocol = shipped_catalogue().protocol(plan.diagnosis)
    i = next(n for n, ph in enumerate(plan.phases) if protocol.phase(ph.id).running.effort_without)
    ph = plan.phases[i]
    return replace(plan, phases=plan.phases[:i] + (replace(ph, running=protocol.phase(ph.id).running),) + plan.phases[i + 1:])


def _break_side_order():
    """A note that has the runner start with the sore leg, against the week page's uninjured side first."""
    plan = build(_req(diagnosis="proximal-tendinopathy", side="right"), shipped_catalogue())
    w = plan.weeks[0]
    p = replace(w.prescriptions[0], notes=w.prescriptions[0].notes + ("Work both legs, starting with the sore one.",))
    return replace(plan, weeks=(replace(w, prescriptions=(p, *w.prescriptions[1:])), *plan.weeks[1:]))


def _break_signs():
    """A caution that says a warning sign again, with another urgency than the list's."""
    plan = build(_req(diagnosis="sciatic-referral", side="left"), shipped_catalogue())
    return replace(plan, cautions=(*plan.cautions, "Get same-day help for numbness in the saddle area."))


def _break_pain_limit():
    """A card that stops at its own pain score, where the strain's week page stops at another."""
    plan = build(_req(diagnosis="hamstring-strain", grade=2), shipped_catalogue())
    ex = plan.exercises[0].model_copy(update={"caution": "Stop if pain reaches 5 out of 10."})
    return replace(plan, exercises=(ex, *plan.exercises[1:]))


def _break_stop_level():
    """A running note that stops at 5/10 where the nerve plan's week page stops at 4/10."""
    plan = build(_req(diagnosis="sciatic-referral"), shipped_catalogue())
    ph = plan.phases[0]
    running = ph.running.model_copy(update={"notes": (*ph.running.notes, "Stop and walk if the pain reaches 5/10.")})
    return replace(plan, phases=(replace(ph, running=running), *plan.phases[1:]))


def _break_card_steps():
    """The walking card of a strain plan suggesting walk-jog intervals, which the first 72 hours do not allow."""
    plan = build(_req(diagnosis="hamstring-strain", grade=2), shipped_catalogue())
    steps = tuple((i, e, ("Walk-jog intervals",) if i == "walking" else h) for i, e, h in plan.card_steps)
    return replace(plan, card_steps=steps)


def _break_running_checkpoint():
    """The strain's old checkpoint: two easy continuous runs, at the end of a phase whose runs are still walk-jog."""
    plan = _strain()
    i = next(n for n, ph in enumerate(plan.phases) if ph.id == "return-to-running")
    ph = plan.phases[i]
    asks = ph.exit_criteria[0].model_copy(update={"text": "Your last two easy continuous runs were pain-free."})
    return replace(plan, phases=(*plan.phases[:i], replace(ph, exit_criteria=(asks, *ph.exit_criteria[1:])), *plan.phases[i + 1:]))


def test_a_shortened_plans_last_box_out_of_reach_sends_the_runner_to_the_clinician_in_its_last_week():
    """R4.6's exception: a 10-week distal tendon plan ends one week into the lengthening phase, whose box asks for
    3 sets of 6-8 Nordic curls while that week gives the first Petersen week's 2 x 5. Its note used to say "ask for
    the next weeks once you pass its last checkpoint", which a runner repeating that week would never do."""
    catalogue = shipped_catalogue()
    plan = build(_req(diagnosis="distal-tendinopathy", weeks=10, runner_km_per_week=30), catalogue)
    last = plan.weeks[-1]
    assert last.checkpoint and any(p.sets < 3 for p in last.prescriptions if "nordic" in p.exercise)
    note = catalogue.wording.planner_notes.shorter
    assert note in plan.notes and "in its last week" in note and "whether or not every box" in note


def test_checkpoints_ask_only_for_running_the_plan_gives_also_catches_a_share_out_of_reach():
    """Its second half: a tendon plan for 60 km a week on 3 days asked for runs at about 70% of the usual volume at
    the end of a phase whose running reached a third of it."""
    plan = build(_req(diagnosis="proximal-tendinopathy", runner_km_per_week=60, weeks=12), shipped_catalogue())
    ph = plan.phases[1]
    asks = ph.exit_criteria[0].model_copy(update={"text": "Easy, flat runs at about 70% of your usual volume keep to the pain rules."})
    broken = replace(plan, phases=(plan.phases[0], replace(ph, exit_criteria=(asks, *ph.exit_criteria[1:])), *plan.phases[2:]))
    CHECKERS["checkpoints_ask_only_for_running_the_plan_gives"](plan, shipped_catalogue())
    with pytest.raises(AssertionError, match="70% of your usual volume"):
        CHECKERS["checkpoints_ask_only_for_running_the_plan_gives"](broken, shipped_catalogue())


def _break_non_runner_box():
    """A non-runner's 'Back to running' asks for running at more than 70% of full speed again."""
    plan = build(_req(diagnosis="hamstring-strain", grade=2, runner_km_per_week=0.0), shipped_catalogue())
    i = next(k for k, ph in enumerate(plan.phases) if ph.id == "return-to-running")
    ph = plan.phases[i]
    asks = ph.exit_criteria[0].model_copy(update={"text": "Running at more than 70% of your full speed is pain-free."})
    return replace(plan, phases=(*plan.phases[:i], replace(ph, exit_criteria=(asks, *ph.exit_criteria[1:])), *plan.phases[i + 1:]))


def _break_checkpoint_dose():
    """A tendon plan whose single-leg bridges stay at 2 sets through the phase whose box asks for 3 sets of 10-12."""
    plan = build(_req(diagnosis="proximal-tendinopathy", weeks=16, runner_km_per_week=30), shipped_catalogue())
    phase = next(ph for ph in plan.phases if ph.id == "slow-strength")
    for i, w in enumerate(plan.weeks):
        if w.phase == phase.id:
            plan = _set_prescription(plan, i, "single-leg-bridge", sets=2)
    return plan


def _break_note_tied_to_runs():
    """The strain's old note on its daily power position hold: "Before every run", on days without a run too."""
    plan = _strain()
    i = _week_with(plan, lambda w: w.running and any(p.exercise == "power-position-hold" and len(p.days) == 7 for p in w.prescriptions))
    return _set_prescription(plan, i, "power-position-hold", notes=("Before every run, after the leg swings.",))


def _break_stand_in_note():
    """A runner with no anchor or partner: the short-range Nordic curl stands in, and loses 'Start only once the
    Diver is pain-free', the words the protocol gives any stand-in."""
    plan = build(_req(diagnosis="hamstring-strain", grade=2, weeks=10, equipment=["none"]), shipped_catalogue())
    i = _week_with(plan, lambda w: any(p.exercise == "nordic-curl-bed-assisted" for p in w.prescriptions))
    return _set_prescription(plan, i, "nordic-curl-bed-assisted", notes=())


def _break_note_naming_a_left_out_exercise():
    """The clinician left out the leg swings; the high knees still say 'after the leg swings'."""
    plan = build(_req(diagnosis="prevention", without=("leg-swings",)), shipped_catalogue())
    i = _week_with(plan, lambda w: any(p.exercise == "high-knees" for p in w.prescriptions))
    return _set_prescription(plan, i, "high-knees", notes=("Before each run, after the leg swings.",))


def _break_left_out_returns():
    """The clinician left out the full Nordic curl; a week steps the assisted one up to it anyway."""
    plan = build(_req(diagnosis="distal-tendinopathy", weeks=16, without=("nordic-curl",)), shipped_catalogue())
    i = _week_with(plan, lambda w: any(p.exercise == "nordic-curl-assisted" for p in w.prescriptions))
    return _set_prescription(plan, i, "nordic-curl-assisted", exercise="nordic-curl")


def _break_two_rows():
    """A progression steps up to a harder form the week already gives: two rows of the skipping drill."""
    plan = build(_req(diagnosis="prevention"), shipped_catalogue())
    i = _week_with(plan, lambda w: {"marching-drill", "skipping-drill"} <= {p.exercise for p in w.prescriptions})
    return _set_prescription(plan, i, "marching-drill", exercise="skipping-drill")


BREAKERS = {
    "warm_ups_only_on_run_days": _break_warm_ups,
    "a_note_tied_to_runs_fits_the_days": _break_note_tied_to_runs,
    "checkpoints_ask_only_for_running_the_plan_gives": _break_running_checkpoint,
    "a_non_runner_is_never_asked_about_runs": _break_non_runner_box,
    "checkpoint_doses_are_reached_in_their_phase": _break_checkpoint_dose,
    "strides_only_after_an_easy_run": _break_strides,
    "heavy_work_48_hours_before_fast_running": _break_heavy_before_fast,
    "heavy_work_never_two_days_running": _break_heavy_consecutive,
    "tendon_isotonic_loading_three_days_with_rest_between": _break_tendon,
    "strength_days_never_consecutive": _break_strength_days,
    "one_running_form_a_day": _break_two_forms,
    "every_view_reads_the_same_days": _break_days_view,
    "weekly_running_rises_at_most_10_percent": _break_weekly_rise,
    "no_run_10_percent_longer_than_the_longest": _break_longest,
    "running_sessions_are_honest": _break_honest,
    "one_change_at_a_time": _break_one_change,
    "extras_only_in_the_last_phase": _break_extras_phase,
    "running_scales_within_phase_limits": _break_scale,
    "a_non_runner_walks": _break_non_runner,
    "hold_weeks_repeat_the_last_week_exactly": _break_hold,
    "stage_from_the_clinical_picture": _break_stage,
    "first_nordic_exposure_follows_petersen": _break_exposure,
    "extra_weeks_go_to_later_phases": _break_extra_weeks,
    "phase_pain_limits_inside_the_traffic_light": _break_pain_limits,
    "pain_at_first_phase_threshold_holds_week_two": _break_pain_week_two,
    "core_exercises_never_dropped_quietly": _break_core,
    "a_protocol_note_goes_with_its_own_exercise": _break_stand_in_note,
    "a_note_names_only_exercises_in_its_week": _break_note_naming_a_left_out_exercise,
    "a_left_out_exercise_never_returns": _break_left_out_returns,
    "one_row_an_exercise_a_week": _break_two_rows,
    "weak_glute_extra_only_on_glute_work": _break_weak_glute,
    "exercises_allowed_available_and_inside_limits": _break_limits,
    "words_fit_the_kit": _break_kit_words,
    "one_order_of_sides": _break_side_order,
    "warning_signs_said_once": _break_signs,
    "one_pain_limit_a_week": _break_pain_limit,
    "cards_suggest_only_what_fits": _break_card_steps,
}


def test_every_checker_has_a_breaker():
    assert set(BREAKERS) == set(CHECKERS)


def test_one_pain_limit_a_week_also_catches_a_phase_that_stops_elsewhere(catalogue):
    """Its second half: the nerve plan's running notes stopped at 5/10 where its week pages stop at 4/10."""
    with pytest.raises(AssertionError, match="reaches 5/10"):
        CHECKERS["one_pain_limit_a_week"](_break_stop_level(), catalogue)


def test_a_tendons_moving_loading_counts_the_chair_bridge(catalogue):
    """Rule 1.5's second half: the distal plan gave the chair bridge (filed as activation, it lifts the hips on the
    hamstrings near the knee) every day, beside three days of other strength work for the same tendon."""
    plan = build(_req(diagnosis="distal-tendinopathy", weeks=10, runner_km_per_week=30, equipment=["chair"]), shipped_catalogue())
    i = _week_with(plan, lambda w: any(p.exercise == "chair-bridge" for p in w.prescriptions))
    assert len(next(p for p in plan.weeks[i].prescriptions if p.exercise == "chair-bridge").days) == 3
    with pytest.raises(AssertionError):
        CHECKERS["tendon_isotonic_loading_three_days_with_rest_between"](
            _set_prescription(plan, i, "chair-bridge", days=tuple(range(7)), days_per_week=7), catalogue)


@pytest.mark.parametrize("name", sorted(BREAKERS))
def test_each_checker_catches_a_broken_plan(name, catalogue):
    """The checker passes on the real plan and fails once its rule is broken: none can pass by accident."""
    broken = BREAKERS[name]()
    with pytest.raises(AssertionError):
        CHECKERS[name](broken, catalogue)
