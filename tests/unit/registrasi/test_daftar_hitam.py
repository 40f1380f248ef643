from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.registrasi.domain import (
    ATURAN_DAFTAR_HITAM,
    EntriDaftarHitam,
    JenisPelanggaran,
    akhir_daftar_hitam,
    aktif,
    periksa_daftar_hitam,
    tanggal_indonesia,
)
from shared.errors import RuleViolation

ETIKA, NON_ETIKA = JenisPelanggaran.ETIKA, JenisPelanggaran.NON_ETIKA
NPWP = "0013121660091000"


@pytest.mark.parametrize(("mulai", "jenis", "akhir"), [
    (date(2023, 3, 15), ETIKA, date(2025, 3, 15)),
    (date(2023, 3, 15), NON_ETIKA, date(2024, 3, 15)),
    (date(2024, 2, 29), ETIKA, date(2026, 2, 28)),
    (date(2024, 2, 29), NON_ETIKA, date(2025, 2, 28)),
    (date(2026, 2, 28), ETIKA, date(2028, 2, 28)),
    (date(2028, 2, 29), ETIKA, date(2030, 2, 28)),
    (date(2023, 8, 31), NON_ETIKA, date(2024, 8, 31)),
    (date(2024, 1, 31), NON_ETIKA, date(2025, 1, 31)),
    (date(2023, 12, 31), NON_ETIKA, date(2024, 12, 31)),
    (date(2023, 12, 1), ETIKA, date(2025, 12, 1)),
    (date(2024, 1, 1), ETIKA, date(2026, 1, 1)),
])
def test_a_blacklisting_lasts_24_calendar_months_for_ethics_and_12_otherwise(mulai, jenis, akhir):
    assert akhir_daftar_hitam(mulai, jenis) == akhir


@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), st.sampled_from(JenisPelanggaran))
def test_a_blacklisting_ends_on_the_same_day_of_month_or_that_months_last_day(mulai, jenis):
    akhir = akhir_daftar_hitam(mulai, jenis)
    bulan = {ETIKA: 24, NON_ETIKA: 12}[jenis]
    assert (akhir.year - mulai.year) * 12 + akhir.month - mulai.month == bulan
    assert akhir.day == mulai.day or (akhir + timedelta(days=1)).day == 1 < mulai.day


@pytest.mark.parametrize(("hari_ini", "masih_aktif"), [
    (date(2024, 2, 28), False),
    (date(2024, 2, 29), True),
    (date(2024, 12, 31), True),
    (date(2025, 2, 28), True),
    (date(2025, 3, 1), False),
])
def test_an_entry_is_active_from_its_start_through_its_end_date(hari_ini, masih_aktif):
    entri = EntriDaftarHitam(NON_ETIKA, date(2024, 2, 29), "mengundurkan diri tanpa alasan", npwp=NPWP)
    assert aktif(entri, hari_ini) is masih_aktif


def test_a_refusal_for_blacklisting_names_the_end_date_the_breach_and_the_article():
    entri = EntriDaftarHitam(ETIKA, date(2024, 2, 29), "dokumen penawaran palsu", npwp=NPWP)
    with pytest.raises(RuleViolation) as galat:
        periksa_daftar_hitam(NPWP, None, [entri], hari_ini=date(2025, 6, 2))
    assert galat.value.rule == ATURAN_DAFTAR_HITAM
    assert ("daftar hitam sampai dengan 28 Februari 2026 (pelanggaran etika: dokumen penawaran palsu)"
            in galat.value.detail)


def test_an_entry_without_a_nib_does_not_match_a_provider_without_a_nib():
    orang_lain = EntriDaftarHitam(ETIKA, date(2025, 1, 1), "kolusi", npwp="0015529183091000")
    periksa_daftar_hitam(NPWP, None, [orang_lain], hari_ini=date(2025, 6, 2))


@pytest.mark.parametrize(("tanggal", "teks"), [
    (date(2025, 1, 1), "1 Januari 2025"),
    (date(2026, 2, 28), "28 Februari 2026"),
    (date(2024, 12, 31), "31 Desember 2024"),
])
def test_dates_are_written_the_indonesian_way(tanggal, teks):
    assert tanggal_indonesia(tanggal) == teks
