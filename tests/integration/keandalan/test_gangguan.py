"""Fault injection against the services running as real processes, on their own PostgreSQL and broker.

Each scenario is bounded in time, uses loopback only, and ends with a row in the table printed at the
end of the module: scenario, requests sent, accepted, events expected, delivered, duplicates, lost.
"""

import asyncio
import os
import signal
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaProducer

from shared.devstack import EmbeddedPostgres
from shared.events import Envelope
from tests.support import tally
from tests.support.data import penyedia_unik
from tests.support.fullstack import FullStack
from tests.support.kafka import eventually, read_topic

pytestmark = pytest.mark.integration
TABLE: list[tuple] = []


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def stack():
    workdir = Path(tempfile.mkdtemp(prefix="ukpbj-gangguan-"))
    pg = EmbeddedPostgres(workdir / "pg", temporary=True).start()
    stack = FullStack(pg, workdir, prefix="gangguan")
    await stack.prepare()
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()
        pg.stop()
        print_table()


def print_table() -> None:
    header = ("skenario", "dikirim", "diterima", "event diharapkan", "terkirim", "ganda", "hilang")
    rows = [header, *TABLE]
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(header))]
    tally.TABLES.append(["Uji gangguan / fault injection:"] + [
        "  " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths)) for row in rows])


async def readiness(stack, service: str, wanted: int, within: float = 15.0) -> bool:
    async with httpx.AsyncClient(base_url=stack.base(service), timeout=5) as client:
        async def check():
            try:
                return (await client.get("/health/ready")).status_code == wanted
            except httpx.HTTPError:
                return False
        try:
            await eventually(check, timeout=within, interval=0.5)
            return True
        except AssertionError:
            return False


async def fetch(stack, service: str, query: str, *args):
    conn = await asyncpg.connect(stack.pg.dsn(stack.database(service)))
    try:
        return await conn.fetch(query, *args)
    finally:
        await conn.close()


async def create_registrations(stack, count: int, *, concurrency: int = 8, timeout: float = 15.0):
    """POST registrations; returns (sent, ids accepted with 2xx)."""
    accepted: list[str] = []
    sent = 0
    queue = list(range(count))

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal sent
        while queue:
            queue.pop()
            sent += 1
            try:
                response = await client.post("/api/v1/pendaftaran", json=penyedia_unik())
            except httpx.HTTPError:
                continue
            if response.status_code == 201:
                accepted.append(response.json()["id"])

    async with httpx.AsyncClient(base_url=stack.base("registrasi"), timeout=timeout) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return sent, accepted


async def delivery(stack, ids: list[str]) -> tuple[int, int, int]:
    """(expected, delivered, duplicates) of the source events of these aggregates in pelaporan's inbox."""
    source = await fetch(stack, "registrasi", "SELECT event_id::text AS id FROM outbox WHERE aggregate_id = ANY($1)", ids)
    expected = {r["id"] for r in source}
    seen = await fetch(stack, "pelaporan", "SELECT event_id::text AS id, count(*) AS n FROM inbox "
                       "WHERE event_id = ANY($1::uuid[]) GROUP BY event_id", list(expected))
    delivered = {r["id"] for r in seen}
    duplicates = sum(r["n"] - 1 for r in seen)
    return len(expected), len(delivered), duplicates


async def wait_delivered(stack, ids: list[str], timeout: float = 90.0) -> tuple[int, int, int]:
    async def done():
        expected, delivered, duplicates = await delivery(stack, ids)
        return (expected, delivered, duplicates) if expected == delivered else None
    try:
        return await eventually(done, timeout=timeout, interval=0.5)
    except AssertionError:
        return await delivery(stack, ids)


async def read_model_matches(stack, ids: list[str]) -> bool:
    source = await fetch(stack, "registrasi", "SELECT id, status FROM pendaftaran WHERE id = ANY($1)", ids)
    projected = await fetch(stack, "pelaporan", "SELECT id, status FROM rm_pendaftaran WHERE id = ANY($1)", ids)
    return {tuple(r) for r in source} == {tuple(r) for r in projected}


def record(name, sent, accepted, expected, delivered, duplicates) -> None:
    TABLE.append((name, sent, accepted, expected, delivered, duplicates, expected - delivered))


