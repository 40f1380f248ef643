import hashlib
import uuid

import pytest

from services.registrasi.seed import pdf, png
from tests.conftest import auth, running_app
from tests.integration.registrasi.pembantu import (
    ADMIN,
    NIP_VERIFIKATOR,
    VERIFIKATOR,
    berkas,
    daftar,
    galat,
    jejak,
    penyedia,
    putuskan,
    riwayat,
    unggah,
)

pytestmark = pytest.mark.integration


async def test_an_upload_records_size_detected_type_and_sha256_and_keeps_the_bytes_out_of_the_database(
        client, migrated):
    reg, token = await daftar(client, penyedia())
    isi = pdf("Akta Pendirian PT Uji")
    r = await client.post(f"/api/v1/pendaftaran/{reg['id']}/dokumen", headers=token, data={"jenis": "akta_pendirian"},
                          files={"file": ("akta.pdf", isi, "application/octet-stream")})
    assert r.status_code == 201, r.text
    dok = r.json()
    assert r.headers["location"] == f"/api/v1/pendaftaran/{reg['id']}/dokumen/{dok['id']}"
    assert (dok["jenis"], dok["versi"], dok["terkini"], dok["jenis_konten"], dok["ukuran"], dok["sha256"]) == (
        "akta_pendirian", 1, True, "application/pdf", len(isi), hashlib.sha256(isi).hexdigest())
    [row] = await migrated.fetch("registrasi", "SELECT kunci FROM dokumen WHERE id = $1", dok["id"])
    disimpan = client.app.state.lingkungan.penyimpanan.akar / row["kunci"]
    assert disimpan.read_bytes() == isi


async def test_the_registration_lists_the_uploaded_documents_and_what_is_still_missing(client):
    reg, token = await daftar(client, penyedia())
    await unggah(client, reg["id"], token, "ktp", "npwp")
    baca = (await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=token)).json()
    assert sorted(d["jenis"] for d in baca["dokumen"]) == ["ktp", "npwp"]
    assert baca["syarat_belum_diunggah"] == ["akta_pendirian", "formulir_pendaftaran", "formulir_keikutsertaan"]
    assert baca["versi"] == 3


async def test_the_verifikator_may_upload_for_the_registrant(client):
    reg, _ = await daftar(client, penyedia())
    r = await client.post(f"/api/v1/pendaftaran/{reg['id']}/dokumen", headers=VERIFIKATOR, **berkas("ktp"))
    assert r.status_code == 201
    assert r.json()["diunggah_oleh"] == NIP_VERIFIKATOR


@pytest.mark.parametrize(("nama", "isi", "terdeteksi"), [
    ("ktp.pdf", b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "arsip ZIP (termasuk DOCX/XLSX)"),
    ("ktp.jpg", b"GIF89a\x01\x00\x01\x00", "gambar GIF"),
    ("ktp.png", b"MZ\x90\x00\x03\x00\x00\x00", "program Windows (EXE)"),
    ("ktp.pdf", b"", "berkas kosong"),
    ("ktp.pdf", b"<html><body>bukan pdf</body></html>", "format tidak dikenal"),
])
async def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused_whatever_its_name_and_nothing_changes(
        client, migrated, nama, isi, terdeteksi):
    reg, token = await daftar(client, penyedia())
    sebelum = await jejak(migrated)
    r = await client.post(f"/api/v1/pendaftaran/{reg['id']}/dokumen", headers=token, data={"jenis": "ktp"},
                          files={"file": (nama, isi, "application/pdf")})
    assert r.status_code == 415, r.text
    assert r.json()["terdeteksi"] == terdeteksi
    assert "Hanya PDF, JPEG, atau PNG" in r.json()["detail"]
    assert await jejak(migrated) == sebelum


