from __future__ import annotations

import pytest

from services.helpdesk.domain import (
    TARGET_SLA_BAKU,
    JenisSla,
    KonfigurasiHelpdesk,
    Prioritas,
    SlaTerlampaui,
    StatusSla,
    TargetSla,
    evaluasi_sla,
    pelanggaran_sla_baru,
)
from shared.errors import ValidationFailed
from tests.unit.helpdesk.bantuan import HELPDESK, KALENDER, PELAPOR, tiket_baru, wib

JAM = 3600


def test_a_running_clock_reports_target_elapsed_business_time_and_due_time():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 15))
    sla = evaluasi_sla(tiket, wib(2026, 1, 5, 15, 30), KALENDER)
    assert (sla.respons_pertama.target_detik, sla.respons_pertama.terpakai_detik) == (2 * JAM, 1800)
    assert sla.respons_pertama.jatuh_tempo == wib(2026, 1, 6, 8, 30)
    assert sla.respons_pertama.status is StatusSla.BERJALAN
    assert sla.penyelesaian.jatuh_tempo == wib(2026, 1, 8, 13, 30)
    assert not sla.respons_pertama.dijeda


@pytest.mark.parametrize(("respons", "status"), [
    (wib(2026, 1, 6, 8, 30), StatusSla.TERPENUHI),
    (wib(2026, 1, 6, 8, 30, 1), StatusSla.TERLAMPAUI),
])
def test_a_first_response_is_met_up_to_and_including_the_due_time(respons, status):
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 15))
    tiket.tanggapi(HELPDESK, "Sedang kami periksa.", respons)
    hasil = evaluasi_sla(tiket, wib(2026, 1, 7, 9), KALENDER).respons_pertama
    assert hasil.status is status
    assert hasil.terpakai_detik == KALENDER.detik_kerja(wib(2026, 1, 5, 15), respons)


def test_a_deadline_at_closing_time_is_breached_once_it_passes_even_after_office_hours():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 14))
    hasil = evaluasi_sla(tiket, wib(2026, 1, 5, 17), KALENDER).respons_pertama
    assert hasil.terpakai_detik == hasil.target_detik
    assert hasil.status is StatusSla.TERLAMPAUI


def test_internal_notes_do_not_stop_the_first_response_clock():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 9))
    tiket.tanggapi(HELPDESK, "cek log", wib(2026, 1, 5, 9, 10), internal=True)
    assert evaluasi_sla(tiket, wib(2026, 1, 5, 11, 1), KALENDER).respons_pertama.status is StatusSla.TERLAMPAUI


def test_an_evaluation_at_the_same_time_follows_every_change_of_the_ticket():
    # evaluasi_sla is remembered per inputs (issue 9): a change between two evaluations at the same `now`
    # (a response, a pause and its end) must show in the second, never the first answer again
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 9))
    now = wib(2026, 1, 5, 15)
    sebelum = evaluasi_sla(tiket, now, KALENDER)
    assert evaluasi_sla(tiket, now, KALENDER) == sebelum
    tiket.tunggu_pelapor(HELPDESK, "Mohon kirim nama berkas.", wib(2026, 1, 5, 10))
    dijeda = evaluasi_sla(tiket, now, KALENDER)
    assert dijeda.penyelesaian.dijeda and not sebelum.penyelesaian.dijeda
    assert dijeda.respons_pertama.status is StatusSla.TERPENUHI
    assert sebelum.respons_pertama.status is StatusSla.TERLAMPAUI
    tiket.tanggapi(PELAPOR, "Nama berkasnya penawaran.pdf", wib(2026, 1, 5, 11))
    lanjut = evaluasi_sla(tiket, now, KALENDER)
    assert not lanjut.penyelesaian.dijeda
    assert lanjut.penyelesaian.terpakai_detik == sebelum.penyelesaian.terpakai_detik - JAM


def test_waiting_for_the_reporter_freezes_the_resolution_clock_and_hides_the_due_time():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 9))
    tiket.tunggu_pelapor(HELPDESK, "Mohon kirim nama berkas.", wib(2026, 1, 5, 9, 30))
    hasil = evaluasi_sla(tiket, wib(2026, 1, 7, 10), KALENDER).penyelesaian
    assert (hasil.terpakai_detik, hasil.jatuh_tempo, hasil.dijeda) == (1800, None, True)
    assert hasil.status is StatusSla.BERJALAN


def test_after_the_reporter_replies_the_due_time_moves_by_the_paused_business_time():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 9))
    tiket.tunggu_pelapor(HELPDESK, "Mohon kirim nama berkas.", wib(2026, 1, 5, 9, 30))
    tiket.tanggapi(PELAPOR, "penawaran.zip", wib(2026, 1, 8, 8))
    hasil = evaluasi_sla(tiket, wib(2026, 1, 8, 9), KALENDER).penyelesaian
    assert hasil.terpakai_detik == 1800 + JAM
    assert hasil.jatuh_tempo == wib(2026, 1, 12, 14)
    assert not hasil.dijeda


