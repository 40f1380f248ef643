"""FastAPI dependencies every service shares: the unit of work, If-Match versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from shared.auth import optional_principal, require_roles
from shared.errors import FieldError, PreconditionFailed, ValidationFailed
from shared.uow import Actor, UnitOfWork


async def get_uow(request: Request) -> UnitOfWork:
    """A unit of work acting as the caller (for history, audit and event headers)."""
    principal = await optional_principal(request)
    client = request.client.host if request.client else None
    actor = Actor(sub=principal.sub if principal else None,
                  roles=tuple(sorted(principal.roles)) if principal else (),
                  ip=client, request_id=getattr(request.state, "request_id", None))
    return UnitOfWork(request.app.state.session_factory, source=request.app.state.service, actor=actor,
                      pool=getattr(request.app.state, "pg", None), audit=getattr(request.app.state, "audit", None))


UowDep = Annotated[UnitOfWork, Depends(get_uow)]


def if_match_version(
    if_match: Annotated[str | None, Header(description='Versi yang diharapkan, dari ETag (mis. `"3"`).')] = None,
) -> int | None:
    """The version named by `If-Match`, or None when absent."""
    if if_match is None or if_match.strip() == "*":
        return None
    raw = if_match.strip().removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise ValidationFailed("If-Match harus berisi ETag dari respons sebelumnya, mis. \"3\".",
                               errors=[FieldError("header.If-Match", "format ETag tidak dikenal")])
    return int(raw)


IfMatch = Annotated[int | None, Depends(if_match_version)]


def check_version(current: int, expected: int | None) -> None:
    """412 when the caller's If-Match names a version that is no longer current."""
    if expected is not None and expected != current:
        raise PreconditionFailed(f"Data sudah berubah (versi sekarang {current}, If-Match {expected}); "
                                 "ambil ulang lalu ulangi.", extra={"versi_sekarang": current})


def etag(version: int) -> str:
    return f'"{version}"'


get_uow.openapi_security = "optional"  # type: ignore[attr-defined]


def uow_with_roles(*roles: str):  # type: ignore[no-untyped-def]
    """`require_roles(*roles)` and the caller's unit of work as ONE dependency, for hot routes (issue 9).

    FastAPI solves every dependency node on every request; such routes had two. The answers (401,
    403, the actor of the unit of work) are the same, and the role check's markers (allowed roles,
    OpenAPI security) are carried over."""
    check = require_roles(*roles)

    async def dependency(request: Request) -> UnitOfWork:
        await check(request)
        return await get_uow(request)

    dependency.__dict__.update(check.__dict__)
    return dependency
