"""A Plan as an iCalendar file (RFC 5545): one all-day event per training day, listing that day's work.

For runners who live by their calendar. Written by hand rather than with a library: the
subset needed (VCALENDAR, all-day VEVENTs, text escaping, 75-octet line folding, CRLF) is
small, and the tests parse the output with the `icalendar` package to prove it is valid.
Everything is derived from the plan (UIDs, DTSTAMP), so the same plan gives the same bytes.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from ..arguments import require
from ..plan import Plan
from ..wording import prescription_dose

PRODID = "-//hamrehab//rehab plan//EN"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out: list[str] = []
    current = b""
    for ch in line:
        enc = ch.encode("utf-8")
        limit = 75 if not out else 74  # continuation lines start with a space
        if len(current) + len(enc) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += enc
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _date(d: dt.date) -> str:
    return d.strftime("%Y%m%d")


def render_ics(plan: Plan) -> bytes:
    """UTF-8 iCalendar bytes with CRLF line ends."""
    require(plan, Plan, "render_ics: plan", "a Plan from build_plan()")
    r = plan.request
    key = hashlib.sha256(f"{r.patient_id}|{r.name}|{plan.diagnosis}|{r.start.isoformat()}".encode()).hexdigest()[:16]
    stamp = f"{_date(r.start)}T000000Z"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_escape('Rehab plan: ' + plan.diagnosis_name)}"]

    def event(day: dt.date, summary: str, description: str) -> None:
        lines.extend([
            "BEGIN:VEVENT",
            f"UID:{key}-{_date(day)}@hamrehab",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(day)}",
            f"DTEND;VALUE=DATE:{_date(day + dt.timedelta(days=1))}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ])

    said = plan.words.calendar
    if plan.referral is not None:
        event(r.start, said.referral_summary,
              plan.referral.action + "\n" + "\n".join(f"- {x}" for x in plan.referral.reasons))
    phase_names = {ph.id: ph.name for ph in plan.phases}
    for week in plan.weeks:
        pain = next(ph.pain_rules for ph in plan.phases if ph.id == week.phase)
        for offset in range(7):
            items = [f"- {p.name}: {prescription_dose(p)}, {p.sides}" for p in week.prescriptions if offset in p.days]
            runs = [f"- {'Walk' if s.kind == 'walk' else 'Run'}: {s.pattern}. {s.effort}" for s in week.running if s.day == offset]
            if not items and not runs:
                continue
            text = (f"Week {week.number}, {phase_names[week.phase]}.\n" + "\n".join(items + runs)
                    + "\n" + said.pain_limit.format(during_max=pain.during_max, stop_if=pain.stop_if))
            if week.checkpoint and offset == 6:
                text += "\n" + said.checkpoint
            count = len(items) + len(runs)
            event(week.start + dt.timedelta(days=offset), f"Rehab week {week.number}: {count} item{'s' if count != 1 else ''}", text)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
