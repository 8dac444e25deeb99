"""Request + catalogue → Plan. Pure and deterministic: no files, no clock, no randomness.

The week is the unit. For each week of each phase, in order:
1. the safety screen has already passed (red flags, pain now, grade 3: safety.py);
2. each of the phase's exercises is chosen (its substitute when equipment is missing; a core
   exercise never goes quietly) and dosed: the phase's entry dose, its week-by-week table, or
   one progression step a week; first exposures to Nordics follow Petersen weeks 1-2 (dosing.py);
3. the runs are planned, jog and walk minutes apart, one change a week (running.py);
4. the days are chosen by one rule set (week.py), and every renderer reads those days;
5. a hold week repeats the week before exactly (timeline.py decides which).
Every number comes from rules/planning.yaml through `catalogue.rules`; every note to the runner from
rules/handout.yaml through `catalogue.wording`.
"""
from __future__ import annotations

import datetime as dt

from .arguments import require
from .boxes import box_notices
from .catalogue import Catalogue
from .changes import Changes, apply, check_changes
from .dosing import Chooser, Dose, loads_the_tendon, table_length
from .model import Exercise, Phase, PhaseExercise, PlanRequest, Protocol
from .plan import SESSIONS, Plan, PlanPhase, RunningRecord, RunSession, Week, but
from .prescribing import PlanState, continue_from, prescription, run_card, week_entries
from .running import FORM_EXERCISE, WALK, RunState, plan_runs, weekly_base
from .safety import URGENCIES, Referral, screen
from .timeline import follow_up_start, grade_for, is_hold, lengths, start_index, typical_weeks
from .week import Item, build_days, choose_days, session_of


def _plan_week(number: int, phase: Phase, exercises: tuple[PhaseExercise, ...], k: int, level: int, last_phase: bool, checkpoint: bool,
               protocol: Protocol, request: PlanRequest, grade: int | None, chooser: Chooser, st: PlanState,
               exposure_used: dict[int, int], changes: Changes, carry: dict[str, Dose], may_step: bool = True) -> Week:
    catalogue = chooser.catalogue
    rules = catalogue.rules
    entries = week_entries(phase, exercises, k, level, protocol, request, grade, chooser, st, exposure_used, changes, carry,
                           exact=not may_step)
    runs = plan_runs(phase.running, phase.tag, last_phase, st.runs, request, rules.running, may_step, words=catalogue.wording.running)
    notes: list[str] = []
    if any(r.kind == WALK for r in runs) and rules.running.walk_exercise in changes.left_out:  # walking left out: no brisk walks
        runs = tuple(r for r in runs if r.kind != WALK)
        notes.append(catalogue.wording.planner_notes.no_walks)
    if not runs and any(session_of(e.ex) in ("warm-up", "cool-down") for e in entries):
        entries = [e for e in entries if session_of(e.ex) not in ("warm-up", "cool-down")]
        if not notes:  # (with the brisk walks left out, no later week has runs either)
            st.notes.append(catalogue.wording.planner_notes.warm_up_later)
    items = [Item(e.ex, e.dose.days_per_week, e.ex.heavy, protocol.tendon and loads_the_tendon(e.ex)) for e in entries]
    days, run_days, placed_runs, st.placed, kept_fast = choose_days(items, runs, request.days_per_week, rules.week, st.placed)
    if any(r.kind == WALK for r in runs):  # one walk a day: the brisk walk replaces the day's easy walk
        for i, e in enumerate(entries):
            if e.ex.id == rules.running.walk_exercise:
                days[i] = tuple(d for d in days[i] if d not in run_days)
        keep = [i for i in range(len(entries)) if days[i]]
        entries, items = [entries[i] for i in keep], [items[i] for i in keep]
        days = {n: days[i] for n, i in enumerate(keep)}
    if not kept_fast:
        notes.append(catalogue.wording.planner_notes.no_fast_running)
    cards = {kind: run_card(phase, role, catalogue) for kind, role in FORM_EXERCISE.items()}
    walk = catalogue.exercises.get(rules.running.walk_exercise)
    strides = run_card(phase, "strides", catalogue)
    sessions: list[RunSession] = []
    for day, r in zip(run_days, placed_runs, strict=True):  # one placed run per run day
        card = walk if r.kind == WALK else cards.get(r.kind)
        effort = catalogue.wording.running.walk_effort if r.kind == WALK else phase.running.effort
        sessions.append(RunSession(day, r.kind, r.jog_minutes, r.walk_minutes, r.extras, r.pattern, effort,
                                   card.id if card else ""))
        for ex in (card, strides if "strides" in r.extras else None):
            if ex is not None:
                st.used.setdefault(ex.id, ex)
                st.sources.update(dict.fromkeys(ex.sources))
    order = sorted(range(len(entries)), key=lambda i: SESSIONS.index(session_of(entries[i].ex)))  # a day's order
    present = frozenset(e.ex.id for e in entries)
    prescriptions = tuple(prescription(entries[i], days[i], request, present, catalogue.wording.exercise_notes) for i in order)
    for e in entries:
        st.used.setdefault(e.ex.id, e.ex)
        st.sources.update(dict.fromkeys(e.ex.sources))
        st.exposure[e.ex.id] = st.exposure.get(e.ex.id, 0) + 1
    week_days = build_days(items, days, sessions, strides.id if strides else None)
    start = request.start + dt.timedelta(days=7 * (number - 1))
    state = st.runs
    record = RunningRecord(state.jog_week, state.longest, state.kind, state.rung, state.extras, state.last_change)
    return Week(number, phase.id, start, prescriptions, tuple(sessions), checkpoint=checkpoint, hold=False,
                days=week_days, notes=tuple(notes), running_state=record)


