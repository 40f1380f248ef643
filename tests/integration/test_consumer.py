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


def batch_consumer(infra, sessions, name: str, handlers=None, topic: str | None = None,
                   dlq: str = "pelaporan.dlq") -> EventConsumer:
    spec = ConsumerSpec(name=name, handlers=handlers or {"registrasi.pendaftaran.diajukan": on_pendaftaran_diajukan},
                        topics=[topic] if topic else [], batch=True)
    return EventConsumer(spec, service="pelaporan", bootstrap=infra.broker.bootstrap, session_factory=sessions,
                         dead_letter_topic=dlq)


async def test_a_batch_is_applied_in_one_transaction_each_event_once(migrated, pelaporan_sessions):
    consumer = batch_consumer(migrated, pelaporan_sessions, f"uji-batch-{uuid.uuid4().hex[:6]}")
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    ea = diajukan(a).to_bytes()
    poison = b"{not json"
    outcomes = await consumer.handle_many([ea, poison, ea, diajukan(b).to_bytes()])
    assert outcomes[0] == "applied" and outcomes[2] == "duplicate" and outcomes[3] == "applied"
    assert isinstance(outcomes[1], PoisonMessage) and outcomes[1].reason == "unparseable"
    assert await consumer.handle_many([ea]) == ["duplicate"]  # redelivered after the commit
    assert [tuple(r) for r in await read_model(migrated, a)] == [("diajukan", 1)]
    assert [tuple(r) for r in await read_model(migrated, b)] == [("diajukan", 1)]
    inbox = await migrated.fetch("pelaporan", "SELECT count(*) AS n FROM inbox WHERE consumer = $1", consumer.spec.name)
    assert inbox[0]["n"] == 2


async def test_a_batch_with_a_poison_message_and_a_failing_handler_applies_the_rest_and_dead_letters_those(
        migrated, pelaporan_sessions):
    """Batch mode: the good events are applied once, the poison one and the one whose handler keeps
    failing go to the dead-letter topic, and nothing is applied twice."""
    topic = f"uji.batch.{uuid.uuid4().hex[:8]}"
    dlq = f"{topic}.dlq"
    gagal = str(uuid.uuid4())

    async def kadang_gagal(event, data, uow):
        if data.pendaftaran_id == gagal:
            raise RuntimeError("handler rusak untuk event ini")
        await on_pendaftaran_diajukan(event, data, uow)

    consumer = batch_consumer(migrated, pelaporan_sessions, f"uji-batch-dlq-{uuid.uuid4().hex[:6]}",
                              handlers={"registrasi.pendaftaran.diajukan": kadang_gagal}, topic=topic, dlq=dlq)
    consumer.max_attempts = 1
    baik = [str(uuid.uuid4()) for _ in range(5)]
    producer = AIOKafkaProducer(bootstrap_servers=migrated.broker.bootstrap, acks="all", linger_ms=50)
    await producer.start()
    task = asyncio.create_task(consumer.run())
    try:
        await asyncio.wait_for(consumer.assigned.wait(), 30)
        dua_kali = diajukan(baik[1]).to_bytes()
        futures = [await producer.send(topic, diajukan(baik[0]).to_bytes(), key=b"k"),
                   await producer.send(topic, b"\x00 bukan json", key=b"k"),
                   await producer.send(topic, dua_kali, key=b"k"),
                   await producer.send(topic, diajukan(gagal).to_bytes(), key=b"k"),
                   await producer.send(topic, dua_kali, key=b"k")]
        futures += [await producer.send(topic, diajukan(agg).to_bytes(), key=b"k") for agg in baik[2:]]
        await asyncio.gather(*futures)

        async def semua():
            rows = await migrated.fetch("pelaporan", "SELECT id FROM rm_pendaftaran WHERE id = ANY($1::text[])",
                                        baik + [gagal])
            return len(rows) == len(baik) and rows
        rows = await eventually(semua)
    finally:
        await producer.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert gagal not in {r["id"] for r in rows}
    inbox = await migrated.fetch("pelaporan", "SELECT count(*) AS n FROM inbox WHERE consumer = $1", consumer.spec.name)
    assert inbox[0]["n"] == len(baik)
    dead = await read_topic(migrated.broker.bootstrap, dlq, until=2)
    assert sorted(dict(r.headers)["dlq_reason"].decode() for r in dead) == ["handler-failed", "unparseable"]


