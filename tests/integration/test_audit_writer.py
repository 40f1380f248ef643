"""shared.uow.AuditWriter: the audit entries of reads, committed in groups, and a read that answers only
once its entry is committed (real PostgreSQL)."""

import asyncio
import uuid

import pytest

from shared.pg import create_pool
from shared.uow import Actor, AuditWriter, UnitOfWork

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(migrated):
    pool = await create_pool(migrated.dsn("registrasi"), size=8, statement_timeout_ms=5000)
    yield pool
    await pool.close()


@pytest.fixture
async def one_connection(migrated):
    pool = await create_pool(migrated.dsn("registrasi"), size=1, statement_timeout_ms=5000)
    yield pool
    await pool.close()


async def entries(migrated, agg: str) -> list[dict]:
    rows = await migrated.fetch("registrasi", "SELECT aksi, aktor, peran, alamat_ip, request_id, perubahan::text AS p"
                                " FROM riwayat WHERE aggregate_id = $1 ORDER BY id", agg)
    return [dict(r) for r in rows]


async def audited_read(migrated, session_factory, pool, writer, agg: str, who: str) -> tuple[str, bool]:
    """A read with its audit entry; returns its result and whether a separate session saw the entry at the
    moment the read answered."""
    uow = UnitOfWork(session_factory, source="registrasi", pool=pool, audit=writer,
                     actor=Actor(sub=who, roles=("verifikator",), ip="10.1.2.3", request_id=f"r-{who}"))
    async with uow.raw(transaction=False):
        value = await uow.conn.fetchval("SELECT 'isi'")
        uow.record("pendaftaran", agg, "dibaca", {"oleh": who})
        result = await uow.commit(value)
    return result, who in {e["aktor"] for e in await entries(migrated, agg)}


async def test_concurrent_reads_share_commits_and_each_answers_after_its_entry_is_committed(
        migrated, session_factory, pool):
    writer = AuditWriter(migrated.dsn("registrasi"), statement_timeout_ms=5000)
    agg = str(uuid.uuid4())
    try:
        results = await asyncio.gather(*[audited_read(migrated, session_factory, pool, writer, agg, f"u{i}")
                                         for i in range(40)])
    finally:
        await writer.close()
    assert results == [("isi", True)] * 40  # each answered with its entry committed
    written = await entries(migrated, agg)
    assert sorted(e["aktor"] for e in written) == sorted(f"u{i}" for i in range(40))
    assert {(e["aksi"], e["peran"], e["alamat_ip"]) for e in written} == {("dibaca", "verifikator", "10.1.2.3")}
    assert all(e["request_id"] == f"r-{e['aktor']}" and e["p"] == f'{{"oleh": "{e["aktor"]}"}}' for e in written)
    assert 1 <= writer.writes < 40  # grouped: fewer commits than reads


class _Gated(AuditWriter):
    """Holds its writes until the test opens the gate."""

    def __init__(self, dsn: str) -> None:
        super().__init__(dsn, statement_timeout_ms=5000)
        self.gate = asyncio.Event()

    async def _insert(self, rows):  # type: ignore[no-untyped-def]
        await self.gate.wait()
        await super()._insert(rows)


async def test_a_read_waits_for_its_entry_without_holding_a_pool_connection(migrated, session_factory,
                                                                           one_connection):
    writer = _Gated(migrated.dsn("registrasi"))
    agg = str(uuid.uuid4())
    try:
        read = asyncio.create_task(audited_read(migrated, session_factory, one_connection, writer, agg, "u1"))
        async with asyncio.timeout(5):  # the read gave the pool's only connection back while it waits
            while one_connection.get_idle_size() != 1 or not writer._waiting and writer._task is None:
                await asyncio.sleep(0.01)
        async with one_connection.acquire() as conn:  # another request is served meanwhile
            assert await conn.fetchval("SELECT 1") == 1
        assert not read.done()  # still waiting: its entry is not committed yet
        writer.gate.set()
        assert await asyncio.wait_for(read, 5) == ("isi", True)
    finally:
        await writer.close()


