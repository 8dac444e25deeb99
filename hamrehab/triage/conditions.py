"""Testing the conditions of rules/triage.yaml against a runner's answers.

Three-valued: True (it holds), False (it does not), None (not known: an answer it needs was not
given). A rule scores or raises a flag only when its condition is True; a question is left out only
when its condition to ask is False, so a "don't know" never hides a question.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..model import PainThresholds
from ..model.triage import Compare, Condition, Conditional

Truth = bool | None


def _all(values: Iterable[Truth]) -> Truth:
    result: Truth = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def _any(values: Iterable[Truth]) -> Truth:
    result: Truth = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


def _not(value: Truth) -> Truth:
    return None if value is None else not value


def _bound(bound: int | str, pain: PainThresholds) -> int:
    return bound if isinstance(bound, int) else int(getattr(pain, bound))


def _compare(value: int, test: Compare, pain: PainThresholds) -> bool:
    b = {k: _bound(v, pain) for k, v in test.bounds().items()}
    return (value >= b.get("at_least", value) and value <= b.get("at_most", value)
            and ("more_than" not in b or value > b["more_than"]) and ("less_than" not in b or value < b["less_than"]))


def matches(value: Any, expect: Any, pain: PainThresholds) -> Truth:
    """One answer against what a condition wants of it."""
    if expect is None:
        return value is None
    if value is None:
        return None
    if isinstance(expect, bool):
        return value is expect
    if isinstance(expect, Compare):
        return isinstance(value, int) and not isinstance(value, bool) and _compare(value, expect, pain)
    if isinstance(expect, tuple):
        return value in expect
    return value == expect and type(value) is type(expect)


def holds(cond: Condition, answers: Mapping[str, Any], pain: PainThresholds) -> Truth:
    """Every answer of the mapping matches (an empty mapping holds)."""
    return _all(matches(answers.get(key), expect, pain) for key, expect in cond.items())


def applies(rule: Conditional, answers: Mapping[str, Any], pain: PainThresholds) -> Truth:
    """`when` holds, one of `when_any` holds (if any are given), and `unless` (if given) does not."""
    parts = [holds(rule.when, answers, pain)]
    if rule.when_any:
        parts.append(_any(holds(c, answers, pain) for c in rule.when_any))
    if rule.unless:
        parts.append(_not(holds(rule.unless, answers, pain)))
    return _all(parts)


def to_ask(ask_when: Condition, skip_when: Condition, answers: Mapping[str, Any], pain: PainThresholds) -> bool:
    """Ask unless the answers so far clearly rule the question out."""
    ask = holds(ask_when, answers, pain)
    skip = holds(skip_when, answers, pain) if skip_when else False
    return ask is not False and skip is not True


def describe(cond: Condition) -> str:
    """A condition in short words, for the docs: 'onset is sudden-fast-running or sudden-other and ...'."""
    parts = []
    for key, expect in cond.items():
        if expect is None:
            parts.append(f"`{key}` not answered")
        elif isinstance(expect, bool):
            parts.append(f"`{key}` {'yes' if expect else 'no'}")
        elif isinstance(expect, Compare):
            words = {"at_least": ">=", "at_most": "<=", "more_than": ">", "less_than": "<"}
            parts.append(" and ".join(f"`{key}` {words[k]} {v}" for k, v in expect.bounds().items()))
        elif isinstance(expect, tuple):
            parts.append(f"`{key}` {' or '.join(expect)}")
        else:
            parts.append(f"`{key}` {expect}")
    return ", ".join(parts)


def describe_rule(rule: Conditional) -> str:
    text = describe(rule.when)
    if rule.when_any:
        either = " or ".join(f"({describe(c)})" for c in rule.when_any)
        text = f"{text}, and {either}" if text else either
    if rule.unless:
        text += f", unless {describe(rule.unless)}"
    return text
