"""Reading one catalogue document into its model: every problem kept with its file, line and field.

Exercises and protocols come one per file (the file name is the id); references, planning rules, red
flags, triage and the handout's wording are one file each. Nothing here cross-checks documents: that is `crosscheck`.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from ..documents import read_document, validate_document
from ..exceptions import Problem
from ..inputfile import display_path
from ..model import HandoutWording, PlanningRules, RedFlags, Reference, TriageRules
from ..validation import problems_from

if TYPE_CHECKING:
    from ..yamlsource import YamlDocument

REFERENCES_FILE = "references.yaml"


class OnDemandDocument:
    """A built-in file whose model came from the start-up cache, already validated: read again only when a
    cross-check with a clinician's folder must name one of its lines (a built-in protocol's dose outside the
    limits of the clinician's replacement exercise), so that message is the same as without the cache."""

    def __init__(self, path: Path):
        self.path = path
        self.file = display_path(path)
        self._doc: YamlDocument | None = None

    def _read(self) -> YamlDocument | None:
        if self._doc is None:
            from ..yamlsource import read_yaml

            self._doc = read_yaml(self.path)[0]
        return self._doc

    @property
    def data(self) -> Any:
        doc = self._read()
        return doc.data if doc is not None else None

    def line_of(self, path: tuple[object, ...]) -> int:
        doc = self._read()
        return doc.line_of(path) if doc is not None else 1


@dataclass
class Entry:
    """A validated document and where it came from, kept until cross-checks are done."""

    item: Any
    doc: YamlDocument | OnDemandDocument
    folder: Path
    builtin: bool


@dataclass
class Collector:
    """Every problem and notice of one load, in the order found."""

    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def add(self, doc: YamlDocument | OnDemandDocument, path: tuple[object, ...], message: str) -> None:
        self.problems.append(Problem(doc.file, doc.line_of(path), ".".join(str(p) for p in path), message))


def folders(builtin: Path | None, extra: Sequence[Path], what: str, out: Collector) -> list[tuple[Path, bool]]:
    folders = [(builtin, True)] if builtin is not None and builtin.is_dir() else []
    for folder in extra:
        folder = Path(folder)
        if not folder.is_dir():
            out.problems.append(Problem(str(folder), 0, "", f"not a folder; --{what} takes a folder of .yaml files"))
        else:
            folders.append((folder, False))
    return folders


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.name != REFERENCES_FILE) + sorted(folder.glob("*.yml"))


def validate(model: type[BaseModel], path: Path, id_field_ok: Iterable[str], out: Collector) -> tuple[Any, YamlDocument] | None:
    doc, problems = read_document(path, "a mapping of fields (name: ..., steps: ...)", found=True)
    if doc is None:
        out.problems.extend(problems)
        return None
    data = dict(doc.data)
    stem = path.stem
    if "id" in data and data["id"] != stem:
        out.add(doc, ("id",),
                f"id '{data['id']}' differs from the file name '{stem}'; the id is the file name, so drop this field or rename the file")
        return None
    data["id"] = stem
    item, found = validate_document(model, doc, data)
    if item is not None:
        return item, doc
    for p in found:
        if p.field == "id":  # the id comes from the file name: say so
            p = Problem(p.file, 1, "file name", p.message.replace("this required field is missing", "") + " (the file name is the id)")
        out.problems.append(p)
    return None


def load_references(folders: list[tuple[Path, bool]], out: Collector) -> dict[str, Reference]:
    refs: dict[str, Reference] = {}
    for folder, _ in folders:
        path = folder / REFERENCES_FILE
        if not path.exists():
            continue
        from ..yamlsource import read_yaml  # PyYAML only on a cache miss or a clinician's folder

        doc, problems = read_yaml(path)
        if doc is None:
            out.problems.extend(problems)
            continue
        if not isinstance(doc.data, dict):
            out.problems.append(Problem(doc.file, 1, "", "expected a mapping of source keys to {citation: ...}"))
            continue
        for key, body in doc.data.items():
            try:
                refs[str(key)] = Reference.model_validate({"key": str(key), **(body if isinstance(body, dict) else {"citation": body})})
            except ValidationError as exc:
                out.problems.extend(problems_from(exc, doc, doc.file, Reference, prefix=(str(key),)))
            except TypeError:
                out.add(doc, (key,), "expected citation: text")
    return refs


