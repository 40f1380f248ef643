import hashlib
import io
import random

import pypdf
import pytest

from tests.conftest import auth
from tests.integration.helpdesk.bantuan import buat_tiket, nip, peristiwa, sebagai_helpdesk, sebagai_pengguna

pytestmark = pytest.mark.integration


def body(saksi: str, anggota: list[str], **ubah: object) -> dict:
    data = {
        "paket_kode": f"BA{random.randint(10**6, 10**7)}", "penyedia": "PT Maju Jaya Konstruksi",
        "nama_file": "penawaran-pt-maju-jaya.zip", "hash_file": hashlib.sha256(random.randbytes(16)).hexdigest(),
        "pernyataan_lpse": "Berkas diterima utuh sesuai log unggah, namun tidak dapat didekripsi.",
        "saksi": {"nama": "Budi Santoso", "nip": saksi},
        "anggota_pokja": [{"nama": f"Anggota {i}", "nip": n} for i, n in enumerate(anggota, start=1)],
        "hasil": "penawaran_tidak_memenuhi"}
    data.update(ubah)
    return data


async def draf(helpdesk, saksi: str, anggota: list[str], **ubah: object) -> dict:
    response = await helpdesk.post("/api/v1/berita-acara", json=body(saksi, anggota, **ubah),
                                   headers=auth("kasubbag_lpse", sub=saksi))
    assert response.status_code == 201, response.text
    return response.json()


async def keadaan_ba(infra, ba_id: str) -> tuple:
    [row] = await infra.fetch("helpdesk", "SELECT status, versi, hasil, pernyataan_lkpp, anggota_pokja::text AS a "
                              "FROM berita_acara WHERE id = $1", ba_id)
    [n] = await infra.fetch("helpdesk", "SELECT count(*) AS n FROM outbox WHERE aggregate_id = $1", ba_id)
    return tuple(row) + (n["n"],)


async def test_the_kasubbag_drafts_corrects_signs_and_downloads_a_formal_berita_acara(helpdesk, migrated):
    saksi, anggota = nip(1979), [nip(1987), nip(1990), nip(1992)]
    kasubbag = auth("kasubbag_lpse", sub=saksi)
    tiket = await buat_tiket(helpdesk, sebagai_pengguna())
    ba = await draf(helpdesk, saksi, anggota, tiket_id=tiket["id"])
    assert (ba["status"], ba["versi"]) == ("draf", 1) and "/BA-LPSE/" in ba["nomor"]
    diubah = await helpdesk.patch(f"/api/v1/berita-acara/{ba['id']}", headers={**kasubbag, "If-Match": '"1"'},
                                  json={"pernyataan_lkpp": "LKPP menyatakan berkas rusak sejak diunggah."})
    assert diubah.status_code == 200 and diubah.json()["versi"] == 2
    ditandatangani = await helpdesk.post(f"/api/v1/berita-acara/{ba['id']}/tandatangani",
                                         headers={**kasubbag, "If-Match": '"2"'})
    assert ditandatangani.status_code == 200, ditandatangani.text
    assert ditandatangani.json()["status"] == "ditandatangani" and ditandatangani.json()["ditandatangani_pada"]

    [ttd] = await peristiwa(migrated, ba["id"])
    assert ttd["type"] == "helpdesk.berita_acara.ditandatangani" and ttd["versi"] == 3
    assert ttd["data"] == {**ttd["data"], "berita_acara_id": ba["id"], "paket_kode": ba["paket_kode"],
                           "hasil": "penawaran_tidak_memenuhi"}

    pdf = await helpdesk.get(f"/api/v1/berita-acara/{ba['id']}.pdf", headers=kasubbag)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == (await helpdesk.get(f"/api/v1/berita-acara/{ba['id']}.pdf", headers=kasubbag)).content
    teks = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    for isi in ("BERITA ACARA", "DOKUMEN PENAWARAN YANG TIDAK DAPAT DIBUKA", ba["nomor"], ba["paket_kode"],
                "PT Maju Jaya Konstruksi", "penawaran-pt-maju-jaya.zip", ba["hash_file"], "Pernyataan LPSE",
                "tidak dapat didekripsi", "LKPP menyatakan berkas rusak sejak diunggah.", "Budi Santoso", saksi,
                "Kepala Subbagian Layanan Pengadaan Secara Elektronik", "Anggota Pokja Pemilihan yang hadir",
                *anggota, "tidak memenuhi persyaratan", "Lampiran angka 2.5.3", tiket["nomor"], "Ditandatangani pada"):
        assert isi in teks, isi
    assert "DRAF" not in teks


async def test_a_signed_berita_acara_refuses_every_change_saying_why_and_changes_nothing(helpdesk, migrated):
    saksi = nip(1979)
    kasubbag = auth("kasubbag_lpse", sub=saksi)
    ba = await draf(helpdesk, saksi, [nip(1987)])
    await helpdesk.post(f"/api/v1/berita-acara/{ba['id']}/tandatangani", headers=kasubbag)
    sebelum = await keadaan_ba(migrated, ba["id"])
    for permintaan in (
        helpdesk.patch(f"/api/v1/berita-acara/{ba['id']}", headers=kasubbag, json={"hasil": "evaluasi_dilanjutkan"}),
        helpdesk.patch(f"/api/v1/berita-acara/{ba['id']}", headers={**kasubbag, "If-Match": '"1"'},
                       json={"pernyataan_lkpp": "Tambahan"}),
        helpdesk.post(f"/api/v1/berita-acara/{ba['id']}/tandatangani", headers=kasubbag),
    ):
        response = await permintaan
        assert response.status_code == 409
        assert "sudah ditandatangani" in response.json()["detail"] and "tidak dapat diubah" in response.json()["detail"]
    assert await keadaan_ba(migrated, ba["id"]) == sebelum
    with pytest.raises(Exception, match="sudah ditandatangani"):
        await migrated.execute("helpdesk", "UPDATE berita_acara SET hasil = 'evaluasi_dilanjutkan' WHERE id = $1",
                               ba["id"])


async def test_only_the_kasubbag_witness_drafts_and_only_listed_pokja_members_read(helpdesk):
    saksi, anggota = nip(1979), nip(1988)
    ditolak = await helpdesk.post("/api/v1/berita-acara", json=body(saksi, [anggota]), headers=sebagai_helpdesk())
    assert ditolak.status_code == 403
    saksi_lain = await helpdesk.post("/api/v1/berita-acara", json=body(nip(1970), [anggota]),
                                     headers=auth("kasubbag_lpse", sub=saksi))
    assert saksi_lain.status_code == 422 and "Lampiran 2.5.3" in saksi_lain.json()["rule"]
    ba = await draf(helpdesk, saksi, [anggota])
    dibaca = await helpdesk.get(f"/api/v1/berita-acara/{ba['id']}", headers=auth("pokja", sub=anggota))
    assert dibaca.status_code == 200
    assert (await helpdesk.get(f"/api/v1/berita-acara/{ba['id']}.pdf",
                               headers=auth("pokja", sub=nip(1989)))).status_code == 403
    daftar = (await helpdesk.get("/api/v1/berita-acara", headers=auth("pokja", sub=anggota))).json()["data"]
    assert [x["id"] for x in daftar] == [ba["id"]]
    pdf_draf = await helpdesk.get(f"/api/v1/berita-acara/{ba['id']}.pdf", headers=auth("kasubbag_lpse", sub=saksi))
    assert "DRAF" in pypdf.PdfReader(io.BytesIO(pdf_draf.content)).pages[0].extract_text()
