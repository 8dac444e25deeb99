"""The planner's rules as checkers: each takes a plan and raises AssertionError when its rule is broken.

Shared by the property tests (tests/test_planner_rules.py), which run each checker over the
whole request space, and by tests that break a plan on purpose to prove each checker can fail.
docs/clinical-rules.md lists every rule with its number, source and checker.
"""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable

from hamrehab.catalogue import Catalogue
from hamrehab.catalogue.painlimits import stop_levels
from hamrehab.catalogue.plainwords import pain_score, texts_of
from hamrehab.catalogue.signs import Signs
from hamrehab.model import URGENCIES
from hamrehab.names import named_in
from hamrehab.plan import Plan, Week
from hamrehab.running import weekly_base
from hamrehab.timeline import earliest_day, typical_weeks

RUN_FORMS = ("walk-jog", "continuous", "strides")
FAST = ("strides", "speed")
GLUTES = {"glutes", "glute-max", "glute-med"}
HAMSTRINGS = {"hamstrings", "biceps-femoris", "semitendinosus", "semimembranosus"}

Checker = Callable[[Plan, Catalogue], None]
CHECKERS: dict[str, Checker] = {}


def rule(func: Checker) -> Checker:
    CHECKERS[func.__name__] = func
    return func


def absolute(week: Week, day: int) -> int:
    return 7 * (week.number - 1) + day


def _ex(catalogue: Catalogue, ex_id: str):
    return catalogue.exercises[ex_id]


# ------------------------------------------------------------------ 1. the week as the unit
@rule
def warm_ups_only_on_run_days(plan: Plan, catalogue: Catalogue) -> None:
    """R1.1 Warm-up drills belong to a run: on its days only; a cool-down likewise."""
    for w in plan.weeks:
        run_days = tuple(sorted(r.day for r in w.running))
        for p in w.prescriptions:
            if _ex(catalogue, p.exercise).run_role in ("warm-up", "cool-down"):
                assert run_days and p.days == run_days, (w.number, p.exercise, p.days, run_days)
        for d in w.days:
            ids = d.ids
            for i, ex_id in enumerate(ids):
                role = _ex(catalogue, ex_id).run_role
                if role == "warm-up" and d.run is not None:
                    assert i < ids.index(d.run.exercise), (w.number, d.offset, ids)


BEFORE_A_RUN = re.compile(r"\b(?:before|after) (?:every|each|a|the|your)? ?runs?\b", re.IGNORECASE)
OTHER_DAYS_TOO = re.compile(r"\b(?:every day|once a day|daily|as well|also|on a run day|on run days|for example)\b", re.IGNORECASE)


@rule
def a_note_tied_to_runs_fits_the_days(plan: Plan, catalogue: Catalogue) -> None:
    """R1.9 A note that ties an exercise to the runs ("before every run") is on an exercise done on run days only,
    unless it says the exercise is done on other days too ("every day; on a run day, just before it")."""
    for w in plan.weeks:
        run_days = {r.day for r in w.running}
        for p in w.prescriptions:
            for note in p.notes:
                if BEFORE_A_RUN.search(note) and not OTHER_DAYS_TOO.search(note):
                    assert set(p.days) <= run_days, (w.number, p.exercise, p.days, sorted(run_days), note)


@rule
def strides_only_after_an_easy_run(plan: Plan, catalogue: Catalogue) -> None:
    """R1.2 Strides and faster running only as extras of an easy continuous run, on that run's day."""
    for w in plan.weeks:
        for r in w.running:
            if set(r.extras) & set(FAST):
                assert r.kind == "continuous", (w.number, r)
        for d in w.days:
            for ex_id in d.ids:
                if _ex(catalogue, ex_id).run_role == "strides":
                    assert d.run is not None and d.run.kind == "continuous" and "strides" in d.run.extras, (w.number, d)


@rule
def heavy_work_48_hours_before_fast_running(plan: Plan, catalogue: Catalogue) -> None:
    """R1.3 Heavy hamstring work (Nordics, deadlifts) never on a fast-running day or the day before."""
    gap = math.ceil(catalogue.rules.week.heavy_hours_before_speed / 24)
    heavy = {absolute(w, d) for w in plan.weeks for p in w.prescriptions if _ex(catalogue, p.exercise).heavy for d in p.days}
    fast = {absolute(w, r.day) for w in plan.weeks for r in w.running if set(r.extras) & set(FAST)}
    for q in fast:
        assert not any(0 <= q - h < gap for h in heavy), (q, sorted(heavy))


