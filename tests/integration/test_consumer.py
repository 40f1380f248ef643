import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaProducer

from shared.consumer import ConsumerSpec, EventConsumer, PoisonMessage
from shared.contracts.registrasi import PendaftaranDiajukan
from shared.db import make_engine, make_session_factory
from shared.events import Envelope
from services.pelaporan.consumers import on_pendaftaran_diajukan
from tests.support.kafka import eventually, read_topic

pytestmark = pytest.mark.integration


def diajukan(agg: str, version: int = 1, status: str = "diajukan") -> Envelope:
    data = PendaftaranDiajukan(pendaftaran_id=agg, jenis="penyedia", status=status, waktu=datetime.now(UTC))
    return Envelope(source="/ukpbj/registrasi", type="registrasi.pendaftaran.diajukan", aggregateid=agg,
                    aggregateversion=version, data=data.model_dump(mode="json"))


@pytest.fixture
async def pelaporan_sessions(migrated):
    engine = make_engine(migrated.url("pelaporan"))
    yield make_session_factory(engine)
    await engine.dispose()


def consumer_for(infra, sessions, name: str, dlq: str = "pelaporan.dlq") -> EventConsumer:
    spec = ConsumerSpec(name=name, handlers={"registrasi.pendaftaran.diajukan": on_pendaftaran_diajukan})
    return EventConsumer(spec, service="pelaporan", bootstrap=infra.broker.bootstrap, session_factory=sessions,
                         dead_letter_topic=dlq)


async def read_model(infra, agg: str):
    return await infra.fetch("pelaporan", "SELECT status, versi FROM rm_pendaftaran WHERE id = $1", agg)


async def test_a_duplicated_message_is_applied_once(migrated, pelaporan_sessions):
    consumer = consumer_for(migrated, pelaporan_sessions, f"uji-duplikat-{uuid.uuid4().hex[:6]}")
    raw = diajukan(agg := str(uuid.uuid4())).to_bytes()
    assert await consumer.handle(raw) == "applied"
    assert await consumer.handle(raw) == "duplicate"
    inbox = await migrated.fetch("pelaporan", "SELECT count(*) AS n FROM inbox WHERE consumer = $1", consumer.spec.name)
    assert inbox[0]["n"] == 1
    assert [tuple(r) for r in await read_model(migrated, agg)] == [("diajukan", 1)]


async def test_an_older_version_arriving_late_does_not_move_the_read_model_back(migrated, pelaporan_sessions):
    consumer = consumer_for(migrated, pelaporan_sessions, f"uji-urutan-{uuid.uuid4().hex[:6]}")
    agg = str(uuid.uuid4())
    await consumer.handle(diajukan(agg, version=3, status="diajukan").to_bytes())
    await consumer.handle(diajukan(agg, version=1, status="lama").to_bytes())
    assert [tuple(r) for r in await read_model(migrated, agg)] == [("diajukan", 3)]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "unparseable"),
        (b'{"source": "/x", "type": "registrasi.pendaftaran.diajukan"}', "unparseable"),
        (Envelope(source="/x", type="registrasi.tidak_ada.terjadi", aggregateid="a", data={}).to_bytes(),
         "unknown-type"),
        (Envelope(source="/x", type="registrasi.pendaftaran.diajukan", aggregateid="a", data={"jenis": 1}).to_bytes(),
         "invalid-payload"),
    ],
)
async def test_a_message_that_cannot_be_applied_is_poison_with_its_reason(migrated, pelaporan_sessions, raw, reason):
    consumer = consumer_for(migrated, pelaporan_sessions, "uji-racun")
    with pytest.raises(PoisonMessage) as caught:
        await consumer.handle(raw)
    assert caught.value.reason == reason


async def test_poison_messages_go_to_the_dead_letter_topic_and_the_consumer_goes_on(migrated, pelaporan_sessions):
    topic = f"uji.racun.{uuid.uuid4().hex[:8]}"
    dlq = f"{topic}.dlq"
    name = f"uji-dlq-{uuid.uuid4().hex[:6]}"
    spec = ConsumerSpec(name=name, topics=[topic],
                        handlers={"registrasi.pendaftaran.diajukan": on_pendaftaran_diajukan})
    consumer = EventConsumer(spec, service="pelaporan", bootstrap=migrated.broker.bootstrap,
                             session_factory=pelaporan_sessions, dead_letter_topic=dlq)
    task = asyncio.create_task(consumer.run())
    producer = AIOKafkaProducer(bootstrap_servers=migrated.broker.bootstrap, acks="all")
    await producer.start()
    agg = str(uuid.uuid4())
    try:
        await asyncio.wait_for(consumer.assigned.wait(), 30)
        await producer.send_and_wait(topic, b"\x00 bukan json", key=b"x")
        unknown = Envelope(source="/x", type="helpdesk.entah.terjadi", aggregateid="y", data={})
        await producer.send_and_wait(topic, unknown.to_bytes(), key=b"y")
        await producer.send_and_wait(topic, diajukan(agg).to_bytes(), key=agg.encode())
        await eventually(lambda: read_model(migrated, agg))
    finally:
        await producer.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    dead = await read_topic(migrated.broker.bootstrap, dlq, until=2)
    reasons = sorted(dict(r.headers)["dlq_reason"].decode() for r in dead)
    assert reasons == ["unknown-type", "unparseable"]
    assert all(dict(r.headers)["dlq_original_topic"].decode() == topic for r in dead)
