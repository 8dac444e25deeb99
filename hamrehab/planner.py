"""Request + catalogue → Plan. Pure and deterministic: no files, no clock, no randomness.

The week is the unit. For each week of each phase, in order:
1. the safety screen has already passed (red flags, pain now, grade 3: safety.py);
2. each of the phase's exercises is chosen (its substitute when equipment is missing; a core
   exercise never goes quietly) and dosed: the phase's entry dose, its week-by-week table, or
   one progression step a week; first exposures to Nordics follow Petersen weeks 1-2 (dosing.py);
3. the runs are planned, jog and walk minutes apart, one change a week (running.py);
4. the days are chosen by one rule set (week.py), and every renderer reads those days;
5. a hold week repeats the week before exactly (timeline.py decides which).
Every number comes from rules/planning.yaml through `catalogue.rules`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from .catalogue import Catalogue
from .dosing import ISOTONIC, Chooser, Dose, base_dose, carried, default_dose, progress, table_dose, table_length
from .model import Exercise, Phase, PhaseExercise, PlanRequest, Protocol
from .plan import SESSIONS, Plan, PlanPhase, Prescription, RunSession, Week
from .running import FORM_EXERCISE, WALK, RunState, plan_runs, weekly_base
from .safety import Referral, screen
from .timeline import grade_for, is_hold, lengths, start_index, typical_weeks
from .week import Item, Placed, build_days, choose_days, session_of

GLUTES = frozenset({"glutes", "glute-max", "glute-med"})
HAMSTRINGS = frozenset({"hamstrings", "biceps-femoris", "semitendinosus", "semimembranosus"})
LIGHT_CATEGORIES = frozenset({"activation", "isometric", "concentric"})


@dataclass
class _Run:
    """What carries from week to week: runs, exposures, last week's days, cards and notes."""

    runs: RunState
    exposure: dict[str, int] = field(default_factory=dict)  # weeks each exercise has been done so far
    placed: Placed = field(default_factory=Placed)
    previous: Week | None = None
    used: dict[str, Exercise] = field(default_factory=dict)
    sources: dict[str, None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    missing_core: list[str] = field(default_factory=list)


def _volume(d: Dose) -> int:
    reps = sum(d.reps) if isinstance(d.reps, tuple) else (d.reps or 1)
    return d.sets * reps * d.days_per_week


def _run_card(phase: Phase, role: str, catalogue: Catalogue) -> Exercise | None:
    """The card that explains a run form: the phase's own, else the catalogue's first."""
    for px in phase.exercises:
        ex = catalogue.exercises.get(px.exercise)
        if ex is not None and ex.run_role == role:
            return ex
    return next((e for e in catalogue.exercises.values() if e.run_role == role), None)


def _extra_side(ex: Exercise, px: PhaseExercise, request: PlanRequest) -> str | None:
    """The weak-glute side's extra set: glute work only, never the injured side's hamstring loading."""
    weak = request.weak_glute_side
    if not weak or not ex.per_side or ex.category not in LIGHT_CATEGORIES or ex.targets[0] not in GLUTES:
        return None
    if HAMSTRINGS & set(ex.targets) and request.side in (weak, "both"):
        return None
    return weak


def _sides(ex: Exercise, request: PlanRequest) -> str:
    if not ex.per_side:
        return "both legs"
    if request.side in ("left", "right"):
        return f"each side, {'right' if request.side == 'left' else 'left'} first"
    return "each side"


@dataclass
class _Entry:
    """One exercise of one week before its days are known."""

    ex: Exercise
    dose: Dose
    notes: tuple[str, ...]
    extra_side: str | None
    only_side: str | None = None


def _week_entries(phase: Phase, k: int, level: int, protocol: Protocol, request: PlanRequest, grade: int | None,
                  chooser: Chooser, st: _Run, exposure_used: dict[int, int]) -> list[_Entry]:
    out: list[_Entry] = []
    for i, px in enumerate(phase.exercises):
        if px.grades and grade not in px.grades:
            continue
        ex, why = chooser.choose(px.exercise, phase.tag)
        if why:
            st.notes.append(why)
            if ex is None and px.core:
                wanted = chooser.catalogue.exercises[px.exercise]
                st.missing_core.append(f"{wanted.name} is a core part of this treatment, but it needs {chooser.kit(wanted)} "
                                       "and nothing in your kit can stand in for it. Ask your clinician how to do it another way.")
        if ex is None or ex.run_role in FORM_EXERCISE.values() or ex.run_role == "strides":
            continue  # running forms live in the running row, never as an exercise row
        if any(e.ex.id == ex.id for e in out):
            continue
        original = chooser.catalogue.exercises[px.exercise]
        dose = base_dose(ex, px) if ex.id == px.exercise else carried(ex, original, px)
        used = exposure_used.get(i, 0)
        notes: tuple[str, ...] = ()
        if px.schedule and ex.id == px.exercise:
            dose = table_dose(dose, px.schedule, k + 1 - used)
        else:
            ex, dose, notes = progress(ex, dose, px, max(0, level - used), chooser, phase.tag)
        done = st.exposure.get(ex.id, 0)
        if done < len(ex.first_exposure):
            first = table_dose(replace(dose, reps_max=None), ex.first_exposure, done + 1)
            if _volume(first) < _volume(dose):
                dose = first
                exposure_used[i] = used + 1
                notes += ("New to this exercise: start gently, as in the first weeks of the published Nordic programme.",)
        if protocol.tendon and ex.category in ISOTONIC:
            dose = replace(dose, days_per_week=min(dose.days_per_week, chooser.catalogue.rules.week.isotonic_max_days))
        own = (px.note,) if px.note and ex.id == px.exercise else ()
        out.append(_Entry(ex, dose, notes + own, _extra_side(ex, px, request)))
    weak = request.weak_glute_side
    if weak and not any(e.extra_side for e in out):
        ex = chooser.catalogue.exercises.get("power-position-hold")
        if ex is not None and chooser.usable(ex, phase.tag) and not any(e.ex.id == ex.id for e in out):
            out.append(_Entry(ex, default_dose(ex), (f"Extra glute work for your weaker {weak} side.",), None, only_side=weak))
    return out


def _prescription(e: _Entry, days: tuple[int, ...], request: PlanRequest) -> Prescription:
    notes = e.notes
    if e.extra_side:
        notes = notes + (f"One extra set on the {e.extra_side} side (your weaker glutes).",)
    d = e.dose
    return Prescription(
        exercise=e.ex.id, name=e.ex.name, category=e.ex.category, sets=d.sets, reps=d.reps, reps_max=d.reps_max,
        hold_s=d.hold_s, duration_s=d.duration_s, rest_s=d.rest_s, per_side=e.ex.per_side,
        sides=f"{e.only_side} leg only" if e.only_side else _sides(e.ex, request), times_per_day=d.times_per_day,
        days_per_week=len(days), days=days, load=d.load, notes=notes, extra_set_side=e.extra_side, session=session_of(e.ex))


def _plan_week(number: int, phase: Phase, k: int, level: int, last_phase: bool, checkpoint: bool,
               protocol: Protocol, request: PlanRequest, grade: int | None, chooser: Chooser, st: _Run,
               exposure_used: dict[int, int]) -> Week:
    catalogue = chooser.catalogue
    rules = catalogue.rules
    entries = _week_entries(phase, k, level, protocol, request, grade, chooser, st, exposure_used)
    runs = plan_runs(phase.running, phase.tag, last_phase, st.runs, request, rules.running)
    if not runs and any(session_of(e.ex) in ("warm-up", "cool-down") for e in entries):
        entries = [e for e in entries if session_of(e.ex) not in ("warm-up", "cool-down")]
        st.notes.append("The running warm-up and cool-down exercises start in the weeks that have runs.")
    items = [Item(e.ex, e.dose.days_per_week, e.ex.heavy, protocol.tendon and e.ex.category in ISOTONIC) for e in entries]
    days, run_days, placed_runs, st.placed, kept_fast = choose_days(items, runs, request.days_per_week, rules.week, st.placed)
    if any(r.kind == WALK for r in runs):  # one walk a day: the brisk walk replaces the day's easy walk
        for i, e in enumerate(entries):
            if e.ex.id == rules.running.walk_exercise:
                days[i] = tuple(d for d in days[i] if d not in run_days)
        keep = [i for i in range(len(entries)) if days[i]]
        entries, items = [entries[i] for i in keep], [items[i] for i in keep]
        days = {n: days[i] for n, i in enumerate(keep)}
    notes: list[str] = []
    if not kept_fast:
        notes.append("No fast running this week: it would come too soon after the heavy strength work.")
    cards = {kind: _run_card(phase, role, catalogue) for kind, role in FORM_EXERCISE.items()}
    walk = catalogue.exercises.get(rules.running.walk_exercise)
    strides = _run_card(phase, "strides", catalogue)
    sessions: list[RunSession] = []
    for day, r in zip(run_days, placed_runs):
        card = walk if r.kind == WALK else cards.get(r.kind)
        sessions.append(RunSession(day, r.kind, r.jog_minutes, r.walk_minutes, r.extras, r.pattern, phase.running.effort,
                                   card.id if card else ""))
        for ex in (card, strides if "strides" in r.extras else None):
            if ex is not None:
                st.used.setdefault(ex.id, ex)
                st.sources.update(dict.fromkeys(ex.sources))
    order = sorted(range(len(entries)), key=lambda i: SESSIONS.index(session_of(entries[i].ex)))  # a day's order
    prescriptions = tuple(_prescription(entries[i], days[i], request) for i in order)
    for e in entries:
        st.used.setdefault(e.ex.id, e.ex)
        st.sources.update(dict.fromkeys(e.ex.sources))
        st.exposure[e.ex.id] = st.exposure.get(e.ex.id, 0) + 1
    week_days = build_days(items, days, sessions, strides.id if strides else None)
    start = request.start + dt.timedelta(days=7 * (number - 1))
    return Week(number, phase.id, start, prescriptions, tuple(sessions), checkpoint=checkpoint, hold=False,
                days=week_days, notes=tuple(notes))


HOLD_NOTE = "Hold week: exactly last week's exercises, doses and runs again, so your body can catch up."
PAIN_REPEAT = "Same as week 1: with pain at {pain}/10 when you started, repeat the first week before anything is added."


def _hold_week(previous: Week, number: int, checkpoint: bool, request: PlanRequest, st: _Run, note: str) -> Week:
    """Exactly last week again: same exercises, doses, days and runs."""
    for p in previous.prescriptions:
        st.exposure[p.exercise] = st.exposure.get(p.exercise, 0) + 1
    return replace(previous, number=number, start=request.start + dt.timedelta(days=7 * (number - 1)), checkpoint=checkpoint,
                   hold=True, notes=(note,))


def _referral_plan(request: PlanRequest, protocol: Protocol | None, referral: Referral, catalogue: Catalogue) -> Plan:
    sources = tuple((k, catalogue.references[k].citation if k in catalogue.references else k) for k in referral.sources)
    return Plan(
        request=request, diagnosis=request.diagnosis,
        diagnosis_name=protocol.name if protocol else request.diagnosis,
        plain_name=protocol.plain_name if protocol else request.diagnosis,
        what_it_is=protocol.what_it_is if protocol else "", what_to_expect="",
        borrowed_from=None, referral=referral, phases=(), weeks=(), cautions=(), avoid=(), sources=sources,
        pain=catalogue.rules.pain, grade=request.grade,
    )


def build(request: PlanRequest, catalogue: Catalogue) -> Plan:
    """The whole plan for one runner; the same request and catalogue always give the same Plan."""
    protocol = catalogue.protocol(request.diagnosis)
    rules = catalogue.rules
    grade = grade_for(request, protocol)
    referral = screen(request, rules.pain)
    if referral is not None:
        return _referral_plan(request, protocol, referral, catalogue)
    start, why_start = start_index(request, protocol, grade, rules.pain)
    phases = protocol.phases[start:]
    weeks_per_phase = lengths(phases, grade, request.weeks)
    total = sum(weeks_per_phase)
    chooser = Chooser(catalogue, request)
    st = _Run(RunState(base=weekly_base(request, rules.running)))
    st.sources.update(dict.fromkeys(protocol.sources))
    weeks: list[Week] = []
    planned: list[PlanPhase] = []
    pain_hold = request.pain >= rules.pain.first_phase_at
    for phase, n_weeks in zip(phases, weeks_per_phase):
        if n_weeks == 0:
            continue
        last_phase = phase is protocol.phases[-1]
        st.sources.update(dict.fromkeys(phase.sources + phase.pain_rules.sources + phase.running.sources))
        for c in phase.exit_criteria:
            st.sources.update(dict.fromkeys(c.sources))
        table = max((table_length(px.schedule) for px in phase.exercises), default=0)
        first, level, held, exposure_used = len(weeks) + 1, 0, 0, {}
        for k in range(n_weeks):
            number = len(weeks) + 1
            checkpoint = k == n_weeks - 1
            previous = weeks[-1] if weeks else None
            if previous is not None and previous.phase == phase.id:
                if pain_hold and number == 2:
                    weeks.append(_hold_week(previous, number, checkpoint, request, st, PAIN_REPEAT.format(pain=request.pain)))
                    held += 1
                    continue
                if is_hold(phase, k, total, grade, rules.hold, table):
                    weeks.append(_hold_week(previous, number, checkpoint, request, st, HOLD_NOTE))
                    held += 1
                    continue
            if k > held:
                level += 1
            weeks.append(_plan_week(number, phase, k - held, level, last_phase, checkpoint, protocol, request, grade,
                                    chooser, st, exposure_used))
        planned.append(PlanPhase(phase.id, phase.name, phase.tag, tuple(range(first, len(weeks) + 1)), phase.goals, phase.avoid,
                                 phase.pain_rules, phase.running, phase.exit_criteria, phase.sources))
    notes = list(st.notes)
    if why_start:
        notes.insert(0, why_start)
    if protocol.grades and request.grade is None:
        notes.insert(0, f"No grade was given, so the plan assumes grade {grade}; ask your clinician to confirm it.")
    if st.runs.base == 0 and any(w.running for w in weeks):
        notes.append("You told us you do not run, so the plan has brisk walks where a runner would run. "
                     "Ask your clinician before you start running.")
    if request.weeks is not None and request.weeks < sum(typical_weeks(p, grade) for p in phases):
        notes.append("This plan is shorter than the whole protocol: ask for the next weeks once you pass its last checkpoint.")
    evidence = list(protocol.evidence_notes)
    for ex in st.used.values():
        if ex.dosage.basis and "unconfirmed" in ex.dosage.basis.lower():
            evidence.append(f"{ex.name} dose: {ex.dosage.basis}")
    return Plan(
        request=request, diagnosis=protocol.id, diagnosis_name=protocol.name, plain_name=protocol.plain_name,
        what_it_is=protocol.what_it_is, what_to_expect=protocol.what_to_expect, borrowed_from=protocol.borrowed_from,
        referral=None, phases=tuple(planned), weeks=tuple(weeks), cautions=protocol.cautions, avoid=protocol.avoid,
        sources=tuple((k, catalogue.references[k].citation if k in catalogue.references else k) for k in st.sources),
        pain=rules.pain, notes=tuple(dict.fromkeys(notes)), grade=grade, exercises=tuple(st.used.values()),
        missing_core=tuple(dict.fromkeys(st.missing_core)), evidence_notes=tuple(dict.fromkeys(evidence)),
    )
