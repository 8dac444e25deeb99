"""The questionnaire's flow: which question comes next, and why some were left out.

The questions and the conditions to ask them are data (rules/triage.yaml). Warning signs come first;
an emergency answer stops the questions at once; after any other red flag the home tests are left
out (a leg that needs examining should not be tested at home); a question whose condition the
answers so far rule out is skipped.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, NamedTuple

from ..catalogue import builtin_red_flags, builtin_rules, builtin_triage
from ..model import PainThresholds, Question, RedFlags, TriageRules
from .answers import Answers
from .conditions import to_ask
from .flags import FlagHit, red_flags

EMERGENCY_NOTE = "No more questions: what you have described needs emergency care now."
HOME_TEST_NOTE = ("The home tests were left out: because of your answers so far, do not test the leg yourself; "
                  "let a professional examine it first.")


class Context(NamedTuple):
    """What triage reads: the questions and rules, the red flags, and the pain thresholds."""

    rules: TriageRules
    flags: RedFlags
    pain: PainThresholds


def context(catalogue: Any = None) -> Context:
    """From a loaded catalogue (the same files `hamrehab validate` checked), or the built-in files."""
    if catalogue is not None:
        return Context(catalogue.triage, catalogue.red_flags, catalogue.rules.pain)
    return Context(builtin_triage(), builtin_red_flags(), builtin_rules().pain)


def questions(catalogue: Any = None) -> tuple[Question, ...]:
    """Every question, in the order asked."""
    return context(catalogue).rules.questions


def _skip(question: Question, answers: Answers, flags: tuple[FlagHit, ...], ctx: Context) -> str:
    """Why not to ask this question now: 'emergency', 'home-test', 'condition', or '' to ask it."""
    if any(h.urgency == "emergency" for h in flags):
        return "emergency"
    if question.group == "home-test" and flags:
        return "home-test"
    if not to_ask(question.ask_when, question.skip_when, answers, ctx.pain):
        return "condition"
    return ""


def _so_far(answers: Mapping[str, Any], ctx: Context) -> tuple[Answers, tuple[FlagHit, ...]]:
    so_far = answers if isinstance(answers, Answers) else Answers(answers, rules=ctx.rules)
    return so_far, red_flags(so_far, ctx.rules, ctx.flags, ctx.pain)


def next_question(answers: Mapping[str, Any], asked: Collection[str], catalogue: Any = None) -> Question | None:
    """The next question to ask, or None when done; `asked` holds every key already asked (answered or not)."""
    ctx = context(catalogue)
    so_far, flags = _so_far(answers, ctx)
    return next((q for q in ctx.rules.questions if q.key not in asked and not _skip(q, so_far, flags, ctx)), None)


def stop_note(answers: Mapping[str, Any], asked: Collection[str], catalogue: Any = None) -> str:
    """Why questions were left out, when it matters to the runner (an emergency, no home tests, a test not safe yet)."""
    ctx = context(catalogue)
    so_far, flags = _so_far(answers, ctx)
    notes: list[str] = []
    for q in ctx.rules.questions:
        if q.key in asked:
            continue
        reason = _skip(q, so_far, flags, ctx)
        if reason == "emergency":
            note = EMERGENCY_NOTE
        elif reason == "home-test":
            note = HOME_TEST_NOTE
        elif reason == "condition" and q.skip_note and q.skip_when and to_ask(q.ask_when, {}, so_far, ctx.pain):
            note = q.skip_note
        else:
            continue
        if note not in notes:
            notes.append(note)
    return " ".join(notes)
