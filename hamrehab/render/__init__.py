"""Renderers: a Plan in, bytes out. Nothing here writes files.

Imported lazily by format so that `--format json` never pays for loading ReportLab.
"""
from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ..exceptions import InputError
from ..plan import Plan

FORMATS: dict[str, tuple[str, str]] = {
    "json": ("hamrehab.render.json", "render_json"),
    "text": ("hamrehab.render.text", "render_text"),
}
EXTENSIONS = {".json": "json", ".txt": "text", ".text": "text"}


def renderer(fmt: str) -> Callable[..., bytes]:
    """The render function of a format name."""
    try:
        module, name = FORMATS[fmt]
    except KeyError:
        raise InputError(f"--format: '{fmt}' is not available; accepted: {', '.join(FORMATS)}") from None
    return getattr(import_module(module), name)


def render(plan: Plan, fmt: str, **options: object) -> bytes:
    """The plan in one format, as bytes."""
    return renderer(fmt)(plan, **options)
