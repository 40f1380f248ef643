"""Time cursors: whatever a caller crafts, a 422 naming query.cursor, never a database error."""

from datetime import UTC, datetime

import pytest

from shared.errors import ValidationFailed
from shared.pagination import decode_time_cursor, encode_cursor


def test_a_cursor_the_service_wrote_reads_back():
    waktu = datetime(2026, 11, 30, 8, 0, 1, 250, tzinfo=UTC)
    assert decode_time_cursor(encode_cursor(waktu.isoformat(), "abc")) == (waktu, "abc")
    assert decode_time_cursor(None) is None and decode_time_cursor("") is None


@pytest.mark.parametrize("keys", [
    ("0001-01-01T00:00:00+00:00", "x"),  # before PostgreSQL can hold it once shifted to UTC
    ("9999-12-31T23:59:59+00:00", "x"),
    ("2026-01-01T00:00:00", "x"),  # no zone
    ("kemarin", "x"),
    ("2026-01-01T00:00:00+00:00",),
    ("2026-01-01T00:00:00+00:00", "x", "y"),
    ("2026-01-01T00:00:00+00:00", ["x"]),
    (20260101, "x"),
])
def test_a_crafted_cursor_is_a_422_on_query_cursor(keys):
    with pytest.raises(ValidationFailed) as caught:
        decode_time_cursor(encode_cursor(*keys))
    assert [e.field for e in caught.value.errors] == ["query.cursor"]


def test_a_cursor_that_is_not_base64_json_is_a_422_too():
    with pytest.raises(ValidationFailed):
        decode_time_cursor("!!!")
