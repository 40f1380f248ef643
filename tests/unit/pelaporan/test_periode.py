from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.pelaporan.periode import WIB, Periode, periode_dari_waktu
from shared.errors import ValidationFailed

UTC = UTC


def test_semester_one_runs_from_new_year_midnight_wib_to_first_of_july_midnight_wib():
    s1 = Periode.semesteran(2026, 1)

    assert s1.mulai == datetime(2026, 1, 1, tzinfo=WIB)
    assert s1.selesai == datetime(2026, 7, 1, tzinfo=WIB)
    assert s1.mulai.astimezone(UTC) == datetime(2025, 12, 31, 17, tzinfo=UTC)


def test_semester_two_runs_from_first_of_july_to_next_new_year_midnight_wib():
    s2 = Periode.semesteran(2026, 2)

    assert (s2.mulai, s2.selesai) == (datetime(2026, 7, 1, tzinfo=WIB), datetime(2027, 1, 1, tzinfo=WIB))


def test_the_annual_period_covers_the_whole_fiscal_year():
    tahun = Periode.tahunan(2026)

    assert (tahun.mulai, tahun.selesai) == (datetime(2026, 1, 1, tzinfo=WIB), datetime(2027, 1, 1, tzinfo=WIB))


@pytest.mark.parametrize(
    ("waktu", "harapan"),
    [
        (datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=WIB), Periode.semesteran(2026, 1)),
        (datetime(2026, 7, 1, 0, 0, tzinfo=WIB), Periode.semesteran(2026, 2)),
        (datetime(2026, 6, 30, 17, 0, tzinfo=UTC), Periode.semesteran(2026, 2)),
        (datetime(2026, 6, 30, 16, 59, 59, tzinfo=UTC), Periode.semesteran(2026, 1)),
        (datetime(2026, 12, 31, 23, 59, 59, tzinfo=WIB), Periode.semesteran(2026, 2)),
        (datetime(2027, 1, 1, 0, 0, tzinfo=WIB), Periode.semesteran(2027, 1)),
        (datetime(2026, 12, 31, 17, 0, tzinfo=UTC), Periode.semesteran(2027, 1)),
        (datetime(2025, 12, 31, 16, 59, 59, tzinfo=UTC), Periode.semesteran(2025, 2)),
    ],
)
def test_an_instant_falls_in_the_semester_of_its_wib_calendar_date(waktu, harapan):
    assert periode_dari_waktu(waktu) == harapan


def test_utc_1700_on_30_june_is_first_of_july_midnight_wib_and_so_in_semester_two():
    waktu = datetime.fromisoformat("2026-06-30T17:00:00+00:00")

    assert not Periode.semesteran(2026, 1).mengandung(waktu)
    assert Periode.semesteran(2026, 2).mengandung(waktu)


def test_an_instant_on_new_years_eve_utc_belongs_to_the_next_fiscal_year_in_wib():
    assert periode_dari_waktu(datetime(2026, 12, 31, 17, 0, tzinfo=UTC), "tahunan") == Periode.tahunan(2027)
    assert periode_dari_waktu(datetime(2026, 12, 31, 16, 59, tzinfo=UTC), "tahunan") == Periode.tahunan(2026)


@pytest.mark.parametrize(
    ("periode", "sebelumnya"),
    [
        (Periode.semesteran(2026, 1), Periode.semesteran(2025, 2)),
        (Periode.semesteran(2026, 2), Periode.semesteran(2026, 1)),
        (Periode.tahunan(2026), Periode.tahunan(2025)),
    ],
)
def test_the_previous_comparable_period(periode, sebelumnya):
    assert periode.sebelumnya() == sebelumnya


def test_a_period_has_ended_exactly_at_its_exclusive_end():
    s1 = Periode.semesteran(2026, 1)

    assert not s1.sudah_berakhir(s1.selesai - timedelta(microseconds=1))
    assert s1.sudah_berakhir(s1.selesai)
    assert s1.sudah_berakhir(datetime(2026, 6, 30, 17, 0, tzinfo=UTC))
    assert not Periode.tahunan(2026).sudah_berakhir(datetime(2026, 12, 31, 16, 59, tzinfo=UTC))


def test_a_naive_datetime_is_refused_because_it_cannot_be_placed_in_wib():
    with pytest.raises(ValidationFailed) as galat:
        periode_dari_waktu(datetime(2026, 7, 1))

    assert [e.field for e in galat.value.errors] == ["dt"]


@pytest.mark.parametrize("semester", [0, 3, None, "1"])
def test_a_semester_other_than_one_or_two_is_refused_naming_the_field(semester):
    with pytest.raises(ValidationFailed) as galat:
        Periode(2026, "semester", semester)

    assert [e.field for e in galat.value.errors] == ["semester"]


def test_an_annual_period_with_a_semester_is_refused():
    with pytest.raises(ValidationFailed) as galat:
        Periode(2026, "tahunan", 1)

    assert [e.field for e in galat.value.errors] == ["semester"]


@pytest.mark.parametrize("tahun", [1999, 2101, "2026", True])
def test_a_year_outside_the_sane_range_is_refused_naming_the_field(tahun):
    with pytest.raises(ValidationFailed) as galat:
        Periode.tahunan(tahun)

    assert [e.field for e in galat.value.errors] == ["tahun"]


def test_an_unknown_period_kind_is_refused_naming_the_field():
    with pytest.raises(ValidationFailed) as galat:
        Periode(2026, "triwulan", 1)

    assert [e.field for e in galat.value.errors] == ["jenis"]


def test_periods_have_stable_codes_and_indonesian_names():
    assert (Periode.semesteran(2026, 1).kode, Periode.semesteran(2026, 1).nama) == ("2026-S1", "Semester I Tahun 2026")
    assert (Periode.semesteran(2026, 2).kode, Periode.semesteran(2026, 2).nama) == ("2026-S2", "Semester II Tahun 2026")
    assert (Periode.tahunan(2026).kode, Periode.tahunan(2026).nama) == ("2026", "Tahun 2026")


@given(st.datetimes(datetime(2001, 1, 1), datetime(2099, 12, 31), timezones=st.sampled_from([UTC, WIB])))
def test_every_aware_instant_lies_in_exactly_one_semester_which_follows_its_predecessor(waktu):
    periode = periode_dari_waktu(waktu)

    assert periode.mengandung(waktu)
    assert not periode.sebelumnya().mengandung(waktu)
    assert periode.sebelumnya().selesai == periode.mulai
    assert periode_dari_waktu(waktu, "tahunan").mengandung(waktu)
