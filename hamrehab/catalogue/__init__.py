"""Loading and checking the exercise catalogue and the protocols.

One run reports every problem in every file (file, line, field, what is accepted),
the way a clinician wants to fix a folder: all at once, not one error per try.
User folders add exercises or replace built-ins by id, each replacement announced.
"""
from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..arguments import flag, paths
from ..exceptions import InputError, Problem, ValidationFailed
from ..model import Exercise, HandoutWording, PlanningRules, Protocol, RedFlag, RedFlags, Reference, TriageRules
from ..validation import did_you_mean
from . import cache
from .crosscheck import check_exercises, check_handout, check_protocols, check_red_flags, check_rules, check_triage
from .files import (
    REFERENCES_FILE,
    Collector,
    Entry,
    OnDemandDocument,
    cached_entries,
    folders,
    gather,
    load_handout,
    load_red_flags,
    load_references,
    load_rules,
    load_triage,
)
from .painlimits import check_stop_levels
from .plainwords import check_plain_words, may_name_a_score, pain_score
from .signs import Signs, check_warning_signs

ROOT = Path(__file__).resolve().parents[2]


def _builtin(folder: str) -> Path:
    """The shipped folder: the source tree's when run from a checkout, else the installed copy."""
    local = ROOT / folder
    if local.is_dir():
        return local
    return Path(__file__).resolve().parents[1] / "data" / folder  # the wheel puts them in hamrehab/data/


BUILTIN_EXERCISES = _builtin("exercises")
BUILTIN_PROTOCOLS = _builtin("protocols")
BUILTIN_RULES = _builtin("rules") / "planning.yaml"
BUILTIN_RED_FLAGS = _builtin("rules") / "red-flags.yaml"
BUILTIN_TRIAGE = _builtin("rules") / "triage.yaml"
BUILTIN_HANDOUT = _builtin("rules") / "handout.yaml"


