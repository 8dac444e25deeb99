"""Reading YAML the safe way, remembering where every key stands.

`yaml.safe_load` semantics (libyaml's C parser when present, for speed), plus two
things safe_load lacks: duplicate keys are errors, and each key's line is kept so
a validation error can point at the line to fix.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .exceptions import Problem
from .inputfile import MAX_YAML, display_path, read_text

_Safe = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LinePath = tuple[str, ...]


STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
INT_TAG = "tag:yaml.org,2002:int"
MAX_REMEMBERED = 50_000  # plain scalars whose tag is remembered (a folder of 2000 exercises has about 12,000)


class _Base(_Safe):  # type: ignore[misc,valid-type]
    """The safe loader, with its tag resolution remembered.

    The parser asks the resolver for the tag of every node: for a plain scalar, PyYAML tries its
    implicit-type patterns (bool, int, float, null, timestamp, ...) one after another, about a quarter of
    a folder's load time. With no path resolvers (safe_load has none), a plain scalar's tag depends only
    on its text, and a catalogue repeats the same texts ("sets", "reps", "none", "2") thousands of times,
    so each text's tag is worked out by PyYAML once and remembered. Same tags, so the same data.
    """

    _plain: ClassVar[dict[str, str]] = {}  # shared by every loader of this process

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            tag = self._plain.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._plain) < MAX_REMEMBERED:
                    self._plain[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


# Aliases let a few hundred bytes stand for billions of values ("billion laughs"). Every reader
# refuses a document whose values, with each alias counted in full, exceed this.
MAX_EXPANDED = 100_000


class _Slow(Exception):
    """The fast builder met something only PyYAML's own constructor handles (merge keys, odd tags, cycles)."""


class _TooBig(Exception):
    def __init__(self, line: int):
        self.line = line


def expanded_size(root: Node, limit: int = MAX_EXPANDED) -> int:
    """How many values the document holds with every alias expanded, stopping as soon as it passes `limit`.

    Each node's size is worked out once (an alias reuses it), so this is linear in the file's size
    however deep the aliases go; a cycle counts as too big.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, ScalarNode):
            sizes[key] = 1
            continue
        children = [n for pair in node.value for n in pair] if isinstance(node, MappingNode) else list(node.value)
        if children_done:
            open_nodes.discard(key)
            total = 1 + sum(sizes[id(c)] for c in children)
            if total > limit:
                raise _TooBig(node.start_mark.line + 1)
            sizes[key] = total
            continue
        if key in open_nodes:
            raise _TooBig(node.start_mark.line + 1)  # a node that contains itself
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def _build(node: Node, loader: Any, built: dict[int, Any], dup: list[bool]) -> Any:
    """Python data from a composed node, as safe_load would give, without its per-node bookkeeping.

    PyYAML's C parser composes the node tree fast; its Python constructor was most of the load time.
    Plain mappings, lists and scalars are built here, each node once (an alias gets the same object,
    as safe_load gives); anything unusual falls back (raises _Slow).
    """
    if isinstance(node, ScalarNode):
        if node.tag == STR_TAG:
            return node.value
        if node.tag == INT_TAG and node.value.isdecimal() and node.value.isascii() and (node.value[0] != "0" or node.value == "0"):
            return int(node.value)  # plain digits; PyYAML's own constructor for the rest (signs, 0x, 0o, 1_000, 1:30)
        make = loader.yaml_constructors.get(node.tag)
        if make is None:
            raise _Slow
        return make(loader, node)
    key = id(node)
    if key in built:
        if built[key] is _Slow:
            raise _Slow  # a recursive alias
        return built[key]
    built[key] = _Slow
    if isinstance(node, SequenceNode) and node.tag == SEQ_TAG:
        seq = [_build(item, loader, built, dup) for item in node.value]
        built[key] = seq
        return seq
    if isinstance(node, MappingNode) and node.tag == MAP_TAG:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.value == "<<" or key_node.tag == "tag:yaml.org,2002:merge":
                raise _Slow
            k = _build(key_node, loader, built, dup)
            if k in out:
                dup[0] = True
            out[k] = _build(value_node, loader, built, dup)
        built[key] = out
        return out
    raise _Slow


class YamlDocument:
    """A parsed file: its data, and (worked out only when an error needs it) each key's line."""

    def __init__(self, file: str, data: Any, text: str):
        self.file = file
        self.data = data
        self._text = text
        self._lines: dict[LinePath, int] | None = None

    @property
    def lines(self) -> dict[LinePath, int]:
        """Line (1-based) of every key and list item, by path; computed once, on first use."""
        if self._lines is None:
            self._lines = {}
            loader = _Base(self._text)
            try:
                node = loader.get_single_node()
                if node is not None:
                    _walk(node, (), self._lines, set())
            finally:
                loader.dispose()
        return self._lines

    def line_of(self, path: tuple[object, ...]) -> int:
        """Line of the deepest part of `path` that exists in the file (1 if none does)."""
        parts = tuple(str(p) for p in path)
        lines = self.lines
        while parts:
            if parts in lines:
                return lines[parts]
            parts = parts[:-1]
        return 1


