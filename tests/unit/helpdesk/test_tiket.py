from __future__ import annotations

from datetime import datetime

import pytest

from services.helpdesk.domain import (
    KONFIGURASI_BAKU,
    Aktor,
    KepuasanTiketDinilai,
    KonfigurasiHelpdesk,
    Pelapor,
    PeranTanggapan,
    Prioritas,
    PrioritasTiketDiubah,
    SebabPenutupan,
    StatusTiket,
    TargetSla,
    TiketDibuat,
    TiketDibukaKembali,
    TiketDitanggapi,
    TiketDitugaskan,
    TiketDitutup,
    pilih_petugas,
)
from shared.errors import Forbidden, InvalidState, ValidationFailed
from tests.unit.helpdesk.bantuan import (
    HELPDESK,
    HELPDESK_LAIN,
    KALENDER,
    KASUBBAG,
    ORANG_LAIN,
    PELAPOR,
    tiket_baru,
    wib,
)


def jenis_peristiwa(tiket) -> list[str]:
    return [type(e).__name__ for e in tiket.events]


def tiket_selesai(waktu: datetime | None = None):
    tiket = tiket_baru()
    tiket.tanggapi(HELPDESK, "Silakan bersihkan cache peramban lalu unggah ulang.", wib(2026, 1, 5, 10))
    tiket.selesaikan(HELPDESK, "Batas unggah dinaikkan menjadi 50 MB.", waktu or wib(2026, 1, 5, 11))
    return tiket


# ── creation ──

def test_a_ticket_from_an_spse_user_starts_new_and_records_its_creation():
    tiket = tiket_baru()
    assert tiket.status is StatusTiket.BARU
    assert tiket.dibuat_pada == wib(2026, 1, 5, 9)
    assert tiket.target_sla == KONFIGURASI_BAKU.target_sla(Prioritas.SEDANG, tiket.kategori)
    [dibuat] = tiket.events
    assert isinstance(dibuat, TiketDibuat)
    assert (dibuat.pelapor_sub, dibuat.paket_kode, dibuat.di_luar_lingkup) == (PELAPOR.sub, "10012345", False)


def test_an_anonymous_reporter_acts_with_a_subject_scoped_to_the_ticket():
    tiket = tiket_baru(pelapor=Pelapor(nama="Siti Aminah", telepon="+62 812-3456-7890"))
    assert tiket.subjek_pelapor == "publik:T-1"
    assert tiket.adalah_pelapor(Aktor("publik:T-1"))
    assert not tiket.adalah_pelapor(Aktor("publik:T-2"))


@pytest.mark.parametrize(("pelapor", "isian"), [
    (Pelapor(nama="Siti Aminah"), "pelapor.email"),
    (Pelapor(email="siti@contoh.id"), "pelapor.nama"),
    (Pelapor(nama="Siti", email="bukan-email"), "pelapor.email"),
    (Pelapor(nama="Siti", telepon="12ab"), "pelapor.telepon"),
])
def test_an_anonymous_reporter_must_leave_a_name_and_a_valid_contact(pelapor, isian):
    with pytest.raises(ValidationFailed) as galat:
        tiket_baru(pelapor=pelapor)
    assert isian in [e.field for e in galat.value.errors]


def test_every_wrong_field_is_reported_at_once():
    with pytest.raises(ValidationFailed) as galat:
        tiket_baru(judul=" ", kategori="hukum", kanal="faks")
    assert {e.field for e in galat.value.errors} == {"judul", "kategori", "kanal"}
    assert "aplikasi" in next(e.message for e in galat.value.errors if e.field == "kategori")


def test_a_creation_time_without_a_time_zone_is_refused():
    with pytest.raises(ValidationFailed):
        tiket_baru(waktu=datetime(2026, 1, 5, 9))


# ── scope (Lampiran 2.3 huruf d) ──

