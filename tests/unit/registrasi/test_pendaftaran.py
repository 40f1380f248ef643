from dataclasses import fields, replace
from datetime import date

import pytest

from services.registrasi.domain import (
    ATURAN_DAFTAR_HITAM,
    ATURAN_PENDAFTARAN,
    ATURAN_VERIFIKATOR,
    SYARAT_DOKUMEN_BAKU,
    BentukUsaha,
    DokumenDilampirkan,
    EntriDaftarHitam,
    JenisDokumen,
    JenisPelanggaran,
    JenisPendaftaran,
    Keputusan,
    PenanggungJawab,
    Pendaftaran,
    PendaftaranDiajukan,
    PendaftaranDiajukanUlang,
    PendaftaranDisetujui,
    PendaftaranDitolak,
    Pengguna,
    PerbaikanDiminta,
    StatusPendaftaran,
    StatusPengguna,
    syarat_dari_pengaturan,
)
from shared.errors import InvalidState, RuleViolation, ValidationFailed

from .contoh import DOKUMEN_PENYEDIA, HARI_INI, NIB_PT, NIK_DIREKTUR, NPWP_PT, non_penyedia, pendaftaran, penyedia

D = JenisDokumen
S = StatusPendaftaran


def galat_per_field(galat) -> dict[str, str]:
    return {e.field: e.message for e in galat.value.errors}


# --- submission ----------------------------------------------------------------------------------------

def test_a_provider_registration_is_submitted_with_its_npwp_stored_in_16_digits():
    p = Pendaftaran.ajukan("pdf-1", penyedia(), hari_ini=HARI_INI)
    assert (p.status, p.data.npwp) == (S.DIAJUKAN, NPWP_PT)
    assert p.events == [PendaftaranDiajukan("pdf-1", JenisPendaftaran.PENYEDIA)]


def test_a_legacy_npwp_leaves_a_warning_for_the_verifikator():
    p = Pendaftaran.ajukan("pdf-1", penyedia(), hari_ini=HARI_INI)
    assert any("format lama" in w for w in p.peringatan)


def test_a_responsible_person_with_a_pre_pemekaran_region_code_leaves_a_warning():
    pj = PenanggungJawab("Yohanes Wenda", "9471011708800001", "Direktur")
    p = Pendaftaran.ajukan("pdf-1", penyedia(npwp=NPWP_PT, penanggung_jawab=pj), hari_ini=HARI_INI)
    assert len(p.peringatan) == 1
    assert "penanggung_jawab.nik: kode wilayah 9471" in p.peringatan[0]


def test_every_wrong_provider_identifier_is_reported_at_once_under_its_own_path():
    pj = PenanggungJawab("Budi", "3201013102990001", "Direktur")
    with pytest.raises(ValidationFailed) as galat:
        Pendaftaran.ajukan("pdf-1", penyedia(npwp="12345", nib="912", penanggung_jawab=pj), hari_ini=HARI_INI)
    assert set(galat_per_field(galat)) == {"npwp", "nib", "penanggung_jawab.nik"}


def test_a_provider_may_register_before_it_has_a_nib():
    assert Pendaftaran.ajukan("pdf-1", penyedia(nib=None), hari_ini=HARI_INI).data.nib is None


@pytest.mark.parametrize("npwp", [NIK_DIREKTUR, "3201.0117.0880.0001", "3201-011708-800001"])
def test_a_sole_proprietor_whose_npwp_is_the_responsible_persons_nik_is_accepted(npwp):
    p = Pendaftaran.ajukan("pdf-1", penyedia(bentuk_usaha=BentukUsaha.PERORANGAN, npwp=npwp), hari_ini=HARI_INI)
    assert p.data.npwp == NIK_DIREKTUR


@pytest.mark.parametrize("npwp", ["01.312.166.0-091.000", NPWP_PT, "3174075508950001"])
def test_a_sole_proprietor_whose_npwp_is_not_the_responsible_persons_nik_is_refused(npwp):
    with pytest.raises(ValidationFailed) as galat:
        Pendaftaran.ajukan("pdf-1", penyedia(bentuk_usaha=BentukUsaha.PERORANGAN, npwp=npwp), hari_ini=HARI_INI)
    assert "NPWP adalah NIK penanggung jawab" in galat_per_field(galat)["npwp"]


