"""Turning pydantic's errors into Problems a clinician can act on: file, line, field, plain words.

Every error of a document is kept (pydantic collects them all), errors from the members
of a union are merged into one, and a wrong word from a fixed list gets a "did you mean".
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .exceptions import Problem

if TYPE_CHECKING:
    from .yamlsource import YamlDocument

EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "date_type": "a date written YYYY-MM-DD",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
    "none_required": "nothing",
}


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close choice exists, else ''."""
    import difflib  # only on the way to an error message

    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def shown(value: object, limit: int = 60) -> str:
    """A value as a message shows it: a megabyte of bad input is cut to its start, not echoed whole."""
    text = value if isinstance(value, str) else repr(value)
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text):,} characters)"


def _quoted_choices(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def _describe(err: ErrorDetails, known_fields: Iterable[str]) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "missing":
        return "this required field is missing"
    if kind == "extra_forbidden":
        return f"unknown field{did_you_mean(err['loc'][-1], known_fields)}; remove it or fix its spelling"
    if kind == "literal_error":
        choices = _quoted_choices(str(ctx.get("expected", "")))
        return f"'{shown(value)}' is not accepted{did_you_mean(shown(value), choices)}; accepted: {', '.join(choices)}"
    if kind == "rule":
        return str(ctx.get("message"))
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {"greater_than": "more than", "greater_than_equal": "at least", "less_than": "less than", "less_than_equal": "at most"}[kind]
        bound = next(iter(ctx.values()))
        return f"'{shown(value)}' is out of range; it must be {words} {bound}"
    if kind == "string_pattern_mismatch":
        if "a-z0-9" in str(ctx.get("pattern", "")):
            return f"'{shown(value)}' is not a valid id: use lower-case letters and digits joined by single hyphens"
        if "https?" in str(ctx.get("pattern", "")):
            return f"'{shown(value)}' is not a web address starting with http:// or https://"
        return f"'{shown(value)}' is not in the expected form"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty" if kind == "string_too_short" else f"needs at least {ctx.get('min_length')} item(s)"
    if kind in ("string_too_long", "too_long"):
        return f"is too long; at most {ctx.get('max_length')} characters or items"
    if kind in EXPECTED:
        return f"expected {EXPECTED[kind]}, got '{shown(value)}'"
    return f"{err['msg']}, got '{shown(value)}'"


def _clean_loc(loc: tuple, doc: YamlDocument | None) -> tuple[str, ...]:
    """Drop pydantic's union-member tags (e.g. 'int', 'tuple[int, ...]') from an error location."""
    path: tuple[str, ...] = ()
    for part in loc:
        candidate = path + (str(part),)
        if doc is not None and candidate in doc.lines:
            path = candidate
        elif isinstance(part, str) and (not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", part) or part in UNION_TAGS):
            continue
        else:
            path = candidate
    return path


UNION_TAGS = {"int", "float", "str", "bool", "tuple", "list", "dict", "none",
              "constrained-int", "constrained-float", "constrained-str", "literal", "date"}


def model_fields(model: type[BaseModel]) -> set[str]:
    """Every field name of a model and the models inside it, for "did you mean" on unknown fields."""
    names: set[str] = set()
    stack, seen = [model], set()
    while stack:
        m = stack.pop()
        if m in seen:
            continue
        seen.add(m)
        for name, info in m.model_fields.items():
            names.add(name)
            for arg in _types_in(info.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    stack.append(arg)
    return names


def _types_in(annotation: Any) -> list[Any]:
    found, stack = [], [annotation]
    while stack:
        a = stack.pop()
        found.append(a)
        stack.extend(getattr(a, "__args__", ()) or ())
        meta = getattr(a, "__origin__", None)
        if meta is not None:
            stack.append(meta)
    return found


def problems_from(exc: ValidationError, doc: YamlDocument | None, file: str, model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[Problem]:
    """One Problem per distinct place, union members merged, each with its line."""
    fields = model_fields(model)
    merged: dict[tuple[str, ...], list[str]] = {}
    errors = exc.errors(include_url=False)
    item_paths = {prefix + _clean_loc(e["loc"], doc) for e in errors}
    for err in errors:
        path = prefix + _clean_loc(err["loc"], doc)
        if err["type"] == "too_short" and any(len(p) > len(path) and p[: len(path)] == path for p in item_paths):
            continue  # "too few items" only because its items were wrong: report the items
        ctx_field = (err.get("ctx") or {}).get("field")
        if err["type"] == "rule" and ctx_field and path[-1:] != (str(ctx_field),):
            path = path + (str(ctx_field),)
        text = _describe(err, fields)
        bucket = merged.setdefault(path, [])
        if text not in bucket:
            bucket.append(text)
    problems = []
    for path, texts in merged.items():
        expected = [t for t in texts if t.startswith("expected ")]
        if len(expected) > 1:  # a union: "expected a whole number or a list, got 'x'"
            kinds = [t.removeprefix("expected ").split(", got ")[0] for t in expected]
            got = expected[0].split(", got ", 1)[1] if ", got " in expected[0] else ""
            texts = [t for t in texts if t not in expected] + [f"expected {' or '.join(kinds)}" + (f", got {got}" if got else "")]
        line = doc.line_of(path) if doc is not None else 0
        problems.append(Problem(file, line, ".".join(path), "; ".join(texts)))
    return problems