def test_a_non_technical_ticket_is_answered_with_a_referral_and_closed_out_of_scope():
    tiket = tiket_baru(kategori="non_teknis")
    assert tiket.status is StatusTiket.DITUTUP
    assert tiket.di_luar_lingkup
    assert tiket.sebab_penutupan is SebabPenutupan.DI_LUAR_LINGKUP
    [rujukan] = tiket.tanggapan
    assert rujukan.sebagai is PeranTanggapan.SISTEM
    assert "Lampiran 2.3 huruf d" in rujukan.isi
    assert jenis_peristiwa(tiket) == ["TiketDibuat", "TiketDitanggapi", "TiketDitutup"]
    assert tiket.events[0].di_luar_lingkup and tiket.events[-1].di_luar_lingkup


def test_staff_can_close_a_misfiled_ticket_as_out_of_scope_with_their_own_referral():
    tiket = tiket_baru()
    tiket.tutup_di_luar_lingkup(HELPDESK, "Silakan hubungi PPK paket ini.", wib(2026, 1, 5, 10))
    assert (tiket.status, tiket.di_luar_lingkup) == (StatusTiket.DITUTUP, True)
    assert tiket.tanggapan_untuk(PELAPOR)[-1].isi == "Silakan hubungi PPK paket ini."


def test_an_out_of_scope_ticket_cannot_be_reopened():
    tiket = tiket_baru(kategori="non_teknis")
    with pytest.raises(InvalidState, match="di luar lingkup"):
        tiket.buka_kembali(PELAPOR, "Mohon dijawab", wib(2026, 1, 5, 10), KALENDER)


# ── assignment ──

def test_manual_assignment_moves_a_new_ticket_to_assigned():
    tiket = tiket_baru()
    tiket.tugaskan(KASUBBAG, HELPDESK.sub, wib(2026, 1, 5, 9, 5))
    assert (tiket.status, tiket.petugas) == (StatusTiket.DITUGASKAN, HELPDESK.sub)
    assert tiket.events[-1] == TiketDitugaskan("T-1", wib(2026, 1, 5, 9, 5), HELPDESK.sub, KASUBBAG.sub, False)


def test_only_staff_may_assign_a_ticket():
    with pytest.raises(Forbidden):
        tiket_baru().tugaskan(PELAPOR, HELPDESK.sub, wib(2026, 1, 5, 9, 5))


@pytest.mark.parametrize(("beban", "terpilih"), [
    ({"b": 3, "a": 5, "c": 1}, "c"),
    ({"b": 2, "a": 2, "c": 4}, "a"),
    ({"z": 0}, "z"),
])
def test_the_least_loaded_officer_is_chosen_with_ties_to_the_smallest_id(beban, terpilih):
    assert pilih_petugas(beban) == terpilih


@pytest.mark.parametrize("beban", [{}, {"a": -1}, {"a": 1.5}])
def test_choosing_an_officer_needs_at_least_one_officer_with_a_valid_load(beban):
    with pytest.raises(ValidationFailed):
        pilih_petugas(beban)


def test_automatic_assignment_goes_to_the_least_loaded_officer_and_says_so():
    tiket = tiket_baru()
    petugas = tiket.tugaskan_otomatis({HELPDESK.sub: 4, HELPDESK_LAIN.sub: 1}, wib(2026, 1, 5, 9, 1))
    assert petugas == tiket.petugas == HELPDESK_LAIN.sub
    assert tiket.events[-1].otomatis


def test_a_resolved_ticket_cannot_be_reassigned():
    with pytest.raises(InvalidState):
        tiket_selesai().tugaskan(KASUBBAG, HELPDESK_LAIN.sub, wib(2026, 1, 5, 12))


# ── conversation ──

def test_the_first_public_staff_reply_is_the_first_response_and_starts_processing():
    tiket = tiket_baru()
    tiket.tanggapi(HELPDESK, "Sedang kami periksa.", wib(2026, 1, 5, 9, 30))
    tiket.tanggapi(HELPDESK, "Mohon kirim tangkapan layar.", wib(2026, 1, 5, 10))
    assert tiket.status is StatusTiket.DIPROSES
    assert tiket.respons_pertama_pada == wib(2026, 1, 5, 9, 30)
    assert tiket.petugas == HELPDESK.sub


