"""Request + catalogue → Plan. Pure and deterministic: no files, no clock, no randomness.

The rules a physiotherapist would sign, each kept here in one place:
- red flags, severe pain or an uncleared grade-3 strain → a referral, no prescriptions (safety.py);
- pain 5-6 now → start at the first phase, no progression in the first week;
- an exercise never appears where it is contraindicated, or where its equipment is missing
  (its same-purpose substitute is used instead, and the plan says so);
- the dose grows one step a week (reps → sets → hold → harder → load), never past the
  exercise's limits; plans over six weeks hold every fourth week;
- running never rises more than 10% a week, and no run is more than 10% longer than the
  longest so far; speed and hills only in the protocol's last phase.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from .catalogue import Catalogue
from .exceptions import InputError
from .model import Exercise, Phase, PhaseExercise, PlanRequest, Protocol, RunningGuidance
from .plan import Plan, PlanPhase, Prescription, RunSession, Week
from .safety import Referral, screen
from .validation import did_you_mean

STRENGTH = frozenset({"isometric", "eccentric", "concentric"})
GLUTES = frozenset({"glutes", "glute-max", "glute-med"})
# Training days spread through the week (offsets from the start date); strength never on
# consecutive days up to four a week.
SPREAD = {1: (0,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 2, 4, 6), 5: (0, 1, 3, 4, 6), 6: (0, 1, 2, 3, 4, 5), 7: (0, 1, 2, 3, 4, 5, 6)}
MAX_STRENGTH_DAYS = 4
HOLD_EVERY = 4  # in plans longer than HOLD_AFTER weeks, every 4th week holds volume
HOLD_AFTER = 6
RUN_RISE = 1.10  # the 10% rule, weekly volume and single-run length (S4; nielsen-2014)
PACE_MIN_PER_KM = 6.0  # easy pace used to turn km into minutes (unconfirmed default)
DEFAULT_WEEKLY_MIN = 120  # assumed pre-injury volume when none is given (unconfirmed default)
RUN_START_SHARE = 0.5  # first running week: at most half the pre-injury volume (unconfirmed)
RUN_START_CAP_MIN = 60  # ... and at most an hour in the first running week (unconfirmed)
MIN_RUN_MIN = 10
WALK_JOG = ((1, 2), (2, 2), (3, 1), (4, 1), (5, 1), (8, 1))  # jog, walk minutes, week by week
DEFAULT_GRADE = 2


@dataclass(frozen=True)
class _Dose:
    sets: int
    reps: int | tuple[int, ...] | None
    reps_max: int | None
    hold_s: float | None
    duration_s: int | None
    rest_s: int | None
    times_per_day: int
    days_per_week: int
    load: str | None


def _base_dose(ex: Exercise, px: PhaseExercise | None) -> _Dose:
    d = ex.dosage
    dose = _Dose(d.sets, d.reps, None, d.hold_s, d.duration_s, d.rest_s, d.times_per_day, d.days_per_week, d.load)
    if px is not None:
        over = {k: v for k, v in px.dose.model_dump(exclude_none=True).items()}
        if "reps" in over and isinstance(over["reps"], list):
            over["reps"] = tuple(over["reps"])
        dose = replace(dose, **over)
    return dose


def _carried(alt: Exercise, px: PhaseExercise) -> _Dose:
    """A substitute keeps the protocol's dose where it fits: same figures, clamped to its own limits."""
    dose = _base_dose(alt, None)
    lim = alt.dosage.limits
    over = px.dose
    changes: dict[str, object] = {}
    for name in ("times_per_day", "days_per_week"):
        if getattr(over, name) is not None:
            changes[name] = getattr(over, name)
    if over.sets is not None:
        changes["sets"] = min(max(over.sets, lim.sets[0]), lim.sets[1])
    if isinstance(over.reps, int) and lim.reps and dose.reps is not None and not isinstance(dose.reps, tuple):
        changes["reps"] = min(max(over.reps, lim.reps[0]), lim.reps[1])
    if over.hold_s is not None and lim.hold_s and dose.hold_s is not None:
        changes["hold_s"] = min(max(over.hold_s, lim.hold_s[0]), lim.hold_s[1])
    if over.duration_s is not None and lim.duration_s and dose.duration_s is not None:
        changes["duration_s"] = min(max(over.duration_s, lim.duration_s[0]), lim.duration_s[1])
    return replace(dose, **changes)


