"""What keeps the local web app safe: one ASGI layer in front of every request, and the CSRF check.

- Bound to a loopback address (the default) only a browser on this machine reaches it; the Host header
  must name this machine too, so a web page cannot reach it by DNS rebinding.
- Bound to any other address, every request needs the random access token printed at start: given
  once as `?token=...`, it becomes a cookie and the address bar loses it.
- Every POST carries a double-submit CSRF token: a cookie signed with a per-process secret, and the
  same value in a hidden form field (`verify_csrf`); a cross-site POST (Origin or Sec-Fetch-Site) is
  refused as well.
- Request bodies are capped per route before they are parsed (413 past the cap).
- Every response carries a strict Content-Security-Policy (this origin only, no inline script or
  style), nosniff, no referrer, no framing, and `no-store` for anything but the static files.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

KB, MB = 1024, 1024 * 1024
ACCESS_COOKIE = "hamrehab_access"
CSRF_COOKIE = "hamrehab_csrf"
CSRF_FIELD = "csrf"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'")
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"  # a drawing: no script at all
HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

# The largest body each POST may send: a logo (8 MB) and a plan JSON (2 MB) with the fields; a roster (2 MB)
# with a logo; everything else is a few fields.
BODY_LIMITS = (("/plan", 11 * MB), ("/follow-up", 11 * MB), ("/roster", 11 * MB))
SMALL_BODY = 256 * KB


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def body_limit(path: str) -> int:
    """The body cap for a path."""
    return next((limit for prefix, limit in BODY_LIMITS if path == prefix or path.startswith(prefix + "/")), SMALL_BODY)


class BodyTooLarge(Exception):
    """A request body went past its cap while being read."""

    def __init__(self, limit: int):
        super().__init__(f"the upload is larger than {limit // MB or 1} MB")
        self.limit = limit


class CsrfFailed(Exception):
    """A POST without a valid CSRF token, or from another site."""


@dataclass
class Guard:
    """Secrets of one server process: the CSRF signing key and, off loopback, the access token."""

    token: str | None = None
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    loopback: bool = True

    def sign(self, nonce: str) -> str:
        return hmac.new(self.secret, nonce.encode(), hashlib.sha256).hexdigest()[:32]

    def new_csrf(self) -> str:
        nonce = secrets.token_urlsafe(18)
        return f"{nonce}.{self.sign(nonce)}"

    def valid_csrf(self, value: str | None) -> bool:
        if not value or value.count(".") != 1:
            return False
        nonce, sig = value.split(".")
        return hmac.compare_digest(sig, self.sign(nonce))


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a client's malformed Cookie header is skipped, never a server error
                continue
    return {k: m.value for k, m in jar.items()}


def _header(scope: Scope, name: bytes) -> str:
    return next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == name), "")


def _host_name(host_header: str) -> str:
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


async def _plain(send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = (f"<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>hamrehab</title>"
            f"<main><h1>hamrehab</h1><p>{text}</p></main></html>").encode()
    all_headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    all_headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
    all_headers += [(b"content-security-policy", CSP.encode()), (b"cache-control", b"no-store")] + (headers or [])
    await send({"type": "http.response.start", "status": status, "headers": all_headers})
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    """Host and token checks, body caps, the CSRF cookie and the security headers, around the whole app."""

    def __init__(self, app: ASGIApp, guard: Guard):
        self.app, self.guard = app, guard
        self.web: Any = None  # the app's shared state, set by create_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        if self.guard.loopback and not is_loopback(_host_name(_header(scope, b"host"))):
            await _plain(send, 400, "This address is not this computer. Open hamrehab at the address it printed when it started.")
            return
        if self.guard.token is not None and not hmac.compare_digest(cookies.get(ACCESS_COOKIE, ""), self.guard.token):
            await self._token_gate(scope, send)
            return
        limit = body_limit(scope["path"])
        length = _header(scope, b"content-length")
        if length.isdigit() and int(length) > limit:
            await _plain(send, 413, f"That upload is too large: at most {limit // MB or 1} MB can be sent here.")
            return
        csrf = cookies.get(CSRF_COOKIE, "")
        fresh = not self.guard.valid_csrf(csrf)
        if fresh:
            csrf = self.guard.new_csrf()
        scope.setdefault("state", {})["csrf"] = csrf
        await self.app(scope, _capped(receive, limit), self._headers(send, scope["path"], csrf if fresh else None))

    async def _token_gate(self, scope: Scope, send: Send) -> None:
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = next((v for k, v in query if k == "token"), "")
        if given and self.guard.token is not None and hmac.compare_digest(given, self.guard.token):
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            location = scope.get("root_path", "") + scope["path"] + (f"?{rest}" if rest else "")
            cookie = f"{ACCESS_COOKIE}={self.guard.token}; Path=/; HttpOnly; SameSite=Strict"
            await _plain(send, 303, "Opening hamrehab...", [(b"location", location.encode()), (b"set-cookie", cookie.encode())])
            return
        await _plain(send, 403, "This hamrehab needs its access link: open the address it printed when it started "
                                "(the one ending in ?token=...).")

    def _headers(self, send: Send, path: str, new_csrf: str | None) -> Send:
        static = path.startswith(("/static/", "/figures/", "/fonts/"))

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in names]
                if b"cache-control" not in names or not static:
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"public, max-age=3600" if static else b"no-store"))
                if new_csrf is not None:
                    headers.append((b"set-cookie", f"{CSRF_COOKIE}={new_csrf}; Path=/; HttpOnly; SameSite=Strict".encode()))
                message["headers"] = headers
            await send(message)

        return wrapped


def _capped(receive: Receive, limit: int) -> Receive:
    """The request body, refused past `limit` bytes (for bodies sent without a Content-Length)."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return wrapped


def verify_csrf(guard: Guard, form_value: Any, cookie_value: str | None, headers: Any) -> None:
    """Raise CsrfFailed unless the form's token equals the signed cookie's and the request comes from this site."""
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise CsrfFailed("cross-site request")
    origin = headers.get("origin")
    if origin and origin != "null":
        host = headers.get("host", "")
        if origin.split("://", 1)[-1] != host:
            raise CsrfFailed("another origin")
    if not isinstance(form_value, str) or not cookie_value or not guard.valid_csrf(cookie_value):
        raise CsrfFailed("missing token")
    if not hmac.compare_digest(form_value, cookie_value):
        raise CsrfFailed("token mismatch")
