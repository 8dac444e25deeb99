"""Loading and checking the exercise catalogue and the protocols.

One run reports every problem in every file (file, line, field, what is accepted),
the way a clinician wants to fix a folder: all at once, not one error per try.
User folders add exercises or replace built-ins by id, each replacement announced.
"""
from __future__ import annotations

import functools
import importlib.resources
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ValidationError

from .arguments import flag, paths
from .exceptions import InputError, Problem, ValidationFailed
from .model import (Exercise, PainThresholds, PlanningRules, Protocol, RedFlag, RedFlags, Reference, TriageRules, dose_problems,
                    red_flag_problems, triage_problems)
from .validation import did_you_mean, problems_from
from .yamlsource import YamlDocument, read_yaml

REFERENCES_FILE = "references.yaml"
ROOT = Path(__file__).resolve().parent.parent


def _builtin(folder: str) -> Path:
    """The shipped folder: the source tree's when run from a checkout, else the installed copy."""
    local = ROOT / folder
    if local.is_dir():
        return local
    return Path(str(importlib.resources.files("hamrehab") / "data" / folder))


BUILTIN_EXERCISES = _builtin("exercises")
BUILTIN_PROTOCOLS = _builtin("protocols")
BUILTIN_RULES = _builtin("rules") / "planning.yaml"
BUILTIN_RED_FLAGS = _builtin("rules") / "red-flags.yaml"
BUILTIN_TRIAGE = _builtin("rules") / "triage.yaml"


