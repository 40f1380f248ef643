import asyncio
import json
import os
import sys

import pytest
from aiokafka import AIOKafkaProducer

from shared.events import spec_for
from shared.migrations import ROOT
from services.pelaporan.config import Settings
from services.pelaporan.rebuild import rebuild
from tests.conftest import auth, running_app
from tests.integration.pelaporan.peristiwa import S1, S2, TAHUNAN, cocok, setahun
from tests.support.kafka import eventually

pytestmark = pytest.mark.integration
KEPALA = auth("kepala_ukpbj", sub="196801011990031001")
PERIODE = {"semester/1": S1, "semester/2": S2, "tahunan": TAHUNAN}


async def terbitkan(bootstrap: str, events) -> None:
    """Publish as the relays do: to the event's topic, keyed by the aggregate id."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for event in events:
            await producer.send_and_wait(spec_for(event.type).topic, event.to_bytes(), key=event.aggregateid.encode())
    finally:
        await producer.stop()


async def angka(klien, tahun: int) -> dict:
    hasil = {}
    for alamat in PERIODE:
        respons = await klien.get(f"/api/v1/laporan/{tahun}/{alamat}", headers=KEPALA)
        assert respons.status_code == 200, respons.text
        hasil[alamat] = respons.json()
    return hasil


async def menunggu_angka(klien, tahun: int) -> dict:
    async def lengkap():
        data = await angka(klien, tahun)
        return data if all(cocok(data[a], h) == {} for a, h in PERIODE.items()) else None

    return await eventually(lengkap, timeout=90, interval=0.5)


async def test_events_of_registrasi_pokja_and_helpdesk_travel_through_the_broker_into_the_reports(migrated):
    events, _ = setahun(2070)
    assert {spec_for(e.type).service for e in events} == {"registrasi", "pokja", "helpdesk"}

    async with running_app(migrated, "pelaporan") as klien:
        await terbitkan(migrated.broker.bootstrap, events)
        data = await menunggu_angka(klien, 2070)

    assert all(cocok(data[a], h) == {} for a, h in PERIODE.items())


async def test_a_rebuild_from_the_beginning_of_the_topics_reproduces_the_same_figures(migrated):
    events, _ = setahun(2072)
    async with running_app(migrated, "pelaporan") as klien:
        await terbitkan(migrated.broker.bootstrap, events)
        sebelum = await menunggu_angka(klien, 2072)

        hasil = await rebuild(Settings(database_url=migrated.url("pelaporan"),
                                       kafka_bootstrap=migrated.broker.bootstrap), tahun=[2072])

        sesudah = await angka(klien, 2072)
    assert hasil.sama, hasil.ke_dict()
    assert hasil.hitungan["failed"] == 0
    assert hasil.hitungan["applied"] >= len(events)
    for alamat in PERIODE:
        assert [b["angka_kunci"] for b in sesudah[alamat]["bagian"]] == \
               [b["angka_kunci"] for b in sebelum[alamat]["bagian"]]


async def test_the_rebuild_command_prints_the_figures_as_json_and_exits_0(migrated):
    env = {**os.environ, "PELAPORAN_DATABASE_URL": migrated.url("pelaporan"),
           "UKPBJ_KAFKA_BOOTSTRAP": migrated.broker.bootstrap, "UKPBJ_ENV": "development"}
    proses = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.pelaporan.rebuild", "--tahun", "2097", env=env, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    keluar, galat = await asyncio.wait_for(proses.communicate(), 240)

    assert proses.returncode == 0, galat.decode()[-2000:]
    hasil = json.loads(keluar)
    assert hasil["angka_sama"] is True
    assert set(hasil["angka"]) == {"2097-S1", "2097-S2", "2097"}
    assert hasil["angka"]["2097"]["registrasi"]["diajukan"] == 0
    assert hasil["event"].get("failed", 0) == 0
