"""A runner's answers: what was typed (y, 3, "2 months", back), and an answers file, checked against
the questions of rules/triage.yaml.

`Answers` is a read-only mapping of answer key to value, in the order the questions are asked;
a missing key means "not asked" or "don't know", and scores nothing.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    create_model,
)
from pydantic_core import PydanticCustomError

from ..catalogue import builtin_triage
from ..documents import load_document, validate_document
from ..exceptions import InputError
from ..model import Question, TriageRules
from ..validation import did_you_mean

MAX_DAYS = 3650  # ten years
MAX_NAME = 200  # as the plan's name field

YES = ("y", "yes", "true")
NO = ("n", "no", "false")
DONT_KNOW = ("?", "skip", "dont-know", "don't know", "dont know", "not sure", "dk")
BACK_WORDS = ("back", "b", "<")


class _Back:
    """Typed `back`: return to the previous question and forget its answer."""

    def __repr__(self) -> str:
        return "BACK"


BACK = _Back()

# Keys of earlier versions that asked two or three things at once: now one question per sign.
FORMER_KEYS = {
    "saddle_numbness_or_bladder": ("saddle_numbness", "bladder_or_bowel_change"),
    "fever_or_night_pain": ("fever", "night_pain"),
    "numbness_or_weakness": ("numbness", "leg_weak", "foot_drop"),
}

# ------------------------------------------------------------------ lengths of time

DAYS_PER = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}
UNIT_WORDS = {
    "h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
    "d": "day", "day": "day", "days": "day",
    "w": "week", "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "m": "month", "mo": "month", "mos": "month", "mon": "month", "month": "month", "months": "month",
    "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year",
}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "half a": 0.5, "half an": 0.5}
DURATION_HINT = "type e.g. 3 days, 2 weeks or 2 months (a plain number is days), or ? (don't know)"
_PART = re.compile(r"(\d+(?:[.,]\d+)?|half an?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*([a-z]+)?")
_FILLER = re.compile(r"\b(about|around|roughly|approx(?:imately)?|almost|nearly|over|ago|and|or so)\b|[~,+]")


def parse_duration(text: str) -> int:
    """Days from '3 days', '2 weeks', '2 months', '1 year', '10 d', '2w', 'a week', '1 week and 3 days'
    or a plain number (days); 'today' is 0 and 'yesterday' 1. A month counts 30 days. ValueError says what works."""
    word = " ".join(str(text).strip().lower().split())
    if word in ("today", "now", "this morning"):
        return 0
    if word == "yesterday":
        return 1
    rest = _FILLER.sub(" ", word).strip()
    total, pos, parts = 0.0, 0, 0
    while pos < len(rest):
        if rest[pos] == " ":
            pos += 1
            continue
        match = _PART.match(rest, pos)
        if match is None:
            raise ValueError(f"'{str(text).strip()}' is not a length of time; {DURATION_HINT}")
        number, unit = match.group(1), match.group(2)
        amount = NUMBER_WORDS[number] if number in NUMBER_WORDS else float(number.replace(",", "."))
        if unit is None:
            if parts or match.end() < len(rest.rstrip()):
                raise ValueError(f"'{str(text).strip()}': say what each number counts (days, weeks, months); {DURATION_HINT}")
            unit = "days"
        if unit not in UNIT_WORDS:
            raise ValueError(f"'{unit}' is not a unit of time{did_you_mean(unit, UNIT_WORDS)}; {DURATION_HINT}")
        total += amount * DAYS_PER[UNIT_WORDS[unit]]
        parts += 1
        pos = match.end()
    if not parts:
        raise ValueError(f"'{str(text).strip()}' is not a length of time; {DURATION_HINT}")
    days = int(total + 0.5)
    if days > MAX_DAYS:
        raise ValueError(f"{days} days is more than ten years; type a length up to 10 years, or ? (don't know)")
    return days


def days_words(days: int) -> str:
    """'today', '1 day', '3 days', '2 weeks', '2 months': how a length reads back to the runner."""
    if days == 0:
        return "today"
    if days >= 60 and days % 30 == 0:
        return f"{days // 30} months"
    if days >= 14 and days % 7 == 0:
        return f"{days // 7} weeks"
    return "1 day" if days == 1 else f"{days} days"


# ------------------------------------------------------------------ one typed answer

def accepted(question: Question) -> str:
    """What an answers file may give for this question."""
    if question.kind == "yes-no":
        return "true/false or yes/no"
    if question.kind == "number":
        return f"a whole number from {question.low} to {question.high}"
    if question.kind == "duration":
        return f"a number of days (0 to {MAX_DAYS}), or a length such as '2 weeks' or '2 months'"
    if question.kind == "text":
        return f"text of at most {MAX_NAME} characters"
    return ", ".join(question.values)


def parse_answer(question: Question, text: str) -> Any:
    """A typed answer from what was typed: the value, None for "don't know" (or Enter on a question one
    may skip), or BACK; else ValueError saying what is accepted."""
    raw = str(text).strip()
    word = " ".join(raw.lower().split())
    if word in BACK_WORDS:
        return BACK
    if word in DONT_KNOW or (not word and question.skippable):
        return None
    if question.kind == "yes-no":
        if word in YES:
            return True
        if word in NO:
            return False
        raise ValueError(f"'{raw}' is not an answer here; type y (yes), n (no) or ? (don't know)")
    if question.kind == "number":
        low, high = question.low or 0, question.high or 0
        number_text = word.removesuffix(f"/{high}").strip()
        try:
            number = int(number_text)
        except ValueError:
            raise ValueError(f"'{raw}' is not a whole number; type {low} to {high}, or ? (don't know)") from None
        if not low <= number <= high:
            raise ValueError(f"{number} is out of range; type {low} to {high}")
        return number
    if question.kind == "duration":
        return parse_duration(raw)
    if question.kind == "text":
        return _text(raw)
    return _choice(question, raw, word)


def _choice(question: Question, raw: str, word: str) -> str:
    values = question.values
    if word.isdigit() and 1 <= int(word) <= len(values):
        return values[int(word) - 1]
    for choice in question.choices:
        if word in (choice.value, choice.label.lower()):
            return choice.value
    starts = [c.value for c in question.choices if word and (c.value.startswith(word) or c.label.lower().startswith(word))]
    if len(starts) == 1:
        return starts[0]
    hint = did_you_mean(word, values) or did_you_mean(word, [c.label.lower() for c in question.choices])
    raise ValueError(f"'{raw}' is not one of the choices{hint}; type a number from 1 to {len(values)}, or ? (don't know)")


def _text(raw: str) -> str:
    if any(not c.isprintable() for c in raw):
        raise ValueError("type letters, digits and spaces only (no control characters)")
    if len(raw) > MAX_NAME:
        raise ValueError(f"that is {len(raw)} characters; at most {MAX_NAME} fit on the plan")
    return raw


# ------------------------------------------------------------------ the answers, checked

def _duration_field(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except ValueError as exc:
            raise PydanticCustomError("rule", "{message}", {"message": str(exc)}) from None
    return value


def _printable(value: str) -> str:
    try:
        return _text(value)
    except ValueError as exc:
        raise PydanticCustomError("rule", "{message}", {"message": str(exc)}) from None


def _field_type(q: Question) -> Any:
    if q.kind == "yes-no":
        return Annotated[bool, Strict()]
    if q.kind == "choice":
        return Literal[q.values]
    if q.kind == "number":
        return Annotated[int, Strict(), Field(ge=q.low, le=q.high)]
    if q.kind == "duration":
        return Annotated[int, Strict(), Field(ge=0, le=MAX_DAYS), BeforeValidator(_duration_field)]
    return Annotated[str, Strict(), StringConstraints(strip_whitespace=True, max_length=MAX_NAME), AfterValidator(_printable)]


_MODELS: dict[int, tuple[TriageRules, type[BaseModel]]] = {}


def answers_model(rules: TriageRules) -> type[BaseModel]:
    """The pydantic model of an answers file for these questions (built once per set of rules)."""
    cached = _MODELS.get(id(rules))
    if cached is None or cached[0] is not rules:
        fields: dict[str, Any] = {q.key: (_field_type(q) | None, None) for q in rules.questions}
        model = create_model("Answers", __config__=ConfigDict(extra="forbid", frozen=True), **fields)
        cached = _MODELS[id(rules)] = (rules, model)
    return cached[1]


class Answers(Mapping[str, Any]):
    """One runner's answers, checked against the questions (the built-in ones unless `rules` is given).

    `Answers(onset="gradual", pain_now=3)` or `Answers({"onset": "gradual"})`; a wrong key or value
    raises pydantic's ValidationError. Answers read as a mapping, or as attributes (`answers.onset`,
    None when not given).
    """

    __slots__ = ("_keys", "_values")

    def __init__(self, data: Mapping[str, Any] | None = None, /, *, rules: TriageRules | None = None, **values: Any):
        rules = rules if rules is not None else builtin_triage()
        checked = answers_model(rules).model_validate({**dict(data or {}), **values})
        keys = tuple(q.key for q in rules.questions)
        object.__setattr__(self, "_keys", frozenset(keys))
        object.__setattr__(self, "_values", {k: getattr(checked, k) for k in keys if getattr(checked, k) is not None})

    @classmethod
    def model_validate(cls, data: Mapping[str, Any], rules: TriageRules | None = None) -> Answers:
        return cls(data, rules=rules)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self._keys:
            raise AttributeError(name)
        return self._values.get(name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("answers cannot be changed")

    def __repr__(self) -> str:
        return f"Answers({self._values!r})"

    def model_dump(self, exclude_none: bool = True) -> dict[str, Any]:
        """The answers given, in the order asked (keys not given are left out)."""
        return dict(self._values)


def load_answers(path: Path, rules: TriageRules | None = None) -> Answers:
    """The answers in a YAML (or JSON) file; InputError with file:line, the key and what is accepted."""
    rules = rules if rules is not None else builtin_triage()
    questions = rules.question
    doc = load_document(Path(path), "a mapping of answers (onset: gradual, pain_now: 3, ...)")
    for key in doc.data:
        if key in questions:
            continue
        where = f"{doc.file}:{doc.line_of((key,))}"
        if key in FORMER_KEYS:
            raise InputError(f"{where}: '{key}' asked several things at once; it is now one question per sign: "
                             f"{', '.join(FORMER_KEYS[key])}; answer each of them instead", str(key))
        raise InputError(f"{where}: unknown answer '{key}'{did_you_mean(key, questions)}; accepted: {', '.join(questions)}", str(key))
    model = answers_model(rules)
    valid, problems = validate_document(model, doc)
    if valid is None:
        first = problems[0]
        key = first.field.split(".")[0]
        hint = f" (accepted: {accepted(questions[key])})" if key in questions and "accepted" not in first.message else ""
        raise InputError(f"{first}{hint}", key)
    return Answers(doc.data, rules=rules)
