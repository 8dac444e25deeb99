"""The result for a person (plain words, wrapped on word boundaries to the terminal) and as JSON (ids kept).

Text order: any warning signs and how soon to see someone; the possible causes, most likely first,
with the answers for and against each; the grade; the stage; the exact plan command; what to
watch for from now on. The text shows labels only; the ids live in the JSON and the command.
"""
from __future__ import annotations

import json
import shlex
import shutil
import textwrap

from ..model import URGENCIES
from .assessment import Assessment

MIN_WIDTH = 30


def terminal_width() -> int:
    """The terminal's width (COLUMNS, else the terminal itself, else 80), less one column so no line
    touches the edge; never below MIN_WIDTH."""
    return max(MIN_WIDTH, shutil.get_terminal_size((80, 24)).columns - 1)


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Lines of at most `width` characters, broken only between words (a word longer than a line stands alone)."""
    return textwrap.wrap(text, width, initial_indent=indent if first is None else first, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or [first or indent]


def wrap_command(command: str, width: int, indent: str = "  ") -> list[str]:
    """A shell command on as many lines as it needs, each but the last ending in ' \\'; an option stays with its value."""
    tokens = [shlex.quote(t) for t in shlex.split(command)]
    groups: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i].startswith("-") and i + 1 < len(tokens) and not tokens[i + 1].startswith("-"):
            groups.append(f"{tokens[i]} {tokens[i + 1]}")
            i += 2
        else:
            groups.append(tokens[i])
            i += 1
    lines: list[str] = []
    line = indent + groups[0]
    for group in groups[1:]:
        if len(line) + 1 + len(group) + 2 > width:
            lines.append(line + " \\")
            line = indent + "    " + group
        else:
            line += " " + group
    return lines + [line]


def as_json(result: Assessment) -> str:
    return json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n"


def as_text(result: Assessment, width: int | None = None) -> str:
    """The result for a person: warning signs first, then the ranked causes, the grade, the stage and the next step.
    An emergency shows the referral and the next step alone (`Assessment.emergency`)."""
    width = width or terminal_width()
    labels = dict(result.urgency_labels or {})
    lines = wrap(result.disclaimer, width) + [""]
    ref = result.referral
    if ref is not None:
        lines += [f"SEE A PROFESSIONAL FIRST ({labels.get(ref.urgency, ref.urgency)})"] + wrap(ref.action, width, "  ")
        lines.append("  Why:")
        for reason in ref.reasons:
            lines += wrap(reason, width, "    ", "  - ")
        lines += wrap("No exercise plan until you have been examined. The command below prints a handout to take with you.",
                      width, "  ") + [""]
    else:
        lines += ["No warning signs in your answers.", ""]
    if result.emergency:  # no causes, grade or stage to weigh
        return "\n".join(lines + _next_step(result, width)) + "\n"
    lines += wrap("What your answers point to, most likely first (each answer adds or takes away points):", width)
    for i, r in enumerate(result.ranking, 1):
        lines += wrap(f"{i}. {r.name}: {r.score} point{'' if abs(r.score) == 1 else 's'}", width, "     ", "  ")
        if r.for_:
            lines += wrap("for: " + "; ".join(r.for_), width, "          ", "     ")
        if r.against:
            lines += wrap("against: " + "; ".join(r.against), width, "              ", "     ")
    for s in result.set_aside:
        lines += wrap(f"Set aside: {s.name}, because {s.reason}.", width, "     ", "  ")
    lines.append("")
    if result.note:
        lines += wrap(result.note, width) + [""]
    if result.grade is not None:
        lines += wrap(f"Suggested strain grade: {result.grade}, because {result.grade_reason}.", width)
    elif result.grade_reason:
        lines += wrap(f"Strain grade: {result.grade_reason}. Without a grade the plan follows a grade 2 strain's timeline.", width)
    if result.stage is not None:
        prefix = "Stage, once a professional has cleared you" if ref else "Stage"
        reason = result.stage.reason
        lines += wrap(f"{prefix}: {result.stage.name}, because {reason[:1].lower() + reason[1:]}.", width)
    return "\n".join(lines + _next_step(result, width)) + "\n"


def _next_step(result: Assessment, width: int) -> list[str]:
    """The command to run next (the plan, or the handout for the appointment) and the signs to watch for."""
    ref, labels = result.referral, dict(result.urgency_labels or {})
    lines = [""] + wrap("Next step:" if ref is None else "Next step: print the handout for your appointment:", width)
    lines += wrap_command(result.suggested_command, width)
    missing = [w for w, key in (("--side left or --side right", "side"), ("--name", "name")) if key not in result.request]
    if ref is None and missing:
        lines += wrap(f"(add {' and '.join(missing)} to put {'them' if len(missing) > 1 else 'it'} on the plan)", width, "  ")
    if result.watch_for:
        lines += ["", "See a professional if, from now on:"]
        for urgency in URGENCIES:
            signs = [w.plain for w in result.watch_for if w.urgency == urgency]
            if signs:
                lines += wrap(f"{labels.get(urgency, urgency).capitalize()}:", width, "    ", "  ")
                for sign in signs:
                    lines += wrap(sign, width, "      ", "    - ")
    return lines