async def test_the_writer_opens_its_connection_again_after_it_broke(migrated, session_factory, pool):
    writer = AuditWriter(migrated.dsn("registrasi"), statement_timeout_ms=5000)
    agg = str(uuid.uuid4())
    try:
        assert (await audited_read(migrated, session_factory, pool, writer, agg, "u1"))[1]
        lama = writer._conn
        await migrated.execute("registrasi", "SELECT pg_terminate_backend($1)", lama.get_server_pid())
        async with asyncio.timeout(5):  # e.g. PostgreSQL restarted: the connection is gone
            while not lama.is_closed():
                await asyncio.sleep(0.01)
        assert (await audited_read(migrated, session_factory, pool, writer, agg, "u2"))[1]
        assert writer._conn is not lama and not writer._conn.is_closed()
    finally:
        await writer.close()
    assert sorted(e["aktor"] for e in await entries(migrated, agg)) == ["u1", "u2"]


async def test_a_failed_write_fails_every_read_of_its_group_and_the_next_group_is_written(
        migrated, session_factory, pool):
    writer = AuditWriter(migrated.dsn("registrasi"), statement_timeout_ms=5000)
    agg = str(uuid.uuid4())
    broken = {"aggregate_type": "x", "aggregate_id": agg, "aksi": "dibaca", "aktor": None,  # NOT NULL: refused
              "peran": None, "alamat_ip": None, "request_id": None, "perubahan": "{}", "alasan": None}
    try:
        first = writer.write([broken])
        fine = writer.write([{**broken, "aktor": "ikut-gagal"}])  # same group as the broken one
        with pytest.raises(Exception, match="null value"):
            await first
        with pytest.raises(Exception, match="null value"):
            await fine
        await writer.write([{**broken, "aktor": "berikutnya"}])
    finally:
        await writer.close()
    assert [e["aktor"] for e in await entries(migrated, agg)] == ["berikutnya"]


async def test_a_read_whose_audit_cannot_be_written_does_not_answer(migrated, session_factory, pool):
    writer = AuditWriter(migrated.dsn("registrasi"), statement_timeout_ms=5000)
    agg = "x" * 10
    uow = UnitOfWork(session_factory, source="registrasi", pool=pool, audit=writer, actor=Actor(sub="u"))
    await migrated.execute("registrasi", "ALTER TABLE riwayat ADD CONSTRAINT uji_tolak CHECK (aggregate_id <> 'xxxxxxxxxx')")
    try:
        with pytest.raises(Exception, match="uji_tolak"):
            async with uow.raw(transaction=False):
                uow.record("pendaftaran", agg, "dibaca")
                await uow.commit("isi")
    finally:
        await migrated.execute("registrasi", "ALTER TABLE riwayat DROP CONSTRAINT uji_tolak")
        await writer.close()


async def test_an_entry_is_still_written_when_the_read_fails_after_its_commit(migrated, session_factory, pool):
    writer = AuditWriter(migrated.dsn("registrasi"), statement_timeout_ms=5000)
    agg = str(uuid.uuid4())
    uow = UnitOfWork(session_factory, source="registrasi", pool=pool, audit=writer, actor=Actor(sub="u"))
    try:
        with pytest.raises(LookupError):
            async with uow.raw(transaction=False):
                uow.record("pendaftaran", agg, "dibaca")
                await uow.commit()
                raise LookupError("rendering failed")
        for _ in range(100):
            if await entries(migrated, agg):
                break
            await asyncio.sleep(0.02)
    finally:
        await writer.close()
    assert [e["aktor"] for e in await entries(migrated, agg)] == ["u"]


async def test_writes_of_state_and_events_never_go_through_the_writer(migrated, session_factory, pool):
    """Only a read's audit entries are grouped: history that belongs to a change commits with it."""
    writer = AuditWriter(migrated.dsn("registrasi"), statement_timeout_ms=5000)
    agg = str(uuid.uuid4())
    uow = UnitOfWork(session_factory, source="registrasi", pool=pool, audit=writer, actor=Actor(sub="u"))
    try:
        async with uow.raw():  # a transaction: the history row is part of it
            uow.record("pendaftaran", agg, "diubah")
            await uow.commit()
    finally:
        await writer.close()
    assert writer.writes == 0
    assert [e["aksi"] for e in await entries(migrated, agg)] == ["diubah"]
