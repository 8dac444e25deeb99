"""The page canvas: document metadata, and each page's footer ('Page x of y') and clinic header.

'of y' is only known at the end, so pages are held back until the document is saved.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from ..fonts import Warnings, draw_string
from .style import MARGIN, MUTED, RULE, Look


def _canvas_maker(footer_left: str, header: str, look: Look, warnings: Warnings, meta: dict[str, str]) -> Callable[..., Canvas]:
    """A Canvas class for BaseDocTemplate.build(canvasmaker=...), bound to this handout's footer and metadata."""

    class _NumberedCanvas(Canvas):
        """Holds pages back until the end so each footer can say 'Page x of y'."""

        def __init__(self, *args: Any, **kwargs: Any):
            kwargs["invariant"] = 1
            kwargs["lang"] = "en"
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.setTitle(meta["title"])
            self.setAuthor(meta["author"])
            self.setSubject(meta["subject"])
            self.setCreator("hamrehab")
            self.setKeywords(meta["keywords"])
            self.showOutline()

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
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
