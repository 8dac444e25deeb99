"""Doses week by week: the protocol's dose, a substitute's fair share of it, published tables,
first exposures, and the one-step-a-week progression, always inside each exercise's limits.

Also which exercise stands in when the runner lacks equipment (`Chooser`).
"""
from __future__ import annotations

import functools
from typing import Any

from .catalogue import Catalogue
from .model import DoseOverride, Exercise, PhaseExercise, PlanRequest, ScheduledDose
from .plan import Dose, but

STRENGTH = frozenset({"isometric", "eccentric", "concentric"})
ISOTONIC = frozenset({"eccentric", "concentric"})  # moving loading, as opposed to holds


def loads_the_tendon(ex: Exercise) -> bool:
    """Moving work of the hamstrings, which a tendon protocol gives at most 3 days a week with a day between:
    lowering and lifting exercises, and the bridges filed as activation that lift the hips on the hamstrings
    (a chair bridge works them near the knee). Holds without movement stay daily: they ease tendon pain."""
    return ex.category in ISOTONIC or (ex.category == "activation" and "hamstrings" in ex.targets)


@functools.lru_cache(maxsize=4096)
def _changes(over: DoseOverride) -> tuple[tuple[str, Any], ...]:
    """The fields a protocol's dose change sets. A protocol's changes are the same few objects week after week
    and plan after plan, so each is read once per process (the models are frozen: hashable, never changed)."""
    changes = over.model_dump(exclude_none=True, exclude={"week"})
    if isinstance(changes.get("reps"), list):
        changes["reps"] = tuple(changes["reps"])
    if isinstance(over, ScheduledDose):
        changes.setdefault("reps_max", None)
    return tuple(changes.items())


def _override(dose: Dose, over: DoseOverride) -> Dose:
    return but(dose, **dict(_changes(over)))


def default_dose(ex: Exercise) -> Dose:
    """The catalogue's own starting dose of an exercise."""
    d = ex.dosage
    return Dose(d.sets, d.reps, None, d.hold_s, d.duration_s, d.rest_s, d.times_per_day, d.days_per_week, d.load)


def base_dose(ex: Exercise, px: PhaseExercise | None) -> Dose:
    """The phase's entry dose: the exercise's default with the protocol's changes."""
    dose = default_dose(ex)
    return _override(dose, px.dose) if px is not None else dose


def carried(alt: Exercise, original: Exercise, px: PhaseExercise) -> Dose:
    """A substitute keeps the protocol's dose where it fits (clamped to its own limits),
    and always the original's days a week: a stand-in never loads more often."""
    dose = default_dose(alt)
    lim = alt.dosage.limits
    over = px.dose
    # Each field keeps the substitute's own default unless the protocol's change applies to it.
    days_per_week = min(base_dose(original, px).days_per_week, dose.days_per_week)
    times_per_day = dose.times_per_day if over.times_per_day is None else over.times_per_day
    sets = dose.sets if over.sets is None else _clamp(over.sets, lim.sets)
    reps = dose.reps
    if over.reps is not None and lim.reps and dose.reps is not None and not isinstance(dose.reps, tuple):
        reps = _clamp(over.reps, lim.reps)  # a number, or one a set (12, 10, 8)
    hold_s = dose.hold_s
    if over.hold_s is not None and lim.hold_s and dose.hold_s is not None:
        hold_s = _clamp(over.hold_s, lim.hold_s)
    duration_s = dose.duration_s
    if over.duration_s is not None and lim.duration_s and dose.duration_s is not None:
        duration_s = _clamp(over.duration_s, lim.duration_s)
    return but(dose, days_per_week=days_per_week, times_per_day=times_per_day, sets=sets, reps=reps,
                   hold_s=hold_s, duration_s=duration_s)


def _clamp(value: Any, limits: tuple[float, float] | None) -> Any:
    """A number, or each of a tuple (or list) of numbers, inside [low, high]; unchanged without limits."""
    if value is None or limits is None:
        return value
    if isinstance(value, (tuple, list)):
        return tuple(_clamp(v, limits) for v in value)
    kept = min(max(value, limits[0]), limits[1])
    return int(kept) if isinstance(value, int) and float(kept).is_integer() else kept  # a whole number stays one


def inside_limits(dose: Dose, ex: Exercise) -> Dose:
    """The dose inside the exercise's own safe range: for a table written for another exercise it stands in for."""
    lim = ex.dosage.limits
    return but(dose, sets=_clamp(dose.sets, lim.sets), reps=_clamp(dose.reps, lim.reps), reps_max=_clamp(dose.reps_max, lim.reps),
               hold_s=_clamp(dose.hold_s, lim.hold_s), duration_s=_clamp(dose.duration_s, lim.duration_s))


