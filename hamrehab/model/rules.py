"""The planning rules: the numbers behind pain, hold weeks, running and the week's layout.

One validated place for every threshold a physiotherapist would review (rules/planning.yaml),
so the planner, the safety screen, triage and every renderer read the same figures.
Where no source gives a number, the YAML says so beside it and docs/clinical-rules.md lists it.
"""

from itertools import pairwise
from typing import Annotated

from pydantic import Field, Strict, model_validator

from ..vocab import PhaseTag
from .base import Frozen, PainScore, PosInt, Slug, SourceKey, Text, rule_error

Share = Annotated[float, Strict(), Field(gt=0, le=1)]
Minutes = Annotated[int, Strict(), Field(ge=1, le=600)]
Extra = Annotated[str, Strict(), Field(pattern=r"^(strides|hills|speed)$")]


class PainThresholds(Frozen):
    """The pain scale read the same way everywhere: traffic light, phase limits, referral, triage."""

    green_max: PainScore = Field(description="0 to this: safe, carry on and progress.")
    amber_max: PainScore = Field(description="Above green up to this: acceptable if settled by the next morning; do not progress.")
    first_phase_at: PainScore = Field(
        description="Pain now at or above this (and below refer_at): start at the first phase, no progression in week 1.")
    refer_at: PainScore = Field(description="Pain now at or above this: see a professional, no exercise plan.")
    refer_same_day_at: PainScore = Field(description="Pain now at or above this: see a doctor the same day.")
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _ordered(self) -> "PainThresholds":
        order = (("green_max", self.green_max), ("amber_max", self.amber_max), ("refer_at", self.refer_at - 1),
                 ("refer_same_day_at", self.refer_same_day_at - 1))
        for (a, va), (b, vb) in pairwise(order):
            if va > vb:
                raise rule_error(b, f"{b} must be above {a}")
        if not self.green_max < self.first_phase_at < self.refer_at:
            raise rule_error("first_phase_at", "first_phase_at must lie between green_max and refer_at")
        return self


class HoldWeeks(Frozen):
    """A hold week every so often: the last week repeated exactly, so the body catches up."""

    every: Annotated[int, Strict(), Field(ge=2, le=12)] = Field(description="Every n-th week of a phase block is a hold week.")
    after_weeks: Annotated[int, Strict(), Field(ge=1, le=52)] = Field(description="Only in plans longer than this many weeks.")
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]


class RunningRules(Frozen):
    """How running is dosed and built up; every cap counts minutes of running (jog), not walk breaks."""

    pace_min_per_km: Annotated[float, Strict(), Field(ge=3, le=15)] = Field(description="Easy pace used to turn km a week into minutes.")
    assumed_weekly_minutes: Minutes = Field(description="Usual weekly running when the request does not say.")
    weekly_rise: Annotated[float, Strict(), Field(gt=0, le=0.5)] = Field(description="Weekly running may rise by at most this share.")
    longest_rise: Annotated[float, Strict(), Field(gt=0, le=0.5)] = Field(
        description="No run longer than the longest so far by more than this share.")
    first_week_share: Share = Field(description="A first running week is at most this share of the usual weekly running.")
    first_walk_jog_minutes: Minutes = Field(description="A first walk-jog week has at most this many minutes of jogging in all.")
    min_run_minutes: Minutes = Field(description="The shortest run worth going out for, minutes of running.")
    walk_jog_ladder: Annotated[tuple[tuple[PosInt, PosInt], ...], Field(min_length=1)] = Field(
        description="Walk-jog patterns, one rung a week: [jog minutes, walk minutes] between walk breaks; continuous running follows the last rung.")
    max_walk_jog_runs: Annotated[int, Strict(), Field(ge=1, le=7)]
    max_runs: Annotated[int, Strict(), Field(ge=1, le=7)] = Field(description="Most runs in a week, however much the runner usually runs.")
    max_run_minutes: dict[PhaseTag, Minutes] = Field(description="Longest single run by phase kind, unless the phase sets its own.")
    non_runner_walk_minutes: Minutes = Field(description="A runner who does not run (0 km) walks this long where a runner would run.")
    walk_exercise: Slug = Field(description="The exercise card that explains those walks.")
    extras_order: Annotated[tuple[Extra, ...], Field(min_length=1)] = Field(
        description="The order in which strides, hills and faster running are added, one at a time.")
    extras_words: dict[Extra, Text] = Field(description="How each extra reads on the week page, after the run's length.")
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _words_for_every_extra(self) -> "RunningRules":
        missing = [e for e in self.extras_order if e not in self.extras_words]
        if missing:
            raise rule_error("extras_words", f"extras_words lacks {', '.join(missing)}")
        return self


class WeekRules(Frozen):
    """How a week's sessions are spread over its days."""

    isotonic_max_days: Annotated[int, Strict(), Field(ge=1, le=3)] = Field(
        description="Strength days a week at most, never two running: moving loading of a tendon, and any heavy hamstring work.")
    heavy_hours_before_speed: Annotated[int, Strict(), Field(ge=24, le=96)] = Field(
        description="Heavy hamstring work ends at least this long before fast running.")
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]


class PlanningRules(Frozen):
    """Every number the planner decides with, in one reviewed file."""

    pain: PainThresholds
    hold: HoldWeeks
    running: RunningRules
    week: WeekRules
