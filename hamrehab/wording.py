"""How doses, days and sides read in plain words; shared by every renderer and the catalogue listing."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .model import PainThresholds
from .model.handout import PainLine
from .vocab import WEEKDAYS

if TYPE_CHECKING:  # the plan's types only: the catalogue listing uses these words without the planner
    from .plan import Prescription, Week


def lower_first(label: str) -> str:
    """A label with a small first letter, to sit inside a sentence ('Left leg' -> 'left leg')."""
    return label[:1].lower() + label[1:]


def duration(seconds: float | None) -> str:
    """'45 s', '10 min', '1 min 30 s'."""
    if seconds is None:
        return ""
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    m, rest = divmod(s, 60)
    return f"{m} min" if not rest else f"{m} min {rest} s"


def dose(sets: int, reps: int | tuple[int, ...] | None, hold_s: float | None, duration_s: int | None, reps_max: int | None = None) -> str:
    """A dose as a runner reads it: '3 x 10', '3 sets: 12, 10, 8', '10 x 5 s hold', '1 x 10 min', '5 x 1 min'."""
    if isinstance(reps, tuple):
        text = f"{sets} sets: {', '.join(map(str, reps))}"
    elif reps is not None:
        count = f"{reps}-{reps_max}" if reps_max else str(reps)
        if hold_s:
            text = f"{sets} x {count}, hold {duration(hold_s)}"
        elif duration_s:
            text = f"{sets} x {count} bouts of {duration(duration_s)}"
        else:
            text = f"{sets} x {count}"
    elif duration_s:
        text = f"{sets} x {duration(duration_s)}" if sets > 1 else duration(duration_s)
    else:
        text = f"{sets} sets"
    return text


def prescription_dose(p: Prescription) -> str:
    """The full dose line of a prescription: dose, per-day, sides."""
    text = dose(p.sets, p.reps, p.hold_s, p.duration_s, p.reps_max)
    if p.times_per_day > 1:
        text += f", {p.times_per_day} times a day"
    return text


def week_span(first: int, last: int) -> str:
    """'week 3' for one week, 'weeks 3-5' for more: how every handout names a phase's weeks."""
    return f"week {first}" if first == last else f"weeks {first}-{last}"


def days(offsets: tuple[int, ...], start_weekday: int) -> str:
    """'every day' or 'Mon, Wed, Fri' for day offsets from a week starting on `start_weekday` (0 = Monday)."""
    if len(offsets) == 7:
        return "every day"
    return ", ".join(WEEKDAYS[(start_weekday + d) % 7] for d in offsets)


def running_total(week: Week) -> str:
    """'36 min of running this week (51 min with the walk breaks)', or the walking equivalent."""
    if not week.running:
        return ""
    if all(r.kind == "walk" for r in week.running):
        return f"{week.running_minutes} min of brisk walking this week"
    text = f"{week.jog_minutes} min of running this week"
    if week.running_minutes != week.jog_minutes:
        text += f" ({week.running_minutes} min with the walk breaks)"
    return text


def walks_only(weeks: Iterable[Week]) -> bool:
    """Weeks whose running row has brisk walks and nothing else (a runner who does not run): the phase's running
    effort and notes are about runs, so they give way to the walks' own words."""
    kinds = {r.kind for w in weeks for r in w.running}
    return kinds == {"walk"}


def running_label(weeks: Iterable[Week]) -> str:
    """What the running row is called: 'Walking' when it holds brisk walks only."""
    return "Walking" if walks_only(weeks) else "Running"


def running_groups(week: Week, start_weekday: int) -> list[tuple[str, str]]:
    """The week's runs as (what to do, on which days), runs that are alike grouped together."""
    groups: dict[str, list[int]] = {}
    for r in week.running:
        groups.setdefault(r.pattern, []).append(r.day)
    return [(pattern, days(tuple(d), start_weekday)) for pattern, d in groups.items()]


def _pain_words(words: PainLine | None) -> PainLine:
    if words is not None:
        return words
    from .catalogue import builtin_handout  # the shipped rules/handout.yaml, read once

    return builtin_handout().pain_line


def pain_zones(during_max: int, pain: PainThresholds, words: PainLine | None = None) -> list[tuple[str, str]]:
    """A phase's pain limit as traffic-light zones: (range, what to do), read from one set of thresholds;
    `words`: what to do in each (rules/handout.yaml `pain_line`, the built-in file when None)."""
    said = _pain_words(words)
    green = min(during_max, pain.green_max)
    zones = [(f"0-{green}/10", said.green)]
    if during_max > pain.green_max:
        low = pain.green_max + 1
        zones.append((f"{low}/10" if low == during_max else f"{low}-{during_max}/10", said.amber))
    zones.append((f"{during_max + 1}/10 or more", said.red))
    return zones


def pain_line(during_max: int, pain: PainThresholds, words: PainLine | None = None) -> str:
    """The zones in one line, for week pages, text and the calendar."""
    said = _pain_words(words)
    return said.line.format(zones="; ".join(f"{r}: {what}" for r, what in pain_zones(during_max, pain, said)))
