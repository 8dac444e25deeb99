"""Protocols: the phases of one diagnosis, with their exercises, running, pain rules and checkpoints."""

from typing import Annotated, Literal

from pydantic import Field, Strict

from ..vocab import DiagnosisId, EquipmentId, PhaseTag
from .base import Frozen, Line, Name, Sentence, Slug, SourceKey, Text
from .dosage import DoseOverride, ScheduledDose

WeekCount = Annotated[int, Strict(), Field(ge=1, le=52)]
WeekRange = tuple[WeekCount, WeekCount]


class WithoutKit(Frozen):
    """Words for a runner who has not listed a piece of kit, in place of words that assume it
    (a week's running line that suggests cycling, for a runner with no bike)."""

    kit: EquipmentId
    text: Line


def _for_kit(text: str, without: tuple[WithoutKit, ...], have: frozenset[str]) -> str:
    """The first alternative whose kit the runner lacks, else the text as written."""
    return next((w.text for w in without if w.kit not in have), text)


CriterionKind = Literal["home-test", "published", "clinician"]


class WalkingBox(Frozen):
    """A checkpoint box about runs, for a runner who does not run: the running row holds brisk walks, so the box
    asks about those (a published running criterion adapted for walks is a home test, no longer the published one)."""

    text: Sentence
    kind: CriterionKind = "home-test"


class ExitCriterion(Frozen):
    """One box on a phase's checkpoint: all must be ticked before moving on."""

    text: Sentence
    kind: CriterionKind = "home-test"
    sources: tuple[SourceKey, ...] = ()
    without: Annotated[tuple[WithoutKit, ...], Field(max_length=5)] = Field(
        (), description="The same test in words for a runner who has not listed that kit; the first that applies is printed.")
    walking: WalkingBox | None = Field(
        None, description="The box for a runner who does not run (0 km a week: brisk walks instead of runs); "
                          "`hamrehab validate` asks for it on every box about runs.")

    def for_kit(self, have: frozenset[str], walks: bool = False) -> "ExitCriterion":
        """This box as printed for a runner with `have` (`walks`: who does not run): its words settled, the
        alternatives dropped."""
        if walks and self.walking is not None:
            return self.model_copy(update={"text": self.walking.text, "kind": self.walking.kind, "without": (), "walking": None})
        if not self.without and self.walking is None:
            return self
        return self.model_copy(update={"text": _for_kit(self.text, self.without, have), "without": (), "walking": None})


class PainRules(Frozen):
    """How much pain is acceptable, in this phase, during and after loading."""

    during_max: Annotated[int, Strict(), Field(ge=0, le=10)] = Field(description="Highest pain (0-10) allowed during an exercise or run.")
    next_morning: Sentence = Field(description="What the next morning must look like to carry on.")
    stop_if: Sentence = Field(description="When to stop the session at once.")
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]


RunningMode = Literal["none", "cross-train", "walk-jog", "continuous", "keep-running", "strides", "speed"]


class RunningGuidance(Frozen):
    """What running, if any, this phase allows; the planner turns it into minutes week by week."""

    mode: RunningMode = Field(description="none; cross-train (no running); walk-jog; continuous easy running; "
                                          "keep-running (running carried on at reduced speed); strides or speed (last phase only).")
    effort: Line = Field(description="Plain words, e.g. 'easy: you can talk in full sentences'.")
    notes: Annotated[tuple[Line, ...], Field(max_length=10)] = ()
    hills: Annotated[bool, Strict()] = False
    speed: Annotated[bool, Strict()] = False
    volume_share: Annotated[float, Strict(), Field(gt=0, le=1)] | None = Field(
        None, description="Ceiling on weekly running as a share of the runner's pre-injury volume.")
    max_run_minutes: Annotated[int, Strict(), Field(ge=5, le=180)] | None = Field(
        None, description="Longest single run in this phase, minutes of running; default: the planning rules' figure for the phase's tag. "
                          "More weekly running means more runs, never longer ones.")
    sources: tuple[SourceKey, ...] = ()
    effort_without: Annotated[tuple[WithoutKit, ...], Field(max_length=5)] = Field(
        (), description="The effort in words for a runner who has not listed that kit (no cycling advice without a bike); "
                        "the first that applies is printed.")

    @property
    def has_runs(self) -> bool:
        """Whether the phase plans runs (brisk walks for a runner who does not run): its effort and notes are about them."""
        return self.mode not in ("none", "cross-train")

    def for_kit(self, have: frozenset[str]) -> "RunningGuidance":
        """This guidance as printed for a runner with `have`: its effort settled, the alternatives dropped."""
        if not self.effort_without:
            return self
        return self.model_copy(update={"effort": _for_kit(self.effort, self.effort_without, have), "effort_without": ()})


ProgressionStep = Literal["reps", "sets", "hold", "harder", "load"]


class WithoutExercise(Frozen):
    """An entry's note for a week that does not give another exercise its note names ("after the leg swings", "once
    the Diver is pain-free"): the clinician left that one out, or the runner lacks its kit. The same advice, without it."""

    exercise: Slug
    note: Sentence | None = None
    stand_in_note: Sentence | None = None


