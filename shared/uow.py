"""The unit of work: the only place that commits.

A state change, its outbox rows (events), its history rows and, for a create with an
`Idempotency-Key`, the stored response are written in ONE transaction: either all of them
are committed or none is. Nothing is sent to the broker from here; the relay does that.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
import orjson
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.db import autocommit_engine
from shared.errors import Conflict
from shared.events import CONTENT_TYPE, Envelope, EventPayload, spec_for
from shared.outbox import outbox_written
from shared.pg import begin_locking, connect, release, take


@dataclass(frozen=True)
class Actor:
    """Who acts: the token's subject and roles, or an anonymous caller, with where from."""

    sub: str | None = None
    roles: tuple[str, ...] = ()
    ip: str | None = None
    request_id: str | None = None

    @property
    def label(self) -> str:
        return self.sub or "anonim"


SYSTEM = Actor(sub="sistem", roles=("sistem",))


@dataclass
class IdempotencyClaim:
    """A create retried with the same `Idempotency-Key` returns this stored response."""

    key: str
    scope: str
    fingerprint: str
    seal: Any  # callable(str) -> str: encrypts the stored response
    location: Any = None  # callable(result) -> str | None
    stored: bool = False


_INSERT_OUTBOX = text(
    "INSERT INTO outbox (event_id, event_type, topic, aggregate_type, aggregate_id, aggregate_version, payload, headers)"
    " VALUES (CAST(:event_id AS uuid), :event_type, :topic, :aggregate_type, :aggregate_id, :aggregate_version,"
    " CAST(:payload AS jsonb), CAST(:headers AS jsonb))"
)
_INSERT_RIWAYAT = text(
    "INSERT INTO riwayat (aggregate_type, aggregate_id, aksi, aktor, peran, alamat_ip, request_id, perubahan, alasan)"
    " VALUES (:aggregate_type, :aggregate_id, :aksi, :aktor, :peran, :alamat_ip, :request_id,"
    " CAST(:perubahan AS jsonb), :alasan)"
)
_INSERT_IDEMPOTENCY = text(
    "INSERT INTO idempotency_keys (key, scope, fingerprint, status_code, location, body)"
    " VALUES (:key, :scope, :fingerprint, 201, :location, :body)"
)

# The same rows for a unit of work on plain asyncpg (`UnitOfWork.raw`), each table's rows in one
# statement (unnest of arrays), all of them in one round trip (data-modifying CTEs). The statement
# names only the tables that get rows: an empty INSERT into outbox would still fire its NOTIFY.
# A table's only row (the usual case: one event, one audit entry) goes as scalar parameters instead:
# asyncpg checks every array parameter against four abstract base classes per call, which cost a read
# with its audit entry 11 us of its ~290 (issue 9, cProfile).
_OUTBOX_COLUMNS = ("event_id", "event_type", "topic", "aggregate_type", "aggregate_id", "aggregate_version",
                   "payload", "headers")
_OUTBOX_TYPES = ("uuid", "text", "text", "text", "text", "int", "jsonb", "jsonb")
_RIWAYAT_COLUMNS = ("aggregate_type", "aggregate_id", "aksi", "aktor", "peran", "alamat_ip", "request_id",
                    "perubahan", "alasan")
_RIWAYAT_TYPES = ("text", "text", "text", "text", "text", "text", "text", "jsonb", "text")


