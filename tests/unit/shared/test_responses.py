"""json_response writes what FastAPI's response_model serialisation (pydantic) writes for the same data."""

import uuid
from datetime import UTC, date, datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter

from shared.responses import FragmentCache, json_bytes, json_response


class Baris(BaseModel):
    id: uuid.UUID
    waktu: datetime
    tanggal: date
    angka: int
    pecahan: float
    teks: str | None
    daftar: list[str]


ADAPTER = TypeAdapter(list[Baris])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.builds(
    dict,
    id=st.uuids(),
    waktu=st.datetimes(timezones=st.just(UTC), min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
    tanggal=st.dates(min_value=date(1900, 1, 1)),
    angka=st.integers(min_value=-(2**53), max_value=2**53),
    pecahan=st.floats(allow_nan=False, allow_infinity=False, width=64),
    teks=st.none() | st.text(),
    daftar=st.lists(st.text(), max_size=3),
), max_size=5))
def test_the_bytes_equal_pydantics_for_the_same_rows(rows):
    assert json_bytes(rows) == ADAPTER.dump_json(ADAPTER.validate_python(rows))


def test_utc_datetimes_from_the_database_end_in_z_like_pydantic():
    row = {"waktu": datetime(2026, 11, 30, 15, 13, 4, tzinfo=timezone.utc), "n": 1}
    assert json_bytes(row) == b'{"waktu":"2026-11-30T15:13:04Z","n":1}'


def test_the_response_is_json_with_status_and_headers():
    response = json_response({"a": 1}, status_code=201, headers={"Location": "/x/1"})
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert response.headers["location"] == "/x/1"
    assert response.body == b'{"a":1}'


def test_a_page_of_cached_fragments_is_the_bytes_of_the_page_of_dicts():
    cache = FragmentCache(8)
    rows = [{"id": str(i), "waktu": datetime(2026, 11, 30, 1, 2, 3, tzinfo=UTC), "nama": "Perusahaan ✓"}
            for i in range(3)]
    fragments = [cache.put((r["id"], 1), r) for r in rows]
    assert json_bytes({"data": fragments, "next_cursor": None}) == json_bytes({"data": rows, "next_cursor": None})
    again = [cache.get((r["id"], 1)) for r in rows]
    assert json_bytes({"data": again}) == json_bytes({"data": rows})
    assert (cache.hits, cache.misses) == (3, 0)
    assert cache.get(("0", 2)) is None and cache.misses == 1  # another version is another entry


def test_the_least_recently_used_fragment_goes_first_and_zero_keeps_nothing():
    cache = FragmentCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") is not None  # b is now the oldest use
    cache.put("c", 3)
    assert (cache.get("b"), len(cache)) == (None, 2)
    assert cache.get("a") is not None and cache.get("c") is not None
    off = FragmentCache(0)
    assert json_bytes(off.put("a", {"x": 1})) == b'{"x":1}'  # still rendered for the caller
    assert (off.get("a"), len(off)) == (None, 0)