@rule
def heavy_work_never_two_days_running(plan: Plan, catalogue: Catalogue) -> None:
    """R1.4 Heavy hamstring work at most `isotonic_max_days` a week, never on consecutive days."""
    days = sorted({absolute(w, d) for w in plan.weeks for p in w.prescriptions if _ex(catalogue, p.exercise).heavy for d in p.days})
    assert all(b - a > 1 for a, b in itertools.pairwise(days)), days
    for w in plan.weeks:
        week_days = {d for p in w.prescriptions if _ex(catalogue, p.exercise).heavy for d in p.days}
        assert len(week_days) <= catalogue.rules.week.isotonic_max_days, (w.number, week_days)


@rule
def tendon_isotonic_loading_three_days_with_rest_between(plan: Plan, catalogue: Catalogue) -> None:
    """R1.5 A tendon's moving loading: at most 3 days a week, a day between, whatever stands in; a bridge filed as
    activation that lifts the hips on the hamstrings counts too."""
    if not catalogue.protocol(plan.diagnosis).tendon:
        return
    days = set()
    for w in plan.weeks:
        week_days = {d for p in w.prescriptions if p.category in ("eccentric", "concentric")
                     or (p.category == "activation" and "hamstrings" in _ex(catalogue, p.exercise).targets) for d in p.days}
        assert len(week_days) <= catalogue.rules.week.isotonic_max_days, (w.number, week_days)
        days |= {absolute(w, d) for d in week_days}
    ordered = sorted(days)
    assert all(b - a > 1 for a, b in itertools.pairwise(ordered)), ordered


@rule
def strength_days_never_consecutive(plan: Plan, catalogue: Catalogue) -> None:
    """R1.6 Strength work dosed less than daily never falls on two days running (across weeks too)."""
    for w in plan.weeks:
        for p in w.prescriptions:
            if p.session == "strength" and p.days_per_week < 7:
                assert all(b - a > 1 for a, b in zip(p.days, p.days[1:])), (w.number, p.exercise, p.days)
    days = sorted({absolute(w, d) for w in plan.weeks for p in w.prescriptions
                   if p.session == "strength" and p.days_per_week < 7 for d in p.days})
    assert all(b - a > 1 for a, b in itertools.pairwise(days)), days


@rule
def one_running_form_a_day(plan: Plan, catalogue: Catalogue) -> None:
    """R1.7 One run a day; running forms live in the running row, never as exercise rows."""
    for w in plan.weeks:
        assert not [p.exercise for p in w.prescriptions if _ex(catalogue, p.exercise).run_role in RUN_FORMS], w.number
        days = [r.day for r in w.running]
        assert len(days) == len(set(days)), (w.number, days)
        walk = catalogue.rules.running.walk_exercise
        if any(r.kind == "walk" for r in w.running):
            for p in w.prescriptions:
                if p.exercise == walk:
                    assert not set(p.days) & set(days), (w.number, p.days, days)


@rule
def every_view_reads_the_same_days(plan: Plan, catalogue: Catalogue) -> None:
    """R1.8 The day-by-day view is exactly the prescriptions' days plus each day's run."""
    for w in plan.weeks:
        assert len(w.days) == 7
        for d in w.days:
            expected = {p.exercise for p in w.prescriptions if d.offset in p.days}
            run = next((r for r in w.running if r.day == d.offset), None)
            if run is not None:
                expected.add(run.exercise)
                if "strides" in run.extras:
                    expected |= {i for i in d.ids if _ex(catalogue, i).run_role == "strides"}
                    assert any(_ex(catalogue, i).run_role == "strides" for i in d.ids), (w.number, d)
            assert set(d.ids) == expected and len(d.ids) == len(set(d.ids)), (w.number, d.offset, d.ids, expected)
            assert d.run == run
        for p in w.prescriptions:
            assert p.days_per_week == len(p.days) and p.days == tuple(sorted(set(p.days))), (w.number, p.exercise)


# ------------------------------------------------------------------ 2. running, modelled honestly
@rule
def weekly_running_rises_at_most_10_percent(plan: Plan, catalogue: Catalogue) -> None:
    """R2.1 Weekly jog minutes rise by at most 10% (walk breaks never count as running)."""
    rise = catalogue.rules.running.weekly_rise
    for prev, cur in zip(plan.weeks, plan.weeks[1:]):
        if prev.jog_minutes > 0:
            assert cur.jog_minutes <= math.floor(prev.jog_minutes * (1 + rise)), (cur.number, prev.jog_minutes, cur.jog_minutes)


