"""This week's exercises: which ones (the protocol's, the clinician's changes, stand-ins for missing
equipment, core treatment never dropped quietly), at what dose (entry dose, tables, first Nordic
weeks, one progression step a week, the clinician's own dose), and the weak glute side's extra set.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .catalogue import Catalogue, builtin_handout
from .changes import Changes
from .dosing import Chooser, Dose, base_dose, carried, default_dose, inside_limits, loads_the_tendon, progress, table_dose, table_length
from .model import Exercise, FollowUp, Phase, PhaseExercise, PlanRequest, Protocol
from .model.handout import ExerciseNotes
from .plan import DOSE_FIELDS, Prescription, Week, but
from .running import FORM_EXERCISE, RunState
from .week import Placed, session_of

GLUTES = frozenset({"glutes", "glute-max", "glute-med"})
HAMSTRINGS = frozenset({"hamstrings", "biceps-femoris", "semitendinosus", "semimembranosus"})
LIGHT_CATEGORIES = frozenset({"activation", "isometric", "concentric"})


@dataclass
class PlanState:
    """What carries from week to week: runs, exposures, last week's days, cards and notes."""

    runs: RunState
    exposure: dict[str, int] = field(default_factory=dict)  # weeks each exercise has been done so far
    placed: Placed = field(default_factory=Placed)
    previous: Week | None = None
    used: dict[str, Exercise] = field(default_factory=dict)
    sources: dict[str, None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    missing_core: list[str] = field(default_factory=list)


def volume(d: Dose) -> int:
    reps = sum(d.reps) if isinstance(d.reps, tuple) else (d.reps or 1)
    return d.sets * reps * d.days_per_week


def run_card(phase: Phase, role: str, catalogue: Catalogue) -> Exercise | None:
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
class Entry:
    """One exercise of one week before its days are known."""

    ex: Exercise
    dose: Dose
    notes: tuple[str, ...]
    extra_side: str | None
    only_side: str | None = None
    clinician: bool = False  # added, swapped in or dosed by the clinician
    said: tuple[PhaseExercise, bool] | None = None  # the protocol entry whose note the row prints; as a stand-in?


def continue_from(follow: FollowUp, mode: str, st: PlanState, catalogue: Catalogue) -> dict[str, Dose]:
    """Set the plan's state to where the last plan left off; the doses a follow-up starts from."""
    r = follow.running
    st.runs.jog_week, st.runs.longest, st.runs.kind = r.jog_week, r.longest, r.kind
    st.runs.rung = min(r.rung, len(catalogue.rules.running.walk_jog_ladder) - 1)
    st.runs.extras, st.runs.last_change = r.extras, r.last_change
    st.exposure = dict(follow.exposure)
    heavy = frozenset(d for p in follow.doses if p.exercise in catalogue.exercises and catalogue.exercises[p.exercise].heavy
                      for d in p.days)
    st.placed = Placed(frozenset(follow.strength_days), heavy, frozenset(r.fast_days))
    if mode == "lower":
        return {}
    out = {}
    for p in follow.doses:
        ex = catalogue.exercises.get(p.exercise)
        if ex is None:
            continue
        d = default_dose(ex)
        out[p.exercise] = but(d, sets=p.sets, reps=p.reps, reps_max=p.reps_max, hold_s=p.hold_s, duration_s=p.duration_s,
                                  times_per_day=p.times_per_day, days_per_week=max(1, len(p.days)) if p.days else d.days_per_week)
    return out


def _carried_on(dose: Dose, start: Dose | None, ex: Exercise) -> Dose:
    """A follow-up never resets a dose: the larger of the phase's and where the runner got to, inside the limits."""
    if start is None or volume(start) <= volume(dose):
        return dose
    lim = ex.dosage.limits
    return but(dose, sets=min(max(start.sets, lim.sets[0]), lim.sets[1]), reps=start.reps, reps_max=start.reps_max,
                   hold_s=start.hold_s if dose.hold_s is not None else dose.hold_s,
                   duration_s=start.duration_s if dose.duration_s is not None else dose.duration_s)


def week_entries(phase: Phase, exercises: tuple[PhaseExercise, ...], k: int, level: int, protocol: Protocol, request: PlanRequest,
                 grade: int | None, chooser: Chooser, st: PlanState, exposure_used: dict[int, int], changes: Changes,
                 carry: dict[str, Dose], exact: bool = False) -> list[Entry]:
    """The week's exercises and doses; `exercises` is the phase's list after the clinician's changes;
    `carry` holds a follow-up's doses, which the phase's doses continue from (`exact`: repeated as they are)."""
    out: list[Entry] = []
    words = chooser.catalogue.wording.exercise_notes
    # no harder form the clinician left out, nor one the phase gives at its own dose (a second row of it)
    barred = frozenset(px.exercise for px in exercises if not px.grades or grade in px.grades) | changes.left_out
    for i, px in enumerate(exercises):
        if px.grades and grade not in px.grades:
            continue
        ex, why = chooser.choose(px.exercise, phase.tag)
        if ex is not None and ex.id != px.exercise:  # a stand-in
            wanted = chooser.catalogue.exercises[px.exercise]
            if ex.id in changes.left_out:  # the clinician left the stand-in out: nothing stands in
                ex, why = None, chooser.left_out(wanted, phase.tag)
            elif any(other.exercise == ex.id and (not other.grades or grade in other.grades) for other in exercises):
                # the stand-in is in this phase already, at its own dose: this one is simply left out
                st.notes.append(chooser.left_out(wanted, phase.tag, covered_by=ex))
                continue
        if why:
            st.notes.append(why)
            if ex is None and px.core:
                wanted = chooser.catalogue.exercises[px.exercise]
                st.missing_core.append(words.missing_core.format(exercise=wanted.name, kit=chooser.kit(wanted)))
        if ex is None or ex.run_role in FORM_EXERCISE.values() or ex.run_role == "strides":
            continue  # running forms live in the running row, never as an exercise row
        if any(e.ex.id == ex.id for e in out) or ex.id in changes.left_out:
            continue
        original = chooser.catalogue.exercises[px.exercise]
        stood_in = ex.id != px.exercise
        dose = carried(ex, original, px) if stood_in else base_dose(ex, px)
        used = exposure_used.get(i, 0)
        notes: tuple[str, ...] = ()
        given = changes.dose_of(ex.id)
        clinician = given is not None or px.exercise in {new for _, new in changes.swap} or any(a == px.exercise for a, _ in changes.add)
        if exact and ex.id in carry:  # a follow-up repeating a phase: exactly where the runner got to
            dose = but(carry[ex.id], load=dose.load, rest_s=dose.rest_s)
        elif given is not None:  # the clinician's dose is the start; it grows from there (a range stays as given)
            over, top = given
            dose = but(dose, **{k_: v for k_, v in over.model_dump(exclude_none=True).items()}, reps_max=top)
            dose = _carried_on(dose, carry.get(ex.id), ex)
            if top is None:
                ex, dose, notes = progress(ex, dose, px, max(0, level - used), chooser, phase.tag, barred)
        elif px.schedule and (not stood_in or ex.dosage.kind == original.dosage.kind):
            # a published week-by-week table; a stand-in dosed the same way (the Nordic curl with the heels under a
            # bed) follows it too, inside its own safe range
            start = carry.get(ex.id)
            offset = 0  # a follow-up enters the table at the first week that is not below the dose reached
            if start is not None:
                while offset < table_length(px.schedule) - 1 and volume(table_dose(dose, px.schedule, offset + 1)) < volume(start):
                    offset += 1
            dose = inside_limits(table_dose(dose, px.schedule, k + 1 - used + offset), ex)
        else:
            dose = _carried_on(dose, carry.get(ex.id), ex)
            ex, dose, notes = progress(ex, dose, px, max(0, level - used), chooser, phase.tag, barred)
        done = st.exposure.get(ex.id, 0)
        if done < len(ex.first_exposure):
            first = table_dose(but(dose, reps_max=None), ex.first_exposure, done + 1)
            if volume(first) < volume(dose):
                dose = first
                exposure_used[i] = used + 1
                notes += (words.first_exposure,)
        if protocol.tendon and loads_the_tendon(ex):
            dose = but(dose, days_per_week=min(dose.days_per_week, chooser.catalogue.rules.week.isotonic_max_days))
        # a protocol note may speak of the protocol's dose: with the clinician's own dose it gives way. A stand-in gets
        # the protocol's words for any stand-in, never the note on the exercise it replaces (a harder form gets neither)
        said = None if given is not None or not (stood_in or ex.id == px.exercise) else (px, stood_in)
        own = (words.clinician_dose,) if given is not None else ()
        out.append(Entry(ex, dose, notes + own, _extra_side(ex, px, request), clinician=clinician, said=said))
    weak = request.weak_glute_side
    if weak and not any(e.extra_side for e in out):
        ex = chooser.catalogue.exercises.get("power-position-hold")
        if ex is not None and chooser.usable(ex, phase.tag) and not any(e.ex.id == ex.id for e in out) and ex.id not in changes.left_out:
            out.append(Entry(ex, default_dose(ex), (words.extra_glute_work.format(side=weak),), None, only_side=weak))
    return out


def protocol_note(px: PhaseExercise, stand_in: bool, present: frozenset[str]) -> str | None:
    """The protocol's note for a row (its words for any stand-in, when one stands in): in a week without an exercise
    the note names ("after the leg swings"), the same advice without it."""
    field = "stand_in_note" if stand_in else "note"
    for w in px.without:  # (an entry gives only the notes that name its exercise: the other note stands as written)
        note: str | None = getattr(w, field)
        if w.exercise not in present and note is not None:
            return note
    return getattr(px, field)


def prescription(e: Entry, days: tuple[int, ...], request: PlanRequest, present: frozenset[str],
                 words: ExerciseNotes | None = None) -> Prescription:
    """The week's row of one exercise; `words`: the notes' wording (rules/handout.yaml `exercise_notes`,
    the built-in file when None); `present`: the exercises of the week, which the protocol's note may name."""
    notes = e.notes
    if e.said is not None and (said := protocol_note(*e.said, present)):
        notes = notes + (said,)
    if e.extra_side:
        words = words if words is not None else builtin_handout().exercise_notes
        notes = notes + (words.extra_set.format(side=e.extra_side),)
    d = e.dose
    dose = {name: getattr(d, name) for name in DOSE_FIELDS} | {"days_per_week": len(days)}  # the days it actually has
    return Prescription(
        **dose, exercise=e.ex.id, name=e.ex.name, category=e.ex.category, per_side=e.ex.per_side,
        sides=f"{e.only_side} leg only" if e.only_side else _sides(e.ex, request), days=days, notes=notes,
        extra_set_side=e.extra_side, session=session_of(e.ex), clinician=e.clinician)
