"""The printable handout: a Plan in, PDF bytes out (ReportLab, byte-identical for the same plan).

Sections: cover (who, what, when, the clinic, a timeline of the phases); about your
condition (what it is, what to expect, what to avoid, pain as a traffic light, when to seek
help); one card per exercise (drawings, steps, tips, mistakes, easier/harder, dose range);
one page per week (doses, a tick grid, running, a pain log, notes, the phase checkpoint);
a progress page; sources. A red flag turns it all into a referral handout instead.

All text from users or YAML goes through `fonts.markup` (escaped, with font fallback).
Meaning never rests on colour alone: every coloured mark also has a word.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..clinic import Clinic
from ..model import Exercise
from ..plan import WEEKDAYS, Plan, Prescription, Week
from ..safety import RED_FLAGS, URGENCIES
from ..wording import duration, pain_line, prescription_dose, running_groups, running_total
from .figures import figure_drawing
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from .fonts import BODY, BODY_BOLD, Warnings, body_only, draw_string, markup, register

LIGHT_MAX = 600  # longer texts go through Paragraph, which can split across pages
# A drawing depends only on the pose data and the box: built once per process and reused by
# every plan of a batch, as a ready-made stream of PDF path operators (see _PathCache).
@lru_cache(maxsize=512)
def _figure(figure, width: float, height: float, font_name: str) -> Flowable:
    return _PathCache(figure_drawing(figure, width, height, font_name=font_name))


class _PathCache(Flowable):
    """A Drawing whose shapes are turned into PDF operators once, then copied into each page.

    The stick figures were a sixth of the render time, drawn shape by shape for every plan.
    Shapes carry no resources (no fonts, images or transparency), so their operator stream is
    the same in any document; the labels are drawn normally, so their font is registered as usual.
    A drawing that needs a resource is drawn the ordinary way.
    """

    def __init__(self, drawing: Drawing):
        super().__init__()
        self.drawing = drawing
        self.width, self.height = drawing.width, drawing.height
        self.labels = [c for c in drawing.contents if isinstance(c, String)]
        shapes = Drawing(drawing.width, drawing.height)
        for c in drawing.contents:
            if not isinstance(c, String):
                shapes.add(c)
        scratch = Canvas(io.BytesIO(), invariant=1)
        renderPDF.draw(shapes, scratch, 0, 0)
        ops = "\n".join(scratch._code)  # read once; replayed with the public addLiteral
        self.ops = None if any(tok in ops.split() for tok in ("gs", "Do", "Tf", "sh")) else ops

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if self.ops is None:
            renderPDF.draw(self.drawing, self.canv, 0, 0)
            return
        c = self.canv
        c.saveState()
        c.addLiteral(self.ops)
        c.restoreState()
        for label in self.labels:
            c.setFillColor(label.fillColor)
            c.setFont(label.fontName, label.fontSize)
            if label.textAnchor == "middle":
                c.drawCentredString(label.x, label.y, label.text)
            elif label.textAnchor == "end":
                c.drawRightString(label.x, label.y, label.text)
            else:
                c.drawString(label.x, label.y, label.text)

PAGE_SIZES = {"a4": A4, "letter": LETTER}
MARGIN = 18 * mm
INK = colors.Color(0.1, 0.1, 0.12)
MUTED = colors.Color(0.35, 0.35, 0.4)
RULE = colors.Color(0.6, 0.6, 0.64)
ACCENT = colors.Color(0.0, 0.30, 0.52)  # dark blue: prints as dark grey, white text stays legible
PALE = colors.Color(0.92, 0.94, 0.97)
SHADE = colors.Color(0.86, 0.86, 0.88)
GREEN = colors.Color(0.18, 0.49, 0.2)
AMBER = colors.Color(0.98, 0.66, 0.15)
RED = colors.Color(0.78, 0.16, 0.16)
URGENCY_TITLES = {"emergency": "EMERGENCY: get help now", "same-day": "TODAY: see a doctor today", "soon": "SOON: within a few days"}


@dataclass(frozen=True)
class Look:
    """Type sizes for normal or large print."""

    body: float
    small: float
    card: float  # exercise-card text: a little smaller in normal print so two cards fit a page
    figure: float  # height of the drawings on a card

    @property
    def leading(self) -> float:
        return self.body * 1.35


NORMAL = Look(body=11, small=9, card=10, figure=92)
LARGE = Look(body=14, small=12.5, card=14, figure=135)


class _Styles:
    def __init__(self, look: Look):
        b = look.body
        self.look = look
        self.body = ParagraphStyle("body", fontName=BODY, fontSize=b, leading=look.leading, textColor=INK, spaceAfter=b * 0.35)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=look.small, leading=look.small * 1.3, spaceAfter=1, textColor=MUTED)
        self.bold = ParagraphStyle("bold", parent=self.body, fontName=BODY_BOLD)
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=BODY_BOLD, fontSize=b * 2.0, leading=b * 2.4, spaceAfter=b * 0.6, textColor=ACCENT)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=BODY_BOLD, fontSize=b * 1.4, leading=b * 1.75, spaceBefore=b * 0.8, spaceAfter=b * 0.35, textColor=ACCENT)
        self.h3 = ParagraphStyle("h3", parent=self.body, fontName=BODY_BOLD, fontSize=b * 1.15, leading=b * 1.45, spaceAfter=2)
        self.banner = ParagraphStyle("banner", parent=self.h3, textColor=colors.white, spaceAfter=0)
        self.banner_small = ParagraphStyle("banner_small", parent=self.body, textColor=colors.white, spaceAfter=0)
        self.cell = ParagraphStyle("cell", parent=self.body, spaceAfter=0)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=BODY_BOLD)
        self.centre = ParagraphStyle("centre", parent=self.cell, alignment=TA_CENTER)
        self.bullet = ParagraphStyle("bullet", parent=self.body, leftIndent=b * 1.2, bulletIndent=b * 0.2, spaceAfter=b * 0.2)
        c = look.card
        self.card = ParagraphStyle("card", parent=self.body, fontSize=c, leading=c * 1.25, spaceAfter=0)
        self.card_bold = ParagraphStyle("card_bold", parent=self.card, fontName=BODY_BOLD, spaceBefore=c * 0.2)
        self.card_bullet = ParagraphStyle("card_bullet", parent=self.card, leftIndent=c * 1.2, bulletIndent=c * 0.1, spaceAfter=c * 0.12)
        self.day = ParagraphStyle("day", parent=self.cell, fontSize=look.small, leading=look.small * 1.15, alignment=TA_CENTER)


class Bookmark(Flowable):
    """An invisible mark: a PDF bookmark (outline entry) at this point of the flow."""

    def __init__(self, key: str, title: str, level: int = 0):
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=self.level == 0 and self.key == "weeks")


class _Text(Flowable):
    """Plain text in one font, wrapped with simpleSplit: a light stand-in for a Paragraph.

    Week grids and cards repeat hundreds of short, plain strings; parsing each as Paragraph
    markup was most of the render time. Used only for text the body font can print whole.
    """

    def __init__(self, text: str, style: ParagraphStyle, bullet: str | None = None):
        super().__init__()
        self.text, self.style, self.bullet = text, style, bullet
        self._avail: float | None = None
        self._lines: list[str] = []

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        st = self.style
        avail = aw - st.leftIndent - st.rightIndent
        if avail != self._avail:
            self._lines = simpleSplit(self.text, st.fontName, st.fontSize, avail) or [""]
            self._avail = avail
        self.width, self.height = aw, len(self._lines) * st.leading
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802 (ReportLab's name)
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.style.spaceAfter

    def draw(self) -> None:
        st, c = self.style, self.canv
        y = self.height - st.fontSize * 1.02 - (st.leading - st.fontSize * 1.2) / 2
        text = c.beginText()  # one text object for all lines: far cheaper than drawString per line
        text.setFont(st.fontName, st.fontSize, st.leading)
        text.setFillColor(st.textColor)
        if self.bullet:
            text.setTextOrigin(st.bulletIndent, y)
            text.textOut(self.bullet)
        for line in self._lines:
            x = st.leftIndent
            if st.alignment == TA_CENTER:
                x += (self.width - st.leftIndent - st.rightIndent - c.stringWidth(line, st.fontName, st.fontSize)) / 2
            text.setTextOrigin(x, y)
            text.textOut(line)
            y -= st.leading
        c.drawText(text)


@dataclass
class _Cell:
    """One cell of a _Grid: stacked text blocks, or tick boxes (with an optional label under them)."""

    texts: tuple[tuple[str, ParagraphStyle], ...] = ()
    boxes: int = 0
    label: str = ""
    span: int = 1
    shade: bool = False
    centre: bool = False


class _Grid(Flowable):
    """A ruled grid drawn directly on the canvas: the week's exercises and tick boxes, or the pain log.

    ReportLab's Table handled these too, but was a third of the render time; this draws the same
    thing (header shading, greyed-out days, drawn boxes, middle-aligned text) in one pass, and can
    split between rows onto the next page, repeating the header row.
    """

    def __init__(self, widths: list[float], rows: list[list[_Cell]], box: float, header_rows: int = 1, pad: float = 3):
        super().__init__()
        self.widths, self.rows, self.box, self.header_rows, self.pad = widths, rows, box, header_rows, pad
        self._heights: list[float] | None = None

    def _cell_width(self, col: int, span: int) -> float:
        return sum(self.widths[col:col + span])

    def _lines(self, text: str, st: ParagraphStyle, width: float) -> list[str]:
        return simpleSplit(text, st.fontName, st.fontSize, width - 2 * self.pad) or [""]

    def _row_height(self, row: list[_Cell]) -> float:
        tallest, col = 0.0, 0
        for cell in row:
            w = self._cell_width(col, cell.span)
            h = sum(len(self._lines(t, st, w)) * st.leading for t, st in cell.texts)
            if cell.boxes:
                h = max(h, self.box * cell.boxes + self.box * 0.35 * (cell.boxes - 1) + (self.box if cell.label else 0))
            tallest = max(tallest, h)
            col += cell.span
        return tallest + 2 * self.pad

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        if self._heights is None:
            self._heights = [self._row_height(r) for r in self.rows]
        self.width, self.height = sum(self.widths), sum(self._heights)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        self.wrap(aw, ah)
        assert self._heights is not None
        head = self.header_rows
        used = sum(self._heights[:head])
        k = head
        while k < len(self.rows) and used + self._heights[k] <= ah:
            used += self._heights[k]
            k += 1
        if k == head or k == len(self.rows):
            return []
        first = _Grid(self.widths, self.rows[:k], self.box, head, self.pad)
        rest = _Grid(self.widths, self.rows[:head] + self.rows[k:], self.box, head, self.pad)
        return [first, rest]

    def draw(self) -> None:
        c = self.canv
        assert self._heights is not None
        text = c.beginText()
        y_top = self.height
        for r, row in enumerate(self.rows):
            h = self._heights[r]
            x, col = 0.0, 0
            for cell in row:
                w = self._cell_width(col, cell.span)
                col += cell.span
                fill = PALE if r < self.header_rows else (SHADE if cell.shade else None)
                if fill is not None:
                    c.setFillColor(fill)
                    c.rect(x, y_top - h, w, h, stroke=0, fill=1)
                if cell.boxes:
                    stack = self.box * cell.boxes + self.box * 0.35 * (cell.boxes - 1)
                    total = stack + (self.box if cell.label else 0)
                    by = y_top - (h - total) / 2 - self.box
                    c.setStrokeColor(INK)
                    c.setLineWidth(0.9)
                    for _ in range(cell.boxes):
                        c.rect(x + (w - self.box) / 2, by, self.box, self.box, stroke=1, fill=0)
                        by -= self.box * 1.35
                    if cell.label:
                        st = self.label_style
                        text.setFont(st.fontName, st.fontSize)
                        text.setFillColor(st.textColor)
                        text.setTextOrigin(x + (w - c.stringWidth(cell.label, st.fontName, st.fontSize)) / 2, by + self.box * 0.35 + 1)
                        text.textOut(cell.label)
                blocks = [(self._lines(t, st, w), st) for t, st in cell.texts]
                content = sum(len(lines) * st.leading for lines, st in blocks)
                ty = y_top - (h - content) / 2
                for lines, st in blocks:
                    text.setFont(st.fontName, st.fontSize)
                    text.setFillColor(st.textColor)
                    for line in lines:
                        ty -= st.leading
                        lx = x + self.pad
                        if cell.centre:
                            lx = x + (w - c.stringWidth(line, st.fontName, st.fontSize)) / 2
                        text.setTextOrigin(lx, ty + (st.leading - st.fontSize) * 0.55)
                        text.textOut(line)
                x += w
            y_top -= h
        c.drawText(text)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        y = self.height
        for r, row in enumerate(self.rows):
            h = self._heights[r]
            c.line(0, y, self.width, y)
            x, col = 0.0, 0
            c.line(0, y, 0, y - h)
            for cell in row:
                x += self._cell_width(col, cell.span)
                col += cell.span
                c.line(x, y, x, y - h)
            y -= h
        c.line(0, y, self.width, y)

    label_style: ParagraphStyle = ParagraphStyle("grid_label", fontName=BODY, fontSize=8, leading=9, textColor=INK)


class TickBox(Flowable):
    """A drawn box to tick (never a font glyph, so it always prints)."""

    def __init__(self, size: float, count: int = 1):
        super().__init__()
        self.size, self.count = size, count

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.size, self.size * self.count + self.size * 0.35 * (self.count - 1)

    def draw(self) -> None:
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.9)
        for i in range(self.count):  # one box per session that day, stacked
            self.canv.rect(0, i * self.size * 1.35, self.size, self.size, stroke=1, fill=0)


class _Writer:
    """Builds the flowables of one plan; one instance per render."""

    def __init__(self, plan: Plan, look: Look, clinic: Clinic | None, warnings: Warnings, width: float):
        self.plan, self.look, self.clinic, self.warnings, self.width = plan, look, clinic, warnings, width
        self.s = _Styles(look)
        self.flow: list[Flowable] = []
        self.plan_walk = next((r.exercise for w in plan.weeks for r in w.running if r.kind == "walk"), None)

    # ------------------------------------------------------------------ helpers
    def p(self, text: str, style: ParagraphStyle | None = None, where: str = "text", bullet: str | None = None) -> Flowable:
        """Plain text: a light pre-wrapped flowable when the body font can print it all, else a Paragraph."""
        style = style or self.s.body
        if len(text) <= LIGHT_MAX and body_only(text):
            return _Text(" ".join(text.split()), style, bullet)
        return Paragraph(markup(text, self.warnings, where), style, bulletText=bullet)

    def rich(self, html: str, style: ParagraphStyle | None = None) -> Paragraph:
        """Our own fixed markup (bold labels) around already-escaped pieces."""
        return Paragraph(html, style or self.s.body)

    def bullets(self, items, style: ParagraphStyle | None = None) -> list[Flowable]:
        return [self.p(i, style or self.s.bullet, bullet="•") for i in items]

    def heading(self, text: str, key: str, level: int = 0, style: ParagraphStyle | None = None) -> list[Flowable]:
        return [Bookmark(key, text, level), self.p(text, style or self.s.h1)]

    def banner(self, title: str, subtitle: str = "", colour=ACCENT) -> Table:
        cells = [[self.p(title, self.s.banner)]] + ([[self.p(subtitle, self.s.banner_small)]] if subtitle else [])
        t = Table(cells, colWidths=[self.width])
        t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colour), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                               ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, -1), (-1, -1), 6)]))
        return t

    # ------------------------------------------------------------------ cover
    def cover(self) -> None:
        plan, r = self.plan, self.plan.request
        self.flow += self.heading("Your rehab plan", "cover")
        self.flow.append(self.p(plan.plain_name, self.s.h3))
        rows = [("Name", r.name or "-"), ("Patient id", r.patient_id or "-"),
                ("Condition", plan.diagnosis_name + (f", grade {plan.grade}" if plan.grade else "")),
                ("Side", {"left": "Left leg", "right": "Right leg", "both": "Both legs / not stated"}[r.side]),
                ("Starts", _long_date(r.start))]
        if plan.weeks:
            rows.append(("Length", f"{len(plan.weeks)} weeks, until {_long_date(plan.end)}"))
        self.flow.append(self._label_table(rows))
        for missing in plan.missing_core:
            self.flow.append(Spacer(1, self.look.body * 0.4))
            self.flow.append(self.banner("Missing from your plan", missing, RED))
        if self.clinic is not None:
            self.flow.append(Spacer(1, self.look.body))
            self.flow.append(self.clinic_block())
        if r.notes:
            self.flow.append(self.p("Notes from your clinician", self.s.h2))
            self.flow.append(self.p(r.notes, where="notes"))
        if plan.weeks:
            self.flow.append(self.p("Your phases", self.s.h2))
            self.flow.append(self.timeline())
            self.flow.append(self.p("  |  ".join(
                f"{i}. {ph.name}: " + (f"week {ph.weeks[0]}" if len(ph.weeks) == 1 else f"weeks {ph.weeks[0]}-{ph.weeks[-1]}")
                for i, ph in enumerate(plan.phases, 1)), self.s.small))
            self.flow.append(Spacer(1, self.look.body * 0.5))
            self.flow.append(self.p("How to use this plan", self.s.h2))
            self.flow += self.bullets((
                "Each week has its own page. Tick a box each time you do an exercise, and write down your pain during it and the next morning.",
                "Move up to the next week's dose only if last week kept to the pain rules. If not, repeat the week.",
                "Each phase ends with a checkpoint. Move on only when every box is ticked; until then, keep repeating the last week.",
                "Stop and see a professional if any of the warning signs on the 'About your condition' pages appears.",
            ))
        self.flow.append(Spacer(1, self.look.body))
        self.flow.append(self.p("This plan supports, but does not replace, an examination by a doctor or physiotherapist. "
                                "It never tells you how much medicine to take: take medicines only as your doctor advises.", self.s.small))

    def _label_table(self, rows) -> Table:
        data = [[self.p(k, self.s.cell_bold), self.p(v, self.s.cell, "patient details")] for k, v in rows]
        t = Table(data, colWidths=[self.width * 0.25, self.width * 0.75])
        t.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        return t

    def clinic_block(self) -> Table:
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
        return t

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
            d.add(String(x, bar_y - self.look.small * 1.2, str(wk), fontName=BODY, fontSize=self.look.small * 0.9, fillColor=MUTED, textAnchor="middle"))
        d.add(String(0, 0, "Week", fontName=BODY, fontSize=self.look.small * 0.9, fillColor=MUTED))
        return d

    # ------------------------------------------------------------------ about
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
            flags = [f for f in RED_FLAGS.values() if f.urgency == urgency]
            self.flow.append(self.p(URGENCY_TITLES[urgency], self.s.h3))
            self.flow += self.bullets([f.plain for f in flags])
        if plan.cautions or plan.notes:
            self.flow.append(self.p("Notes for your plan", self.s.h2))
            self.flow += self.bullets(tuple(plan.cautions) + tuple(plan.notes))

    def traffic_light(self) -> Table:
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

    # ------------------------------------------------------------------ exercise cards
    def cards(self) -> None:
        self.flow.append(PageBreak())
        self.flow += self.heading("Your exercises", "exercises")
        self.flow.append(self.p("One card per exercise. The drawings show where you start and where you finish; "
                                "the week pages tell you how much to do."))
        names = {ex.id: ex.name for ex in self.plan.exercises}
        for ex in self.plan.exercises:
            self.flow.append(self.card(ex, names))

    def card(self, ex: Exercise, names: dict[str, str]) -> KeepTogether:
        s, look = self.s, self.look
        title_bits = [ex.category.capitalize(), "each side" if ex.per_side else "both legs together"]
        how_much = ("how much: the running row of each week page" if ex.run_role in ("walk-jog", "continuous", "strides")
                    or ex.id == self.plan_walk else "how much: see your week pages")
        head = [self.p(ex.name, s.h3), self.p(" | ".join(title_bits) + f"  |  {how_much}", s.small)]
        qr: Flowable | str = ""
        if ex.video_url:
            from reportlab.graphics.barcode.qr import QrCodeWidget  # costly import: only when a card has a video

            widget = QrCodeWidget(ex.video_url)
            b = widget.getBounds()
            size = look.body * 5
            qd = Drawing(size, size, transform=[size / (b[2] - b[0]), 0, 0, size / (b[3] - b[1]), 0, 0])
            qd.add(widget)
            qr = [qd, self.p("Video", s.small)]
        top = Table([[head, qr]], colWidths=[self.width - look.body * 6, look.body * 6])
        top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        drawing = _figure(ex.figure, self.width, look.figure, font_name=BODY)
        left = [self.p("How to do it", s.card_bold)] + [
            self.p(step, s.card_bullet, bullet=f"{i}.") for i, step in enumerate(ex.steps, 1)]
        right = ([self.p("Tips", s.card_bold)] + self.bullets(ex.cues, s.card_bullet)
                 + [self.p("Avoid", s.card_bold)] + self.bullets(ex.mistakes, s.card_bullet))
        cols = Table([[left, right]], colWidths=[self.width * 0.56, self.width * 0.44])
        cols.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        facts = []
        if ex.easier:
            facts.append("Too hard? " + ", ".join(names.get(i, i.replace("-", " ")) for i in ex.easier) + ".")
        if ex.harder:
            facts.append("Too easy? " + ", ".join(names.get(i, i.replace("-", " ")) for i in ex.harder) + ".")
        kit = [e.replace("-", " ") for e in ex.equipment if e != "none"]
        facts.append(f"You need: {', '.join(kit) if kit else 'nothing'}.")
        facts.append(f"Safe range: {_range_text(ex.dosage.limits)}.")
        body: list[Flowable] = [Spacer(1, look.body * 0.4), Bookmark(f"ex-{ex.id}", ex.name, 1), top, drawing, cols]
        body.append(self.p("   ".join(facts), s.small))
        if ex.caution:
            body.append(self.p(f"Take care: {ex.caution}", s.card_bold))
        body.append(_Rule(self.width))
        return KeepTogether(body)

    # ------------------------------------------------------------------ weeks
    def weeks(self) -> None:
        plan = self.plan
        phases = {ph.id: (i, ph) for i, ph in enumerate(plan.phases, 1)}
        first = True
        for week in plan.weeks:
            self.flow.append(PageBreak())
            if first:
                self.flow.append(Bookmark("weeks", "Week by week", 0))
                first = False
            self.week_page(week, *phases[week.phase])

    def week_page(self, week: Week, phase_no: int, phase) -> None:
        s, look, plan = self.s, self.look, self.plan
        end = week.start + dt.timedelta(days=6)
        self.flow.append(Bookmark(f"week-{week.number}", f"Week {week.number}: {phase.name}", 1))
        sub = f"Phase {phase_no} of {len(plan.phases)}: {phase.name}  |  {_short_date(week.start)} to {_short_date(end)}"
        if week.hold:
            sub += "  |  HOLD WEEK: same doses as last week"
        self.flow.append(self.banner(f"Week {week.number} of {len(plan.weeks)}", sub))
        self.flow.append(Spacer(1, look.body * 0.4))
        pr = phase.pain_rules
        side = plan.request.side
        first = (f" One-side exercises: start with your {'right' if side == 'left' else 'left'} (uninjured) side, then the {side}."
                 if side in ("left", "right") else "")
        self.flow.append(self.p(pain_line(pr.during_max, plan.pain), s.cell_bold))
        self.flow.append(self.p(f"Next morning: {pr.next_morning} Stop if: {pr.stop_if}{first}", s.small))
        self.flow.append(self.grid(week))
        if phase.running.notes:
            self.flow.append(self.p("Running: " + " ".join(phase.running.notes), s.small))
        for note in week.notes:
            self.flow.append(self.p(note, s.small))
        self.flow.append(Spacer(1, look.body * 0.5))
        self.flow.append(self.pain_log(week))
        self.flow.append(Spacer(1, look.body * 0.4))
        # a checkpoint week keeps one line, to leave room for the boxes; lines that do not fit are left out
        self.flow.append(_NoteLines(self.width, 1 if week.checkpoint else 2, look.body * 1.3, s.cell_bold))
        if week.checkpoint:
            self.flow.append(self.checkpoint(phase))

    def _day_header(self, week: Week) -> list:
        """Plain strings (no Paragraph to parse): our own words and numbers only."""
        start = week.start.weekday()
        return [f"{WEEKDAYS[(start + i) % 7]}\n{(week.start + dt.timedelta(days=i)).day}" for i in range(7)]

    def _day_header_style(self) -> list:
        size = self.look.small
        return [("FONT", (-7, 0), (-1, 0), BODY_BOLD, size, size * 1.2), ("ALIGN", (-7, 0), (-1, 0), "CENTER")]

    def grid(self, week: Week) -> Flowable:
        """The week's exercises, doses, sides and a tick box for each session, day by day."""
        s, look = self.s, self.look
        day_w = look.body * 2.6
        rest = self.width - 7 * day_w
        widths = [rest * 0.42, rest * 0.36, rest * 0.22] + [day_w] * 7
        day_style = ParagraphStyle("grid_day", parent=s.day, fontName=BODY_BOLD)
        header = [_Cell(((h, s.cell_bold),)) for h in ("Exercise", "How much", "Side")]
        header += [_Cell(tuple((line, day_style) for line in label.split("\n")), centre=True) for label in self._day_header(week)]
        rows = [header]
        run_at = sum(1 for p in week.prescriptions if p.session == "warm-up") + 1  # the run comes after its warm-up, before the rest
        for p in week.prescriptions:
            texts = ((p.name, s.cell_bold),) + tuple((n, s.small) for n in p.notes)
            row = [_Cell(texts), _Cell(((prescription_dose(p), s.cell),)), _Cell(((_side_words(p), s.cell),))]
            row += [_Cell(boxes=min(p.times_per_day, 3)) if d in p.days else _Cell(shade=True) for d in range(7)]
            rows.append(row)
        if week.running:
            minutes = {r.day: r.minutes if r.kind == "walk" else r.jog_minutes for r in week.running}
            what = tuple((f"{when}: {pattern}" if len(week.running) > 1 else pattern, s.cell)
                         for pattern, when in running_groups(week, week.start.weekday()))
            title = "Walking" if all(r.kind == "walk" for r in week.running) else "Running"
            row = [_Cell(((title, s.cell_bold), (running_total(week), s.small))), _Cell(what), _Cell(((week.running[0].effort, s.small),))]
            row += [_Cell(boxes=1, label=f"{minutes[d]}'") if d in minutes else _Cell(shade=True) for d in range(7)]
            rows.insert(run_at, row)
        else:
            rows.append([_Cell((("Running", s.cell_bold),)), _Cell(((self._phase_running(week), s.small),), span=9)])
        texts = [t for row in rows for cell in row for t, _ in cell.texts]
        if not all(body_only(t) for t in texts):
            return self._table_grid(week, widths)
        grid = _Grid(widths, rows, look.body * 0.95)
        grid.label_style = ParagraphStyle("grid_label", parent=s.small, textColor=INK)
        return grid

    def _table_grid(self, week: Week, widths: list[float]) -> Table:
        """The same grid as a Table of Paragraphs, for text that needs the fallback font."""
        s, look = self.s, self.look
        data: list[list] = [[self.p("Exercise", s.cell_bold), self.p("How much", s.cell_bold), self.p("Side", s.cell_bold)] + self._day_header(week)]
        box = look.body * 0.95
        style = self._day_header_style() + [("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (-1, 0), PALE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("ALIGN", (3, 0), (-1, -1), "CENTER"), ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                 ("LEFTPADDING", (3, 0), (-1, -1), 1), ("RIGHTPADDING", (3, 0), (-1, -1), 1)]
        for row, p in enumerate(week.prescriptions, 1):
            name_cell = [self.p(p.name, s.cell_bold)] + [self.p(n, s.small) for n in p.notes]
            cells: list = [TickBox(box, min(p.times_per_day, 3)) if d in p.days else "" for d in range(7)]
            data.append([name_cell, self.p(prescription_dose(p), s.cell), self.p(_side_words(p), s.cell)] + cells)
            for d in range(7):
                if d not in p.days:
                    style.append(("BACKGROUND", (3 + d, row), (3 + d, row), SHADE))
        if week.running:
            row = len(data)
            run_cells: list = [""] * 7
            for r in week.running:
                run_cells[r.day] = [TickBox(box), self.p(f"{r.minutes if r.kind == 'walk' else r.jog_minutes}'", s.centre)]
            what = [self.p(f"{when}: {pattern}" if len(week.running) > 1 else pattern, s.cell)
                    for pattern, when in running_groups(week, week.start.weekday())]
            data.append([[self.p("Running", s.cell_bold), self.p(running_total(week), s.small)],
                         what, self.p(week.running[0].effort, s.small)] + run_cells)
            for d in range(7):
                if run_cells[d] == "":
                    style.append(("BACKGROUND", (3 + d, row), (3 + d, row), SHADE))
        else:
            data.append([self.p("Running", s.cell_bold), self.p(self._phase_running(week), s.small), ""] + [""] * 7)
            style.append(("SPAN", (1, len(data) - 1), (-1, len(data) - 1)))
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle(style))
        return t

    def _phase_running(self, week: Week) -> str:
        ph = next(p for p in self.plan.phases if p.id == week.phase)
        return ph.running.effort

    def pain_log(self, week: Week) -> Flowable:
        """Two rows of empty day cells for the pain score during exercise and the next morning."""
        s, look = self.s, self.look
        day_w = look.body * 2.6
        day_style = ParagraphStyle("grid_day", parent=s.day, fontName=BODY_BOLD)
        header = [_Cell((("Pain log (0-10)", s.cell_bold),))]
        header += [_Cell(tuple((line, day_style) for line in label.split("\n")), centre=True) for label in self._day_header(week)]
        tall = ParagraphStyle("tall", parent=s.cell, leading=look.body * 1.6)
        rows = [header] + [[_Cell(((label, tall),))] + [_Cell() for _ in range(7)] for label in ("During exercise or running", "Next morning")]
        return _Grid([self.width - 7 * day_w] + [day_w] * 7, rows, look.body * 0.95)

    def checkpoint(self, phase) -> KeepTogether:
        s, look = self.s, self.look
        kinds = {"home-test": "a test you can do at home", "clinician": "your clinician checks this", "published": "published criterion"}
        rows = [[TickBox(look.body * 1.1), [self.p(c.text, s.cell), self.p(kinds[c.kind], s.small)]] for c in phase.exit_criteria]
        t = Table(rows, colWidths=[look.body * 2, self.width - look.body * 2])
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 3), ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
        return KeepTogether([
            Spacer(1, look.body * 0.3),
            self.banner(f"Checkpoint: end of '{phase.name}'", "Move on only when every box is ticked. If any box is empty, repeat this week and check again.", MUTED),
            Spacer(1, look.body * 0.3), t])

    # ------------------------------------------------------------------ progress, sources, referral
    def progress(self) -> None:
        plan, look = self.plan, self.look
        self.flow.append(PageBreak())
        self.flow += self.heading("Your progress", "progress")
        self.flow.append(self.p("Bars: the planned number of exercise sets each week. Line and dots: the planned minutes of running (walk breaks not counted). "
                                "Hold weeks keep the load steady on purpose."))
        self.flow.append(_volume_chart(plan, self.width, look.body * 17, look))
        self.flow.append(Spacer(1, look.body))
        self.flow.append(self.p("Your pain, week by week", self.s.h2))
        self.flow.append(self.p("At the end of each week, mark your usual pain during exercise with a dot in that week's column and join the dots. "
                                "The line should drift down, or stay low."))
        self.flow.append(_pain_grid(len(plan.weeks), self.width, look.body * 15, look))

    def sources(self) -> None:
        self.flow.append(PageBreak())
        self.flow += self.heading("Where this plan comes from", "sources")
        self.flow.append(self.p("Every exercise, dose and rule in this plan is taken from these documents and papers. "
                                "Where a number had no firm source, the plan uses a cautious default."))
        for key, citation in self.plan.sources:
            self.flow.append(self.rich(f"<b>[{markup(key)}]</b> {markup(citation)}", self.s.small))
        if self.plan.evidence_notes:
            self.flow.append(Bookmark("clinician", "For your clinician", 0))
            self.flow.append(self.p("For your clinician: notes on the evidence", self.s.h2))
            self.flow.append(self.p("Where a figure in this plan rests on weaker evidence, or on no source at all, it is listed here. "
                                    "The runner's instructions state each figure plainly.", self.s.small))
            self.flow += self.bullets(self.plan.evidence_notes, self.s.card_bullet)

    def referral(self) -> None:
        plan, s, look = self.plan, self.s, self.look
        ref = plan.referral
        assert ref is not None
        r = plan.request
        self.flow += self.heading("Please see a professional first", "referral")
        who = r.name or r.patient_id
        self.flow.append(self.p((f"{who}, what" if who else "What") + " you told us means it is not safe to start an exercise plan yet.", s.h3))
        colour = RED if ref.urgency in ("emergency", "same-day") else AMBER
        self.flow.append(self.banner(URGENCY_TITLES[ref.urgency], ref.action, colour if ref.urgency != "soon" else MUTED))
        self.flow.append(Spacer(1, look.body * 0.6))
        self.flow.append(self.p("Why", s.h2))
        self.flow += self.bullets(ref.reasons)
        self.flow.append(self.p("What to tell the clinician", s.h2))
        self.flow += self.bullets(ref.tell_clinician)
        details = [("Name", r.name or "-"), ("Patient id", r.patient_id or "-"), ("Date", _long_date(r.start)),
                   ("Thought to be", plan.diagnosis_name + (f", grade {r.grade}" if r.grade else "")), ("Pain now", f"{r.pain}/10")]
        self.flow.append(Spacer(1, look.body * 0.5))
        self.flow.append(self._label_table(details))
        self.flow.append(self.p("Until you have been seen", s.h2))
        self.flow += self.bullets(("Do not stretch, massage hard or exercise the painful area.",
                                   "Move gently within comfort; use crutches if you cannot walk normally.",
                                   "Take medicines only as a doctor or pharmacist advises.",
                                   "Bring this sheet to your appointment. Once you have been examined, a plan can be made for you."))
        if self.clinic is not None:
            self.flow.append(Spacer(1, look.body))
            self.flow.append(self.clinic_block())
        if plan.sources:
            self.flow.append(Spacer(1, look.body))
            self.flow.append(self.p("Sources: " + "; ".join(f"[{k}] {c}" for k, c in plan.sources), s.small))


