"""Building a PlanRequest from a request file, CLI flags or a roster row, with errors that name the field.

The same field names everywhere: a request.yaml key, the `--flag` of the same name
(underscores become hyphens) and a roster column.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .documents import load_document
from .exceptions import InputError
from .followup import follow_up_from
from .matching import date_problem, match_word, parse_date, slug, suggestion
from .model import PlanRequest
from .safety import RED_FLAGS
from .validation import did_you_mean, problems_from, shown
from .vocab import DIAGNOSES, EQUIPMENT

FOLLOW_UP_FIELDS = ("checkpoint", "week_reached")  # read with follow_up into one FollowUp
FIELDS = tuple(PlanRequest.model_fields) + FOLLOW_UP_FIELDS
INT_FIELDS = ("grade", "days_since_onset", "weeks", "days_per_week", "pain", "week_reached")
LIST_FIELDS = ("equipment", "red_flags", "without", "add", "swap", "dose")  # a comma list in a flag or a roster cell


def flag(field: str) -> str:
    """The CLI flag of a request field."""
    return "--red-flag" if field == "red_flags" else "--" + field.replace("_", "-")


YES, NO = ("1", "true", "yes", "y"), ("0", "false", "no", "n", "")
WORDS: dict[str, tuple[str, ...]] = {  # fields whose values come from a fixed list (matched forgivingly)
    "diagnosis": DIAGNOSES, "side": ("left", "right", "both"), "weak_glute_side": ("left", "right"),
    "checkpoint": ("passed", "not-yet"),
}
ITEM_WORDS = ("equipment", "red_flags")  # comma lists whose items come from a fixed list


@dataclass(frozen=True)
class Notice:
    """A value read as something else (a near miss corrected): the row is still used, the reader is told."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Checked:
    """check_request's answer: the request (None when anything is wrong), every problem, every notice."""

    request: PlanRequest | None
    problems: tuple[InputError, ...] = ()
    notices: tuple[Notice, ...] = ()


class RequestProblems(InputError):
    """Several problems in one request: the message has one line per problem; `problems` has each."""

    def __init__(self, problems: tuple[InputError, ...]):
        super().__init__("\n".join(str(p) for p in problems), problems[0].field)
        self.problems = problems


class _Collector:
    """Problems and notices of one request, each named as its caller names fields."""

    def __init__(self, where: str, label: Callable[[str], str]):
        self.where, self.label = where, label
        self.problems: list[InputError] = []
        self.notices: list[Notice] = []
        self.bad: set[str] = set()  # fields with a problem already: the model's view of them is not wanted

    def problem(self, field: str, text: str, labelled: bool = True) -> None:
        self.bad.add(field)
        self.problems.append(InputError(f"{self.where}{self.label(field)}: {text}" if labelled else f"{self.where}{text}", field))

    def notice(self, field: str, original: object, word: str) -> None:
        self.notices.append(Notice(field, f"{self.where}{self.label(field)}: '{shown(original)}' read as '{word}' "
                                          "(the only accepted word close to it)"))


def _coerce(data: Mapping[str, Any], c: _Collector, date_format: str | None, roster: bool) -> dict[str, Any]:
    """Normalise values that arrive as text (flags, CSV cells): dates, numbers, comma lists, yes/no.

    A value that cannot be read is dropped from the result, with its problem collected.
    """
    out = dict(data)
    if isinstance(out.get("start"), str):
        text = out["start"].strip()
        try:
            out["start"] = parse_date(text, date_format)
        except ValueError:
            del out["start"]
            c.problem("start", f"'{shown(text)}' {date_problem(text, date_format, roster)}")
    for name in INT_FIELDS:
        value = out.get(name)
        if isinstance(value, str):
            try:
                out[name] = int(value.strip())
            except ValueError:
                del out[name]
                c.problem(name, f"'{shown(value)}' is not a whole number")
    km = out.get("runner_km_per_week")
    if isinstance(km, (str, int)) and not isinstance(km, bool):
        try:
            out["runner_km_per_week"] = float(km)
        except ValueError:
            del out["runner_km_per_week"]
            c.problem("runner_km_per_week", f"'{shown(km)}' is not a number of kilometres")
    for name in LIST_FIELDS:
        if isinstance(out.get(name), str):
            out[name] = tuple(v.strip() for v in out[name].split(",") if v.strip())
    cleared = out.get("clinician_cleared")
    if isinstance(cleared, str):
        word = cleared.strip().lower()
        if word not in YES + NO:
            del out["clinician_cleared"]
            c.problem("clinician_cleared", f"'{shown(cleared)}' is not yes or no; accepted: yes, no, true, false, 1, 0")
        else:
            out["clinician_cleared"] = word in YES
    for name in ("grade", "stage", "days_since_onset", "weeks", "weak_glute_side", "runner_km_per_week"):
        if out.get(name) == "":
            out[name] = None
    return out


