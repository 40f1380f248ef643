"""Idempotent consumers: at-least-once delivery made exactly-once in effect.

For every message, in ONE database transaction: record (consumer, event id) in the inbox and, only
if it was not there yet, apply the handler's effect. Offsets are committed after the transaction,
so a crash in between means a redelivery, which the inbox absorbs.

A message that cannot be parsed, has an unknown event type, or keeps failing goes to the service's
dead-letter topic with the reason in its headers, and the consumer goes on. An unreachable database
is not the message's fault: the consumer waits and retries the same message, never dead-letters it.
A watchdog restarts a consumer that stops polling (aiokafka #1154).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import OffsetAndMetadata
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.events import REGISTRY, Envelope, EventPayload, load_contracts
from shared.kafka import make_producer, stop_quietly
from shared.logging import get_logger
from shared.metrics import CONSUMER_LAG, CONSUMER_LAST_POLL_AGE, EVENTS_CONSUMED, EVENTS_DEAD_LETTERED
from shared.uow import Actor, UnitOfWork

log = get_logger(__name__)

Handler = Callable[[Envelope, EventPayload, UnitOfWork], Awaitable[None]]
BulkHandler = Callable[[list[tuple[Envelope, EventPayload]], UnitOfWork], Awaitable[None]]

_CLAIM_INBOX = text(
    "INSERT INTO inbox (consumer, event_id, event_type) VALUES (:consumer, CAST(:event_id AS uuid), :event_type)"
    " ON CONFLICT DO NOTHING RETURNING 1"
)
# A batch's inbox rows in one statement; RETURNING names the ids that were not there yet (an id
# twice in one batch is claimed once).
_CLAIM_INBOX_MANY = text(
    "INSERT INTO inbox (consumer, event_id, event_type)"
    " SELECT :consumer, e, t FROM unnest(CAST(:event_ids AS uuid[]), CAST(:event_types AS text[])) AS u(e, t)"
    " ON CONFLICT DO NOTHING RETURNING event_id::text"
)


@dataclass
class ConsumerSpec:
    """A consumer group of a service: the topics it reads and a handler per event type."""

    name: str
    handlers: dict[str, Handler]
    topics: list[str] = field(default_factory=list)
    # Apply each fetched batch of a partition in ONE transaction (each event still claimed in the
    # inbox, so still applied once) instead of one per event: for handlers that touch nothing but
    # the database. Should a handler fail, the batch is rolled back and applied one event per
    # transaction, with the usual retries and dead-lettering.
    batch: bool = False
    # In batch mode, a run of consecutive events of one type goes to its bulk handler in one call
    # (e.g. one pipelined executemany instead of a round trip per event). It must have the effect of
    # the type's handler applied to each event in order.
    bulk_handlers: dict[str, BulkHandler] = field(default_factory=dict)

    def __post_init__(self) -> None:
        load_contracts()
        if not self.topics:
            self.topics = sorted({REGISTRY[t].topic for t in self.handlers})


class PoisonMessage(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def _is_infrastructure(exc: BaseException) -> bool:
    if isinstance(exc, (OperationalError, OSError, ConnectionError, asyncio.TimeoutError)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    name = type(getattr(exc, "orig", exc)).__name__
    return any(word in name for word in ("Connection", "CannotConnect", "InterfaceError", "TooManyConnections"))


class EventConsumer:
    """Consumes a spec's topics into the service's database until cancelled."""

    def __init__(
        self,
        spec: ConsumerSpec,
        *,
        service: str,
        bootstrap: str,
        session_factory: async_sessionmaker[AsyncSession],
        dead_letter_topic: str,
        fetch_max_wait_ms: int = 5,
        idle_fetch_max_wait_ms: int = 0,
        idle_after_s: float = 10.0,
        max_attempts: int = 3,
        watchdog_timeout: float = 60.0,
    ) -> None:
        self.spec = spec
        self.service = service
        self.bootstrap = bootstrap
        self.session_factory = session_factory
        self.dead_letter_topic = dead_letter_topic
        self.fetch_max_wait_ms = fetch_max_wait_ms
        # After `idle_after_s` without a record, fetches wait up to `idle_fetch_max_wait_ms` (0: never
        # longer than `fetch_max_wait_ms`); the first record back brings the short wait back (`_pace`).
        self.idle_fetch_max_wait_ms = idle_fetch_max_wait_ms
        self.idle_after_s = idle_after_s
        self.fetch_wait_ms: int | None = None  # the wait aiokafka's fetcher puts in its fetches now
        self.max_attempts = max_attempts
        self.watchdog_timeout = watchdog_timeout
        self.assigned = asyncio.Event()
        self.last_poll = time.monotonic()
        self.lag: dict[tuple[str, int], int] = {}  # per partition, as in the CONSUMER_LAG gauge
        self._producer = None

    @property
    def backlog(self) -> int:
        """Messages not consumed yet, over the partitions (the sum of this consumer's lag gauges)."""
        return sum(self.lag.values())

    @property
    def group_id(self) -> str:
        return f"{self.service}.{self.spec.name}"

    async def run(self) -> None:
        """Consume with a watchdog; restart after broker outages or a stuck poll."""
        backoff = 0.5
        while True:
            worker = asyncio.create_task(self._consume(), name=f"consumer:{self.group_id}")
            try:
                while not worker.done():
                    await asyncio.wait({worker}, timeout=5)
                    age = time.monotonic() - self.last_poll
                    CONSUMER_LAST_POLL_AGE.labels(self.service, self.spec.name).set(age)
                    if age > self.watchdog_timeout and not worker.done():
                        log.warning("consumer stuck; restarting", consumer=self.group_id, since=round(age))
                        worker.cancel()
                if not worker.cancelled() and worker.exception() is not None:
                    raise worker.exception()  # type: ignore[misc]
            except asyncio.CancelledError:
                worker.cancel()
                with contextlib.suppress(BaseException):
                    await worker
                raise
            except Exception as exc:  # noqa: BLE001 - restart on any failure
                log.warning("consumer failed; restarting", consumer=self.group_id, error=repr(exc), retry_in=backoff)
            self.assigned.clear()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 10)

    async def _consume(self) -> None:
        consumer = AIOKafkaConsumer(
            *self.spec.topics,
            bootstrap_servers=self.bootstrap,
            group_id=self.group_id,
            client_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=self.fetch_max_wait_ms,
            max_poll_records=500,
            # A member killed without leaving the group blocks rebalances until its session
            # expires: keep sessions short so a restarted consumer is back within seconds.
            session_timeout_ms=10_000,
            heartbeat_interval_ms=2_000,
            rebalance_timeout_ms=20_000,
            max_poll_interval_ms=120_000,
        )
        self.last_poll = time.monotonic()
        try:
            await asyncio.wait_for(consumer.start(), 60)
        except BaseException:
            await stop_quietly(consumer)
            raise
        commit: asyncio.Task[None] | None = None
        last_record = time.monotonic()
        try:
            while True:
                batches = await consumer.getmany(timeout_ms=500, max_records=500)
                self.last_poll = time.monotonic()
                if batches:
                    last_record = self.last_poll
                self._pace(consumer, idle=self.last_poll - last_record > self.idle_after_s)
                if consumer.assignment():
                    self.assigned.set()
                if self.spec.batch:
                    if batches:
                        # every partition's messages in one transaction (each partition's in its order),
                        # then one offset commit: a few round trips per poll, not per message
                        await self._handle_batch([m for messages in batches.values() for m in messages])
                        # committed while the next batch is fetched and applied (one commit in
                        # flight, in order): the effects are committed already, the inbox absorbs a
                        # redelivery should this commit be lost
                        if commit is not None:
                            await commit
                        commit = asyncio.create_task(self._commit(
                            consumer, {tp: OffsetAndMetadata(messages[-1].offset + 1, "")
                                       for tp, messages in batches.items()}))
                else:
                    for tp, messages in batches.items():
                        for message in messages:
                            await self._handle_with_retry(message)
                            self.last_poll = time.monotonic()
                        await self._commit(consumer, {tp: OffsetAndMetadata(messages[-1].offset + 1, "")})
                for tp in consumer.assignment():
                    highwater = consumer.highwater(tp)
                    if highwater is not None:
                        lag = max(highwater - await consumer.position(tp), 0)
                        CONSUMER_LAG.labels(self.service, self.spec.name, tp.topic, str(tp.partition)).set(lag)
                        self.lag[(tp.topic, tp.partition)] = lag
        finally:
            if commit is not None:
                with contextlib.suppress(BaseException):
                    await asyncio.wait_for(commit, 5)
            await stop_quietly(consumer)
            if self._producer is not None:
                await stop_quietly(self._producer)
                self._producer = None

    def _pace(self, consumer: AIOKafkaConsumer, *, idle: bool) -> None:
        """The longest wait of the consumer's next fetches: `fetch_max_wait_ms` while records come, the idle
        wait once none came for `idle_after_s`.

        Why (issue 9): the test broker (Tansu) does not answer a waiting fetch when records arrive; it
        answers when the wait is over. So the wait bounds the lag (hence a short one), and every idle
        consumer asked 50 times a second at 20 ms: four idle consumers cost the broker and themselves
        about a fifth of a core (measured on a fresh broker: 24% of one core at 20 ms, 7% at 100 ms), on
        a 2-core machine where the services need it. An idle consumer now asks every
        `idle_fetch_max_wait_ms`: its first record after a quiet spell can wait that long, the next ones
        do not. (Apache Kafka answers a waiting fetch as soon as records arrive: there the longer wait
        costs no lag.) aiokafka reads the wait from its fetcher for every fetch it builds; there is no
        public setter, so it is set there.
        """
        wait = self.idle_fetch_max_wait_ms if idle and self.idle_fetch_max_wait_ms else self.fetch_max_wait_ms
        fetcher = getattr(consumer, "_fetcher", None)
        if fetcher is not None and getattr(fetcher, "_fetch_max_wait_ms", wait) != wait:
            fetcher._fetch_max_wait_ms = wait
        self.fetch_wait_ms = getattr(fetcher, "_fetch_max_wait_ms", None)

    @staticmethod
    async def _commit(consumer: AIOKafkaConsumer, offsets: dict) -> None:  # type: ignore[type-arg]
        try:
            await consumer.commit(offsets)
        except Exception as exc:  # noqa: BLE001 - redelivery is absorbed by the inbox
            log.info("offset commit failed; will be redelivered", error=repr(exc))

    async def _handle_with_retry(self, message) -> None:  # type: ignore[no-untyped-def]
        attempt = 0
        while True:
            try:
                outcome = await self.handle(message.value, dict(message.headers or ()))
                EVENTS_CONSUMED.labels(self.service, self.spec.name, outcome).inc()
                return
            except PoisonMessage as exc:
                await self._dead_letter(message, exc.reason, str(exc))
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                if _is_infrastructure(exc):
                    log.warning("database unavailable; retrying message", consumer=self.group_id, error=repr(exc))
                    await asyncio.sleep(1.0)
                    continue
                attempt += 1
                if attempt >= self.max_attempts:
                    await self._dead_letter(message, "handler-failed", repr(exc))
                    return
                await asyncio.sleep(0.2 * 2**attempt)

    async def _handle_batch(self, messages: list) -> None:  # type: ignore[type-arg]
        """A partition's fetched messages in one transaction; poison ones dead-lettered after it commits."""
        while True:
            try:
                outcomes = await self.handle_many([m.value for m in messages])
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                if _is_infrastructure(exc):
                    log.warning("database unavailable; retrying batch", consumer=self.group_id, error=repr(exc))
                    await asyncio.sleep(1.0)
                    continue
                # nothing of the batch was committed: one transaction per message, as without batching
                log.info("batch failed; applying its messages one by one", consumer=self.group_id, error=repr(exc))
                for message in messages:
                    await self._handle_with_retry(message)
                    self.last_poll = time.monotonic()
                return
        for message, outcome in zip(messages, outcomes):
            if isinstance(outcome, PoisonMessage):
                await self._dead_letter(message, outcome.reason, str(outcome))
            else:
                EVENTS_CONSUMED.labels(self.service, self.spec.name, outcome).inc()
        self.last_poll = time.monotonic()

    def _parse(self, raw: bytes) -> tuple[Envelope, Handler | None, EventPayload | None]:
        """The envelope, its handler (None: not ours) and its validated data. Raises PoisonMessage."""
        try:
            envelope = Envelope.from_bytes(raw)
        except (ValueError, ValidationError) as exc:
            raise PoisonMessage("unparseable", f"not a CloudEvents JSON envelope: {exc}") from exc
        spec = REGISTRY.get(envelope.type)
        if spec is None:
            raise PoisonMessage("unknown-type", f"unknown event type {envelope.type!r}")
        handler = self.spec.handlers.get(envelope.type)
        if handler is None:
            return envelope, None, None
        try:
            data = spec.payload.model_validate(envelope.data)
        except ValidationError as exc:
            raise PoisonMessage("invalid-payload", f"{envelope.type} data does not match its contract: {exc}") from exc
        return envelope, handler, data

    @staticmethod
    def _actor(envelope: Envelope) -> Actor:
        return Actor(sub=f"event:{envelope.source}", roles=("sistem",), request_id=envelope.requestid)

    async def handle_many(self, raws: list[bytes]) -> list[str | PoisonMessage]:
        """Apply messages in ONE transaction, in order, each claimed in the inbox; per message
        'applied', 'duplicate', 'ignored' or the PoisonMessage it is (not applied, to dead-letter).
        Raises when a handler fails: then nothing was committed."""
        outcomes: list[str | PoisonMessage] = ["ignored"] * len(raws)
        todo = []
        for i, raw in enumerate(raws):
            try:
                envelope, handler, data = self._parse(raw)
            except PoisonMessage as exc:
                outcomes[i] = exc
                continue
            if handler is not None:
                todo.append((i, str(uuid.UUID(envelope.id)), envelope, handler, data))
        if not todo:
            return outcomes
        async with UnitOfWork(self.session_factory, source=self.service) as uow:
            claimed = await uow.session.execute(_CLAIM_INBOX_MANY, {
                "consumer": self.spec.name, "event_ids": [t[1] for t in todo],
                "event_types": [t[2].type for t in todo]})
            fresh = {row[0] for row in claimed}
            run: list[tuple[Envelope, EventPayload]] = []  # consecutive events for one bulk handler
            for i, event_id, envelope, handler, data in todo:
                if event_id not in fresh:
                    outcomes[i] = "duplicate"
                    continue
                fresh.discard(event_id)  # a second copy in the same batch is a duplicate
                outcomes[i] = "applied"
                if run and run[0][0].type != envelope.type:
                    await self.spec.bulk_handlers[run[0][0].type](run, uow)
                    run = []
                if envelope.type in self.spec.bulk_handlers:
                    run.append((envelope, data))
                    continue
                uow.actor = self._actor(envelope)
                await handler(envelope, data, uow)
            if run:
                await self.spec.bulk_handlers[run[0][0].type](run, uow)
            await uow.commit()
        return outcomes

    async def handle(self, raw: bytes, headers: dict[str, bytes] | None = None) -> str:
        """Apply one message; returns 'applied', 'duplicate' or 'ignored'. Raises PoisonMessage."""
        envelope, handler, data = self._parse(raw)
        if handler is None:
            return "ignored"
        actor = self._actor(envelope)
        async with UnitOfWork(self.session_factory, source=self.service, actor=actor) as uow:
            claimed = await uow.session.execute(
                _CLAIM_INBOX, {"consumer": self.spec.name, "event_id": envelope.id, "event_type": envelope.type}
            )
            if claimed.first() is None:
                return "duplicate"
            await handler(envelope, data, uow)
            await uow.commit()
        return "applied"

    async def _dead_letter(self, message, reason: str, detail: str) -> None:  # type: ignore[no-untyped-def]
        log.error("event dead-lettered", consumer=self.group_id, reason=reason, detail=detail[:300],
                  topic=message.topic, offset=message.offset)
        headers = list(message.headers or ()) + [
            ("dlq_reason", reason.encode()),
            ("dlq_detail", detail[:1000].encode()),
            ("dlq_consumer", self.group_id.encode()),
            ("dlq_original_topic", message.topic.encode()),
            ("dlq_original_partition", str(message.partition).encode()),
            ("dlq_original_offset", str(message.offset).encode()),
        ]
        while True:
            try:
                if self._producer is None:
                    self._producer = make_producer(self.bootstrap, client_id=f"{self.group_id}-dlq")
                    await asyncio.wait_for(self._producer.start(), 10)
                await asyncio.wait_for(
                    self._producer.send_and_wait(self.dead_letter_topic, value=message.value, key=message.key,
                                                 headers=headers),
                    10,
                )
                EVENTS_DEAD_LETTERED.labels(self.service, self.spec.name, reason).inc()
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - never drop a message: keep trying
                log.warning("dead-letter publish failed; retrying", error=repr(exc))
                if self._producer is not None:
                    await stop_quietly(self._producer)
                    self._producer = None
                await asyncio.sleep(1.0)
