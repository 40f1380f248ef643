import pytest

from tests.conftest import auth
from tests.integration.pokja.bantuan import (
    ADMIN,
    JUTA,
    KEPALA,
    P53,
    data_paket,
    data_pegawai,
    jenis,
    kode_unik,
    outbox,
    paket,
    pegawai,
    pengelola,
    pokja,
    sertifikat,
)

pytestmark = pytest.mark.integration


async def test_pegawai_dicatat_dengan_sertifikat_dan_status_spse_belum_terdaftar(klien):
    data = data_pegawai(jabatan="lainnya", nama_jabatan="Analis Keuangan")
    response = await klien.post("/api/v1/pegawai", json=data, headers=ADMIN)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/v1/pegawai/{data['nip']}"
    body = response.json()
    assert body["status_spse"] == "belum_terdaftar"
    assert body["sertifikat"][0]["berlaku"] is True
    read = await klien.get(f"/api/v1/pegawai/{data['nip']}", headers=KEPALA)
    assert read.json()["nama_jabatan"] == "Analis Keuangan"
    assert read.headers["etag"] == '"1"'


@pytest.mark.parametrize(("nip", "pesan"), [
    ("198013452005011001", "tanggal lahir"),
    ("198001012005131001", "TMT"),
    ("198001011979011001", "TMT"),
    ("198001012005013001", "jenis kelamin"),
    ("198001012005011000", "nomor urut"),
])
async def test_nip_yang_strukturnya_salah_ditolak_dengan_alasannya(klien, nip, pesan):
    response = await klien.post("/api/v1/pegawai", json=data_pegawai(nip=nip), headers=ADMIN)
    assert response.status_code == 422
    assert pesan in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "nip"


async def test_pegawai_yang_sama_dua_kali_ditolak_sebagai_konflik(klien):
    data = data_pegawai()
    assert (await klien.post("/api/v1/pegawai", json=data, headers=ADMIN)).status_code == 201
    assert (await klien.post("/api/v1/pegawai", json=data, headers=ADMIN)).status_code == 409


@pytest.mark.parametrize("peran", ["pokja", "layanan", "verifikator"])
async def test_pegawai_hanya_untuk_admin_dan_kepala_ukpbj(klien, peran):
    assert (await klien.post("/api/v1/pegawai", json=data_pegawai(), headers=auth(peran))).status_code == 403
    assert (await klien.get("/api/v1/pegawai", headers=auth(peran))).status_code == 403


async def test_daftar_pegawai_berhalaman_menurut_nip(klien):
    await pegawai(klien)
    await pegawai(klien)
    first = (await klien.get("/api/v1/pegawai", params={"limit": 1}, headers=ADMIN)).json()
    second = (await klien.get("/api/v1/pegawai", params={"limit": 1, "cursor": first["next_cursor"]},
                              headers=ADMIN)).json()
    assert first["data"][0]["nip"] < second["data"][0]["nip"]


@pytest.mark.parametrize(("jenis_pengadaan", "hps", "metode"), [
    ("barang", 200 * JUTA, "pengadaan_langsung"),
    ("barang", 200 * JUTA + 1, "tender"),
    ("jasa_lainnya", 150 * JUTA, "pengadaan_langsung"),
    ("jasa_konsultansi", 100 * JUTA, "pengadaan_langsung"),
    ("jasa_konsultansi", 100 * JUTA + 1, "seleksi"),
    ("pekerjaan_konstruksi", 400 * JUTA, "pengadaan_langsung"),
    ("pekerjaan_konstruksi", 400 * JUTA + 1, "tender"),
])
async def test_metode_pemilihan_diturunkan_dari_ambang_bertanggal(klien, migrated, jenis_pengadaan, hps, metode):
    data = data_paket(jenis_pengadaan=jenis_pengadaan, pagu=hps + 10 * JUTA, hps=hps)
    response = await klien.post("/api/v1/paket", json=data, headers=ADMIN)
    assert response.status_code == 201, response.text
    assert response.json()["metode_pemilihan"] == metode
    assert response.json()["dasar_ambang"] == "Perpres 46/2025"
    events = await outbox(migrated, aggregate_id=data["kode"])
    assert jenis(events) == ["pokja.paket.dicatat"]
    assert f'"metode_pemilihan":"{metode}"' in events[0]["payload"].replace(" ", "")


async def test_hps_di_atas_pagu_ditolak(klien):
    response = await klien.post("/api/v1/paket", json=data_paket(pagu=100 * JUTA, hps=120 * JUTA), headers=ADMIN)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "hps"


@pytest.mark.parametrize("peran", ["pokja", "layanan", "pimpinan"])
async def test_paket_hanya_dicatat_admin_dan_kepala_tetapi_dibaca_staf_dan_layanan(klien, peran):
    assert (await klien.post("/api/v1/paket", json=data_paket(), headers=auth(peran))).status_code == 403
    kode = (await paket(klien))["kode"]
    status = (await klien.get(f"/api/v1/paket/{kode}", headers=auth(peran))).status_code
    assert status == (403 if peran == "pimpinan" else 200)