def test_an_internal_note_is_not_a_first_response_and_never_reaches_the_reporter():
    tiket = tiket_baru()
    tiket.tanggapi(HELPDESK, "Server unggah penuh, cek disk.", wib(2026, 1, 5, 9, 30), internal=True)
    assert tiket.respons_pertama_pada is None
    assert tiket.status is StatusTiket.BARU
    assert tiket.tanggapan_untuk(PELAPOR) == []
    assert [t.isi for t in tiket.tanggapan_untuk(KASUBBAG)] == ["Server unggah penuh, cek disk."]


def test_the_reporter_cannot_write_internal_notes():
    with pytest.raises(Forbidden):
        tiket_baru().tanggapi(PELAPOR, "catatan", wib(2026, 1, 5, 9, 30), internal=True)


def test_someone_who_is_neither_reporter_nor_staff_cannot_reply_or_read():
    tiket = tiket_baru()
    with pytest.raises(Forbidden):
        tiket.tanggapi(ORANG_LAIN, "ikut bertanya", wib(2026, 1, 5, 9, 30))
    with pytest.raises(Forbidden):
        tiket.tanggapan_untuk(ORANG_LAIN)


def test_an_empty_reply_is_refused():
    with pytest.raises(ValidationFailed):
        tiket_baru().tanggapi(HELPDESK, "   ", wib(2026, 1, 5, 9, 30))


def test_asking_the_reporter_pauses_the_clock_and_their_reply_resumes_it():
    tiket = tiket_baru()
    tiket.tunggu_pelapor(HELPDESK, "Mohon kirim nama berkas.", wib(2026, 1, 5, 10))
    assert tiket.status is StatusTiket.MENUNGGU_PELAPOR
    assert tiket.jeda_sla() == [(wib(2026, 1, 5, 10), None)]
    assert tiket.respons_pertama_pada == wib(2026, 1, 5, 10)
    tiket.tanggapi(PELAPOR, "penawaran.zip", wib(2026, 1, 6, 8))
    assert tiket.status is StatusTiket.DIPROSES
    assert tiket.jeda_sla() == [(wib(2026, 1, 5, 10), wib(2026, 1, 6, 8))]
    assert isinstance(tiket.events[-1], TiketDitanggapi) and tiket.events[-1].status is StatusTiket.DIPROSES


def test_a_staff_reply_while_waiting_keeps_the_clock_paused():
    tiket = tiket_baru()
    tiket.tunggu_pelapor(HELPDESK, "Mohon kirim nama berkas.", wib(2026, 1, 5, 10))
    tiket.tanggapi(HELPDESK, "Kami masih menunggu.", wib(2026, 1, 6, 10))
    assert tiket.status is StatusTiket.MENUNGGU_PELAPOR


def test_the_reporter_cannot_pause_the_clock():
    with pytest.raises(Forbidden):
        tiket_baru().tunggu_pelapor(PELAPOR, "tunggu", wib(2026, 1, 5, 10))


def test_an_action_dated_before_the_ticket_was_opened_is_refused():
    with pytest.raises(ValidationFailed):
        tiket_baru().tanggapi(HELPDESK, "Sedang kami periksa.", wib(2026, 1, 5, 8))


# ── resolve, confirm, auto-close ──

def test_resolving_needs_a_solution():
    with pytest.raises(ValidationFailed) as galat:
        tiket_baru().selesaikan(HELPDESK, "", wib(2026, 1, 5, 11))
    assert galat.value.errors[0].field == "solusi"


def test_only_staff_may_resolve():
    with pytest.raises(Forbidden):
        tiket_baru().selesaikan(PELAPOR, "sudah bisa", wib(2026, 1, 5, 11))


