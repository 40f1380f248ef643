from __future__ import annotations

import hashlib

import pytest

from services.helpdesk.domain import (
    BeritaAcara,
    BeritaAcaraDitandatangani,
    HasilBeritaAcara,
    Penandatangan,
    StatusBeritaAcara,
)
from shared.errors import Forbidden, InvalidState, RuleViolation, ValidationFailed
from tests.unit.helpdesk.bantuan import HELPDESK, KASUBBAG, wib

HASH = hashlib.sha256(b"penawaran-pt-maju.zip").hexdigest()
SAKSI = Penandatangan("Budi Santoso", KASUBBAG.sub)
POKJA = (Penandatangan("Rina Wati", "198705052011012005"), Penandatangan("Andi Saputra", "199011112015031001"))


def susun(**ubah: object) -> BeritaAcara:
    data: dict[str, object] = {
        "id": "BA-1", "aktor": KASUBBAG, "waktu": wib(2026, 1, 5, 14), "paket_kode": "10012345",
        "penyedia": "PT Maju Jaya",
        "nama_file": "penawaran-pt-maju.zip", "hash_file": HASH.upper(),
        "pernyataan_lpse": "Berkas rusak; tidak dapat didekripsi dengan kunci publik Pokja.", "saksi": SAKSI,
        "anggota_pokja": list(POKJA), "hasil": "penawaran_tidak_memenuhi"}
    data.update(ubah)
    return BeritaAcara.susun(**data)  # type: ignore[arg-type]


def test_the_kasubbag_lpse_drafts_a_berita_acara_as_its_witness():
    berita_acara = susun()
    assert berita_acara.status is StatusBeritaAcara.DRAF
    assert berita_acara.hash_file == HASH
    assert berita_acara.anggota_pokja == POKJA
    assert berita_acara.hasil is HasilBeritaAcara.PENAWARAN_TIDAK_MEMENUHI
    assert berita_acara.pernyataan_lkpp is None


@pytest.mark.parametrize("hash_file", [HASH[:-1], "g" * 64, hashlib.md5(b"x").hexdigest(), None])
def test_the_file_hash_must_be_a_sha256_hex_digest(hash_file):
    with pytest.raises(ValidationFailed) as galat:
        susun(hash_file=hash_file)
    assert [e.field for e in galat.value.errors] == ["hash_file"]


@pytest.mark.parametrize(("ubah", "isian"), [
    ({"anggota_pokja": []}, "anggota_pokja"),
    ({"anggota_pokja": [Penandatangan("Rina Wati", "12345")]}, "anggota_pokja[0].nip"),
    ({"anggota_pokja": [Penandatangan("", POKJA[0].nip)]}, "anggota_pokja[0].nama"),
    ({"anggota_pokja": [POKJA[0], POKJA[0]]}, "anggota_pokja"),
    ({"paket_kode": ""}, "paket_kode"),
    ({"penyedia": None}, "penyedia"),
    ({"nama_file": " "}, "nama_file"),
    ({"pernyataan_lpse": ""}, "pernyataan_lpse"),
    ({"hasil": "ditunda"}, "hasil"),
])
def test_an_incomplete_berita_acara_is_refused_naming_the_field(ubah, isian):
    with pytest.raises(ValidationFailed) as galat:
        susun(**ubah)
    assert isian in [e.field for e in galat.value.errors]


def test_the_witness_must_be_the_kasubbag_who_drafts_it():
    with pytest.raises(RuleViolation) as galat:
        susun(saksi=Penandatangan("Orang Lain", "197001012000011001"))
    assert "Lampiran 2.5.3" in galat.value.rule


def test_the_witness_cannot_also_sign_as_a_pokja_member():
    with pytest.raises(RuleViolation) as galat:
        susun(anggota_pokja=[*POKJA, SAKSI])
    assert galat.value.rule == "Permendagri 53/2021 Pasal 12 huruf b"


def test_only_the_kasubbag_lpse_drafts_a_berita_acara():
    with pytest.raises(Forbidden):
        susun(aktor=HELPDESK, saksi=Penandatangan("Petugas", HELPDESK.sub))


def test_a_draft_can_be_corrected_and_the_lkpp_statement_added():
    berita_acara = susun()
    berita_acara.ubah(KASUBBAG, hasil="evaluasi_dilanjutkan", pernyataan_lkpp="LKPP: berkas dapat dibuka.")
    assert berita_acara.hasil is HasilBeritaAcara.EVALUASI_DILANJUTKAN
    assert berita_acara.pernyataan_lkpp == "LKPP: berkas dapat dibuka."


def test_a_correction_is_validated_like_the_draft():
    berita_acara = susun()
    with pytest.raises(ValidationFailed):
        berita_acara.ubah(KASUBBAG, hash_file="bukan-hash")
    with pytest.raises(ValidationFailed, match="status"):
        berita_acara.ubah(KASUBBAG, status="ditandatangani")
    assert berita_acara.hash_file == HASH


def test_signing_records_the_event_with_the_file_hash():
    berita_acara = susun()
    berita_acara.tandatangani(KASUBBAG, wib(2026, 1, 5, 15))
    assert berita_acara.status is StatusBeritaAcara.DITANDATANGANI
    assert berita_acara.events == [BeritaAcaraDitandatangani(
        "BA-1", wib(2026, 1, 5, 15), "10012345", "PT Maju Jaya", HASH, HasilBeritaAcara.PENAWARAN_TIDAK_MEMENUHI)]


def test_a_signed_berita_acara_refuses_every_change_and_says_why():
    berita_acara = susun()
    berita_acara.tandatangani(KASUBBAG, wib(2026, 1, 5, 15))
    with pytest.raises(InvalidState, match="sudah ditandatangani"):
        berita_acara.ubah(KASUBBAG, hasil="evaluasi_dilanjutkan")
    with pytest.raises(InvalidState, match="sudah ditandatangani"):
        berita_acara.hasil = HasilBeritaAcara.EVALUASI_DILANJUTKAN
    with pytest.raises(InvalidState, match="sudah ditandatangani"):
        berita_acara.tandatangani(KASUBBAG, wib(2026, 1, 5, 16))
    with pytest.raises(AttributeError):
        berita_acara.anggota_pokja.append(SAKSI)  # type: ignore[attr-defined]
    assert berita_acara.hasil is HasilBeritaAcara.PENAWARAN_TIDAK_MEMENUHI


def test_a_signed_berita_acara_loaded_from_storage_is_immutable_too():
    berita_acara = BeritaAcara(
        id="BA-2", paket_kode="10012345", penyedia="PT Maju Jaya", nama_file="a.zip", hash_file=HASH,
        pernyataan_lpse="rusak", saksi=SAKSI, anggota_pokja=POKJA, hasil=HasilBeritaAcara.EVALUASI_DILANJUTKAN,
        disusun_pada=wib(2026, 1, 5, 14), status=StatusBeritaAcara.DITANDATANGANI,
        ditandatangani_pada=wib(2026, 1, 5, 15))
    with pytest.raises(InvalidState):
        berita_acara.penyedia = "PT Lain"


def test_someone_other_than_the_witness_cannot_sign():
    with pytest.raises(Forbidden):
        susun().tandatangani(HELPDESK, wib(2026, 1, 5, 15))
