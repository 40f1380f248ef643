from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import holidays
import pytest

from services.helpdesk.waktu_kerja import (
    WIB,
    KalenderKerja,
    KonfigurasiWaktuKerja,
    PeriodeJamKhusus,
)
from shared.errors import ValidationFailed
from tests.unit.helpdesk.bantuan import KALENDER, wib

JAM = 3600


# ── office-hour edges (week of Monday 5 January 2026 has no holiday) ──

@pytest.mark.parametrize(("mulai", "selesai", "detik"), [
    (wib(2026, 1, 5, 7, 30), wib(2026, 1, 5, 16), 8.5 * JAM),
    (wib(2026, 1, 5, 7, 29, 59), wib(2026, 1, 5, 7, 30, 1), 1),
    (wib(2026, 1, 5, 15, 59, 59), wib(2026, 1, 5, 16, 0, 1), 1),
    (wib(2026, 1, 5, 16), wib(2026, 1, 5, 23, 59), 0),
    (wib(2026, 1, 5, 0), wib(2026, 1, 5, 7, 30), 0),
    (wib(2026, 1, 9, 16), wib(2026, 1, 9, 16, 30), 30 * 60),
    (wib(2026, 1, 9, 16, 29, 59), wib(2026, 1, 9, 16, 30, 1), 1),
    (wib(2026, 1, 5, 0), wib(2026, 1, 10, 0), 4 * 8.5 * JAM + 9 * JAM),
    (wib(2026, 1, 10, 0), wib(2026, 1, 12, 0), 0),
    (wib(2026, 1, 5, 10), wib(2026, 1, 5, 10), 0),
])
def test_business_seconds_count_only_office_hours(mulai, selesai, detik):
    assert KALENDER.detik_kerja(mulai, selesai) == detik


@pytest.mark.parametrize(("mulai", "detik", "jatuh_tempo"), [
    (wib(2026, 1, 5, 7, 30), 0, wib(2026, 1, 5, 7, 30)),
    (wib(2026, 1, 5, 15, 59, 59), 1, wib(2026, 1, 5, 16)),
    (wib(2026, 1, 5, 16), 1, wib(2026, 1, 6, 7, 30, 1)),
    (wib(2026, 1, 5, 5), 60, wib(2026, 1, 5, 7, 31)),
    (wib(2026, 1, 5, 7, 30), 8.5 * JAM, wib(2026, 1, 5, 16)),
    (wib(2026, 1, 9, 16, 29, 59), 1, wib(2026, 1, 9, 16, 30)),
    (wib(2026, 1, 9, 16, 30), 1, wib(2026, 1, 12, 7, 30, 1)),
    (wib(2026, 1, 10, 10), JAM, wib(2026, 1, 12, 8, 30)),
])
def test_due_time_is_the_earliest_moment_the_business_seconds_have_run(mulai, detik, jatuh_tempo):
    assert KALENDER.tambah_waktu_kerja(mulai, detik) == jatuh_tempo


def test_a_deadline_reached_exactly_at_closing_time_stays_on_that_day():
    hasil = KALENDER.tambah_waktu_kerja(wib(2026, 1, 9, 8), 8.5 * JAM)
    assert hasil == wib(2026, 1, 9, 16, 30)


# ── holidays come from the library and the unit's configuration ──

def test_every_weekday_public_holiday_of_2025_and_2026_in_the_library_is_a_day_off():
    for tahun in (2025, 2026):
        libur = holidays.country_holidays("ID", years=tahun)
        hari_kerja_libur = [d for d in libur if d.weekday() < 5]
        assert hari_kerja_libur
        assert not any(KALENDER.adalah_hari_kerja(d) for d in hari_kerja_libur)


def test_independence_day_2026_on_a_monday_is_skipped():
    assert KALENDER.tambah_waktu_kerja(wib(2026, 8, 14, 16, 30), 1) == wib(2026, 8, 18, 7, 30, 1)
    assert KALENDER.detik_kerja(wib(2026, 8, 17, 0), wib(2026, 8, 18, 0)) == 0


def test_idul_fitri_2026_with_nyepi_and_cuti_bersama_closes_the_office_for_a_week():
    assert KALENDER.tambah_waktu_kerja(wib(2026, 3, 17, 16), 1) == wib(2026, 3, 25, 7, 30, 1)


def test_idul_fitri_2025_and_its_cuti_bersama_are_skipped():
    assert KALENDER.tambah_waktu_kerja(wib(2025, 3, 27, 16), 1) == wib(2025, 4, 8, 7, 30, 1)