def test_a_company_npwp_need_not_equal_the_directors_nik():
    assert Pendaftaran.ajukan("pdf-1", penyedia(bentuk_usaha=BentukUsaha.CV), hari_ini=HARI_INI).status is S.DIAJUKAN


def test_a_government_user_registration_is_submitted():
    p = Pendaftaran.ajukan("pdf-2", non_penyedia(), hari_ini=HARI_INI)
    assert (p.status, p.jenis, p.peringatan) == (S.DIAJUKAN, JenisPendaftaran.NON_PENYEDIA, [])


@pytest.mark.parametrize(("ubah", "field", "bagian"), [
    ({"berlaku_sampai": HARI_INI}, "berlaku_sampai", "harus setelah hari ini (2025-06-02)"),
    ({"berlaku_sampai": date(2024, 12, 31)}, "berlaku_sampai", "(2024-12-31) harus setelah hari ini"),
    ({"peran": frozenset()}, "peran", "Pilih sedikitnya satu peran: ppk, pokja, pejabat_pengadaan, kpa, pa, auditor."),
    ({"nomor_sk": "  "}, "nomor_sk", "Nomor SK atau surat tugas wajib diisi."),
    ({"peran": frozenset({"pokja", "bendahara"})}, "peran", "Peran tidak dikenal: bendahara. Pilih sedikitnya"),
    ({"nik": "3174071205900001"}, "nip", "Jenis kelamin pada NIK (laki-laki) tidak sesuai"),
    ({"nik": "3174075305900001"}, "nip", "Tanggal lahir pada NIK (130590, HHBBTT) tidak sama"),
    ({"nik": "9999075205900001"}, "nik", "Kode wilayah pada NIK"),
    ({"nip": "199005122015032000"}, "nip", "Nomor urut pada NIP"),
])
def test_a_government_user_registration_with_a_wrong_value_is_refused(ubah, field, bagian):
    with pytest.raises(ValidationFailed) as galat:
        Pendaftaran.ajukan("pdf-2", non_penyedia(**ubah), hari_ini=HARI_INI)
    assert bagian in galat_per_field(galat)[field]


def aktif_sejak(mulai: date, **kunci) -> EntriDaftarHitam:
    return EntriDaftarHitam(jenis=JenisPelanggaran.ETIKA, mulai=mulai, alasan="dokumen palsu", **kunci)


@pytest.mark.parametrize("entri", [
    aktif_sejak(date(2024, 2, 29), npwp=NPWP_PT),
    aktif_sejak(date(2024, 2, 29), nib=NIB_PT),
    aktif_sejak(HARI_INI, npwp=NPWP_PT),
])
def test_a_provider_with_an_active_blacklist_entry_is_refused_naming_its_end_date(entri):
    with pytest.raises(RuleViolation) as galat:
        Pendaftaran.ajukan("pdf-1", penyedia(), hari_ini=HARI_INI, daftar_hitam=[entri])
    assert galat.value.rule == ATURAN_DAFTAR_HITAM
    assert f"sampai dengan {entri.akhir.day} " in galat.value.detail
    assert galat.value.extra["daftar_hitam_sampai"] == entri.akhir.isoformat()


def test_the_blacklist_refusal_names_the_latest_end_when_several_entries_are_active():
    entri = [EntriDaftarHitam(JenisPelanggaran.NON_ETIKA, date(2025, 1, 10), "wanprestasi", npwp=NPWP_PT),
             aktif_sejak(date(2024, 2, 29), nib=NIB_PT)]
    with pytest.raises(RuleViolation) as galat:
        Pendaftaran.ajukan("pdf-1", penyedia(), hari_ini=HARI_INI, daftar_hitam=entri)
    assert "sampai dengan 28 Februari 2026 (pelanggaran etika: dokumen palsu)" in galat.value.detail
    assert galat.value.detail.endswith(f"({ATURAN_DAFTAR_HITAM})")


def test_the_blacklist_is_checked_before_the_other_identifiers():
    pj = PenanggungJawab("Budi", "3201013102990001", "Direktur")
    with pytest.raises(RuleViolation):
        Pendaftaran.ajukan("pdf-1", penyedia(penanggung_jawab=pj), hari_ini=HARI_INI,
                           daftar_hitam=[aktif_sejak(date(2025, 1, 1), npwp=NPWP_PT)])


