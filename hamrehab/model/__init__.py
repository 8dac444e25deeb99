"""Typed, immutable models of everything hamrehab reads: exercises, protocols, rules, requests.

One module per kind of document; this package re-exports them so callers write
`from hamrehab.model import Exercise`.
"""
from __future__ import annotations

from .base import Frozen, PainScore, Side, Slug, Text, rule_error
from .dosage import DOSE_FIELDS, REQUIRED_BY_KIND, Dosage, DosageLimits, DoseOverride, ScheduledDose, dose_problems
from .exercise import RUN_FORMS, Contraindication, Exercise, Reference, RunRole
from .figure import Figure, Limb, Pose, Prop
from .protocol import ExitCriterion, PainRules, Phase, PhaseExercise, ProgressionStep, Protocol, RunningGuidance, RunningMode
from .request import HOME_KIT, PlanRequest
from .rules import HoldWeeks, PainThresholds, PlanningRules, RunningRules, WeekRules

__all__ = [
    "DOSE_FIELDS", "HOME_KIT", "REQUIRED_BY_KIND", "RUN_FORMS", "Contraindication", "Dosage", "DosageLimits", "DoseOverride",
    "Exercise", "ExitCriterion", "Figure", "Frozen", "HoldWeeks", "Limb", "PainRules", "PainScore", "PainThresholds",
    "Phase", "PhaseExercise", "PlanRequest", "PlanningRules", "Pose", "ProgressionStep", "Prop", "Protocol", "Reference",
    "RunRole", "RunningGuidance", "RunningMode", "RunningRules", "ScheduledDose", "Side", "Slug", "Text", "WeekRules",
    "dose_problems", "rule_error",
]
