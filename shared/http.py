"""One pure-ASGI middleware for what every response needs: a request id (from `X-Request-ID` or
new) bound to the logs, standard security headers, a body-size limit (413 problem), an access log
line, the HTTP metrics per route template (`shared.metrics`), and unhandled exceptions turned into
problem details (no stack traces to callers)."""

from __future__ import annotations

import time
import uuid

import structlog
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.logging import access_log, get_logger
from shared.metrics import HttpMetrics
from shared.problems import problem_response, unhandled_problem

log = get_logger("ukpbj.http")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
]
API_CSP = b"default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
QUIET_PATHS = ("/health/", "/metrics")


class _BodyTooLarge(Exception):
    pass


def new_request_id() -> str:
    """A request id for a request that came without one: a UUID in its hyphenated form.

    Not the 32-digit hex form (as before): about one hex id in 190 holds a run of 15 or more decimal
    digits, which the logs mask as a possible NIK/NPWP (`shared.logging`), so the id an operator read
    from a caller's problem response was not the one in the log lines. The hyphenated form's longest
    digit run is 12."""
    return str(uuid.uuid4())


class PlatformMiddleware:
    def __init__(self, app: ASGIApp, *, service: str, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.metrics = HttpMetrics(service)
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = headers.get(b"x-request-id", b"").decode("latin-1")[:64] or new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        path: str = scope["path"]
        is_multipart = headers.get(b"content-type", b"").startswith(b"multipart/")
        limit = self.max_upload_bytes + 64 * 1024 if is_multipart else self.max_body_bytes
        started = time.perf_counter()
        status_holder = [500]
        response_started = False

        if b"%00" in scope.get("query_string", b"") or "\x00" in path:
            request = Request(scope)
            request.state.request_id = request_id
            response = problem_response(400, "permintaan-tidak-valid", "Permintaan tidak valid",
                                        "Alamat atau parameter berisi karakter NUL (%00); hapus karakter itu.", request)
            await response(scope, receive, send)
            return
        try:
            declared = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            await self._too_large(scope, receive, send, limit, request_id)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge()
            return message

        async def send_wrapper(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                status_holder[0] = message["status"]
                extra = list(SECURITY_HEADERS)
                extra.append((b"x-request-id", request_id.encode()))
                extra.append((b"content-security-policy", DOCS_CSP if path.startswith(("/docs", "/static")) else API_CSP))
                if not path.startswith("/static"):
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        quiet = path.startswith(QUIET_PATHS)
        method = scope["method"]
        in_progress = None if quiet else self.metrics.started(method)
        try:
            await self.app(scope, limited_receive, send_wrapper)
        except _BodyTooLarge:
            if not response_started:
                await self._too_large(scope, receive, send_wrapper, limit, request_id, drain=False)
        except Exception as exc:  # noqa: BLE001 - last resort: a problem, never a traceback
            if response_started:
                raise
            request = Request(scope)
            response = unhandled_problem(request, exc)
            await response(scope, receive, send_wrapper)
        finally:
            if not quiet:
                seconds = time.perf_counter() - started
                in_progress.dec()
                route = scope.get("route")
                if route is not None:  # unmatched paths are not counted (no unbounded label values)
                    self.metrics.finished(method, route.path, status_holder[0], seconds)
                access_log(method, path, status_holder[0], round(seconds * 1000, 2), request_id)
            structlog.contextvars.unbind_contextvars("request_id")

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int, request_id: str,
                         drain: bool = True) -> None:
        request = Request(scope)
        request.state.request_id = request_id
        response = problem_response(413, "ukuran-terlalu-besar", "Ukuran data terlalu besar",
                                    f"Badan permintaan melebihi batas {limit} byte.", request)
        if drain:
            response.headers["x-request-id"] = request_id
            for key, value in SECURITY_HEADERS:
                response.headers[key.decode()] = value.decode()
        await response(scope, receive, send)
