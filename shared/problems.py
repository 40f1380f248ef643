"""RFC 9457 problem details for every error, documented in each OpenAPI spec.

Domain errors, FastAPI's validation errors, HTTP errors, an unreachable database and unhandled
exceptions all become `application/problem+json`. No stack trace ever reaches a caller.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from shared.errors import DomainError
from shared.logging import get_logger

log = get_logger(__name__)
PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:ukpbj:masalah:"


class FieldProblem(BaseModel):
    field: str = Field(description="Path of the wrong field, e.g. `penanggung_jawab.nik` or `body`.")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(examples=["urn:ukpbj:masalah:validasi-gagal"])
    title: str = Field(examples=["Data tidak valid"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["nik: NIK harus 16 digit angka; diterima 15 digit."])
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldProblem] | None = None
    rule: str | None = Field(None, description="The article of the regulation that forbids the request.")

    model_config = {"extra": "allow"}


_DESCRIPTIONS = {
    400: "Permintaan rusak (JSON tidak valid) / malformed request",
    401: "Token tidak ada atau tidak valid / missing or invalid token",
    403: "Peran tidak diizinkan / role not allowed",
    404: "Tidak ditemukan / not found",
    409: "Konflik dengan data yang ada / conflicts with current state",
    412: "Versi data sudah berubah (If-Match) / stale version",
    413: "Terlalu besar / payload too large",
    415: "Jenis berkas tidak didukung / unsupported media type",
    422: "Data tidak valid atau melanggar ketentuan / invalid data or a broken rule",
    429: "Terlalu banyak permintaan / rate limited",
    500: "Kesalahan internal / internal error",
    503: "Layanan sementara tidak tersedia / dependency unavailable",
}


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the given problem statuses."""
    return {
        code: {"description": _DESCRIPTIONS[code], "model": Problem, "content": {PROBLEM_JSON: {}}}
        for code in codes
    }


COMMON_PROBLEMS = problem_responses(400, 413, 422, 500, 503)


