from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.unit.helpdesk.bantuan import KALENDER

PROPERTI = settings(deadline=None, max_examples=150)

ZONA = st.sampled_from([UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=9)),
                        timezone(timedelta(hours=-5, minutes=-30))])


@st.composite
def waktu(draw, mikro: bool = False) -> datetime:
    naif = draw(st.datetimes(min_value=datetime(2024, 12, 1), max_value=datetime(2027, 1, 31)))
    if not mikro:
        naif = naif.replace(microsecond=0)
    return naif.replace(tzinfo=UTC).astimezone(draw(ZONA))


DETIK = st.integers(min_value=0, max_value=400 * 3600)


def urut(*nilai: datetime) -> list[datetime]:
    return sorted(nilai)


@PROPERTI
@given(waktu(), DETIK)
def test_adding_business_seconds_then_counting_them_gives_them_back(mulai, detik):
    jatuh_tempo = KALENDER.tambah_waktu_kerja(mulai, detik)
    assert KALENDER.detik_kerja(mulai, jatuh_tempo) == detik


@PROPERTI
@given(waktu(mikro=True), st.integers(min_value=1, max_value=400 * 3600 * 10**6))
def test_the_due_time_is_the_earliest_moment_with_microsecond_inputs(mulai, mikrodetik):
    detik = mikrodetik / 10**6
    jatuh_tempo = KALENDER.tambah_waktu_kerja(mulai, detik)
    assert KALENDER.detik_kerja(mulai, jatuh_tempo) == detik
    assert KALENDER.detik_kerja(mulai, jatuh_tempo - timedelta(microseconds=1)) < detik


@PROPERTI
@given(waktu(), waktu())
def test_counting_to_an_end_then_adding_back_never_passes_that_end(a, b):
    mulai, selesai = urut(a, b)
    kembali = KALENDER.tambah_waktu_kerja(mulai, KALENDER.detik_kerja(mulai, selesai))
    assert kembali <= selesai
    assert KALENDER.detik_kerja(kembali, selesai) == 0


@PROPERTI
@given(waktu(), waktu(), waktu())
def test_business_seconds_add_up_over_a_split_point(a, b, c):
    a, b, c = urut(a, b, c)
    assert KALENDER.detik_kerja(a, c) == KALENDER.detik_kerja(a, b) + KALENDER.detik_kerja(b, c)


@PROPERTI
@given(waktu(), waktu())
def test_business_seconds_are_never_negative_nor_more_than_wall_clock_time(a, b):
    mulai, selesai = urut(a, b)
    detik = KALENDER.detik_kerja(mulai, selesai)
    assert 0 <= detik <= (selesai - mulai).total_seconds()


@PROPERTI
@given(waktu(), waktu(), waktu())
def test_business_seconds_grow_with_a_later_end(a, b, c):
    mulai, selesai_awal, selesai_akhir = urut(a, b, c)
    assert KALENDER.detik_kerja(mulai, selesai_awal) <= KALENDER.detik_kerja(mulai, selesai_akhir)


@PROPERTI
@given(waktu(), DETIK, DETIK)
def test_due_time_grows_with_more_business_seconds(mulai, d1, d2):
    kecil, besar = sorted((d1, d2))
    assert KALENDER.tambah_waktu_kerja(mulai, kecil) <= KALENDER.tambah_waktu_kerja(mulai, besar)


@PROPERTI
@given(waktu(), waktu(), ZONA)
def test_the_offset_an_instant_is_written_in_does_not_change_the_count(a, b, zona):
    mulai, selesai = urut(a, b)
    assert KALENDER.detik_kerja(mulai, selesai) == KALENDER.detik_kerja(
        mulai.astimezone(zona), selesai.astimezone(zona))


@st.composite
def daftar_jeda(draw) -> list[tuple[datetime, datetime | None]]:
    jeda = []
    for _ in range(draw(st.integers(0, 3))):
        mulai, selesai = urut(draw(waktu()), draw(waktu()))
        jeda.append((mulai, None if draw(st.booleans()) and not jeda else selesai))
    return jeda


@PROPERTI
@given(waktu(), waktu(), daftar_jeda())
def test_pauses_only_ever_take_business_time_away(a, b, jeda):
    mulai, selesai = urut(a, b)
    dengan_jeda = KALENDER.detik_kerja(mulai, selesai, jeda)
    assert 0 <= dengan_jeda <= KALENDER.detik_kerja(mulai, selesai)


@PROPERTI
@given(waktu(), DETIK, daftar_jeda())
def test_adding_with_pauses_then_counting_with_the_same_pauses_gives_them_back(mulai, detik, jeda):
    jatuh_tempo = KALENDER.tambah_waktu_kerja(mulai, detik, jeda)
    assume(jatuh_tempo is not None)
    assert jatuh_tempo >= mulai
    assert KALENDER.detik_kerja(mulai, jatuh_tempo, jeda) == detik