@pytest.mark.parametrize("entri", [
    aktif_sejak(date(2023, 6, 1), npwp=NPWP_PT),
    EntriDaftarHitam(JenisPelanggaran.NON_ETIKA, date(2024, 6, 1), "wanprestasi", npwp=NPWP_PT),
    aktif_sejak(date(2025, 6, 3), npwp=NPWP_PT),
    aktif_sejak(date(2025, 1, 1), npwp="0015529183091000"),
    aktif_sejak(date(2025, 1, 1), nib="9120009999999"),
])
def test_a_provider_whose_blacklist_entries_are_over_not_yet_started_or_someone_elses_is_accepted(entri):
    assert Pendaftaran.ajukan("pdf-1", penyedia(), hari_ini=HARI_INI, daftar_hitam=[entri]).status is S.DIAJUKAN


# --- state machine ------------------------------------------------------------------------------------

def setujui(p):
    return p.setujui(oleh="verif", hari_ini=HARI_INI, dokumen_asli_diperiksa=p.dokumen)


def tolak(p):
    return p.tolak(oleh="verif", alasan="NPWP tidak sesuai akta")


def minta_perbaikan(p):
    return p.minta_perbaikan(oleh="verif", kekurangan=["akta_perubahan"])


def ajukan_ulang(p):
    return p.ajukan_ulang(hari_ini=HARI_INI)


def lampirkan(p):
    return p.lampirkan_dokumen(D.AKTA_PERUBAHAN)


@pytest.mark.parametrize(("status", "aksi", "status_akhir"), [
    (S.DIAJUKAN, setujui, S.DISETUJUI),
    (S.DIAJUKAN, tolak, S.DITOLAK),
    (S.DIAJUKAN, minta_perbaikan, S.PERLU_PERBAIKAN),
    (S.DIAJUKAN, lampirkan, S.DIAJUKAN),
    (S.PERLU_PERBAIKAN, ajukan_ulang, S.DIAJUKAN),
    (S.PERLU_PERBAIKAN, lampirkan, S.PERLU_PERBAIKAN),
])
def test_an_allowed_transition_moves_the_registration_and_records_one_event(status, aksi, status_akhir):
    p = pendaftaran(status=status)
    event = aksi(p)
    assert p.status is status_akhir
    assert p.events == [event]


@pytest.mark.parametrize(("status", "aksi"), [
    (S.DIAJUKAN, ajukan_ulang),
    (S.PERLU_PERBAIKAN, setujui),
    (S.PERLU_PERBAIKAN, tolak),
    (S.PERLU_PERBAIKAN, minta_perbaikan),
    *[(final, aksi) for final in (S.DISETUJUI, S.DITOLAK)
      for aksi in (setujui, tolak, minta_perbaikan, ajukan_ulang, lampirkan)],
])
def test_a_forbidden_transition_is_an_invalid_state_and_changes_nothing(status, aksi):
    p = pendaftaran(status=status)
    with pytest.raises(InvalidState) as galat:
        aksi(p)
    assert (p.status, p.events) == (status, [])
    assert f"berstatus {status}" in galat.value.detail


def test_a_decision_on_a_registration_not_submitted_says_only_diajukan_can_be_decided():
    with pytest.raises(InvalidState) as galat:
        tolak(pendaftaran(status=S.DITOLAK))
    assert "hanya dapat diberikan pada pendaftaran berstatus diajukan" in galat.value.detail


@pytest.mark.parametrize(("keputusan", "jenis_event", "status_akhir"), [
    (Keputusan.DISETUJUI, PendaftaranDisetujui, S.DISETUJUI),
    (Keputusan.DITOLAK, PendaftaranDitolak, S.DITOLAK),
    (Keputusan.PERLU_PERBAIKAN, PerbaikanDiminta, S.PERLU_PERBAIKAN),
])
def test_a_decision_as_the_api_receives_it_goes_to_the_matching_transition(keputusan, jenis_event, status_akhir):
    p = pendaftaran()
    event = p.putuskan(keputusan, oleh="verif", hari_ini=HARI_INI, alasan="lihat catatan",
                       dokumen_asli_diperiksa=DOKUMEN_PENYEDIA)
    assert isinstance(event, jenis_event)
    assert p.status is status_akhir


def test_an_approval_event_names_the_user_id_and_who_approved():
    p = pendaftaran()
    assert setujui(p) == PendaftaranDisetujui("pdf-1", JenisPendaftaran.PENYEDIA, "sinarnusantara", "verif", None)
    assert p.dokumen_asli_diperiksa == DOKUMEN_PENYEDIA


