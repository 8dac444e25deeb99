"""The exercise drawings replayed from recorded operators (hamrehab/render/pdf/figurecache.py) write the same
bytes as ReportLab's renderPDF, in any document, for every figure of the catalogue, in every size a handout uses."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.pdfgen.canvas import Canvas

from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.render.figures import figure_drawing
from hamrehab.render.fonts import register
from hamrehab.render.fonts.faces import BODY
from hamrehab.render.pdf import render_pdf
from hamrehab.render.pdf.figurecache import _figure, _FigureFlowable, record

from .conftest import shipped_catalogue

SIZES = ((493.2, 92.0), (493.2, 130.0), (230.0, 70.0))  # a card's box, in large print, and a compact column


def _page(draw) -> str:
    """What `draw(canvas)` writes on a canvas that has used fonts before, in another order than a scratch canvas."""
    register()
    canvas = Canvas(io.BytesIO(), invariant=1)
    canvas.setFont(BODY, 9)
    canvas.drawString(0, 0, "Zoë Ñúñez - 王小明 first")  # the body font and its fallbacks take the first internal names
    canvas.setFont("Helvetica-Bold", 11)
    canvas.saveState()
    canvas.translate(20, 30)
    draw(canvas)
    canvas.restoreState()
    canvas.drawString(0, 0, "after")  # the state the drawing leaves behind: the same font, the same colour
    return canvas.getCurrentPageContent()


def _replayed(drawing: Drawing, canvas: Canvas) -> None:
    flowable = _FigureFlowable(type("Cached", (), {"drawing": drawing, "drawn": True, "steps": record(drawing)})())
    assert flowable.cached.steps, "a figure of the catalogue could not be replayed"
    flowable.canv = canvas
    flowable.draw()


@pytest.mark.parametrize("width,height", SIZES)
def test_every_figure_replayed_writes_what_renderpdf_writes(width, height):
    register()
    for ex in shipped_catalogue().exercises.values():
        for font in (BODY, "Helvetica"):
            drawing = figure_drawing(ex.figure, width, height, font_name=font)
            want = _page(lambda c, d=drawing: renderPDF.draw(d, c, 0, 0))
            assert _page(lambda c, d=drawing: _replayed(d, c)) == want, (ex.id, font, width, height)


def test_a_drawing_that_names_a_document_resource_is_never_replayed():
    """A transparent fill names an ExtGState of its document, which another document does not have."""
    see_through = Drawing(50, 50, Rect(0, 0, 10, 10, fillColor=None, strokeColor=None), String(5, 5, "x"))
    assert record(see_through) is not None
    see_through.add(Rect(0, 0, 10, 10, fillOpacity=0.5))
    assert record(see_through) is None


def test_a_handout_drawn_cold_recording_and_replaying_is_the_same_pdf():
    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=2, start=dt.date(2026, 3, 2), name="Zoë", equipment=["none"]),
                 shipped_catalogue())
    _figure.cache_clear()
    cold = render_pdf(plan)  # renderPDF draws each figure
    recording = render_pdf(plan)  # each figure is recorded, then replayed
    replayed = [render_pdf(plan, large_print=large) for large in (False, True)]
    cached = list(_figure.by_key.values())
    assert sum(1 for c in cached if c.steps) >= 10
    _figure.cache_clear()
    assert cold == recording == replayed[0] and replayed[1] == render_pdf(plan, large_print=True)