@rule
def no_run_10_percent_longer_than_the_longest(plan: Plan, catalogue: Catalogue) -> None:
    """R2.2 No run's jog minutes more than 10% above the longest run so far."""
    rise = catalogue.rules.running.longest_rise
    longest = 0
    for w in plan.weeks:
        for r in w.running:
            if longest:
                assert r.jog_minutes <= math.floor(longest * (1 + rise)), (w.number, longest, r.jog_minutes)
        longest = max([longest] + [r.jog_minutes for r in w.running])


@rule
def running_sessions_are_honest(plan: Plan, catalogue: Catalogue) -> None:
    """R2.3 Jog and walk minutes kept apart: walk-jog has both, continuous no walking, walks no jogging."""
    for w in plan.weeks:
        for r in w.running:
            assert r.minutes == r.jog_minutes + r.walk_minutes
            if r.kind == "walk":
                assert r.jog_minutes == 0 and r.walk_minutes > 0 and not r.extras
            elif r.kind == "continuous":
                assert r.walk_minutes == 0 and r.jog_minutes > 0
            else:
                assert r.kind == "walk-jog" and r.jog_minutes > 0 and not r.extras
                assert f"jogged {r.jog_minutes} min" in r.pattern and f"({r.minutes} min in all)" in r.pattern


def _changes(prev: Week, cur: Week) -> set[str]:
    out = set()
    if cur.jog_minutes > prev.jog_minutes:
        out.add("volume")
    before = {e for r in prev.running for e in r.extras}
    out |= {e for r in cur.running for e in r.extras} - before
    if any(r.kind == "continuous" for r in cur.running) and prev.running and all(r.kind == "walk-jog" for r in prev.running):
        out.add("continuous")
    return out


@rule
def one_change_at_a_time(plan: Plan, catalogue: Catalogue) -> None:
    """R2.4 Volume, strides, hills, speed and the switch to continuous running: one a week, and nothing
    else in the first continuous week."""
    for prev, cur in zip(plan.weeks, plan.weeks[1:]):
        if prev.running and cur.running:
            changes = _changes(prev, cur)
            assert len(changes) <= 1, (cur.number, changes)


@rule
def extras_only_in_the_last_phase(plan: Plan, catalogue: Catalogue) -> None:
    """R2.5 Strides, hills and speed only in the protocol's last phase, and only where it allows them."""
    protocol = catalogue.protocol(plan.diagnosis)
    for w in plan.weeks:
        for r in w.running:
            if r.extras:
                phase = protocol.phase(w.phase)
                assert phase is protocol.phases[-1], (w.number, r.extras)
                assert ("hills" not in r.extras or phase.running.hills) and (not set(r.extras) & set(FAST) or phase.running.speed)


@rule
def running_scales_within_phase_limits(plan: Plan, catalogue: Catalogue) -> None:
    """R2.6 More usual running means more runs, never longer ones: each run within the phase's longest,
    runs within the runner's days, a week within the phase's share of usual running."""
    rules = catalogue.rules.running
    request = plan.request
    base = rules.assumed_weekly_minutes if request.runner_km_per_week is None else round(request.runner_km_per_week * rules.pace_min_per_km)
    phases = {p.id: p for p in plan.phases}
    for w in plan.weeks:
        ph = phases[w.phase]
        most = rules.max_walk_jog_runs if any(r.kind in ("walk-jog", "walk") for r in w.running) else rules.max_runs
        assert len(w.running) <= min(request.days_per_week, most), (w.number, len(w.running))
        limit = ph.running.max_run_minutes or rules.max_run_minutes.get(ph.tag, 30)
        for r in w.running:
            assert r.jog_minutes <= limit, (w.number, r.jog_minutes, limit)
        if base > 0:
            share = ph.running.volume_share or 1.0
            assert w.jog_minutes <= max(rules.min_run_minutes, math.floor(share * base)), (w.number, w.jog_minutes)


@rule
def a_non_runner_walks(plan: Plan, catalogue: Catalogue) -> None:
    """R2.7 Someone who does not run (0 km a week) gets brisk walks, never runs (none at all once the clinician leaves
    walking out: R6.7), told how brisk, never the phase's running pace."""
    if plan.request.runner_km_per_week == 0:
        for w in plan.weeks:
            assert all(r.kind == "walk" and r.jog_minutes == 0 for r in w.running), w.number
            assert all(r.effort == catalogue.wording.running.walk_effort for r in w.running), w.number


RUN_WORDS = re.compile(r"\b(?:run|runs|running|jog|jogging|sprint|sprinting|strides)\b(?! down)", re.IGNORECASE)  # not "running down the leg"


