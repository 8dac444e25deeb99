"""Building a PlanRequest from a request file, CLI flags or a roster row, with errors that name the field.

The same field names everywhere: a request.yaml key, the `--flag` of the same name
(underscores become hyphens) and a roster column.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .exceptions import InputError
from .model import PlanRequest
from .safety import check_red_flags
from .validation import did_you_mean, problems_from
from .vocab import DIAGNOSES, EQUIPMENT
from .yamlsource import read_yaml

FIELDS = tuple(PlanRequest.model_fields)
INT_FIELDS = ("grade", "days_since_onset", "weeks", "days_per_week", "pain")


def flag(field: str) -> str:
    """The CLI flag of a request field."""
    return "--red-flag" if field == "red_flags" else "--" + field.replace("_", "-")


def _coerce(data: Mapping[str, Any], where: str, label: Callable[[str], str]) -> dict[str, Any]:
    """Normalise values that arrive as text (flags, CSV cells): dates, numbers, comma lists."""
    out = dict(data)
    if isinstance(out.get("start"), str):
        text = out["start"].strip()
        try:
            out["start"] = dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(f"{where}{label('start')}: '{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-02", "start") from None
    for name in INT_FIELDS:
        value = out.get(name)
        if isinstance(value, str):
            try:
                out[name] = int(value.strip())
            except ValueError:
                raise InputError(f"{where}{label(name)}: '{value}' is not a whole number", name) from None
    if isinstance(out.get("runner_km_per_week"), (str, int)) and not isinstance(out.get("runner_km_per_week"), bool):
        try:
            out["runner_km_per_week"] = float(out["runner_km_per_week"])
        except ValueError:
            raise InputError(f"{where}{label('runner_km_per_week')}: '{out['runner_km_per_week']}' is not a number of kilometres", "runner_km_per_week") from None
    for name in ("equipment", "red_flags"):
        if isinstance(out.get(name), str):
            out[name] = tuple(v.strip() for v in out[name].split(",") if v.strip())
    if isinstance(out.get("clinician_cleared"), str):
        out["clinician_cleared"] = out["clinician_cleared"].strip().lower() in ("1", "true", "yes", "y")
    for name in ("grade", "stage", "days_since_onset", "weeks", "weak_glute_side", "runner_km_per_week"):
        if out.get(name) == "":
            out[name] = None
    return out


def make_request(data: Mapping[str, Any], where: str = "", today: dt.date | None = None, flags: bool = False) -> PlanRequest:
    """A validated PlanRequest; any problem → InputError naming the field and what is accepted.

    `where` prefixes messages ("request.yaml: ", "row 4: "); `today` fills a missing start date
    (the caller passes it in so the library never reads the clock itself).
    """
    label: Callable[[str], str] = flag if flags else str
    unknown = [k for k in data if k not in FIELDS]
    if unknown:
        key = unknown[0]
        raise InputError(f"{where}unknown field '{key}'{did_you_mean(key, FIELDS)}; accepted: {', '.join(FIELDS)}", str(key))
    values = _coerce(data, where, label)
    if values.get("start") is None and today is not None:
        values["start"] = today
    diagnosis = values.get("diagnosis")
    if diagnosis is not None and diagnosis not in DIAGNOSES:
        raise InputError(f"{where}{label('diagnosis')}: '{diagnosis}' is not known{did_you_mean(diagnosis, DIAGNOSES)}; accepted: {', '.join(DIAGNOSES)}", "diagnosis")
    for item in values.get("equipment") or ():
        if item not in EQUIPMENT:
            raise InputError(f"{where}{label('equipment')}: '{item}' is not known{did_you_mean(item, EQUIPMENT)}; accepted: {', '.join(EQUIPMENT)}", "equipment")
    try:
        request = PlanRequest.model_validate(values)
    except ValidationError as exc:
        first = problems_from(exc, None, "", PlanRequest)[0]
        top = first.field.split(".")[0]
        raise InputError(f"{where}{label(top)}{first.field[len(top):]}: {first.message}", top) from None
    if request.grade is not None and request.diagnosis != "hamstring-strain":
        raise InputError(f"{where}{label('grade')}: a grade applies only to hamstring-strain, not {request.diagnosis}; leave it out", "grade")
    try:
        check_red_flags(request.red_flags)
    except InputError as exc:
        raise InputError(f"{where}{str(exc).replace('--red-flag: ', '--red-flag: ' if flags else 'red_flags: ')}", "red_flags") from None
    return request


def read_request_file(path: Path) -> dict[str, Any]:
    """The fields of a request.yaml (or .json) file, with a clear error for anything unreadable."""
    doc, problems = read_yaml(Path(path))
    if doc is None:
        raise InputError(str(problems[0]))
    if not isinstance(doc.data, dict):
        raise InputError(f"{doc.file}:1: expected a mapping of request fields (diagnosis: ..., grade: ...)")
    unknown = [k for k in doc.data if k not in FIELDS]
    if unknown:
        key = unknown[0]
        raise InputError(f"{doc.file}:{doc.line_of((key,))}: unknown field '{key}'{did_you_mean(key, FIELDS)}; accepted: {', '.join(FIELDS)}")
    return dict(doc.data)