@dataclass(frozen=True)
class Catalogue:
    """Validated, read-only exercises, protocols, references, rules and the handout's wording, plus override notices."""

    exercises: Mapping[str, Exercise]
    protocols: Mapping[str, Protocol]
    references: Mapping[str, Reference]
    rules: PlanningRules
    red_flags: RedFlags  # rules/red-flags.yaml: the safety screen and triage read the same flags
    triage: TriageRules  # rules/triage.yaml: the questions and scoring rules of `hamrehab triage`
    wording: HandoutWording  # rules/handout.yaml: every fixed sentence of the handouts and the planner's notes
    notices: tuple[str, ...] = ()

    @property
    def red_flag(self) -> Mapping[str, RedFlag]:
        """The red flags by id."""
        return self.red_flags.by_id

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled (for the start-up cache and batch workers) as plain dicts; read back as read-only maps."""
        return (_catalogue_from, (dict(self.exercises), dict(self.protocols), dict(self.references), self.rules,
                                  self.red_flags, self.triage, self.wording, self.notices))

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
            raise InputError(f"no protocol '{diagnosis}'{did_you_mean(diagnosis, self.protocols)}; "
                             f"accepted: {', '.join(sorted(self.protocols))}") from None


def _catalogue_from(exercises: dict[str, Exercise], protocols: dict[str, Protocol], references: dict[str, Reference],
                    rules: PlanningRules, red_flags: RedFlags, triage: TriageRules, wording: HandoutWording,
                    notices: tuple[str, ...]) -> Catalogue:
    return Catalogue(MappingProxyType(exercises), MappingProxyType(protocols), MappingProxyType(references), rules, red_flags,
                     triage, wording, notices)


def _builtin_files() -> list[Path]:
    """Every built-in file a catalogue is made of: the cache key covers them all."""
    found = [BUILTIN_RULES, BUILTIN_RED_FLAGS, BUILTIN_TRIAGE, BUILTIN_HANDOUT]
    for where in (BUILTIN_EXERCISES, BUILTIN_PROTOCOLS):
        if where.is_dir():
            found += sorted(where.glob("*.yaml")) + sorted(where.glob("*.yml"))
    return [f for f in found if f.is_file()]


def check(catalogues: Sequence[Path] = (), protocols: Sequence[Path] = (), *,
          builtin: bool = True) -> tuple[Catalogue | None, list[Problem], list[str]]:
    """Load everything and return (catalogue or None, every problem, override notices)."""
    catalogues, protocols = paths(catalogues, "catalogues"), paths(protocols, "protocols")
    flag(builtin, "builtin")
    cache_key = None
    if builtin and not catalogues and not protocols:
        cache_key, cached = _cached_builtin()
        if cached is not None:
            return cached, [], []
    with _collector_paused():
        return _check_files(catalogues, protocols, builtin, cache_key)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while files are read and validated.

    Reading a folder makes hundreds of thousands of small objects (YAML nodes, dicts, models) that all
    live on; the collector's passes over them find nothing to free and took a quarter of the time of
    validating a clinician's folder of 2000 exercises. Reference counting still frees everything else.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _check_files(catalogues: tuple[Path, ...], protocols: tuple[Path, ...], builtin: bool,
                 cache_key: str | None) -> tuple[Catalogue | None, list[Problem], list[str]]:
    out = Collector()
    # A clinician's folders are always read and validated; the built-in documents beside them come from the
    # start-up cache (validated already, for these very files; a cold cache is filled first, as a plain
    # start would fill it), and every cross-check still runs over the whole. With the cache off, or built-in
    # files that do not validate alone, they are read and validated here beside the folders, as always.
    shipped = None
    if builtin and (catalogues or protocols):
        key, shipped = _cached_builtin()
        if shipped is None and key is not None:
            shipped = _check_files((), (), True, key)[0]
    ex_folders = folders(BUILTIN_EXERCISES if builtin and shipped is None else None, catalogues, "catalogue", out)
    pr_folders = folders(BUILTIN_PROTOCOLS if builtin and shipped is None else None, protocols, "protocols", out)
    refs = {**(shipped.references if shipped is not None else {}), **load_references(ex_folders + pr_folders, out)}
    ex_seed = cached_entries(shipped.exercises, BUILTIN_EXERCISES) if shipped is not None else None
    pr_seed = cached_entries(shipped.protocols, BUILTIN_PROTOCOLS) if shipped is not None else None
    exercises = gather(Exercise, ex_folders, "exercise", out, ex_seed)
    protos = gather(Protocol, pr_folders, "protocol", out, pr_seed)
    rules: Entry | None
    red_flags: Entry | None
    triage: Entry | None
    wording: Entry | None
    if shipped is not None:
        rules, red_flags, triage, wording = (Entry(item, OnDemandDocument(path), path.parent, True) for item, path in (
            (shipped.rules, BUILTIN_RULES), (shipped.red_flags, BUILTIN_RED_FLAGS), (shipped.triage, BUILTIN_TRIAGE),
            (shipped.wording, BUILTIN_HANDOUT)))
    else:
        rules, red_flags = load_rules(BUILTIN_RULES, out), load_red_flags(BUILTIN_RED_FLAGS, out)
        triage, wording = load_triage(BUILTIN_TRIAGE, out), load_handout(BUILTIN_HANDOUT, out)
    builtin_refs = refs if shipped is not None else _builtin_refs(refs)  # (refs holds the cached built-in ones already)
    check_exercises(exercises, refs, out)
    plain = {k: e.item for k, e in exercises.items()}
    check_rules(rules, plain, refs, out)
    check_protocols(protos, plain, refs, rules.item if rules else None, out)
    check_red_flags(red_flags, builtin_refs, out)
    check_warning_signs(protos, red_flags, out)
    check_stop_levels({k: e for k, e in protos.items() if not isinstance(e.doc, OnDemandDocument)}, out)
    check_triage(triage, red_flags, builtin_refs, out)
    check_handout(wording, builtin_refs, out)
    # (built-in documents from the cache passed this check when the cache was made: only what was read is looked at)
    signs = Signs(red_flags.item) if red_flags is not None else None
    late = ((signs.may_give_a_time, signs.too_late_at),) if signs is not None else ()  # no warning sign said too late
    check_plain_words({k: e for k, e in exercises.items() if not isinstance(e.doc, OnDemandDocument)}, refs, out,
                      (*late, (may_name_a_score, pain_score)))
    check_plain_words({k: e for k, e in protos.items() if not isinstance(e.doc, OnDemandDocument)}, refs, out, late)
    if shipped is None:
        check_plain_words([red_flags, triage, wording], builtin_refs, out, late)
    if out.problems or rules is None or red_flags is None or triage is None or wording is None:
        return None, sorted(out.problems), out.notices
    catalogue = Catalogue(
        exercises=MappingProxyType({k: exercises[k].item for k in sorted(exercises)}),
        protocols=MappingProxyType({k: protos[k].item for k in sorted(protos)}),
        references=MappingProxyType(dict(sorted(refs.items()))),
        rules=rules.item,
        red_flags=red_flags.item,
        triage=triage.item,
        wording=wording.item,
        notices=tuple(out.notices),
    )
    if cache_key:
        cache.store(cache_key, catalogue)
    return catalogue, [], out.notices


def _cached_builtin() -> tuple[str | None, Catalogue | None]:
    """(the start-up cache's key, and the built-in catalogue when the cache holds it): the shipped rules
    files below come from there too, so a request's safety screen never reads YAML on a warm start."""
    if not cache.enabled():
        return None, None
    try:
        cache_key = cache.key(_builtin_files())
    except OSError:
        return None, None
    cached = cache.load(cache_key)
    return cache_key, cached if isinstance(cached, Catalogue) else None


def _shipped(part: str, load: Any, path: Path, cross_check: Any = None) -> Any:
    """One shipped rules file alone, for callers without a catalogue: from the warm start-up cache when it
    holds the built-in catalogue, else read from `path` and cross-checked as `hamrehab validate` does."""
    cached = _cached_builtin()[1]
    if cached is not None:
        return getattr(cached, part)
    out = Collector()
    entry = load(path, out)
    if entry is None:
        raise ValidationFailed(out.problems)
    if cross_check is not None:
        checked = Collector()
        cross_check(entry, checked)
        if checked.problems:
            raise ValidationFailed(checked.problems)
    return entry.item


@functools.lru_cache(maxsize=1)
def builtin_rules() -> PlanningRules:
    """The shipped planning rules alone, for callers that need only the thresholds (triage's questions)."""
    return _shipped("rules", load_rules, BUILTIN_RULES)


def _builtin_refs(refs: Mapping[str, Reference]) -> Mapping[str, Reference]:
    """The sources the built-in rules may cite: the built-in references.yaml, with any the folders add."""
    if (BUILTIN_EXERCISES / REFERENCES_FILE).exists():
        return {**_builtin_references(), **refs}
    return refs


@functools.lru_cache(maxsize=1)
def _builtin_references() -> dict[str, Reference]:
    out = Collector()
    return load_references([(BUILTIN_EXERCISES, True)], out)


@functools.lru_cache(maxsize=1)
def builtin_red_flags() -> RedFlags:
    """The shipped red flags alone (rules/red-flags.yaml), for the safety screen without a catalogue."""
    return _shipped("red_flags", load_red_flags, BUILTIN_RED_FLAGS,
                    lambda entry, out: check_red_flags(entry, _builtin_references(), out))


@functools.lru_cache(maxsize=1)
def builtin_triage() -> TriageRules:
    """The shipped triage questions and rules alone (rules/triage.yaml), cross-checked like `hamrehab validate` does."""
    return _shipped("triage", load_triage, BUILTIN_TRIAGE, lambda entry, out: check_triage(
        entry, Entry(builtin_red_flags(), entry.doc, entry.folder, True), _builtin_references(), out))


@functools.lru_cache(maxsize=1)
def builtin_handout() -> HandoutWording:
    """The shipped handout wording alone (rules/handout.yaml), cross-checked like `hamrehab validate` does:
    for plans and callers without a catalogue (a Plan made by older code, the web view's pain line)."""
    return _shipped("wording", load_handout, BUILTIN_HANDOUT, lambda entry, out: check_handout(entry, _builtin_references(), out))


def load_catalogue(catalogues: Sequence[Path] = (), protocols: Sequence[Path] = (), *, builtin: bool = True) -> Catalogue:
    """The validated catalogue; raises ValidationFailed carrying every problem found."""
    catalogue, problems, _ = check(catalogues, protocols, builtin=builtin)
    if catalogue is None:
        raise ValidationFailed(problems)
    return catalogue
