"""`Idempotency-Key` on creates: a retried create returns the first result, not a duplicate.

The response is stored by the unit of work in the same transaction as the created state, so a
create is either done and remembered, or not done at all. Keys are scoped per caller and route.
The stored response is encrypted (it may carry a one-time access token) and kept 24 hours.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy import text
from starlette.responses import Response

from shared.errors import FieldError, ValidationFailed
from shared.pg import acquire
from shared.uow import IdempotencyClaim, UnitOfWork

_LOOKUP = text("SELECT fingerprint, status_code, location, body FROM idempotency_keys"
               " WHERE scope = :scope AND key = :key")
_LOOKUP_RAW = "SELECT fingerprint, status_code, location, body FROM idempotency_keys WHERE scope = $1 AND key = $2"


async def claim_or_replay(
    request: Request, uow: UnitOfWork, location: Callable[[Any], str | None]
) -> Response | None:
    """Return the stored response for a repeated key, or arm `uow` to store this one."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    if not 1 <= len(key) <= 200:
        raise ValidationFailed("Idempotency-Key harus 1-200 karakter.",
                               errors=[FieldError("header.Idempotency-Key", "panjang 1-200 karakter")])
    body = await request.body()
    fingerprint = hashlib.sha256(request.method.encode() + request.url.path.encode() + body).hexdigest()
    scope = f"{uow.actor.sub or 'anonim:' + (uow.actor.ip or '')}:{request.method}:{request.url.path}"
    row: Any
    if uow.pool is not None:
        async with acquire(uow.pool) as conn:
            row = await conn.fetchrow(_LOOKUP_RAW, scope, key)
    else:
        async with uow.session_factory() as session:
            found = (await session.execute(_LOOKUP, {"scope": scope, "key": key})).first()
        row = found._mapping if found is not None else None
    if row is not None:
        if row["fingerprint"] != fingerprint:
            raise ValidationFailed(
                "Idempotency-Key ini sudah dipakai untuk permintaan dengan isi berbeda; gunakan kunci baru.",
                errors=[FieldError("header.Idempotency-Key", "dipakai ulang dengan isi berbeda")],
            )
        headers = {"Idempotency-Replayed": "true"}
        if row["location"]:
            headers["Location"] = row["location"]
        body = request.app.state.kripto.dekripsi(row["body"])
        return Response(body.encode(), status_code=row["status_code"], media_type="application/json",
                        headers=headers)
    uow.idempotency = IdempotencyClaim(key=key, scope=scope, fingerprint=fingerprint,
                                       seal=request.app.state.kripto.enkripsi, location=location)
    return None




async def idempotent_create(
    request: Request,
    response: Response,
    uow: UnitOfWork,
    create: Callable[[], Awaitable[Any]],
    location: Callable[[Any], str],
) -> Any:
    """Run a create once per `Idempotency-Key`, set `Location`, and replay the first result on retries."""
    replay = await claim_or_replay(request, uow, location)
    if replay is not None:
        return replay
    result = await create()
    response.headers["Location"] = location(result)
    return result


async def idempotent_created(
    request: Request,
    uow: UnitOfWork,
    create: Callable[[], Awaitable[BaseModel]],
    location: Callable[[Any], str],
    *,
    etag: Callable[[Any], str] | None = None,
) -> Response:
    """`idempotent_create` for a `@lean` route (shared.routing): the 201 response itself.

    The body is the created model as the route's `response_model` would write it (the same model, by alias:
    FastAPI validates an instance of its response model as it is and dumps it with `by_alias=True`; each
    service's test_jalur_cepat compares the bytes), with `Location` and, when asked, `ETag`."""
    replay = await claim_or_replay(request, uow, location)
    if replay is not None:
        return replay
    result = await create()
    headers = {"Location": location(result)}
    if etag is not None:
        headers["ETag"] = etag(result)
    return Response(result.__pydantic_serializer__.to_json(result, by_alias=True), status_code=201,
                    headers=headers, media_type="application/json")
