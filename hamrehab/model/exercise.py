"""Catalogue entries: exercises, their contraindications, and the sources they cite."""

from typing import Annotated, Literal

from pydantic import Field, Strict, model_validator

from ..vocab import Category, DiagnosisId, EquipmentId, Muscle, PhaseTag, Position
from .base import Frozen, Line, Name, Sentence, Slug, SourceKey, Url, rule_error
from .dosage import Dosage, ScheduledDose
from .figure import Figure

RunRole = Literal["walk-jog", "continuous", "strides", "warm-up", "cool-down"]
RUN_FORMS: tuple[str, ...] = ("walk-jog", "continuous")  # the run itself: one a day, in the running row


class Contraindication(Frozen):
    """When an exercise must not be given: a diagnosis, a phase kind, or both together."""

    diagnoses: tuple[DiagnosisId, ...] = ()
    phases: tuple[PhaseTag, ...] = ()
    reason: Sentence

    @model_validator(mode="after")
    def _names_something(self) -> "Contraindication":
        if not self.diagnoses and not self.phases:
            raise rule_error("diagnoses", "a contraindication needs diagnoses, phases or both")
        return self

    def applies(self, diagnosis: str, phase_tag: str | None) -> bool:
        """True when this contraindication forbids the exercise for that diagnosis and phase."""
        if self.diagnoses and diagnosis not in self.diagnoses:
            return False
        return not self.phases or phase_tag in self.phases


class Exercise(Frozen):
    """One catalogue entry, written for a runner reading at home."""

    id: Slug
    name: Name
    aliases: Annotated[tuple[Name, ...], Field(max_length=10)] = ()
    category: Category
    summary: Sentence = Field(description="One sentence: what it does and why it helps.")
    targets: Annotated[tuple[Muscle, ...], Field(min_length=1, max_length=15)]
    equipment: Annotated[tuple[EquipmentId, ...], Field(min_length=1, max_length=10)]
    position: Position
    steps: Annotated[tuple[Sentence, ...], Field(min_length=2, max_length=12)]
    cues: Annotated[tuple[Line, ...], Field(min_length=1, max_length=10)]
    mistakes: Annotated[tuple[Sentence, ...], Field(min_length=1, max_length=10)]
    easier: Annotated[tuple[Slug, ...], Field(max_length=10)] = ()
    harder: Annotated[tuple[Slug, ...], Field(max_length=10)] = ()
    substitutes: Annotated[tuple[Slug, ...], Field(max_length=10)] = Field(
        (), description="Same purpose, other equipment: used when the runner lacks this one's.")
    per_side: Annotated[bool, Strict()]
    dosage: Dosage
    caution: Sentence | None = None
    contraindications: Annotated[tuple[Contraindication, ...], Field(max_length=20)] = ()
    video_url: Url | None = None
    figure: Figure
    run_role: RunRole | None = Field(None, description=(
        "Its part in a run, when it has one: 'walk-jog' or 'continuous' (the run itself, shown in each "
        "week's running row, never as a separate exercise); 'strides' (done after an easy run, on that run's day); "
        "'warm-up' (a drill done only on run days, just before the run); 'cool-down' (done only on run days, "
        "straight after the run, e.g. a static stretch while warm)."))
    heavy: Annotated[bool, Strict()] = Field(False, description=(
        "Heavy hamstring work (Nordics, deadlifts): never two days running, and never within 48 hours before fast running."))
    first_exposure: Annotated[tuple[ScheduledDose, ...], Field(max_length=12)] = Field((), description=(
        "Doses for the first weeks a runner ever does this exercise, whatever the phase (e.g. Nordic weeks 1-2 "
        "of petersen-2011); week 1 = the first week it appears in a plan."))
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1, max_length=20)]

    @model_validator(mode="after")
    def _role_fits_category(self) -> "Exercise":
        if self.run_role in RUN_FORMS + ("strides",) and self.category != "running":
            raise rule_error("run_role", f"run_role '{self.run_role}' is for running exercises; this one's category is {self.category}")
        if self.run_role in ("warm-up", "cool-down") and self.category not in ("drill", "activation", "mobility"):
            raise rule_error("run_role", f"a {self.run_role} must be a drill, activation or mobility exercise, not {self.category}")
        if self.category == "running" and self.run_role is None:
            raise rule_error("run_role", "a running exercise needs a run_role (walk-jog, continuous or strides): it is placed in the running row")
        return self

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
    citation: Sentence
    url: Url | None = None
    note: Sentence | None = None
