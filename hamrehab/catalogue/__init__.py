"""The exercise catalogue, the protocols and the rules, validated: from the start-up cache, else from the files.

One run reports every problem in every file (file, line, field, what is accepted),
the way a clinician wants to fix a folder: all at once, not one error per try.
User folders add exercises or replace built-ins by id, each replacement announced.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..arguments import flag, paths
from ..exceptions import InputError, Problem, ValidationFailed
from ..model import Exercise, HandoutWording, PlanningRules, Protocol, RedFlag, RedFlags, Reference, TriageRules
from ..validation import did_you_mean
from . import cache

# Reading and cross-checking the files (`checking`, with `files`, `crosscheck` and the word checks) is imported
# only when the start-up cache cannot answer: a warm `hamrehab exercises` or `plan` never loads that code.

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
        cache_key, cached = cached_builtin()
        if cached is not None:
            return cached, [], []
    from .checking import check_files

    return check_files(catalogues, protocols, builtin, cache_key)


def cached_builtin() -> tuple[str | None, Catalogue | None]:
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


def _shipped(part: str) -> Any:
    """One shipped rules file alone, for callers without a catalogue: from the warm start-up cache when it
    holds the built-in catalogue, else read from its file and cross-checked as `hamrehab validate` does."""
    cached = cached_builtin()[1]
    if cached is not None:
        return getattr(cached, part)
    from .checking import shipped_alone

    return shipped_alone(part)


@functools.lru_cache(maxsize=1)
def builtin_rules() -> PlanningRules:
    """The shipped planning rules alone, for callers that need only the thresholds (triage's questions)."""
    return _shipped("rules")


@functools.lru_cache(maxsize=1)
def builtin_red_flags() -> RedFlags:
    """The shipped red flags alone (rules/red-flags.yaml), for the safety screen without a catalogue."""
    return _shipped("red_flags")


@functools.lru_cache(maxsize=1)
def builtin_triage() -> TriageRules:
    """The shipped triage questions and rules alone (rules/triage.yaml), cross-checked like `hamrehab validate` does."""
    return _shipped("triage")


@functools.lru_cache(maxsize=1)
def builtin_handout() -> HandoutWording:
    """The shipped handout wording alone (rules/handout.yaml), cross-checked like `hamrehab validate` does:
    for plans and callers without a catalogue (a Plan made by older code, the web view's pain line)."""
    return _shipped("wording")


def load_catalogue(catalogues: Sequence[Path] = (), protocols: Sequence[Path] = (), *, builtin: bool = True) -> Catalogue:
    """The validated catalogue; raises ValidationFailed carrying every problem found."""
    catalogue, problems, _ = check(catalogues, protocols, builtin=builtin)
    if catalogue is None:
        raise ValidationFailed(problems)
    return catalogue
