"""The ruled grid of the week pages: the exercises with their tick boxes, and the pain log.

Drawn straight onto the canvas rather than through ReportLab's Table, which was a third of the
render time. Only for text the body font prints whole; weeks.py falls back to a Table otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from ..fonts import BODY
from .flowables import wrap_lines, write_lines
from .style import INK, PALE, RULE, SHADE


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

    label_style: ParagraphStyle = ParagraphStyle("grid_label", fontName=BODY, fontSize=8, leading=9, textColor=INK)

    def __init__(self, widths: list[float], rows: list[list[_Cell]], box: float, header_rows: int = 1, pad: float = 3,
                 whole: bool = False):
        super().__init__()
        self.widths, self.rows, self.box, self.header_rows, self.pad = widths, rows, box, header_rows, pad
        self.whole = whole  # never split: a page that cannot hold it all sends it whole to the next
        self._heights: list[float] | None = None

    def _cell_width(self, col: int, span: int) -> float:
        return sum(self.widths[col:col + span])

    def _lines(self, text: str, st: ParagraphStyle, width: float) -> tuple[str, ...]:
        return wrap_lines(text, st.fontName, st.fontSize, width - 2 * self.pad)

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
        if self.whole:
            return []
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
        pen = _Pen(text)
        edges = [0.0]
        for w in self.widths:
            edges.append(edges[-1] + w)
        y_top = self.height
        for r, row in enumerate(self.rows):
            h = self._heights[r]
            col = 0
            for cell in row:
                x, w = edges[col], edges[col + cell.span] - edges[col]
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
                        pen.use(st)
                        text.setTextOrigin(x + (w - c.stringWidth(cell.label, st.fontName, st.fontSize)) / 2, by + self.box * 0.35 + 1)
                        text.textOut(cell.label)
                blocks = [(self._lines(t, st, w), st) for t, st in cell.texts]
                content = sum(len(lines) * st.leading for lines, st in blocks)
                ty = y_top - (h - content) / 2
                for lines, st in blocks:
                    pen.use(st)
                    lift = (st.leading - st.fontSize) * 0.55
                    if cell.centre:
                        for line in lines:
                            ty -= st.leading
                            text.setTextOrigin(x + (w - c.stringWidth(line, st.fontName, st.fontSize)) / 2, ty + lift)
                            text.textOut(line)
                    else:
                        text.setTextOrigin(x + self.pad, ty - st.leading + lift)
                        write_lines(text, lines)
                        ty -= st.leading * len(lines)
            y_top -= h
        c.drawText(text)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        y = self.height
        rules: list[tuple[float, float, float, float]] = []  # every rule in one path: one stroke for the grid
        for r, row in enumerate(self.rows):
            h = self._heights[r]
            rules += [(0, y, self.width, y), (0, y, 0, y - h)]
            col = 0
            for cell in row:
                col += cell.span
                rules.append((edges[col], y, edges[col], y - h))
            y -= h
        rules.append((0, y, self.width, y))
        c.lines(rules)


class _Pen:
    """A text object's font and colour, set only when they change: a grid's hundreds of cells mostly share one
    style, and each needless Tf or colour operator costs ReportLab time and the PDF bytes."""

    def __init__(self, text: PDFTextObject):
        self.text = text
        self.font: tuple[str, float, float] | None = None
        self.ink: object = None

    def use(self, st: ParagraphStyle) -> None:
        font = (st.fontName, st.fontSize, st.leading)
        if font != self.font:
            self.text.setFont(*font)
            self.font = font
        if st.textColor != self.ink:
            self.text.setFillColor(st.textColor)
            self.ink = st.textColor
