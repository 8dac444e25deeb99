"""The request: everything the planner needs to know about one runner."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, Strict, StringConstraints

from ..vocab import DiagnosisId, EquipmentId
from .base import Frozen, PainScore, Side, Slug

# Found in almost every home: a chair, a stair, a towel, a wall, a sofa to hook the heels under,
# frozen peas, a hot-water bottle.
HOME_KIT: tuple[str, ...] = ("chair", "step", "towel", "wall", "anchor-or-partner", "ice-pack", "heat-pack")


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
        HOME_KIT, description="What the runner has; default: what almost every home has (chair, step, towel, wall, a sofa to hook the heels under, ice pack, heat pack). 'none' alone: nothing at all.")
    days_per_week: Annotated[int, Strict(), Field(ge=1, le=7)] = 3
    pain: PainScore = 0
    red_flags: tuple[Slug, ...] = ()
    weak_glute_side: Literal["left", "right"] | None = None
    runner_km_per_week: Annotated[float, Strict(), Field(ge=0, le=300)] | None = None
    clinician_cleared: Annotated[bool, Strict()] = Field(False, description=(
        "A clinician has examined the runner and cleared this plan: needed for a grade-3 strain, "
        "and for a --stage later than the time since injury allows."))
    notes: Annotated[str, Strict(), StringConstraints(max_length=4000)] = Field(
        "", description="The clinician's own notes for the runner, printed on the plan (up to 4000 characters).")
