"""Cursor pagination: `{"data": [...], "next_cursor": "..."}` with a capped `?limit=`."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Hashable, Mapping
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel

from shared.errors import FieldError, ValidationFailed
from shared.responses import FragmentCache

T = TypeVar("T")
MAX_LIMIT = 100


class Page(BaseModel, Generic[T]):
    data: list[T]
    next_cursor: str | None = None


def encode_cursor(*keys: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(keys))).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    """The sort keys of the last row of the previous page, or None for the first page."""
    if not cursor:
        return None
    try:
        value = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, orjson.JSONDecodeError) as exc:
        raise ValidationFailed("cursor tidak valid; gunakan next_cursor dari halaman sebelumnya.",
                               errors=[FieldError("query.cursor", "format tidak dikenal")]) from exc
    if not isinstance(value, list):
        raise ValidationFailed("cursor tidak valid.", errors=[FieldError("query.cursor", "format tidak dikenal")])
    return value


_CURSOR_INVALID = "cursor tidak valid; gunakan next_cursor dari halaman sebelumnya."


def decode_time_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    """A cursor of (timestamp, id), the keys of lists sorted by a time column, or None for the first page.

    The time must be an ISO timestamp with a zone (`encode_cursor` writes them so) within years
    1900-2999: anything else, however it was crafted, is a 422 naming `query.cursor`, never a
    database error (year 1 or 9999 used to overflow PostgreSQL's timestamp range: 500)."""
    keys = decode_cursor(cursor)
    if keys is None:
        return None
    try:
        waktu_teks, ident = keys
        waktu = datetime.fromisoformat(waktu_teks)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(_CURSOR_INVALID, errors=[FieldError("query.cursor", "format tidak dikenal")]) from exc
    if waktu.tzinfo is None or not 1900 <= waktu.year <= 2999 or not isinstance(ident, (str, int)):
        raise ValidationFailed(_CURSOR_INVALID, errors=[FieldError("query.cursor", "format tidak dikenal")])
    return waktu, str(ident)


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Jumlah baris per halaman (maks. {MAX_LIMIT}).")]
Cursor = Annotated[str | None, Query(max_length=512, description="`next_cursor` dari halaman sebelumnya.")]


def page_of(rows: list[Any], limit: int, key: Any, convert: Any = None) -> dict[str, Any]:
    """Build a page from `limit + 1` fetched rows; `key(row)` gives the cursor's sort keys."""
    more = len(rows) > limit
    rows = rows[:limit]
    data = [convert(r) for r in rows] if convert else rows
    return {"data": data, "next_cursor": encode_cursor(*key(rows[-1])) if more and rows else None}


async def page_from_rendered(keys: list[Any], limit: int, key: Any, *, cache: FragmentCache,
                             version: Callable[[Any], Hashable], ident: Callable[[Any], Any],
                             fetch: Callable[[list[Any]], Awaitable[Mapping[Any, Any]]],
                             render: Callable[[Any], Any],
                             finish: Callable[[Any], Any] | None = None) -> dict[str, Any] | None:
    """`page_of` from rows kept rendered (`shared.responses.FragmentCache`, issue 9).

    `keys` are the page's `limit + 1` rows with only what identifies each row's version; `version(row)`
    gives the cache key from a key row or a full row alike (e.g. id, version counter, `xmin`, the reader's
    view), `ident(row)` its id. Rows not rendered yet are read with one `fetch(ids)` (a mapping id -> full
    row) and rendered with `render`. None when one of them is gone or changed after its key was read: the
    caller then reads the page in one statement, so a page never mixes two moments of a row.

    With `finish`, what `render(row)` returns is kept as it is and each page's item is `finish(kept)`: for
    rows whose JSON also depends on the moment of reading (a ticket's SLA clocks), `render` prepares what
    does not and `finish` adds what does. `key` then gets the page's last kept item instead of its key
    row, so the key rows need not carry the cursor's columns."""
    rows = keys[:limit]
    ready: list[Any] = []
    missing: list[tuple[int, Any]] = []
    get = cache.get
    for k in rows:
        fragment = get(version(k))
        if fragment is None:
            missing.append((len(ready), k))
        ready.append(fragment)
    if missing:
        full = await fetch([ident(k) for _, k in missing])
        keep = cache.put if finish is None else cache.keep
        for i, k in missing:
            row = full.get(ident(k))
            if row is None or version(row) != version(k):
                return None
            ready[i] = keep(version(k), render(row))
    data = ready if finish is None else [finish(x) for x in ready]
    if len(keys) <= limit or not rows:
        return {"data": data, "next_cursor": None}
    return {"data": data, "next_cursor": encode_cursor(*key(rows[-1] if finish is None else ready[-1]))}
