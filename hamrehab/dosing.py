"""Doses week by week: the protocol's dose, a substitute's fair share of it, published tables,
first exposures, and the one-step-a-week progression, always inside each exercise's limits.

Also which exercise stands in when the runner lacks equipment (`Chooser`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .catalogue import Catalogue
from .model import DoseOverride, Exercise, PhaseExercise, PlanRequest, ScheduledDose

STRENGTH = frozenset({"isometric", "eccentric", "concentric"})
ISOTONIC = frozenset({"eccentric", "concentric"})  # moving loading, as opposed to holds


@dataclass(frozen=True)
class Dose:
    """How much of one exercise in one week."""

    sets: int
    reps: int | tuple[int, ...] | None
    reps_max: int | None
    hold_s: float | None
    duration_s: int | None
    rest_s: int | None
    times_per_day: int
    days_per_week: int
    load: str | None


def _override(dose: Dose, over: DoseOverride) -> Dose:
    changes = over.model_dump(exclude_none=True, exclude={"week"})
    if isinstance(changes.get("reps"), list):
        changes["reps"] = tuple(changes["reps"])
    if isinstance(over, ScheduledDose):
        changes.setdefault("reps_max", None)
    return replace(dose, **changes)


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
    changes: dict[str, object] = {"days_per_week": min(base_dose(original, px).days_per_week, dose.days_per_week)}
    if over.times_per_day is not None:
        changes["times_per_day"] = over.times_per_day
    if over.sets is not None:
        changes["sets"] = min(max(over.sets, lim.sets[0]), lim.sets[1])
    if isinstance(over.reps, int) and lim.reps and dose.reps is not None and not isinstance(dose.reps, tuple):
        changes["reps"] = min(max(over.reps, lim.reps[0]), lim.reps[1])
    if over.hold_s is not None and lim.hold_s and dose.hold_s is not None:
        changes["hold_s"] = min(max(over.hold_s, lim.hold_s[0]), lim.hold_s[1])
    if over.duration_s is not None and lim.duration_s and dose.duration_s is not None:
        changes["duration_s"] = min(max(over.duration_s, lim.duration_s[0]), lim.duration_s[1])
    return replace(dose, **changes)


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
        for alt_id in ex.substitutes + ex.easier:
            alt = self.catalogue.exercises.get(alt_id)
            if alt is not None and self.usable(alt, tag) and alt.category != "running":
                why = f"not allowed here ({ban.reason})" if ban else f"needs {self.kit(ex)}"
                return alt, f"{alt.name} replaces {ex.name}, which {why}."
        if ban:
            return None, f"{ex.name} is left out: {ban.reason}"
        return None, f"{ex.name} is left out: it needs {self.kit(ex)} and no alternative fits."

    def kit(self, ex: Exercise) -> str:
        return ", ".join(sorted(e.replace("-", " ") for e in ex.needs - self.have))

    def harder(self, ex: Exercise, tag: str) -> Exercise | None:
        return next((h for h in (self.catalogue.exercises.get(i) for i in ex.harder) if h is not None and self.usable(h, tag)), None)


def progress(ex: Exercise, dose: Dose, px: PhaseExercise, level: int, chooser: Chooser, tag: str) -> tuple[Exercise, Dose, tuple[str, ...]]:
    """Grow the dose `level` steps in the phase's order, one step a week, never past the exercise's limits."""
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
                days = dose.days_per_week
                ex, dose = nxt, default_dose(nxt)
                dose = replace(dose, days_per_week=min(days, dose.days_per_week))
            elif step == "load" and not loaded and ex.category in STRENGTH | {"activation"}:
                loaded = True
                notes.append("If every set feels easy and pain stays within the rules, add a little weight.")
            else:
                continue
            break
        else:
            break  # nothing left to grow: keep the dose
    return ex, dose, tuple(notes)