def test_resolving_while_waiting_for_the_reporter_ends_the_pause():
    tiket = tiket_baru()
    tiket.tunggu_pelapor(HELPDESK, "Mohon kirim nama berkas.", wib(2026, 1, 5, 10))
    tiket.selesaikan(HELPDESK, "Berkas ditemukan di log.", wib(2026, 1, 5, 11))
    assert tiket.status is StatusTiket.SELESAI
    assert tiket.jeda_sla() == [(wib(2026, 1, 5, 10), wib(2026, 1, 5, 11))]


def test_the_reporter_confirms_a_resolved_ticket_and_it_closes():
    tiket = tiket_selesai()
    tiket.konfirmasi(PELAPOR, wib(2026, 1, 5, 13))
    assert (tiket.status, tiket.sebab_penutupan) == (StatusTiket.DITUTUP, SebabPenutupan.DIKONFIRMASI_PELAPOR)
    assert tiket.events[-1] == TiketDitutup("T-1", wib(2026, 1, 5, 13), SebabPenutupan.DIKONFIRMASI_PELAPOR, False)


@pytest.mark.parametrize("aktor", [HELPDESK, KASUBBAG, ORANG_LAIN])
def test_nobody_but_the_reporter_may_confirm(aktor):
    with pytest.raises(Forbidden, match="pelapor"):
        tiket_selesai().konfirmasi(aktor, wib(2026, 1, 5, 13))


def test_a_ticket_that_is_not_resolved_cannot_be_confirmed():
    with pytest.raises(InvalidState):
        tiket_baru().konfirmasi(PELAPOR, wib(2026, 1, 5, 13))


def test_a_reply_to_a_closed_ticket_is_refused():
    tiket = tiket_selesai()
    tiket.konfirmasi(PELAPOR, wib(2026, 1, 5, 13))
    for aktor in (PELAPOR, HELPDESK):
        with pytest.raises(InvalidState, match="ditutup"):
            tiket.tanggapi(aktor, "satu hal lagi", wib(2026, 1, 5, 14))


def test_a_resolved_ticket_closes_itself_after_the_configured_business_days():
    tiket = tiket_selesai(wib(2026, 1, 9, 10))
    batas = tiket.batas_tutup_otomatis(KALENDER)
    assert batas == wib(2026, 1, 14, 16)
    with pytest.raises(InvalidState, match="belum dapat ditutup"):
        tiket.tutup_otomatis(wib(2026, 1, 14, 15, 59), KALENDER)
    tiket.tutup_otomatis(batas, KALENDER)
    assert (tiket.status, tiket.sebab_penutupan) == (StatusTiket.DITUTUP, SebabPenutupan.OTOMATIS)


def test_the_number_of_days_before_auto_close_is_configuration():
    konfigurasi = KonfigurasiHelpdesk(tutup_otomatis_hari_kerja=1)
    assert tiket_selesai(wib(2026, 1, 9, 10)).batas_tutup_otomatis(KALENDER, konfigurasi) == wib(2026, 1, 12, 16)


def test_a_reply_in_resolved_restarts_the_auto_close_count():
    tiket = tiket_selesai(wib(2026, 1, 9, 10))
    tiket.tanggapi(PELAPOR, "Saya coba dulu hari Senin.", wib(2026, 1, 12, 9))
    assert tiket.status is StatusTiket.SELESAI
    assert tiket.batas_tutup_otomatis(KALENDER) == wib(2026, 1, 15, 16)


def test_only_a_resolved_ticket_can_close_itself():
    with pytest.raises(InvalidState):
        tiket_baru().tutup_otomatis(wib(2026, 2, 1, 9), KALENDER)


# ── reopen ──

def test_the_reporter_reopens_a_resolved_ticket_which_goes_back_to_processing():
    tiket = tiket_selesai()
    tiket.buka_kembali(PELAPOR, "Masih gagal di berkas kedua.", wib(2026, 1, 5, 14), KALENDER)
    assert tiket.status is StatusTiket.DIPROSES
    assert (tiket.solusi, tiket.diselesaikan_pada) == (None, None)
    assert tiket.events[-1] == TiketDibukaKembali("T-1", wib(2026, 1, 5, 14), StatusTiket.SELESAI, PELAPOR.sub)
    assert tiket.tanggapan_untuk(HELPDESK)[-1].isi == "Masih gagal di berkas kedua."


