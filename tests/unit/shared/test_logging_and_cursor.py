import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from shared.errors import ValidationFailed
from shared.logging import _CANDIDATE, _may_hold_personal_number, mask_personal_numbers
from shared.pagination import decode_cursor, encode_cursor


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nik 3201234567890001 ok", "nik 3201********0001 ok"),
        ("npwp 0012345678901000", "npwp 0012********1000"),
        ("npwp lama 012345678901000", "npwp lama 0123*******1000"),
        ("npwp 01.234.567.8-901.000 x", "npwp **.***.***.*-***.*** x"),
        ("nip 198001012005011001 tetap", "nip 198001012005011001 tetap"),
        ("nib 1234567890123 tetap", "nib 1234567890123 tetap"),
    ],
)
def test_personal_numbers_are_masked_in_log_text(text, expected):
    assert mask_personal_numbers(text) == expected


@given(st.text(alphabet=st.sampled_from([*"0123456789" * 4, ".", "-", "x", '"', "٣"]), max_size=60))
@example("12345678901234")
@example("٣20123456789012")
@example("01.234.567.8-")
@example("01.234.567.8x")
def test_the_fast_probe_for_personal_numbers_answers_as_the_regex(text):
    # the access log's probe (digits folded to '0', substring search) must flag exactly the lines the
    # regex flags, also with a non-ASCII digit ('٣' is a digit to \d), or a NIK could pass unmasked
    assert _may_hold_personal_number(text.encode()) == (_CANDIDATE.search(text) is not None)


@given(st.lists(st.one_of(st.integers(-(2**63), 2**63 - 1), st.text(max_size=20)), max_size=4))
def test_a_cursor_decodes_to_the_keys_it_encoded(keys):
    assert decode_cursor(encode_cursor(*keys)) == keys


@pytest.mark.parametrize("cursor", ["***", "bm90IGpzb24", "eyJhIjogMX0"])
def test_a_forged_cursor_is_a_validation_error_naming_the_parameter(cursor):
    with pytest.raises(ValidationFailed) as caught:
        decode_cursor(cursor)
    assert caught.value.errors[0].field == "query.cursor"


def test_the_access_line_is_the_line_structlog_writes_with_personal_numbers_masked(capsys):
    import json

    import structlog

    from shared.logging import access_log, configure_logging, get_logger

    configure_logging("uji")
    structlog.contextvars.bind_contextvars(request_id="r-1")
    try:
        get_logger("ukpbj.http").info("request", method="GET", path="/api/v1/x/3201011708800001", status=200,
                                      duration_ms=1.5)
        access_log("GET", "/api/v1/x/3201011708800001", 200, 1.5, "r-1")
    finally:
        structlog.contextvars.unbind_contextvars("request_id")
    lewat_structlog, langsung = (json.loads(line) for line in capsys.readouterr().out.splitlines()[-2:])
    assert lewat_structlog.pop("timestamp").endswith("Z") and langsung.pop("timestamp").endswith("Z")
    assert langsung == lewat_structlog
    assert langsung["path"] == "/api/v1/x/3201********0001"


def test_a_request_id_the_platform_makes_is_never_masked_in_the_logs():
    """The id a caller reads in a problem response is the one the operator finds in the log lines: a
    generated id cannot hold the 15-digit run the masking takes for a NIK/NPWP (one hex UUID in ~190 did)."""
    import re

    from shared.http import new_request_id

    ids = [new_request_id() for _ in range(20_000)]
    assert [i for i in ids if mask_personal_numbers(i) != i] == []
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", i) for i in ids)
    # the form itself guarantees it: even digits only in every group leave runs of at most 12
    worst = "12345678-1234-4234-9234-123456789012"
    assert mask_personal_numbers(worst) == worst