def _match(values: dict[str, Any], c: _Collector, correct: bool) -> None:
    """Words from fixed lists read without regard to case, spaces, hyphens or underscores; near misses
    corrected (with a notice) only when `correct` and only one accepted word is close."""
    for name, choices in WORDS.items():
        word, original = match_word(values.get(name), choices, correct)
        if original:
            c.notice(name, original, str(word))
        if name in values:
            values[name] = word
    if isinstance(values.get("stage"), str):
        values["stage"] = slug(values["stage"])
    for name, choices in (("equipment", EQUIPMENT), ("red_flags", tuple(RED_FLAGS))):
        items = values.get(name)
        if not isinstance(items, (list, tuple)):
            continue  # other types: the model says what is wrong
        matched = []
        for item in items:
            word, original = match_word(item, choices, correct)
            if original:
                c.notice(name, original, str(word))
            matched.append(word)
        values[name] = tuple(matched)


def check_request(data: Mapping[str, Any], where: str = "", today: dt.date | None = None, flags: bool = False,
                  labels: Mapping[str, str] | None = None, *, date_format: str | None = None, correct: bool = True,
                  roster: bool = False) -> Checked:
    """Every problem of a request at once (not just the first), and every near miss corrected.

    Like make_request, but nothing is raised for a field: the answer carries the request (None when
    anything is wrong), each problem as an InputError naming its field (in the order the fields were
    given), and each correction as a Notice. `date_format` reads `start` with a strptime format
    instead of ISO; `correct=False` refuses near misses (with a "did you mean") instead of reading
    them; `roster` makes a bad date's message point to --date-format.
    """
    base: Callable[[str], str] = flag if flags else str
    own = dict(labels or {})

    def label(field: str) -> str:
        return own.get(field, base(field))

    if not isinstance(data, Mapping):
        raise InputError(f"make_request: got {type(data).__name__}; accepted: a mapping of request fields (diagnosis=..., grade=...)")
    c = _Collector(where, label)
    for key in data:
        if key not in FIELDS:
            c.problem(str(key), f"unknown field '{key}'{did_you_mean(key, FIELDS)}; accepted: {', '.join(FIELDS)}", labelled=False)
    values = _coerce({k: v for k, v in data.items() if k in FIELDS}, c, date_format, roster)
    _match(values, c, correct)
    if values.get("start") is None and today is not None and "start" not in c.bad:
        values["start"] = today
    _follow_up(values, c)
    diagnosis = values.get("diagnosis")
    if diagnosis is not None and diagnosis not in DIAGNOSES:
        c.problem("diagnosis", f"'{shown(diagnosis)}' is not known{suggestion(shown(diagnosis), DIAGNOSES)}; accepted: {', '.join(DIAGNOSES)}")
        del values["diagnosis"]
    equipment = values.get("equipment")
    for item in equipment if isinstance(equipment, (list, tuple)) else ():
        if not isinstance(item, str) or item not in EQUIPMENT:
            c.problem("equipment", f"'{shown(item)}' is not known{suggestion(shown(item), EQUIPMENT)}; accepted: {', '.join(EQUIPMENT)}")
    flags_given = values.get("red_flags")
    for item in flags_given if isinstance(flags_given, (list, tuple)) else ():
        if isinstance(item, str) and item not in RED_FLAGS:
            c.problem("red_flags", f"'{shown(item)}' is not a known red flag{suggestion(item, RED_FLAGS)}; accepted: {', '.join(RED_FLAGS)}")
    request = None
    try:
        request = PlanRequest.model_validate({k: v for k, v in values.items() if k not in c.bad})
    except ValidationError as exc:
        for problem in problems_from(exc, None, "", PlanRequest):
            top = problem.field.split(".")[0]
            if top not in c.bad:
                c.problems.append(InputError(f"{where}{label(top)}{problem.field[len(top):]}: {problem.message}", top))
    if request is not None and request.grade is not None and request.diagnosis != "hamstring-strain":
        c.problem("grade", f"a grade applies only to hamstring-strain, not {request.diagnosis}; leave it out")
    if c.problems:
        order = {str(k): i for i, k in enumerate(data)}
        problems = sorted(c.problems, key=lambda p: order.get(p.field, len(order)))  # as the fields were given
        return Checked(None, tuple(problems), tuple(c.notices))
    return Checked(request, (), tuple(c.notices))


