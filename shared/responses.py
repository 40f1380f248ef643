"""JSON straight from plain data for the hot routes (issue 9).

A route with a `response_model` that returns a dict has FastAPI validate the dict against the
model and then serialise it: for a list page of 50 items that validation was 0.3-0.9 ms of a
~2 ms request. Hot routes build their dicts to the model themselves (their tests compare the
bytes with the model's output) and answer with `json_response`; the `response_model` stays on
the route for the OpenAPI document.

orjson with `OPT_UTC_Z` writes what pydantic writes: UTC datetimes end in `Z`, dates are ISO,
microseconds only when non-zero, text as UTF-8 (tests/unit/shared/test_responses.py).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def json_bytes(content: Any) -> bytes:
    return orjson.dumps(content, option=_OPTIONS)


def json_response(content: Any, *, status_code: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """`content` (dicts, lists, str, int, float, bool, None, datetime, date, UUID) as an application/json response."""
    return Response(orjson.dumps(content, option=_OPTIONS), status_code=status_code, headers=headers,
                    media_type="application/json")


class FragmentCache:
    """The JSON of rows already rendered, keyed by what identifies a row's version (issue 9).

    A list page that is read again and again (a verification queue, a dashboard) rendered the same
    rows each time: decode, decrypt, build the dict, encode. With a key that changes whenever the
    row's representation can (its id, its version counter, PostgreSQL's `xmin` of the row, and
    whatever else the rendering depends on, such as the reader's view), a page needs only the keys
    from the database and the cached fragments; the bytes are those `json_bytes` would write, and
    orjson embeds an `orjson.Fragment` as it is. Least recently used entries go first; `maks=0`
    turns the cache off."""

    def __init__(self, maks: int) -> None:
        self.maks = maks
        self._isi: OrderedDict[Any, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._isi)

    def get(self, key: Any) -> Any:
        fragment = self._isi.get(key)
        if fragment is None:
            self.misses += 1
            return None
        self._isi.move_to_end(key)
        self.hits += 1
        return fragment

    def put(self, key: Any, content: Any) -> orjson.Fragment:
        """`content` rendered once; kept (when the cache is on) and returned as a fragment."""
        return self.keep(key, orjson.Fragment(orjson.dumps(content, option=_OPTIONS)))

    def keep(self, key: Any, value: Any) -> Any:
        """`value` kept as it is (when the cache is on) and returned: for a row whose JSON is finished at each
        read (`shared.pagination.page_from_rendered` with `finish`)."""
        if self.maks > 0:
            self._isi[key] = value
            self._isi.move_to_end(key)
            while len(self._isi) > self.maks:
                self._isi.popitem(last=False)
        return value