def test_a_government_users_approval_event_carries_the_end_of_validity():
    p = pendaftaran(non_penyedia(), dokumen={D.SK})
    assert setujui(p).berlaku_sampai == date(2025, 12, 31)


def test_no_event_carries_a_nik_or_npwp():
    p = pendaftaran(replace(penyedia(), npwp=NIK_DIREKTUR, bentuk_usaha=BentukUsaha.PERORANGAN))
    p.lampirkan_dokumen(D.NIB)
    p.minta_perbaikan(oleh="verif", alasan="scan buram")
    p.ajukan_ulang(hari_ini=HARI_INI)
    setujui(p)
    nilai = [str(getattr(e, f.name)) for e in p.events for f in fields(e)]
    assert not any(NIK_DIREKTUR in v or NPWP_PT in v for v in nilai)


@pytest.mark.parametrize("alasan", ["", "   ", "\n"])
def test_a_refusal_without_a_reason_breaks_the_verifikator_rule_and_changes_nothing(alasan):
    p = pendaftaran()
    with pytest.raises(RuleViolation) as galat:
        p.tolak(oleh="verif", alasan=alasan)
    assert (galat.value.rule, galat_per_field(galat).keys()) == (ATURAN_VERIFIKATOR, {"alasan"})
    assert ATURAN_VERIFIKATOR in galat.value.detail
    assert p.status is S.DIAJUKAN


def test_a_refusal_records_its_trimmed_reason():
    p = pendaftaran()
    assert p.tolak(oleh="verif", alasan="  NIB milik badan usaha lain ").alasan == "NIB milik badan usaha lain"
    assert p.alasan == "NIB milik badan usaha lain"


@pytest.mark.parametrize(("alasan", "kekurangan"), [
    ("Scan KTP buram", []),
    ("", ["akta_perubahan"]),
    ("Lengkapi", ["akta_perubahan", "telepon"]),
])
def test_a_request_for_correction_needs_a_reason_or_a_list_of_what_is_missing(alasan, kekurangan):
    event = pendaftaran().minta_perbaikan(oleh="verif", alasan=alasan, kekurangan=kekurangan)
    assert event == PerbaikanDiminta("pdf-1", alasan, tuple(kekurangan), "verif")


@pytest.mark.parametrize(("alasan", "kekurangan"), [("", []), (" ", ["", "  "])])
def test_a_request_for_correction_with_neither_reason_nor_missing_items_is_refused(alasan, kekurangan):
    with pytest.raises(RuleViolation) as galat:
        pendaftaran().minta_perbaikan(oleh="verif", alasan=alasan, kekurangan=kekurangan)
    assert galat.value.rule == ATURAN_VERIFIKATOR


def test_a_resubmission_can_carry_corrected_data_which_is_validated_again():
    p = pendaftaran(status=S.PERLU_PERBAIKAN)
    assert p.ajukan_ulang(hari_ini=HARI_INI, data=penyedia(telepon="021-555")) == PendaftaranDiajukanUlang("pdf-1")
    assert (p.data.telepon, p.data.npwp, p.status) == ("021-555", NPWP_PT, S.DIAJUKAN)


def test_a_resubmission_with_wrong_data_keeps_the_registration_waiting_for_correction():
    p = pendaftaran(status=S.PERLU_PERBAIKAN)
    with pytest.raises(ValidationFailed):
        p.ajukan_ulang(hari_ini=HARI_INI, data=penyedia(nib="1"))
    assert p.status is S.PERLU_PERBAIKAN


def test_a_resubmission_cannot_change_the_kind_of_registration():
    with pytest.raises(ValidationFailed) as galat:
        pendaftaran(status=S.PERLU_PERBAIKAN).ajukan_ulang(hari_ini=HARI_INI, data=non_penyedia())
    assert "jenis" in galat_per_field(galat)


def test_a_resubmission_is_refused_when_the_provider_was_blacklisted_meanwhile():
    with pytest.raises(RuleViolation):
        pendaftaran(status=S.PERLU_PERBAIKAN).ajukan_ulang(
            hari_ini=HARI_INI, daftar_hitam=[aktif_sejak(date(2025, 5, 1), npwp=NPWP_PT)])


def test_attaching_a_document_records_its_kind():
    p = pendaftaran(dokumen=())
    assert p.lampirkan_dokumen(D.KTP) == DokumenDilampirkan("pdf-1", D.KTP)
    assert p.dokumen == {D.KTP}