def make_request(data: Mapping[str, Any], where: str = "", today: dt.date | None = None, flags: bool = False,
                 labels: Mapping[str, str] | None = None, *, notices: list[Notice] | None = None,
                 date_format: str | None = None) -> PlanRequest:
    """A validated PlanRequest; any problem -> InputError naming the field and what is accepted.

    `where` prefixes messages ("row 4: "); `flags` names fields as CLI flags; `labels` names
    particular fields' origin instead (a request file's "request.yaml:3: pain"); `today` fills a
    missing start date (the caller passes it in so the library never reads the clock itself).
    Values are matched without regard to case, spaces, hyphens or underscores ("Hamstring Strain").
    A near miss ("hamstring strian") is read as the one accepted word close to it only when the caller
    passes a `notices` list, where the correction is then added: nothing is corrected unseen.
    One problem gives its own InputError; several give a RequestProblems, one line per problem.
    """
    checked = check_request(data, where, today, flags, labels, date_format=date_format, correct=notices is not None)
    if notices is not None:
        notices.extend(checked.notices)
    if checked.problems:
        if len(checked.problems) == 1:
            raise checked.problems[0]
        raise RequestProblems(checked.problems)
    assert checked.request is not None
    return checked.request


def _follow_up(values: dict[str, Any], c: _Collector) -> None:
    """A `follow_up` path becomes the FollowUp read from that plan, and its carried fields fill the gaps."""
    source = values.get("follow_up")
    given = [k for k in FOLLOW_UP_FIELDS if values.get(k) is not None]
    if source is None or source == "":
        for field in given:
            c.problem(field, f"needs {c.label('follow_up')} (the last plan's JSON file)")
        for field in ("follow_up", *FOLLOW_UP_FIELDS):  # empty ones are simply not given
            values.pop(field, None)
        return
    if isinstance(source, (str, os.PathLike)):
        try:
            start = values.get("start")
            follow, carried = follow_up_from(Path(source), values.pop("checkpoint", None), values.pop("week_reached", None),
                                             start if isinstance(start, dt.date) else None)
        except InputError as exc:
            c.bad.add(exc.field or "follow_up")
            c.problems.append(InputError(f"{c.where}{exc}", exc.field or "follow_up"))
            values.pop("follow_up", None)
            return
        kept = []
        for key, value in carried.items():
            if values.get(key) in (None, (), "", []):
                values[key] = tuple(value) if isinstance(value, list) else value
                if key in ("without", "add", "swap", "dose"):
                    kept += [f"{key}:{v}" for v in values[key]]
        values["follow_up"] = follow.model_copy(update={"carried_changes": tuple(kept)})


def request_file_labels(path: Path, data: Mapping[str, Any]) -> dict[str, str]:
    """Each field of a request file as its messages name it: 'request.yaml:3: pain'."""
    from .yamlsource import read_yaml  # PyYAML only when a file is read

    doc, _ = read_yaml(Path(path))
    if doc is None:
        return {}
    return {str(k): f"{doc.file}:{doc.line_of((k,))}: {k}" for k in data}


def read_request_file(path: Path) -> dict[str, Any]:
    """The fields of a request.yaml (or .json) file, with a clear error for anything unreadable."""
    doc = load_document(Path(path), "a mapping of request fields (diagnosis: ..., grade: ...)")
    unknown = [k for k in doc.data if k not in FIELDS]
    if unknown:
        key = unknown[0]
        raise InputError(f"{doc.file}:{doc.line_of((key,))}: unknown field '{key}'{did_you_mean(key, FIELDS)}; accepted: {', '.join(FIELDS)}")
    return dict(doc.data)