@rule
def a_non_runner_is_never_asked_about_runs(plan: Plan, catalogue: Catalogue) -> None:
    """R2.10 Someone who does not run is never asked about runs at a checkpoint (they could never tick the box, and an
    empty box means repeating the week): each box about runs, jogs, sprints or strides asks about the brisk walks."""
    if plan.request.runner_km_per_week == 0:
        for ph in plan.phases:
            for criterion in ph.exit_criteria:
                assert not RUN_WORDS.search(criterion.text), (ph.id, criterion.text)


SHARE = re.compile(r"\b(?:about (\d+)%|(four-fifths)|(three-quarters)|(half)) of your usual (?:volume|week|weekly)", re.IGNORECASE)


@rule
def checkpoints_ask_only_for_running_the_plan_gives(plan: Plan, catalogue: Catalogue) -> None:
    """R2.9 A checkpoint never asks for running its phase has not given by its last week: continuous runs while the
    runs are still walk-jog, or a share of the usual week above the running of that week. A runner could never
    tick it, and repeating the week (as the handout says) would not get there either."""
    base = weekly_base(plan.request, catalogue.rules.running)
    for ph in plan.phases:
        last = [w for w in plan.weeks if w.phase == ph.id][-1]
        for criterion in ph.exit_criteria:
            if re.search(r"\bcontinuous runs?\b", criterion.text, re.IGNORECASE):
                assert last.running_state.kind == "continuous", (ph.id, last.number, last.running_state.kind, criterion.text)
            share = SHARE.search(criterion.text)
            if share is not None and base:
                wanted = int(share[1]) / 100 if share[1] else {2: 0.8, 3: 0.75, 4: 0.5}[next(i for i in (2, 3, 4) if share[i])]
                assert last.jog_minutes >= 0.9 * wanted * base, (ph.id, last.number, last.jog_minutes, base, criterion.text)


SETS_OF = re.compile(r"\b(\d+) (?:slow )?sets of (\d+)(?:-\d+)? ", re.IGNORECASE)


@rule
def checkpoint_doses_are_reached_in_their_phase(plan: Plan, catalogue: Catalogue) -> None:
    """R4.6 A checkpoint box asking for "N sets of M" of an exercise it names asks no more than the plan gives of one of
    them in that phase: repeating the checkpoint week (as the handout says until every box is ticked) never gets
    further. A shortened plan's last phase is the exception: its last week sends the runner to the clinician; and so
    is a follow-up that repeats a phase or goes back to its starting doses, which holds the doses on purpose, and an
    exercise the clinician dosed, added or swapped in: their own dose is theirs to judge against the box."""
    if plan.block in ("repeat", "lower"):
        return
    shorter = catalogue.wording.planner_notes.shorter in plan.notes
    for n, ph in enumerate(plan.phases):
        if shorter and n == len(plan.phases) - 1:
            continue
        given = [p for w in plan.weeks if w.phase == ph.id for p in w.prescriptions]
        for criterion in ph.exit_criteria:
            for m in SETS_OF.finditer(criterion.text):
                rest = criterion.text[m.end():]
                ids = {ex.id for ex, _ in named_in(rest, [catalogue.exercises[i] for i in dict.fromkeys(p.exercise for p in given)])}
                named = [p for p in given if p.exercise in ids]
                if any(p.clinician for p in named):
                    continue
                reps = [p.reps_max or (max(p.reps) if isinstance(p.reps, tuple) else p.reps) or 0 for p in named]
                assert not named or any(p.sets >= int(m[1]) and r >= int(m[2]) for p, r in zip(named, reps, strict=True)), (
                    ph.id, criterion.text, sorted({(p.exercise, p.sets, r) for p, r in zip(named, reps, strict=True)}))


# ------------------------------------------------------------------ 3. hold weeks that hold
@rule
def hold_weeks_repeat_the_last_week_exactly(plan: Plan, catalogue: Catalogue) -> None:
    """R3.1 A hold week repeats the week before exactly, inside the same phase, never opening it,
    never inside a fixed-length published table."""
    protocol = catalogue.protocol(plan.diagnosis)
    for prev, cur in zip(plan.weeks, plan.weeks[1:]):
        if cur.hold:
            assert prev.phase == cur.phase, cur.number
            assert (cur.prescriptions, cur.running, cur.days) == (prev.prescriptions, prev.running, prev.days), cur.number
            if cur.number == 2 and plan.request.pain >= catalogue.rules.pain.first_phase_at:
                continue  # R5.2: with pain at 5/10 the second week repeats the first, even in a published table
            if plan.block in ("repeat", "lower"):
                continue  # a follow-up whose checkpoint is not passed repeats its first week until it is
            phase = protocol.phase(cur.phase)
            k = cur.number - next(p.weeks[0] for p in plan.phases if p.id == cur.phase)
            lo, hi = phase.week_range(plan.grade)
            assert not (lo == hi and k < hi), (cur.number, "inside a fixed-length phase")
            changed = set(plan.request.without) | {c.split("=")[0] for c in plan.request.swap}  # (a table left out is not in force)
            assert all(k + 1 > max((s.week for s in px.schedule), default=0) for px in phase.exercises if px.exercise not in changed), cur.number
    assert not (plan.weeks and plan.weeks[0].hold)


