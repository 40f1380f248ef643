import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.kripto import DEV_KUNCI_DATA, Kripto
from shared.ratelimit import SlidingWindow

K = Kripto(DEV_KUNCI_DATA)


@given(st.text(max_size=64))
def test_a_value_decrypts_to_itself_and_never_appears_in_its_ciphertext(value):
    token = K.enkripsi(value)
    assert K.dekripsi(token) == value
    if len(value) >= 4:
        assert value not in token


def test_the_same_value_encrypts_differently_but_indexes_the_same():
    assert K.enkripsi("3201234567890001") != K.enkripsi("3201234567890001")
    assert K.indeks_buta("3201234567890001") == K.indeks_buta("3201234567890001")
    assert K.indeks_buta("3201234567890001") != K.indeks_buta("3201234567890002")


def test_another_key_cannot_decrypt_or_reproduce_the_index():
    other = Kripto(base64.b64encode(b"x" * 32).decode())
    with pytest.raises(Exception):
        other.dekripsi(K.enkripsi("0012345678901000"))
    assert other.indeks_buta("0012345678901000") != K.indeks_buta("0012345678901000")


def test_a_tampered_ciphertext_is_refused():
    token = K.enkripsi("3201234567890001")
    raw = bytearray(base64.b64decode(token[3:]))
    raw[-1] ^= 1
    with pytest.raises(Exception):
        K.dekripsi("v1:" + base64.b64encode(bytes(raw)).decode())


def test_the_window_allows_the_limit_then_refuses_until_the_oldest_hit_ages_out():
    window = SlidingWindow(3, 60)
    assert [window.hit("a", now=t) for t in (0, 1, 2)] == [None, None, None]
    assert window.hit("a", now=3) == pytest.approx(57)
    assert window.hit("b", now=3) is None
    assert window.hit("a", now=60.5) is None
