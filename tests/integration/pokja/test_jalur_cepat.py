"""The hot paths on plain asyncpg (issue 9) answer exactly what the ORM shapes answered.

The ORM shaping (`service.paket_public`) stays in the code for the other use cases, so each raw
answer is compared with it, field by field, on packages in every state: new, with a manual method,
with a Pokja, with a Pejabat Pengadaan, with a reported result.
"""

import asyncio
import uuid
from datetime import date

import asyncpg
import orjson
import pytest

from services.pokja import repository as repo
from services.pokja import service
from tests.conftest import auth
from tests.integration.pokja.bantuan import (
    ADMIN,
    JUTA,
    KEPALA,
    data_paket,
    jenis,
    outbox,
    paket,
    pegawai,
    pengelola,
    pokja,
    sertifikat,
)
from tests.support.kafka import eventually
from tests.support.lean import capture, fastapi_would_write

pytestmark = pytest.mark.integration


async def menurut_orm(klien, kode: list[str]) -> dict[str, dict]:
    """The packages as the ORM use cases shape them (PaketPublic, dumped as JSON)."""
    async with klien.app.state.session_factory() as session:
        rows = await repo.paket_per_kode(session, kode)
        publik = await service.paket_public(session, [rows[k] for k in kode])
    return {p.kode: p.model_dump(mode="json") for p in publik}


async def menurut_orm_json(klien, kode: str) -> bytes:
    """One package as the ORM use cases answered it, serialised as FastAPI serialises a response model."""
    async with klien.app.state.session_factory() as session:
        rows = await repo.paket_per_kode(session, [kode])
        return (await service.paket_public(session, [rows[kode]]))[0].model_dump_json().encode()


async def paket_dalam_segala_keadaan(klien, tahun: int) -> list[str]:
    kode = [(await paket(klien, tahun_anggaran=tahun))["kode"],
            (await paket(klien, tahun_anggaran=tahun, jenis_pengadaan="jasa_konsultansi", pagu=20_000 * JUTA,
                         hps=15_000 * JUTA))["kode"]]
    manual = (await paket(klien, tahun_anggaran=tahun))["kode"]
    ubah = await klien.post(f"/api/v1/paket/{manual}/metode", headers=ADMIN,
                            json={"metode": "tender_cepat", "alasan": "Spesifikasi dan volume sudah rinci"})
    assert ubah.status_code == 200, ubah.text
    anggota = await pengelola(klien, 3)
    milik_pokja = (await paket(klien, tahun_anggaran=tahun))["kode"]
    await pokja(klien, anggota, [milik_pokja])
    lapor = await klien.post(f"/api/v1/paket/{milik_pokja}/hasil-pemilihan", headers=auth("pokja", nip=anggota[0]),
                             json={"status": "selesai", "tanggal": date.today().isoformat(),
                                   "nilai_kontrak": 1_300 * JUTA, "pemenang": "PT Sinar Abadi"})
    assert lapor.status_code == 201, lapor.text
    satker = "Direktorat Jenderal Politik dan Pemerintahan Umum"
    nip = await pegawai(klien, sertifikat=[sertifikat(level=2)])
    pj = await klien.post("/api/v1/pejabat-pengadaan", headers=KEPALA, json={
        "nip": nip, "satuan_kerja": satker, "nomor_permintaan_kpa": f"027/{uuid.uuid4().hex[:6]}/POLPUM"})
    assert pj.status_code == 201, pj.text
    milik_pejabat = (await paket(klien, tahun_anggaran=tahun, satuan_kerja=satker, pagu=190 * JUTA,
                                 hps=180 * JUTA))["kode"]
    tugas = await klien.post(f"/api/v1/pejabat-pengadaan/{pj.json()['id']}/paket", headers=KEPALA,
                             json={"paket": [milik_pejabat]})
    assert tugas.status_code == 200, tugas.text
    return [*kode, manual, milik_pokja, milik_pejabat]


async def test_baca_paket_sama_dengan_bentuk_orm_dalam_segala_keadaan(klien):
    kode = await paket_dalam_segala_keadaan(klien, 2031)
    harapan = await menurut_orm(klien, kode)
    assert {harapan[k]["pelaksana"]["jenis"] for k in kode if harapan[k]["pelaksana"]} == {
        "pokja", "pejabat_pengadaan"}
    assert any(harapan[k]["hasil"] for k in kode)
    for k in kode:
        response = await klien.get(f"/api/v1/paket/{k}", headers=ADMIN)
        assert response.status_code == 200, response.text
        assert response.json() == harapan[k]
        assert response.content == await menurut_orm_json(klien, k)
        assert response.headers["etag"] == f'"{harapan[k]["versi"]}"'


