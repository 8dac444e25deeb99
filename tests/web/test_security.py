"""The web app's defences: headers on every response, the Host check, the access token off loopback, CSRF on
every POST, body and upload limits, and nothing about a patient left in the temp folder."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from hamrehab.web import Settings, create_app
from hamrehab.web.cli import serve
from hamrehab.web.security import CSP, MB

from .support import (
    BASE,
    csrf,
    leftovers,
    make_app,
    plan_form,
    png_bytes,
)

ROOT = Path(__file__).resolve().parents[2]
POSTS = ["/plan", "/plan/preview", "/plan/download/pdf", "/follow-up", "/follow-up/preview", "/follow-up/download/json",
         "/triage", "/roster"]


@pytest.mark.parametrize("path", ["/", "/plan", "/triage", "/exercises", "/static/app.css", "/figures/chair-bridge.svg",
                                  "/fonts/bold.ttf", "/no-such-page"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "'unsafe-eval'" not in headers["content-security-policy"]
    if not path.startswith("/figures/"):
        assert headers["content-security-policy"] == CSP
        assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    static = path.startswith(("/static/", "/figures/", "/fonts/"))
    assert ("no-store" in headers["cache-control"]) != static


def test_pages_have_no_inline_script_or_style(client):
    for path in ["/", "/plan", "/triage", "/follow-up", "/roster", "/exercises", "/exercises/chair-bridge"]:
        page = client.get(path).text
        assert re.search(r"<script(?![^>]*\bsrc=)", page) is None, path
        assert " style=" not in page and "<style" not in page, path
        assert not re.search(r"<[^>]+\son[a-z]+=", page), path
        assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page, path  # no external request


def test_the_server_error_page_is_plain_and_logged(tmp_path, caplog):
    app = make_app(tmp_path)
    from starlette.routing import Route

    async def boom(request):
        raise RuntimeError("secret internals")

    app.app.router.routes.insert(0, Route("/boom", boom))
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as c:
        page = c.get("/boom")
    assert page.status_code == 500
    assert "secret internals" not in page.text and "Traceback" not in page.text and "Something went wrong" in page.text
    assert page.headers["content-security-policy"] == CSP
    assert "secret internals" in caplog.text


def test_host_header_must_be_this_computer(client):
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200
    assert client.get("/", headers={"host": "[::1]:8765"}).status_code == 200


# ------------------------------------------------------------------ the access token off loopback

def test_another_host_needs_a_token(tmp_path, catalogue):
    with pytest.raises(ValueError):
        create_app(Settings(host="0.0.0.0", tmp_root=tmp_path / "t"), catalogue=catalogue)
    app = make_app(tmp_path, host="0.0.0.0", token="s3cret-token")
    with TestClient(app, base_url="http://192.0.2.10:8765") as c:
        for path in ["/", "/plan", "/static/app.css", "/figures/chair-bridge.svg"]:
            assert c.get(path).status_code == 403
        assert c.get("/?token=wrong").status_code == 403
        assert c.post("/plan/preview", data={}).status_code == 403
        opened = c.get("/plan?token=s3cret-token&x=1", follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"] == "/plan?x=1"
        assert "HttpOnly" in opened.headers["set-cookie"] and "SameSite=Strict" in opened.headers["set-cookie"]
        assert c.get("/plan").status_code == 200  # the cookie from now on
        assert c.get("/static/app.css").status_code == 200
    with TestClient(app, base_url="http://192.0.2.10:8765", cookies={"hamrehab_access": "wrong"}) as c:
        assert c.get("/").status_code == 403


# ------------------------------------------------------------------ CSRF on every POST

@pytest.mark.parametrize("path", POSTS)
def test_a_post_without_the_csrf_token_is_refused(client, path):
    csrf(client)
    response = client.post(path, data={"diagnosis": "doms"})
    assert response.status_code == 403 and "expired" in response.text


def test_csrf_token_must_match_the_signed_cookie(client, tmp_path):
    token = csrf(client)
    assert client.post("/plan/preview", data=plan_form(token)).status_code == 200
    assert client.post("/plan/preview", data=plan_form(token + "x")).status_code == 403
    other = make_app(tmp_path / "other")  # another process: another secret
    with TestClient(other, base_url=BASE) as c2:
        foreign = csrf(c2)
    client.cookies.set("hamrehab_csrf", foreign)
    assert client.post("/plan/preview", data=plan_form(foreign)).status_code == 403
    client.cookies.set("hamrehab_csrf", "forged.0000")
    assert client.post("/plan/preview", data=plan_form("forged.0000")).status_code == 403


def test_cross_site_posts_are_refused_even_with_a_token(client):
    token = csrf(client)
    assert client.post("/plan/preview", data=plan_form(token), headers={"origin": "http://evil.example"}).status_code == 403
    assert client.post("/plan/preview", data=plan_form(token), headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert client.post("/plan/preview", data=plan_form(token), headers={"sec-fetch-site": "same-site"}).status_code == 403
    assert client.post("/plan/preview", data=plan_form(token), headers={"origin": BASE}).status_code == 200


def test_the_csrf_cookie_is_httponly_and_strict(client):
    response = client.get("/plan")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("hamrehab_csrf=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_roster_download_and_discard_need_the_token(client):
    assert client.post("/roster/whatever/download", data={}).status_code == 403
    assert client.post("/roster/whatever/discard", data={}).status_code == 403


# ------------------------------------------------------------------ limits

def test_a_body_over_the_cap_is_refused_before_it_is_read(client):
    token = csrf(client)
    big = b"x" * (300 * 1024)
    response = client.post("/triage", data={"csrf": token, "answer": big.decode()})
    assert response.status_code == 413 and "too large" in response.text


def test_a_streamed_body_over_the_cap_is_refused(client):
    token = csrf(client)

    def chunks():
        yield f"csrf={token}&answer=".encode()
        for _ in range(40):
            yield b"y" * 10_000

    response = client.post("/triage", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_upload_limits(client, app):
    token = csrf(client)
    logo = png_bytes() + b"\0" * (8 * MB + 10)
    page = client.post("/plan/preview", data=plan_form(token, clinic_name="Clinic"), files={"clinic_logo": ("logo.png", logo, "image/png")})
    assert page.status_code == 413 and "at most 8 MB" in page.text
    plan = b'{"schema_version": 2, "weeks": [], "pad": "' + b"p" * (2 * MB) + b'"}'
    page = client.post("/follow-up/preview", data={"csrf": token, "checkpoint": "passed"}, files={"follow_up": ("p.json", plan, "application/json")})
    assert page.status_code == 413 and "at most 2 MB" in page.text
    roster = b"patient_id,diagnosis\n" + b"P,doms\n" * (2 * MB // 7 + 10)
    page = client.post("/roster", data={"csrf": token, "formats": "pdf"}, files={"roster": ("r.csv", roster, "text/csv")})
    assert page.status_code == 413 and "at most 2 MB" in page.text
    whole = client.post("/plan/preview", data=plan_form(token), files={"clinic_logo": ("l.png", b"\0" * (12 * MB), "image/png")})
    assert whole.status_code == 413
    assert leftovers(app) == [] and not app.web.jobs


def test_too_many_fields_or_files(client):
    token = csrf(client)
    many = {f"f{i}": "1" for i in range(1200)}
    assert client.post("/plan/preview", data={"csrf": token, **many}).status_code == 400
    files = {f"file{i}": (f"a{i}.png", b"x", "image/png") for i in range(6)}
    assert client.post("/plan/preview", data=plan_form(token), files=files).status_code == 400


# ------------------------------------------------------------------ nothing kept

def test_nothing_about_a_patient_is_left_after_a_response(client, app):
    token = csrf(client)
    form = plan_form(token, name="Private Person", clinic_name="Clinic")
    for path in ("/plan/preview", "/plan/download/pdf", "/plan/download/json", "/plan"):
        client.post(path, data=form, files={"clinic_logo": ("logo.png", png_bytes(), "image/png")})
        assert leftovers(app) == []
    saved = client.post("/plan/download/json", data=form).content
    client.post("/follow-up/download/pdf", data={"csrf": token, "checkpoint": "passed"},
                files={"follow_up": ("private.json", saved, "application/json")})
    assert leftovers(app) == []
    assert oct(app.web.root.stat().st_mode & 0o777) == "0o700"


def test_the_temp_folder_goes_at_shutdown(tmp_path):
    app = make_app(tmp_path)
    with TestClient(app, base_url=BASE) as c:
        root = app.web.root
        token = csrf(c, "/roster")
        c.post("/roster", data={"csrf": token, "formats": "pdf"}, files={"roster": ("r.csv", b"patient_id,diagnosis\nP1,doms\n", "text/csv")})
        assert root.is_dir() and app.web.jobs
    assert not root.exists() and not app.web.jobs


# ------------------------------------------------------------------ the serve command

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(*args: str, tmp: Path | None = None) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    proc = subprocess.Popen([sys.executable, "-m", "hamrehab.web", "--no-browser", *args], cwd=ROOT, env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 60
    assert proc.stderr is not None
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if "running at" in line:
            return proc, line.split("running at ", 1)[1].strip()
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError("hamrehab serve did not start")


def test_serve_on_loopback_and_stop(tmp_path):
    port = _free_port()
    proc, url = _start("--port", str(port), tmp=tmp_path)
    try:
        assert url == f"http://127.0.0.1:{port}/"
        response = httpx.get(url + "plan", timeout=30)
        assert response.status_code == 200 and "New plan" in response.text
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("hamrehab-web-")]
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) in (0, -15)  # uvicorn stops cleanly, then re-raises the signal it caught
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("hamrehab-web-")]  # its temp folder went with it


def test_serve_off_loopback_prints_a_token():
    proc, url = _start("--host", "0.0.0.0", "--port", "0")  # any free port, the one it bound printed: no race with other tests
    try:
        port = urlsplit(url).port
        assert port
        token = url.split("?token=", 1)[1]
        assert len(token) >= 24
        local = f"http://127.0.0.1:{port}/"
        assert httpx.get(local, timeout=30).status_code == 403
        with httpx.Client(timeout=30) as c:
            assert c.get(f"{local}?token={token}", follow_redirects=True).status_code == 200
            assert c.get(local + "exercises").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_refuses_a_port_in_use():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(serve, ["--port", str(port), "--no-browser"])
    assert result.exit_code == 2 and "in use" in result.output


def test_serve_help():
    result = CliRunner().invoke(serve, ["--help"])
    assert result.exit_code == 0 and "--no-browser" in result.output and "127.0.0.1" in result.output
