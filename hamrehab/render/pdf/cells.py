"""Flowables in padded cells, side by side and in rows: the card's two columns and heading, and the banners.

ReportLab's Table laid these out, but wraps every cell's flowables again each time it is measured and once
more when it draws (a card's Paragraphs three times or more), which made these few simple layouts a sixth of
a render. Cells lays them out the same way (the same cell heights, paddings, top alignment and background)
from one measurement per width, and draws each flowable where Table would.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.platypus import Flowable


@dataclass(frozen=True)
class Pad:
    """A cell's padding, in points; ReportLab Table's defaults."""

    left: float = 6
    right: float = 6
    top: float = 3
    bottom: float = 3


Cell = Sequence[Flowable]


class Cells(Flowable):
    """Rows of cells, each cell a stack of flowables at the top of its cell; one row never splits across pages.

    `pads` gives each row's padding (the last one repeats for the rows after it); `background` fills the whole.
    """

    def __init__(self, rows: Sequence[Sequence[Cell]], widths: Sequence[float], pads: Sequence[Pad] = (Pad(),),
                 background: colors.Color | None = None):
        super().__init__()
        self.rows, self.widths, self.background = rows, tuple(widths), background
        self.pads = [pads[min(r, len(pads) - 1)] for r in range(len(rows))]
        self._measured: tuple[list[float], list[list[list[float]]]] | None = None  # (row heights, flowable heights)

    def _measure(self) -> tuple[list[float], list[list[list[float]]]]:
        """Each row's height and each flowable's, as Table measures them: a cell's flowables one under another
        with their space between (not before the first or after the last), plus the padding. The widths are fixed,
        so once is enough; the flowables keep what they wrapped to, for the draw."""
        if self._measured is not None:
            return self._measured
        row_heights: list[float] = []
        heights: list[list[list[float]]] = []
        for row, pad in zip(self.rows, self.pads, strict=True):
            tallest, cells = 0.0, []
            for cell, width in zip(row, self.widths, strict=True):
                avail = width - pad.left - pad.right
                hs = [v.wrapOn(getattr(self, "canv", None), avail, 72000)[1] for v in cell]
                if cell:
                    total = sum(h + v.getSpaceBefore() + v.getSpaceAfter() for v, h in zip(cell, hs, strict=True))
                    tallest = max(tallest, total - cell[0].getSpaceBefore() - cell[-1].getSpaceAfter())
                cells.append(hs)
            row_heights.append(tallest + pad.top + pad.bottom)
            heights.append(cells)
        self._measured = (row_heights, heights)
        return self._measured

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        row_heights, _ = self._measure()
        self.width, self.height = sum(self.widths), sum(row_heights)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        row_heights, heights = self._measure()
        if self.background is not None:
            c.setFillColor(self.background)
            c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        top = self.height
        for row, pad, row_height, cells in zip(self.rows, self.pads, row_heights, heights, strict=True):
            x = 0.0
            for cell, width, hs in zip(row, self.widths, cells, strict=True):
                y = top - pad.top + (cell[0].getSpaceBefore() if cell else 0)
                for v, h in zip(cell, hs, strict=True):
                    y -= v.getSpaceBefore() + h
                    v.drawOn(c, x + pad.left, y)
                    y -= v.getSpaceAfter()
                x += width
            top -= row_height
