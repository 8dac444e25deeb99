"""Triage: from a runner's answers to red flags, a ranked list of likely causes, a stage and a command.

Pure logic, no click. The questions, the red-flag rules and the scoring rules are data
(rules/triage.yaml, with the flags themselves in rules/red-flags.yaml), validated by
`hamrehab validate` and listed in docs/triage.md. The result is a guide for choosing a plan,
never a diagnosis.

- `answers`: what was typed (durations, choices, `back`) and answers files: `Answers`, `load_answers`;
- `conditions`: testing a rule's condition against the answers;
- `questions`: the flow: `next_question`, `stop_note`;
- `flags`, `scoring`: red flags raised, points per condition, courses, the grade;
- `assessment`: `assess` and the plan command; `report`: the text and the JSON;
- `docs`: docs/triage.md from the data (`python3 -m hamrehab.triage.docs`).
"""
from __future__ import annotations

from .answers import (
    BACK,
    FORMER_KEYS,
    Answers,
    accepted,
    days_words,
    load_answers,
    parse_answer,
    parse_duration,
)
from .assessment import DISCLAIMER, Assessment, Stage, Watch, assess, plan_command
from .flags import FlagHit, red_flags
from .questions import (
    EMERGENCY_NOTE,
    HOME_TEST_NOTE,
    Context,
    context,
    next_question,
    questions,
    stop_note,
)
from .report import as_json, as_text, terminal_width, wrap, wrap_command
from .scoring import Ranked, Ranking, SetAside, rank, score, suggest_grade

__all__ = [
    "BACK", "DISCLAIMER", "EMERGENCY_NOTE", "FORMER_KEYS", "HOME_TEST_NOTE", "Answers", "Assessment", "Context", "FlagHit",
    "Ranked", "Ranking", "SetAside", "Stage", "Watch", "accepted", "as_json", "as_text", "assess", "context", "days_words",
    "load_answers", "next_question", "parse_answer", "parse_duration", "plan_command", "questions", "rank", "red_flags",
    "score", "stop_note", "suggest_grade", "terminal_width", "wrap", "wrap_command",
]
