"""The exercise drawings of the handout: built once per thread, and once a drawing has been drawn, replayed
as the PDF operators ReportLab wrote for it.

Why: the drawings are about a fifth of a warm handout's render (renderPDF walks some thirty shapes a figure,
working out and formatting each one's state), and a worker of a batch, or `hamrehab serve`, draws the same
figures plan after plan. A drawing depends only on its figure and box, so its shapes' operators are the same
text in every document. Only the labels depend on the document (which internal name a font has there, which
subset a character falls in), so they are never replayed as text: each is the same canvas call again.

How, through ReportLab's public API: the second time a drawing is drawn in a thread, renderPDF draws it once
more on a scratch canvas whose `setFont` and `drawString` mark where they wrote (`addLiteral`), and the page's
content (`getCurrentPageContent`) is cut at the marks. From then on the drawing is the shapes' operators
(`addLiteral`) with the same `setFont`/`drawString` calls between them, on the handout's own canvas: the same
bytes as renderPDF writes (tests/test_figure_replay.py compares them for every exercise, in every look). A
drawing whose shapes' operators name a document resource (a `/Name`, as transparency would) is never replayed.

Per thread, because renderPDF marks the drawing while it draws it: two documents rendered at once (a thread
pool, the web app) must never share one. The replayed operators are plain strings, but stay with their drawing.
"""
from __future__ import annotations

import io
import re
import threading
from typing import Any, NamedTuple

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ...model import Figure
from ..figures import figure_drawing

_MARK = "%hamrehab-call"  # a PDF comment: a mark that reached a page would draw nothing
_CUT = re.compile(rf"{_MARK} (\d+) (?:begin|end)")
Call = tuple[str, tuple[Any, ...]]  # (canvas method, its arguments)
Steps = tuple["str | Call", ...]  # operators to add literally, and canvas calls between them


class _Recorder(Canvas):
    """A scratch canvas that marks where each call writing document-dependent operators begins and ends."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), invariant=1)
        self.calls: list[Call] = []

    def _around(self, call: Call) -> int:
        self.calls.append(call)
        n = len(self.calls) - 1
        self.addLiteral(f"{_MARK} {n} begin")
        return n

    def setFont(self, psfontname: str, size: float, leading: float | None = None) -> None:  # noqa: N802 (ReportLab's name)
        n = self._around(("setFont", (psfontname, size, leading)))
        super().setFont(psfontname, size, leading)
        self.addLiteral(f"{_MARK} {n} end")

    def drawString(self, x: float, y: float, text: str, mode: Any = None, charSpace: float = 0,  # noqa: N802, N803 (ReportLab's names)
                   direction: Any = None, wordSpace: Any = None, shaping: bool = False) -> None:  # noqa: N803
        n = self._around(("drawString", (x, y, text, mode, charSpace, direction, wordSpace, shaping)))
        super().drawString(x, y, text, mode, charSpace, direction, wordSpace, shaping)
        self.addLiteral(f"{_MARK} {n} end")


def record(drawing: Drawing) -> Steps | None:
    """What renderPDF writes for the drawing, as steps to replay on any canvas; None when it cannot be replayed."""
    scratch = _Recorder()
    scratch.addLiteral(f"{_MARK} -1 begin")
    renderPDF.draw(drawing, scratch, 0, 0)
    scratch.addLiteral(f"{_MARK} -1 end")
    content = scratch.getCurrentPageContent()
    body = content[content.index(f"{_MARK} -1 begin") + len(f"{_MARK} -1 begin\n"):content.rindex(f"\n{_MARK} -1 end")]
    pieces: list[str | Call] = []
    at, inside = 0, False
    for m in _CUT.finditer(body):  # begin and end marks, in turn: what lies between them is the call's own
        if not inside:
            pieces += [body[at:m.start()].strip("\n"), scratch.calls[int(m.group(1))]]
        at, inside = m.end(), not inside
    pieces.append(body[at:].strip("\n"))
    if any(isinstance(p, str) and "/" in p for p in pieces):
        return None  # names a resource of the scratch document (a font, a transparency): not portable
    return tuple(p for p in pieces if p != "")


class CacheInfo(NamedTuple):
    """As functools.lru_cache reports it."""

    hits: int
    misses: int
    maxsize: int
    currsize: int


class _Cached:
    """One drawing of this thread, and once it has been drawn, its recorded steps."""

    __slots__ = ("drawing", "drawn", "steps")

    def __init__(self, drawing: Drawing):
        self.drawing, self.drawn = drawing, False
        self.steps: Steps | None = None


class _Drawings(threading.local):
    """The drawings this thread has built, by figure and box; the same calls as an lru_cache."""

    def __init__(self, maxsize: int = 512) -> None:
        self.maxsize, self.hits, self.misses = maxsize, 0, 0
        self.by_key: dict[tuple[Figure, float, float, str], _Cached] = {}

    def __call__(self, figure: Figure, width: float, height: float, font_name: str) -> Flowable:
        key = (figure, width, height, font_name)
        cached = self.by_key.get(key)
        if cached is None:
            self.misses += 1
            if len(self.by_key) >= self.maxsize:
                self.by_key.clear()
            cached = self.by_key[key] = _Cached(figure_drawing(figure, width, height, font_name=font_name))
        else:
            self.hits += 1
        return _FigureFlowable(cached)

    def cache_clear(self) -> None:
        self.by_key.clear()
        self.hits = self.misses = 0

    def cache_info(self) -> CacheInfo:
        return CacheInfo(self.hits, self.misses, self.maxsize, len(self.by_key))


_figure = _Drawings()


class _FigureFlowable(Flowable):
    """A drawing placed in the flow: drawn by renderPDF the first time, replayed from then on."""

    def __init__(self, cached: _Cached):
        super().__init__()
        self.cached = cached
        self.width, self.height = cached.drawing.width, cached.drawing.height

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        cached = self.cached
        if cached.steps is None and cached.drawn:
            cached.steps = record(cached.drawing) or ()  # () : not replayable, always drawn by renderPDF
        if not cached.steps:
            renderPDF.draw(cached.drawing, self.canv, 0, 0)
            cached.drawn = True
            return
        canv = self.canv
        for step in cached.steps:
            if isinstance(step, str):
                canv.addLiteral(step)
            else:
                getattr(canv, step[0])(*step[1])