async def test_writes_during_a_broker_outage_are_all_accepted_and_delivered_after_it_returns(stack):
    first_sent, first = await create_registrations(stack, 10)
    os.kill(stack.broker.proc.pid, signal.SIGSTOP)
    try:
        outage_sent, during = await create_registrations(stack, 30)
        assert await readiness(stack, "registrasi", 503), "readiness must show the broker is away"
    finally:
        os.kill(stack.broker.proc.pid, signal.SIGCONT)
    assert await readiness(stack, "registrasi", 200), "the service must recover by itself"
    ids = first + during
    expected, delivered, duplicates = await wait_delivered(stack, ids)
    record("broker berhenti / broker down", first_sent + outage_sent, len(ids), expected, delivered, duplicates)
    assert outage_sent == len(during), "every write during the outage must be accepted"
    assert (expected, duplicates) == (delivered, 0) and expected == len(ids)
    assert await read_model_matches(stack, ids)


async def test_a_consumer_killed_mid_batch_and_restarted_applies_every_event_exactly_once(stack):
    stack.kill("pelaporan")
    sent, ids = await create_registrations(stack, 60)
    stack.start_service("pelaporan")
    await asyncio.sleep(1.5)
    stack.kill("pelaporan")
    stack.start_service("pelaporan")
    stack.wait_ready("pelaporan")
    expected, delivered, duplicates = await wait_delivered(stack, ids)
    record("konsumen dibunuh / consumer killed", sent, len(ids), expected, delivered, duplicates)
    assert (expected, duplicates) == (delivered, 0) and expected == len(ids)
    assert await read_model_matches(stack, ids)


async def test_every_write_acknowledged_before_a_sigkill_survives_with_its_events(stack):
    task = asyncio.create_task(create_registrations(stack, 400, concurrency=16, timeout=5))
    await asyncio.sleep(1.0)
    stack.kill("registrasi", signal.SIGKILL)
    sent, ids = await task
    stack.start_service("registrasi")
    stack.wait_ready("registrasi")
    rows = await fetch(stack, "registrasi", "SELECT id FROM pendaftaran WHERE id = ANY($1)", ids)
    assert {r["id"] for r in rows} == set(ids)
    expected, delivered, duplicates = await wait_delivered(stack, ids)
    record("layanan SIGKILL / service SIGKILL", sent, len(ids), expected, delivered, duplicates)
    assert 0 < len(ids) < sent
    assert (expected, duplicates) == (delivered, 0) and expected == len(ids)


async def test_a_postgresql_restart_fails_requests_fast_with_503_and_the_services_recover_alone(stack):
    base = stack.base("registrasi")
    stack.pg.stop_server()
    try:
        async with httpx.AsyncClient(base_url=base, timeout=20) as client:
            async def unready():
                return (await client.get("/health/ready")).status_code == 503
            await eventually(unready, timeout=10)
            started = time.monotonic()
            response = await client.post("/api/v1/pendaftaran", json=penyedia_unik())
            elapsed = time.monotonic() - started
            assert response.status_code == 503, response.text
            assert response.headers["content-type"] == "application/problem+json"
            assert elapsed < 8, f"a request took {elapsed:.1f}s while the database was down"
    finally:
        stack.pg.start_server()
    async with httpx.AsyncClient(base_url=base, timeout=20) as client:
        async def ready():
            return (await client.get("/health/ready")).status_code == 200
        await eventually(ready, timeout=30)
    sent, ids = await create_registrations(stack, 5)
    expected, delivered, duplicates = await wait_delivered(stack, ids)
    record("PostgreSQL dimulai ulang / restarted", sent + 1, len(ids), expected, delivered, duplicates)
    assert len(ids) == sent and (expected, duplicates) == (delivered, 0)


async def test_poison_and_unknown_events_are_dead_lettered_with_a_reason_and_the_consumer_goes_on(stack):
    producer = AIOKafkaProducer(bootstrap_servers=stack.broker.bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait("registrasi.pendaftaran.v1", b"{rusak", key=b"racun")
        unknown = Envelope(source="/ukpbj/registrasi", type="registrasi.pendaftaran.dihapus", aggregateid="x", data={})
        await producer.send_and_wait("registrasi.pendaftaran.v1", unknown.to_bytes(), key=b"x")
    finally:
        await producer.stop()
    sent, ids = await create_registrations(stack, 3)
    expected, delivered, duplicates = await wait_delivered(stack, ids)
    dead = await read_topic(stack.broker.bootstrap, "pelaporan.dlq", until=2, timeout=30)
    reasons = sorted(dict(r.headers)["dlq_reason"].decode() for r in dead)
    record("pesan racun / poison message", sent + 2, len(ids) + 2, expected, delivered, duplicates)
    assert reasons == ["unknown-type", "unparseable"]
    assert (expected, duplicates) == (delivered, 0) and expected == len(ids)
