"""The hot paths' pieces that do without the ORM and the domain aggregate give what those gave (issue 9)."""

from datetime import UTC, datetime
from itertools import chain, combinations
from types import SimpleNamespace

import asyncpg
import orjson
import pytest

from services.registrasi import domain
from services.registrasi import repository as repo
from services.registrasi.domain import SYARAT_DOKUMEN_BAKU, syarat_dari_pengaturan
from services.registrasi.repository_pg import _KUNCI_DAN_DAFTAR_HITAM, konflik_dari_pg, kunci_identitas
from services.registrasi.tampilan import pendaftaran_dari_baris, pendaftaran_publik, syarat_belum_diunggah
from shared.pg import advisory_key

from .contoh import NPWP_PT, non_penyedia, penyedia
from .test_penyajian import KRIPTO, baris, dokumen

SYARAT_LAIN = syarat_dari_pengaturan({"penyedia": ["ktp|npwp", "akta_pendirian"], "non_penyedia": ["sk", "ktp"],
                                       "penyedia.koperasi": ["formulir_pendaftaran"]})


def himpunan_bagian(isi):
    return chain.from_iterable(combinations(isi, n) for n in range(len(isi) + 1))


@pytest.mark.parametrize("syarat", [SYARAT_DOKUMEN_BAKU, SYARAT_LAIN])
@pytest.mark.parametrize("data", [penyedia(npwp=NPWP_PT), penyedia(bentuk_usaha=domain.BentukUsaha.PERORANGAN),
                                  penyedia(bentuk_usaha=domain.BentukUsaha.KOPERASI), non_penyedia()])
def test_missing_documents_are_named_as_the_domain_names_them(data, syarat):
    jenis = ("ktp", "npwp", "akta_pendirian", "sk", "surat_tugas", "formulir_pendaftaran")
    for diunggah in himpunan_bagian(jenis):
        p = domain.Pendaftaran(id="x", data=data, dokumen={domain.JenisDokumen(j) for j in diunggah})
        bentuk = data.bentuk_usaha.value if isinstance(data, domain.DataPenyedia) else None
        assert syarat_belum_diunggah(data.jenis.value, bentuk, set(diunggah), syarat) == \
            p.syarat_belum_diunggah(syarat)


def sebagai_record(row, dokumen_rows):
    """What `repository_pg`'s SELECT gives for an ORM row: scalar columns plus the JSON array (as text)."""
    kolom = {k: getattr(row, k) for k in ("id", "jenis", "status", "bentuk_usaha", "nama", "email", "user_id",
                                         "npwp_sandi", "npwp_format_lama", "nik_sandi", "nib", "nip",
                                         "berlaku_sampai", "alasan", "pengguna_id", "versi", "diajukan_pada",
                                         "menunggu_sejak", "diputuskan_pada", "diputuskan_oleh")}
    dok = [{k: getattr(d, k) for k in ("id", "jenis", "versi", "nama_berkas", "jenis_konten", "ukuran", "sha256",
                                       "diunggah_oleh", "diunggah_pada")} for d in sorted(dokumen_rows,
                                                                                         key=lambda d: d.jenis)]
    kolom["json"] = orjson.dumps([row.data, row.peringatan, row.dokumen_asli_diperiksa, row.kekurangan,
                                  dok or None]).decode()
    return kolom


@pytest.mark.parametrize("buka", [True, False])
@pytest.mark.parametrize("data", [penyedia(npwp=NPWP_PT), non_penyedia()])
def test_a_row_becomes_the_same_public_registration_as_through_the_orm(data, buka):
    from services.registrasi.schemas import PendaftaranPublic

    row = baris(data)
    row.peringatan, row.dokumen_asli_diperiksa, row.kekurangan = ["awas"], ["npwp", "ktp"], ["ktp"]
    row.diputuskan_pada, row.alasan = datetime(2025, 6, 3, 1, 2, 3, 450000, tzinfo=UTC), "buram"
    dok = [dokumen("npwp"), dokumen("ktp")]
    lama = pendaftaran_publik(row, dok, buka=buka, syarat=SYARAT_DOKUMEN_BAKU, kripto=KRIPTO)
    baru = pendaftaran_dari_baris(sebagai_record(row, dok), buka=buka, syarat=SYARAT_DOKUMEN_BAKU, kripto=KRIPTO)
    assert PendaftaranPublic.model_validate(baru).model_dump_json() == lama.model_dump_json()


def test_identifier_locks_are_the_orm_paths_keys_in_order():
    row = baris(penyedia(npwp=NPWP_PT))
    row.email = "Pengadaan@Sinar.co.id"
    kunci = kunci_identitas(repo.identitas(row))
    assert kunci == sorted(kunci) == repo.kunci_advisory(repo.identitas(row))
    assert advisory_key("registrasi", "email:pengadaan@sinar.co.id") in kunci  # the e-mail without case
    assert len(set(kunci)) == len(repo.identitas(row))
    assert "unnest($1::bigint[])" in _KUNCI_DAN_DAFTAR_HITAM and "LEFT JOIN" in _KUNCI_DAN_DAFTAR_HITAM


@pytest.mark.parametrize(("nama", "field"), [("uq_pendaftaran_npwp_menunggu", "npwp"),
                                             ("uq_pengguna_email_berlaku", "email"),
                                             ("uq_pendaftaran_user_id_menunggu", "user_id"),
                                             ("pendaftaran_token_hash_key", None)])
def test_a_unique_violation_from_asyncpg_is_the_same_409(nama, field):
    exc = asyncpg.UniqueViolationError("duplicate key value")
    exc.constraint_name = nama
    galat = konflik_dari_pg(exc)
    if field is None:
        assert galat is None
    else:
        assert galat is not None and galat.status == 409
        assert (galat.detail, [e.field for e in galat.errors]) == (repo.konflik([field]).detail, [field])


def test_blacklist_entries_read_like_orm_rows():
    e = SimpleNamespace(id="dh", npwp_sandi=None, nib="9120001234567", jenis_pelanggaran="etika",
                        mulai=datetime(2025, 1, 1).date(), selesai=datetime(2027, 1, 1).date(), alasan="palsu")
    assert repo.entri_domain(e, KRIPTO).nib == "9120001234567"


def test_the_control_character_check_refuses_exactly_categories_cc_and_cs_but_tab_and_line_breaks():
    import unicodedata

    from services.registrasi.schemas import _KENDALI

    for kode in range(0x110000):
        c = chr(kode)
        lama = c not in "\t\n\r" and unicodedata.category(c) in ("Cc", "Cs")
        assert bool(_KENDALI.search(f"a{c}b")) is lama, hex(kode)
