"""The home page, the exercise catalogue (filters, each exercise in full) and the drawings as SVG.

The drawings are the handout's own (`figure_drawing`), turned into SVG by ReportLab and kept in
memory once made: they are catalogue data, nothing about a patient.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from ..catalogue import Catalogue
from ..listing import dose_text, select, usable_for
from ..vocab import CATEGORIES, DIAGNOSES, PHASE_TAGS
from .app import web
from .forms import equipment_choices
from .security import SVG_CSP

FIGURE_W, FIGURE_H = 320, 150
FONTS = {"regular": "AtkinsonHyperlegible-Regular.ttf", "bold": "AtkinsonHyperlegible-Bold.ttf"}
_XML_HEAD = re.compile(r"^<\?xml[^>]*>\s*<!DOCTYPE[^>]*>\s*", re.DOTALL)


@lru_cache(maxsize=512)
def _svg(catalogue_id: int, exercise_id: str, name: str, figure_json: str) -> bytes:
    from reportlab.graphics import renderSVG

    from ..model import Figure
    from ..render.figures import figure_drawing

    figure = Figure.model_validate_json(figure_json)
    text = renderSVG.drawToString(figure_drawing(figure, FIGURE_W, FIGURE_H))
    text = _XML_HEAD.sub("", text).replace("<title>...</title>", f"<title>{_escape(name)}: start and end positions</title>", 1)
    return text.replace("<desc>...</desc>", "", 1).encode("utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def figure_svg(catalogue: Catalogue, exercise_id: str) -> bytes | None:
    """An exercise's drawing as SVG bytes (None for an unknown id)."""
    ex = catalogue.exercises.get(exercise_id)
    if ex is None:
        return None
    return _svg(id(catalogue), ex.id, ex.name, ex.figure.model_dump_json())


async def home(request: Request) -> Response:
    return web(request).page(request, "home.html")


async def figure(request: Request) -> Response:
    data = figure_svg(web(request).catalogue, request.path_params["exercise"])
    if data is None:
        return Response("no such drawing", status_code=404, media_type="text/plain")
    return Response(data, media_type="image/svg+xml", headers={"content-security-policy": SVG_CSP,
                                                              "cache-control": "public, max-age=3600"})


def font(request: Request) -> Response:
    """A font file for the pages (sync: Starlette runs it in a thread, so the file look-up never blocks the loop)."""
    import fontpkg_atkinson_hyperlegible as package

    name = FONTS.get(request.path_params["face"])
    path = Path(package.__file__).resolve().parent / "files" / name if name else None
    if path is None or not path.is_file():
        return Response("no such font", status_code=404, media_type="text/plain")
    return FileResponse(path, media_type="font/ttf", headers={"cache-control": "public, max-age=86400"})


def _choice(request: Request, name: str, allowed: tuple[str, ...]) -> str:
    value = request.query_params.get(name, "")
    return value if value in allowed else ""


async def exercises(request: Request) -> Response:
    w = web(request)
    category = _choice(request, "category", CATEGORIES)
    safe_for = _choice(request, "safe_for", DIAGNOSES)
    phase = _choice(request, "phase", PHASE_TAGS) if safe_for else ""
    kit = tuple(e for e in request.query_params.getlist("equipment") if e in dict(equipment_choices()))
    filtered = "equipment_shown" in request.query_params
    chosen = select(w.catalogue, category or None, kit + ("none",) if filtered else (), safe_for or None, phase or None)
    names = {pid: p.name for pid, p in w.catalogue.protocols.items()}
    return w.page(request, "exercises.html", chosen=chosen, category=category, safe_for=safe_for, phase=phase, kit=kit,
                  filtered=filtered, categories=CATEGORIES, diagnoses=sorted(names.items(), key=lambda kv: kv[1]),
                  phases=PHASE_TAGS, equipment=equipment_choices(), dose_text=dose_text, total=len(w.catalogue.exercises))


async def exercise(request: Request) -> Response:
    w = web(request)
    ex = w.catalogue.exercises.get(request.path_params["exercise"])
    if ex is None:
        return w.page(request, "error.html", status=404, status_code=404, message="There is no exercise with that name.",
                      retry="/exercises")
    names = {pid: p.name for pid, p in w.catalogue.protocols.items()}
    safe = [(names.get(d, d), [t for t in PHASE_TAGS if ex.contraindicated(d, t) is None]) for d in DIAGNOSES if usable_for(ex, d)]
    related = [(label, [w.catalogue.exercises[i] for i in ids if i in w.catalogue.exercises])
               for label, ids in (("Easier", ex.easier), ("Harder", ex.harder), ("Without the equipment", ex.substitutes))]
    refs = [w.catalogue.references[k] for k in ex.sources if k in w.catalogue.references]
    return w.page(request, "exercise.html", ex=ex, dose=dose_text(ex.dosage), safe=safe, related=related, refs=refs,
                  names=names)


ROUTES = [
    Route("/exercises", exercises),
    Route("/exercises/{exercise}", exercise),
    Route("/figures/{exercise}.svg", figure),
    Route("/fonts/{face}.ttf", font),
]