async def test_an_oversized_file_is_refused_with_413_and_nothing_changes(migrated, broker):
    async with running_app(migrated, "registrasi", max_upload_bytes=2048, kafka_bootstrap=broker.bootstrap) as kecil:
        reg, token = await daftar(kecil, penyedia())
        sebelum = await jejak(migrated)
        besar = pdf("x") + b"0" * 4096
        r = await kecil.post(f"/api/v1/pendaftaran/{reg['id']}/dokumen", headers=token, data={"jenis": "ktp"},
                             files={"file": ("ktp.pdf", besar, "application/pdf")})
        assert r.status_code == 413, r.text
        assert r.json()["batas_byte"] == 2048
        assert await jejak(migrated) == sebelum
        pas = await kecil.post(f"/api/v1/pendaftaran/{reg['id']}/dokumen", headers=token, **berkas("ktp"))
        assert pas.status_code == 201


async def test_an_unknown_document_kind_is_refused_naming_the_field(client, migrated):
    reg, token = await daftar(client, penyedia())
    sebelum = await jejak(migrated)
    r = await client.post(f"/api/v1/pendaftaran/{reg['id']}/dokumen", headers=token, data={"jenis": "siup"},
                          files={"file": ("siup.pdf", pdf("siup"), "application/pdf")})
    assert r.status_code == 422
    assert "jenis" in galat(r)
    assert await jejak(migrated) == sebelum


async def test_a_reupload_adds_a_version_and_keeps_the_previous_one_downloadable(client):
    reg, token = await daftar(client, penyedia())
    [lama] = await unggah(client, reg["id"], token, "ktp")
    baru_isi = pdf("KTP pindaian ulang")
    r = await client.post(f"/api/v1/pendaftaran/{reg['id']}/dokumen", headers=token, data={"jenis": "ktp"},
                          files={"file": ("ktp-baru.pdf", baru_isi, "application/pdf")})
    baru = r.json()
    assert baru["versi"] == 2
    daftar_dok = (await client.get(f"/api/v1/pendaftaran/{reg['id']}/dokumen", headers=token)).json()["data"]
    assert [(d["jenis"], d["versi"], d["terkini"]) for d in daftar_dok] == [("ktp", 2, True), ("ktp", 1, False)]
    unduh_lama = await client.get(f"/api/v1/pendaftaran/{reg['id']}/dokumen/{lama['id']}", headers=token)
    assert (unduh_lama.status_code, unduh_lama.content) == (200, png())
    assert unduh_lama.headers["content-type"] == "image/png"
    unduh_baru = await client.get(f"/api/v1/pendaftaran/{reg['id']}/dokumen/{baru['id']}", headers=VERIFIKATOR)
    assert (unduh_baru.content, unduh_baru.headers["content-type"]) == (baru_isi, "application/pdf")
    assert unduh_baru.headers["content-disposition"] == 'attachment; filename="ktp-v2.pdf"'
    assert [d["versi"] for d in (await client.get(f"/api/v1/pendaftaran/{reg['id']}",
                                                  headers=token)).json()["dokumen"]] == [2]


async def test_every_download_is_written_to_the_history_with_who_and_which_document(client, migrated):
    reg, token = await daftar(client, penyedia())
    [dok] = await unggah(client, reg["id"], token, "npwp")
    await client.get(f"/api/v1/pendaftaran/{reg['id']}/dokumen/{dok['id']}", headers=ADMIN)
    await client.get(f"/api/v1/pendaftaran/{reg['id']}/dokumen/{dok['id']}", headers=token)
    unduhan = [r for r in await riwayat(migrated, "pendaftaran", reg["id"]) if r["aksi"] == "dokumen_diunduh"]
    assert [(r["aktor"], r["peran"]) for r in unduhan] == [("197901012005011002", "admin_ukpbj"),
                                                          (f"pendaftar:{reg['user_id']}", "pendaftar")]
    assert all(f'"dokumen_id": "{dok["id"]}"' in r["perubahan"] for r in unduhan)


