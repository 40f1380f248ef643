from datetime import UTC, date, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from services.registrasi import repository as repo
from services.registrasi.domain import SYARAT_DOKUMEN_BAKU, JenisDokumen, StatusPendaftaran
from services.registrasi.models import Dokumen, Pendaftaran, Pengguna
from services.registrasi.tampilan import pendaftaran_publik, pengguna_publik
from shared.errors import Conflict
from shared.kripto import DEV_KUNCI_DATA, kripto

from .contoh import NIK_DIREKTUR, NPWP_PT, non_penyedia, penyedia

WAKTU = datetime(2025, 6, 2, 2, 0, tzinfo=UTC)
KRIPTO = kripto(DEV_KUNCI_DATA)


def baris(data) -> Pendaftaran:
    row = Pendaftaran(id="pdf-1", jenis=data.jenis.value, status="diajukan", token_hash="x", peringatan=[],
                      dokumen_asli_diperiksa=[], kekurangan=[], versi=1, diajukan_pada=WAKTU, menunggu_sejak=WAKTU)
    repo.isi_kolom(row, data, npwp_format_lama=False, kripto=KRIPTO)
    return row


def dokumen(jenis: str) -> Dokumen:
    return Dokumen(id=f"dok-{jenis}", pendaftaran_id="pdf-1", jenis=jenis, versi=1, nama_berkas=None,
                   jenis_konten="application/pdf", ukuran=10, sha256="0" * 64, kunci="k", diunggah_oleh="x",
                   diunggah_pada=WAKTU)


@pytest.mark.parametrize("data", [penyedia(npwp=NPWP_PT), non_penyedia()])
def test_registrant_data_survives_the_trip_through_its_json_form(data):
    assert repo.data_dari_json(data.jenis.value, repo.data_ke_json(data)) == data


def test_a_provider_row_keeps_its_identifiers_in_indexed_columns_the_npwp_as_its_blind_index():
    row = baris(penyedia(npwp=NPWP_PT))
    assert (row.npwp_indeks, row.nib, row.nip, row.bentuk_usaha, row.user_id) == (
        KRIPTO.indeks_buta(NPWP_PT), "9120001234567", None, "pt", "sinarnusantara")
    assert repo.identitas(row) == {"npwp": KRIPTO.indeks_buta(NPWP_PT), "nib": "9120001234567",
                                   "user_id": "sinarnusantara", "email": "pengadaan@sinarnusantara.co.id"}


def test_a_provider_row_keeps_nik_and_npwp_only_encrypted_and_gives_them_back_decrypted():
    row = baris(penyedia(npwp=NPWP_PT))
    tersimpan = str(row.data) + str(row.npwp_sandi) + str(row.nik_sandi) + str(row.npwp_indeks)
    assert NPWP_PT not in tersimpan and NPWP_PT[1:] not in tersimpan and NIK_DIREKTUR not in tersimpan
    assert "npwp" not in row.data and "nik" not in row.data["penanggung_jawab"]
    assert (KRIPTO.dekripsi(row.npwp_sandi), KRIPTO.dekripsi(row.nik_sandi)) == (NPWP_PT, NIK_DIREKTUR)
    assert repo.data_lengkap(row, KRIPTO) == repo.data_ke_json(penyedia(npwp=NPWP_PT))


def test_the_same_npwp_encrypts_differently_each_time_but_has_one_blind_index():
    a, b = baris(penyedia(npwp=NPWP_PT)), baris(penyedia(npwp=NPWP_PT))
    assert a.npwp_sandi != b.npwp_sandi
    assert a.npwp_indeks == b.npwp_indeks != KRIPTO.indeks_buta("0015529183091000")


def test_a_government_row_holds_its_nip_and_validity_and_its_nik_encrypted():
    data = non_penyedia()
    row = baris(data)
    assert (row.nip, row.berlaku_sampai, row.npwp_sandi, row.npwp_indeks, row.bentuk_usaha) == (
        "199005122015032002", date(2025, 12, 31), None, None, None)
    assert "nik" not in row.data and data.nik not in str(row.data) + row.nik_sandi
    assert repo.data_lengkap(row, KRIPTO) == repo.data_ke_json(data)


