"""JSON Schemas of the files clinicians write, for completion and checking in their editors."""
from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from .exceptions import InputError
from .model import Exercise, HandoutWording, PlanningRules, PlanRequest, Protocol, RedFlags, TriageRules
from .validation import did_you_mean

# The id of an exercise or protocol is its file name, so the file itself never needs one.
SCHEMAS: dict[str, tuple[type[BaseModel], bool]] = {
    "exercise": (Exercise, True),
    "protocol": (Protocol, True),
    "request": (PlanRequest, False),
    "rules": (PlanningRules, False),
    "red-flags": (RedFlags, False),
    "triage": (TriageRules, False),
    "handout": (HandoutWording, False),
}


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of file: exercise, protocol, request, rules, red-flags, triage or handout."""
    try:
        model, id_from_file = SCHEMAS[kind]
    except KeyError:
        raise InputError(f"no schema '{kind}'{did_you_mean(kind, SCHEMAS)}; accepted: {', '.join(SCHEMAS)}") from None
    schema = model.model_json_schema()
    if id_from_file:
        schema["required"] = [r for r in schema.get("required", []) if r != "id"]
        schema["properties"]["id"]["description"] = "Optional: the id is the file name; if given it must match."
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://hamrehab.invalid/schema/{kind}.json"
    return schema


def schema_text(kind: str) -> str:
    """The schema as stable, indented JSON text."""
    return json.dumps(json_schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