async def test_metode_ditetapkan_manual_dengan_alasan_tercatat_dalam_riwayat_dan_peristiwa(klien, migrated):
    kode = (await paket(klien))["kode"]
    response = await klien.post(f"/api/v1/paket/{kode}/metode", headers={**ADMIN, "If-Match": '"1"'},
                                json={"metode": "tender_cepat", "alasan": "Spesifikasi dan volume sudah rinci"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["metode_pemilihan"], body["metode_turunan"]) == ("tender_cepat", "tender")
    assert body["alasan_metode"] == "Spesifikasi dan volume sudah rinci"
    assert jenis(await outbox(migrated, aggregate_id=kode)) == ["pokja.paket.dicatat", "pokja.paket.metode_diubah"]
    riwayat = (await klien.get(f"/api/v1/paket/{kode}/riwayat", headers=KEPALA)).json()["data"]
    assert [r["aksi"] for r in riwayat] == ["dicatat", "metode_diubah"]
    assert riwayat[1]["alasan"] == "Spesifikasi dan volume sudah rinci"
    assert riwayat[1]["perubahan"] == {"dari": "tender", "menjadi": "tender_cepat"}


async def test_pengadaan_langsung_di_atas_batasnya_tidak_dapat_ditetapkan_manual(klien, migrated):
    kode = (await paket(klien, hps=900 * JUTA))["kode"]
    response = await klien.post(f"/api/v1/paket/{kode}/metode", headers=ADMIN,
                                json={"metode": "pengadaan_langsung", "alasan": "Agar lebih cepat"})
    assert response.status_code == 422
    assert "Perpres" in response.json()["rule"]
    assert jenis(await outbox(migrated, aggregate_id=kode)) == ["pokja.paket.dicatat"]


async def test_paket_dengan_idempotency_key_tidak_dicatat_dua_kali(klien):
    data = data_paket()
    headers = {**ADMIN, "Idempotency-Key": kode_unik()}
    first = await klien.post("/api/v1/paket", json=data, headers=headers)
    again = await klien.post("/api/v1/paket", json=data, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()


async def test_ambang_nilai_bertanggal_terbaca_dan_yang_berlaku_ditandai(klien):
    ambang = (await klien.get("/api/v1/ambang-nilai", headers=KEPALA)).json()
    assert [a["dasar"] for a in ambang] == ["Perpres 16/2018 jo. Perpres 12/2021", "Perpres 46/2025"]
    assert [a["berlaku_sekarang"] for a in ambang] == [False, True]


async def test_sertifikat_diperbarui_dengan_if_match_dan_tercatat_dalam_riwayat(klien):
    nip = await pegawai(klien)
    baru = sertifikat(level=3)
    response = await klien.patch(f"/api/v1/pegawai/{nip}", json={"sertifikat": [baru]},
                                 headers={**ADMIN, "If-Match": '"1"'})
    assert response.status_code == 200, response.text
    assert response.json()["sertifikat"][0]["level"] == 3
    assert response.headers["etag"] == '"2"'
    stale = await klien.patch(f"/api/v1/pegawai/{nip}", json={"nama": "Nama Lain"},
                              headers={**ADMIN, "If-Match": '"1"'})
    assert stale.status_code == 412


@pytest.mark.parametrize(("ubah", "pasal"), [
    ({"peran_lpse": "helpdesk"}, "Pasal 12 huruf b"),
    ({"jabatan": "lainnya", "sertifikat": []}, "Pasal 15 ayat 3"),
    ({"unit": "luar_ukpbj", "satuan_kerja": "Inspektorat Jenderal"}, "Pasal 15 ayat 4"),
])
async def test_perubahan_data_anggota_pokja_aktif_yang_melanggar_aturan_ditolak(klien, ubah, pasal):
    anggota = await pengelola(klien, 3)
    await pokja(klien, anggota)
    response = await klien.patch(f"/api/v1/pegawai/{anggota[0]}", json=ubah, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert response.json()["rule"] == f"{pasal} {P53}"
    assert (await klien.get(f"/api/v1/pegawai/{anggota[0]}", headers=ADMIN)).json()["versi"] == 1


async def test_pokja_tidak_boleh_kehilangan_pengelola_pbj_terakhirnya_karena_perubahan_jabatan(klien):
    satu = await pegawai(klien)
    pns = [await pegawai(klien, jabatan="lainnya", sertifikat=[sertifikat(level=1)]) for _ in range(2)]
    await pokja(klien, [satu, *pns])
    response = await klien.patch(f"/api/v1/pegawai/{satu}", json={"jabatan": "lainnya"}, headers=ADMIN)
    assert (response.status_code, response.json()["rule"]) == (422, f"Pasal 15 ayat 3 {P53}")
    lepas = await pegawai(klien)
    ok = await klien.patch(f"/api/v1/pegawai/{lepas}", json={"jabatan": "lainnya", "peran_lpse": "helpdesk"},
                           headers=ADMIN)
    assert ok.status_code == 200 and ok.json()["peran_lpse"] == "helpdesk"
