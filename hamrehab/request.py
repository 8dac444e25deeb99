"""Building a PlanRequest from a request file, CLI flags or a roster row, with errors that name the field.

The same field names everywhere: a request.yaml key, the `--flag` of the same name
(underscores become hyphens) and a roster column.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .exceptions import InputError
from .followup import follow_up_from
from .model import PlanRequest
from .safety import check_red_flags
from .validation import did_you_mean, problems_from, shown
from .vocab import DIAGNOSES, EQUIPMENT
from .yamlsource import read_yaml

FOLLOW_UP_FIELDS = ("checkpoint", "week_reached")  # read with follow_up into one FollowUp
FIELDS = tuple(PlanRequest.model_fields) + FOLLOW_UP_FIELDS
INT_FIELDS = ("grade", "days_since_onset", "weeks", "days_per_week", "pain", "week_reached")
LIST_FIELDS = ("equipment", "red_flags", "without", "add", "swap", "dose")  # a comma list in a flag or a roster cell


def flag(field: str) -> str:
    """The CLI flag of a request field."""
    return "--red-flag" if field == "red_flags" else "--" + field.replace("_", "-")


YES, NO = ("1", "true", "yes", "y"), ("0", "false", "no", "n", "")


def _coerce(data: Mapping[str, Any], where: str, label: Callable[[str], str]) -> dict[str, Any]:
    """Normalise values that arrive as text (flags, CSV cells): dates, numbers, comma lists, yes/no."""
    out = dict(data)
    if isinstance(out.get("start"), str):
        text = out["start"].strip()
        try:
            out["start"] = dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(f"{where}{label('start')}: '{shown(text)}' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-02", "start") from None
    for name in INT_FIELDS:
        value = out.get(name)
        if isinstance(value, str):
            try:
                out[name] = int(value.strip())
            except ValueError:
                raise InputError(f"{where}{label(name)}: '{shown(value)}' is not a whole number", name) from None
    km = out.get("runner_km_per_week")
    if isinstance(km, (str, int)) and not isinstance(km, bool):
        try:
            out["runner_km_per_week"] = float(km)
        except ValueError:
            raise InputError(f"{where}{label('runner_km_per_week')}: '{shown(km)}' is not a number of kilometres", "runner_km_per_week") from None
    for name in LIST_FIELDS:
        if isinstance(out.get(name), str):
            out[name] = tuple(v.strip() for v in out[name].split(",") if v.strip())
    cleared = out.get("clinician_cleared")
    if isinstance(cleared, str):
        word = cleared.strip().lower()
        if word not in YES + NO:
            raise InputError(f"{where}{label('clinician_cleared')}: '{shown(cleared)}' is not yes or no; accepted: yes, no, true, false, 1, 0", "clinician_cleared")
        out["clinician_cleared"] = word in YES
    for name in ("grade", "stage", "days_since_onset", "weeks", "weak_glute_side", "runner_km_per_week"):
        if out.get(name) == "":
            out[name] = None
    return out


def make_request(data: Mapping[str, Any], where: str = "", today: dt.date | None = None, flags: bool = False,
                 labels: Mapping[str, str] | None = None) -> PlanRequest:
    """A validated PlanRequest; any problem → InputError naming the field and what is accepted.

    `where` prefixes messages ("row 4: "); `flags` names fields as CLI flags; `labels` names
    particular fields' origin instead (a request file's "request.yaml:3: pain"); `today` fills a
    missing start date (the caller passes it in so the library never reads the clock itself).
    """
    base: Callable[[str], str] = flag if flags else str
    own = dict(labels or {})

    def label(field: str) -> str:
        return own.get(field, base(field))

    if not isinstance(data, Mapping):
        raise InputError(f"make_request: got {type(data).__name__}; accepted: a mapping of request fields (diagnosis=..., grade=...)")
    unknown = [k for k in data if k not in FIELDS]
    if unknown:
        key = unknown[0]
        raise InputError(f"{where}unknown field '{key}'{did_you_mean(key, FIELDS)}; accepted: {', '.join(FIELDS)}", str(key))
    values = _coerce(data, where, label)
    _follow_up(values, where, label)
    if values.get("start") is None and today is not None:
        values["start"] = today
    diagnosis = values.get("diagnosis")
    if diagnosis is not None and diagnosis not in DIAGNOSES:
        raise InputError(f"{where}{label('diagnosis')}: '{shown(diagnosis)}' is not known{did_you_mean(shown(diagnosis), DIAGNOSES)}; accepted: {', '.join(DIAGNOSES)}", "diagnosis")
    equipment = values.get("equipment")
    for item in equipment if isinstance(equipment, (list, tuple)) else ():  # other types: the model says what is wrong
        if not isinstance(item, str) or item not in EQUIPMENT:
            raise InputError(f"{where}{label('equipment')}: '{shown(item)}' is not known{did_you_mean(shown(item), EQUIPMENT)}; accepted: {', '.join(EQUIPMENT)}", "equipment")
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
        raise InputError(f"{where}{label('red_flags')}: {str(exc).removeprefix('--red-flag: ')}", "red_flags") from None
    return request


def _follow_up(values: dict[str, Any], where: str, label: Callable[[str], str]) -> None:
    """A `follow_up` path becomes the FollowUp read from that plan, and its carried fields fill the gaps."""
    source = values.get("follow_up")
    given = [k for k in FOLLOW_UP_FIELDS if values.get(k) is not None]
    if source is None or source == "":
        if given:
            raise InputError(f"{where}{label(given[0])}: needs {label('follow_up')} (the last plan's JSON file)", given[0])
        values.pop("follow_up", None)
        return
    if isinstance(source, (str, os.PathLike)):
        try:
            follow, carried = follow_up_from(Path(source), values.pop("checkpoint", None), values.pop("week_reached", None))
        except InputError as exc:
            raise InputError(f"{where}{exc}", exc.field) from None
        kept = []
        for key, value in carried.items():
            if values.get(key) in (None, (), "", []):
                values[key] = tuple(value) if isinstance(value, list) else value
                if key in ("without", "add", "swap", "dose"):
                    kept += [f"{key}:{v}" for v in values[key]]
        values["follow_up"] = follow.model_copy(update={"carried_changes": tuple(kept)})


def request_file_labels(path: Path, data: Mapping[str, Any]) -> dict[str, str]:
    """Each field of a request file as its messages name it: 'request.yaml:3: pain'."""
    doc, _ = read_yaml(Path(path))
    if doc is None:
        return {}
    return {str(k): f"{doc.file}:{doc.line_of((k,))}: {k}" for k in data}


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
