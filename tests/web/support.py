"""Helpers for the web tests (no tests here): an app on a private temp folder, the CSRF token, form data."""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from hamrehab.web import Settings, create_app

from ..conftest import shipped_catalogue
from ..pdftext import pdf_text  # noqa: F401 - re-exported for the web tests

TODAY = dt.date(2026, 3, 2)
BASE = "http://127.0.0.1"


def make_app(tmp_path: Path, **settings: Any) -> Any:
    root = tmp_path / "web-tmp"
    return create_app(Settings(tmp_root=root, today=lambda: TODAY, batch_jobs=1, **settings), catalogue=shipped_catalogue())


def csrf(client: TestClient, path: str = "/plan") -> str:
    """The page's CSRF token (the client keeps the matching cookie)."""
    page = client.get(path)
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def plan_form(token: str, **fields: Any) -> dict[str, Any]:
    """A New plan form as the page posts it, with the given fields changed."""
    form: dict[str, Any] = {"csrf": token, "equipment_shown": "1", "diagnosis": "hamstring-strain", "side": "left",
                            "start": TODAY.isoformat(), "days_per_week": "3", "pain": "0", "page_size": "a4", "handout": "full",
                            "equipment": ["chair", "step", "towel", "wall", "anchor-or-partner", "ice-pack", "heat-pack"],
                            "stage_for": "hamstring-strain"}
    form.update(fields)
    return form


def error_slot(html: str, field: str) -> str:
    """The text of a field's message slot."""
    match = re.search(rf'<p class="field-error" id="err-{re.escape(field)}"[^>]*>(.*?)</p>', html, re.DOTALL)
    assert match, f"no message slot for {field}"
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("Problem: ", "").strip()


def unescape(text: str) -> str:
    import html

    return html.unescape(text)


def leftovers(app: Any) -> list[Path]:
    """Everything in the app's temp folder except roster jobs still waiting for their download."""
    root: Path = app.web.root
    return [p for p in root.rglob("*") if not any(part.startswith("job-") for part in p.relative_to(root).parts)]


def png_bytes(size: tuple[int, int] = (40, 20), fmt: str = "PNG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (10, 90, 120)).save(out, fmt)
    return out.getvalue()