REPEAT_WEEKS = 2  # a repeat block runs two weeks before the clinician checks again (unconfirmed default)


def _hold_week(previous: Week, number: int, checkpoint: bool, request: PlanRequest, st: PlanState, note: str) -> Week:
    """Exactly last week again: same exercises, doses, days and runs."""
    for p in previous.prescriptions:
        st.exposure[p.exercise] = st.exposure.get(p.exercise, 0) + 1
    return but(previous, number=number, start=request.start + dt.timedelta(days=7 * (number - 1)), checkpoint=checkpoint,
                   hold=True, notes=(note,))


def _referral_plan(request: PlanRequest, protocol: Protocol | None, referral: Referral, catalogue: Catalogue) -> Plan:
    sources = tuple((k, catalogue.references[k].citation if k in catalogue.references else k) for k in referral.sources)
    return Plan(
        request=request, diagnosis=request.diagnosis,
        diagnosis_name=protocol.name if protocol else request.diagnosis,
        plain_name=protocol.plain_name if protocol else request.diagnosis,
        what_it_is=protocol.what_it_is if protocol else "", what_to_expect="",
        borrowed_from=None, referral=referral, phases=(), weeks=(), cautions=(), avoid=(), sources=sources,
        pain=catalogue.rules.pain, grade=request.grade, wording=catalogue.wording,
    )


def card_steps(weeks: tuple[Week, ...], phases: tuple[PlanPhase, ...], used: dict[str, Exercise], chooser: Chooser,
               left_out: frozenset[str]) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """Each used exercise's easier and harder forms its card may suggest, for the kinds of phase it is used in,
    never one the clinician left out."""
    tag = {ph.id: ph.tag for ph in phases}
    strides = [i for i, ex in used.items() if ex.run_role == "strides"]
    where: dict[str, set[str]] = {}
    for w in weeks:
        ids = [p.exercise for p in w.prescriptions] + [r.exercise for r in w.running if r.exercise]
        for ex_id in ids + (strides if any("strides" in r.extras for r in w.running) else []):
            where.setdefault(ex_id, set()).add(tag[w.phase])
    return tuple((ex_id, *chooser.steps(ex, frozenset(where.get(ex_id, ())), left_out)) for ex_id, ex in used.items())


def warning_signs(catalogue: Catalogue, protocol: Protocol | None = None) -> tuple[tuple[str, str], ...]:
    """The signs a plan lists under 'when to seek help', most urgent first, each once: those of every plan
    (rules/triage.yaml `watch_for`) and those the protocol adds (its own `watch_for`)."""
    ids = dict.fromkeys(catalogue.triage.watch_for + (protocol.watch_for if protocol is not None else ()))
    flags = [catalogue.red_flag[i] for i in ids]
    return tuple((f.urgency, f.plain) for f in sorted(flags, key=lambda f: URGENCIES.index(f.urgency)))