def load_rules(path: Path, out: Collector) -> Entry | None:
    """The planning rules (built-in, one file): validated like every other document."""
    doc, problems = read_document(path, "a mapping with pain, hold, running and week")
    rules, invalid = validate_document(PlanningRules, doc) if doc is not None else (None, [])
    out.problems.extend(problems + invalid)
    return Entry(rules, doc, path.parent, True) if rules is not None and doc is not None else None


def load_builtin(path: Path, model: type[BaseModel], expected: str, out: Collector) -> Entry | None:
    """One built-in rules file (red flags, triage): validated like every other document, every problem kept.

    Read once per version of the file (its size and time stamp): these files are large and the same in
    every catalogue a process loads, while a changed file is read again.
    """
    try:
        info = os.stat(path)
        version = (info.st_mtime_ns, info.st_size)
    except OSError:
        version = (0, 0)
    entry, problems = read_builtin(str(path), version, model, expected)
    out.problems.extend(problems)
    return entry


@functools.lru_cache(maxsize=16)
def read_builtin(path: str, version: tuple[int, int], model: type[BaseModel], expected: str) -> tuple[Entry | None, tuple[Problem, ...]]:
    doc, problems = read_document(Path(path), f"a mapping with {expected}")
    if doc is None:
        return None, tuple(problems)
    item, invalid = validate_document(model, doc)
    if item is not None:
        return Entry(item, doc, Path(path).parent, True), ()
    return None, tuple(invalid)


def load_red_flags(path: Path, out: Collector) -> Entry | None:
    return load_builtin(path, RedFlags, "urgencies and flags", out)


def load_triage(path: Path, out: Collector) -> Entry | None:
    return load_builtin(path, TriageRules, "questions, red_flag_rules, scoring, courses, grading, prevention, unclear and watch_for", out)


def cached_entries(items: Mapping[str, Any], folder: Path) -> dict[str, Entry]:
    """The built-in documents of one folder as entries, their models taken from the start-up cache."""
    files = {p.stem: p for p in yaml_files(folder)} if folder.is_dir() else {}
    return {k: Entry(item, OnDemandDocument(files.get(k, folder / f"{k}.yaml")), folder, True) for k, item in items.items()}


def gather(model: type[BaseModel], folders: list[tuple[Path, bool]], kind: str, out: Collector,
           seed: Mapping[str, Entry] | None = None) -> dict[str, Entry]:
    """Validate each file; user folders override built-ins, but two user folders may not clash.
    `seed`: the built-in entries already validated (from the start-up cache), in place of a built-in folder."""
    entries: dict[str, Entry] = dict(seed or {})
    for folder, builtin in folders:
        for path in yaml_files(folder):
            result = validate(model, path, (), out)
            if result is None:
                continue
            item, doc = result
            previous = entries.get(item.id)
            if previous is not None:
                if previous.builtin and not builtin:
                    out.notices.append(f"notice: {doc.file} replaces the built-in {kind} '{item.id}'")
                else:
                    out.problems.append(Problem(doc.file, 1, "",
                                                f"{kind} id '{item.id}' is also defined in {previous.doc.file}; rename one of the two files"))
                    continue
            entries[item.id] = Entry(item, doc, folder, builtin)
    return entries


def load_handout(path: Path, out: Collector) -> Entry | None:
    return load_builtin(path, HandoutWording, "the groups of the handout's wording (headings, traffic_light, ...)", out)