@functools.cache
def _raw_statement(outbox: int, riwayat: int, idempotency: bool, state: str | None = None,
                   state_params: int = 0, also: tuple[str, ...] = ()) -> str:
    """One statement writing the pending rows, parameters numbered in that order: the outbox's columns,
    then the history's, then the idempotency key's values. `outbox` and `riwayat` say how many rows
    (`_row_count`): none, one (a parameter per column) or more (an array per column).

    With `state` (one INSERT/UPDATE ... RETURNING of the use case, numbered $1..$`state_params`), that
    statement comes first as the CTE `keadaan`, then the use case's further statements `also` (same
    numbering), and the pending rows are written only when it returned a row; the statement returns its
    rows (`UnitOfWork.commit_with`)."""
    parts: list[str] = []
    n = state_params + 1
    guard = "" if state is None else " WHERE EXISTS (SELECT 1 FROM keadaan)"

    def rows(table: str, columns: tuple[str, ...], types: tuple[str, ...], count: int) -> str:
        if count == 1:
            source = ", ".join(f"${n + i}::{t}" for i, t in enumerate(types))
        else:
            source = "* FROM unnest(" + ", ".join(f"${n + i}::{t}[]" for i, t in enumerate(types)) + ")"
        return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {source}{guard}"

    if outbox:
        parts.append(rows("outbox", _OUTBOX_COLUMNS, _OUTBOX_TYPES, outbox))
        n += len(_OUTBOX_TYPES)
    if riwayat:
        parts.append(rows("riwayat", _RIWAYAT_COLUMNS, _RIWAYAT_TYPES, riwayat))
        n += len(_RIWAYAT_TYPES)
    if idempotency:
        parts.append(f"INSERT INTO idempotency_keys (key, scope, fingerprint, status_code, location, body)"
                     f" SELECT ${n}::text, ${n + 1}::text, ${n + 2}::text, 201, ${n + 3}::text, ${n + 4}::text{guard}")
    if state is not None:
        ctes = [f"keadaan AS ({state})", *(f"s{i} AS ({part})" for i, part in enumerate(also)),
                *(f"w{i} AS ({part})" for i, part in enumerate(parts))]
        return "WITH " + ", ".join(ctes) + " SELECT * FROM keadaan"
    *ctes, last = parts
    return ("WITH " + ", ".join(f"w{i} AS ({part})" for i, part in enumerate(ctes)) + " " if ctes else "") + last


def _row_count(rows: list[dict[str, Any]]) -> int:
    """What `_raw_statement` needs to know of a table's pending rows: 0, 1 or 2 (more than one)."""
    return min(len(rows), 2)


def _columns(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> list[Any]:
    """The parameters of a table's pending rows as `_raw_statement` numbers them."""
    if len(rows) == 1:
        row = rows[0]
        return [row[c] for c in columns]
    return [[row[c] for row in rows] for c in columns]


def _json(value: Any) -> str:
    return orjson.dumps(value, default=_default).decode()


def _default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value)!r}")


