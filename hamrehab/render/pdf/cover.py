"""The cover: who the plan is for, the condition, the dates, the clinic, the phases on a timeline, how to use it."""
from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer

from ...wording import week_span
from ..fonts import BODY, BODY_BOLD
from .style import ACCENT, MUTED, RED
from .writer import WriterBase, _long_date


def _text_width(text: str, size: float) -> float:
    return stringWidth(text, BODY_BOLD, size)


class CoverSection(WriterBase):
    """The first page of a plan (a referral has its own, see referral.py)."""

    def cover(self) -> None:
        plan, r, words = self.plan, self.plan.request, self.words
        self.flow += self.heading(words.headings.cover, "cover")
        self.flow.append(self.p(plan.plain_name, self.s.h3))
        rows = [("Name", r.name or "-"), ("Patient id", r.patient_id or "-"),
                ("Condition", plan.diagnosis_name + (f", grade {plan.grade}" if plan.grade else "")),
                ("Side", words.sides.of(r.side)),
                ("Starts", _long_date(r.start))]
        if plan.weeks:
            rows.append(("Length", f"{len(plan.weeks)} week{'s' if len(plan.weeks) != 1 else ''}, until {_long_date(plan.end)}"))
        self.flow.append(self._label_table(rows))
        for missing in plan.missing_core:
            self.flow.append(Spacer(1, self.look.body * 0.4))
            self.flow.append(self.banner(words.headings.missing, missing, RED))
        if plan.changes:
            self.flow.append(self.p(words.headings.changes, self.s.h2))
            self.flow += self.bullets(plan.changes, self.s.card_bullet)
        if plan.block:  # a follow-up: which plan it follows, and why it moved on or not
            self.flow.append(self.p(plan.notes[0], self.s.bold))
        if self.clinic is not None:
            self.flow.append(Spacer(1, self.look.body))
            self.flow += self.clinic_block()
        if r.notes:
            self.flow.append(self.p(words.headings.clinician_notes, self.s.h2))
            self.flow.append(self.p(r.notes, where="notes"))
        if plan.weeks:
            self.flow.append(self.p(words.headings.your_phases, self.s.h2))
            self.flow.append(self.timeline())
            self.flow.append(self.p("  |  ".join(
                f"{i}. {ph.name}: {week_span(ph.weeks[0], ph.weeks[-1])}"
                for i, ph in enumerate(plan.phases, 1)), self.s.small))
            self.flow.append(Spacer(1, self.look.body * 0.5))
            self.flow.append(self.p(words.how_to_use.heading, self.s.h2))
            self.flow += self.bullets(words.how_to_use.steps)
        self.flow.append(Spacer(1, self.look.body))
        self.flow.append(self.p(words.cover.disclaimer, self.s.small))

    def timeline(self) -> Drawing:
        """Phases across the weeks: numbered, named blocks (shade alternates; the words carry the meaning)."""
        plan = self.plan
        n = len(plan.weeks)
        h = self.look.body * 5.2
        d = Drawing(self.width, h)
        unit = self.width / n
        bar_y, bar_h = self.look.body * 2.0, self.look.body * 2.2
        for i, ph in enumerate(plan.phases):
            x0 = (ph.weeks[0] - 1) * unit
            w = len(ph.weeks) * unit
            fill = ACCENT if i % 2 == 0 else colors.Color(0.45, 0.6, 0.75)
            d.add(Rect(x0 + 1, bar_y, w - 2, bar_h, fillColor=fill, strokeColor=colors.white, strokeWidth=1))
            label = f"{i + 1}. {ph.name}"
            size = self.look.small
            while size > 7.5 and _text_width(label, size) > w - 6:
                size -= 0.5
            if _text_width(label, size) > w - 6:
                label = str(i + 1)
            d.add(String(x0 + w / 2, bar_y + bar_h / 2 - size / 3, label, fontName=BODY_BOLD, fontSize=size,
                         fillColor=colors.white, textAnchor="middle"))
        step = 1 if n <= 26 else 2
        for wk in range(1, n + 1, step):
            x = (wk - 0.5) * unit
            d.add(String(x, bar_y - self.look.small * 1.2, str(wk), fontName=BODY, fontSize=self.look.small * 0.9, fillColor=MUTED,
                         textAnchor="middle"))
        d.add(String(0, 0, "Week", fontName=BODY, fontSize=self.look.small * 0.9, fillColor=MUTED))
        return d
