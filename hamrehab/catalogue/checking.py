"""Reading and cross-checking every file of a catalogue, all problems at once: the path taken when the
start-up cache cannot answer (a clinician's own folders, a cold or disabled cache, a changed file).

A clinician's folders are always read and validated here; the built-in documents beside them come from the
start-up cache when it holds them. Kept apart from the package's `__init__` so that a warm start imports none
of the reading and checking code.
"""
from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .. import catalogue as package  # the shipped files' paths, read when used (a test may point them elsewhere)
from ..exceptions import Problem, ValidationFailed
from ..model import Exercise, Protocol, Reference
from . import Catalogue, builtin_red_flags, cache, cached_builtin
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
from .kitwords import check_criteria_kit, check_notes_name_no_stand_in, check_notes_naming_exercises, check_stand_in_notes
from .painlimits import check_stop_levels
from .plainwords import check_plain_words, may_name_a_score, pain_score
from .signs import Signs, check_warning_signs
from .walkwords import check_boxes_about_runs


def check_files(catalogues: tuple[Path, ...], protocols: tuple[Path, ...], builtin: bool,
                cache_key: str | None) -> tuple[Catalogue | None, list[Problem], list[str]]:
    """Every file read and validated, every cross-check run; a built-in catalogue that passes is cached under `cache_key`."""
    with _collector_paused():
        return _check(catalogues, protocols, builtin, cache_key)


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


def _check(catalogues: tuple[Path, ...], protocols: tuple[Path, ...], builtin: bool,
           cache_key: str | None) -> tuple[Catalogue | None, list[Problem], list[str]]:
    out = Collector()
    # A clinician's folders are always read and validated; the built-in documents beside them come from the
    # start-up cache (validated already, for these very files; a cold cache is filled first, as a plain
    # start would fill it), and every cross-check still runs over the whole. With the cache off, or built-in
    # files that do not validate alone, they are read and validated here beside the folders, as always.
    shipped = None
    if builtin and (catalogues or protocols):
        key, shipped = cached_builtin()
        if shipped is None and key is not None:
            shipped = _check((), (), True, key)[0]
    ex_folders = folders(package.BUILTIN_EXERCISES if builtin and shipped is None else None, catalogues, "catalogue", out)
    pr_folders = folders(package.BUILTIN_PROTOCOLS if builtin and shipped is None else None, protocols, "protocols", out)
    refs = {**(shipped.references if shipped is not None else {}), **load_references(ex_folders + pr_folders, out)}
    ex_seed = cached_entries(shipped.exercises, package.BUILTIN_EXERCISES) if shipped is not None else None
    pr_seed = cached_entries(shipped.protocols, package.BUILTIN_PROTOCOLS) if shipped is not None else None
    exercises = gather(Exercise, ex_folders, "exercise", out, ex_seed)
    protos = gather(Protocol, pr_folders, "protocol", out, pr_seed)
    rules: Entry | None
    red_flags: Entry | None
    triage: Entry | None
    wording: Entry | None
    if shipped is not None:
        rules, red_flags, triage, wording = (Entry(item, OnDemandDocument(path), path.parent, True) for item, path in (
            (shipped.rules, package.BUILTIN_RULES), (shipped.red_flags, package.BUILTIN_RED_FLAGS),
            (shipped.triage, package.BUILTIN_TRIAGE), (shipped.wording, package.BUILTIN_HANDOUT)))
    else:
        rules, red_flags = load_rules(package.BUILTIN_RULES, out), load_red_flags(package.BUILTIN_RED_FLAGS, out)
        triage, wording = load_triage(package.BUILTIN_TRIAGE, out), load_handout(package.BUILTIN_HANDOUT, out)
    builtin_refs = refs if shipped is not None else _builtin_refs(refs)  # (refs holds the cached built-in ones already)
    check_exercises(exercises, refs, out)
    plain = {k: e.item for k, e in exercises.items()}
    check_rules(rules, plain, refs, out)
    check_protocols(protos, plain, refs, rules.item if rules else None, out)
    check_criteria_kit(protos, plain, out)
    check_notes_name_no_stand_in(protos, plain, out)
    check_stand_in_notes(protos, plain, out)
    check_notes_naming_exercises(protos, plain, out)
    check_boxes_about_runs(protos, out)
    check_red_flags(red_flags, builtin_refs, out)
    check_warning_signs(protos, red_flags, out)
    check_stop_levels({k: e for k, e in protos.items() if not isinstance(e.doc, OnDemandDocument)}, out)
    check_triage(triage, red_flags, builtin_refs, out)
    check_handout(wording, builtin_refs, out)
    # (built-in documents from the cache passed this check when the cache was made: only what was read is looked at)
    signs = Signs(red_flags.item) if red_flags is not None else None
    late = (((signs.may_give_a_time, signs.too_late_at), (signs.may_send, signs.untimed_at))  # no warning sign said too late,
            if signs is not None else ())                                                  # nor without a time
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


def _builtin_refs(refs: Mapping[str, Reference]) -> Mapping[str, Reference]:
    """The sources the built-in rules may cite: the built-in references.yaml, with any the folders add."""
    if (package.BUILTIN_EXERCISES / REFERENCES_FILE).exists():
        return {**_builtin_references(), **refs}
    return refs


@functools.lru_cache(maxsize=1)
def _builtin_references() -> dict[str, Reference]:
    out = Collector()
    return load_references([(package.BUILTIN_EXERCISES, True)], out)


# Each shipped rules file read alone: its loader, its file, and the cross-check `hamrehab validate` gives it.
_ALONE: dict[str, tuple[Callable[[Path, Collector], Entry | None], str, Callable[[Entry, Collector], None] | None]] = {
    "rules": (load_rules, "BUILTIN_RULES", None),
    "red_flags": (load_red_flags, "BUILTIN_RED_FLAGS", lambda entry, out: check_red_flags(entry, _builtin_references(), out)),
    "triage": (load_triage, "BUILTIN_TRIAGE", lambda entry, out: check_triage(
        entry, Entry(builtin_red_flags(), entry.doc, entry.folder, True), _builtin_references(), out)),
    "wording": (load_handout, "BUILTIN_HANDOUT", lambda entry, out: check_handout(entry, _builtin_references(), out)),
}


def shipped_alone(part: str) -> Any:
    """One shipped rules file ('rules', 'red_flags', 'triage' or 'wording') read from its file and cross-checked."""
    load, where, cross_check = _ALONE[part]
    out = Collector()
    entry = load(getattr(package, where), out)
    if entry is None:
        raise ValidationFailed(out.problems)
    if cross_check is not None:
        checked = Collector()
        cross_check(entry, checked)
        if checked.problems:
            raise ValidationFailed(checked.problems)
    return entry.item
