"""Browsing the catalogue: filters, a terminal table, one exercise in full, JSON."""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from . import wording
from .catalogue import Catalogue
from .model import Dosage, Exercise
from .vocab import PHASE_TAGS


def usable_for(ex: Exercise, diagnosis: str, phase: str | None = None) -> bool:
    """Safe for a diagnosis: in that phase kind if given, else in at least one phase kind."""
    phases = (phase,) if phase else PHASE_TAGS
    return any(ex.contraindicated(diagnosis, p) is None for p in phases)


def select(catalogue: Catalogue, category: str | None = None, equipment: Sequence[str] = (), safe_for: str | None = None,
           phase: str | None = None) -> list[Exercise]:
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
    """A catalogue dosage as a runner reads it: '2 x 10, hold 3 s'."""
    text = wording.dose(d.sets, d.reps, d.hold_s, d.duration_s)
    return text + (f", {d.times_per_day} times a day" if d.times_per_day > 1 else "")


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


def protocol_table(catalogue: Catalogue) -> str:
    """One protocol a row: id, name, phases and typical weeks."""
    rows = [("ID", "NAME", "PHASES", "WEEKS")]
    for p in catalogue.protocols.values():
        lo = sum(ph.week_range(None)[0] for ph in p.phases)
        hi = sum(ph.week_range(None)[1] for ph in p.phases)
        rows.append((p.id, p.name, str(len(p.phases)), f"{lo}-{hi}"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip() for r in rows) + "\n"


def protocol_detail(p, catalogue: Catalogue) -> str:
    """A protocol in full, as text for the terminal."""
    out = [f"{p.name} ({p.id})", p.plain_name, ""]
    if p.borrowed_from:
        out.append(f"Adapted from the {p.borrowed_from} protocol: no published protocol of its own exists.")
    if p.grades:
        out.append("Grades: " + ", ".join(map(str, p.grades)))
    if p.watch_for:
        signs = (catalogue.red_flag[i] for i in p.watch_for)
        out.append("Warning signs it adds to every plan's list: " + "; ".join(f"{f.plain} ({f.urgency})" for f in signs))
    for ph in p.phases:
        weeks = ph.weeks if not isinstance(ph.weeks, dict) else "; ".join(f"grade {g}: {a}-{b}" for g, (a, b) in sorted(ph.weeks.items()))
        if isinstance(weeks, tuple):
            weeks = f"{weeks[0]}-{weeks[1]}"
        out.append(f"\n{ph.id} [{ph.tag}] {ph.name}  (weeks {weeks})")
        out += [f"  goal: {g}" for g in ph.goals]
        for px in ph.exercises:
            ex = catalogue.exercises[px.exercise]
            over = px.dose.model_dump(exclude_none=True)
            dose = ex.dosage.model_copy(update=over)  # the protocol's entry dose, in the runner's words
            days = f", {dose.days_per_week} days a week" if "days_per_week" in over else ""
            out.append(f"  - {ex.name} ({ex.id})" + (f": {dose_text(dose)}{days}" if over else "")
                       + (f" grades {list(px.grades)}" if px.grades else ""))
        out.append(f"  running: {ph.running.mode}: {ph.running.effort}")
        out += [f"    without {w.kit}: {w.text}" for w in ph.running.effort_without]
        out.append(f"  pain: up to {ph.pain_rules.during_max}/10; next morning: {ph.pain_rules.next_morning}")
        for c in ph.exit_criteria:
            out.append(f"  [ ] {c.text}")
            out += [f"      without {w.kit}: {w.text}" for w in c.without]
            if c.walking is not None:  # what a runner who does not run ticks instead
                out.append(f"      not running ({c.walking.kind}): {c.walking.text}")
    return "\n".join(out) + "\n"
