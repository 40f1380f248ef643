import asyncio
import contextlib

import asyncpg
import pytest

from services.pokja.repository import kunci_nip, kunci_paket
from tests.integration.pokja.bantuan import ADMIN, KEPALA, P53, data_pokja, paket, pegawai, pengelola, pokja, sertifikat
from tests.support.kafka import eventually

pytestmark = pytest.mark.integration


@contextlib.asynccontextmanager
async def ditahan(infra, sql: str, *args):
    """Hold a lock the requests need, so both pass their first check before either takes it."""
    conn = await asyncpg.connect(infra.dsn("pokja"))
    tx = conn.transaction()
    await tx.start()
    try:
        await conn.execute(sql, *args)
        yield
    finally:
        await tx.rollback()
        await conn.close()


async def bersamaan(infra, lock_sql: str, lock_args: tuple, *permintaan):
    async with ditahan(infra, lock_sql, *lock_args):
        tugas = [asyncio.create_task(p) for p in permintaan]

        async def semua_menunggu():
            rows = await infra.fetch("pokja", "SELECT count(*) AS n FROM pg_stat_activity"
                                     " WHERE datname = current_database() AND wait_event_type = 'Lock'")
            return rows[0]["n"] >= len(tugas)

        await eventually(semua_menunggu, timeout=20, interval=0.05)
    return await asyncio.gather(*tugas)


def kunci_baris_pokja(pokja_id: str) -> tuple[str, tuple]:
    return "SELECT 1 FROM pokja WHERE id = $1 FOR UPDATE", (pokja_id,)


async def test_dua_pengurangan_yang_masing_masing_sah_tetapi_bersama_menyisakan_kurang_dari_3(klien, migrated):
    anggota = await pengelola(klien, 5)
    body = await pokja(klien, anggota)
    url = f"/api/v1/pokja/{body['id']}/anggota"
    sql, args = kunci_baris_pokja(body["id"])
    hasil = await bersamaan(migrated, sql, args,
                            klien.post(url, json={"keluarkan": anggota[:2]}, headers=KEPALA),
                            klien.post(url, json={"keluarkan": anggota[2:4]}, headers=KEPALA))
    assert sorted(r.status_code for r in hasil) == [200, 409]
    kalah = next(r for r in hasil if r.status_code == 409).json()
    assert kalah["rule"] == f"Pasal 15 ayat 2 {P53}"
    akhir = (await klien.get(f"/api/v1/pokja/{body['id']}", headers=KEPALA)).json()
    assert akhir["jumlah_anggota"] == 3


async def test_dua_penukaran_yang_bersama_menghapus_pengelola_pbj_terakhir(klien, migrated):
    dua = await pengelola(klien, 2)
    pns = await pegawai(klien, jabatan="lainnya", sertifikat=[sertifikat(level=1)])
    body = await pokja(klien, [*dua, pns])
    pengganti = [await pegawai(klien, jabatan="lainnya", sertifikat=[sertifikat(level=1)]) for _ in range(2)]
    url = f"/api/v1/pokja/{body['id']}/anggota"
    sql, args = kunci_baris_pokja(body["id"])
    hasil = await bersamaan(
        migrated, sql, args,
        klien.delete(f"{url}/{dua[0]}", params={"pengganti": pengganti[0]}, headers=KEPALA),
        klien.delete(f"{url}/{dua[1]}", params={"pengganti": pengganti[1]}, headers=KEPALA))
    assert sorted(r.status_code for r in hasil) == [200, 409]
    assert next(r for r in hasil if r.status_code == 409).json()["rule"] == f"Pasal 15 ayat 3 {P53}"
    akhir = (await klien.get(f"/api/v1/pokja/{body['id']}", headers=KEPALA)).json()
    assert sum(a["jabatan"] == "pengelola_pbj" for a in akhir["anggota"]) == 1