# --- required documents ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kurang", sorted(DOKUMEN_PENYEDIA))
def test_a_provider_is_not_approved_while_a_required_document_is_missing(kurang):
    p = pendaftaran(dokumen=DOKUMEN_PENYEDIA - {kurang})
    with pytest.raises(RuleViolation) as galat:
        setujui(p)
    assert galat_per_field(galat) == {"dokumen": f"Dokumen {kurang} belum diunggah."}
    assert (galat.value.rule, p.status) == (ATURAN_PENDAFTARAN, S.DIAJUKAN)
    assert galat.value.detail.endswith(f"({ATURAN_PENDAFTARAN})")


@pytest.mark.parametrize("belum_dilihat", sorted(DOKUMEN_PENYEDIA))
def test_a_provider_is_not_approved_while_an_original_has_not_been_seen(belum_dilihat):
    p = pendaftaran()
    with pytest.raises(RuleViolation) as galat:
        p.setujui(oleh="verif", hari_ini=HARI_INI, dokumen_asli_diperiksa=DOKUMEN_PENYEDIA - {belum_dilihat})
    assert galat_per_field(galat) == {
        "dokumen_asli_diperiksa": f"Asli dokumen {belum_dilihat} belum diperiksa verifikator."}


def test_every_unmet_document_requirement_is_listed_at_once():
    p = pendaftaran(dokumen={D.KTP, D.NPWP})
    with pytest.raises(RuleViolation) as galat:
        p.setujui(oleh="verif", hari_ini=HARI_INI, dokumen_asli_diperiksa={D.KTP})
    assert len(galat.value.errors) == 4
    assert "4 syarat dokumen belum terpenuhi" in galat.value.detail


def test_an_original_seen_of_a_document_never_uploaded_does_not_count():
    p = pendaftaran(dokumen=DOKUMEN_PENYEDIA - {D.KTP})
    with pytest.raises(RuleViolation):
        p.setujui(oleh="verif", hari_ini=HARI_INI, dokumen_asli_diperiksa=DOKUMEN_PENYEDIA)


def test_the_amendment_deed_and_nib_are_optional_for_a_provider():
    assert setujui(pendaftaran(dokumen=DOKUMEN_PENYEDIA)).jenis is JenisPendaftaran.PENYEDIA


def test_a_sole_proprietor_needs_no_deed_of_establishment():
    data = replace(penyedia(), bentuk_usaha=BentukUsaha.PERORANGAN, npwp=NIK_DIREKTUR)
    p = pendaftaran(data, dokumen=DOKUMEN_PENYEDIA - {D.AKTA_PENDIRIAN})
    setujui(p)
    assert p.status is S.DISETUJUI


@pytest.mark.parametrize("dokumen", [{D.SK}, {D.SURAT_TUGAS}, {D.SK, D.SURAT_TUGAS}])
def test_a_government_user_is_approved_with_an_sk_or_a_surat_tugas(dokumen):
    p = pendaftaran(non_penyedia(), dokumen=dokumen)
    setujui(p)
    assert p.status is S.DISETUJUI


def test_a_government_user_without_sk_or_surat_tugas_is_not_approved():
    p = pendaftaran(non_penyedia(), dokumen={D.KTP})
    with pytest.raises(RuleViolation) as galat:
        setujui(p)
    assert galat_per_field(galat) == {"dokumen": "Dokumen sk atau surat_tugas belum diunggah."}


def test_a_government_user_whose_original_shown_is_not_the_uploaded_alternative_is_not_approved():
    p = pendaftaran(non_penyedia(), dokumen={D.SK})
    with pytest.raises(RuleViolation) as galat:
        p.setujui(oleh="verif", hari_ini=HARI_INI, dokumen_asli_diperiksa={D.SURAT_TUGAS})
    assert "Asli dokumen sk atau surat_tugas" in galat_per_field(galat)["dokumen_asli_diperiksa"]


def test_a_government_user_whose_sk_ended_before_the_decision_is_not_approved():
    p = pendaftaran(non_penyedia(berlaku_sampai=date(2025, 6, 30)), dokumen={D.SK})
    with pytest.raises(RuleViolation) as galat:
        p.setujui(oleh="verif", hari_ini=date(2025, 7, 1), dokumen_asli_diperiksa={D.SK})
    assert "berakhir 30 Juni 2025" in galat.value.detail