@dataclass(frozen=True)
class Catalogue:
    """Validated, read-only exercises, protocols and references, plus override notices."""

    exercises: Mapping[str, Exercise]
    protocols: Mapping[str, Protocol]
    references: Mapping[str, Reference]
    rules: PlanningRules
    red_flags: RedFlags  # rules/red-flags.yaml: the safety screen and triage read the same flags
    triage: TriageRules  # rules/triage.yaml: the questions and scoring rules of `hamrehab triage`
    notices: tuple[str, ...] = ()

    @property
    def red_flag(self) -> Mapping[str, RedFlag]:
        """The red flags by id."""
        return self.red_flags.by_id

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise with that id, or an InputError with a "did you mean"."""
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise InputError(f"no exercise '{exercise_id}'{did_you_mean(exercise_id, self.exercises)}; `hamrehab exercises` lists them") from None

    def protocol(self, diagnosis: str) -> Protocol:
        """The protocol of a diagnosis, or an InputError naming those that exist."""
        try:
            return self.protocols[diagnosis]
        except KeyError:
            raise InputError(f"no protocol '{diagnosis}'{did_you_mean(diagnosis, self.protocols)}; accepted: {', '.join(sorted(self.protocols))}") from None


@dataclass
class _Entry:
    """A validated document and where it came from, kept until cross-checks are done."""

    item: Any
    doc: YamlDocument
    folder: Path
    builtin: bool


@dataclass
class _Collector:
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def add(self, doc: YamlDocument, path: tuple[object, ...], message: str) -> None:
        self.problems.append(Problem(doc.file, doc.line_of(path), ".".join(str(p) for p in path), message))


def _folders(builtin: Path | None, extra: Sequence[Path], what: str, out: _Collector) -> list[tuple[Path, bool]]:
    folders = [(builtin, True)] if builtin is not None and builtin.is_dir() else []
    for folder in extra:
        folder = Path(folder)
        if not folder.is_dir():
            out.problems.append(Problem(str(folder), 0, "", f"not a folder; --{what} takes a folder of .yaml files"))
        else:
            folders.append((folder, False))
    return folders


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.name != REFERENCES_FILE) + sorted(folder.glob("*.yml"))


def _validate(model: type[BaseModel], path: Path, id_field_ok: Iterable[str], out: _Collector) -> tuple[Any, YamlDocument] | None:
    doc, problems = read_yaml(path)
    if doc is None:
        out.problems.extend(problems)
        return None
    if not isinstance(doc.data, dict):
        out.problems.append(Problem(doc.file, 1, "", f"expected a mapping of fields (name: ..., steps: ...), found {type(doc.data).__name__}"))
        return None
    data = dict(doc.data)
    stem = path.stem
    if "id" in data and data["id"] != stem:
        out.add(doc, ("id",), f"id '{data['id']}' differs from the file name '{stem}'; the id is the file name, so drop this field or rename the file")
        return None
    data["id"] = stem
    try:
        return model.model_validate(data), doc
    except ValidationError as exc:
        found = problems_from(exc, doc, doc.file, model)
        for p in found:
            if p.field == "id":  # the id comes from the file name: say so
                p = Problem(p.file, 1, "file name", p.message.replace("this required field is missing", "") + " (the file name is the id)")
            out.problems.append(p)
        return None


def _load_references(folders: list[tuple[Path, bool]], out: _Collector) -> dict[str, Reference]:
    refs: dict[str, Reference] = {}
    for folder, _ in folders:
        path = folder / REFERENCES_FILE
        if not path.exists():
            continue
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


def _load_rules(path: Path, out: _Collector) -> _Entry | None:
    """The planning rules (built-in, one file): validated like every other document."""
    doc, problems = read_yaml(path)
    if doc is None:
        out.problems.extend(problems)
        return None
    if not isinstance(doc.data, dict):
        out.problems.append(Problem(doc.file, 1, "", "expected a mapping with pain, hold, running and week"))
        return None
    try:
        return _Entry(PlanningRules.model_validate(doc.data), doc, path.parent, True)
    except ValidationError as exc:
        out.problems.extend(problems_from(exc, doc, doc.file, PlanningRules))
        return None


def _load_builtin(path: Path, model: type[BaseModel], expected: str, out: _Collector) -> _Entry | None:
    """One built-in rules file (red flags, triage): validated like every other document, every problem kept.

    Read once per version of the file (its size and time stamp): these files are large and the same in
    every catalogue a process loads, while a changed file is read again.
    """
    try:
        info = os.stat(path)
        version = (info.st_mtime_ns, info.st_size)
    except OSError:
        version = (0, 0)
    entry, problems = _read_builtin(str(path), version, model, expected)
    out.problems.extend(problems)
    return entry


@functools.lru_cache(maxsize=16)
def _read_builtin(path: str, version: tuple[int, int], model: type[BaseModel], expected: str) -> tuple[_Entry | None, tuple[Problem, ...]]:
    doc, problems = read_yaml(Path(path))
    if doc is None:
        return None, tuple(problems)
    if not isinstance(doc.data, dict):
        return None, (Problem(doc.file, 1, "", f"expected a mapping with {expected}"),)
    try:
        return _Entry(model.model_validate(doc.data), doc, Path(path).parent, True), ()
    except ValidationError as exc:
        return None, tuple(problems_from(exc, doc, doc.file, model))


def _load_red_flags(path: Path, out: _Collector) -> _Entry | None:
    return _load_builtin(path, RedFlags, "urgencies and flags", out)


def _load_triage(path: Path, out: _Collector) -> _Entry | None:
    return _load_builtin(path, TriageRules, "questions, red_flag_rules, scoring, courses, grading, prevention, unclear and watch_for", out)


def _check_red_flags(entry: _Entry | None, refs: Mapping[str, Reference], out: _Collector) -> None:
    if entry is None:
        return
    flags: RedFlags = entry.item
    for path, message in red_flag_problems(flags):
        out.add(entry.doc, path, message)
    for i, red in enumerate(flags.flags):
        _check_sources(entry, ("flags", i, "sources"), red.sources, refs, out)


PAIN_THRESHOLDS = tuple(f for f in PainThresholds.model_fields if f != "sources")


def _check_triage(entry: _Entry | None, flags: _Entry | None, refs: Mapping[str, Reference], out: _Collector) -> None:
    """Every flag a rule raises is in red-flags.yaml, every condition's answer is a question (asked earlier,
    for a question), every source is in references.yaml, every threshold is a pain threshold."""
    if entry is None:
        return
    flag_ids = None if flags is None else flags.item.by_id
    for path, message in triage_problems(entry.item, flags=flag_ids, sources=refs, thresholds=PAIN_THRESHOLDS):
        out.add(entry.doc, path, message)


def _gather(model: type[BaseModel], folders: list[tuple[Path, bool]], kind: str, out: _Collector) -> dict[str, _Entry]:
    """Validate each file; user folders override built-ins, but two user folders may not clash."""
    entries: dict[str, _Entry] = {}
    for folder, builtin in folders:
        for path in _yaml_files(folder):
            result = _validate(model, path, (), out)
            if result is None:
                continue
            item, doc = result
            previous = entries.get(item.id)
            if previous is not None:
                if previous.builtin and not builtin:
                    out.notices.append(f"notice: {doc.file} replaces the built-in {kind} '{item.id}'")
                else:
                    out.problems.append(Problem(doc.file, 1, "", f"{kind} id '{item.id}' is also defined in {previous.doc.file}; rename one of the two files"))
                    continue
            entries[item.id] = _Entry(item, doc, folder, builtin)
    return entries


def _check_sources(entry: _Entry, path: tuple[object, ...], keys: Sequence[str], refs: Mapping[str, Reference], out: _Collector) -> None:
    for i, key in enumerate(keys):
        if key not in refs:
            out.add(entry.doc, path + (i,), f"unknown source '{key}'{did_you_mean(key, refs)}; add it to {REFERENCES_FILE} or use one listed there")


def _check_exercises(exercises: dict[str, _Entry], refs: Mapping[str, Reference], out: _Collector) -> None:
    for ex_id, entry in exercises.items():
        ex: Exercise = entry.item
        for link in ("easier", "harder", "substitutes"):
            for i, other in enumerate(getattr(ex, link)):
                if other == ex_id:
                    out.add(entry.doc, (link, i), f"'{other}' names this exercise itself")
                elif other not in exercises:
                    out.add(entry.doc, (link, i), f"no exercise '{other}'{did_you_mean(other, exercises)}")
        _check_sources(entry, ("sources",), ex.sources, refs, out)
    _check_harder_cycles(exercises, out)


def _check_harder_cycles(exercises: dict[str, _Entry], out: _Collector) -> None:
    """A chain of "harder" links must end: a loop would make progression go round forever."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in sorted(exercises):
        if start in state:
            continue
        # depth-first, with an explicit stack: a chain thousands long must not exhaust Python's recursion
        trail: list[str] = [start]
        stack: list[tuple[str, int]] = [(start, 0)]
        state[start] = 1
        while stack:
            node, i = stack[-1]
            harder = exercises[node].item.harder
            if i == len(harder):
                state[node] = 2
                stack.pop()
                trail.pop()
                continue
            stack[-1] = (node, i + 1)
            nxt = harder[i]
            if nxt not in exercises:
                continue
            if state.get(nxt) == 1:
                loop = trail[trail.index(nxt):] + [nxt]
                entry = exercises[node]
                out.add(entry.doc, ("harder", i), f"'harder' goes round in a loop: {' -> '.join(loop)}")
            elif state.get(nxt) is None:
                state[nxt] = 1
                stack.append((nxt, 0))
                trail.append(nxt)