# ------------------------------------------------------------------ 4. stages by criteria
@rule
def stage_from_the_clinical_picture(plan: Plan, catalogue: Catalogue) -> None:
    """R4.1 Without a named stage, a plan starts at the first phase, past only phases bound to the
    clock whose time is over; pain at first_phase_at or more always starts at the first phase."""
    protocol = catalogue.protocol(plan.diagnosis)
    request = plan.request
    ids = [p.id for p in protocol.phases]
    first = ids.index(plan.weeks[0].phase)
    if request.follow_up is not None:  # a follow-up: the last plan's phase, or the next once its checkpoint is passed
        follow = request.follow_up
        reached = ids.index(follow.phase)
        onward = plan.block == "continue" and follow.checkpoint == "passed"
        assert first == (min(reached + 1, len(ids) - 1) if onward else reached), (first, reached, plan.block)
        assert plan.block == "continue" or follow.checkpoint == "not-yet" or request.pain > 0
        if plan.block == "continue" and follow.checkpoint == "not-yet":  # carried on: that plan ended the phase early
            assert follow.previous_block not in ("repeat", "lower"), follow.previous_block
            assert follow.phase_weeks < protocol.phase(follow.phase).week_range(plan.grade)[0], follow.phase_weeks
    elif request.pain >= catalogue.rules.pain.first_phase_at:
        assert first == 0
    elif request.stage is None:
        for p in protocol.phases[:first]:
            assert p.skip_after_days is not None, (p.id, "skipped by the calendar")
        if first:
            assert request.days_since_onset is not None and request.days_since_onset >= earliest_day(protocol, first, plan.grade)
        if protocol.stage_by == "symptoms":
            assert first == 0
    else:
        assert protocol.phases[first].id == request.stage
        if first and protocol.stage_by == "time" and not request.clinician_cleared:
            assert request.days_since_onset is not None and request.days_since_onset >= earliest_day(protocol, first, plan.grade)


@rule
def first_nordic_exposure_follows_petersen(plan: Plan, catalogue: Catalogue) -> None:
    """R4.2 The first weeks a runner ever does a Nordic follow Petersen weeks 1-2, whatever the phase
    (a follow-up counts the weeks of the plans before it)."""
    seen: dict[str, int] = dict(plan.request.follow_up.exposure) if plan.request.follow_up else {}
    for w in plan.weeks:
        for p in w.prescriptions:
            ex = _ex(catalogue, p.exercise)
            n = seen.get(p.exercise, 0)
            if n < len(ex.first_exposure):
                entry = max((s for s in ex.first_exposure if s.week <= n + 1), key=lambda s: s.week)
                reps = sum(p.reps) if isinstance(p.reps, tuple) else (p.reps or 1)
                allowed = (entry.sets or p.sets) * (entry.reps if isinstance(entry.reps, int) else sum(entry.reps or (1,))) * (entry.days_per_week or 7)
                assert p.sets * reps * p.days_per_week <= allowed, (w.number, p.exercise, p.sets, p.reps, p.days_per_week)
            seen[p.exercise] = n + 1


@rule
def extra_weeks_go_to_later_phases(plan: Plan, catalogue: Catalogue) -> None:
    """R4.3 --weeks beyond the protocol never lengthens the first phase."""
    protocol = catalogue.protocol(plan.diagnosis)
    first = plan.phases[0]
    phase = protocol.phase(first.id)
    if len(plan.phases) > 1:
        assert len(first.weeks) <= max(typical_weeks(phase, plan.grade), 1), (first.id, len(first.weeks))


# ------------------------------------------------------------------ 5. one set of pain rules
@rule
def phase_pain_limits_inside_the_traffic_light(plan: Plan, catalogue: Catalogue) -> None:
    """R5.1 Every phase's pain limit lies inside the one traffic light (never into red)."""
    for ph in plan.phases:
        assert ph.pain_rules.during_max <= plan.pain.amber_max < plan.pain.refer_at
    assert plan.pain == catalogue.rules.pain