@pytest.mark.parametrize("peran", ["penyedia", "helpdesk", "pokja", "layanan"])
async def test_only_the_registrant_and_staff_may_download(client, migrated, peran):
    reg, token = await daftar(client, penyedia())
    [dok] = await unggah(client, reg["id"], token, "ktp")
    _, token_lain = await daftar(client, penyedia())
    sebelum = await jejak(migrated)
    url = f"/api/v1/pendaftaran/{reg['id']}/dokumen/{dok['id']}"
    assert (await client.get(url, headers=auth(peran))).status_code == 403
    assert (await client.get(url, headers=token_lain)).status_code == 403
    assert (await client.get(url)).status_code == 401
    assert await jejak(migrated) == sebelum


async def test_a_document_of_another_registration_is_not_found_through_this_one(client):
    reg, token = await daftar(client, penyedia())
    lain, token_lain = await daftar(client, penyedia())
    [dok] = await unggah(client, lain["id"], token_lain, "ktp")
    r = await client.get(f"/api/v1/pendaftaran/{reg['id']}/dokumen/{dok['id']}", headers=token)
    assert r.status_code == 404
    assert (await client.get(f"/api/v1/pendaftaran/{reg['id']}/dokumen/{uuid.uuid4()}",
                             headers=VERIFIKATOR)).status_code == 404


async def test_the_admin_may_not_upload_and_an_unknown_token_is_401(client, migrated):
    reg, _ = await daftar(client, penyedia())
    sebelum = await jejak(migrated)
    url = f"/api/v1/pendaftaran/{reg['id']}/dokumen"
    assert (await client.post(url, headers=ADMIN, **berkas("ktp"))).status_code == 403
    assert (await client.post(url, headers={"X-Token-Akses": "palsu"}, **berkas("ktp"))).status_code == 401
    assert (await client.post(url, **berkas("ktp"))).status_code == 401
    assert await jejak(migrated) == sebelum


async def test_no_document_can_be_added_after_a_final_decision(client, migrated):
    reg, token = await daftar(client, penyedia())
    assert (await putuskan(client, reg["id"], keputusan="ditolak", alasan="Data tidak benar")).status_code == 200
    sebelum = await jejak(migrated)
    r = await client.post(f"/api/v1/pendaftaran/{reg['id']}/dokumen", headers=token, **berkas("ktp"))
    assert r.status_code == 409
    assert "berstatus ditolak" in r.json()["detail"]
    assert await jejak(migrated) == sebelum


async def test_an_upload_is_recorded_in_the_history(client, migrated):
    reg, token = await daftar(client, penyedia())
    [dok] = await unggah(client, reg["id"], token, "formulir_pendaftaran")
    [baris] = [r for r in await riwayat(migrated, "pendaftaran", reg["id"]) if r["aksi"] == "dokumen_diunggah"]
    assert baris["aktor"] == f"pendaftar:{reg['user_id']}"
    assert dok["sha256"] in baris["perubahan"] and '"versi": 1' in baris["perubahan"]


async def test_control_characters_are_dropped_from_the_stored_file_name(client):
    reg, token = await daftar(client, penyedia())
    r = await client.post(f"/api/v1/pendaftaran/{reg['id']}/dokumen", headers=token, data={"jenis": "ktp"},
                          files={"file": ("ktp\u0000\u0007.pdf", pdf("ktp"), "application/pdf")})
    assert r.status_code == 201
    assert "\u0000" not in (r.json()["nama_berkas"] or "") and "\u0007" not in (r.json()["nama_berkas"] or "")


async def test_credentials_are_checked_before_the_upload_body(client, migrated):
    reg, _ = await daftar(client, penyedia())
    sebelum = await jejak(migrated)
    url = f"/api/v1/pendaftaran/{reg['id']}/dokumen"
    assert (await client.post(url, json={})).status_code == 401
    assert (await client.post(url, json={}, headers={"X-Token-Akses": "palsu"})).status_code == 401
    assert await jejak(migrated) == sebelum
