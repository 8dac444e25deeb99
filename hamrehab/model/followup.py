"""A follow-up: what the last plan left off with, and what the clinician found today.

Built from the previous plan's JSON (the record: see hamrehab/followup.py), so the next block
continues the doses and the running instead of starting again.
"""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, Strict

from .base import Frozen, NonNegInt, PosFloat, PosInt, Reps, Slug

Day = Annotated[int, Strict(), Field(ge=0, le=6)]
WeekNo = Annotated[int, Strict(), Field(ge=1, le=52)]


class PreviousDose(Frozen):
    """One exercise as it stood in the week the runner reached."""

    exercise: Slug
    sets: PosInt
    reps: Reps | None = None
    reps_max: PosInt | None = None
    hold_s: PosFloat | None = None
    duration_s: PosInt | None = None
    times_per_day: Annotated[int, Strict(), Field(ge=1, le=6)] = 1
    days: Annotated[tuple[Day, ...], Field(max_length=7)] = ()


class PreviousRunning(Frozen):
    """The running as it stood at the end of the week reached."""

    jog_week: Annotated[int, Strict(), Field(ge=0, le=5000)] = 0
    longest: Annotated[int, Strict(), Field(ge=0, le=600)] = 0
    kind: Literal["walk-jog", "continuous", "walk"] | None = None
    rung: Annotated[int, Strict(), Field(ge=0, le=20)] = 0
    extras: Annotated[tuple[Literal["strides", "hills", "speed"], ...], Field(max_length=3)] = ()
    last_change: Annotated[str, Strict(), Field(max_length=20)] = ""
    fast_days: Annotated[tuple[Day, ...], Field(max_length=7)] = ()


class FollowUp(Frozen):
    """The last plan's state at the week reached, and today's checkpoint."""

    previous_start: dt.date
    previous_weeks: WeekNo
    week_reached: WeekNo
    phase: Slug = Field(description="The phase the runner was in at the week reached.")
    checkpoint: Literal["passed", "not-yet"]
    doses: Annotated[tuple[PreviousDose, ...], Field(max_length=80)] = ()
    running: PreviousRunning = Field(default_factory=PreviousRunning)  # a factory: no schema built at import
    exposure: Annotated[tuple[tuple[Slug, NonNegInt], ...], Field(max_length=200)] = Field(
        (), description="Weeks each exercise had been done by the week reached (first exposures carry on).")
    strength_days: Annotated[tuple[Day, ...], Field(max_length=7)] = ()
    phase_weeks: Annotated[int, Strict(), Field(ge=1, le=52)] = Field(
        1, description="Weeks the last plan had given the phase of the week reached, up to that week.")
    previous_block: Literal["", "continue", "repeat", "lower"] = Field(
        "", description="The last plan's own block: '' for a first plan, else how it followed the one before.")
    carried_changes: Annotated[tuple[Annotated[str, Field(max_length=130)], ...], Field(max_length=160)] = Field(
        (), description="The last plan's changes carried into this one ('dose:ID=3x10'): dropped with a note where they no longer fit.")

    def dose_of(self, exercise: str) -> PreviousDose | None:
        return next((d for d in self.doses if d.exercise == exercise), None)
