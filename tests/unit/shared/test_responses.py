"""json_response writes what FastAPI's response_model serialisation (pydantic) writes for the same data."""

import uuid
from datetime import UTC, date, datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter

from shared.responses import json_bytes, json_response


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
