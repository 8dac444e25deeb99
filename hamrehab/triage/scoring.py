"""The score: each condition's points from the answers, most likely first; conditions outside their
usual course; the no-pain programme; and a strain's grade from the signs that separate grades.

Every rule is a row of rules/triage.yaml (`scoring`, `courses`, `prevention`, `grading`), with its
sources. The result is a guide for choosing a plan, never a diagnosis.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import PainThresholds, RedFlags, TriageRules
from ..model.triage import Grading
from ..vocab import DiagnosisId
from .conditions import applies
from .flags import FlagHit, hit


@dataclass(frozen=True)
class Ranked:
    """One condition's score, with the answers for it and against it, in plain words."""

    condition: DiagnosisId
    name: str
    score: int
    for_: tuple[str, ...]
    against: tuple[str, ...]
    sources: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"condition": self.condition, "name": self.name, "score": self.score, "for": list(self.for_),
                "against": list(self.against), "sources": list(self.sources)}


@dataclass(frozen=True)
class SetAside:
    """A condition no longer ranked: the answers are outside its usual course."""

    condition: DiagnosisId
    name: str
    reason: str
    usual: str

    def as_dict(self) -> dict[str, str]:
        return {"condition": self.condition, "name": self.name, "reason": self.reason, "usual": self.usual}


@dataclass(frozen=True)
class Ranking:
    ranked: tuple[Ranked, ...]  # highest first; ties keep the order of rules/triage.yaml
    set_aside: tuple[SetAside, ...]
    flags: tuple[FlagHit, ...]  # raised because the best fit is outside its usual course


def _points(points: int) -> str:
    return f"+{points}" if points > 0 else str(points)


def score(answers: Mapping[str, Any], rules: TriageRules, pain: PainThresholds, names: Mapping[str, str]) -> list[Ranked]:
    """Every scored condition with its points, in the order of rules/triage.yaml."""
    out = []
    for condition in rules.conditions:
        fired = [r for r in rules.scoring if r.condition == condition and applies(r, answers, pain) is True]
        out.append(Ranked(
            condition, names.get(condition, condition), sum(r.points for r in fired),
            tuple(f"{rules.finding(r)} ({_points(r.points)})" for r in fired if r.points > 0),
            tuple(f"{rules.finding(r)} ({_points(r.points)})" for r in fired if r.points < 0),
            tuple(dict.fromkeys(s for r in fired for s in r.sources)),
        ))
    return out


def rank(answers: Mapping[str, Any], rules: TriageRules, flags: RedFlags, pain: PainThresholds,
         names: Mapping[str, str]) -> Ranking:
    """The conditions, most likely first. A condition outside its usual course raises its flag when it is
    the best fit, and one that cannot last this long (`drop`) is set aside; the no-pain programme is
    listed only when its condition holds."""
    ordered = sorted(score(answers, rules, pain, names), key=lambda r: -r.score)
    best = ordered[0].condition
    raised: list[FlagHit] = []
    set_aside: list[SetAside] = []
    dropped: set[str] = set()
    for course in rules.courses:
        if applies(course, answers, pain) is not True:
            continue
        if course.condition == best:
            raised.append(hit(flags, course.flag, course.because))
        if course.drop:
            dropped.add(course.condition)
            if any(r.condition == course.condition and r.score > 0 for r in ordered):  # worth saying only if it fitted at all
                set_aside.append(SetAside(course.condition, names.get(course.condition, course.condition), course.because, course.usual))
    ranked = [r for r in ordered if r.condition not in dropped]
    prevention = rules.prevention
    if applies(prevention, answers, pain) is True:
        ranked.append(Ranked(prevention.condition, names.get(prevention.condition, prevention.condition), prevention.points,
                             (f"{prevention.plain} ({_points(prevention.points)})",), (), prevention.sources))
        ranked.sort(key=lambda r: -r.score)
    return Ranking(tuple(ranked), tuple(set_aside), tuple(raised))


def suggest_grade(answers: Mapping[str, Any], grading: Grading, pain: PainThresholds) -> tuple[int | None, str]:
    """The grade of the first rule that holds, and why; (None, 'not sure: ask a clinician ...') when none does."""
    for rule in grading.rules:
        if applies(rule, answers, pain) is True:
            return rule.grade, rule.because
    return None, grading.unsure


def unclear(ranking: tuple[Ranked, ...], rules: TriageRules) -> bool:
    """The answers do not point clearly to one cause: a low top score, or a small lead over the second."""
    top = ranking[0]
    second = ranking[1] if len(ranking) > 1 else None
    return top.score < rules.unclear.min_score or (second is not None and top.score - second.score < rules.unclear.min_lead)