def _scheduled(dose: _Dose, px: PhaseExercise, week_in_phase: int) -> _Dose:
    """The dose of a week-by-week table: the latest entry at or before this week."""
    entries = [s for s in px.schedule if s.week <= week_in_phase + 1]
    if not entries:
        return dose
    step = max(entries, key=lambda s: s.week)
    over = step.model_dump(exclude_none=True, exclude={"week"})
    if "reps" in over and isinstance(over["reps"], list):
        over["reps"] = tuple(over["reps"])
    over.setdefault("reps_max", None)
    return replace(dose, **over)


class _Chooser:
    """Picks usable exercises: available equipment, not contraindicated here."""

    def __init__(self, catalogue: Catalogue, request: PlanRequest):
        self.catalogue = catalogue
        self.have = frozenset(request.equipment) | {"none"}
        self.diagnosis = request.diagnosis

    def usable(self, ex: Exercise, tag: str) -> bool:
        return ex.needs <= self.have and ex.contraindicated(self.diagnosis, tag) is None

    def choose(self, ex_id: str, tag: str) -> tuple[Exercise | None, str | None]:
        """The exercise, or its substitute (or easier form) when equipment is missing; and why."""
        ex = self.catalogue.exercise(ex_id)
        if self.usable(ex, tag):
            return ex, None
        ban = ex.contraindicated(self.diagnosis, tag)
        for alt_id in ex.substitutes + ex.easier:
            alt = self.catalogue.exercises.get(alt_id)
            if alt is not None and self.usable(alt, tag):
                why = f"not allowed here ({ban.reason})" if ban else f"needs {', '.join(sorted(ex.needs - self.have))}"
                return alt, f"{alt.name} replaces {ex.name}, which {why}."
        if ban:
            return None, f"{ex.name} is left out: {ban.reason}"
        return None, f"{ex.name} is left out: it needs {', '.join(sorted(ex.needs - self.have))} and no alternative fits."

    def harder(self, ex: Exercise, tag: str) -> Exercise | None:
        return next((h for h in (self.catalogue.exercises.get(i) for i in ex.harder) if h is not None and self.usable(h, tag)), None)


def _progress(ex: Exercise, dose: _Dose, px: PhaseExercise, level: int, chooser: _Chooser, tag: str) -> tuple[Exercise, _Dose, tuple[str, ...]]:
    """Grow the dose `level` steps in the phase's order, never past the exercise's limits."""
    notes: list[str] = []
    loaded = False
    for _ in range(level):
        lim = ex.dosage.limits
        for step in px.progression:
            if step == "reps" and isinstance(dose.reps, int) and lim.reps and dose.reps < lim.reps[1]:
                dose = replace(dose, reps=min(dose.reps + 2, lim.reps[1]))
            elif step == "sets" and dose.sets < lim.sets[1]:
                dose = replace(dose, sets=dose.sets + 1)
            elif step == "hold" and dose.hold_s is not None and lim.hold_s and dose.hold_s < lim.hold_s[1]:
                dose = replace(dose, hold_s=min(dose.hold_s + 2, lim.hold_s[1]))
            elif step == "harder" and (nxt := chooser.harder(ex, tag)) is not None:
                notes.append(f"Progressed from {ex.name}.")
                ex, dose = nxt, _base_dose(nxt, None)
            elif step == "load" and not loaded and ex.category in STRENGTH | {"activation"}:
                loaded = True
                notes.append("If every set feels easy and pain stays within the rules, add a little weight.")
            else:
                continue
            break
        else:
            break  # nothing left to grow: keep the dose
    return ex, dose, tuple(notes)


def _days(ex: Exercise, dose: _Dose, request: PlanRequest) -> tuple[int, ...]:
    """Daily doses stay daily (the source says so); other strength work goes on the runner's
    training days, never two days running."""
    if ex.category in STRENGTH and dose.days_per_week < 7:
        return SPREAD[max(1, min(dose.days_per_week, request.days_per_week, MAX_STRENGTH_DAYS))]
    return SPREAD[dose.days_per_week]


