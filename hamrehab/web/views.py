"""What the templates read: the library's own wording of doses, days and runs, as Jinja filters."""
from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import Environment

from .. import wording
from ..plan import WEEKDAYS, Plan, Prescription, Week


def long_date(day: dt.date | str) -> str:
    """'Mon 2 March 2026'."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day:%a} {day.day} {day:%B %Y}"


def dose_line(p: Prescription) -> str:
    """The dose as the handout words it, with the side."""
    return f"{wording.prescription_dose(p)}, {p.sides}"


def day_list(p: Prescription, plan: Plan) -> str:
    return wording.days(p.days, plan.request.start.weekday())


def runs(week: Week, plan: Plan) -> list[tuple[str, str]]:
    return wording.running_groups(week, plan.request.start.weekday())


def pain_rules(plan: Plan) -> dict[str, str]:
    """Each phase's pain rule in the words of its week pages (the same line the handout prints)."""
    return {ph.id: wording.pain_line(ph.pain_rules.during_max, plan.pain, plan.words.pain_line) for ph in plan.phases}


def phase_names(plan: Plan) -> dict[str, str]:
    return {ph.id: ph.name for ph in plan.phases}


def span(n: int) -> str:
    """A CSS class giving a phase its share of the timeline (no inline styles under the page's CSP)."""
    return f"span-{max(1, min(int(n), 52))}"


def num(value: float) -> str:
    """3, 2.5, 45: a number without a needless '.0'."""
    return f"{value:g}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def install(env: Environment) -> None:
    """Register the filters and globals."""
    env.filters.update(long_date=long_date, dose_line=dose_line, span=span, num=num, lower_first=wording.lower_first)
    env.globals.update(day_list=day_list, runs=runs, running_total=wording.running_total, running_label=wording.running_label,
                       phase_names=phase_names, plural=plural, week_days=week_days, week_span=wording.week_span, pain_rules=pain_rules)


def week_days(week: Week, plan: Plan) -> list[tuple[str, list[str]]]:
    """The seven days of a week: (day name, what is done), names from the plan's exercises."""
    names: dict[str, Any] = {ex.id: ex.name for ex in plan.exercises}
    start = plan.request.start.weekday()
    out = []
    for day in week.days:
        out.append((WEEKDAYS[(start + day.offset) % 7], [names.get(i, i) for i in day.ids]))
    return out