class _NoteLines(Flowable):
    """'Notes' and up to n ruled lines: as many as fit the page, none at all rather than a page of its own."""

    def __init__(self, width: float, lines: int, gap: float, style: ParagraphStyle):
        super().__init__()
        self.width, self.lines, self.gap, self.style = width, lines, gap, style
        self.fit = lines

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        label = self.style.leading
        self.fit = max(0, min(self.lines, int((ah - label) // self.gap)))
        self.height = label + self.fit * self.gap if self.fit else 0
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        if not self.fit:
            return
        c = self.canv
        st = self.style
        c.setFont(st.fontName, st.fontSize)
        c.setFillColor(st.textColor)
        c.drawString(0, self.height - st.fontSize, "Notes")
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        for i in range(1, self.fit + 1):
            y = self.height - st.leading - i * self.gap + 2
            c.line(0, y, self.width, y)


class _Rule(Flowable):
    def __init__(self, width: float, colour=SHADE):
        super().__init__()
        self.width, self.colour = width, colour

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, 4

    def draw(self) -> None:
        self.canv.setStrokeColor(self.colour)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 2, self.width, 2)


def _span(lo: float, hi: float, unit: str) -> str:
    return f"{lo:g} {unit}" if lo == hi else f"{lo:g}-{hi:g} {unit}"


def _range_text(lim) -> str:
    parts = [_span(*lim.sets, "set" if lim.sets == (1, 1) else "sets")]
    if lim.reps:
        parts.append(_span(*lim.reps, "reps"))
    if lim.hold_s:
        parts.append(f"holds of {duration(lim.hold_s[0])}" + (f" to {duration(lim.hold_s[1])}" if lim.hold_s[1] != lim.hold_s[0] else ""))
    if lim.duration_s:
        parts.append(duration(lim.duration_s[0]) + (f" to {duration(lim.duration_s[1])}" if lim.duration_s[1] != lim.duration_s[0] else ""))
    return ", ".join(parts)


def _side_words(p: Prescription) -> str:
    text = p.sides
    if p.extra_set_side:
        text += f" (+1 set {p.extra_set_side})"
    return text


def _text_width(text: str, size: float) -> float:
    return stringWidth(text, BODY_BOLD, size)


def _long_date(d: dt.date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d.day} {d.strftime('%B')} {d.year}"


def _short_date(d: dt.date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d.day} {d.strftime('%b')}"


def weekly_sets(week: Week) -> int:
    """Planned exercise volume of a week: sets x times a day x days."""
    return sum(p.sets * p.times_per_day * len(p.days) for p in week.prescriptions)


def _volume_chart(plan: Plan, width: float, height: float, look: Look) -> Drawing:
    d = Drawing(width, height)
    left, bottom, right, top = look.body * 3.2, look.body * 2.4, look.body * 3.2, look.body * 1.0
    cw, ch = width - left - right, height - bottom - top
    n = len(plan.weeks)
    sets = [weekly_sets(w) for w in plan.weeks]
    mins = [w.jog_minutes or w.running_minutes for w in plan.weeks]
    smax = max(sets + [1])
    mmax = max(mins + [1])
    d.add(Rect(left, bottom, cw, ch, fillColor=None, strokeColor=RULE, strokeWidth=0.6))
    for i in range(1, 5):
        y = bottom + ch * i / 5
        d.add(Line(left, y, left + cw, y, strokeColor=SHADE, strokeWidth=0.4))
        d.add(String(left - 4, y - 3, f"{round(smax * i / 5)}", fontName=BODY, fontSize=look.small * 0.85, fillColor=MUTED, textAnchor="end"))
        if any(mins):
            d.add(String(left + cw + 4, y - 3, f"{round(mmax * i / 5)}", fontName=BODY, fontSize=look.small * 0.85, fillColor=MUTED))
    unit = cw / n
    for i, (sv, w) in enumerate(zip(sets, plan.weeks)):
        bh = ch * sv / smax
        d.add(Rect(left + i * unit + unit * 0.18, bottom, unit * 0.64, bh, fillColor=SHADE if w.hold else colors.Color(0.55, 0.65, 0.78), strokeColor=INK, strokeWidth=0.3))
        if n <= 26 or i % 2 == 0:
            d.add(String(left + (i + 0.5) * unit, bottom - look.small * 1.1, str(w.number), fontName=BODY, fontSize=look.small * 0.85, fillColor=INK, textAnchor="middle"))
    if any(mins):
        pts = []
        for i, m in enumerate(mins):
            pts += [left + (i + 0.5) * unit, bottom + ch * m / mmax]
        d.add(PolyLine(pts, strokeColor=INK, strokeWidth=1.4))
        for i in range(n):
            d.add(Circle(pts[2 * i], pts[2 * i + 1], 2.2, fillColor=colors.white, strokeColor=INK, strokeWidth=1))
        d.add(String(left + cw + right - 2, bottom + ch + 2, "run min", fontName=BODY, fontSize=look.small * 0.85, fillColor=INK, textAnchor="end"))
    d.add(String(0, bottom + ch + 2, "sets", fontName=BODY, fontSize=look.small * 0.85, fillColor=INK))
    d.add(String(left + cw / 2, 0, "Week", fontName=BODY, fontSize=look.small * 0.9, fillColor=INK, textAnchor="middle"))
    return d


def _pain_grid(n: int, width: float, height: float, look: Look) -> Drawing:
    d = Drawing(width, height)
    left, bottom = look.body * 3.2, look.body * 2.4
    cw, ch = width - left - look.body, height - bottom - look.body
    unit = cw / n
    for v in range(11):
        y = bottom + ch * v / 10
        d.add(Line(left, y, left + cw, y, strokeColor=RULE if v % 5 else INK, strokeWidth=0.7 if v % 5 == 0 else 0.35))
        d.add(String(left - 5, y - 3, str(v), fontName=BODY, fontSize=look.small * 0.85, fillColor=INK, textAnchor="end"))
    for i in range(n + 1):
        d.add(Line(left + i * unit, bottom, left + i * unit, bottom + ch, strokeColor=RULE, strokeWidth=0.35))
    for i in range(n):
        if n <= 26 or i % 2 == 0:
            d.add(String(left + (i + 0.5) * unit, bottom - look.small * 1.1, str(i + 1), fontName=BODY, fontSize=look.small * 0.85, fillColor=INK, textAnchor="middle"))
    d.add(String(left + cw / 2, 0, "Week", fontName=BODY, fontSize=look.small * 0.9, fillColor=INK, textAnchor="middle"))
    d.add(String(0, bottom + ch + 3, "pain", fontName=BODY, fontSize=look.small * 0.85, fillColor=INK))
    return d


def _canvas_maker(footer_left: str, header: str, look: Look, warnings: Warnings, meta: dict[str, str]) -> Callable[..., Canvas]:
    class _NumberedCanvas(Canvas):
        """Holds pages back until the end so each footer can say 'Page x of y'."""

        def __init__(self, *args, **kwargs):
            kwargs["invariant"] = 1
            kwargs["lang"] = "en"
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self.setTitle(meta["title"])
            self.setAuthor(meta["author"])
            self.setSubject(meta["subject"])
            self.setCreator("hamrehab")
            self.setKeywords(meta["keywords"])
            self.showOutline()

        def showPage(self):  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _decorate(self, total: int) -> None:
            w, _h = self._pagesize
            size = max(look.small * 0.9, 8.5)
            self.setFillColor(MUTED)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, MARGIN * 0.75, w - MARGIN, MARGIN * 0.75)
            draw_string(self, MARGIN, MARGIN * 0.75 - size - 2, footer_left, size, warnings=warnings)
            draw_string(self, w - MARGIN, MARGIN * 0.75 - size - 2, f"Page {self._pageNumber} of {total}", size, bold=True, align="right")
            if header:
                draw_string(self, w - MARGIN, self._pagesize[1] - MARGIN * 0.6, header, size, align="right", warnings=warnings)

    return _NumberedCanvas


def render_pdf(plan: Plan, *, page_size: str = "a4", large_print: bool = False, clinic: Clinic | None = None,
               warnings: Warnings | None = None) -> bytes:
    """The handout as PDF bytes. `warnings` collects characters no font could print."""
    register()
    warnings = warnings if warnings is not None else Warnings()
    look = LARGE if large_print else NORMAL
    size = PAGE_SIZES[page_size]
    width = size[0] - 2 * MARGIN
    writer = _Writer(plan, look, clinic, warnings, width)
    if plan.referral is not None:
        writer.referral()
    else:
        writer.cover()
        writer.about()
        writer.cards()
        writer.weeks()
        writer.progress()
        writer.sources()
    r = plan.request
    who = r.name or r.patient_id
    footer = "  |  ".join(x for x in (who, plan.diagnosis_name, f"plan starting {r.start.isoformat()}") if x)
    who = who or "you"
    meta = {
        "title": f"Rehab plan for {who}: {plan.diagnosis_name}" if plan.referral is None else f"Referral for {who}: {plan.diagnosis_name}",
        "author": (clinic.clinician or clinic.name) if clinic else "hamrehab",
        "subject": plan.plain_name,
        "keywords": f"hamstring, rehabilitation, {plan.diagnosis}",
    }
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
                          title=meta["title"], author=meta["author"], subject=meta["subject"], creator="hamrehab",
                          keywords=meta["keywords"], invariant=1, lang="en")
    frame = Frame(MARGIN, MARGIN, width, size[1] - 2 * MARGIN, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(writer.flow, canvasmaker=_canvas_maker(footer, clinic.name if clinic else "", look, warnings, meta))
    return buf.getvalue()