def test_a_breach_before_the_pause_stays_a_breach_while_paused():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 8), prioritas="kritis")
    tiket.tunggu_pelapor(HELPDESK, "Mohon kirim nama berkas.", wib(2026, 1, 5, 13))
    hasil = evaluasi_sla(tiket, wib(2026, 1, 6, 9), KALENDER).penyelesaian
    assert hasil.jatuh_tempo == wib(2026, 1, 5, 12)
    assert hasil.status is StatusSla.TERLAMPAUI


def test_time_between_resolution_and_reopening_does_not_count():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 9))
    tiket.selesaikan(HELPDESK, "Cache dibersihkan.", wib(2026, 1, 5, 11))
    tiket.buka_kembali(PELAPOR, "Masih gagal.", wib(2026, 1, 7, 9), KALENDER)
    hasil = evaluasi_sla(tiket, wib(2026, 1, 7, 10), KALENDER).penyelesaian
    assert hasil.terpakai_detik == 3 * JAM
    assert hasil.status is StatusSla.BERJALAN


def test_resolution_is_met_at_resolution_time_and_stays_met_after_confirmation():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 9))
    tiket.selesaikan(HELPDESK, "Cache dibersihkan.", wib(2026, 1, 5, 11))
    tiket.konfirmasi(PELAPOR, wib(2026, 2, 2, 9))
    hasil = evaluasi_sla(tiket, wib(2026, 2, 2, 10), KALENDER).penyelesaian
    assert (hasil.status, hasil.terpakai_detik) == (StatusSla.TERPENUHI, 2 * JAM)


def test_a_ticket_opened_on_a_public_holiday_starts_its_clock_on_the_next_working_day():
    tiket = tiket_baru(waktu=wib(2026, 8, 17, 10))
    sla = evaluasi_sla(tiket, wib(2026, 8, 17, 15), KALENDER)
    assert sla.respons_pertama.terpakai_detik == 0
    assert sla.respons_pertama.jatuh_tempo == wib(2026, 8, 18, 9, 30)


def test_an_out_of_scope_ticket_meets_both_targets_at_once():
    sla = evaluasi_sla(tiket_baru(kategori="non_teknis"), wib(2026, 3, 1, 9), KALENDER)
    assert sla.respons_pertama.status is sla.penyelesaian.status is StatusSla.TERPENUHI


def test_evaluating_before_the_ticket_existed_counts_nothing():
    sla = evaluasi_sla(tiket_baru(waktu=wib(2026, 1, 5, 9)), wib(2026, 1, 5, 8), KALENDER)
    assert sla.penyelesaian.terpakai_detik == 0


def test_a_breach_is_recorded_exactly_once_per_kind():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 9), prioritas="kritis")
    assert pelanggaran_sla_baru(tiket, wib(2026, 1, 5, 9, 30), KALENDER) == ()
    assert tiket.catat_sla_terlampaui(wib(2026, 1, 5, 9, 40), KALENDER) == (JenisSla.RESPONS_PERTAMA,)
    assert tiket.catat_sla_terlampaui(wib(2026, 1, 5, 9, 50), KALENDER) == ()
    assert pelanggaran_sla_baru(tiket, wib(2026, 1, 5, 9, 50), KALENDER) == ()
    assert tiket.catat_sla_terlampaui(wib(2026, 1, 5, 13, 1), KALENDER) == (JenisSla.PENYELESAIAN,)
    peristiwa = [e for e in tiket.events if isinstance(e, SlaTerlampaui)]
    assert [(e.jenis, e.jatuh_tempo) for e in peristiwa] == [
        (JenisSla.RESPONS_PERTAMA, wib(2026, 1, 5, 9, 30)), (JenisSla.PENYELESAIAN, wib(2026, 1, 5, 13))]


def test_a_late_first_response_is_still_recorded_as_a_breach_after_the_fact():
    tiket = tiket_baru(waktu=wib(2026, 1, 5, 9), prioritas="kritis")
    tiket.tanggapi(HELPDESK, "Maaf terlambat.", wib(2026, 1, 5, 10))
    tiket.selesaikan(HELPDESK, "Sudah diperbaiki.", wib(2026, 1, 5, 10, 30))
    assert tiket.catat_sla_terlampaui(wib(2026, 1, 5, 11), KALENDER) == (JenisSla.RESPONS_PERTAMA,)


@pytest.mark.parametrize(("ubah", "isian"), [
    ({"target_per_prioritas": {Prioritas.SEDANG: TARGET_SLA_BAKU[Prioritas.SEDANG]}},
     "target_per_prioritas.rendah"),
    ({"tutup_otomatis_hari_kerja": 0}, "tutup_otomatis_hari_kerja"),
    ({"batas_buka_kembali_hari_kerja": -1}, "batas_buka_kembali_hari_kerja"),
    ({"rujukan_di_luar_lingkup": " "}, "rujukan_di_luar_lingkup"),
])
def test_invalid_helpdesk_configuration_is_refused_naming_the_field(ubah, isian):
    with pytest.raises(ValidationFailed) as galat:
        KonfigurasiHelpdesk(**ubah)
    assert isian in [e.field for e in galat.value.errors]


@pytest.mark.parametrize(("respons", "penyelesaian"), [(0, 3600), (600, -1), (True, 3600)])
def test_sla_targets_are_positive_business_seconds(respons, penyelesaian):
    with pytest.raises(ValidationFailed):
        TargetSla(respons, penyelesaian)