def _amplop(source: str, tipe: str, agg: str, versi: int, data) -> Envelope:  # type: ignore[no-untyped-def]
    return Envelope(source=f"/ukpbj/{source}", type=tipe, aggregateid=agg, aggregateversion=versi,
                    data=data.model_dump(mode="json"))


def _peristiwa_registrasi(agg: str, v: int) -> list[Envelope]:
    return [diajukan(agg, version=v, status=f"s{v}")]


def _peristiwa_paket(agg: str, v: int) -> list[Envelope]:
    from shared.contracts import pokja as pk

    waktu = datetime(2026, 3, v, 8, tzinfo=UTC)
    dicatat = pk.PaketDicatat(kode=agg, waktu=waktu, nama=f"Paket {v}", satuan_kerja=f"Satker {v}",
                              jenis_pengadaan="barang", pagu=1_000_000 * v, hps=900_000 * v, tahun_anggaran=2026,
                              metode_pemilihan=["tender", "seleksi", "pengadaan_langsung"][v - 1])
    peristiwa = [_amplop("pokja", "pokja.paket.dicatat", agg, v, dicatat)]
    if v == 2:  # another event type in between splits the bulk runs
        peristiwa.append(_amplop("pokja", "pokja.paket.metode_diubah", agg, 10 + v, pk.MetodePemilihanDiubah(
            kode=agg, waktu=waktu, metode_pemilihan="penunjukan_langsung", alasan="uji")))
    return peristiwa


def _peristiwa_tiket(agg: str, v: int) -> list[Envelope]:
    from shared.contracts import helpdesk as hd

    waktu = datetime(2026, 3, v, 8, tzinfo=UTC)
    dibuat = hd.TiketDibuat(tiket_id=agg, waktu=waktu, kategori=["aplikasi", "non_teknis", "akun"][v - 1],
                            kanal="web", prioritas=["rendah", "sedang", "tinggi"][v - 1],
                            paket_kode=None if v == 1 else f"P-{v}", di_luar_lingkup=v == 3,
                            target_respons_detik=3600 * v, target_penyelesaian_detik=28_800 * v)
    peristiwa = [_amplop("helpdesk", "helpdesk.tiket.dibuat", agg, v, dibuat)]
    if v == 2:
        peristiwa.append(_amplop("helpdesk", "helpdesk.tiket.ditugaskan", agg, 10 + v,
                                 hd.TiketDitugaskan(tiket_id=agg, waktu=waktu, petugas="hd-1")))
    return peristiwa


def _peristiwa_pokja(agg: str, v: int) -> list[Envelope]:
    from shared.contracts import pokja as pk

    waktu = datetime(2026, 3, 4 - v, 8, tzinfo=UTC)  # a later version with an earlier time: `least` keeps it
    nip = [f"19800101200501100{i}" for i in range(5)]
    dibentuk = pk.PokjaDibentuk(pokja_id=agg, waktu=waktu, nama=f"Pokja {v}", nomor_sk=f"SK-{v}",
                                anggota=nip[v - 1:v + 2] + nip[v - 1:v], paket=[f"P-{agg[:4]}-{v}", f"P-{agg[:4]}-1"])
    peristiwa = [_amplop("pokja", "pokja.pokja.dibentuk", agg, v, dibentuk)]
    if v == 2:
        peristiwa.append(_amplop("pokja", "pokja.pokja.anggota_ditambahkan", agg, 10 + v,
                                 pk.AnggotaDitambahkan(pokja_id=agg, waktu=waktu, nip=nip[4])))
    return peristiwa


