"""Broker plumbing: producer factory, topic creation and a cached readiness probe.

Every call that can hang while the broker is away (aiokafka #1101) is bounded by a timeout.
"""

from __future__ import annotations

import asyncio
import time

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

DEFAULT_PARTITIONS = 3


def make_producer(bootstrap: str, *, idempotent: bool = False, client_id: str = "ukpbj") -> AIOKafkaProducer:
    """acks=all; idempotence is configuration (Apache Kafka yes, the test broker no)."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=idempotent,
        # no waiting for more: the relay hands a whole batch over in one go (messages sent in one tick
        # still share a request), so a linger only added its 2 ms to every event's lag (issue 9)
        linger_ms=0,
        max_batch_size=256 * 1024,
        request_timeout_ms=10_000,
        retry_backoff_ms=200,
        metadata_max_age_ms=30_000,
    )


async def stop_quietly(client: object, timeout: float = 5.0) -> None:
    """Stop an aiokafka client without hanging when the broker is gone."""
    stop = getattr(client, "stop", None) or getattr(client, "close")
    try:
        await asyncio.wait_for(stop(), timeout)
    except Exception:  # noqa: BLE001 - best effort on shutdown
        pass


async def ensure_topics(bootstrap: str, topics: list[str], partitions: int = DEFAULT_PARTITIONS,
                        timeout: float = 20.0) -> None:
    """Create the topics that do not exist yet (auto-create would give the broker's default count)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await asyncio.wait_for(admin.start(), timeout)
    try:
        existing = set(await asyncio.wait_for(admin.list_topics(), timeout))
        missing = [t for t in topics if t not in existing]
        if missing:
            try:
                await asyncio.wait_for(
                    admin.create_topics([NewTopic(t, partitions, 1) for t in missing]), timeout
                )
            except TopicAlreadyExistsError:
                pass
    finally:
        await stop_quietly(admin)


class BrokerProbe:
    """Answers 'is the broker reachable?' by a metadata request, cached for `ttl` seconds."""

    def __init__(self, bootstrap: str, *, ttl: float = 2.0, timeout: float = 2.0) -> None:
        self.bootstrap = bootstrap
        self.ttl = ttl
        self.timeout = timeout
        self._checked_at = 0.0
        self._ok = False
        self._lock = asyncio.Lock()

    async def ready(self) -> bool:
        if time.monotonic() - self._checked_at < self.ttl:
            return self._ok
        async with self._lock:
            if time.monotonic() - self._checked_at >= self.ttl:
                self._ok = await self._check()
                self._checked_at = time.monotonic()
        return self._ok

    async def _check(self) -> bool:
        host, _, port = self.bootstrap.split(",")[0].rpartition(":")
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), self.timeout)
        except (OSError, asyncio.TimeoutError, ValueError):
            return False
        try:
            # ApiVersions v0 request: a real Kafka answer, not just an open port.
            header = (18).to_bytes(2, "big") + (0).to_bytes(2, "big") + (1).to_bytes(4, "big") + (-1).to_bytes(2, "big", signed=True)
            writer.write(len(header).to_bytes(4, "big") + header)
            await writer.drain()
            size = int.from_bytes(await asyncio.wait_for(reader.readexactly(4), self.timeout), "big")
            body = await asyncio.wait_for(reader.readexactly(size), self.timeout)
            return int.from_bytes(body[:4], "big") == 1 and int.from_bytes(body[4:6], "big", signed=True) == 0
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
            return False
        finally:
            writer.close()