@rule
def pain_at_first_phase_threshold_holds_week_two(plan: Plan, catalogue: Catalogue) -> None:
    """R5.2 Pain now at first_phase_at (below refer_at): first phase, and week 2 adds nothing to week 1."""
    if plan.request.pain >= catalogue.rules.pain.first_phase_at and len(plan.weeks) > 1:
        w1, w2 = plan.weeks[0], plan.weeks[1]
        if w1.phase == w2.phase:
            assert [(p.exercise, p.sets, p.reps, p.hold_s, p.duration_s, p.days) for p in w1.prescriptions] == \
                   [(p.exercise, p.sets, p.reps, p.hold_s, p.duration_s, p.days) for p in w2.prescriptions]
            assert w2.jog_minutes <= w1.jog_minutes


# ------------------------------------------------------------------ 6. core treatment survives any kit
@rule
def core_exercises_never_dropped_quietly(plan: Plan, catalogue: Catalogue) -> None:
    """R6.1 Each core exercise of a phase is in each of its weeks (itself, a stand-in or a harder form),
    or the plan's cover says it is missing."""
    protocol = catalogue.protocol(plan.diagnosis)
    for w in plan.weeks:
        phase = protocol.phase(w.phase)
        ids = {p.exercise for p in w.prescriptions} | {r.exercise for r in w.running}
        for px in phase.exercises:
            changed = set(plan.request.without) | {c.split("=")[0] for c in plan.request.swap}
            if not px.core or (px.grades and plan.grade not in px.grades) or px.exercise in changed:
                continue  # (one the clinician left out or swapped is listed as such on the cover, not dropped quietly)
            ex = _ex(catalogue, px.exercise)
            family = {ex.id, *ex.substitutes, *ex.easier, *ex.harder}
            for other in list(family):
                if other in catalogue.exercises:
                    family |= set(catalogue.exercises[other].harder)
            if not family & ids:
                assert any(ex.name in m for m in plan.missing_core), (w.number, px.exercise)


@rule
def a_protocol_note_goes_with_its_own_exercise(plan: Plan, catalogue: Catalogue) -> None:
    """R6.4 A protocol's note on an exercise is printed only on that exercise's row; an exercise standing in for it
    gets the protocol's words for any stand-in (`stand_in_note`), and always gets them."""
    protocol = catalogue.protocol(plan.diagnosis)
    have = set(plan.request.equipment) | {"none"}
    for w in plan.weeks:
        phase = protocol.phase(w.phase)
        listed = {px.exercise for px in phase.exercises}
        own: dict[str, set[str]] = {}  # a note's text -> the exercises it is the note of (two may share "Before each run.")
        for_stand_in: dict[str, set[str]] = {}
        for px in phase.exercises:
            for note in (px.note, *(w_.note for w_ in px.without)):  # the note, or its words for a week without another
                if note:
                    own.setdefault(note, set()).add(px.exercise)
            for note in (px.stand_in_note, *(w_.stand_in_note for w_ in px.without)):
                if note:
                    for_stand_in.setdefault(note, set()).add(px.exercise)
        for p in w.prescriptions:
            for note in p.notes:
                if note in own or note in for_stand_in:
                    assert p.exercise in own.get(note, ()) or for_stand_in.get(note, {p.exercise}) - {p.exercise}, (
                        w.number, p.exercise, "is not the exercise of", note)
        claimed: set[str] = set()
        changed = set(plan.request.without) | {c.split("=")[0] for c in plan.request.swap}
        for px in phase.exercises:
            ex = _ex(catalogue, px.exercise)
            if ex.needs <= have or (px.grades and plan.grade not in px.grades) or px.exercise in changed:
                continue  # (one the clinician left out or swapped away has nothing standing in for it)
            stand_in = next((i for i in ex.substitutes + ex.easier if i in catalogue.exercises
                             and _ex(catalogue, i).needs <= have and _ex(catalogue, i).category != "running"), None)
            if stand_in is None or stand_in in listed or stand_in in claimed or stand_in in plan.request.without:
                continue  # nothing stands in (or the clinician left it out), or the stand-in is in the phase at its own dose
                # (rule 6.3), or fills another's place
            claimed.add(stand_in)
            row = next((p for p in w.prescriptions if p.exercise in {stand_in, *_ex(catalogue, stand_in).harder}), None)
            if px.stand_in_note and row is not None and not row.clinician:
                words = {px.stand_in_note, *(w_.stand_in_note for w_ in px.without)}
                assert words & set(row.notes), (w.number, row.exercise, "stands in for", px.exercise, row.notes)


