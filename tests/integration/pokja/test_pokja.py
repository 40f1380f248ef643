from datetime import date, timedelta

import uuid

import pytest
from aiokafka import AIOKafkaConsumer

from services.pokja.metrik import segarkan_pokja_aktif
from shared.events import Envelope
from tests.conftest import auth
from tests.integration.pokja.bantuan import (
    KEPALA,
    KEPALA_NIP,
    P53,
    SATKER_LUAR,
    data_pokja,
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
from tests.support.kafka import eventually

pytestmark = pytest.mark.integration


async def tidak_ada_yang_berubah(infra, nomor_sk: str) -> None:
    rows = await infra.fetch("pokja", "SELECT id FROM pokja WHERE nomor_sk = $1", nomor_sk)
    assert rows == []
    assert await outbox(infra, berisi=nomor_sk) == []


async def test_pokja_tiga_pengelola_pbj_dibentuk_dengan_paket_peristiwa_dan_riwayat(klien, migrated):
    p = await paket(klien)
    anggota = await pengelola(klien, 3)
    response = await klien.post("/api/v1/pokja", json=data_pokja(anggota, [p["kode"]]), headers=KEPALA)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/api/v1/pokja/{body['id']}"
    assert body["status"] == "aktif"
    assert [a["nip"] for a in body["anggota"]] == anggota
    assert [a["peran"] for a in body["anggota"]] == ["ketua", "sekretaris", "anggota"]
    assert [k["kode"] for k in body["paket"]] == [p["kode"]]
    events = await outbox(migrated, aggregate_id=body["id"])
    assert jenis(events) == ["pokja.pokja.dibentuk", "pokja.pokja.paket_ditugaskan"]
    assert [e["aggregate_version"] for e in events] == [1, 2]
    assert body["versi"] == 2
    read = await klien.get(f"/api/v1/pokja/{body['id']}", headers=KEPALA)
    assert read.headers["etag"] == '"2"'
    riwayat = (await klien.get(f"/api/v1/pokja/{body['id']}/riwayat", headers=KEPALA)).json()["data"]
    assert [r["aksi"] for r in riwayat] == ["dibentuk"]
    assert riwayat[0]["aktor"] == KEPALA_NIP and riwayat[0]["perubahan"]["anggota"] == anggota
    dipegang = (await klien.get(f"/api/v1/paket/{p['kode']}", headers=KEPALA)).json()
    assert dipegang["pelaksana"] == {"jenis": "pokja", "id": body["id"], "nama": body["nama"]}


async def test_peristiwa_pembentukan_sampai_di_broker_pada_topik_kontrak(klien, migrated):
    body = await pokja(klien, await pengelola(klien, 3))
    consumer = AIOKafkaConsumer("pokja.pokja.v1", bootstrap_servers=migrated.broker.bootstrap,
                                group_id=f"uji-{uuid.uuid4().hex}", auto_offset_reset="earliest")
    await consumer.start()
    try:
        async def tiba():
            batches = await consumer.getmany(timeout_ms=500)
            return [Envelope.from_bytes(m.value) for ms in batches.values() for m in ms
                    if m.key == body["id"].encode()]

        envelope = (await eventually(tiba, timeout=30))[0]
    finally:
        await consumer.stop()
    assert envelope.type == "pokja.pokja.dibentuk"
    assert envelope.data["anggota"] == [a["nip"] for a in body["anggota"]]
    assert envelope.aggregateversion == 1


async def test_satu_pengelola_pbj_dengan_pns_bersertifikat_dan_pns_luar_terkoordinasi_dibentuk(klien):
    utama = await pegawai(klien)
    pns = await pegawai(klien, jabatan="lainnya", sertifikat=[sertifikat(level=1, jenis="keahlian")])
    luar = await pegawai(klien, jabatan="lainnya", unit="luar_ukpbj", satuan_kerja=SATKER_LUAR,
                         sertifikat=[sertifikat(level=1)])
    koordinasi = {"satuan_kerja": SATKER_LUAR, "pimpinan": "Sekretaris Ditjen Bina Keuangan Daerah",
                  "tanggal": (date.today() - timedelta(days=3)).isoformat(), "nomor_surat": "005/77/KEUDA"}
    body = await pokja(klien, [utama, pns, {"nip": luar, "koordinasi_satker": koordinasi, "peran": "ketua"}])
    assert {a["nip"]: a["peran"] for a in body["anggota"]} == {luar: "ketua", utama: "sekretaris", pns: "anggota"}
    assert next(a for a in body["anggota"] if a["nip"] == luar)["koordinasi_satker"]["nomor_surat"] == "005/77/KEUDA"


@pytest.mark.parametrize("kasus", [
    "dua_anggota", "empat_anggota", "nip_tidak_dikenal", "sertifikat_kedaluwarsa", "anggota_ppk_paket",
    "pns_luar_tanpa_koordinasi", "pengelola_dengan_peran_lpse", "tanpa_pengelola_pbj",
])
async def test_susunan_yang_melanggar_ditolak_dengan_menyebut_pasalnya_dan_tidak_mengubah_apa_pun(
        klien, migrated, kasus):
    anggota, kode = await pengelola(klien, 3), []
    if kasus == "dua_anggota":
        anggota, pasal = anggota[:2], "Pasal 15 ayat 2"
    elif kasus == "empat_anggota":
        anggota, pasal = anggota + [await pegawai(klien)], "Pasal 15 ayat 1"
    elif kasus == "nip_tidak_dikenal":
        anggota, pasal = anggota[:2] + [nip_unik()], "Pasal 15 ayat 3"
    elif kasus == "sertifikat_kedaluwarsa":
        lewat = sertifikat(level=1, berlaku_sampai=date.today() - timedelta(days=1))
        anggota[2], pasal = await pegawai(klien, jabatan="lainnya", sertifikat=[lewat]), "Pasal 15 ayat 3"
    elif kasus == "anggota_ppk_paket":
        kode, pasal = [(await paket(klien, ppk_nip=anggota[1]))["kode"]], "Pasal 12 huruf a"
    elif kasus == "pns_luar_tanpa_koordinasi":
        anggota[2] = await pegawai(klien, jabatan="lainnya", unit="luar_ukpbj", satuan_kerja=SATKER_LUAR,
                                   sertifikat=[sertifikat(level=1)])
        pasal = "Pasal 15 ayat 4"
    elif kasus == "pengelola_dengan_peran_lpse":
        anggota[0], pasal = await pegawai(klien, peran_lpse="verifikator"), "Pasal 12 huruf b"
    else:
        anggota = [await pegawai(klien, jabatan="lainnya", sertifikat=[sertifikat(level=1)]) for _ in range(3)]
        pasal = "Pasal 15 ayat 3"
    data = data_pokja(anggota, kode)
    response = await klien.post("/api/v1/pokja", json=data, headers=KEPALA)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["rule"] == f"{pasal} {P53}"
    assert pasal in problem["detail"]
    await tidak_ada_yang_berubah(migrated, data["nomor_sk"])
    if kode:
        assert (await klien.get(f"/api/v1/paket/{kode[0]}", headers=KEPALA)).json()["pelaksana"] is None


@pytest.mark.parametrize("peran", ["admin_ukpbj", "pokja", "kasubbag_lpse", "verifikator"])
async def test_selain_kepala_ukpbj_tidak_dapat_membentuk_pokja_menurut_pasal_9(klien, migrated, peran):
    data = data_pokja(await pengelola(klien, 3))
    response = await klien.post("/api/v1/pokja", json=data, headers=auth(peran))
    assert response.status_code == 403
    assert response.json()["rule"] == f"Pasal 9 {P53}"
    assert "Pasal 9" in response.json()["detail"]
    await tidak_ada_yang_berubah(migrated, data["nomor_sk"])


async def test_tanpa_token_401_dengan_www_authenticate(klien):
    response = await klien.post("/api/v1/pokja", json=data_pokja([]))
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("peran", ["admin_ukpbj", "pimpinan"])
async def test_selain_kepala_ukpbj_tidak_dapat_mengubah_menugaskan_atau_membubarkan(klien, migrated, peran):
    body = await pokja(klien, await pengelola(klien, 3))
    kode = (await paket(klien))["kode"]
    for path, data in [("anggota", {"anggota": [{"nip": await pegawai(klien)}, {"nip": await pegawai(klien)}]}),
                       ("paket", {"paket": [kode]}), ("bubarkan", {"alasan": "Tidak diperlukan lagi"})]:
        response = await klien.post(f"/api/v1/pokja/{body['id']}/{path}", json=data, headers=auth(peran))
        assert response.status_code == 403, path
        assert response.json()["rule"] == f"Pasal 9 {P53}"
    assert jenis(await outbox(migrated, aggregate_id=body["id"])) == ["pokja.pokja.dibentuk"]


async def test_nomor_sk_yang_sama_ditolak_sebagai_konflik(klien):
    body = await pokja(klien, await pengelola(klien, 3))
    response = await klien.post("/api/v1/pokja", json=data_pokja(await pengelola(klien, 3), nomor_sk=body["nomor_sk"]),
                                headers=KEPALA)
    assert response.status_code == 409


async def test_pembentukan_yang_diulang_dengan_idempotency_key_mengembalikan_pokja_pertama(klien, migrated):
    data = data_pokja(await pengelola(klien, 3))
    headers = {**KEPALA, "Idempotency-Key": kode_unik()}
    first = await klien.post("/api/v1/pokja", json=data, headers=headers)
    again = await klien.post("/api/v1/pokja", json=data, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotency-replayed"] == "true"
    assert len(await migrated.fetch("pokja", "SELECT id FROM pokja WHERE nomor_sk = $1", data["nomor_sk"])) == 1


async def test_dua_anggota_ditambahkan_menjadikan_lima_dan_menerbitkan_peristiwa(klien, migrated):
    body = await pokja(klien, await pengelola(klien, 3))
    baru = await pengelola(klien, 2)
    response = await klien.post(f"/api/v1/pokja/{body['id']}/anggota", headers={**KEPALA, "If-Match": '"1"'},
                                json={"anggota": [{"nip": n} for n in baru], "alasan": "Beban kerja bertambah"})
    assert response.status_code == 200, response.text
    assert response.json()["jumlah_anggota"] == 5
    assert response.headers["etag"] == '"3"'
    events = await outbox(migrated, aggregate_id=body["id"])
    assert jenis(events)[1:] == ["pokja.pokja.anggota_ditambahkan"] * 2
    riwayat = (await klien.get(f"/api/v1/pokja/{body['id']}/riwayat", headers=KEPALA)).json()["data"]
    assert riwayat[-1]["aksi"] == "anggota_diubah" and riwayat[-1]["alasan"] == "Beban kerja bertambah"


async def test_penambahan_satu_anggota_ditolak_karena_jumlah_genap_pasal_15_ayat_1(klien, migrated):
    body = await pokja(klien, await pengelola(klien, 3))
    response = await klien.post(f"/api/v1/pokja/{body['id']}/anggota", headers=KEPALA,
                                json={"anggota": [{"nip": await pegawai(klien)}]})
    assert response.status_code == 422
    assert response.json()["rule"] == f"Pasal 15 ayat 1 {P53}"
    assert jenis(await outbox(migrated, aggregate_id=body["id"])) == ["pokja.pokja.dibentuk"]


async def test_anggota_dikeluarkan_dengan_pengganti_yang_mengambil_kedudukannya(klien, migrated):
    anggota = await pengelola(klien, 3)
    body = await pokja(klien, anggota)
    pengganti = await pegawai(klien)
    response = await klien.delete(f"/api/v1/pokja/{body['id']}/anggota/{anggota[0]}",
                                  params={"pengganti": pengganti, "alasan": "Mutasi"}, headers=KEPALA)
    assert response.status_code == 200, response.text
    assert {a["nip"]: a["peran"] for a in response.json()["anggota"]} == {
        anggota[1]: "sekretaris", anggota[2]: "anggota", pengganti: "ketua"}
    events = await outbox(migrated, aggregate_id=body["id"])
    assert jenis(events)[1:] == ["pokja.pokja.anggota_dikeluarkan", "pokja.pokja.anggota_ditambahkan"]
    assert '"alasan": "Mutasi"' in events[1]["payload"] or '"alasan":"Mutasi"' in events[1]["payload"]


async def test_anggota_dikeluarkan_tanpa_pengganti_ditolak_karena_jumlah_menjadi_genap_atau_kurang(klien, migrated):
    anggota = await pengelola(klien, 5)
    body = await pokja(klien, anggota)
    response = await klien.delete(f"/api/v1/pokja/{body['id']}/anggota/{anggota[4]}", headers=KEPALA)
    assert response.status_code == 422
    assert response.json()["rule"] == f"Pasal 15 ayat 1 {P53}"
    kecil = await pokja(klien, await pengelola(klien, 3))
    response = await klien.delete(f"/api/v1/pokja/{kecil['id']}/anggota/{kecil['anggota'][0]['nip']}",
                                  headers=KEPALA)
    assert response.status_code == 422
    assert response.json()["rule"] == f"Pasal 15 ayat 2 {P53}"
    assert jenis(await outbox(migrated, aggregate_id=body["id"])) == ["pokja.pokja.dibentuk"]


async def test_dua_anggota_dikeluarkan_sekaligus_dari_lima_menjadi_tiga(klien):
    anggota = await pengelola(klien, 5)
    body = await pokja(klien, anggota)
    response = await klien.post(f"/api/v1/pokja/{body['id']}/anggota", headers=KEPALA,
                                json={"keluarkan": anggota[:2], "alasan": "Paket berkurang"})
    assert response.status_code == 200, response.text
    assert [a["nip"] for a in response.json()["anggota"]] == anggota[2:]
    assert response.json()["anggota"][0]["peran"] == "ketua"


async def test_pengganti_yang_menjadi_ppk_paket_pokja_ditolak_menurut_pasal_12(klien, migrated):
    anggota = await pengelola(klien, 3)
    ppk = await pegawai(klien)
    kode = (await paket(klien, ppk_nip=ppk))["kode"]
    body = await pokja(klien, anggota, [kode])
    response = await klien.delete(f"/api/v1/pokja/{body['id']}/anggota/{anggota[2]}", params={"pengganti": ppk},
                                  headers=KEPALA)
    assert response.status_code == 422
    assert response.json()["rule"] == f"Pasal 12 huruf a {P53}"
    assert ppk in response.json()["detail"]


async def test_perubahan_dengan_if_match_usang_ditolak_412(klien):
    body = await pokja(klien, await pengelola(klien, 3))
    response = await klien.post(f"/api/v1/pokja/{body['id']}/bubarkan", json={"alasan": "Tidak diperlukan lagi"},
                                headers={**KEPALA, "If-Match": '"7"'})
    assert response.status_code == 412
    assert response.json()["versi_sekarang"] == 1


async def test_paket_ditugaskan_kecuali_bila_anggota_perencana_ppk_atau_pemeriksanya(klien, migrated):
    anggota = await pengelola(klien, 3)
    body = await pokja(klien, anggota)
    bebas = (await paket(klien))["kode"]
    response = await klien.post(f"/api/v1/pokja/{body['id']}/paket", json={"paket": [bebas]}, headers=KEPALA)
    assert response.status_code == 200, response.text
    assert [k["kode"] for k in response.json()["paket"]] == [bebas]
    for peran in ("perencana_nip", "ppk_nip", "pemeriksa_nip"):
        kode = (await paket(klien, **{peran: anggota[1]}))["kode"]
        response = await klien.post(f"/api/v1/pokja/{body['id']}/paket", json={"paket": [kode]}, headers=KEPALA)
        assert response.status_code == 422, peran
        assert response.json()["rule"] == f"Pasal 12 huruf a {P53}"
        assert (await klien.get(f"/api/v1/paket/{kode}", headers=KEPALA)).json()["pelaksana"] is None
    assert jenis(await outbox(migrated, aggregate_id=body["id"])) == [
        "pokja.pokja.dibentuk", "pokja.pokja.paket_ditugaskan"]


async def test_paket_pokja_aktif_lain_tidak_dapat_ditugaskan_lagi(klien):
    kode = (await paket(klien))["kode"]
    await pokja(klien, await pengelola(klien, 3), [kode])
    lain = await pokja(klien, await pengelola(klien, 3))
    response = await klien.post(f"/api/v1/pokja/{lain['id']}/paket", json={"paket": [kode]}, headers=KEPALA)
    assert response.status_code == 409


async def test_pokja_dibubarkan_dengan_alasan_lalu_tidak_dapat_diubah_dan_paketnya_dapat_dialihkan(klien, migrated):
    kode = (await paket(klien))["kode"]
    body = await pokja(klien, await pengelola(klien, 3), [kode])
    response = await klien.post(f"/api/v1/pokja/{body['id']}/bubarkan", json={"alasan": "Reorganisasi Pokja"},
                                headers={**KEPALA, "If-Match": '"2"'})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "dibubarkan"
    assert jenis(await outbox(migrated, aggregate_id=body["id"]))[-1] == "pokja.pokja.dibubarkan"
    again = await klien.post(f"/api/v1/pokja/{body['id']}/anggota", headers=KEPALA,
                             json={"anggota": [{"nip": await pegawai(klien)}, {"nip": await pegawai(klien)}]})
    assert again.status_code == 409
    baru = await pokja(klien, await pengelola(klien, 3), [kode])
    assert [k["kode"] for k in baru["paket"]] == [kode]


async def test_daftar_pokja_berhalaman_dan_dapat_disaring_menurut_nip(klien):
    anggota = await pengelola(klien, 3)
    pertama = await pokja(klien, anggota)
    kedua = await pokja(klien, [anggota[0]] + await pengelola(klien, 2))
    page = (await klien.get("/api/v1/pokja", params={"nip": anggota[0], "limit": 1}, headers=KEPALA)).json()
    assert [p["id"] for p in page["data"]] == [pertama["id"]]
    rest = (await klien.get("/api/v1/pokja", params={"nip": anggota[0], "limit": 1, "cursor": page["next_cursor"]},
                            headers=KEPALA)).json()
    assert [p["id"] for p in rest["data"]] == [kedua["id"]] and rest["next_cursor"] is None


def _nilai(teks: str, nama: str) -> float:
    return next(float(baris.split()[-1]) for baris in teks.splitlines() if baris.startswith(nama + " "))


async def test_metrik_pokja_dibentuk_bertambah_dan_pokja_aktif_sama_dengan_basis_data(klien, migrated):
    sebelum = _nilai((await klien.get("/metrics")).text, "ukpbj_pokja_dibentuk_total")
    await pokja(klien, await pengelola(klien, 3))
    await segarkan_pokja_aktif(klien.app)
    teks = (await klien.get("/metrics")).text
    assert _nilai(teks, "ukpbj_pokja_dibentuk_total") == sebelum + 1
    aktif = await migrated.fetch("pokja", "SELECT count(*) AS n FROM pokja WHERE status = 'aktif'")
    assert _nilai(teks, "ukpbj_pokja_aktif") == aktif[0]["n"]
