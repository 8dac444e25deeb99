"""Doses: an exercise's default dose, its safe limits, and the changes protocols and clinicians make.

Rules that span several fields (a dose inside its own limits) live in validators here, so a
model built from Python is as safe as one read from YAML.
"""

from typing import Annotated

from pydantic import Field, Strict, model_validator

from ..vocab import DosageKind
from .base import Frozen, Line, NonNegInt, PosFloat, PosInt, Reps, Sentence, rule_error

IntRange = tuple[PosInt, PosInt]
FloatRange = tuple[PosFloat, PosFloat]


class DosageLimits(Frozen):
    """The safe range of each dose figure: what any protocol or clinician may prescribe."""

    sets: IntRange
    reps: IntRange | None = None
    hold_s: FloatRange | None = None
    duration_s: IntRange | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "DosageLimits":
        for name in ("sets", "reps", "hold_s", "duration_s"):
            rng = getattr(self, name)
            if rng is not None and rng[0] > rng[1]:
                raise rule_error(name, f"{name} limits [{rng[0]}, {rng[1]}]: the first number must not exceed the second")
        return self


DOSE_FIELDS = ("sets", "reps", "hold_s", "duration_s")
REQUIRED_BY_KIND: dict[str, tuple[str, ...]] = {
    "reps": ("reps",),
    "hold": ("reps", "hold_s"),
    "duration": ("duration_s",),
    "intervals": ("reps", "duration_s"),
}


def dose_problems(dose: "Dosage | DoseOverride", kind: str, limits: DosageLimits) -> list[tuple[str, str]]:
    """Each (field, message) where a dose breaks its kind or its exercise's limits."""
    problems: list[tuple[str, str]] = []
    for name in DOSE_FIELDS:
        value = getattr(dose, name)
        if value is None:
            continue
        rng = getattr(limits, name)
        if rng is None:
            problems.append((name, f"{name} is given but limits has no {name} range"))
            continue
        for v in value if isinstance(value, tuple) else (value,):
            if not rng[0] <= v <= rng[1]:
                problems.append((name, f"{name} {v} is outside this exercise's safe limits [{rng[0]}, {rng[1]}]"))
                break
    for name in REQUIRED_BY_KIND.get(kind, ()):
        if getattr(dose, name, None) is None and isinstance(dose, Dosage):
            problems.append((name, f"a '{kind}' dosage needs {name}"))
    reps = getattr(dose, "reps", None)
    if isinstance(reps, tuple) and dose.sets is not None and len(reps) != dose.sets:
        problems.append(("reps", f"reps lists {len(reps)} sets but sets is {dose.sets}"))
    return problems


class Dosage(Frozen):
    """An exercise's default dose, with the limits every prescription must stay inside."""

    kind: DosageKind
    sets: PosInt
    reps: Reps | None = Field(None, description="Reps per set, or one number per set (e.g. [12, 10, 8]); "
                                                "for 'hold' the number of holds, for 'intervals' the number of bouts.")
    hold_s: PosFloat | None = Field(None, description="Seconds each rep is held.")
    duration_s: PosInt | None = Field(None, description="Seconds of work per set (duration) or per bout (intervals).")
    rest_s: NonNegInt | None = Field(None, description="Rest between sets or bouts, seconds.")
    times_per_day: Annotated[int, Strict(), Field(ge=1, le=6)] = 1
    days_per_week: Annotated[int, Strict(), Field(ge=1, le=7)] = 7
    load: Line | None = Field(None, description="Plain words, e.g. 'body weight' or 'a light dumbbell'.")
    basis: Sentence | None = Field(None, description="Where the numbers come from; say '(unconfirmed)' for a sensible default no source gives.")
    limits: DosageLimits

    @model_validator(mode="after")
    def _inside_limits(self) -> "Dosage":
        problems = dose_problems(self, self.kind, self.limits)
        if problems:
            field, _ = problems[0]
            raise rule_error(field, "; ".join(m for _, m in problems))
        return self


class DoseOverride(Frozen):
    """A protocol's or clinician's change to an exercise's default dose; unset fields keep the default."""

    sets: PosInt | None = None
    reps: Reps | None = None
    hold_s: PosFloat | None = None
    duration_s: PosInt | None = None
    rest_s: NonNegInt | None = None
    times_per_day: Annotated[int, Strict(), Field(ge=1, le=6)] | None = None
    days_per_week: Annotated[int, Strict(), Field(ge=1, le=7)] | None = None
    load: Line | None = None

class ScheduledDose(DoseOverride):
    """An explicit dose for one week of a phase (a published week-by-week table)."""

    week: PosInt = Field(description="Week within the phase, 1 = the phase's first week; later weeks keep the last dose given.")
    reps_max: PosInt | None = Field(None, description="Upper end when the table gives a range, e.g. 6-8 reps.")
