"""Typed, immutable models of everything hamrehab reads: exercises, protocols, requests.

Pydantic does the structural checking (types, required fields, fixed vocabularies,
positive numbers, unknown fields) and gives the JSON Schema that clinicians' editors
use for completion. Rules that span several fields (a dosage inside its own limits)
live in validators here, so a model built from Python is as safe as one read from YAML.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from .vocab import (
    BodyPoint,
    Category,
    DiagnosisId,
    DosageKind,
    EquipmentId,
    Muscle,
    PhaseTag,
    Position,
    PropKind,
)

# ---------------------------------------------------------------- scalar types
Text = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[
    str, Strict(), StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)
]
SourceKey = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*$")]
PosInt = Annotated[int, Strict(), Field(gt=0)]
NonNegInt = Annotated[int, Strict(), Field(ge=0)]
PosFloat = Annotated[float, Strict(), Field(gt=0)]
Angle = Annotated[float, Strict(), Field(ge=-360, le=360)]
Url = Annotated[str, Strict(), StringConstraints(pattern=r"^https?://\S+$")]
Reps = PosInt | tuple[PosInt, ...]
Side = Literal["left", "right", "both"]


class Frozen(BaseModel):
    """Base: unknown fields are errors, instances never change after validation."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def rule_error(field: str, message: str) -> PydanticCustomError:
    """A cross-field error that still names the field, so the loader can find its line."""
    return PydanticCustomError("rule", "{message}", {"message": message, "field": field})


# ---------------------------------------------------------------- dosage
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
    reps: Reps | None = Field(None, description="Reps per set, or one number per set (e.g. [12, 10, 8]); for 'hold' the number of holds, for 'intervals' the number of bouts.")
    hold_s: PosFloat | None = Field(None, description="Seconds each rep is held.")
    duration_s: PosInt | None = Field(None, description="Seconds of work per set (duration) or per bout (intervals).")
    rest_s: NonNegInt | None = Field(None, description="Rest between sets or bouts, seconds.")
    times_per_day: Annotated[int, Strict(), Field(ge=1, le=6)] = 1
    days_per_week: Annotated[int, Strict(), Field(ge=1, le=7)] = 7
    load: Text | None = Field(None, description="Plain words, e.g. 'body weight' or 'a light dumbbell'.")
    basis: Text | None = Field(None, description="Where the numbers come from; say '(unconfirmed)' for a sensible default no source gives.")
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
    load: Text | None = None


# ---------------------------------------------------------------- figure
class Limb(Frozen):
    """Segment directions of one side's leg and arm, degrees: 0 = the way the figure faces,
    90 = up, 180 = behind, 270 (or -90) = down."""

    thigh: Angle
    shank: Angle
    foot: Angle
    upper_arm: Angle
    forearm: Angle


class Prop(Frozen):
    """A piece of equipment drawn against a body point (a chair under the heels...)."""

    kind: PropKind
    at: BodyPoint | None = Field(None, description="Body point the prop touches; the floor needs none.")


class Pose(Frozen):
    """One still picture of the side-view stick figure, facing right."""

    label: Text | None = None
    trunk: Angle = Field(description="Direction from hip to shoulder: 90 = upright, 180 = lying on the back with the head to the left.")
    head: Angle | None = Field(None, description="Direction from shoulder to head; defaults to the trunk's.")
    near: Limb
    far: Limb | None = Field(None, description="The limbs further from the viewer; default: hidden behind the near ones.")
    props: tuple[Prop, ...] = ()


class Figure(Frozen):
    """Start and end positions of the movement, for the handout's drawings."""

    start: Pose
    end: Pose | None = None
    arrow: BodyPoint | None = Field(None, description="The point whose path the movement arrow follows.")


# ---------------------------------------------------------------- exercise
class Contraindication(Frozen):
    """When an exercise must not be given: a diagnosis, a phase kind, or both together."""

    diagnoses: tuple[DiagnosisId, ...] = ()
    phases: tuple[PhaseTag, ...] = ()
    reason: Text

    @model_validator(mode="after")
    def _names_something(self) -> "Contraindication":
        if not self.diagnoses and not self.phases:
            raise rule_error("diagnoses", "a contraindication needs diagnoses, phases or both")
        return self

    def applies(self, diagnosis: str, phase_tag: str | None) -> bool:
        """True when this contraindication forbids the exercise for that diagnosis and phase."""
        if self.diagnoses and diagnosis not in self.diagnoses:
            return False
        if self.phases and phase_tag not in self.phases:
            return False
        return True