@pytest.mark.parametrize(("konsumen", "peristiwa", "tabel", "kunci"), [
    ("proyeksi-registrasi", _peristiwa_registrasi, ("rm_pendaftaran",), "id"),
    ("proyeksi-pokja", _peristiwa_paket, ("rm_paket",), "kode"),
    ("proyeksi-pokja", _peristiwa_pokja, ("rm_pokja", "rm_pokja_anggota", "rm_pokja_paket"), None),
    ("proyeksi-helpdesk", _peristiwa_tiket, ("rm_tiket",), "id"),
], ids=["pendaftaran", "paket", "pokja", "tiket"])
async def test_a_bulk_handler_gives_the_same_read_model_as_the_handler_event_by_event(
        migrated, pelaporan_sessions, konsumen, peristiwa, tabel, kunci):
    """issue 9: pelaporan's bulk upserts (one executemany per run of one event type: registrations
    submitted, packages recorded, tickets opened), with the same aggregate several times in a batch, out of
    order and between events of other types, equal the per-event handlers' result, every column."""
    import random

    from services.pelaporan.consumers import CONSUMERS

    spec = next(s for s in CONSUMERS if s.name == konsumen)
    assert spec.bulk_handlers
    aggs = [str(uuid.uuid4()) for _ in range(7)]
    events = [e for a in aggs[:6] for v in (1, 2, 3) for e in peristiwa(a, v)]
    random.Random(9).shuffle(events)
    # and one aggregate whose events of the bulk type follow each other, newest first, in one run
    berurutan = [e for v in (3, 2, 1) for e in peristiwa(aggs[6], v)]
    events += sorted(berurutan, key=lambda e: e.type not in spec.bulk_handlers)
    assert {e.type for e in events} & set(spec.bulk_handlers)
    tunggal = ConsumerSpec(name=f"uji-tunggal-{uuid.uuid4().hex[:6]}", handlers=spec.handlers)
    banyak = ConsumerSpec(name=f"uji-banyak-{uuid.uuid4().hex[:6]}", handlers=spec.handlers, batch=True,
                          bulk_handlers=spec.bulk_handlers)
    hasil = {}

    async def kosongkan() -> None:  # these aggregates only: other tests read the same read models
        for t in tabel:
            await migrated.execute("pelaporan", f"DELETE FROM {t} WHERE {kunci or _kunci_pokja(t)} = ANY($1::text[])",
                                   aggs)

    try:
        for nama, consumer_spec in (("tunggal", tunggal), ("banyak", banyak)):
            consumer = EventConsumer(consumer_spec, service="pelaporan", bootstrap=migrated.broker.bootstrap,
                                     session_factory=pelaporan_sessions, dead_letter_topic="pelaporan.dlq")
            await kosongkan()
            if nama == "tunggal":
                for e in events:
                    assert await consumer.handle(e.to_bytes()) == "applied"
            else:
                assert await consumer.handle_many([e.to_bytes() for e in events]) == ["applied"] * len(events)
            hasil[nama] = {t: [dict(r) for r in await migrated.fetch(
                "pelaporan", f"SELECT * FROM {t} WHERE {kunci or _kunci_pokja(t)} = ANY($1::text[]) ORDER BY 1, 2, 3",
                aggs)] for t in tabel}
    finally:
        await kosongkan()
    assert len(hasil["banyak"][tabel[0]]) == len(aggs)
    assert hasil["banyak"] == hasil["tunggal"]
    if tabel == ("rm_pendaftaran",):
        assert {r["status"] for r in hasil["banyak"]["rm_pendaftaran"]} == {"s3"}


def _kunci_pokja(tabel: str) -> str:
    return "id" if tabel == "rm_pokja" else "pokja_id"

async def test_an_idle_consumer_fetches_with_the_longer_wait_and_the_first_record_brings_the_short_one_back(
        migrated, pelaporan_sessions):
    # The test broker answers a waiting fetch only when its wait is over: an idle consumer that kept the
    # short wait asked 50 times a second (EventConsumer._pace). The wait is read back from aiokafka's fetcher.
    topic = f"uji.jeda.{uuid.uuid4().hex[:8]}"
    spec = ConsumerSpec(name=f"uji-jeda-{uuid.uuid4().hex[:6]}", topics=[topic], batch=True,
                        handlers={"registrasi.pendaftaran.diajukan": on_pendaftaran_diajukan})
    consumer = EventConsumer(spec, service="pelaporan", bootstrap=migrated.broker.bootstrap,
                             session_factory=pelaporan_sessions, dead_letter_topic="pelaporan.dlq",
                             fetch_max_wait_ms=20, idle_fetch_max_wait_ms=300, idle_after_s=1.0)

    def waiting(ms: int):  # type: ignore[no-untyped-def]
        async def check() -> bool:
            return consumer.fetch_wait_ms == ms
        return check

    task = asyncio.create_task(consumer.run())
    producer = AIOKafkaProducer(bootstrap_servers=migrated.broker.bootstrap, acks="all")
    await producer.start()
    try:
        await asyncio.wait_for(consumer.assigned.wait(), 30)
        await eventually(waiting(300))  # nothing came for a second
        agg = str(uuid.uuid4())
        await producer.send_and_wait(topic, diajukan(agg).to_bytes(), key=agg.encode())
        await eventually(lambda: read_model(migrated, agg), interval=0.05)
        assert consumer.fetch_wait_ms == 20  # a record came: short again
        await eventually(waiting(300))  # and quiet again
    finally:
        await producer.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert [tuple(r) for r in await read_model(migrated, agg)] == [("diajukan", 1)]