def test_library_cuti_bersama_counts_only_when_the_government_category_is_configured():
    hanya_nasional = KalenderKerja(KonfigurasiWaktuKerja(kategori_libur=("public",)))
    cuti_bersama_idul_fitri = date(2026, 3, 20)
    assert hanya_nasional.adalah_hari_kerja(cuti_bersama_idul_fitri)
    assert not KALENDER.adalah_hari_kerja(cuti_bersama_idul_fitri)


def test_a_date_the_unit_declares_off_is_not_a_working_day():
    kalender = KalenderKerja(KonfigurasiWaktuKerja(libur_tambahan=frozenset({date(2026, 1, 7)})))
    assert not kalender.adalah_hari_kerja(date(2026, 1, 7))
    assert kalender.detik_kerja(wib(2026, 1, 6, 16), wib(2026, 1, 8, 7, 30)) == 0
    assert kalender.tambah_waktu_kerja(wib(2026, 1, 6, 16), 1) == wib(2026, 1, 8, 7, 30, 1)


def test_weekends_have_no_office_hours():
    assert not KALENDER.adalah_hari_kerja(date(2026, 1, 10))
    assert not KALENDER.adalah_hari_kerja(date(2026, 1, 11))
    assert KALENDER.adalah_hari_kerja(date(2026, 1, 12))


# ── time zones ──

def test_inputs_in_any_offset_are_read_as_the_same_instant():
    utc = datetime(2026, 1, 5, 0, 30, tzinfo=UTC)
    wit = datetime(2026, 1, 5, 11, 30, tzinfo=timezone(timedelta(hours=9)))
    assert KALENDER.detik_kerja(utc, wit) == 2 * JAM


def test_due_times_are_returned_in_wib():
    hasil = KALENDER.tambah_waktu_kerja(datetime(2026, 1, 5, 0, 30, tzinfo=UTC), JAM)
    assert hasil is not None
    assert hasil.tzinfo == WIB
    assert (hasil.hour, hasil.minute) == (8, 30)


def test_a_naive_datetime_is_refused_naming_the_field():
    with pytest.raises(ValidationFailed) as galat:
        KALENDER.detik_kerja(datetime(2026, 1, 5, 8), wib(2026, 1, 5, 9))
    assert galat.value.errors[0].field == "mulai"


def test_an_end_before_the_start_is_refused():
    with pytest.raises(ValidationFailed):
        KALENDER.detik_kerja(wib(2026, 1, 5, 9), wib(2026, 1, 5, 8))


@pytest.mark.parametrize("detik", [-1, float("nan"), float("inf")])
def test_a_negative_or_non_finite_duration_is_refused(detik):
    with pytest.raises(ValidationFailed):
        KALENDER.tambah_waktu_kerja(wib(2026, 1, 5, 9), detik)


# ── pauses ──

def test_a_closed_pause_is_excluded():
    jeda = [(wib(2026, 1, 5, 9), wib(2026, 1, 5, 10))]
    assert KALENDER.detik_kerja(wib(2026, 1, 5, 8), wib(2026, 1, 5, 12), jeda) == 3 * JAM


def test_an_open_pause_runs_to_the_end_of_the_interval():
    jeda = [(wib(2026, 1, 5, 11), None)]
    assert KALENDER.detik_kerja(wib(2026, 1, 5, 8), wib(2026, 1, 6, 12), jeda) == 3 * JAM


def test_overlapping_pauses_are_not_subtracted_twice():
    jeda = [(wib(2026, 1, 5, 9), wib(2026, 1, 5, 10)), (wib(2026, 1, 5, 9, 30), wib(2026, 1, 5, 10, 30))]
    assert KALENDER.detik_kerja(wib(2026, 1, 5, 8), wib(2026, 1, 5, 12), jeda) == 2.5 * JAM


def test_pauses_outside_the_interval_do_not_count():
    jeda = [(wib(2026, 1, 2, 9), wib(2026, 1, 5, 8)), (wib(2026, 1, 5, 12), wib(2026, 1, 5, 13))]
    assert KALENDER.detik_kerja(wib(2026, 1, 5, 8), wib(2026, 1, 5, 12), jeda) == 4 * JAM


def test_a_pause_over_a_weekend_removes_only_its_business_time():
    jeda = [(wib(2026, 1, 9, 15), wib(2026, 1, 12, 8))]
    assert KALENDER.detik_kerja(wib(2026, 1, 9, 8), wib(2026, 1, 12, 16), jeda) == 7 * JAM + 8 * JAM


def test_a_closed_pause_pushes_the_due_time_back():
    jeda = [(wib(2026, 1, 5, 9), wib(2026, 1, 5, 10))]
    assert KALENDER.tambah_waktu_kerja(wib(2026, 1, 5, 8), 2 * JAM, jeda) == wib(2026, 1, 5, 11)