def _check_rules(entry: _Entry | None, exercises: Mapping[str, Exercise], refs: Mapping[str, Reference], out: _Collector) -> None:
    if entry is None:
        return
    rules: PlanningRules = entry.item
    for part in ("pain", "hold", "running", "week"):
        _check_sources(entry, (part, "sources"), getattr(rules, part).sources, refs, out)
    walk = rules.running.walk_exercise
    if walk not in exercises:
        out.add(entry.doc, ("running", "walk_exercise"), f"no exercise '{walk}'{did_you_mean(walk, exercises)}")


def _check_protocols(protocols: dict[str, _Entry], exercises: Mapping[str, Exercise], refs: Mapping[str, Reference],
                     rules: PlanningRules | None, out: _Collector) -> None:
    for entry in protocols.values():
        proto: Protocol = entry.item
        _check_sources(entry, ("sources",), proto.sources, refs, out)
        seen_ids: set[str] = set()
        for pi, phase in enumerate(proto.phases):
            where = ("phases", pi)
            if phase.id in seen_ids:
                out.add(entry.doc, where + ("id",), f"phase id '{phase.id}' is used twice in this protocol")
            seen_ids.add(phase.id)
            if isinstance(phase.weeks, dict):
                missing = [g for g in (proto.grades or (1, 2, 3)) if g not in phase.weeks]
                if missing:
                    out.add(entry.doc, where + ("weeks",), f"weeks by grade lacks grade {', '.join(map(str, missing))}")
            _check_sources(entry, where + ("sources",), phase.sources, refs, out)
            _check_sources(entry, where + ("pain_rules", "sources"), phase.pain_rules.sources, refs, out)
            _check_sources(entry, where + ("running", "sources"), phase.running.sources, refs, out)
            if rules is not None and phase.pain_rules.during_max > rules.pain.amber_max:
                out.add(entry.doc, where + ("pain_rules", "during_max"),
                        f"during_max {phase.pain_rules.during_max} is above the traffic light's amber top ({rules.pain.amber_max}/10, rules/planning.yaml); "
                        f"pain of {rules.pain.refer_at} or more is never acceptable")
            for ci, crit in enumerate(phase.exit_criteria):
                _check_sources(entry, where + ("exit_criteria", ci, "sources"), crit.sources, refs, out)
            for ei, px in enumerate(phase.exercises):
                ex_where = where + ("exercises", ei)
                ex = exercises.get(px.exercise)
                if ex is None:
                    out.add(entry.doc, ex_where + ("exercise",), f"no exercise '{px.exercise}'{did_you_mean(px.exercise, exercises)}")
                    continue
                ban = ex.contraindicated(proto.id, phase.tag)
                if ban is not None:
                    out.add(entry.doc, ex_where + ("exercise",), f"'{px.exercise}' is contraindicated for {proto.id} in a {phase.tag} phase: {ban.reason}")
                for fld, msg in dose_problems(px.dose, ex.dosage.kind, ex.dosage.limits):
                    out.add(entry.doc, ex_where + ("dose", fld), msg)
                for si, step in enumerate(px.schedule):
                    for fld, msg in dose_problems(step, ex.dosage.kind, ex.dosage.limits):
                        out.add(entry.doc, ex_where + ("schedule", si, fld), msg)
                    reps_range = ex.dosage.limits.reps
                    if step.reps_max is not None and reps_range is not None and not reps_range[0] <= step.reps_max <= reps_range[1]:
                        out.add(entry.doc, ex_where + ("schedule", si, "reps_max"), f"reps_max {step.reps_max} is outside this exercise's safe limits [{reps_range[0]}, {reps_range[1]}]")
                if px.grades and proto.grades and not set(px.grades) <= set(proto.grades):
                    out.add(entry.doc, ex_where + ("grades",), f"grades {list(px.grades)} are not all among the protocol's grades {list(proto.grades)}")