def table_dose(dose: Dose, table: tuple[ScheduledDose, ...], week: int) -> Dose:
    """The dose of a week-by-week table (week 1 = its first week): the latest entry at or before it."""
    entries = [s for s in table if s.week <= week]
    if not entries:
        return dose
    return _override(dose, max(entries, key=lambda s: s.week))


def table_length(table: tuple[ScheduledDose, ...]) -> int:
    """The last week a table changes the dose (0 for no table)."""
    return max((s.week for s in table), default=0)


class Chooser:
    """Picks usable exercises: the runner has the equipment, and it is not contraindicated here."""

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
        words = self.catalogue.wording.exercise_notes
        for alt_id in ex.substitutes + ex.easier:
            alt = self.catalogue.exercises.get(alt_id)
            if alt is not None and self.usable(alt, tag) and alt.category != "running":
                if ban:
                    return alt, words.substitute_banned.format(substitute=alt.name, exercise=ex.name, reason=ban.reason)
                return alt, words.substitute_kit.format(substitute=alt.name, exercise=ex.name, kit=self.kit(ex))
        return None, self.left_out(ex, tag)

    def left_out(self, ex: Exercise, tag: str, covered_by: Exercise | None = None) -> str:
        """Why an exercise is not in this week: not here for this diagnosis, or kit the runner lacks (and nothing
        stands in, or `covered_by`, already in the phase at its own dose, does)."""
        words = self.catalogue.wording.exercise_notes
        ban = ex.contraindicated(self.diagnosis, tag)
        if ban is not None:
            return words.left_out_banned.format(exercise=ex.name, reason=ban.reason)
        if covered_by is not None:
            return words.left_out_covered.format(exercise=ex.name, kit=self.kit(ex), substitute=covered_by.name)
        return words.left_out_kit.format(exercise=ex.name, kit=self.kit(ex))

    def kit(self, ex: Exercise) -> str:
        return ", ".join(sorted(e.replace("-", " ") for e in ex.needs - self.have))

    def steps(self, ex: Exercise, tags: frozenset[str], left_out: frozenset[str] = frozenset()) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The names of the easier and of the harder forms an exercise's card may suggest: only those this runner
        has the kit for, that are allowed in every kind of phase (`tags`) the plan uses the exercise in, and that
        the clinician has not left out (`left_out`)."""
        def fit(ids: tuple[str, ...]) -> tuple[str, ...]:
            alts = (self.catalogue.exercises.get(i) for i in ids if i not in left_out)
            return tuple(a.name for a in alts if a is not None and a.needs <= self.have
                         and all(a.contraindicated(self.diagnosis, t) is None for t in tags))
        return fit(ex.easier), fit(ex.harder)

    def harder(self, ex: Exercise, tag: str) -> Exercise | None:
        """The first harder form to step up to: usable here, and never a run (runs are planned in the running row:
        walking steps up to walk-jog there, not as an exercise)."""
        return next((h for h in (self.catalogue.exercises.get(i) for i in ex.harder)
                     if h is not None and self.usable(h, tag) and h.category != "running"), None)


def progress(ex: Exercise, dose: Dose, px: PhaseExercise, level: int, chooser: Chooser, tag: str,
             taken: frozenset[str] = frozenset()) -> tuple[Exercise, Dose, tuple[str, ...]]:
    """Grow the dose `level` steps in the phase's order, one step a week, never past the exercise's limits; never to a
    harder form in `taken`: one the clinician left out, or one in the week already at its own dose."""
    notes: list[str] = []
    words = chooser.catalogue.wording.exercise_notes
    loaded = False
    for _ in range(level):
        lim = ex.dosage.limits
        for step in px.progression:
            if step == "reps" and isinstance(dose.reps, int) and lim.reps and dose.reps < lim.reps[1]:
                dose = but(dose, reps=min(dose.reps + 2, lim.reps[1]))
            elif step == "sets" and dose.sets < lim.sets[1]:
                dose = but(dose, sets=dose.sets + 1)
            elif step == "hold" and dose.hold_s is not None and lim.hold_s and dose.hold_s < lim.hold_s[1]:
                dose = but(dose, hold_s=min(dose.hold_s + 2, lim.hold_s[1]))
            elif step == "harder" and (nxt := chooser.harder(ex, tag)) is not None and nxt.id not in taken:
                notes.append(words.progressed.format(exercise=ex.name))
                days = dose.days_per_week
                ex, dose = nxt, default_dose(nxt)
                dose = but(dose, days_per_week=min(days, dose.days_per_week))
            elif step == "load" and not loaded and ex.category in STRENGTH | {"activation"}:
                loaded = True
                notes.append(words.add_load)
            else:
                continue
            break
        else:
            break  # nothing left to grow: keep the dose
    return ex, dose, tuple(notes)
