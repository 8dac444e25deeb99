"""Checks on what scripts pass to the public API, so a wrong type is the project's own InputError
naming the argument and what is accepted, never a TypeError from deep inside."""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .exceptions import InputError


def require(value: Any, kind: type | tuple[type, ...], name: str, accepted: str) -> Any:
    """`value` if it is an instance of `kind`; else InputError('name: got X; accepted: ...')."""
    if isinstance(value, bool) and kind in (int, float):  # True is an int to Python, never a count to us
        raise InputError(f"{name}: got True/False; accepted: {accepted}")
    if not isinstance(value, kind):
        raise InputError(f"{name}: got {type(value).__name__}; accepted: {accepted}")
    return value


def flag(value: Any, name: str) -> bool:
    return require(value, bool, name, "True or False")


def choice(value: Any, choices: Iterable[str], name: str) -> str:
    options = tuple(choices)
    if not isinstance(value, str) or value not in options:
        shown = repr(value) if isinstance(value, str) else type(value).__name__
        raise InputError(f"{name}: got {shown[:60]}; accepted: {', '.join(options)}")
    return value


def count(value: Any, name: str, low: int, high: int) -> int:
    require(value, int, name, f"a whole number from {low} to {high}")
    if not low <= value <= high:
        raise InputError(f"{name}: got {value}; accepted: a whole number from {low} to {high}")
    return value


def path(value: Any, name: str) -> Path:
    if not isinstance(value, (str, os.PathLike)) or isinstance(value, bytes):
        raise InputError(f"{name}: got {type(value).__name__}; accepted: a path (str or pathlib.Path)")
    return Path(value)


def paths(value: Any, name: str) -> tuple[Path, ...]:
    """One path or a list of them: a plain string is one folder, never a list of letters."""
    if value is None:
        return ()
    if isinstance(value, (str, os.PathLike)):
        return (path(value, name),)
    if not isinstance(value, (list, tuple)):
        raise InputError(f"{name}: got {type(value).__name__}; accepted: a path or a list of paths")
    return tuple(path(v, f"{name}[{i}]") for i, v in enumerate(value))


def words(value: Any, name: str, choices: Iterable[str]) -> tuple[str, ...]:
    """A list of words from `choices`; a plain string may list them with commas ('pdf,json')."""
    options = tuple(choices)
    if isinstance(value, str):
        items: list[Any] = [v.strip() for v in value.split(",") if v.strip()]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise InputError(f"{name}: got {type(value).__name__}; accepted: a list of {', '.join(options)}")
    if not items:
        raise InputError(f"{name}: empty; accepted: one or more of {', '.join(options)}")
    return tuple(choice(v, options, name) for v in items)