def _sides(ex: Exercise, request: PlanRequest) -> str:
    if not ex.per_side:
        return "both legs"
    if request.side in ("left", "right"):
        other = "right" if request.side == "left" else "left"
        return f"each side, {other} first"
    return "each side"


def _grade(request: PlanRequest, protocol: Protocol) -> int | None:
    if request.grade is not None and not protocol.grades:
        raise InputError(f"--grade applies only to strains (hamstring-strain); '{request.diagnosis}' has no grades: leave --grade out", "grade")
    if request.grade is not None and request.grade not in protocol.grades:
        raise InputError(f"--grade {request.grade} is not covered by {protocol.id}; accepted: {', '.join(map(str, protocol.grades))}", "grade")
    if protocol.grades and request.grade is None:
        return DEFAULT_GRADE
    return request.grade


def _phase_weeks(phase: Phase, grade: int | None) -> int:
    lo, hi = phase.week_range(grade)
    return max(1, math.ceil((lo + hi) / 2))


def _start_index(request: PlanRequest, protocol: Protocol, grade: int | None) -> int:
    if request.pain >= 5:
        return 0
    if request.stage is not None:
        ids = [p.id for p in protocol.phases]
        if request.stage not in ids:
            raise InputError(f"--stage: '{request.stage}' is not a phase of {protocol.id}{did_you_mean(request.stage, ids)}; accepted: {', '.join(ids)}", "stage")
        return ids.index(request.stage)
    if request.days_since_onset is not None:
        weeks_elapsed = request.days_since_onset / 7
        reached = 0.0
        for i, phase in enumerate(protocol.phases):
            reached += phase.week_range(grade)[1]  # the longest typical stay: never skip ahead
            if weeks_elapsed < reached:
                return i
        return len(protocol.phases) - 1
    return 0


def _lengths(phases: tuple[Phase, ...], grade: int | None, weeks: int | None) -> list[int]:
    """Weeks per phase; --weeks cuts the plan short or lengthens the phases in proportion."""
    base = [_phase_weeks(p, grade) for p in phases]
    if weeks is None:
        return base
    total = sum(base)
    if weeks <= total:
        out, left = [], weeks
        for n in base:
            out.append(min(n, left))
            left -= out[-1]
        return out
    out = list(base)
    # Fixed-length phases (a published week-by-week table) are never stretched.
    stretchable = [j for j, p in enumerate(phases) if p.week_range(grade)[0] != p.week_range(grade)[1]] or [len(out) - 1]
    for _ in range(weeks - total):
        i = min(stretchable, key=lambda j: (out[j] / base[j], j))
        out[i] += 1
    return out


@dataclass
class _RunState:
    base: int
    prev: int = 0
    longest: int = 0
    walk_jog_weeks: int = 0


