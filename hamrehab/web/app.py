"""The Starlette application: one catalogue, one private temp folder, the routes, and plain error pages.

`create_app(settings)` builds it; `hamrehab serve` runs it with uvicorn. Nothing about a patient is
kept between requests: every page is computed from what the form sends, and uploads live only in a
per-request folder (a roster's batch folder until its zip is downloaded, or for `job_ttl_s`).
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..catalogue import Catalogue, load_catalogue
from ..model import URGENCIES
from .security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    BodyTooLarge,
    CsrfFailed,
    Guard,
    GuardMiddleware,
    is_loopback,
    verify_csrf,
)
from .uploads import make_root

log = logging.getLogger("hamrehab.web")
STATIC = Path(__file__).parent / "static"
MAX_FORM_FIELDS = 1000
MAX_FORM_FILES = 4
MAX_FIELD_BYTES = 256 * 1024


@dataclass
class Settings:
    """How the server runs: where it listens, its access token off loopback, and its limits."""

    host: str = "127.0.0.1"
    token: str | None = None
    tmp_root: Path | None = None
    job_ttl_s: float = 3600.0
    max_roster_rows: int = 500
    batch_jobs: int | None = None
    today: Callable[[], dt.date] = dt.date.today


@dataclass
class WebApp:
    """What every route reads: the settings, the catalogue, the templates, the secrets and the temp root."""

    settings: Settings
    catalogue: Catalogue
    env: Environment
    guard: Guard
    root: Path
    jobs: dict[str, Any] = field(default_factory=dict)

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A page or fragment from a template, with the CSRF token and the current path for the navigation."""
        context.setdefault("csrf", request.scope.get("state", {}).get("csrf", ""))
        context.setdefault("path", request.url.path)
        # each urgency's short label, most urgent first, as triage and the red-flag file say it ("today")
        said = self.catalogue.red_flags.urgencies
        context.setdefault("urgency_labels", {u: said[u].label for u in sorted(said, key=URGENCIES.index)})
        return HTMLResponse(self.env.get_template(template).render(**context), status_code=status)

    async def form(self, request: Request) -> FormData:
        """The posted form, bounded in fields, files and part size, after the CSRF check."""
        form = await request.form(max_files=MAX_FORM_FILES, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FIELD_BYTES)
        verify_csrf(self.guard, form.get(CSRF_FIELD), request.cookies.get(CSRF_COOKIE), request.headers)
        return form


def web(request: Request) -> WebApp:
    """The WebApp of the app serving this request."""
    return request.app.state.web


def _environment() -> Environment:
    from . import views

    env = Environment(loader=PackageLoader("hamrehab.web", "templates"), autoescape=select_autoescape(["html", "svg"]),
                      trim_blocks=True, lstrip_blocks=True)
    views.install(env)
    return env


async def _error(request: Request, status: int, message: str) -> Response:
    try:
        return web(request).page(request, "error.html", status=status, status_code=status, message=message)
    except Exception:
        log.exception("error page failed")
        return HTMLResponse(f"<!doctype html><title>hamrehab</title><p>{status}: something went wrong.</p>", status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    words = {404: "There is no page at this address.", 405: "This page cannot be used that way: use the buttons on the page.",
             400: "The form could not be read. Reload the page and try again.",
             413: "That upload is too large."}
    return await _error(request, exc.status_code, words.get(exc.status_code, str(exc.detail)))


async def csrf_error(request: Request, exc: Exception) -> Response:
    log.warning("refused a form post: %s", exc)
    return await _error(request, 403, "This form has expired, or it came from another web site. Go back, reload the page "
                                      "and try again.")


async def too_large(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BodyTooLarge)
    return await _error(request, 413, f"That upload is too large: at most {exc.limit // (1024 * 1024)} MB can be sent here.")


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return await _error(request, 500, "Something went wrong on our side, and nothing was saved. Please try again; if it "
                                      "happens again, note what you did and tell whoever looks after hamrehab.")


def create_app(settings: Settings | None = None, catalogue: Catalogue | None = None) -> GuardMiddleware:
    """The ASGI app, wrapped in the security layer (host/token checks, body caps, CSRF cookie, headers)."""
    from . import routes_catalogue, routes_plan, routes_roster, routes_triage

    settings = settings or Settings()
    if settings.token is None and not is_loopback(settings.host):
        raise ValueError(f"an access token is needed to listen on {settings.host}")
    root = settings.tmp_root or make_root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    state = WebApp(settings, catalogue or load_catalogue(), _environment(),
                   Guard(token=settings.token, loopback=is_loopback(settings.host) and settings.token is None), root)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        reaper = asyncio.create_task(routes_roster.reap_forever(state))
        try:
            yield
        finally:
            reaper.cancel()
            routes_roster.stop_all(state)
            shutil.rmtree(root, ignore_errors=True)

    routes = [
        Route("/", routes_catalogue.home),
        *routes_plan.ROUTES, *routes_triage.ROUTES, *routes_roster.ROUTES, *routes_catalogue.ROUTES,
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    handlers: dict[Any, Any] = {HTTPException: http_error, CsrfFailed: csrf_error, BodyTooLarge: too_large, Exception: server_error}
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
    app.state.web = state
    guarded = GuardMiddleware(app, state.guard)
    guarded.web = state  # for tests and the benchmark: the temp root, the jobs
    return guarded
