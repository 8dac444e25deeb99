"""Small custom flowables the handout draws itself: cheaper than ReportLab's general ones, or not offered by it.

A bookmark, plain text without Paragraph parsing, a tick box, a rule and ruled note lines that shrink
to fit. The exercise drawings are figurecache's (re-exported here for the modules that import them from here).
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from .figurecache import CacheInfo, _figure, _FigureFlowable
from .style import INK, RULE, SHADE

__all__ = ["Bookmark", "CacheInfo", "TickBox", "_FigureFlowable", "_NoteLines", "_Rule", "_Text", "_figure", "wrap_lines"]


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


@lru_cache(maxsize=8192)
def wrap_lines(text: str, font_name: str, font_size: float, width: float) -> tuple[str, ...]:
    """simpleSplit, remembered for this process: the lines of `text` in that font, size and width.

    Week grids, cards and batch rosters repeat the same short strings plan after plan (98% of the
    calls in a batch are repeats); the lines depend only on these four values (a font name is
    registered once per process, with fixed metrics), so the PDF bytes are the same with or without it.
    """
    return tuple(simpleSplit(text, font_name, font_size, width)) or ("",)


def write_lines(text: PDFTextObject, lines: Sequence[str]) -> None:
    """Lines from the text object's origin, one leading apart: each but the last moves down with T*, which needs no
    width measured; the last moves across as usual, so a reader (or copy and paste) sees no line break after it,
    and the cell's label and value read as one line, as they are printed."""
    for line in lines[:-1]:
        text.textLine(line)
    if lines:
        text.textOut(lines[-1])


class _Text(Flowable):
    """Plain text in one font, wrapped with simpleSplit: a light stand-in for a Paragraph.

    Week grids and cards repeat hundreds of short, plain strings; parsing each as Paragraph
    markup was most of the render time. Used only for text the body font can print whole.
    """

    def __init__(self, text: str, style: ParagraphStyle, bullet: str | None = None):
        super().__init__()
        self.text, self.style, self.bullet = text, style, bullet
        self._avail: float | None = None
        self._lines: tuple[str, ...] = ()

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        st = self.style
        avail = aw - st.leftIndent - st.rightIndent
        if avail != self._avail:
            self._lines = wrap_lines(self.text, st.fontName, st.fontSize, avail)
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
        if st.alignment == TA_CENTER:
            for line in self._lines:
                room = self.width - st.leftIndent - st.rightIndent
                text.setTextOrigin(st.leftIndent + (room - c.stringWidth(line, st.fontName, st.fontSize)) / 2, y)
                text.textOut(line)
                y -= st.leading
        else:
            text.setTextOrigin(st.leftIndent, y)
            write_lines(text, self._lines)
        c.drawText(text)


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
    """A thin line across the frame: the end of an exercise card."""

    def __init__(self, width: float, colour: colors.Color = SHADE):
        super().__init__()
        self.width, self.colour = width, colour

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, 4

    def draw(self) -> None:
        self.canv.setStrokeColor(self.colour)
        self.canv.setLineWidth(0.6)
        self.canv.line(0, 2, self.width, 2)
