import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from shared.contracts.registrasi import PenggunaDiaktifkan, PenggunaDinonaktifkan, PenggunaKedaluwarsa
from shared.events import Envelope
from tests.integration.pokja.bantuan import (
    JUTA,
    KEPALA,
    P53,
    data_pokja,
    jenis,
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
TOPIK = "registrasi.pengguna.v1"
KONTRAK = {"registrasi.pengguna.diaktifkan": PenggunaDiaktifkan,
           "registrasi.pengguna.dinonaktifkan": PenggunaDinonaktifkan,
           "registrasi.pengguna.kedaluwarsa": PenggunaKedaluwarsa}


def amplop(jenis_event: str, nip: str, pengguna_id: str, versi: int, menit: int = 0) -> Envelope:
    status = jenis_event.rsplit(".", 1)[1].replace("diaktifkan", "aktif").replace("dinonaktifkan", "nonaktif")
    extra = {"alasan": "Melanggar ketentuan penggunaan"} if jenis_event.endswith("dinonaktifkan") else {}
    data = KONTRAK[jenis_event](
        pengguna_id=pengguna_id, user_id=f"u{nip[-6:]}", jenis="non_penyedia", status=status, nama="Pegawai Uji",
        nip=nip, peran=["pokja"], waktu=datetime.now(UTC) + timedelta(minutes=menit), **extra)
    return Envelope(source="/ukpbj/registrasi", type=jenis_event, aggregateid=pengguna_id, aggregateversion=versi,
                    data=data.model_dump(mode="json"))


@pytest.fixture
async def terbitkan(klien, migrated):
    await asyncio.wait_for(asyncio.gather(*(c.assigned.wait() for c in klien.app.state.consumers)), 60)
    producer = AIOKafkaProducer(bootstrap_servers=migrated.broker.bootstrap, acks="all")
    await producer.start()

    async def kirim(envelope: Envelope) -> None:
        await producer.send_and_wait(TOPIK, envelope.to_bytes(), key=envelope.aggregateid.encode())

    yield kirim
    await producer.stop()


async def status_anggota(klien, pokja_id: str, nip: str) -> dict:
    body = (await klien.get(f"/api/v1/pokja/{pokja_id}", headers=KEPALA)).json()
    return next(a for a in body["anggota"] if a["nip"] == nip)


async def test_user_spse_dinonaktifkan_menandai_anggota_pokja_aktif_untuk_diganti(klien, migrated, terbitkan):
    anggota = await pengelola(klien, 3)
    x, pengguna = anggota[1], str(uuid.uuid4())
    aktif = await pokja(klien, anggota)
    bubar = await pokja(klien, anggota)
    await klien.post(f"/api/v1/pokja/{bubar['id']}/bubarkan", json={"alasan": "Tugas selesai"}, headers=KEPALA)
    pejabat = (await klien.post("/api/v1/pejabat-pengadaan", headers=KEPALA, json={
        "nip": x, "satuan_kerja": "Inspektorat Jenderal", "nomor_permintaan_kpa": f"KPA/{pengguna[:8]}"})).json()
    await terbitkan(amplop("registrasi.pengguna.diaktifkan", x, pengguna, 1))
    await eventually(lambda: _status(klien, x, "aktif"))
    await terbitkan(amplop("registrasi.pengguna.dinonaktifkan", x, pengguna, 2, menit=1))

    async def ditandai():
        return (await status_anggota(klien, aktif["id"], x))["perlu_diganti"]

    await eventually(ditandai)
    sekarang = (await klien.get(f"/api/v1/pokja/{aktif['id']}", headers=KEPALA)).json()
    assert sekarang["perlu_penggantian"] == [x]
    assert (await status_anggota(klien, aktif["id"], x))["status_spse"] == "nonaktif"
    events = await outbox(migrated, aggregate_id=aktif["id"])
    assert jenis(events) == ["pokja.pokja.dibentuk", "pokja.pokja.penggantian_diperlukan"]
    assert f'"nip":"{x}"' in events[1]["payload"].replace(" ", "")
    assert '"status_spse":"nonaktif"' in events[1]["payload"].replace(" ", "")
    assert jenis(await outbox(migrated, aggregate_id=bubar["id"])) == ["pokja.pokja.dibentuk", "pokja.pokja.dibubarkan"]
    riwayat = (await klien.get(f"/api/v1/pokja/{aktif['id']}/riwayat", headers=KEPALA)).json()["data"]
    assert riwayat[-1]["aksi"] == "penggantian_diperlukan"
    assert (await klien.get(f"/api/v1/pejabat-pengadaan/{pejabat['id']}", headers=KEPALA)).json()["perlu_diganti"]
    kecil = (await paket(klien, satuan_kerja="Inspektorat Jenderal", pagu=90 * JUTA, hps=80 * JUTA))["kode"]
    response = await klien.post(f"/api/v1/pejabat-pengadaan/{pejabat['id']}/paket", json={"paket": [kecil]},
                                headers=KEPALA)
    assert (response.status_code, response.json()["rule"]) == (422, f"Lampiran huruf A angka 2.3 huruf c {P53}")

    baru = data_pokja([x, *await pengelola(klien, 2)])
    ditolak = await klien.post("/api/v1/pokja", json=baru, headers=KEPALA)
    assert ditolak.status_code == 422
    assert ditolak.json()["rule"] == f"Lampiran huruf A angka 2.3 huruf c {P53}"

    pengganti = await pegawai(klien)
    response = await klien.delete(f"/api/v1/pokja/{aktif['id']}/anggota/{x}", params={"pengganti": pengganti},
                                  headers=KEPALA)
    assert response.status_code == 200
    assert response.json()["perlu_penggantian"] == []


async def test_peristiwa_lama_yang_terlambat_tidak_memundurkan_status_dan_pengaktifan_menghapus_tanda(
        klien, terbitkan):
    anggota = await pengelola(klien, 3)
    x, pengguna = anggota[0], str(uuid.uuid4())
    body = await pokja(klien, anggota)
    await terbitkan(amplop("registrasi.pengguna.dinonaktifkan", x, pengguna, 2))
    await eventually(lambda: _status(klien, x, "nonaktif"))
    await terbitkan(amplop("registrasi.pengguna.diaktifkan", x, pengguna, 1))
    await terbitkan(amplop("registrasi.pengguna.kedaluwarsa", x, pengguna, 4))
    await eventually(lambda: _status(klien, x, "kedaluwarsa"))
    await terbitkan(amplop("registrasi.pengguna.diaktifkan", x, pengguna, 3))
    await terbitkan(amplop("registrasi.pengguna.diaktifkan", x, pengguna, 5))
    await eventually(lambda: _status(klien, x, "aktif"))
    assert (await status_anggota(klien, body["id"], x))["perlu_diganti"] is False
    riwayat = (await klien.get(f"/api/v1/pokja/{body['id']}/riwayat", headers=KEPALA)).json()["data"]
    assert [r["aksi"] for r in riwayat] == ["dibentuk", "penggantian_diperlukan", "penggantian_tidak_diperlukan"]


async def test_peristiwa_untuk_nip_yang_belum_menjadi_pegawai_disimpan_dan_berlaku_saat_pegawai_dicatat(
        klien, terbitkan):
    nip = nip_unik()
    await terbitkan(amplop("registrasi.pengguna.kedaluwarsa", nip, str(uuid.uuid4()), 3))
    await eventually(lambda: _proyeksi(klien, nip))
    await pegawai(klien, nip=nip, sertifikat=[sertifikat(level=2)])
    assert (await klien.get(f"/api/v1/pegawai/{nip}", headers=KEPALA)).json()["status_spse"] == "kedaluwarsa"
    response = await klien.post("/api/v1/pokja", json=data_pokja([nip, *await pengelola(klien, 2)]), headers=KEPALA)
    assert response.status_code == 422
    assert "kedaluwarsa" in response.json()["detail"]


async def _status(klien, nip: str, diharapkan: str) -> bool:
    response = await klien.get(f"/api/v1/pegawai/{nip}", headers=KEPALA)
    return response.status_code == 200 and response.json()["status_spse"] == diharapkan


async def _proyeksi(klien, nip: str) -> bool:
    async with klien.app.state.session_factory() as session:
        return (await session.execute(text("SELECT 1 FROM status_spse WHERE nip = :n"), {"n": nip})).first()