class Exercise(Frozen):
    """One catalogue entry, written for a runner reading at home."""

    id: Slug
    name: Text
    aliases: tuple[Text, ...] = ()
    category: Category
    summary: Text = Field(description="One sentence: what it does and why it helps.")
    targets: Annotated[tuple[Muscle, ...], Field(min_length=1)]
    equipment: Annotated[tuple[EquipmentId, ...], Field(min_length=1)]
    position: Position
    steps: Annotated[tuple[Text, ...], Field(min_length=2)]
    cues: Annotated[tuple[Text, ...], Field(min_length=1)]
    mistakes: Annotated[tuple[Text, ...], Field(min_length=1)]
    easier: tuple[Slug, ...] = ()
    harder: tuple[Slug, ...] = ()
    substitutes: tuple[Slug, ...] = Field((), description="Same purpose, other equipment: used when the runner lacks this one's.")
    per_side: Annotated[bool, Strict()]
    dosage: Dosage
    caution: Text | None = None
    contraindications: tuple[Contraindication, ...] = ()
    video_url: Url | None = None
    figure: Figure
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]

    def contraindicated(self, diagnosis: str, phase_tag: str | None) -> Contraindication | None:
        """The first contraindication that forbids this exercise there, if any."""
        return next((c for c in self.contraindications if c.applies(diagnosis, phase_tag)), None)

    @property
    def needs(self) -> frozenset[str]:
        """Equipment a runner must have for this exercise ('none' needs nothing)."""
        return frozenset(e for e in self.equipment if e != "none")


class Reference(Frozen):
    """A source document or paper that exercises and rules cite by key."""

    key: SourceKey
    citation: Text
    url: Url | None = None
    note: Text | None = None


# ---------------------------------------------------------------- protocol
WeekRange = tuple[PosInt, PosInt]


class ExitCriterion(Frozen):
    """One box on a phase's checkpoint: all must be ticked before moving on."""

    text: Text
    kind: Literal["home-test", "published", "clinician"] = "home-test"
    sources: tuple[SourceKey, ...] = ()


class PainRules(Frozen):
    """How much pain is acceptable, in this phase, during and after loading."""

    during_max: Annotated[int, Strict(), Field(ge=0, le=10)] = Field(description="Highest pain (0-10) allowed during an exercise or run.")
    next_morning: Text = Field(description="What the next morning must look like to carry on.")
    stop_if: Text = Field(description="When to stop the session at once.")
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]


RunningMode = Literal["none", "cross-train", "walk-jog", "continuous", "keep-running", "strides", "speed"]


class RunningGuidance(Frozen):
    """What running, if any, this phase allows; the planner turns it into minutes week by week."""

    mode: RunningMode = Field(description="none; cross-train (no running); walk-jog; continuous easy running; keep-running (running carried on at reduced speed); strides or speed (last phase only).")
    effort: Text = Field(description="Plain words, e.g. 'easy: you can talk in full sentences'.")
    notes: tuple[Text, ...] = ()
    hills: Annotated[bool, Strict()] = False
    speed: Annotated[bool, Strict()] = False
    volume_share: Annotated[float, Strict(), Field(gt=0, le=1)] | None = Field(
        None, description="Ceiling on weekly running as a share of the runner's pre-injury volume.")
    sources: tuple[SourceKey, ...] = ()


ProgressionStep = Literal["reps", "sets", "hold", "harder", "load"]


class ScheduledDose(DoseOverride):
    """An explicit dose for one week of a phase (a published week-by-week table)."""

    week: PosInt = Field(description="Week within the phase, 1 = the phase's first week; later weeks keep the last dose given.")
    reps_max: PosInt | None = Field(None, description="Upper end when the table gives a range, e.g. 6-8 reps.")


