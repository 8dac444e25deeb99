"""Reading YAML the safe way, remembering where every key stands.

`yaml.safe_load` semantics (libyaml's C parser when present, for speed), plus two
things safe_load lacks: duplicate keys are errors, and each key's line is kept so
a validation error can point at the line to fix.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .exceptions import Problem

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LinePath = tuple[str, ...]


@dataclass(frozen=True)
class YamlDocument:
    """A parsed file: its data and the line of each key or list item (1-based)."""

    file: str
    data: Any
    lines: dict[LinePath, int]

    def line_of(self, path: tuple[object, ...]) -> int:
        """Line of the deepest part of `path` that exists in the file (1 if none does)."""
        parts = tuple(str(p) for p in path)
        while parts:
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return 1


def _walk(node: Node, path: LinePath, lines: dict[LinePath, int], problems: list[tuple[int, str, str]], seen: set[int]) -> None:
    if id(node) in seen:  # an alias: already walked, and walking again could loop
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else "?"
            line = key_node.start_mark.line + 1
            if key in first and key != "<<":
                problems.append((line, ".".join(path + (key,)), f"duplicate key '{key}' (first given on line {first[key]}); keep one"))
            first.setdefault(key, line)
            lines.setdefault(path + (key,), line)
            _walk(value_node, path + (key,), lines, problems, seen)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            lines.setdefault(path + (str(i),), item.start_mark.line + 1)
            _walk(item, path + (str(i),), lines, problems, seen)


def parse_yaml(text: str, file: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one YAML text; on a syntax error or duplicate keys, return the problems instead."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(file, 1, "", "the file is empty")]
        lines: dict[LinePath, int] = {}
        found: list[tuple[int, str, str]] = []
        _walk(node, (), lines, found, set())
        if found:
            return None, [Problem(file, line, field, msg) for line, field, msg in found]
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = (exc.problem or exc.context or "not valid YAML").strip()
        ctx = exc.context_mark
        if ctx is not None and mark is not None and ctx.line != mark.line and exc.context:
            what += f" ({exc.context.strip()} started on line {ctx.line + 1})"
        return None, [Problem(file, line, "", f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, 1, "", f"YAML error: {str(exc).splitlines()[0]}")]
    finally:
        loader.dispose()
    return YamlDocument(file, data, lines), []


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def read_yaml(path: Path) -> tuple[YamlDocument | None, list[Problem]]:
    """Read and parse a YAML file; unreadable or non-UTF-8 files become problems too."""
    name = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 1, "", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")]
    except OSError as exc:
        return None, [Problem(name, 0, "", f"cannot read the file: {exc.strerror}")]
    return parse_yaml(text, name)
