from datetime import date, timedelta

import pytest

from tests.conftest import auth
from tests.integration.pokja.bantuan import (
    JUTA,
    KEPALA,
    P53,
    SATKER_LUAR,
    jenis,
    kode_unik,
    nip_unik,
    outbox,
    paket,
    pegawai,
    pengelola,
    pokja,
    sertifikat,
)

pytestmark = pytest.mark.integration
SATKER = "Direktorat Jenderal Politik dan Pemerintahan Umum"


async def tugaskan(klien, nip, **ubah):
    data = {"nip": nip, "satuan_kerja": SATKER, "nomor_permintaan_kpa": f"027/{kode_unik()}/POLPUM", **ubah}
    return await klien.post("/api/v1/pejabat-pengadaan", json=data, headers=KEPALA)


async def pejabat(klien, **ubah):
    response = await tugaskan(klien, await pegawai(klien, sertifikat=[sertifikat(level=2)]), **ubah)
    assert response.status_code == 201, response.text
    return response.json()


async def test_pengelola_pbj_level_2_ditugaskan_sebagai_pejabat_pengadaan_atas_permintaan_kpa(klien, migrated):
    nip = await pegawai(klien, sertifikat=[sertifikat(level=2)])
    response = await tugaskan(klien, nip)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/api/v1/pejabat-pengadaan/{body['id']}"
    assert (body["nip"], body["satuan_kerja"], body["status"]) == (nip, SATKER, "aktif")
    assert jenis(await outbox(migrated, aggregate_id=body["id"])) == ["pokja.pejabat_pengadaan.ditugaskan"]


@pytest.mark.parametrize(("kasus", "pasal"), [
    ("tanpa_permintaan_kpa", "Pasal 16"),
    ("sertifikat_level_1", "Pasal 16"),
    ("bukan_pengelola_pbj", "Pasal 16"),
    ("nip_tidak_dikenal", "Pasal 16"),
    ("peran_lpse", "Pasal 12 huruf b"),
])
async def test_penugasan_pejabat_yang_melanggar_ditolak_dengan_pasalnya(klien, migrated, kasus, pasal):
    ubah = {}
    if kasus == "tanpa_permintaan_kpa":
        nip, ubah = await pegawai(klien, sertifikat=[sertifikat(level=2)]), {"nomor_permintaan_kpa": " "}
    elif kasus == "sertifikat_level_1":
        nip = await pegawai(klien, sertifikat=[sertifikat(level=1)])
    elif kasus == "bukan_pengelola_pbj":
        nip = await pegawai(klien, jabatan="lainnya", sertifikat=[sertifikat(level=3)])
    elif kasus == "nip_tidak_dikenal":
        nip = nip_unik()
    else:
        nip = await pegawai(klien, sertifikat=[sertifikat(level=2)], peran_lpse="helpdesk")
    response = await tugaskan(klien, nip, **ubah)
    assert response.status_code == 422, response.text
    assert pasal in response.json()["rule"]
    assert await migrated.fetch("pokja", "SELECT id FROM pejabat_pengadaan WHERE nip = $1", nip) == []
    assert await outbox(migrated, berisi=nip) == []


async def test_hanya_kepala_ukpbj_menugaskan_pejabat_pengadaan(klien):
    response = await klien.post("/api/v1/pejabat-pengadaan", headers=auth("admin_ukpbj"), json={
        "nip": await pegawai(klien, sertifikat=[sertifikat(level=2)]), "satuan_kerja": SATKER,
        "nomor_permintaan_kpa": "027/1/POLPUM"})
    assert response.status_code == 403
    assert response.json()["rule"] == f"Pasal 16 {P53}"


