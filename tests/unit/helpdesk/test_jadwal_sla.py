from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.helpdesk.domain import JenisSla, StatusSla, evaluasi_sla, pemeriksaan_sla_berikutnya
from services.helpdesk.waktu_kerja import KalenderKerja, KonfigurasiWaktuKerja
from tests.unit.helpdesk.bantuan import HELPDESK, KALENDER, PELAPOR, tiket_baru, wib

DETIK = timedelta(seconds=1)


def test_a_new_ticket_is_next_checked_at_its_first_response_due_time():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 15))
    assert pemeriksaan_sla_berikutnya(tiket, wib(2026, 1, 5, 15), KALENDER) == wib(2026, 1, 6, 8, 30)


def test_after_the_first_response_the_resolution_due_time_is_next():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 15))
    tiket.tanggapi(HELPDESK, "Kami periksa.", wib(2026, 1, 5, 15, 10))
    assert pemeriksaan_sla_berikutnya(tiket, wib(2026, 1, 5, 15, 10), KALENDER) == wib(2026, 1, 8, 13, 30)


def test_a_paused_clock_short_of_its_target_needs_no_check():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 9))
    tiket.tunggu_pelapor(HELPDESK, "Nama berkas?", wib(2026, 1, 5, 9, 30))
    assert pemeriksaan_sla_berikutnya(tiket, wib(2026, 1, 5, 9, 30), KALENDER) is None


def test_an_unrecorded_breach_is_due_at_once_and_a_recorded_one_never_again():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 9), prioritas="kritis")
    saat = wib(2026, 1, 5, 9, 45)
    assert pemeriksaan_sla_berikutnya(tiket, saat, KALENDER) == saat
    tiket.catat_sla_terlampaui(saat, KALENDER)
    assert pemeriksaan_sla_berikutnya(tiket, saat, KALENDER) == wib(2026, 1, 5, 13)


def test_a_closed_ticket_whose_clocks_stopped_in_time_needs_no_check():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 9))
    tiket.selesaikan(HELPDESK, "Beres.", wib(2026, 1, 5, 10))
    tiket.konfirmasi(PELAPOR, wib(2026, 1, 5, 11))
    assert pemeriksaan_sla_berikutnya(tiket, wib(2026, 1, 5, 11), KALENDER) is None


@settings(max_examples=60, deadline=None)
@given(jam=st.integers(0, 23), menit=st.integers(0, 59), hari=st.integers(0, 40))
def test_the_scheduled_check_is_the_moment_a_breach_begins(jam, menit, hari):
    dibuat = wib(2026, 1, 5, jam, menit) + timedelta(days=hari)
    tiket = tiket_baru(waktu=dibuat)
    saat = pemeriksaan_sla_berikutnya(tiket, dibuat, KALENDER)
    assert saat is not None and saat >= dibuat
    assert evaluasi_sla(tiket, saat, KALENDER).respons_pertama.status is StatusSla.BERJALAN
    assert evaluasi_sla(tiket, saat + DETIK, KALENDER).respons_pertama.status is StatusSla.TERLAMPAUI
    assert tiket.catat_sla_terlampaui(saat + DETIK, KALENDER) == (JenisSla.RESPONS_PERTAMA,)


@settings(max_examples=40, deadline=None)
@given(hari=st.integers(0, 300))
def test_a_declared_day_off_removes_exactly_that_days_office_hours(hari):
    tanggal = date(2026, 1, 1) + timedelta(days=hari)
    cuti = KalenderKerja(KonfigurasiWaktuKerja(libur_tambahan=frozenset({tanggal})))
    awal, akhir = wib(2026, 1, 1), wib(2027, 1, 1)
    hilang = KALENDER.detik_kerja(awal, akhir) - cuti.detik_kerja(awal, akhir)
    sehari = KALENDER.detik_kerja(wib(tanggal.year, tanggal.month, tanggal.day),
                                  wib(tanggal.year, tanggal.month, tanggal.day) + timedelta(days=1))
    assert hilang == sehari