def test_a_closed_ticket_can_be_reopened_within_five_business_days_but_not_after():
    tiket = tiket_selesai(wib(2026, 1, 9, 10))
    tiket.konfirmasi(PELAPOR, wib(2026, 1, 9, 11))
    # 12, 13, 14, 15 and (16 January is Isra Mi'raj) 19 January
    with pytest.raises(InvalidState, match="ajukan tiket baru"):
        tiket.buka_kembali(PELAPOR, "Muncul lagi.", wib(2026, 1, 19, 16, 0, 1), KALENDER)
    tiket.buka_kembali(PELAPOR, "Muncul lagi.", wib(2026, 1, 19, 16), KALENDER)
    assert tiket.status is StatusTiket.DIPROSES


def test_staff_cannot_reopen_on_the_reporters_behalf():
    with pytest.raises(Forbidden):
        tiket_selesai().buka_kembali(HELPDESK, "dibuka", wib(2026, 1, 5, 14), KALENDER)


def test_an_open_ticket_cannot_be_reopened():
    with pytest.raises(InvalidState):
        tiket_baru().buka_kembali(PELAPOR, "dibuka", wib(2026, 1, 5, 14), KALENDER)


# ── satisfaction ──

def test_the_reporter_rates_a_resolved_ticket_once():
    tiket = tiket_selesai()
    tiket.nilai_kepuasan(PELAPOR, 4, wib(2026, 1, 5, 13), komentar="Cepat.")
    assert (tiket.kepuasan.nilai, tiket.kepuasan.komentar) == (4, "Cepat.")
    assert tiket.events[-1] == KepuasanTiketDinilai("T-1", wib(2026, 1, 5, 13), 4)
    with pytest.raises(InvalidState, match="hanya sekali"):
        tiket.nilai_kepuasan(PELAPOR, 5, wib(2026, 1, 5, 14))


@pytest.mark.parametrize("nilai", [0, 6, True, 3.5, "5"])
def test_a_rating_is_a_whole_number_from_one_to_five(nilai):
    with pytest.raises(ValidationFailed):
        tiket_selesai().nilai_kepuasan(PELAPOR, nilai, wib(2026, 1, 5, 13))


def test_only_the_reporter_rates_and_only_after_resolution():
    with pytest.raises(Forbidden):
        tiket_selesai().nilai_kepuasan(HELPDESK, 5, wib(2026, 1, 5, 13))
    with pytest.raises(InvalidState):
        tiket_baru().nilai_kepuasan(PELAPOR, 5, wib(2026, 1, 5, 13))


# ── priority ──

def test_staff_changing_the_priority_also_changes_the_sla_targets():
    tiket = tiket_baru()
    tiket.ubah_prioritas(HELPDESK, "kritis", wib(2026, 1, 5, 9, 10))
    assert tiket.prioritas is Prioritas.KRITIS
    assert tiket.target_sla == KONFIGURASI_BAKU.target_per_prioritas[Prioritas.KRITIS]
    assert tiket.events[-1] == PrioritasTiketDiubah("T-1", wib(2026, 1, 5, 9, 10), Prioritas.KRITIS, HELPDESK.sub)


def test_a_target_for_a_priority_and_category_overrides_the_priority_target():
    khusus = TargetSla(respons_pertama_detik=600, penyelesaian_detik=3600)
    konfigurasi = KonfigurasiHelpdesk(target_per_prioritas_kategori={(Prioritas.SEDANG, "akun"): khusus})
    assert tiket_baru(kategori="akun", konfigurasi=konfigurasi).target_sla == khusus
    assert tiket_baru(kategori="aplikasi", konfigurasi=konfigurasi).target_sla != khusus