class PhaseExercise(Frozen):
    """An exercise a phase prescribes, with any change to its default dose and how it progresses."""

    exercise: Slug
    dose: DoseOverride = DoseOverride()
    schedule: tuple[ScheduledDose, ...] = Field((), description="Week-by-week doses; when given, they replace the progression rule.")
    progression: tuple[ProgressionStep, ...] = Field(
        ("reps", "sets", "hold"), description="Order in which the dose grows, one step a week while the pain rules are kept; empty = no progression.")
    grades: tuple[Annotated[int, Strict(), Field(ge=1, le=3)], ...] = Field((), description="Only for these strain grades; empty = all.")
    glute: Annotated[bool, Strict()] = Field(False, description="Glute work: the weak-glute side gets an extra set.")
    note: Text | None = None


class Phase(Frozen):
    """One stage of a protocol, ending with its checkpoint."""

    id: Slug
    tag: PhaseTag
    name: Text
    goals: Annotated[tuple[Text, ...], Field(min_length=1)]
    weeks: WeekRange | dict[Annotated[int, Field(ge=1, le=3)], WeekRange] = Field(
        description="Typical length in weeks [min, max], or one range per strain grade {1: [1, 1], 2: [1, 2], 3: [2, 3]}.")
    exercises: Annotated[tuple[PhaseExercise, ...], Field(min_length=1)]
    running: RunningGuidance
    avoid: tuple[Text, ...] = ()
    pain_rules: PainRules
    exit_criteria: Annotated[tuple[ExitCriterion, ...], Field(min_length=1)]
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]

    def week_range(self, grade: int | None) -> tuple[int, int]:
        """Typical (min, max) weeks for this grade (grade 2 when none is given)."""
        if isinstance(self.weeks, dict):
            return self.weeks.get(grade or 2, max(self.weeks.values()))
        return self.weeks


class Protocol(Frozen):
    """The phased plan for one diagnosis, with the words the handout explains it in."""

    id: DiagnosisId
    name: Text
    plain_name: Text = Field(description="The diagnosis in plain words, for the cover.")
    what_it_is: Text
    what_to_expect: Text
    borrowed_from: DiagnosisId | None = Field(None, description="When no protocol of its own exists: whose it adapts (said in the plan).")
    grades: tuple[Annotated[int, Strict(), Field(ge=1, le=3)], ...] = Field((), description="Strain grades this protocol accepts; empty = grades do not apply.")
    phases: Annotated[tuple[Phase, ...], Field(min_length=1)]
    avoid: tuple[Text, ...] = ()
    cautions: tuple[Text, ...] = ()
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]

    def phase(self, phase_id: str) -> Phase | None:
        """The phase with that id, if any."""
        return next((p for p in self.phases if p.id == phase_id), None)


# ---------------------------------------------------------------- request
# Found in almost every home: a chair, a stair, a towel, a wall, a sofa to hook the heels under,
# frozen peas, a hot-water bottle.
HOME_KIT: tuple[str, ...] = ("chair", "step", "towel", "wall", "anchor-or-partner", "ice-pack", "heat-pack")


class PlanRequest(Frozen):
    """Everything the planner needs to know about one runner; the start date comes from here."""

    diagnosis: DiagnosisId
    grade: Annotated[int, Strict(), Field(ge=1, le=3)] | None = None
    stage: Slug | None = None
    days_since_onset: NonNegInt | None = None
    side: Side = "both"
    weeks: Annotated[int, Strict(), Field(ge=1, le=52)] | None = None
    start: dt.date
    name: Annotated[str, Strict(), StringConstraints(max_length=200)] = ""
    patient_id: Annotated[str, Strict(), StringConstraints(max_length=100)] = ""
    equipment: tuple[EquipmentId, ...] = Field(
        HOME_KIT, description="What the runner has; default: what almost every home has (chair, step, towel, wall, a sofa to hook the heels under, ice pack, heat pack). 'none' alone: nothing at all.")
    days_per_week: Annotated[int, Strict(), Field(ge=1, le=7)] = 3
    pain: Annotated[int, Strict(), Field(ge=0, le=10)] = 0
    red_flags: tuple[Slug, ...] = ()
    weak_glute_side: Literal["left", "right"] | None = None
    runner_km_per_week: Annotated[float, Strict(), Field(ge=0, le=300)] | None = None
    clinician_cleared: Annotated[bool, Strict()] = False
    notes: Annotated[str, Strict(), StringConstraints(max_length=4000)] = Field(
        "", description="The clinician's own notes for the runner, printed on the plan (up to 4000 characters).")