def check(catalogues: Sequence[Path] = (), protocols: Sequence[Path] = (), *, builtin: bool = True) -> tuple[Catalogue | None, list[Problem], list[str]]:
    """Load everything and return (catalogue or None, every problem, override notices)."""
    catalogues, protocols = paths(catalogues, "catalogues"), paths(protocols, "protocols")
    flag(builtin, "builtin")
    out = _Collector()
    ex_folders = _folders(BUILTIN_EXERCISES if builtin else None, catalogues, "catalogue", out)
    pr_folders = _folders(BUILTIN_PROTOCOLS if builtin else None, protocols, "protocols", out)
    refs = _load_references(ex_folders + pr_folders, out)
    exercises = _gather(Exercise, ex_folders, "exercise", out)
    protos = _gather(Protocol, pr_folders, "protocol", out)
    rules = _load_rules(BUILTIN_RULES, out)
    red_flags = _load_red_flags(BUILTIN_RED_FLAGS, out)
    triage = _load_triage(BUILTIN_TRIAGE, out)
    _check_exercises(exercises, refs, out)
    plain = {k: e.item for k, e in exercises.items()}
    _check_rules(rules, plain, refs, out)
    _check_protocols(protos, plain, refs, rules.item if rules else None, out)
    _check_red_flags(red_flags, _builtin_refs(refs), out)
    _check_triage(triage, red_flags, _builtin_refs(refs), out)
    if out.problems or rules is None or red_flags is None or triage is None:
        return None, sorted(out.problems), out.notices
    catalogue = Catalogue(
        exercises=MappingProxyType({k: exercises[k].item for k in sorted(exercises)}),
        protocols=MappingProxyType({k: protos[k].item for k in sorted(protos)}),
        references=MappingProxyType(dict(sorted(refs.items()))),
        rules=rules.item,
        red_flags=red_flags.item,
        triage=triage.item,
        notices=tuple(out.notices),
    )
    return catalogue, [], out.notices


