"""What every section shares: the state of one render and the helpers that turn text into flowables.

Sections (cover.py, about.py, ...) are mixins on WriterBase; each appends its flowables to `flow`.
All text from users or YAML goes through `fonts.markup` (escaped, with font fallback) or is checked
by `fonts.body_only` before it is drawn plainly.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, Paragraph, Table, TableStyle

from ...clinic import Clinic
from ...model import URGENCIES
from ...plan import WEEKDAYS, Plan
from ..fonts import Warnings, body_only, markup
from .cells import Cells, Pad
from .flowables import Bookmark, _Text
from .style import ACCENT, COMPACT_LARGE, LARGE, RULE, Look, _Styles

LIGHT_MAX = 600  # longer texts go through Paragraph, which can split across pages
CARD_COLUMNS_MAX = 40  # body-text lines: a card's steps and tips side by side only when they fit well inside a page


class _UrgencyTitles(Mapping[str, str]):
    """The title of each urgency (rules/handout.yaml `urgency_titles`), read on first use; a plan's own
    wording is `plan.words.urgency_titles`."""

    def __getitem__(self, key: str) -> str:
        from ...catalogue import builtin_handout

        return builtin_handout().urgency_titles.of(key)

    def __iter__(self) -> Iterator[str]:
        return iter(URGENCIES)

    def __len__(self) -> int:
        return len(URGENCIES)


URGENCY_TITLES: Mapping[str, str] = _UrgencyTitles()


def _long_date(d: dt.date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d.day} {d.strftime('%B')} {d.year}"


def _short_date(d: dt.date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d.day} {d.strftime('%b')}"


class WriterBase:
    """Builds the flowables of one plan; one instance per render. The sections add themselves as mixins."""

    frame_height: float = 700.0  # set by render_pdf from the page size

    def __init__(self, plan: Plan, look: Look, clinic: Clinic | None, warnings: Warnings, width: float):
        self.plan, self.look, self.clinic, self.warnings, self.width = plan, look, clinic, warnings, width
        self.words = plan.words  # the handout's fixed wording (rules/handout.yaml)
        self.s = _Styles(look)
        self.flow: list[Flowable] = []
        self._scratch: Canvas | None = None
        self.plan_walk = next((r.exercise for w in plan.weeks for r in w.running if r.kind == "walk"), None)

    def p(self, text: str, style: ParagraphStyle | None = None, where: str = "text", bullet: str | None = None) -> Flowable:
        """Plain text: a light pre-wrapped flowable when the body font can print it all, else a Paragraph."""
        style = style or self.s.body
        if len(text) <= LIGHT_MAX and body_only(text):
            return _Text(" ".join(text.split()), style, bullet)
        return Paragraph(markup(text, self.warnings, where), style, bulletText=bullet)

    def rich(self, html: str, style: ParagraphStyle | None = None) -> Paragraph:
        """Our own fixed markup (bold labels) around already-escaped pieces."""
        return Paragraph(html, style or self.s.body)

    def bullets(self, items: Iterable[str], style: ParagraphStyle | None = None) -> list[Flowable]:
        return [self.p(i, style or self.s.bullet, bullet="•") for i in items]

    def heading(self, text: str, key: str, level: int = 0, style: ParagraphStyle | None = None) -> list[Flowable]:
        """A section title with its bookmark, so the PDF's outline lists every section."""
        return [Bookmark(key, text, level), self.p(text, style or self.s.h1)]

    def banner(self, title: str, subtitle: str = "", colour: colors.Color = ACCENT) -> Cells:
        """White text on a full-width coloured band: week titles, checkpoints, warnings."""
        rows = [[[self.p(title, self.s.banner)]]] + ([[[self.p(subtitle, self.s.banner_small)]]] if subtitle else [])
        pads = [Pad(left=8, top=4), Pad(left=8, top=4, bottom=6)][-len(rows):]  # the last row has more below it
        return Cells(rows, [self.width], pads, background=colour)

    def _label_table(self, rows: Iterable[tuple[str, str]]) -> Table:
        """Label and value, one pair a row: the patient's details on the cover and the referral."""
        data = [[self.p(k, self.s.cell_bold), self.p(v, self.s.cell, "patient details")] for k, v in rows]
        t = Table(data, colWidths=[self.width * 0.25, self.width * 0.75])
        t.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        return t

    def clinic_block(self) -> list[Flowable]:
        """The clinic's name, contacts and logo in a box: on the cover, and on a referral."""
        c = self.clinic
        assert c is not None
        lines = [self.p(c.name, self.s.cell_bold, "clinic name")]
        for label, value in (("Clinician", c.clinician), ("Phone", c.phone), ("Email", c.email), ("Web", c.website)):
            if value:
                lines.append(self.rich(f"<b>{label}:</b> {markup(value, self.warnings, 'clinic details')}", self.s.cell))
        for line in c.address_lines:
            lines.append(self.p(line, self.s.cell, "clinic address"))
        logo: Flowable | str = ""
        if c.logo is not None:
            img = Image(str(c.logo))
            scale = min(self.width * 0.3 / img.imageWidth, 60 / img.imageHeight)
            img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
            logo = img
        t = Table([[lines, logo]], colWidths=[self.width * 0.66, self.width * 0.34])
        t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("ALIGN", (1, 0), (1, 0), "RIGHT"), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                               ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
        if t.wrap(self.width, 1e6)[1] < CARD_COLUMNS_MAX * self.look.body / 2:
            return [t]
        return ([logo] if logo else []) + lines  # long clinic details: plain lines that can break across pages

    @property
    def large_print(self) -> bool:
        """Large print: no page is shrunk to fit (a reader who asked for large type keeps it); a long one flows on."""
        return self.look in (LARGE, COMPACT_LARGE)

    def height_of(self, flowables: Iterable[Flowable]) -> float:
        """How tall `flowables` are, one after another, at the text width, with the space before and after each.

        Each part is measured on its own: a KeepTogether's own wrap always answers "too tall" to force a split."""
        if self._scratch is None:
            self._scratch = Canvas(io.BytesIO())  # measuring only, one for the render: never saved
        return sum(f.wrapOn(self._scratch, self.width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)