def _running(g: RunningGuidance, last_phase: bool, hold: bool, st: _RunState, request: PlanRequest) -> tuple[RunSession, ...]:
    if g.mode in ("none", "cross-train"):
        st.prev = 0
        return ()
    share = g.volume_share if g.volume_share is not None else 1.0
    cap = max(MIN_RUN_MIN, int(st.base * share))
    if st.prev == 0:
        target = cap if g.mode == "keep-running" else min(cap, RUN_START_CAP_MIN, max(MIN_RUN_MIN, int(st.base * RUN_START_SHARE)))
    elif hold:
        target = min(st.prev, cap)
    else:
        target = min(math.floor(st.prev * RUN_RISE), cap)
    if st.prev:
        target = min(target, math.floor(st.prev * RUN_RISE))
    n = min(request.days_per_week, 3 if g.mode == "walk-jog" else 4)
    n = max(1, min(n, target // MIN_RUN_MIN))
    per = target // n
    if st.longest:
        per = min(per, math.floor(st.longest * RUN_RISE))
    if g.mode == "walk-jog":
        jog, walk = WALK_JOG[min(st.walk_jog_weeks, len(WALK_JOG) - 1)]
        pattern = f"Walk-jog: jog {jog} min, walk {walk} min, repeat for {per} min"
        if not hold:
            st.walk_jog_weeks += 1
    elif g.mode == "keep-running" and share >= 1:
        pattern = f"Your usual running, {per} min a run on average"
    elif g.mode == "keep-running":
        pattern = f"Easy run of {per} min on flat ground, slower than your usual pace"
    elif g.mode in ("strides", "speed") and last_phase and g.speed:
        pattern = f"Easy run of {per} min, then 4-6 relaxed strides of 15-20 s with a full walk back"
    else:
        pattern = f"Easy continuous run of {per} min"
    if g.hills and last_phase:
        pattern += "; gentle hills allowed"
    st.prev = per * n
    st.longest = max(st.longest, per)
    return tuple(RunSession(day, per, pattern, g.effort) for day in SPREAD[n])


def _referral_plan(request: PlanRequest, protocol: Protocol | None, referral: Referral, catalogue: Catalogue) -> Plan:
    sources = tuple((k, catalogue.references[k].citation if k in catalogue.references else k) for k in referral.sources)
    return Plan(
        request=request, diagnosis=request.diagnosis,
        diagnosis_name=protocol.name if protocol else request.diagnosis,
        plain_name=protocol.plain_name if protocol else request.diagnosis,
        what_it_is=protocol.what_it_is if protocol else "", what_to_expect="",
        borrowed_from=None, referral=referral, phases=(), weeks=(), cautions=(), avoid=(), sources=sources,
        grade=request.grade,
    )


def build(request: PlanRequest, catalogue: Catalogue) -> Plan:
    """The whole plan for one runner; the same request and catalogue always give the same Plan."""
    protocol = catalogue.protocol(request.diagnosis)
    grade = _grade(request, protocol)
    referral = screen(request)
    if referral is not None:
        return _referral_plan(request, protocol, referral, catalogue)

    start = _start_index(request, protocol, grade)
    phases = protocol.phases[start:]
    lengths = _lengths(phases, grade, request.weeks)
    total = sum(lengths)
    chooser = _Chooser(catalogue, request)
    base_min = round(request.runner_km_per_week * PACE_MIN_PER_KM) if request.runner_km_per_week else DEFAULT_WEEKLY_MIN
    run_state = _RunState(base=max(base_min, MIN_RUN_MIN))
    plan_notes: list[str] = []
    used: dict[str, Exercise] = {}
    sources: dict[str, None] = dict.fromkeys(protocol.sources)
    weeks: list[Week] = []
    planned_phases: list[PlanPhase] = []
    number = 0
    for phase, n_weeks in zip(phases, lengths):
        if n_weeks == 0:
            continue
        last_phase = phase is protocol.phases[-1]
        sources.update(dict.fromkeys(phase.sources))
        first = number + 1
        level = 0
        for k in range(n_weeks):
            number += 1
            hold = total > HOLD_AFTER and number % HOLD_EVERY == 0
            if k > 0 and not hold and not (number == 1 and request.pain >= 5):
                level += 1
            prescriptions, notes = _week_prescriptions(phase, k, level, request, grade, chooser, used, sources, plan_notes)
            running = _running(phase.running, last_phase, hold, run_state, request)
            week_notes = list(notes)
            if hold:
                week_notes.append("Hold week: keep last week's doses and running; let your body catch up.")
            weeks.append(Week(number, phase.id, request.start + dt.timedelta(days=7 * (number - 1)),
                              tuple(prescriptions), running, checkpoint=(k == n_weeks - 1), hold=hold, notes=tuple(week_notes)))
        planned_phases.append(PlanPhase(phase.id, phase.name, phase.tag, tuple(range(first, number + 1)), phase.goals, phase.avoid,
                                        phase.pain_rules, phase.running, phase.exit_criteria, phase.sources))
        sources.update(dict.fromkeys(phase.pain_rules.sources))
        for c in phase.exit_criteria:
            sources.update(dict.fromkeys(c.sources))
    if start > 0 and request.stage is None and request.days_since_onset is not None:
        plan_notes.insert(0, f"Starts at the '{phases[0].name}' phase because the pain began {request.days_since_onset} days ago. "
                             f"If you have not yet done the earlier phases' exercises, start from the first phase instead "
                             f"(--stage {protocol.phases[0].id}).")
    elif start > 0:
        plan_notes.insert(0, f"Starts at the '{phases[0].name}' phase; earlier phases are already behind you.")
    if request.pain >= 5:
        plan_notes.insert(0, f"Your pain now is {request.pain}/10, so the plan starts at the first phase and does not progress in week 1.")
    if protocol.grades and request.grade is None:
        plan_notes.insert(0, f"No grade was given, so the plan assumes grade {DEFAULT_GRADE}; ask your clinician to confirm it.")
    if request.weeks is not None and request.weeks < sum(_phase_weeks(p, grade) for p in phases):
        plan_notes.append("This plan is shorter than the whole protocol: ask for the next weeks once you pass its last checkpoint.")
    return Plan(
        request=request, diagnosis=protocol.id, diagnosis_name=protocol.name, plain_name=protocol.plain_name,
        what_it_is=protocol.what_it_is, what_to_expect=protocol.what_to_expect, borrowed_from=protocol.borrowed_from,
        referral=None, phases=tuple(planned_phases), weeks=tuple(weeks), cautions=protocol.cautions, avoid=protocol.avoid,
        sources=tuple((k, catalogue.references[k].citation if k in catalogue.references else k) for k in sources),
        notes=tuple(dict.fromkeys(plan_notes)), grade=grade, exercises=tuple(used.values()),
    )


def _week_prescriptions(phase: Phase, k: int, level: int, request: PlanRequest, grade: int | None, chooser: _Chooser,
                        used: dict[str, Exercise], sources: dict[str, None], plan_notes: list[str]) -> tuple[list[Prescription], list[str]]:
    out: list[Prescription] = []
    notes: list[str] = []
    weak = request.weak_glute_side
    weak_covered = False
    for px in phase.exercises:
        if px.grades and grade not in px.grades:
            continue
        ex, why = chooser.choose(px.exercise, phase.tag)
        if why:
            plan_notes.append(why)
        if ex is None or any(p.exercise == ex.id for p in out):
            continue
        dose = _base_dose(ex, px) if ex.id == px.exercise else _carried(ex, px)
        extra: tuple[str, ...] = ()
        if px.schedule and ex.id == px.exercise:
            dose = _scheduled(dose, px, k)
        else:
            ex, dose, extra = _progress(ex, dose, px, level, chooser, phase.tag)
        glute = px.glute or bool(GLUTES & set(ex.targets))
        extra_side = weak if (weak and glute and ex.per_side) else None
        weak_covered = weak_covered or extra_side is not None
        own_note = (px.note,) if px.note and ex.id == px.exercise else ()
        out.append(_prescription(ex, dose, request, extra + own_note, extra_side))
        used.setdefault(ex.id, ex)
        sources.update(dict.fromkeys(ex.sources))
    if weak and not weak_covered:
        ex = chooser.catalogue.exercises.get("power-position-hold")
        if ex is not None and chooser.usable(ex, phase.tag):
            out.append(_prescription(ex, _base_dose(ex, None), request, (f"Extra glute work for your weaker {weak} side.",), weak, only_side=weak))
            used.setdefault(ex.id, ex)
            sources.update(dict.fromkeys(ex.sources))
    return out, notes


def _prescription(ex: Exercise, dose: _Dose, request: PlanRequest, notes: tuple[str, ...], extra_side: str | None, only_side: str | None = None) -> Prescription:
    sides = f"{only_side} leg only" if only_side else _sides(ex, request)
    if extra_side and not only_side:
        notes = notes + (f"One extra set on the {extra_side} side (your weaker glutes).",)
    return Prescription(
        exercise=ex.id, name=ex.name, category=ex.category, sets=dose.sets, reps=dose.reps, reps_max=dose.reps_max,
        hold_s=dose.hold_s, duration_s=dose.duration_s, rest_s=dose.rest_s, per_side=ex.per_side, sides=sides,
        times_per_day=dose.times_per_day, days_per_week=len(_days(ex, dose, request)), days=_days(ex, dose, request),
        load=dose.load, notes=notes, extra_set_side=extra_side if not only_side else None,
    )