@rule
def a_note_names_only_exercises_in_its_week(plan: Plan, catalogue: Catalogue) -> None:
    """R6.6 A protocol's note never names another exercise of its phase that the week does not give: in a week without
    the leg swings (the clinician left them out) the high knees are done "before each run", not "after the leg swings"."""
    protocol = catalogue.protocol(plan.diagnosis)
    for w in plan.weeks:
        phase = protocol.phase(w.phase)
        texts = {t for px in phase.exercises for t in (px.note, px.stand_in_note, *(x for w_ in px.without for x in (w_.note, w_.stand_in_note))) if t}
        others = [ex for px in phase.exercises if (ex := _ex(catalogue, px.exercise)).category != "running"]
        given = {p.exercise for p in w.prescriptions}
        for p in w.prescriptions:
            for note in set(p.notes) & texts:
                for ex, said in named_in(note, [o for o in others if o.id != p.exercise]):
                    assert ex.id in given, (w.number, p.exercise, f"'{said.group(0)}'", "names", ex.id, "which the week does not give")


@rule
def a_left_out_exercise_never_returns(plan: Plan, catalogue: Catalogue) -> None:
    """R6.7 An exercise the clinician left out is in no week's exercises, not even as the harder form a progression
    steps up to (with the full Nordic curl left out, the assisted Nordic curl stays assisted), nor as the weak glute
    side's extra work, nor as the running row's card (walking left out takes a non-runner's brisk walks with it)."""
    for w in plan.weeks:
        back = set(plan.request.without) & ({p.exercise for p in w.prescriptions} | {r.exercise for r in w.running})
        assert not back, (w.number, sorted(back))


@rule
def one_row_an_exercise_a_week(plan: Plan, catalogue: Catalogue) -> None:
    """R6.7 A week gives each exercise on one row: a progression never steps up to a harder form the phase already gives
    at its own dose (the marching drill swapped in for a Nordic curl stays the marching drill beside the skipping drill)."""
    for w in plan.weeks:
        ids = [p.exercise for p in w.prescriptions]
        assert len(ids) == len(set(ids)), (w.number, sorted(i for i in set(ids) if ids.count(i) > 1))


@rule
def weak_glute_extra_only_on_glute_work(plan: Plan, catalogue: Catalogue) -> None:
    """R6.2 The weak-glute side's extra set goes to glute work only, never to the injured side's hamstring loading."""
    for w in plan.weeks:
        for p in w.prescriptions:
            if p.extra_set_side:
                ex = _ex(catalogue, p.exercise)
                assert ex.targets[0] in GLUTES and ex.category in ("activation", "isometric", "concentric"), (w.number, p.exercise)
                if HAMSTRINGS & set(ex.targets):
                    assert plan.request.side not in (p.extra_set_side, "both"), (w.number, p.exercise)


# ------------------------------------------------------------------ the rules the catalogue already kept
@rule
def exercises_allowed_available_and_inside_limits(plan: Plan, catalogue: Catalogue) -> None:
    """R0.1 No exercise where it is contraindicated or its equipment is missing; every dose inside its limits."""
    tags = {ph.id: ph.tag for ph in plan.phases}
    have = set(plan.request.equipment) | {"none"}
    for w in plan.weeks:
        for p in w.prescriptions:
            ex = _ex(catalogue, p.exercise)
            assert ex.contraindicated(plan.diagnosis, tags[w.phase]) is None, (p.exercise, w.phase)
            assert ex.needs <= have, (p.exercise, ex.needs)
            lim = ex.dosage.limits
            assert lim.sets[0] <= p.sets <= lim.sets[1], (p.exercise, p.sets)
            for name in ("reps", "hold_s", "duration_s", "reps_max"):
                value = getattr(p, name)
                if value is not None:
                    rng = getattr(lim, "reps" if name == "reps_max" else name)
                    for v in value if isinstance(value, tuple) else (value,):
                        assert rng[0] <= v <= rng[1], (p.exercise, name, v, rng)


@rule
def words_fit_the_kit(plan: Plan, catalogue: Catalogue) -> None:
    """R0.5 A phase's running and checkpoint words written for kit the runner has not listed give way to its words for them."""
    have = frozenset(plan.request.equipment) | {"none"}
    protocol = catalogue.protocol(plan.diagnosis)
    for planned in plan.phases:
        written = protocol.phase(planned.id)
        assert written is not None, planned.id
        effort = next((w.text for w in written.running.effort_without if w.kit not in have), written.running.effort)
        assert planned.running.effort == effort, (planned.id, planned.running.effort)
        for w in plan.weeks:
            if w.phase == planned.id:
                assert all(r.effort == effort for r in w.running if r.kind != "walk"), (w.number, effort)  # (walks: R2.7)
        walker = plan.request.runner_km_per_week == 0  # (a box about runs asks a walker about the walks: R2.10)
        for c, p in zip(written.exit_criteria, planned.exit_criteria, strict=True):
            words = c.walking.text if walker and c.walking is not None else next((w.text for w in c.without if w.kit not in have), c.text)
            assert p.text == words, (planned.id, p.text)


