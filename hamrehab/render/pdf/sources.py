"""The last page: where the plan comes from, and notes on the evidence for the clinician."""
from __future__ import annotations

from reportlab.platypus import PageBreak

from ..fonts import markup
from .writer import WriterBase


class SourcesSection(WriterBase):
    """Every citation the plan rests on; weak or missing evidence is said here, not in the runner's instructions."""

    def sources(self) -> None:
        self.flow.append(PageBreak())
        self.flow += self.heading(self.words.headings.sources, "sources")
        self.flow.append(self.p(self.words.pages.sources_intro))
        for key, citation in self.plan.sources:
            self.flow.append(self.rich(f"<b>[{markup(key)}]</b> {markup(citation)}", self.s.small))