async def test_anggota_baru_dan_paket_yang_ppknya_anggota_itu_tidak_keduanya_masuk_pasal_12(klien, migrated):
    anggota = await pengelola(klien, 3)
    body = await pokja(klien, anggota)
    x = await pegawai(klien)
    kode = (await paket(klien, ppk_nip=x))["kode"]
    sql, args = kunci_baris_pokja(body["id"])
    hasil = await bersamaan(
        migrated, sql, args,
        klien.delete(f"/api/v1/pokja/{body['id']}/anggota/{anggota[2]}", params={"pengganti": x}, headers=KEPALA),
        klien.post(f"/api/v1/pokja/{body['id']}/paket", json={"paket": [kode]}, headers=KEPALA))
    assert sorted(r.status_code for r in hasil) == [200, 409]
    assert next(r for r in hasil if r.status_code == 409).json()["rule"] == f"Pasal 12 huruf a {P53}"
    akhir = (await klien.get(f"/api/v1/pokja/{body['id']}", headers=KEPALA)).json()
    assert not (x in [a["nip"] for a in akhir["anggota"]] and kode in [k["kode"] for k in akhir["paket"]])


async def test_dua_pokja_yang_dibentuk_bersamaan_dengan_paket_yang_sama_hanya_satu_yang_mendapatkannya(
        klien, migrated):
    kode = (await paket(klien))["kode"]
    satu, dua = data_pokja(await pengelola(klien, 3), [kode]), data_pokja(await pengelola(klien, 3), [kode])
    hasil = await bersamaan(migrated, "SELECT pg_advisory_xact_lock($1)", (kunci_paket(kode),),
                            klien.post("/api/v1/pokja", json=satu, headers=KEPALA),
                            klien.post("/api/v1/pokja", json=dua, headers=KEPALA))
    assert sorted(r.status_code for r in hasil) == [201, 409]
    menang = next(r for r in hasil if r.status_code == 201).json()
    rows = await migrated.fetch("pokja", "SELECT nomor_sk FROM pokja WHERE nomor_sk = ANY($1::text[])",
                                [satu["nomor_sk"], dua["nomor_sk"]])
    assert [r["nomor_sk"] for r in rows] == [menang["nomor_sk"]]
    assert (await klien.get(f"/api/v1/paket/{kode}", headers=KEPALA)).json()["pelaksana"]["id"] == menang["id"]


async def test_peran_lpse_dan_penugasan_ke_pokja_yang_bersamaan_tidak_keduanya_berlaku_pasal_12(klien, migrated):
    anggota = await pengelola(klien, 3)
    body = await pokja(klien, anggota)
    x = await pegawai(klien)
    hasil = await bersamaan(
        migrated, "SELECT pg_advisory_xact_lock($1)", (kunci_nip(x),),
        klien.patch(f"/api/v1/pegawai/{x}", json={"peran_lpse": "verifikator"}, headers=ADMIN),
        klien.delete(f"/api/v1/pokja/{body['id']}/anggota/{anggota[1]}", params={"pengganti": x}, headers=KEPALA))
    assert sorted(r.status_code for r in hasil) == [200, 409]
    assert next(r for r in hasil if r.status_code == 409).json()["rule"] == f"Pasal 12 huruf b {P53}"
    peran = (await klien.get(f"/api/v1/pegawai/{x}", headers=ADMIN)).json()["peran_lpse"]
    akhir = (await klien.get(f"/api/v1/pokja/{body['id']}", headers=KEPALA)).json()
    assert (peran is None) == (x in [a["nip"] for a in akhir["anggota"]])


async def test_tanpa_kunci_yang_ditahan_pun_dua_pengurangan_serentak_hanya_satu_yang_berhasil(klien):
    anggota = await pengelola(klien, 5)
    body = await pokja(klien, anggota)
    url = f"/api/v1/pokja/{body['id']}/anggota"
    hasil = await asyncio.gather(klien.post(url, json={"keluarkan": anggota[:2]}, headers=KEPALA),
                                 klien.post(url, json={"keluarkan": anggota[2:4]}, headers=KEPALA))
    assert sorted(r.status_code for r in hasil)[0] == 200
    assert sorted(r.status_code for r in hasil)[1] in (409, 422)
    assert (await klien.get(f"/api/v1/pokja/{body['id']}", headers=KEPALA)).json()["jumlah_anggota"] == 3
