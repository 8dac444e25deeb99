"""Triage in the browser: one question a page, driven exactly as `hamrehab triage` drives it.

The state lives in the form, never on the server: the keys asked so far (in order, so Back steps
back through them) and each answer as typed, in hidden fields. Each post re-reads every earlier
answer with `parse_answer`, so a changed hidden field cannot smuggle in a value the questions
would refuse; `next_question` picks the next one (warning signs first, an emergency stops the
questions), `stop_note` says why some were left out, and `assess` gives the result.
"""
from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import triage as tri
from ..model import Question
from .app import WebApp, web

MAX_ANSWER = 300


class Tampered(Exception):
    """The hidden answers do not fit the questions: the page was changed, or is from another version."""


def answer_text(question: Question, value: Any) -> str:
    """An answer as the hidden field keeps it: text `parse_answer` reads back to the same value."""
    if question.kind == "yes-no":
        return "y" if value else "n"
    return str(value)


def _state(w: WebApp, form: FormData) -> tuple[list[str], dict[str, Any]]:
    """The keys asked and the answers given so far, each checked again against its question."""
    questions = w.catalogue.triage.question
    raw = form.get("asked")
    asked = [k for k in (raw.split(",") if isinstance(raw, str) else []) if k]
    if len(asked) != len(set(asked)) or any(k not in questions for k in asked):
        raise Tampered("unknown or repeated question")
    given: dict[str, Any] = {}
    for key in asked:
        text = form.get(f"a__{key}")
        if text is None:
            continue  # asked, answered "don't know"
        if not isinstance(text, str) or len(text) > MAX_ANSWER:
            raise Tampered(key)
        try:
            value = tri.parse_answer(questions[key], text)
        except ValueError:
            raise Tampered(key) from None
        if value is tri.BACK:
            raise Tampered(key)
        if value is not None:
            given[key] = value
    return asked, given


def _step(w: WebApp, form: FormData, asked: list[str], given: dict[str, Any]) -> tuple[str, str]:
    """Apply one button: (the answer as typed, if refused, the message). Changes `asked` and `given`."""
    move = form.get("move")
    if move == "restart":
        asked.clear()
        given.clear()
        return "", ""
    if move == "back":
        if not asked:
            return "", "This is the first question; there is nothing to go back to."
        given.pop(asked.pop(), None)
        return "", ""
    current = tri.next_question(given, asked, w.catalogue)
    if current is None or form.get("question") != current.key:
        return "", ""  # a page posted twice, or after the questions ended: show where things stand
    raw = form.get("answer")
    text = raw.strip()[:MAX_ANSWER] if isinstance(raw, str) else ""
    if move == "dont-know":
        text = "?"
    if not text and not current.skippable:
        return text, "Choose or type an answer, or press 'I don't know'."
    try:
        value = tri.parse_answer(current, text)
    except ValueError as exc:
        return text, str(exc)
    if value is tri.BACK:
        if asked:
            given.pop(asked.pop(), None)
        return "", ""
    asked.append(current.key)
    if value is not None:
        given[current.key] = value
    return "", ""


def _hidden(w: WebApp, asked: list[str], given: dict[str, Any]) -> list[tuple[str, str]]:
    questions = w.catalogue.triage.question
    fields = [("asked", ",".join(asked))]
    fields += [(f"a__{k}", answer_text(questions[k], given[k])) for k in asked if k in given]
    return fields


def _request_fields(request: dict[str, Any]) -> list[tuple[str, str]]:
    """The suggested plan's request fields as hidden inputs for New plan (lists as repeated fields)."""
    out: list[tuple[str, str]] = []
    for key, value in request.items():
        for item in value if isinstance(value, (list, tuple)) else (value,):
            out.append((key, str(item)))
    return out


def _answered(w: WebApp, asked: list[str], given: dict[str, Any]) -> list[tuple[str, str]]:
    """(question, answer in words) so far, for the runner to check."""
    out = []
    for key in asked:
        q = w.catalogue.triage.question[key]
        if key not in given:
            words = "I don't know"
        elif q.kind == "yes-no":
            words = "Yes" if given[key] else "No"
        elif q.kind == "choice":
            words = next((c.label for c in q.choices if c.value == given[key]), str(given[key]))
        elif q.kind == "duration":
            words = tri.days_words(given[key])
        else:
            words = str(given[key])
        out.append((q.text, words))
    return out


async def triage_page(request: Request) -> Response:
    w = web(request)
    asked: list[str] = []
    given: dict[str, Any] = {}
    typed, error = "", ""
    if request.method == "POST":
        form = await w.form(request)
        try:
            asked, given = _state(w, form)
        except Tampered:
            return w.page(request, "error.html", status=400, status_code=400,
                          message="The answers on this page were changed, so they cannot be trusted. Please start the questions again.",
                          retry="/triage")
        typed, error = _step(w, form, asked, given)
    question = tri.next_question(given, asked, w.catalogue)
    context: dict[str, Any] = {"hidden": _hidden(w, asked, given), "answered": _answered(w, asked, given), "number": len(asked) + 1}
    if question is not None:
        options = [("y", "Yes"), ("n", "No")] if question.kind == "yes-no" else [(c.value, c.label) for c in question.choices]
        return w.page(request, "triage.html", status=400 if error else 200, question=question, typed=typed, error=error,
                      options=options, **context)
    try:
        result = tri.assess(tri.Answers(given, rules=w.catalogue.triage), w.catalogue)
    except ValidationError:
        return w.page(request, "error.html", status=400, status_code=400,
                      message="These answers cannot be read together. Please start the questions again.", retry="/triage")
    note = tri.stop_note(given, asked, w.catalogue)
    return w.page(request, "triage_result.html", result=result, note=note, plan_fields=_request_fields(result.request),
                  **context)


ROUTES = [Route("/triage", triage_page, methods=["GET", "POST"])]