class AuditWriter:
    """Writes the audit entries of reads in groups: a commit shared by the reads waiting for it (issue 9).

    A read of personal data answers only once its audit entry is durable. Written by the read's own
    statement, every read paid a commit of its own: a WAL flush, which PostgreSQL serves to concurrent
    commits one after another (measured: 93 us of PostgreSQL CPU per audited read, 47 us when grouped,
    32 us for the read alone). Here the entries of the reads waiting at the same moment go in ONE
    INSERT and one commit; the entries arriving meanwhile wait for the next one (one write in flight:
    under load the groups grow by themselves, unloaded each read writes at once). The writer has a
    connection of its own, opened when first needed and again after it broke: on the pool it queued
    behind the requests, and every read of the group waited with it. A read waits for its entry's
    commit after giving its own connection back (`UnitOfWork.__aexit__`). A failed write fails every
    read of its group (a 503 problem): no read is answered without its audit entry.
    """

    def __init__(self, dsn: str, *, statement_timeout_ms: int) -> None:
        self.dsn = dsn
        self.statement_timeout_ms = statement_timeout_ms
        self._conn: asyncpg.Connection | None = None
        self._waiting: list[tuple[list[dict[str, Any]], asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None
        self.writes = 0  # statements executed, for tests and curiosity

    def write(self, rows: list[dict[str, Any]]) -> asyncio.Future[None]:
        """Queue audit rows (`UnitOfWork.record`); the future is done once they are committed."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._waiting.append((rows, done))
        if self._task is None:
            self._task = loop.create_task(self._write_all())
        return done

    async def _write_all(self) -> None:
        try:
            while self._waiting:
                group, self._waiting = self._waiting, []
                try:
                    await self._insert([row for rows, _ in group for row in rows])
                    self.writes += 1
                except Exception as exc:  # noqa: BLE001 - every read of the group answers with it
                    for _, done in group:
                        if not done.done():
                            done.set_exception(exc)
                    continue
                for _, done in group:
                    if not done.done():
                        done.set_result(None)
        finally:
            self._task = None
            for _, done in self._waiting:  # cancelled (shutdown): nobody writes them now
                if not done.done():
                    done.set_exception(ConnectionError("audit writer stopped"))
            self._waiting = []

    async def _insert(self, rows: list[dict[str, Any]]) -> None:
        if self._conn is None or self._conn.is_closed():
            self._conn = await connect(self.dsn, statement_timeout_ms=self.statement_timeout_ms)
        await self._conn.execute(_raw_statement(0, _row_count(rows), False), *_columns(rows, _RIWAYAT_COLUMNS))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._conn.close(), 2)
            self._conn = None


@dataclass
class UnitOfWork:
    """`async with uow: ...; await uow.commit()` — leaving the block without commit rolls back."""

    session_factory: async_sessionmaker[AsyncSession]
    source: str
    actor: Actor = SYSTEM
    idempotency: IdempotencyClaim | None = None
    pool: asyncpg.Pool | None = None  # plain asyncpg for the hot paths (`raw()`)
    audit: AuditWriter | None = None  # groups the audit entries of reads in `raw(transaction=False)`
    session: AsyncSession = field(init=False)
    conn: asyncpg.Connection = field(init=False)
    _outbox: list[dict[str, Any]] = field(default_factory=list, init=False)
    _riwayat: list[dict[str, Any]] = field(default_factory=list, init=False)
    committed: bool = field(default=False, init=False)
    _read_only: bool = field(default=False, init=False)
    _raw: str | None = field(default=None, init=False)  # None (ORM), "tx" or "auto"
    _locks: tuple[int, ...] = field(default=(), init=False)
    _audited: asyncio.Future[None] | None = field(default=None, init=False)  # by `audit`, awaited on exit

    def reading(self) -> "UnitOfWork":
        """`async with uow.reading(): ...` for a use case that only reads (no commit, no locks).

        Its statements run without BEGIN/ROLLBACK (issue 9: two round trips of a one-row read);
        each still sees committed data, as at READ COMMITTED inside a transaction. `commit()` is
        refused: a write needs the plain `async with uow:`.
        """
        self._read_only = True
        return self

    def raw(self, *, transaction: bool = True, locks: Sequence[int] = ()) -> "UnitOfWork":
        """`async with uow.raw(): ... uow.conn ...` for a hot path on plain asyncpg (`shared.pg`).

        With `transaction=True` the block is one transaction, as with the ORM: `commit()` writes the
        outbox, history and idempotency rows and commits; leaving without it rolls back. With
        `transaction=False` each statement commits by itself (a read): `commit()` then writes the
        pending rows (e.g. the audit entry of a read) in one statement, which is atomic on its own; when
        they are only audit entries and the unit of work has an `AuditWriter`, they go in its next group
        and the block's exit waits for their commit, after giving the connection back.

        `locks`: advisory lock keys (`shared.pg.advisory_key`) the transaction takes first, in the order
        given (sort them): BEGIN and the locks are one round trip (`shared.pg.begin_locking`), and every
        statement of the block sees what the previous holders of those locks committed.
        """
        if self.pool is None:
            raise RuntimeError("this unit of work has no asyncpg pool (app.state.pg)")
        if locks and not transaction:
            raise ValueError("advisory locks are taken in a transaction: raw(transaction=True, locks=...)")
        self._raw = "tx" if transaction else "auto"
        self._locks = tuple(locks)
        return self

    async def __aenter__(self) -> "UnitOfWork":
        self._outbox.clear()
        self._riwayat.clear()
        self.committed = False
        if self._raw is not None:
            assert self.pool is not None
            self.conn = await take(self.pool)
            if self._raw == "tx":
                try:  # BEGIN and any advisory locks: one simple query, one round trip
                    await self.conn.execute(begin_locking(self._locks))
                except BaseException:
                    await release(self.pool, self.conn)
                    self._raw = None
                    raise
            return self
        if self._read_only:
            bind = self.session_factory.kw.get("bind")
            self.session = self.session_factory(bind=autocommit_engine(bind)) if bind is not None \
                else self.session_factory()
        else:
            self.session = self.session_factory()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._raw is not None:
            try:
                if self._raw == "tx" and not self.committed and not self.conn.is_closed():
                    await self.conn.execute("ROLLBACK")
            finally:
                self._raw = None
                self._locks = ()
                assert self.pool is not None
                await release(self.pool, self.conn)
            audited, self._audited = self._audited, None
            if audited is not None:
                if exc[0] is None:
                    await audited  # the read answers only once its audit entry is committed
                else:  # the block failed after the commit: the entry is written all the same
                    audited.add_done_callback(_retrieve)
            return
        try:
            if not self.committed and not self._read_only:
                await self.session.rollback()
        finally:
            self._read_only = False
            await self.session.close()

    def emit(
        self,
        event_type: str,
        data: EventPayload,
        *,
        aggregate_id: str,
        aggregate_version: int,
        subject: str | None = None,
    ) -> Envelope:
        """Queue an event for the outbox; it is written with the state change or not at all."""
        spec = spec_for(event_type)
        if not isinstance(data, spec.payload):
            raise TypeError(f"{event_type} takes {spec.payload.__name__}, got {type(data).__name__}")
        envelope = Envelope(
            source=f"/ukpbj/{self.source}",
            type=event_type,
            subject=subject or aggregate_id,
            aggregateid=aggregate_id,
            aggregateversion=aggregate_version,
            requestid=self.actor.request_id,
            data=data.model_dump(mode="json"),
        )
        self._outbox.append(
            {
                "event_id": envelope.id,
                "event_type": event_type,
                "topic": spec.topic,
                "aggregate_type": spec.aggregate,
                "aggregate_id": aggregate_id,
                "aggregate_version": aggregate_version,
                "payload": envelope.to_bytes().decode(),
                "headers": _json({"content-type": CONTENT_TYPE, "request_id": self.actor.request_id}),
            }
        )
        return envelope

    def record(
        self,
        aggregate_type: str,
        aggregate_id: str,
        aksi: str,
        perubahan: dict[str, Any] | None = None,
        *,
        alasan: str | None = None,
    ) -> None:
        """Add a history (audit) row: who, when, what changed, why."""
        self._riwayat.append(
            {
                "aggregate_type": aggregate_type,
                "aggregate_id": aggregate_id,
                "aksi": aksi,
                "aktor": self.actor.label,
                "peran": ",".join(self.actor.roles) or None,
                "alamat_ip": self.actor.ip,
                "request_id": self.actor.request_id,
                "perubahan": _json(perubahan or {}),
                "alasan": alasan,
            }
        )

    async def commit(self, result: Any = None) -> Any:
        """Write outbox, history and idempotency rows with the state change, commit, return `result`."""
        if self._read_only:
            raise RuntimeError("a unit of work opened with reading() cannot commit; use `async with uow:`")
        if self._raw is not None:
            return await self._commit_raw(result)
        if self._outbox:
            await self.session.execute(_INSERT_OUTBOX, self._outbox)
        if self._riwayat:
            await self.session.execute(_INSERT_RIWAYAT, self._riwayat)
        claim = self.idempotency
        if claim is not None and result is not None:
            location = claim.location(result) if claim.location else None
            try:
                await self.session.execute(
                    _INSERT_IDEMPOTENCY,
                    {"key": claim.key, "scope": claim.scope, "fingerprint": claim.fingerprint,
                     "location": location, "body": claim.seal(_json(result))},
                )
            except IntegrityError as exc:
                raise Conflict(
                    "Permintaan lain dengan Idempotency-Key yang sama sudah diproses; ulangi permintaan "
                    "ini untuk menerima hasil pertama."
                ) from exc
            claim.stored = True
        await self.session.commit()
        self._committed()
        return result

    async def commit_with(self, statement: str, *args: Any, result: Any = None,
                          also: tuple[str, ...] = ()) -> list[asyncpg.Record]:
        """Run the use case's state change and the pending rows as ONE statement, and commit; return its rows.

        - `statement`: one data-modifying statement with RETURNING, without a WITH of its own; its
          parameters are `args` ($1..). (A read's audit entry goes by `commit()`: `AuditWriter`.)
        - The outbox, history and idempotency rows (for `result`) are written only when it returns a row.
          An empty answer means nothing was written (e.g. the key was taken: the caller answers 409); the
          pending rows stay pending, and in `raw()` the transaction stays open for another way to finish,
          e.g. `commit()`.
        - `also`: further data-modifying statements of the use case, with the same parameters. They see
          the state change's rows as `keadaan` (guard them with `WHERE EXISTS (SELECT 1 FROM keadaan)`);
          foreign keys are checked when the statement ends.
        - In `raw(transaction=False)` the one statement is atomic by itself: a create is then the
          idempotency lookup plus one round trip instead of BEGIN, the insert, the rows and COMMIT (issue 9).
        - A `UniqueViolationError` of the statement's own table reaches the caller.
        """
        if self._raw is None:
            raise RuntimeError("commit_with() needs a unit of work opened with raw()")
        claim = self.idempotency if result is not None else None
        sql = _raw_statement(_row_count(self._outbox), _row_count(self._riwayat), claim is not None, statement,
                             len(args), tuple(also))
        rows = await self._execute_pending(sql, list(args), result, claim, fetch=True)
        if rows:
            await self._finish_raw(claim)
        return rows

    async def _execute_pending(self, sql: str, args: list[Any], result: Any, claim: IdempotencyClaim | None,
                               *, fetch: bool = False) -> Any:
        if self._outbox:
            args += _columns(self._outbox, _OUTBOX_COLUMNS)
        if self._riwayat:
            args += _columns(self._riwayat, _RIWAYAT_COLUMNS)
        if claim is not None:
            location = claim.location(result) if claim.location else None
            args += [claim.key, claim.scope, claim.fingerprint, location, claim.seal(_json(result))]
        try:
            return await (self.conn.fetch(sql, *args) if fetch else self.conn.execute(sql, *args))
        except asyncpg.UniqueViolationError as exc:
            if claim is None or exc.table_name != "idempotency_keys":
                raise
            raise Conflict(
                "Permintaan lain dengan Idempotency-Key yang sama sudah diproses; ulangi permintaan "
                "ini untuk menerima hasil pertama."
            ) from exc

    async def _commit_raw(self, result: Any) -> Any:
        claim = self.idempotency if result is not None else None
        if self.audit is not None and self._raw == "auto" and self._riwayat and not self._outbox and claim is None:
            self._audited = self.audit.write(list(self._riwayat))
            self._committed()
            return result
        if self._outbox or self._riwayat or claim is not None:
            sql = _raw_statement(_row_count(self._outbox), _row_count(self._riwayat), claim is not None)
            await self._execute_pending(sql, [], result, claim)
        await self._finish_raw(claim)
        return result

    async def _finish_raw(self, claim: IdempotencyClaim | None) -> None:
        """After the pending rows were written in `raw()`: the key is stored, the transaction (if any) commits."""
        if claim is not None:
            claim.stored = True
        if self._raw == "tx":
            await self.conn.execute("COMMIT")
        self._committed()

    def _committed(self) -> None:
        self.committed = True
        if self._outbox:
            outbox_written(self.source)  # wake the relay (shared.outbox: no NOTIFY inside the transaction)
        self._outbox.clear()
        self._riwayat.clear()


def _retrieve(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()


def now_utc() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())
