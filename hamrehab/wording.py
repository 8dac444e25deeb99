"""How doses, days and sides read in plain words; shared by every renderer and the catalogue listing."""
from __future__ import annotations

from .plan import WEEKDAYS, Prescription


def duration(seconds: float | None) -> str:
    """'45 s', '10 min', '1 min 30 s'."""
    if seconds is None:
        return ""
    s = int(round(seconds))
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


def days(offsets: tuple[int, ...], start_weekday: int) -> str:
    """'every day' or 'Mon, Wed, Fri' for day offsets from a week starting on `start_weekday` (0 = Monday)."""
    if len(offsets) == 7:
        return "every day"
    return ", ".join(WEEKDAYS[(start_weekday + d) % 7] for d in offsets)
