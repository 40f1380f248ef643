"""The unit of work: the only place that commits.

A state change, its outbox rows (events), its history rows and, for a create with an
`Idempotency-Key`, the stored response are written in ONE transaction: either all of them
are committed or none is. Nothing is sent to the broker from here; the relay does that.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.db import autocommit_engine
from shared.errors import Conflict
from shared.events import CONTENT_TYPE, Envelope, EventPayload, spec_for


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


def _json(value: Any) -> str:
    return orjson.dumps(value, default=_default).decode()


def _default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value)!r}")


@dataclass
class UnitOfWork:
    """`async with uow: ...; await uow.commit()` — leaving the block without commit rolls back."""

    session_factory: async_sessionmaker[AsyncSession]
    source: str
    actor: Actor = SYSTEM
    idempotency: IdempotencyClaim | None = None
    session: AsyncSession = field(init=False)
    _outbox: list[dict[str, Any]] = field(default_factory=list, init=False)
    _riwayat: list[dict[str, Any]] = field(default_factory=list, init=False)
    committed: bool = field(default=False, init=False)
    _read_only: bool = field(default=False, init=False)

    def reading(self) -> "UnitOfWork":
        """`async with uow.reading(): ...` for a use case that only reads (no commit, no locks).

        Its statements run without BEGIN/ROLLBACK (issue 9: two round trips of a one-row read);
        each still sees committed data, as at READ COMMITTED inside a transaction. `commit()` is
        refused: a write needs the plain `async with uow:`.
        """
        self._read_only = True
        return self

    async def __aenter__(self) -> "UnitOfWork":
        if self._read_only:
            bind = self.session_factory.kw.get("bind")
            self.session = self.session_factory(bind=autocommit_engine(bind)) if bind is not None \
                else self.session_factory()
        else:
            self.session = self.session_factory()
        self._outbox.clear()
        self._riwayat.clear()
        self.committed = False
        return self

    async def __aexit__(self, *exc: object) -> None:
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
        self.committed = True
        self._outbox.clear()
        self._riwayat.clear()
        return result


def now_utc() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())