def test_a_provider_blacklisted_after_submission_is_not_approved():
    p = pendaftaran()
    with pytest.raises(RuleViolation) as galat:
        p.setujui(oleh="verif", hari_ini=HARI_INI, dokumen_asli_diperiksa=DOKUMEN_PENYEDIA,
                  daftar_hitam=[aktif_sejak(date(2025, 6, 1), nib=NIB_PT)])
    assert galat.value.rule == ATURAN_DAFTAR_HITAM
    assert p.status is S.DIAJUKAN


def test_required_documents_can_be_overridden_by_settings():
    syarat = syarat_dari_pengaturan({"penyedia": ["ktp", "nib"], "non_penyedia": ["sk"]})
    with pytest.raises(RuleViolation) as galat:
        pendaftaran().setujui(oleh="v", hari_ini=HARI_INI, dokumen_asli_diperiksa=DOKUMEN_PENYEDIA, syarat=syarat)
    assert galat_per_field(galat) == {"dokumen": "Dokumen nib belum diunggah."}
    surat_tugas_saja = pendaftaran(non_penyedia(), dokumen={D.SURAT_TUGAS})
    with pytest.raises(RuleViolation):
        surat_tugas_saja.setujui(oleh="v", hari_ini=HARI_INI, dokumen_asli_diperiksa={D.SURAT_TUGAS}, syarat=syarat)


def test_a_provider_form_without_its_own_settings_entry_falls_back_to_the_provider_rule():
    syarat = syarat_dari_pengaturan({"penyedia": ["ktp"]})
    data = replace(penyedia(), bentuk_usaha=BentukUsaha.PERORANGAN, npwp=NIK_DIREKTUR)
    p = pendaftaran(data, dokumen={D.KTP})
    p.setujui(oleh="v", hari_ini=HARI_INI, dokumen_asli_diperiksa={D.KTP}, syarat=syarat)
    assert p.status is S.DISETUJUI


def test_the_default_settings_read_as_the_regulation_lists_them():
    assert SYARAT_DOKUMEN_BAKU["non_penyedia"] == (frozenset({D.SK, D.SURAT_TUGAS}),)
    assert {j for (j,) in SYARAT_DOKUMEN_BAKU["penyedia"]} == DOKUMEN_PENYEDIA


def test_a_settings_entry_with_an_unknown_document_kind_fails_at_start_up():
    with pytest.raises(ValueError):
        syarat_dari_pengaturan({"penyedia": ["ktp", "siup"]})


# --- from registration to user -------------------------------------------------------------------------

def test_an_approved_registration_creates_an_active_user_with_the_sk_end_date():
    p = pendaftaran(non_penyedia(), dokumen={D.SK})
    setujui(p)
    pengguna = Pengguna.dari_pendaftaran("usr-1", p)
    assert (pengguna.status, pengguna.user_id, pengguna.berlaku_sampai) == (
        StatusPengguna.AKTIF, "siti.rahmawati", date(2025, 12, 31))


@pytest.mark.parametrize("status", [S.DIAJUKAN, S.PERLU_PERBAIKAN, S.DITOLAK])
def test_no_user_is_created_from_a_registration_that_is_not_approved(status):
    with pytest.raises(InvalidState):
        Pengguna.dari_pendaftaran("usr-1", pendaftaran(status=status))


def test_a_decision_given_as_plain_text_is_understood():
    p = pendaftaran()
    p.putuskan("ditolak", oleh="verif", hari_ini=HARI_INI, alasan="akta tidak sah")
    assert p.status is S.DITOLAK


@pytest.mark.parametrize(("data", "dokumen", "belum"), [
    (None, set(), ["ktp", "akta_pendirian", "npwp", "formulir_pendaftaran", "formulir_keikutsertaan"]),
    (None, DOKUMEN_PENYEDIA - {D.NPWP}, ["npwp"]),
    (None, DOKUMEN_PENYEDIA, []),
    (replace(penyedia(), bentuk_usaha=BentukUsaha.PERORANGAN, npwp=NIK_DIREKTUR), {D.KTP},
     ["npwp", "formulir_pendaftaran", "formulir_keikutsertaan"]),
    (non_penyedia(), set(), ["sk atau surat_tugas"]),
    (non_penyedia(), {D.SURAT_TUGAS}, []),
])
def test_the_required_documents_not_yet_uploaded_are_named_in_the_regulations_order(data, dokumen, belum):
    assert pendaftaran(data, dokumen=dokumen).syarat_belum_diunggah() == belum
