"""`hamrehab serve`: the whole tool in a browser, on this computer, for people who don't use a terminal.

Starlette routes and Jinja2 templates (auto-escaped) over the library: the web app only reads forms
and calls `make_request`, `build_plan`, the renderers, `load_clinic`, `generate_batch` and triage;
it implements no rule of its own. Modules: app (the application and its error pages), security (host
and token checks, CSRF, body caps, headers), uploads (private temporary folders), forms (the New plan
fields), tailoring (drop, swap, re-dose in the preview), views (template filters), routes_plan,
routes_triage, routes_roster, routes_catalogue, and cli (the `serve` command).
"""
from __future__ import annotations

from typing import Any

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    """Import the app only when it is used, so `hamrehab plan` never loads the web stack."""
    if name in __all__:
        from . import app
        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
