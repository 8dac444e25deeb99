"""One path from a YAML (or JSON) file to a validated model, for every file hamrehab reads.

Catalogue files, rules files, request.yaml, clinic.yaml, triage answers and YAML rosters all go
through `read_document` (bounded, safe YAML; a problem names the file and line) and `validate_document`
(every pydantic error turned into a Problem at the line of its field), so each reader says what is
wrong in the same words and none reads YAML its own way.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from .exceptions import InputError, Problem
from .inputfile import MAX_YAML
from .validation import problems_from

if TYPE_CHECKING:
    from .yamlsource import YamlDocument

M = TypeVar("M", bound=BaseModel)


def read_document(path: Path, expected: str, *, kind: type = dict, limit: int = MAX_YAML,
                  found: bool = False) -> tuple[YamlDocument | None, list[Problem]]:
    """The file's document when its top level is a `kind` (a mapping by default), else its problems.

    `expected` completes "expected ..." in the message, e.g. "a mapping of request fields (diagnosis: ...)";
    with `found`, the message also names what the file holds instead.
    """
    from .yamlsource import read_yaml  # PyYAML only when a file is read: a cached start never needs it

    doc, problems = read_yaml(Path(path), limit)
    if doc is None:
        return None, problems
    if not isinstance(doc.data, kind):
        instead = f", found {type(doc.data).__name__}" if found else ""
        return None, [Problem(doc.file, 1, "", f"expected {expected}{instead}")]
    return doc, []


def validate_document(model: type[M], doc: YamlDocument, data: Any = None) -> tuple[M | None, list[Problem]]:
    """The model validated from the document (or from `data` read out of it), else one Problem per place."""
    try:
        return model.model_validate(doc.data if data is None else data), []
    except ValidationError as exc:
        return None, problems_from(exc, doc, doc.file, model)


def load_document(path: Path, expected: str, *, kind: type = dict, limit: int = MAX_YAML, flag: str = "") -> YamlDocument:
    """`read_document` for a command's input file: the first problem as an InputError (prefixed by its flag)."""
    doc, problems = read_document(path, expected, kind=kind, limit=limit)
    if doc is None:
        raise InputError(f"{flag}{problems[0]}")
    return doc