@pytest.mark.parametrize(("buka", "npwp", "nik"), [
    (True, NPWP_PT, NIK_DIREKTUR),
    (False, "0013********1000", "3201********0001"),
])
def test_a_registration_shows_nik_and_npwp_only_to_who_may_see_them(buka, npwp, nik):
    publik = pendaftaran_publik(baris(penyedia(npwp=NPWP_PT)), [], buka=buka, syarat=SYARAT_DOKUMEN_BAKU,
                                kripto=KRIPTO)
    assert (publik.npwp, publik.penanggung_jawab.nik) == (npwp, nik)


def test_a_government_users_nik_is_masked_but_its_nip_is_not():
    publik = pendaftaran_publik(baris(non_penyedia()), [], buka=False, syarat=SYARAT_DOKUMEN_BAKU, kripto=KRIPTO)
    assert (publik.nik, publik.nip) == ("3174********0001", "199005122015032002")


def test_a_registration_lists_the_required_documents_not_yet_uploaded():
    publik = pendaftaran_publik(baris(penyedia(npwp=NPWP_PT)), [dokumen("npwp"), dokumen("ktp")], buka=True,
                                syarat=SYARAT_DOKUMEN_BAKU, kripto=KRIPTO)
    assert [d.jenis for d in publik.dokumen] == [JenisDokumen.KTP, JenisDokumen.NPWP]
    assert publik.syarat_belum_diunggah == ["akta_pendirian", "formulir_pendaftaran", "formulir_keikutsertaan"]
    assert publik.status is StatusPendaftaran.DIAJUKAN


def test_a_user_account_masks_nik_and_npwp():
    row = Pengguna(id="u", pendaftaran_id="p", jenis="penyedia", status="aktif", user_id="x", email="x@y.id",
                   nama="PT X", npwp_sandi=KRIPTO.enkripsi(NPWP_PT), npwp_indeks=KRIPTO.indeks_buta(NPWP_PT),
                   nik_sandi=None, nip=None, peran=["penyedia"], versi=1, dibuat_pada=WAKTU, diperbarui_pada=WAKTU)
    assert pengguna_publik(row, buka=False, kripto=KRIPTO).npwp == "0013********1000"
    assert pengguna_publik(row, buka=True, kripto=KRIPTO).npwp == NPWP_PT
    assert pengguna_publik(row, buka=True, kripto=KRIPTO).nik is None


def test_history_keeps_changes_as_old_and_new_with_nik_and_npwp_masked():
    lama = repo.data_ke_json(penyedia(npwp=NPWP_PT))
    baru = {**lama, "telepon": "021-555", "npwp": "0015529183091000"}
    assert repo.perbedaan(lama, baru) == {"npwp": ["0013********1000", "0015********1000"],
                                          "telepon": ["0251-8312345", "021-555"]}
    assert repo.untuk_riwayat(lama)["penanggung_jawab.nik"] == "3201********0001"


def test_an_access_token_is_hashed_with_sha256():
    assert repo.hash_token("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


class _Pelanggaran(Exception):
    def __init__(self, constraint_name: str) -> None:
        super().__init__("duplicate key value violates unique constraint")
        self.constraint_name = constraint_name


class _Asal(Exception):
    pass


def integrity(constraint: str) -> IntegrityError:
    asal = _Asal("unique violation")
    asal.__cause__ = _Pelanggaran(constraint)
    return IntegrityError("INSERT ...", {}, asal)


@pytest.mark.parametrize(("constraint", "field"), [
    ("uq_pendaftaran_npwp_menunggu", "npwp"), ("uq_pendaftaran_nib_menunggu", "nib"),
    ("uq_pendaftaran_user_id_menunggu", "user_id"), ("uq_pengguna_email_berlaku", "email"),
    ("uq_pengguna_nip_berlaku", "nip"),
])
def test_a_unique_index_that_caught_a_concurrent_duplicate_becomes_a_409_naming_the_field(constraint, field):
    konflik = repo.konflik_dari(integrity(constraint))
    assert isinstance(konflik, Conflict)
    assert [e.field for e in konflik.errors] == [field]
    assert konflik.detail.startswith(f"{field}:")


def test_another_integrity_error_is_not_mistaken_for_a_duplicate_identifier():
    assert repo.konflik_dari(integrity("fk_dokumen_pendaftaran_id_pendaftaran")) is None