def build(request: PlanRequest, catalogue: Catalogue) -> Plan:
    """The whole plan for one runner; the same request and catalogue always give the same Plan."""
    require(request, PlanRequest, "build_plan: request", "a PlanRequest (make_request({...}) builds one from plain fields)")
    require(catalogue, Catalogue, "build_plan: catalogue", "a Catalogue (from load_catalogue())")
    protocol = catalogue.protocol(request.diagnosis)
    rules = catalogue.rules
    grade = grade_for(request, protocol)
    words = catalogue.wording
    referral = screen(request, rules.pain, catalogue.red_flags, words=words.referral)
    if referral is not None:
        return _referral_plan(request, protocol, referral, catalogue)
    mode = ""
    if request.follow_up is not None:
        start, why_start, mode = follow_up_start(request, protocol, rules.pain, words=words.start, grade=grade)
    else:
        start, why_start = start_index(request, protocol, grade, rules.pain, words=words.start)
    chooser = Chooser(catalogue, request)
    walks = weekly_base(request, rules.running) == 0  # a runner who does not run: brisk walks, and boxes about them
    phases = tuple(p.for_kit(chooser.have, walks) for p in protocol.phases[start:])  # running and checkpoint words that fit
    done = 0
    if mode in ("repeat", "lower"):  # a repeat block: the one phase, until its checkpoint is passed
        phases, weeks_per_phase = phases[:1], [request.weeks or REPEAT_WEEKS]
    else:  # a phase carried on (not yet, after a plan that cut it short) lasts only the weeks it still has to run
        follow = request.follow_up
        done = follow.phase_weeks if follow is not None and follow.checkpoint != "passed" and follow.phase == phases[0].id else 0
        weeks_per_phase = lengths(phases, grade, request.weeks, done)
    changes = check_changes(request, catalogue, tuple(p for p, n in zip(phases, weeks_per_phase, strict=True) if n))
    total = sum(weeks_per_phase)
    st = PlanState(RunState(base=weekly_base(request, rules.running)))
    carry = continue_from(request.follow_up, mode, st, catalogue) if request.follow_up is not None else {}
    st.sources.update(dict.fromkeys(protocol.sources))
    weeks: list[Week] = []
    planned: list[PlanPhase] = []
    pain_hold = request.pain >= rules.pain.first_phase_at
    for phase, n_weeks in zip(phases, weeks_per_phase, strict=True):  # one length per phase
        if n_weeks == 0:
            continue
        last_phase = phase.id == protocol.phases[-1].id
        st.sources.update(dict.fromkeys(phase.sources + phase.pain_rules.sources + phase.running.sources))
        for c in phase.exit_criteria:
            st.sources.update(dict.fromkeys(c.sources))
        exercises = apply(phase, changes)
        table = max((table_length(px.schedule) for px in exercises), default=0)
        # a phase carried on picks up where the runner got to: its first week is already one step on
        first, level, held = len(weeks) + 1, 1 if done and phase is phases[0] else 0, 0
        exposure_used: dict[int, int] = {}
        for k in range(n_weeks):
            number = len(weeks) + 1
            checkpoint = k == n_weeks - 1
            previous = weeks[-1] if weeks else None
            if previous is not None and previous.phase == phase.id:
                if mode in ("repeat", "lower"):
                    weeks.append(_hold_week(previous, number, checkpoint, request, st, words.planner_notes.repeat_week))
                    held += 1
                    continue
                if pain_hold and number == 2 and not mode:
                    weeks.append(_hold_week(previous, number, checkpoint, request, st,
                                            words.planner_notes.pain_repeat.format(pain=request.pain)))
                    held += 1
                    continue
                if is_hold(phase, k, total, grade, rules.hold, table):
                    weeks.append(_hold_week(previous, number, checkpoint, request, st, words.planner_notes.hold_week))
                    held += 1
                    continue
            if k > held:
                level += 1
            weeks.append(_plan_week(number, phase, exercises, k - held, level, last_phase, checkpoint, protocol, request, grade,
                                    chooser, st, exposure_used, changes, carry if phase is phases[0] else {},
                                    may_step=mode not in ("repeat", "lower")))
        planned.append(PlanPhase(phase.id, phase.name, phase.tag, tuple(range(first, len(weeks) + 1)), phase.goals, phase.avoid,
                                 phase.pain_rules, phase.running, phase.exit_criteria, phase.sources))
    notes = list(st.notes)
    if why_start:
        notes.insert(0, why_start)
    if protocol.grades and request.grade is None:
        notes.insert(0, words.planner_notes.no_grade.format(grade=grade))
    if st.runs.base == 0 and any(w.running for w in weeks):
        notes.append(words.planner_notes.non_runner)
    if request.weeks is not None and request.weeks < sum(typical_weeks(p, grade) for p in phases):
        notes.append(words.planner_notes.shorter)
    evidence = list(protocol.evidence_notes)
    listed = {p.id: frozenset(px.exercise for px in p.exercises) for p in phases}  # each phase's own, before the changes
    for ex in st.used.values():
        if ex.dosage.basis and "unconfirmed" in ex.dosage.basis.lower():
            evidence.append(f"{ex.name} dose: {ex.dosage.basis}")
    return Plan(
        request=request, diagnosis=protocol.id, diagnosis_name=protocol.name, plain_name=protocol.plain_name,
        what_it_is=protocol.what_it_is, what_to_expect=protocol.what_to_expect, borrowed_from=protocol.borrowed_from,
        referral=None, phases=tuple(planned), weeks=tuple(weeks), cautions=protocol.cautions, avoid=protocol.avoid,
        sources=tuple((k, catalogue.references[k].citation if k in catalogue.references else k) for k in st.sources),
        pain=rules.pain, notes=tuple(dict.fromkeys(notes)), grade=grade, exercises=tuple(st.used.values()),
        card_steps=card_steps(tuple(weeks), tuple(planned), st.used, chooser, changes.left_out),
        missing_core=tuple(dict.fromkeys(st.missing_core)), evidence_notes=tuple(dict.fromkeys(evidence)),
        changes=changes.described, clinician_notices=box_notices(tuple(planned), tuple(weeks), changes, catalogue, words.changes, listed),
        block=mode, warning_signs=warning_signs(catalogue, protocol), wording=words,
    )
