"""About your condition: what it is, what to expect, what to avoid, pain as a traffic light, when to seek help."""
from __future__ import annotations

from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Table, TableStyle

from ...model.placeholders import pain_values
from ...safety import URGENCIES
from ...wording import week_span
from ..fonts import markup
from .style import AMBER, GREEN, RED, RULE
from .writer import WriterBase


class AboutSection(WriterBase):
    """The pages a runner reads once, before the first week."""

    def about(self) -> None:
        plan, words = self.plan, self.words
        light = words.traffic_light
        pain = pain_values(plan.pain)
        self.flow.append(PageBreak())
        self.flow += self.heading(words.headings.about, "about")
        self.flow.append(self.p(plan.plain_name, self.s.h3))
        self.flow.append(self.p(plan.what_it_is))
        if plan.borrowed_from:
            self.flow.append(self.p(words.about.borrowed.format(borrowed_from=plan.borrowed_from.replace('-', ' ')), self.s.bold))
        self.flow.append(self.p(words.headings.what_to_expect, self.s.h2))
        self.flow.append(self.p(plan.what_to_expect))
        if plan.phases:
            for i, ph in enumerate(plan.phases, 1):
                weeks = week_span(ph.weeks[0], ph.weeks[-1])
                self.flow.append(self.rich(f"<b>{i}. {markup(ph.name)}</b> ({weeks}): {markup(ph.goals[0])}", self.s.bullet))
        if plan.avoid:
            self.flow.append(self.p(words.headings.what_to_avoid, self.s.h2))
            self.flow += self.bullets(plan.avoid)
        self.flow.append(KeepTogether([
            self.p(light.heading.format(**pain), self.s.h2),
            self.p(light.intro.format(**pain)),
            self.traffic_light(),
            self.p(light.footnote.format(**pain), self.s.small)]))
        self.flow.append(CondPageBreak(self.look.body * 12))
        self.flow.append(self.p(words.headings.seek_help, self.s.h2))
        for urgency in URGENCIES:
            signs = [plain for u, plain in plan.warning_signs if u == urgency]
            if signs:
                self.flow.append(self.p(words.urgency_titles.of(urgency), self.s.h3))
                self.flow += self.bullets(signs)
        if plan.cautions or plan.notes:  # kept together: never one stray line of it on a page of its own
            notes = self.bullets(tuple(plan.cautions) + tuple(plan.notes))
            self.flow.append(KeepTogether([self.p(words.headings.plan_notes, self.s.h2)] + notes))

    def traffic_light(self) -> Table:
        """The pain zones as three coloured rows, each with its word, its scores and what to do (rules/handout.yaml)."""
        light, pain = self.words.traffic_light, pain_values(self.plan.pain)
        rows = [
            (GREEN, light.green_word, light.green_scale, light.green_meaning),
            (AMBER, light.amber_word, light.amber_scale, light.amber_meaning),
            (RED, light.red_word, light.red_scale, light.red_meaning),
        ]
        data = []
        for colour, word, scale, meaning in rows:
            text_colour = "#000000" if colour is AMBER else "#ffffff"  # dark words on the light amber
            data.append([self.rich(f'<font color="{text_colour}"><b>{markup(word)}</b></font>', self.s.centre),
                         self.rich(f"<b>{markup(scale.format(**pain))}</b>", self.s.cell), self.p(meaning.format(**pain), self.s.cell)])
        t = Table(data, colWidths=[self.width * 0.16, self.width * 0.22, self.width * 0.62])
        style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                 ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
        for i, (colour, *_rest) in enumerate(rows):
            style.append(("BACKGROUND", (0, i), (0, i), colour))
        t.setStyle(TableStyle(style))
        return t