async def test_paket_dalam_batas_pengadaan_langsung_ditugaskan_kepada_pejabat(klien, migrated):
    pj = await pejabat(klien)
    kode = (await paket(klien, satuan_kerja=SATKER, pagu=190 * JUTA, hps=180 * JUTA))["kode"]
    response = await klien.post(f"/api/v1/pejabat-pengadaan/{pj['id']}/paket", json={"paket": [kode]},
                                headers={**KEPALA, "If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert [k["kode"] for k in response.json()["paket"]] == [kode]
    assert response.headers["etag"] == '"2"'
    assert jenis(await outbox(migrated, aggregate_id=pj["id"]))[-1] == "pokja.pejabat_pengadaan.paket_ditugaskan"
    pelaksana = (await klien.get(f"/api/v1/paket/{kode}", headers=KEPALA)).json()["pelaksana"]
    assert (pelaksana["jenis"], pelaksana["id"]) == ("pejabat_pengadaan", pj["id"])


async def test_paket_di_atas_batas_pejabat_pengadaan_ditolak_menyebut_batas_dan_tidak_berubah(klien, migrated):
    pj = await pejabat(klien)
    kode = (await paket(klien, satuan_kerja=SATKER, pagu=300 * JUTA, hps=250 * JUTA))["kode"]
    response = await klien.post(f"/api/v1/pejabat-pengadaan/{pj['id']}/paket", json={"paket": [kode]},
                                headers=KEPALA)
    assert response.status_code == 422
    problem = response.json()
    assert problem["rule"] == "Perpres 46/2025"
    assert "Rp200.000.000" in problem["detail"] and "Rp250.000.000" in problem["detail"]
    assert jenis(await outbox(migrated, aggregate_id=pj["id"])) == ["pokja.pejabat_pengadaan.ditugaskan"]
    assert (await klien.get(f"/api/v1/paket/{kode}", headers=KEPALA)).json()["pelaksana"] is None


async def test_paket_satker_lain_atau_yang_ppknya_pejabat_itu_ditolak(klien):
    pj = await pejabat(klien)
    lain = (await paket(klien, satuan_kerja=SATKER_LUAR, pagu=100 * JUTA, hps=90 * JUTA))["kode"]
    response = await klien.post(f"/api/v1/pejabat-pengadaan/{pj['id']}/paket", json={"paket": [lain]},
                                headers=KEPALA)
    assert (response.status_code, response.json()["rule"]) == (422, f"Pasal 16 {P53}")
    sendiri = (await paket(klien, satuan_kerja=SATKER, pagu=100 * JUTA, hps=90 * JUTA, ppk_nip=pj["nip"]))["kode"]
    response = await klien.post(f"/api/v1/pejabat-pengadaan/{pj['id']}/paket", json={"paket": [sendiri]},
                                headers=KEPALA)
    assert (response.status_code, response.json()["rule"]) == (422, f"Pasal 12 huruf a {P53}")


def laporan(status="selesai", **ubah):
    data = {"status": status, "tanggal": (date.today() - timedelta(days=1)).isoformat()}
    if status == "selesai":
        data |= {"nilai_kontrak": 170 * JUTA, "pemenang": "CV Karya Mandiri"}
    return data | ubah


async def test_pejabat_pengadaan_melaporkan_hasil_dan_peristiwanya_memuat_data_laporan_semester(klien, migrated):
    pj = await pejabat(klien)
    kode = (await paket(klien, satuan_kerja=SATKER, pagu=190 * JUTA, hps=180 * JUTA))["kode"]
    await klien.post(f"/api/v1/pejabat-pengadaan/{pj['id']}/paket", json={"paket": [kode]}, headers=KEPALA)
    response = await klien.post(f"/api/v1/paket/{kode}/hasil-pemilihan", json=laporan(),
                                headers=auth("pejabat_pengadaan", nip=pj["nip"]))
    assert response.status_code == 201, response.text
    hasil = response.json()["hasil"]
    assert (hasil["status"], hasil["pelapor_nip"], hasil["pelaksana"]) == ("selesai", pj["nip"], "pejabat_pengadaan")
    events = await outbox(migrated, aggregate_id=kode)
    assert jenis(events)[-1] == "pokja.paket.hasil_pemilihan_dilaporkan"
    payload = events[-1]["payload"].replace(" ", "")
    for bagian in ('"pelaksana":"pejabat_pengadaan"', f'"pelaksana_id":"{pj["id"]}"', '"nilai_kontrak":170000000',
                   '"metode_pemilihan":"pengadaan_langsung"', '"tahun_anggaran":2025'):
        assert bagian in payload


async def test_anggota_pokja_melaporkan_gagal_lalu_selesai_dan_setelah_itu_hasil_tetap(klien, migrated):
    anggota = await pengelola(klien, 3)
    kode = (await paket(klien))["kode"]
    await pokja(klien, anggota, [kode])
    token = auth("pokja", nip=anggota[2])
    gagal = await klien.post(f"/api/v1/paket/{kode}/hasil-pemilihan", headers=token,
                             json=laporan("gagal", keterangan="Tidak ada penawaran yang lulus evaluasi"))
    assert gagal.status_code == 201, gagal.text
    selesai = await klien.post(f"/api/v1/paket/{kode}/hasil-pemilihan", headers=token,
                               json=laporan(nilai_kontrak=1_300 * JUTA, pemenang="PT Sinar Abadi"))
    assert selesai.status_code == 201
    lagi = await klien.post(f"/api/v1/paket/{kode}/hasil-pemilihan", headers=token, json=laporan("gagal"))
    assert lagi.status_code == 409
    assert jenis(await outbox(migrated, aggregate_id=kode)).count("pokja.paket.hasil_pemilihan_dilaporkan") == 2


@pytest.mark.parametrize("siapa", ["bukan_anggota", "peran_lain", "pejabat_lain"])
async def test_selain_anggota_pokja_atau_pejabat_paket_itu_ditolak_menurut_pasal_17(klien, migrated, siapa):
    anggota = await pengelola(klien, 3)
    kode = (await paket(klien))["kode"]
    await pokja(klien, anggota, [kode])
    token = {"bukan_anggota": auth("pokja", nip=await pegawai(klien)),
             "peran_lain": auth("ppk", nip=anggota[0]),
             "pejabat_lain": auth("pejabat_pengadaan", nip=anggota[0])}[siapa]
    response = await klien.post(f"/api/v1/paket/{kode}/hasil-pemilihan", json=laporan(), headers=token)
    assert response.status_code == 403
    assert response.json()["rule"] == f"Pasal 17 {P53}"
    assert jenis(await outbox(migrated, aggregate_id=kode)) == ["pokja.paket.dicatat"]


async def test_laporan_selesai_tanpa_pemenang_atau_di_atas_pagu_ditolak(klien):
    anggota = await pengelola(klien, 3)
    kode = (await paket(klien, pagu=1_000 * JUTA, hps=900 * JUTA))["kode"]
    await pokja(klien, anggota, [kode])
    token = auth("pokja", nip=anggota[0])
    response = await klien.post(f"/api/v1/paket/{kode}/hasil-pemilihan", headers=token,
                                json=laporan(nilai_kontrak=1_100 * JUTA, pemenang=None))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"nilai_kontrak", "pemenang"}


async def test_pejabat_pengadaan_yang_sertifikatnya_diturunkan_ke_level_1_ditolak_menurut_pasal_16(klien):
    pj = await pejabat(klien)
    response = await klien.patch(f"/api/v1/pegawai/{pj['nip']}", json={"sertifikat": [sertifikat(level=1)]},
                                 headers=KEPALA)
    assert response.status_code == 422
    assert response.json()["rule"].startswith(f"Pasal 16 {P53}")