SIDE_ORDER = re.compile(r"\b(?:start(?:ing)?|begin(?:ning)?) with (?:the |your )?(?:sore|injured|painful|affected|bad|good|healthy|"
                        r"uninjured|other|weak|weaker|strong|stronger|left|right)\b|\b(?:sore|injured|painful|affected|bad|good|"
                        r"healthy|uninjured|other|weaker|stronger) (?:one|side|leg)s? first\b", re.IGNORECASE)


@rule
def one_order_of_sides(plan: Plan, catalogue: Catalogue) -> None:
    """R0.6 The order of the sides is said in one place, the week page (the uninjured side first): no note of
    an exercise, a week or a phase's running, and no card, names another order."""
    texts: list[tuple[str, str]] = []
    for w in plan.weeks:
        texts += [(f"week {w.number}", n) for n in w.notes]
        texts += [(p.exercise, n) for p in w.prescriptions for n in p.notes]
    for ph in plan.phases:
        texts += [(ph.id, n) for n in (ph.running.effort, *ph.running.notes)]
    for ex in plan.exercises:
        texts += [(ex.id, n) for n in (*ex.steps, *ex.cues, *ex.mistakes)]
    for where, text in texts:
        assert SIDE_ORDER.search(text) is None, (where, text)


@rule
def warning_signs_said_once(plan: Plan, catalogue: Catalogue) -> None:
    """R0.7 Each warning sign is said once, under its red flag's urgency: the plan lists the signs of every plan
    and those its protocol adds, each once, most urgent first; no caution names one of them again."""
    if plan.referral is not None:
        return
    protocol = catalogue.protocol(plan.diagnosis)
    flags = [catalogue.red_flag[i] for i in dict.fromkeys(catalogue.triage.watch_for + protocol.watch_for)]
    assert {plain for _, plain in plan.warning_signs} == {f.plain for f in flags}, plan.warning_signs
    assert len(plan.warning_signs) == len(flags), plan.warning_signs
    assert all((f.urgency, f.plain) in plan.warning_signs for f in flags), plan.warning_signs
    order = [URGENCIES.index(u) for u, _ in plan.warning_signs]
    assert order == sorted(order), plan.warning_signs
    signs = Signs(catalogue.red_flags)
    for caution in plan.cautions:
        assert signs.named(caution) is None, caution


@rule
def one_pain_limit_a_week(plan: Plan, catalogue: Catalogue) -> None:
    """R0.8 The week page's pain limit is the only one: no card of the plan names a pain score of its own, and
    every word of a phase that says when to stop stops where its week pages do."""
    for ex in plan.exercises:
        for path, text in texts_of(ex, ()):
            assert pain_score(path, text) is None, (ex.id, text)
    for ph in plan.phases:
        texts = [(ph.pain_rules.stop_if, True), *((n, False) for n in (ph.running.effort, *ph.running.notes))]
        texts += [(n, False) for w in plan.weeks if w.phase == ph.id for p in w.prescriptions for n in p.notes]
        for text, whole in texts:
            for words, level in stop_levels(text, stop_if=whole):
                assert level == ph.pain_rules.during_max + 1, (ph.id, words, ph.pain_rules.during_max)


@rule
def cards_suggest_only_what_fits(plan: Plan, catalogue: Catalogue) -> None:
    """R0.9 A card's "too hard? / too easy?" names only forms of the exercise this runner has the kit for, that
    are allowed in every kind of phase the plan uses the exercise in, and that the clinician has not left out."""
    have = frozenset(plan.request.equipment) | {"none"}
    left_out = {catalogue.exercises[i].name for i in plan.request.without if i in catalogue.exercises}
    tag = {ph.id: ph.tag for ph in plan.phases}
    by_name = {ex.name: ex for ex in catalogue.exercises.values()}
    steps = {ex_id: easier + harder for ex_id, easier, harder in plan.card_steps}
    assert set(steps) == {ex.id for ex in plan.exercises}, set(steps) ^ {ex.id for ex in plan.exercises}
    for w in plan.weeks:
        for ex_id in [p.exercise for p in w.prescriptions] + [r.exercise for r in w.running]:
            for name in steps.get(ex_id, ()):
                alt = by_name[name]
                assert name not in left_out, (ex_id, name)
                assert alt.needs <= have, (ex_id, name, alt.needs - have)
                assert alt.contraindicated(plan.diagnosis, tag[w.phase]) is None, (ex_id, name, w.phase)
