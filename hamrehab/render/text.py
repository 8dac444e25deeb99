"""A Plan as plain text for the terminal: week by week, what to do and when to move on."""
from __future__ import annotations

import textwrap

from ..arguments import require
from ..plan import Plan
from ..wording import days, lower_first, prescription_dose, running_groups, running_label, running_total, walks_only, week_span

WIDTH = 88


def _plain(text: str) -> str:
    """User text as the terminal should show it: control characters (ANSI escapes) made visible, not run."""
    return "".join(c if c.isprintable() or c in "\n\t" else "?" for c in text)


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=" " * len(indent) + "  ") or [indent]


def render_text(plan: Plan) -> bytes:
    """UTF-8 text; identical for identical plans."""
    require(plan, Plan, "render_text: plan", "a Plan from build_plan()")
    r = plan.request.model_copy(update={"name": _plain(plan.request.name), "patient_id": _plain(plan.request.patient_id),
                                        "notes": _plain(plan.request.notes)})
    words = plan.words
    said = words.plain_text
    out: list[str] = []
    who = r.name or r.patient_id or "you"
    out.append(f"hamrehab plan for {who}" + (f" ({r.patient_id})" if r.name and r.patient_id else ""))
    out.append(f"{plan.diagnosis_name}" + (f", grade {plan.grade}" if plan.grade else "") + f", {lower_first(words.sides.of(r.side))}")
    length = f", {len(plan.weeks)} week{'s' if len(plan.weeks) != 1 else ''}, ends {plan.end.isoformat()}" if plan.weeks else ""
    out.append(f"Starts {r.start.isoformat()}" + length)
    out.append("")
    if plan.referral is not None:
        ref = plan.referral
        out.append(said.referral_title.format(urgency=ref.urgency.upper()))
        out += _wrap(ref.action)
        out.append(said.why)
        for reason in ref.reasons:
            out += _wrap(reason, "  - ")
        out.append(said.tell)
        for line in ref.tell_clinician:
            out += _wrap(line, "  - ")
        out.append(said.no_exercises)
        return ("\n".join(out) + "\n").encode("utf-8")
    out += _wrap(plan.plain_name)
    for missing in plan.missing_core:
        out += _wrap(missing, "IMPORTANT: ")
    if plan.changes:
        out.append(said.changes)
        for change in plan.changes:
            out += _wrap(change, "  - ")
    if r.notes:
        out += _wrap(r.notes, "Notes from your clinician: ")
    if plan.borrowed_from:
        out += _wrap(said.borrowed.format(borrowed_from=plan.borrowed_from))
    for note in plan.notes:
        out += _wrap(note, "Note: ")
    weekday = r.start.weekday()
    for phase in plan.phases:
        out.append("")
        out.append(f"== {phase.name} ({week_span(phase.weeks[0], phase.weeks[-1])}) ==")
        for goal in phase.goals:
            out += _wrap(goal, "  goal: ")
        pr = phase.pain_rules
        out += _wrap(said.phase_pain.format(during_max=pr.during_max, next_morning=pr.next_morning, stop_if=pr.stop_if), "  ")
        weeks = [w for w in plan.weeks if w.phase == phase.id]
        if walks_only(weeks):  # a runner who does not run: the walks' own words, not the phase's about runs
            out += _wrap(f"Walking: {next(w.running[0].effort for w in weeks if w.running)}", "  ")
        else:
            out += _wrap(f"Running: {phase.running.effort}", "  ")
            for note in phase.running.notes:
                out += _wrap(note, "    - ")
        for week in weeks:
            out.append("")
            out.append(f"Week {week.number} (from {week.start.isoformat()})" + (" - hold week" if week.hold else ""))
            for p in week.prescriptions:
                out += _wrap(f"{p.name}: {prescription_dose(p)}, {p.sides}; {days(p.days, weekday)}", "  - ")
                for n in p.notes:
                    out += _wrap(n, "      ")
            if week.running:
                out += _wrap(f"{running_label((week,))}: {running_total(week)}.", "  * ")
                before = " " + said.warm_up_first if any(p.session == "warm-up" for p in week.prescriptions) else ""
                for pattern, when in running_groups(week, weekday):
                    out += _wrap(f"{pattern}; {when}.{before}", "      ")
            elif not phase.running.has_runs:  # (a running phase's week without runs says why in its notes)
                out += _wrap(f"Running: {phase.running.effort}", "  * ")
            for n in week.notes:
                out += _wrap(n, "  ! ")
            if week.checkpoint:
                out.append("  " + said.checkpoint)
                for c in phase.exit_criteria:
                    out += _wrap(c.text, "    [ ] ")
    if plan.warning_signs:
        out.append("")
        out.append(said.warning_signs)
        for urgency, plain in plan.warning_signs:
            out += _wrap(f"{plain} ({words.urgency_when.of(urgency)})", "  - ")
    if plan.cautions:
        out.append("")
        out.append("Cautions:")
        for caution in plan.cautions:
            out += _wrap(caution, "  - ")
    out.append("")
    out.append("Sources:")
    for key, citation in plan.sources:
        out += _wrap(f"[{key}] {citation}", "  ")
    if plan.evidence_notes:
        out.append("")
        out.append(said.evidence)
        for note in plan.evidence_notes:
            out += _wrap(note, "  - ")
    if plan.clinician_notices:
        out.append("")
        out.append(words.changes.boxes_heading + ":")
        for note in plan.clinician_notices:
            out += _wrap(note, "  - ")
    return ("\n".join(out) + "\n").encode("utf-8")