def test_an_open_pause_before_the_deadline_leaves_no_due_time():
    jeda = [(wib(2026, 1, 5, 9), None)]
    assert KALENDER.tambah_waktu_kerja(wib(2026, 1, 5, 8), 2 * JAM, jeda) is None
    assert KALENDER.tambah_waktu_kerja(wib(2026, 1, 5, 8), 30 * 60, jeda) == wib(2026, 1, 5, 8, 30)


def test_a_deadline_reached_exactly_when_a_pause_starts_is_not_pushed_past_the_pause():
    for akhir in (wib(2026, 1, 5, 10), None):
        jeda = [(wib(2026, 1, 5, 9), akhir)]
        assert KALENDER.tambah_waktu_kerja(wib(2026, 1, 5, 8), JAM, jeda) == wib(2026, 1, 5, 9)


def test_a_pause_ending_before_its_start_is_refused():
    with pytest.raises(ValidationFailed) as galat:
        KALENDER.detik_kerja(wib(2026, 1, 5, 8), wib(2026, 1, 5, 12),
                             [(wib(2026, 1, 5, 10), wib(2026, 1, 5, 9))])
    assert galat.value.errors[0].field == "jeda[0].selesai"


# ── business days ──

@pytest.mark.parametrize(("mulai", "n", "hasil"), [
    (wib(2026, 1, 5, 10), 1, wib(2026, 1, 6, 16)),
    (wib(2026, 1, 8, 10), 1, wib(2026, 1, 9, 16, 30)),
    (wib(2026, 1, 9, 10), 1, wib(2026, 1, 12, 16)),
    (wib(2026, 1, 10, 10), 1, wib(2026, 1, 12, 16)),
    (wib(2026, 1, 5, 23), 3, wib(2026, 1, 8, 16)),
    (wib(2026, 3, 17, 10), 1, wib(2026, 3, 25, 16)),
    (wib(2026, 1, 5, 10), 0, wib(2026, 1, 5, 10)),
])
def test_n_business_days_after_ends_at_closing_time_of_the_nth_working_day(mulai, n, hasil):
    assert KALENDER.hari_kerja_setelah(mulai, n) == hasil


# ── configuration ──

def test_a_break_can_be_configured_as_two_sessions():
    jam = {h: ((time(7, 30), time(12)), (time(13), time(16))) for h in range(5)}
    kalender = KalenderKerja(KonfigurasiWaktuKerja(jam_kerja=jam))
    assert kalender.detik_kerja(wib(2026, 1, 5, 11), wib(2026, 1, 5, 14)) == 2 * JAM
    assert kalender.tambah_waktu_kerja(wib(2026, 1, 5, 11, 30), JAM) == wib(2026, 1, 5, 13, 30)


def test_ramadan_hours_apply_only_within_their_period():
    ramadan = PeriodeJamKhusus(date(2026, 2, 18), date(2026, 3, 19),
                               {h: ((time(8), time(15)),) for h in range(5)})
    kalender = KalenderKerja(KonfigurasiWaktuKerja(periode_khusus=(ramadan,)))
    assert kalender.detik_kerja(wib(2026, 2, 23), wib(2026, 2, 24)) == 7 * JAM
    assert kalender.detik_kerja(wib(2026, 2, 11), wib(2026, 2, 12)) == 8.5 * JAM


@pytest.mark.parametrize(("ubah", "isian"), [
    ({"jam_kerja": {0: ((time(16), time(7, 30)),)}}, "jam_kerja.0"),
    ({"jam_kerja": {0: ((time(8), time(12)), (time(11), time(15)))}}, "jam_kerja.0"),
    ({"jam_kerja": {7: ((time(8), time(12)),)}}, "jam_kerja.7"),
    ({"jam_kerja": dict.fromkeys(range(7), ())}, "jam_kerja"),
    ({"kategori_libur": ("libur_kantor",)}, "kategori_libur"),
])
def test_invalid_configuration_is_refused_naming_the_field(ubah, isian):
    with pytest.raises(ValidationFailed) as galat:
        KonfigurasiWaktuKerja(**ubah)
    assert isian in [e.field for e in galat.value.errors]


def test_spans_over_many_years_are_computed_day_by_day_not_second_by_second():
    mulai, selesai = wib(2020, 1, 1), wib(2035, 1, 1)
    total = KALENDER.detik_kerja(mulai, selesai)
    per_tahun = sum(KALENDER.detik_kerja(wib(t, 1, 1), wib(t + 1, 1, 1)) for t in range(2020, 2035))
    assert total == per_tahun
    assert KALENDER.tambah_waktu_kerja(mulai, total) <= selesai