class PhaseExercise(Frozen):
    """An exercise a phase prescribes, with any change to its default dose and how it progresses."""

    exercise: Slug
    dose: DoseOverride = Field(default_factory=DoseOverride)  # a factory: no schema built at import
    schedule: Annotated[tuple[ScheduledDose, ...], Field(max_length=52)] = Field(
        (), description="Week-by-week doses; when given, they replace the progression rule.")
    progression: tuple[ProgressionStep, ...] = Field(
        ("reps", "sets", "hold"), description="Order in which the dose grows, one step a week while the pain rules are kept; empty = no progression.")
    grades: tuple[Annotated[int, Strict(), Field(ge=1, le=3)], ...] = Field((), description="Only for these strain grades; empty = all.")
    glute: Annotated[bool, Strict()] = Field(False, description="Glute work: the weak-glute side gets an extra set.")
    core: Annotated[bool, Strict()] = Field(False, description=(
        "A core part of the treatment: with missing equipment its no-equipment variant stands in, "
        "and if none fits the plan says so on its cover."))
    note: Sentence | None = None
    stand_in_note: Sentence | None = Field(None, description=(
        "Printed in place of `note` when another exercise stands in for this one (a runner without its kit): what "
        "holds for any stand-in, such as when to start, how often, what to stop for. It never names this exercise."))
    without: Annotated[tuple[WithoutExercise, ...], Field(max_length=5)] = Field((), description=(
        "For each other exercise of the phase that `note` or `stand_in_note` names: the same words for a week without "
        "it (left out by the clinician, or no kit for it); the first that applies is printed."))


class Phase(Frozen):
    """One stage of a protocol, ending with its checkpoint."""

    id: Slug
    tag: PhaseTag
    name: Name
    goals: Annotated[tuple[Line, ...], Field(min_length=1, max_length=10)]
    weeks: WeekRange | dict[Annotated[int, Field(ge=1, le=3)], WeekRange] = Field(
        description="Typical length in weeks [min, max], or one range per strain grade {1: [1, 1], 2: [1, 2], 3: [2, 3]}.")
    exercises: Annotated[tuple[PhaseExercise, ...], Field(min_length=1, max_length=40)]
    running: RunningGuidance
    avoid: Annotated[tuple[Line, ...], Field(max_length=12)] = ()
    pain_rules: PainRules
    exit_criteria: Annotated[tuple[ExitCriterion, ...], Field(min_length=1, max_length=15)]
    skip_after_days: Annotated[int, Strict(), Field(ge=1, le=365)] | None = Field(None, description=(
        "A plan may start past this phase when the pain began more than this many days ago (e.g. 3 for the first "
        "72 hours of a strain). Phases without it are left only through their checkpoint."))
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]

    def for_kit(self, have: frozenset[str], walks: bool = False) -> "Phase":
        """This phase as planned for a runner with `have` (`walks`: who does not run): running and checkpoint words
        that fit their kit, and boxes about runs asked about brisk walks."""
        running = self.running.for_kit(have)
        criteria = tuple(c.for_kit(have, walks) for c in self.exit_criteria)
        if running is self.running and all(a is b for a, b in zip(criteria, self.exit_criteria, strict=True)):
            return self
        return self.model_copy(update={"running": running, "exit_criteria": criteria})

    def week_range(self, grade: int | None) -> tuple[int, int]:
        """Typical (min, max) weeks for this grade (grade 2 when none is given)."""
        if isinstance(self.weeks, dict):
            return self.weeks.get(grade or 2, max(self.weeks.values()))
        return self.weeks


class Protocol(Frozen):
    """The phased plan for one diagnosis, with the words the handout explains it in."""

    id: DiagnosisId
    name: Name
    plain_name: Line = Field(description="The diagnosis in plain words, for the cover.")
    what_it_is: Text
    what_to_expect: Text
    borrowed_from: DiagnosisId | None = Field(None, description="When no protocol of its own exists: whose it adapts (said in the plan).")
    grades: tuple[Annotated[int, Strict(), Field(ge=1, le=3)], ...] = Field(
        (), description="Strain grades this protocol accepts; empty = grades do not apply.")
    phases: Annotated[tuple[Phase, ...], Field(min_length=1, max_length=12)]
    avoid: Annotated[tuple[Line, ...], Field(max_length=20)] = ()
    cautions: Annotated[tuple[Sentence, ...], Field(max_length=20)] = Field(
        (), description=("Plain, certain words for the runner; notes on evidence go in evidence_notes. A warning sign "
                         "with its urgency is not a caution: list its red flag under watch_for."))
    watch_for: Annotated[tuple[Slug, ...], Field(max_length=30)] = Field((), description=(
        "Red flags (ids in rules/red-flags.yaml) this diagnosis adds to the warning signs every plan lists "
        "(rules/triage.yaml `watch_for`): each sign is printed once, under its own urgency."))
    evidence_notes: Annotated[tuple[Sentence, ...], Field(max_length=60)] = Field((), description=(
        "For the clinician: unconfirmed figures, secondary sources and other notes on the evidence. "
        "Printed in the 'for your clinician' section and the JSON, never in the runner's instructions."))
    stage_by: Literal["time", "symptoms"] = Field("symptoms", description=(
        "time: healing follows a clock (a strain), so the days since onset limit how far a plan may start; "
        "symptoms: a plan starts at the first phase unless a clinician names one (tendon, nerve, joint)."))
    tendon: Annotated[bool, Strict()] = Field(False, description=(
        "A tendon protocol: moving (isotonic) loading at most three days a week with a day between, whatever exercise stands in."))
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]

    def phase(self, phase_id: str) -> Phase | None:
        """The phase with that id, if any."""
        return next((p for p in self.phases if p.id == phase_id), None)