def _walk(node: Node, path: LinePath, lines: dict[LinePath, int], seen: set[int]) -> None:
    if id(node) in seen:  # an alias: already walked, and walking again could loop
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else "?"
            lines.setdefault(path + (key,), key_node.start_mark.line + 1)
            _walk(value_node, path + (key,), lines, seen)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            lines.setdefault(path + (str(i),), item.start_mark.line + 1)
            _walk(item, path + (str(i),), lines, seen)


def _duplicate_problems(text: str, file: str) -> list[Problem]:
    """Each duplicate key with its full path: a second, slower look, only when there are some."""
    loader = _Base(text)
    found: list[Problem] = []

    def walk(node: Node, path: LinePath, seen: set[int]) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, ScalarNode) else "?"
                line = key_node.start_mark.line + 1
                if key in first and key != "<<":
                    found.append(Problem(file, line, ".".join(path + (key,)), f"duplicate key '{key}' (first given on line {first[key]}); keep one"))
                first.setdefault(key, line)
                walk(value_node, path + (key,), seen)
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, path + (str(i),), seen)

    try:
        walk(loader.get_single_node(), (), set())
    finally:
        loader.dispose()
    return found


def parse_yaml(text: str, file: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one YAML text; on a syntax error or duplicate keys, return the problems instead."""
    loader = _Base(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(file, 1, "", "the file is empty")]
        dup = [False]
        try:
            if "&" in text:  # without an anchor there is no alias: every node is its own, bounded by the file's size
                expanded_size(node)
        except _TooBig as exc:
            return None, [Problem(file, exc.line, "", f"too many values once its aliases (&, *) are expanded (more than "
                                                      f"{MAX_EXPANDED:,}); write the values out, or use fewer aliases")]
        try:
            data = _build(node, loader, {}, dup)
        except _Slow:
            data = loader.construct_document(node)
            dup[0] = True  # let the careful walk decide
        if dup[0]:
            problems = _duplicate_problems(text, file)
            if problems:
                return None, problems
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
    except (TypeError, ValueError) as exc:  # e.g. an unhashable key, an impossible date
        return None, [Problem(file, 1, "", f"YAML error: {exc}")]
    finally:
        loader.dispose()
    if data is None:
        return None, [Problem(file, 1, "", "the file is empty")]
    return YamlDocument(file, data, text), []


def read_yaml(path: Path, limit: int = MAX_YAML) -> tuple[YamlDocument | None, list[Problem]]:
    """Read and parse a YAML file: a regular file of bounded size, UTF-8; anything else becomes a problem."""
    name = display_path(Path(path))
    text, problem = read_text(Path(path), name, limit)
    if text is None:
        assert problem is not None
        return None, [problem]
    return parse_yaml(text, name)
