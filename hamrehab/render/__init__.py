"""Renderers: a Plan in, bytes out. Nothing here writes files.

Imported lazily by format so that `--format json` never pays for loading ReportLab.
"""
from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from ..exceptions import InputError

if TYPE_CHECKING:  # the format tables below are read by every command; the plan's types only by a render
    from ..plan import Plan

FORMATS: dict[str, tuple[str, str]] = {
    "pdf": ("hamrehab.render.pdf", "render_pdf"),
    "json": ("hamrehab.render.json", "render_json"),
    "text": ("hamrehab.render.text", "render_text"),
    "ics": ("hamrehab.render.ics", "render_ics"),
}
EXTENSIONS = {".pdf": "pdf", ".json": "json", ".txt": "text", ".text": "text", ".ics": "ics"}
SUFFIXES = {"pdf": ".pdf", "json": ".json", "text": ".txt", "ics": ".ics"}
PDF_ONLY = ("page_size", "large_print", "clinic", "warnings", "handout")


def renderer(fmt: str) -> Callable[..., bytes]:
    """The render function of a format name."""
    try:
        module, name = FORMATS[fmt]
    except KeyError:
        raise InputError(f"--format: '{fmt}' is not available; accepted: {', '.join(FORMATS)}") from None
    return getattr(import_module(module), name)


def render(plan: Plan, fmt: str, **options: object) -> bytes:
    """The plan in one format, as bytes; PDF-only options are ignored by the other formats."""
    if fmt != "pdf":
        options = {k: v for k, v in options.items() if k not in PDF_ONLY}
    return renderer(fmt)(plan, **options)
