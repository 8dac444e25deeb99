"""Typed, immutable models of everything hamrehab reads: exercises, protocols, rules, requests.

One module per kind of document; this package re-exports them so callers write
`from hamrehab.model import Exercise`.
"""
from __future__ import annotations

from .base import Frozen, PainScore, Side, Slug, Text, rule_error
from .dosage import DOSE_FIELDS, REQUIRED_BY_KIND, Dosage, DosageLimits, DoseOverride, ScheduledDose, dose_problems
from .exercise import RUN_FORMS, Contraindication, Exercise, Reference, RunRole
from .figure import Figure, Limb, Pose, Prop
from .followup import FollowUp, PreviousDose, PreviousRunning
from .handout import HandoutWording, handout_problems
from .placeholders import placeholders_of
from .protocol import ExitCriterion, PainRules, Phase, PhaseExercise, ProgressionStep, Protocol, RunningGuidance, RunningMode
from .redflags import URGENCIES, RedFlag, RedFlags, Urgency, UrgencyWords, red_flag_problems
from .request import HOME_KIT, PlanRequest
from .rules import HoldWeeks, PainThresholds, PlanningRules, RunningRules, WeekRules
from .triage import Choice, Compare, Course, FlagRule, GradeRule, Grading, Prevention, Question, ScoreRule, TriageRules, Unclear, triage_problems

# One sorted list per group (what ruff's RUF022 checks), so the groups stay apart.
__all__ = [
    "DOSE_FIELDS", "HOME_KIT", "REQUIRED_BY_KIND", "RUN_FORMS", "Contraindication", "Dosage", "DosageLimits", "DoseOverride",
    "Exercise", "ExitCriterion", "Figure", "FollowUp", "Frozen", "HoldWeeks", "Limb", "PainRules", "PainScore", "PainThresholds",
    "Phase", "PhaseExercise", "PlanRequest", "PlanningRules", "Pose", "PreviousDose", "PreviousRunning", "ProgressionStep", "Prop",
    "Protocol", "Reference", "RunRole", "RunningGuidance", "RunningMode", "RunningRules", "ScheduledDose", "Side", "Slug", "Text",
    "WeekRules", "dose_problems", "rule_error",
]
# red flags and triage (rules/red-flags.yaml, rules/triage.yaml)
__all__ += [
    "URGENCIES", "Choice", "Compare", "Course", "FlagRule", "GradeRule", "Grading", "Prevention", "Question", "RedFlag", "RedFlags",
    "ScoreRule", "TriageRules", "Unclear", "Urgency", "UrgencyWords", "red_flag_problems", "triage_problems",
]
# the handout's fixed wording (rules/handout.yaml)
__all__ += ["HandoutWording", "handout_problems", "placeholders_of"]
