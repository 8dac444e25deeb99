"""Cells (hamrehab/render/pdf/cells.py) lays flowables out exactly as ReportLab's Table did for the cards and banners:
the same height, every flowable drawn at the same place, each wrapped once instead of again at every measure."""
from __future__ import annotations

import io

import pytest
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table, TableStyle

from hamrehab.render.pdf.cells import Cells, Pad


class Probe(Flowable):
    """A box of a given size and spacing that records where it is drawn and how often it is wrapped."""

    def __init__(self, name: str, height: float, before: float = 0, after: float = 0, log: list | None = None):
        super().__init__()
        self.name, self.h, self.spaceBefore, self.spaceAfter, self.log = name, height, before, after, log
        self.wraps = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.wraps += 1
        self.avail = aw
        return aw, self.h

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802, N803 (ReportLab's names)
        self.log.append((self.name, round(x, 6), round(y, 6), round(self.avail, 6)))


def _cells(log: list) -> list[list[list[Probe]]]:
    return [[[Probe("a1", 12, 0, 2, log), Probe("a2", 30, 4, 3, log), Probe("a3", 9, 5, 1, log)],
             [Probe("b1", 8, 0, 0, log), Probe("b2", 70, 6, 6, log)]],
            [[Probe("c1", 14, 3, 3, log)], [Probe("d1", 5, 0, 0, log)]]]


def _drawn(flowable: Flowable) -> tuple[float, float]:
    canvas = Canvas(io.BytesIO())
    size = flowable.wrapOn(canvas, 500, 10_000)
    flowable.drawOn(canvas, 0, 0)
    return size


@pytest.mark.parametrize("pads,style", [
    ((Pad(left=0, top=0, bottom=0),), [("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]),  # a card's two columns
    ((Pad(left=0),), [("LEFTPADDING", (0, 0), (-1, -1), 0)]),  # a card's heading
    ((Pad(left=8, top=4), Pad(left=8, top=4, bottom=6)), [("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 4),
                                                          ("BOTTOMPADDING", (0, -1), (-1, -1), 6)]),  # a banner
])
def test_cells_lay_out_and_draw_exactly_as_a_table(pads, style):
    widths = [300.0, 180.0]
    by_table: list = []
    table = Table(_cells(by_table), colWidths=widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *style]))
    by_cells: list = []
    cells = Cells(_cells(by_cells), widths, pads, background=colors.red)
    assert _drawn(cells) == _drawn(table)
    assert sorted(by_cells) == sorted(by_table) and len(by_cells) == 7


def test_each_flowable_is_wrapped_once_however_often_the_cells_are_measured():
    log: list = []
    rows = _cells(log)
    cells = Cells(rows, [300.0, 180.0])
    canvas = Canvas(io.BytesIO())
    for _ in range(3):  # measured for the page's fit, by the frame, again on a shrunk page
        cells.wrapOn(canvas, 500, 10_000)
    cells.drawOn(canvas, 0, 0)
    assert {p.wraps for row in rows for cell in row for p in cell} == {1}