def problem_response(status: int, slug: str, title: str, detail: str, request: Request,
                     **extra: Any) -> Response:
    body: dict[str, Any] = {"type": TYPE_BASE + slug, "title": title, "status": status, "detail": detail,
                            "instance": request.url.path}
    request_id = getattr(request.state, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    body.update({k: v for k, v in extra.items() if v is not None})
    headers = {"WWW-Authenticate": 'Bearer realm="ukpbj"'} if status == 401 else None
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_path(loc: tuple[Any, ...], body: Any = None) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        where, parts = parts[0], parts[1:]
        if where == "body" and len(parts) > 1 and _is_union_tag(parts[0], body):
            parts = parts[1:]  # a discriminated union puts the tag ('penyedia') before the field
        if not parts:
            return where
        if where != "body":
            return f"{where}.{'.'.join(parts)}"
    return ".".join(parts)


def _is_union_tag(part: str, body: Any) -> bool:
    """True when `part` is not a key of the JSON body but the value of one of its top-level fields."""
    return isinstance(body, dict) and part not in body and part in {v for v in body.values() if isinstance(v, str)}


def _union_tag_error(error: dict[str, Any]) -> tuple[str, str] | None:
    """(discriminator field, message) for a discriminated union whose tag is missing or unknown."""
    ctx = error.get("ctx") or {}
    field = str(ctx.get("discriminator", "")).strip("'\"")
    if error.get("type") == "union_tag_invalid" and field:
        return field, f"nilai tidak dikenal; pilih salah satu dari {ctx.get('expected_tags', '')}"
    if error.get("type") == "union_tag_not_found" and field:
        return field, "wajib diisi"
    return None


_MESSAGES = {
    "missing": "wajib diisi",
    "extra_forbidden": "tidak dikenal; hapus isian ini",
    "string_too_long": "terlalu panjang",
    "string_too_short": "terlalu pendek",
}


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    base = _MESSAGES.get(kind)
    if kind == "enum" or kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        return f"nilai tidak dikenal; pilih salah satu dari {expected}"
    if base:
        limit = (error.get("ctx") or {}).get("max_length") or (error.get("ctx") or {}).get("min_length")
        return f"{base} (batas {limit} karakter)" if limit else base
    return error.get("msg", "tidak valid")


async def _validation_handler(request: Request, exc: RequestValidationError) -> Response:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        e = next(e for e in errors if e.get("type") == "json_invalid")
        detail = f"Badan permintaan bukan JSON yang valid: {(e.get('ctx') or {}).get('error', e.get('msg'))}."
        return problem_response(400, "json-rusak", "JSON tidak valid", detail, request,
                                errors=[{"field": "body", "message": detail}])
    items = []
    for e in errors:
        tag = _union_tag_error(e)
        path = _field_path(tuple(e.get("loc", ())), exc.body)
        if tag:
            path = tag[0] if path == "body" else f"{path}.{tag[0]}"
        items.append({"field": path, "message": tag[1] if tag else _message(e)})
    detail = f"{items[0]['field']}: {items[0]['message']}" if len(items) == 1 else \
        f"{len(items)} isian tidak valid: " + "; ".join(f"{i['field']}: {i['message']}" for i in items[:5])
    return problem_response(422, "validasi-gagal", "Data tidak valid", detail, request, errors=items)


async def _domain_handler(request: Request, exc: DomainError) -> Response:
    response = problem_response(exc.status, exc.slug, exc.title, exc.detail, request,
                                errors=[e.as_dict() for e in exc.errors] or None, **exc.extra)
    if "retry_after" in exc.extra:
        response.headers["Retry-After"] = str(exc.extra["retry_after"])
    return response


async def _http_handler(request: Request, exc: StarletteHTTPException) -> Response:
    titles = {404: ("tidak-ditemukan", "Tidak ditemukan", f"Tidak ada sumber daya di {request.url.path}."),
              405: ("metode-tidak-diizinkan", "Metode tidak diizinkan",
                    f"Metode {request.method} tidak didukung untuk {request.url.path}.")}
    slug, title, detail = titles.get(exc.status_code, ("http", "Kesalahan HTTP", str(exc.detail)))
    if exc.status_code not in titles and isinstance(exc.detail, str):
        detail = exc.detail
    response = problem_response(exc.status_code, slug, title, detail, request)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


def _is_db_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, (OperationalError, InterfaceError, PoolTimeout, ConnectionError, OSError, TimeoutError,
                        asyncpg.InterfaceError, asyncpg.PostgresConnectionError, asyncpg.CannotConnectNowError)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    name = type(getattr(exc, "orig", exc)).__name__
    return "Connection" in name or "CannotConnect" in name


def _is_unstorable_text(exc: BaseException) -> bool:
    """PostgreSQL refuses some characters in text (NUL): the caller's input, not our fault."""
    name = type(getattr(exc, "orig", exc)).__name__
    cause = getattr(getattr(exc, "orig", None), "__cause__", None)
    names = {name, type(cause).__name__ if cause else ""}
    return bool(names & {"CharacterNotInRepertoireError", "UntranslatableCharacterError"}) or (
        "invalid byte sequence" in str(exc))


def unhandled_problem(request: Request, exc: BaseException) -> Response:
    """503 when the database is away (the caller may retry), else a 500 with no internals."""
    if _is_unstorable_text(exc):
        return problem_response(422, "validasi-gagal", "Data tidak valid",
                                "Teks berisi karakter yang tidak dapat disimpan (mis. NUL, \\u0000); hapus karakter itu.",
                                request, errors=[{"field": "body", "message": "karakter NUL tidak diizinkan"}])
    if _is_db_unavailable(exc):
        log.warning("database unavailable", path=request.url.path, error=type(exc).__name__)
        response = problem_response(503, "layanan-tidak-tersedia", "Layanan sementara tidak tersedia",
                                    "Basis data tidak dapat dihubungi; ulangi beberapa saat lagi.", request)
        response.headers["Retry-After"] = "5"
        return response
    log.exception("unhandled error", path=request.url.path)
    return problem_response(500, "kesalahan-internal", "Kesalahan internal",
                            "Terjadi kesalahan di server; sebutkan request_id saat melapor ke helpdesk.", request)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_handler)  # type: ignore[arg-type]
    app.add_exception_handler(DomainError, _domain_handler)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_handler)  # type: ignore[arg-type]
    # Unhandled exceptions are turned into problems by shared.http.PlatformMiddleware, inside the
    # server-error middleware, so they still get the request id and security headers.
