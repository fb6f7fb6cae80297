"""What keeps the dashboard safe: tokens, the Host allow-list, bounded requests, safe headers."""
from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

TOKEN_ENV = "HYPERSWEEP_DASHBOARD_TOKEN"
TOKEN_HEADER = "x-hypersweep-token"
TOKEN_COOKIE = "hypersweep_token"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_BODY = 64 * 1024  # bytes a request body may hold
HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",  # unless the response sets its own (content-hashed static files)
}


@dataclass(frozen=True)
class Policy:
    """Who may use the dashboard: ``token`` (always needed for actions) and, when ``open_reads`` is
    False, for every request; ``hosts`` are the Host header names accepted (DNS rebinding)."""

    token: str
    hosts: frozenset[str] = field(default_factory=lambda: LOOPBACK)
    open_reads: bool = True

    @classmethod
    def for_bind(cls, host: str, port: int, *, token: str | None = None, allow_hosts: Iterable[str] = ()) -> "Policy":
        """Loopback binds allow token-less reads; any other host needs the token for everything."""
        chosen = token or os.environ.get(TOKEN_ENV) or secrets.token_urlsafe(24)
        if len(chosen) < 16:
            raise ValueError(f"token: must be at least 16 characters; set {TOKEN_ENV} to a longer secret")
        names = set(LOOPBACK) | {host.lower().strip("[]")} | {h.lower() for h in allow_hosts}
        return cls(chosen, frozenset(names), open_reads=host in LOOPBACK)

    def matches(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def may_read(self, request: Request) -> bool:
        return self.open_reads or self.matches(request.headers.get(TOKEN_HEADER)) or self.matches(
            request.cookies.get(TOKEN_COOKIE)
        )

    def may_act(self, request: Request) -> bool:
        """Actions need the token in the header (a cookie alone could be sent by another site)."""
        return self.matches(request.headers.get(TOKEN_HEADER))


def host_name(header: str) -> str:
    """The name part of a Host header (``[::1]:8080`` -> ``::1``)."""
    text = header.strip().lower()
    if text.startswith("["):
        return text[1:text.find("]")] if "]" in text else text
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text


class Guard:
    """ASGI middleware: refuse unknown Host headers and large bodies; add the safe headers."""

    def __init__(self, app: ASGIApp, policy: Policy) -> None:
        self.app, self.policy = app, policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if host_name(headers.get("host", "")) not in self.policy.hosts:
            await _refuse(400, "host not allowed: start the dashboard with --allow-host NAME to serve it")(scope, receive, send)
            return
        length = headers.get("content-length", "0")
        if not length.isdigit() or int(length) > MAX_BODY or "chunked" in headers.get("transfer-encoding", ""):
            await _refuse(413, f"request body: at most {MAX_BODY} bytes with a Content-Length")(scope, receive, send)
            return

        async def send_safe(message: dict) -> None:  # type: ignore[type-arg]
            if message["type"] == "http.response.start":
                own = {k.decode("latin-1").lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k.encode(), v.encode()) for k, v in HEADERS.items() if k not in own
                ]
            await send(message)

        await self.app(scope, receive, send_safe)


def _refuse(status: int, text: str) -> Response:
    return PlainTextResponse(text, status_code=status, headers=HEADERS)
