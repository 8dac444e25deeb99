"""Browsing the catalogue: filters, a terminal table, one exercise in full, JSON."""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from .catalogue import Catalogue
from .model import Dosage, Exercise
from .vocab import PHASE_TAGS


def usable_for(ex: Exercise, diagnosis: str, phase: str | None = None) -> bool:
    """Safe for a diagnosis: in that phase kind if given, else in at least one phase kind."""
    phases = (phase,) if phase else PHASE_TAGS
    return any(ex.contraindicated(diagnosis, p) is None for p in phases)


def select(catalogue: Catalogue, category: str | None = None, equipment: Sequence[str] = (), safe_for: str | None = None, phase: str | None = None) -> list[Exercise]:
    """Exercises matching every given filter; `equipment` means "needs nothing beyond these"."""
    have = set(equipment)
    chosen = []
    for ex in catalogue.exercises.values():
        if category and ex.category != category:
            continue
        if equipment and not ex.needs <= have:
            continue
        if safe_for and not usable_for(ex, safe_for, phase):
            continue
        chosen.append(ex)
    return chosen


def dose_text(d: Dosage) -> str:
    """A dosage as a runner reads it: '2 x 10, hold 3 s'."""
    reps = "/".join(map(str, d.reps)) if isinstance(d.reps, tuple) else d.reps
    if d.kind == "reps":
        text = f"{d.sets} x {reps}"
    elif d.kind == "hold":
        text = f"{d.sets} x {reps}, hold {d.hold_s:g} s"
    elif d.kind == "duration":
        text = f"{d.sets} x {_time(d.duration_s)}"
    else:
        text = f"{d.sets} x {reps} bouts of {_time(d.duration_s)}"
    if d.times_per_day > 1:
        text += f", {d.times_per_day} times a day"
    return text


def _time(seconds: int | None) -> str:
    if seconds is None:
        return "?"
    return f"{seconds // 60} min" if seconds >= 120 and seconds % 60 == 0 else f"{seconds} s"


def table(exercises: Iterable[Exercise]) -> str:
    """A plain fixed-width table, one exercise a row."""
    rows = [("ID", "NAME", "CATEGORY", "EQUIPMENT", "DOSE")]
    for ex in exercises:
        rows.append((ex.id, ex.name, ex.category, ",".join(ex.equipment), dose_text(ex.dosage) + (" per side" if ex.per_side else "")))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(r)).rstrip() for r in rows]
    return "\n".join(lines) + f"\n{len(rows) - 1} exercises\n"


def detail(ex: Exercise, catalogue: Catalogue) -> str:
    """One exercise in full, as text for the terminal."""
    out = [f"{ex.name} ({ex.id})", ex.summary, ""]
    out.append(f"Category: {ex.category}   Position: {ex.position}   Equipment: {', '.join(ex.equipment)}")
    out.append(f"Dose: {dose_text(ex.dosage)}{' per side' if ex.per_side else ''}; safe range: " + ", ".join(
        f"{k} {v[0]:g}-{v[1]:g}" for k, v in ex.dosage.limits.model_dump(exclude_none=True).items()))
    if ex.dosage.basis:
        out.append(f"Why this dose: {ex.dosage.basis}")
    out.append("")
    out.append("Steps:")
    out += [f"  {i}. {s}" for i, s in enumerate(ex.steps, 1)]
    out.append("Cues:")
    out += [f"  - {s}" for s in ex.cues]
    out.append("Common mistakes:")
    out += [f"  - {s}" for s in ex.mistakes]
    for label, ids in (("Easier", ex.easier), ("Harder", ex.harder), ("Without the equipment", ex.substitutes)):
        if ids:
            out.append(f"{label}: " + ", ".join(f"{catalogue.exercises[i].name} ({i})" for i in ids if i in catalogue.exercises))
    if ex.caution:
        out.append(f"Caution: {ex.caution}")
    if ex.contraindications:
        out.append("Not for:")
        for c in ex.contraindications:
            who = ", ".join(c.diagnoses) or "any diagnosis"
            when = f" in {', '.join(c.phases)} phases" if c.phases else ""
            out.append(f"  - {who}{when}: {c.reason}")
    if ex.video_url:
        out.append(f"Video: {ex.video_url}")
    out.append("Sources: " + "; ".join(catalogue.references[k].citation if k in catalogue.references else k for k in ex.sources))
    return "\n".join(out) + "\n"


def as_json(exercises: Iterable[Exercise]) -> str:
    """The exercises as a JSON list, every field, stable order."""
    return json.dumps([ex.model_dump(mode="json") for ex in exercises], indent=2, ensure_ascii=False) + "\n"
