"""The request: everything the planner needs to know about one runner."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, Strict, StringConstraints, field_validator, model_validator

from ..vocab import DiagnosisId, EquipmentId
from .base import Frozen, PainScore, Side, Slug, rule_error
from .followup import FollowUp

Change = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]

# The calendar a plan may fall in: a 52-week plan starting on the last day still ends long before
# year 9999 (the end of Python's and iCalendar's dates).
FIRST_START, LAST_START = dt.date(1900, 1, 1), dt.date(2999, 12, 31)

# Found in almost every home: a chair, a stair, a towel, a wall, a sofa to hook the heels under,
# frozen peas, a hot-water bottle.
HOME_KIT: tuple[EquipmentId, ...] = ("chair", "step", "towel", "wall", "anchor-or-partner", "ice-pack", "heat-pack")


class PlanRequest(Frozen):
    """Everything the planner needs to know about one runner; the start date comes from here."""

    diagnosis: DiagnosisId
    grade: Annotated[int, Strict(), Field(ge=1, le=3)] | None = None
    stage: Slug | None = None
    days_since_onset: Annotated[int, Strict(), Field(ge=0, le=3650)] | None = None
    side: Side = "both"
    weeks: Annotated[int, Strict(), Field(ge=1, le=52)] | None = None
    start: dt.date
    name: Annotated[str, Strict(), StringConstraints(max_length=200)] = ""
    patient_id: Annotated[str, Strict(), StringConstraints(max_length=100)] = ""
    equipment: tuple[EquipmentId, ...] = Field(
        HOME_KIT, description="What the runner has; default: what almost every home has (chair, step, towel, wall, "
                              "a sofa to hook the heels under, ice pack, heat pack). 'none' alone: nothing at all.")
    days_per_week: Annotated[int, Strict(), Field(ge=1, le=7)] = 3
    pain: PainScore = 0
    red_flags: tuple[Slug, ...] = ()
    weak_glute_side: Literal["left", "right"] | None = None
    runner_km_per_week: Annotated[float, Strict(), Field(ge=0, le=300)] | None = None
    clinician_cleared: Annotated[bool, Strict()] = Field(False, description=(
        "A clinician has examined the runner and cleared this plan: needed for a grade-3 strain, "
        "and for a --stage later than the time since injury allows."))
    without: Annotated[tuple[Slug, ...], Field(max_length=40)] = Field((), description="Exercises the clinician leaves out of this patient's plan.")
    add: Annotated[tuple[Change, ...], Field(max_length=40)] = Field((), description="Exercises to add: ID for every phase, or ID:PHASE.")
    swap: Annotated[tuple[Change, ...], Field(max_length=40)] = Field((), description="OLD=NEW: NEW wherever OLD would be.")
    dose: Annotated[tuple[Change, ...], Field(max_length=40)] = Field((), description=(
        "ID=DOSE: the starting dose, e.g. 3x10, 3x8-10, 1x5x45s (holds), 2x30s or 10min (durations), with @N for N days a week."))
    follow_up: FollowUp | None = Field(None, description=(
        "The last plan this one follows (read from its JSON with the checkpoint found today): doses and running continue from it."))
    notes: Annotated[str, Strict(), StringConstraints(max_length=4000)] = Field(
        "", description="The clinician's own notes for the runner, printed on the plan (up to 4000 characters).")

    @field_validator("start")
    @classmethod
    def _plausible_start(cls, value: dt.date) -> dt.date:
        if not FIRST_START <= value <= LAST_START:
            raise rule_error("start", f"{value.isoformat()} is outside the dates a plan can cover "
                                      f"({FIRST_START.isoformat()} to {LAST_START.isoformat()})")
        return value

    @model_validator(mode="after")
    def _follows_on(self) -> "PlanRequest":
        # A runner who has reached week N of the last plan is seen on or after the day that week began: an
        # earlier start would print a block that overlaps, or comes before, weeks it says are done.
        follow = self.follow_up
        if follow is not None:
            begun = follow.previous_start + dt.timedelta(weeks=follow.week_reached - 1)
            if self.start < begun:
                fix = "a later start" + (" or an earlier week reached" if follow.week_reached > 1 else "")
                raise rule_error("start", f"{self.start.isoformat()} is before {begun.isoformat()}, the first day of week "
                                          f"{follow.week_reached} of the last plan; a follow-up starts on or after the first day "
                                          f"of the week the runner reached: give {fix}")
        return self