async def test_daftar_paket_sama_dengan_bentuk_orm_dan_berhalaman(klien):
    kode = sorted(await paket_dalam_segala_keadaan(klien, 2032))
    harapan = await menurut_orm(klien, kode)
    jawaban = await klien.get("/api/v1/paket", params={"tahun_anggaran": 2032}, headers=ADMIN)
    semua = jawaban.json()
    assert semua == {"data": [harapan[k] for k in kode], "next_cursor": None}
    # to the byte: the route sends its dicts without the response model (shared.responses)
    assert jawaban.content == (b'{"data":[' + b",".join([await menurut_orm_json(klien, k) for k in kode])
                               + b'],"next_cursor":null}')
    halaman, cursor = [], None
    while True:
        params = {"tahun_anggaran": 2032, "limit": 2, **({"cursor": cursor} if cursor else {})}
        body = (await klien.get("/api/v1/paket", params=params, headers=ADMIN)).json()
        halaman += [p["kode"] for p in body["data"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert halaman == kode
    saring = {"metode": [k for k in kode if harapan[k]["metode_pemilihan"] == "tender"],
              "pokja": [k for k in kode if (harapan[k]["pelaksana"] or {}).get("jenis") == "pokja"],
              "pejabat_pengadaan": [k for k in kode
                                    if (harapan[k]["pelaksana"] or {}).get("jenis") == "pejabat_pengadaan"],
              "belum": [k for k in kode if harapan[k]["pelaksana"] is None]}
    for nama, params in (("metode", {"metode": "tender"}), ("pokja", {"pelaksana": "pokja"}),
                         ("pejabat_pengadaan", {"pelaksana": "pejabat_pengadaan"}), ("belum", {"pelaksana": "belum"})):
        body = (await klien.get("/api/v1/paket", params={"tahun_anggaran": 2032, **params}, headers=ADMIN)).json()
        assert [p["kode"] for p in body["data"]] == saring[nama], nama
    satker = (await klien.get("/api/v1/paket", params={"tahun_anggaran": 2032, "satuan_kerja": harapan[kode[0]][
        "satuan_kerja"], "metode": "tender"}, headers=ADMIN)).json()
    assert [p["kode"] for p in satker["data"]] == [k for k in saring["metode"]
                                                   if harapan[k]["satuan_kerja"] == harapan[kode[0]]["satuan_kerja"]]


async def test_paket_yang_dicatat_dijawab_seperti_bentuk_orm_dengan_location_dan_peristiwa(klien, migrated):
    data = data_paket(tahun_anggaran=2033, perencana_nip=None)
    response = await klien.post("/api/v1/paket", json=data, headers=ADMIN)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/v1/paket/{data['kode']}"
    assert response.json() == (await menurut_orm(klien, [data["kode"]]))[data["kode"]]
    assert response.content == await menurut_orm_json(klien, data["kode"])
    assert jenis(await outbox(migrated, aggregate_id=data["kode"])) == ["pokja.paket.dicatat"]
    riwayat = (await klien.get(f"/api/v1/paket/{data['kode']}/riwayat", headers=KEPALA)).json()["data"]
    assert [(r["aksi"], r["perubahan"]["metode_pemilihan"]) for r in riwayat] == [("dicatat", "tender")]
    lagi = await klien.post("/api/v1/paket", json=data, headers=ADMIN)
    assert lagi.status_code == 409
    assert lagi.json()["detail"] == f"Paket {data['kode']} sudah tercatat; baca di /api/v1/paket/{data['kode']}."


async def test_paket_dicatat_jalur_ramping_menulis_byte_yang_ditulis_response_model_fastapi(klien, monkeypatch):
    dibuat = capture(monkeypatch, service, "catat_paket")
    data = data_paket(tahun_anggaran=2033)
    response = await klien.post("/api/v1/paket", json=data, headers=ADMIN)
    assert response.status_code == 201, response.text
    assert response.content == await fastapi_would_write(klien.app, "POST", "/api/v1/paket", dibuat[0])
    assert response.headers["location"] == f"/api/v1/paket/{data['kode']}"
    assert response.headers["content-type"] == "application/json"


async def test_paket_yang_tidak_ada_404(klien):
    response = await klien.get("/api/v1/paket/TIDAK-ADA-1", headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["detail"] == "Paket TIDAK-ADA-1 tidak ditemukan."


async def test_idempotency_key_mengulang_jawaban_pertama_persis(klien):
    data = data_paket()
    headers = {**ADMIN, "Idempotency-Key": uuid.uuid4().hex}
    first = await klien.post("/api/v1/paket", json=data, headers=headers)
    again = await klien.post("/api/v1/paket", json=data, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotency-replayed"] == "true"


async def test_kode_sama_dicatat_bersamaan_satu_201_satu_409_tanpa_jejak(klien, migrated):
    data = data_paket()
    hasil = await asyncio.gather(*(klien.post("/api/v1/paket", json=data, headers=ADMIN) for _ in range(2)))
    assert sorted(r.status_code for r in hasil) == [201, 409]
    assert next(r for r in hasil if r.status_code == 409).json()["detail"].startswith(
        f"Paket {data['kode']} sudah tercatat")
    assert jenis(await outbox(migrated, aggregate_id=data["kode"])) == ["pokja.paket.dicatat"]


async def test_kode_yang_sedang_dicatat_transaksi_lain_409_setelah_transaksi_itu_selesai(klien, migrated):
    """The insert waits on the other transaction's row, then answers 409 (not a 500, not a second row)."""
    data = data_paket()
    conn = await asyncpg.connect(migrated.dsn("pokja"))
    try:
        tx = conn.transaction()
        await tx.start()
        await conn.execute("INSERT INTO paket (kode, nama, satuan_kerja, jenis_pengadaan, pagu, hps, tahun_anggaran,"
                           " metode_pemilihan, tanggal_metode) VALUES ($1, 'x', 'x', 'barang', 2, 1, 2025,"
                           " 'pengadaan_langsung', current_date)", data["kode"])
        tugas = asyncio.create_task(klien.post("/api/v1/paket", json=data, headers=ADMIN))

        async def menunggu():
            rows = await migrated.fetch("pokja", "SELECT count(*) AS n FROM pg_stat_activity"
                                        " WHERE datname = current_database() AND wait_event_type = 'Lock'")
            return rows[0]["n"] >= 1

        await eventually(menunggu, timeout=20, interval=0.05)
        await tx.commit()
        response = await tugas
    finally:
        await conn.close()
    assert response.status_code == 409, response.text
    assert response.json()["detail"] == f"Paket {data['kode']} sudah tercatat."
    assert jenis(await outbox(migrated, aggregate_id=data["kode"])) == []


# --- Pokja formation ----------------------------------------------------------------------------


async def test_pokja_yang_dibentuk_dijawab_seperti_bacaan_orm_dengan_peristiwa_dan_riwayat(klien, migrated):
    from datetime import timedelta

    from tests.integration.pokja.bantuan import SATKER_LUAR, data_pokja

    utama = await pegawai(klien)
    pns = await pegawai(klien, jabatan="lainnya", sertifikat=[sertifikat(level=1, jenis="keahlian")],
                        nama_jabatan="Analis Keuangan")
    luar = await pegawai(klien, jabatan="lainnya", unit="luar_ukpbj", satuan_kerja=SATKER_LUAR,
                         sertifikat=[sertifikat(level=1)])
    koordinasi = {"satuan_kerja": SATKER_LUAR, "pimpinan": "Sekretaris Ditjen Bina Keuangan Daerah",
                  "tanggal": (date.today() - timedelta(days=3)).isoformat(), "nomor_surat": "005/77/KEUDA"}
    kode = sorted([(await paket(klien))["kode"] for _ in range(3)], reverse=True)  # not in code order
    data = data_pokja([utama, pns, {"nip": luar, "koordinasi_satker": koordinasi, "peran": "ketua"}], kode)
    response = await klien.post("/api/v1/pokja", json=data, headers={**KEPALA, "Idempotency-Key": uuid.uuid4().hex})
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/api/v1/pokja/{body['id']}"
    dibaca = await klien.get(f"/api/v1/pokja/{body['id']}", headers=KEPALA)
    assert body == dibaca.json()  # the ORM's shaping of the committed rows
    assert response.content == dibaca.content  # to the byte: key order of the jsonb coordination record too
    assert dibaca.headers["etag"] == f'"{body["versi"]}"' == '"4"'
    assert [k["kode"] for k in body["paket"]] == sorted(kode)
    events = await outbox(migrated, aggregate_id=body["id"])
    assert [(e["event_type"], e["aggregate_version"]) for e in events] == [
        ("pokja.pokja.dibentuk", 1), *(("pokja.pokja.paket_ditugaskan", v) for v in (2, 3, 4))]
    for k in kode:
        assert (await klien.get(f"/api/v1/paket/{k}", headers=KEPALA)).json()["versi"] == 2
        riwayat = (await klien.get(f"/api/v1/paket/{k}/riwayat", headers=KEPALA)).json()["data"]
        assert riwayat[-1]["aksi"] == "ditugaskan"
        assert riwayat[-1]["perubahan"] == {"pokja_id": body["id"], "pejabat_pengadaan_id": None}
    riwayat = (await klien.get(f"/api/v1/pokja/{body['id']}/riwayat", headers=KEPALA)).json()["data"]
    assert [(r["aksi"], r["perubahan"]["anggota"], r["perubahan"]["paket"]) for r in riwayat] == [
        ("dibentuk", [utama, pns, luar], kode)]
    again = await klien.post("/api/v1/pokja", json=data, headers={**KEPALA, "Idempotency-Key": uuid.uuid4().hex})
    assert again.status_code == 409  # the same SK number, another key: refused, not formed twice


async def test_nomor_sk_yang_sedang_dipakai_transaksi_lain_409_tanpa_jejak(klien, migrated):
    from tests.integration.pokja.bantuan import data_pokja

    data = data_pokja(await pengelola(klien, 3))
    conn = await asyncpg.connect(migrated.dsn("pokja"))
    try:
        tx = conn.transaction()
        await tx.start()
        await conn.execute("INSERT INTO pokja (id, nama, nomor_sk, tanggal_sk, status) VALUES ($1, 'x', $2,"
                           " current_date, 'aktif')", str(uuid.uuid4()), data["nomor_sk"])
        tugas = asyncio.create_task(klien.post("/api/v1/pokja", json=data, headers=KEPALA))

        async def menunggu():
            rows = await migrated.fetch("pokja", "SELECT count(*) AS n FROM pg_stat_activity"
                                        " WHERE datname = current_database() AND wait_event_type = 'Lock'")
            return rows[0]["n"] >= 1

        await eventually(menunggu, timeout=20, interval=0.05)
        await tx.commit()
        response = await tugas
    finally:
        await conn.close()
    assert response.status_code == 409, response.text
    assert response.json()["detail"] == f"Nomor SK {data['nomor_sk']} sudah dipakai Pokja lain."
    assert await outbox(migrated, berisi=data["nomor_sk"]) == []
    rows = await migrated.fetch("pokja", "SELECT count(*) AS n FROM anggota_pokja WHERE nip = ANY($1::text[])",
                                [a["nip"] for a in data["anggota"]])
    assert rows[0]["n"] == 0


async def test_daftar_paket_dibaca_ulang_dari_baris_yang_sudah_dirender_dan_tetap_sama_persis(klien, migrated):
    """issue 9: list rows are rendered once per version (`app.state.tampilan`); any change to the package or
    to the rows its executor's name comes from renders it again."""
    kode = sorted(await paket_dalam_segala_keadaan(klien, 2034))
    cache = klien.app.state.tampilan

    async def halaman() -> bytes:
        jawaban = await klien.get("/api/v1/paket", params={"tahun_anggaran": 2034}, headers=ADMIN)
        assert jawaban.status_code == 200, jawaban.text
        assert jawaban.content == (b'{"data":[' + b",".join([await menurut_orm_json(klien, k) for k in kode])
                                   + b'],"next_cursor":null}')
        return jawaban.content

    pertama = await halaman()
    hits = cache.hits
    assert await halaman() == pertama
    assert cache.hits - hits == len(kode)  # every row from the cache

    harapan = await menurut_orm(klien, kode)
    milik_pokja = next(k for k in kode if (harapan[k]["pelaksana"] or {}).get("jenis") == "pokja")
    milik_pejabat = next(k for k in kode if (harapan[k]["pelaksana"] or {}).get("jenis") == "pejabat_pengadaan")
    # a package whose method may still change: a plain tender, no executor, no result (codes are random)
    bebas = next(k for k in kode if harapan[k]["metode_pemilihan"] == "tender" and harapan[k]["metode_manual"] is None
                 and harapan[k]["pelaksana"] is None and harapan[k]["hasil"] is None)
    ubah = await klien.post(f"/api/v1/paket/{bebas}/metode", headers=ADMIN,
                            json={"metode": "tender_cepat", "alasan": "Spesifikasi dan volume sudah rinci"})
    assert ubah.status_code == 200, ubah.text
    # names changed where they live, not on the package: by hand, as a repair would
    await migrated.execute("pokja", "UPDATE pokja SET nama = nama || ' (diperbaiki)' WHERE id = $1",
                           harapan[milik_pokja]["pelaksana"]["id"])
    await migrated.execute("pokja", "UPDATE pegawai SET nama = 'Nama Diperbaiki' WHERE nip = (SELECT nip FROM"
                           " pejabat_pengadaan WHERE id = $1)", harapan[milik_pejabat]["pelaksana"]["id"])
    sesudah = await halaman()  # equal to the ORM rendering of the changed rows
    baru = {p["kode"]: p for p in orjson.loads(sesudah)["data"]}
    assert baru[bebas]["metode_pemilihan"] == "tender_cepat"
    assert baru[milik_pokja]["pelaksana"]["nama"].endswith("(diperbaiki)")
    assert baru[milik_pejabat]["pelaksana"]["nama"] == "Nama Diperbaiki"
