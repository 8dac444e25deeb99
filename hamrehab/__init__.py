"""hamrehab: phased, printable rehab plans for runners with pain at the back of the thigh.

The public API, for scripts and clinic systems:

    from hamrehab import load_catalogue, PlanRequest, build_plan, render_pdf, render_json, generate_batch

    catalogue = load_catalogue()
    plan = build_plan(PlanRequest(diagnosis="hamstring-strain", grade=2, start=date(2026, 3, 2)), catalogue)
    Path("plan.pdf").write_bytes(render_pdf(plan))
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .catalogue import Catalogue, load_catalogue
from .exceptions import HamrehabError, InputError, Problem, ValidationFailed
from .model import Dosage, Exercise, Phase, PlanRequest, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from .batch import BatchSummary
    from .plan import Plan
    from .planner import build as build_plan
    from .render.json import render_json
    from .request import make_request

# Imported on first use (PEP 562), so that `hamrehab exercises` and `validate`, which need the catalogue
# alone, don't load the planner: `from hamrehab import build_plan` works as before.
_LAZY = {"Plan": ("hamrehab.plan", "Plan"), "build_plan": ("hamrehab.planner", "build"),
         "render_json": ("hamrehab.render.json", "render_json"), "make_request": ("hamrehab.request", "make_request")}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        value = getattr(import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hamrehab' has no attribute {name!r}")


def render_pdf(plan: Plan, **options: Any) -> bytes:
    """The PDF handout (options: page_size='a4'|'letter', large_print, clinic, warnings)."""
    from .render.pdf import render_pdf as _render_pdf  # ReportLab loads only when a PDF is wanted

    return _render_pdf(plan, **options)


def render_text(plan: Plan) -> bytes:
    """The plan as plain text."""
    from .render.text import render_text as _render_text

    return _render_text(plan)


def render_ics(plan: Plan) -> bytes:
    """The plan as an iCalendar file."""
    from .render.ics import render_ics as _render_ics

    return _render_ics(plan)


def generate_batch(roster: Any, out: Any, **options: Any) -> BatchSummary:
    """Plans for every row of a roster into a folder; see hamrehab.batch.generate_batch."""
    from .batch import generate_batch as _generate_batch

    return _generate_batch(roster, out, **options)


__all__ = [
    "Catalogue", "Dosage", "Exercise", "HamrehabError", "InputError", "Phase", "Plan", "PlanRequest", "Problem",
    "Protocol", "ValidationFailed", "build_plan", "generate_batch", "load_catalogue", "make_request", "render_ics",
    "render_json", "render_pdf", "render_text",
]
__version__ = "0.1.0"  # the one place: setup.cfg reads it (attr:); --version and the catalogue cache key derive from it
