"""Small custom flowables the handout draws itself: cheaper than ReportLab's general ones, or not offered by it.

A bookmark, plain text without Paragraph parsing, a tick box, a rule, ruled note lines that shrink
to fit, and the exercise drawings replayed from a cached stream of PDF operators.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from typing import NamedTuple

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Flowable

from ...model import Figure
from ..figures import figure_drawing
from .style import INK, RULE, SHADE


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
        for line in self._lines:
            x = st.leftIndent
            if st.alignment == TA_CENTER:
                x += (self.width - st.leftIndent - st.rightIndent - c.stringWidth(line, st.fontName, st.fontSize)) / 2
            text.setTextOrigin(x, y)
            text.textOut(line)
            y -= st.leading
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


# A drawing depends only on the pose data and the box: built once per thread (the geometry of poses and
# props is the costly part) and reused by every plan a worker renders, drawn with ReportLab's public
# renderPDF. Per thread, because renderPDF marks the drawing while it draws it: two documents rendered at
# once (a thread pool, the web app) must never share one. Each exercise appears once per handout, so a
# per-document form would save nothing.
class CacheInfo(NamedTuple):
    """As functools.lru_cache reports it."""

    hits: int
    misses: int
    maxsize: int
    currsize: int


class _Drawings(threading.local):
    """The drawings this thread has built, by figure and box; the same calls as an lru_cache."""

    def __init__(self, maxsize: int = 512) -> None:
        self.maxsize, self.hits, self.misses = maxsize, 0, 0
        self.by_key: dict[tuple[Figure, float, float, str], Drawing] = {}

    def __call__(self, figure: Figure, width: float, height: float, font_name: str) -> Flowable:
        key = (figure, width, height, font_name)
        drawing = self.by_key.get(key)
        if drawing is None:
            self.misses += 1
            if len(self.by_key) >= self.maxsize:
                self.by_key.clear()
            drawing = self.by_key[key] = figure_drawing(figure, width, height, font_name=font_name)
        else:
            self.hits += 1
        return _FigureFlowable(drawing)

    def cache_clear(self) -> None:
        self.by_key.clear()
        self.hits = self.misses = 0

    def cache_info(self) -> CacheInfo:
        return CacheInfo(self.hits, self.misses, self.maxsize, len(self.by_key))


_figure = _Drawings()


class _FigureFlowable(Flowable):
    """A pre-built Drawing placed in the flow: the same shapes, in any number of documents."""

    def __init__(self, drawing: Drawing):
        super().__init__()
        self.drawing = drawing
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        renderPDF.draw(self.drawing, self.canv, 0, 0)


