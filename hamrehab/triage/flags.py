"""Which red flags the answers raise (rules/triage.yaml `red_flag_rules`; the flags themselves, with
their urgency and words, are rules/red-flags.yaml, the file the planner's safety screen reads)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import URGENCIES, PainThresholds, RedFlags, TriageRules
from .conditions import applies


@dataclass(frozen=True)
class FlagHit:
    """A red flag raised by the answers: its id and urgency, its words, and the answer behind it."""

    id: str
    urgency: str
    plain: str
    because: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "urgency": self.urgency, "plain": self.plain, "because": self.because}


def by_urgency(hits: Iterable[FlagHit]) -> tuple[FlagHit, ...]:
    """Each flag once (its first reason), most urgent first."""
    unique: dict[str, FlagHit] = {}
    for hit in hits:
        unique.setdefault(hit.id, hit)
    return tuple(sorted(unique.values(), key=lambda h: URGENCIES.index(h.urgency)))


def hit(flags: RedFlags, flag_id: str, because: str) -> FlagHit:
    flag = flags.by_id[flag_id]
    return FlagHit(flag.id, flag.urgency, flag.plain, because)


def red_flags(answers: Mapping[str, Any], rules: TriageRules, flags: RedFlags, pain: PainThresholds) -> tuple[FlagHit, ...]:
    """The red flags these answers raise, most urgent first."""
    return by_urgency(hit(flags, r.flag, r.because) for r in rules.red_flag_rules if applies(r, answers, pain) is True)