@functools.lru_cache(maxsize=1)
def builtin_rules() -> PlanningRules:
    """The shipped planning rules alone, for callers that need only the thresholds (triage's questions)."""
    out = _Collector()
    entry = _load_rules(BUILTIN_RULES, out)
    if entry is None:
        raise ValidationFailed(out.problems)
    return entry.item


def _builtin_refs(refs: Mapping[str, Reference]) -> Mapping[str, Reference]:
    """The sources the built-in rules may cite: the built-in references.yaml, with any the folders add."""
    if (BUILTIN_EXERCISES / REFERENCES_FILE).exists():
        return {**_builtin_references(), **refs}
    return refs


@functools.lru_cache(maxsize=1)
def _builtin_references() -> dict[str, Reference]:
    out = _Collector()
    return _load_references([(BUILTIN_EXERCISES, True)], out)


def _builtin_rules_file(load: Any, path: Path) -> Any:
    out = _Collector()
    entry = load(path, out)
    if entry is None:
        raise ValidationFailed(out.problems)
    return entry


@functools.lru_cache(maxsize=1)
def builtin_red_flags() -> RedFlags:
    """The shipped red flags alone (rules/red-flags.yaml), for the safety screen without a catalogue."""
    entry = _builtin_rules_file(_load_red_flags, BUILTIN_RED_FLAGS)
    out = _Collector()
    _check_red_flags(entry, _builtin_references(), out)
    if out.problems:
        raise ValidationFailed(out.problems)
    return entry.item


@functools.lru_cache(maxsize=1)
def builtin_triage() -> TriageRules:
    """The shipped triage questions and rules alone (rules/triage.yaml), cross-checked like `hamrehab validate` does."""
    entry = _builtin_rules_file(_load_triage, BUILTIN_TRIAGE)
    out = _Collector()
    _check_triage(entry, _Entry(builtin_red_flags(), entry.doc, entry.folder, True), _builtin_references(), out)
    if out.problems:
        raise ValidationFailed(out.problems)
    return entry.item


def load_catalogue(catalogues: Sequence[Path] = (), protocols: Sequence[Path] = (), *, builtin: bool = True) -> Catalogue:
    """The validated catalogue; raises ValidationFailed carrying every problem found."""
    catalogue, problems, _ = check(catalogues, protocols, builtin=builtin)
    if catalogue is None:
        raise ValidationFailed(problems)
    return catalogue
