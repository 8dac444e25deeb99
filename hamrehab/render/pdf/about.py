"""About your condition: what it is, what to expect, what to avoid, pain as a traffic light, when to seek help."""
from __future__ import annotations

from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Table, TableStyle

from ...safety import URGENCIES
from ..fonts import markup
from .style import AMBER, GREEN, RED, RULE
from .writer import URGENCY_TITLES, WriterBase


class AboutSection(WriterBase):
    """The pages a runner reads once, before the first week."""

    def about(self) -> None:
        plan = self.plan
        self.flow.append(PageBreak())
        self.flow += self.heading("About your condition", "about")
        self.flow.append(self.p(plan.plain_name, self.s.h3))
        self.flow.append(self.p(plan.what_it_is))
        if plan.borrowed_from:
            self.flow.append(self.p(f"No published rehab protocol exists for this condition yet, so this plan adapts the one for "
                                    f"{plan.borrowed_from.replace('-', ' ')}, as physiotherapists commonly do.", self.s.bold))
        self.flow.append(self.p("What to expect", self.s.h2))
        self.flow.append(self.p(plan.what_to_expect))
        if plan.phases:
            for i, ph in enumerate(plan.phases, 1):
                weeks = f"week {ph.weeks[0]}" if len(ph.weeks) == 1 else f"weeks {ph.weeks[0]}-{ph.weeks[-1]}"
                self.flow.append(self.rich(f"<b>{i}. {markup(ph.name)}</b> ({weeks}): {markup(ph.goals[0])}", self.s.bullet))
        if plan.avoid:
            self.flow.append(self.p("What to avoid", self.s.h2))
            self.flow += self.bullets(plan.avoid)
        self.flow.append(KeepTogether([
            self.p("Pain: your traffic light", self.s.h2),
            self.p("Some discomfort is allowed while you rebuild. Score your pain from 0 (none) to 10 (the worst imaginable) "
                   "and let the score decide what you do."),
            self.traffic_light(),
            self.p("Each phase has its own limit, shown on every week page: in the early phases of a strain even amber "
                   "means stop. Pain of " f"{self.plan.pain.refer_at}" "/10 or more at rest means see a professional.", self.s.small)]))
        self.flow.append(CondPageBreak(self.look.body * 12))
        self.flow.append(self.p("When to seek help", self.s.h2))
        for urgency in URGENCIES:
            signs = [plain for u, plain in plan.warning_signs if u == urgency]
            if signs:
                self.flow.append(self.p(URGENCY_TITLES[urgency], self.s.h3))
                self.flow += self.bullets(signs)
        if plan.cautions or plan.notes:  # kept together: never one stray line of it on a page of its own
            self.flow.append(KeepTogether([self.p("Notes for your plan", self.s.h2)] + self.bullets(tuple(plan.cautions) + tuple(plan.notes))))

    def traffic_light(self) -> Table:
        """The pain zones as three coloured rows, each with its word, its scores and what to do."""
        pain = self.plan.pain
        rows = [
            (GREEN, "GREEN", f"0-{pain.green_max} out of 10", "Safe. Carry on, and move up as the plan says."),
            (AMBER, "AMBER", f"{pain.green_max + 1}-{pain.amber_max} out of 10",
             "Acceptable only where your week page allows it, if it settles by the next morning and is not getting worse "
             "from week to week. Do not move up; repeat the week."),
            (RED, "RED", f"{pain.refer_at}-10 out of 10", "Stop that exercise or run. If pain this strong stays at rest, or keeps "
             "coming back, see a professional."),
        ]
        data = []
        for _colour, word, scale, meaning in rows:
            text_colour = "#000000" if word == "AMBER" else "#ffffff"
            data.append([self.rich(f'<font color="{text_colour}"><b>{word}</b></font>', self.s.centre), self.rich(f"<b>{scale}</b>", self.s.cell), self.p(meaning, self.s.cell)])
        t = Table(data, colWidths=[self.width * 0.16, self.width * 0.22, self.width * 0.62])
        style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                 ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
        for i, (colour, *_rest) in enumerate(rows):
            style.append(("BACKGROUND", (0, i), (0, i), colour))
        t.setStyle(TableStyle(style))
        return t
