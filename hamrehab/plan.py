"""The planner's output: plain, frozen data that every renderer reads and none changes.

Dataclasses rather than validated models: the planner builds them from data that is
already validated, so they need no checking, only a stable shape (see render/json.py).
A week is seven days; each day holds its sessions, and every renderer reads the same days.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeVar

from .model import Exercise, ExitCriterion, HandoutWording, PainRules, PainThresholds, PlanRequest, RunningGuidance
from .safety import Referral
from .vocab import WEEKDAYS  # noqa: F401 - re-exported: the renderers read the day names from the plan module

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")
_FIELD_NAMES: dict[type, frozenset[str]] = {}


def but(record: R, **changes: Any) -> R:
    """A copy of one of these frozen records with some fields changed: what `dataclasses.replace` gives,
    without its walk over every field and its __init__ (the planner makes about 150 copies a plan, which
    was a seventh of a batch plan's time). The records here have no __post_init__, InitVar or slots,
    so the copy is exact; a name that is not a field is refused, as replace refuses it."""
    cls = type(record)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(record))
    if not changes.keys() <= names:
        raise TypeError(f"{cls.__name__} has no field {sorted(changes.keys() - names)[0]!r}")
    new = object.__new__(cls)
    new.__dict__.update(record.__dict__, **changes)
    return new


SCHEMA_VERSION = 2
SESSIONS = ("warm-up", "run", "cool-down", "strength", "activation", "move", "care")  # the order of a day


@dataclass(frozen=True)
class Dose:
    """How much of one exercise: the one dose type of the planner, the plan and every renderer.

    (The YAML side has its own validated shapes: an exercise's `Dosage` with its limits, and the
    `DoseOverride` a protocol or clinician writes, whose unset fields keep the default.)
    """

    sets: int
    reps: int | tuple[int, ...] | None
    reps_max: int | None
    hold_s: float | None
    duration_s: int | None
    rest_s: int | None
    times_per_day: int
    days_per_week: int
    load: str | None


DOSE_FIELDS = tuple(f.name for f in fields(Dose))


@dataclass(frozen=True, kw_only=True)
class Prescription(Dose):
    """One exercise in one week: its dose, on which days, for which side."""

    exercise: str
    name: str
    category: str
    per_side: bool
    sides: str  # "both legs", "each leg", "left leg" ...
    days: tuple[int, ...]  # day offsets 0-6 from the week's start date
    notes: tuple[str, ...] = ()
    extra_set_side: str | None = None  # weak glute side: one more set on that side
    session: str = "activation"  # which of the day's sessions it belongs to (SESSIONS)
    clinician: bool = False  # added, swapped in or dosed by the clinician for this patient


@dataclass(frozen=True)
class RunSession:
    """One run (or, for someone who does not run, one brisk walk) on one day.

    Jog and walk minutes are kept apart: every running rule counts jog minutes only.
    """

    day: int
    kind: str  # "walk-jog" | "continuous" | "walk"
    jog_minutes: int
    walk_minutes: int
    extras: tuple[str, ...]  # "strides", "hills", "speed"
    pattern: str
    effort: str
    exercise: str  # the card that explains it (walk-jog-intervals, easy-run, walking)

    @property
    def minutes(self) -> int:
        """The whole session, walk breaks included."""
        return self.jog_minutes + self.walk_minutes


@dataclass(frozen=True)
class RunningRecord:
    """Where the running stood at the end of a week: what a follow-up plan continues from."""

    jog_week: int = 0
    longest: int = 0
    kind: str | None = None
    rung: int = 0
    extras: tuple[str, ...] = ()
    last_change: str = ""


@dataclass(frozen=True)
class Day:
    """One day of a week: the ids of what is done that day, session by session."""

    offset: int
    sessions: tuple[tuple[str, tuple[str, ...]], ...]  # (session, exercise ids) in SESSIONS order, empty ones left out
    run: RunSession | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """Everything done that day, in the order it is done."""
        return tuple(i for _, ids in self.sessions for i in ids)

    @property
    def rest(self) -> bool:
        return not self.sessions


@dataclass(frozen=True)
class Week:
    """One week of the plan, in one phase."""

    number: int
    phase: str
    start: dt.date
    prescriptions: tuple[Prescription, ...]
    running: tuple[RunSession, ...]
    checkpoint: bool  # last planned week of its phase: check the exit criteria
    hold: bool  # a hold week: exactly last week's doses, days and runs
    days: tuple[Day, ...] = ()
    notes: tuple[str, ...] = ()
    running_state: RunningRecord = RunningRecord()

    @property
    def running_minutes(self) -> int:
        """Total minutes of the running sessions this week, walk breaks included."""
        return sum(r.minutes for r in self.running)

    @property
    def jog_minutes(self) -> int:
        """Minutes actually spent running this week: what the 10% rules count."""
        return sum(r.jog_minutes for r in self.running)


@dataclass(frozen=True)
class PlanPhase:
    """A phase as planned: its weeks and its checkpoint."""

    id: str
    name: str
    tag: str
    weeks: tuple[int, ...]
    goals: tuple[str, ...]
    avoid: tuple[str, ...]
    pain_rules: PainRules
    running: RunningGuidance
    exit_criteria: tuple[ExitCriterion, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """A whole plan, or a referral with no prescriptions."""

    request: PlanRequest
    diagnosis: str
    diagnosis_name: str
    plain_name: str
    what_it_is: str
    what_to_expect: str
    borrowed_from: str | None
    referral: Referral | None
    phases: tuple[PlanPhase, ...]
    weeks: tuple[Week, ...]
    cautions: tuple[str, ...]
    avoid: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]  # (key, citation)
    pain: PainThresholds
    notes: tuple[str, ...] = ()
    grade: int | None = None
    exercises: tuple[Exercise, ...] = field(default=())  # every exercise used, in first-use order, for the cards
    # each card's "too hard? / too easy?" names (exercise id, easier, harder): only forms this runner has the kit for
    # and that are allowed wherever the plan uses the exercise; never in the JSON
    card_steps: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()
    missing_core: tuple[str, ...] = ()  # core treatment the runner's kit could not cover: said on the cover
    evidence_notes: tuple[str, ...] = ()  # for the clinician only, never in the runner's instructions
    changes: tuple[str, ...] = ()  # the clinician's changes for this patient, in plain words
    clinician_notices: tuple[str, ...] = ()  # for the clinician only: checkpoint boxes their changes leave out of step
    warning_signs: tuple[tuple[str, str], ...] = ()  # (urgency, plain words): when to stop and see someone, most urgent first
    block: str = ""  # a follow-up: "continue" (checkpoint passed), "repeat" (not yet) or "lower" (not yet, more pain)
    schema_version: int = SCHEMA_VERSION
    # the handout's fixed wording (rules/handout.yaml) from the plan's catalogue; never in the JSON (render/json.py)
    wording: HandoutWording | None = field(default=None, repr=False, compare=False)

    @property
    def words(self) -> HandoutWording:
        """The wording every renderer prints: the catalogue's, or the built-in file's for a plan made without it."""
        if self.wording is not None:
            return self.wording
        from .catalogue import builtin_handout  # the shipped file, read once

        return builtin_handout()

    @property
    def end(self) -> dt.date:
        """The last day of the plan."""
        return self.request.start + dt.timedelta(days=7 * len(self.weeks) - 1) if self.weeks else self.request.start
