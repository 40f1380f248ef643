"""Rebuild every read model of pelaporan from the beginning of the event history (issue point 7).

    python -m services.pelaporan.rebuild [--tahun 2025 2026]

1. computes the figures of the reference periods (each year's S1, S2 and annual report);
2. in ONE transaction, empties every read model (`rm_*`) and the inbox rows of pelaporan's
   consumers (frozen reports in `laporan_final` are never touched);
3. notes the end offset of every partition of every topic pelaporan consumes, then reads each topic
   from its beginning up to that offset with its own reader (no consumer group, so the service's
   own committed offsets are left alone) and applies each message through the very handlers and
   inbox the live consumers use (`EventConsumer.handle`);
4. computes the figures again and prints both, with whether they are the same.

Safe while the service runs: an event the live consumers apply during the rebuild is either at or
after the noted end offset (kept, never truncated) or also replayed here (absorbed by the inbox),
and read models only move forward by version. Requires the topics to retain the whole history
(on Apache Kafka: `retention.ms=-1` for the source topics; the development broker keeps messages
in memory only and the dev runner re-queues just the last 7 days of outbox rows on restart).

Entry point for `ukpbj rebuild pelaporan`: `services.pelaporan.rebuild.main(argv)`; the work itself
is `await rebuild(settings, tahun=[...])`, returning a `HasilRebuild`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import contextlib
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.config import load_settings
from shared.consumer import ConsumerSpec, EventConsumer, PoisonMessage
from shared.db import make_engine, make_session_factory
from shared.events import dead_letter_topic
from shared.kafka import stop_quietly
from shared.logging import configure_logging, get_logger
from shared.uow import now_utc
from services.pelaporan import repository as repo
from services.pelaporan.berkas import ringkasan_ke_dict
from services.pelaporan.config import Settings
from services.pelaporan.consumers import CONSUMERS
from services.pelaporan.models import READ_MODELS
from services.pelaporan.periode import WIB, Periode

log = get_logger(__name__)


@dataclass
class HasilRebuild:
    """What a rebuild did and the figures before and after it."""

    hitungan: Counter[str] = field(default_factory=Counter)  # applied / duplicate / ignored / poison / failed
    sebelum: dict[str, Any] = field(default_factory=dict)
    sesudah: dict[str, Any] = field(default_factory=dict)

    @property
    def sama(self) -> bool:
        return self.sebelum == self.sesudah

    def ke_dict(self) -> dict[str, Any]:
        beda = sorted(k for k in self.sesudah if self.sebelum.get(k) != self.sesudah[k])
        return {"event": dict(self.hitungan), "angka_sama": self.sama, "periode_berbeda": beda,
                "angka": self.sesudah}


def periode_acuan(tahun: list[int]) -> list[Periode]:
    return [p for t in tahun for p in (Periode.semesteran(t, 1), Periode.semesteran(t, 2), Periode.tahunan(t))]


async def angka(sessions: async_sessionmaker[AsyncSession], periode: list[Periode]) -> dict[str, Any]:
    """The aggregates of each period, without the as-of time, comparable across runs."""
    hasil = {}
    async with sessions() as session:
        await session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        for p in periode:
            data = ringkasan_ke_dict(await repo.ringkasan(session, p, now_utc()))
            assert data is not None
            data.pop("diambil_pada")
            hasil[p.kode] = data
    return hasil


async def kosongkan(sessions: async_sessionmaker[AsyncSession], specs: list[ConsumerSpec]) -> None:
    """Empty the read models and the inbox of `specs`' consumers in one transaction."""
    async with sessions() as session, session.begin():
        await session.execute(text(f"TRUNCATE {', '.join(READ_MODELS)}"))
        await session.execute(text("DELETE FROM inbox WHERE consumer = ANY(:nama)"),
                              {"nama": [s.name for s in specs]})


async def putar_ulang(spec: ConsumerSpec, *, settings: Settings, sessions: async_sessionmaker[AsyncSession],
                      hitungan: Counter[str], diam_maks: float = 60.0) -> None:
    """Apply every message of `spec`'s topics, from the beginning up to the end offsets noted now."""
    penerap = EventConsumer(spec, service=settings.service_name, bootstrap=settings.kafka_bootstrap,
                            session_factory=sessions, dead_letter_topic=dead_letter_topic(settings.service_name))
    pembaca = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=None, enable_auto_commit=False,
                               auto_offset_reset="earliest", client_id=f"{settings.service_name}-rebuild")
    await asyncio.wait_for(pembaca.start(), 30)
    try:
        await pembaca.topics()
        partisi = [TopicPartition(t, p) for t in spec.topics for p in sorted(pembaca.partitions_for_topic(t) or ())]
        if not partisi:
            return
        akhir = await pembaca.end_offsets(partisi)
        pembaca.assign(partisi)
        await pembaca.seek_to_beginning(*partisi)
        sisa = {tp for tp in partisi if await pembaca.position(tp) < akhir[tp]}
        terakhir_maju = time.monotonic()
        while sisa:
            batches = await pembaca.getmany(*sisa, timeout_ms=500, max_records=500)
            for tp, messages in batches.items():
                for message in messages:
                    if message.offset < akhir[tp]:
                        hitungan[await _terapkan(penerap, message)] += 1
                        if hitungan.total() % 10_000 == 0:
                            log.info("rebuild: progress", **hitungan)
                terakhir_maju = time.monotonic()
            for tp in list(sisa):
                if await pembaca.position(tp) >= akhir[tp]:
                    sisa.discard(tp)
            if sisa and time.monotonic() - terakhir_maju > diam_maks:
                raise TimeoutError(f"rebuild {spec.name}: no progress for {diam_maks:.0f}s on {sorted(map(str, sisa))}")
    finally:
        await stop_quietly(pembaca)


async def _terapkan(penerap: EventConsumer, message: Any) -> str:
    try:
        return await penerap.handle(message.value, dict(message.headers or ()))
    except PoisonMessage as exc:
        log.warning("rebuild: message skipped", reason=exc.reason, topic=message.topic, offset=message.offset)
        return "poison"
    except Exception as exc:  # noqa: BLE001 - counted and reported; the rebuild goes on
        log.error("rebuild: handler failed", error=repr(exc), topic=message.topic, offset=message.offset)
        return "failed"


async def rebuild(settings: Settings, *, tahun: list[int] | None = None,
                  specs: list[ConsumerSpec] | None = None) -> HasilRebuild:
    """Rebuild every read model from the event history and compare the figures before and after."""
    specs = specs or CONSUMERS
    periode = periode_acuan(tahun or _tahun_bawaan())
    engine = make_engine(settings.database_url, pool_size=len(specs) + 1,
                         statement_timeout_ms=max(settings.db_statement_timeout_ms, 300_000))
    sessions = make_session_factory(engine)
    hasil = HasilRebuild()
    try:
        hasil.sebelum = await angka(sessions, periode)
        await kosongkan(sessions, specs)
        await asyncio.gather(*(putar_ulang(s, settings=settings, sessions=sessions, hitungan=hasil.hitungan)
                               for s in specs))
        hasil.sesudah = await angka(sessions, periode)
    finally:
        await engine.dispose()
    return hasil


def _tahun_bawaan() -> list[int]:
    tahun = now_utc().astimezone(WIB).year
    return [tahun - 1, tahun]


def main(argv: list[str] | None = None) -> int:
    """CLI: rebuild, print the figures as JSON; exit 1 when a message could not be applied."""
    parser = argparse.ArgumentParser(prog="python -m services.pelaporan.rebuild",
                                     description="Bangun ulang model baca pelaporan dari awal riwayat event.")
    parser.add_argument("--tahun", type=int, nargs="+", help="tahun acuan angka (bawaan: tahun lalu dan tahun ini)")
    args = parser.parse_args(argv)
    settings = load_settings(Settings)
    configure_logging(settings.service_name, level=settings.log_level, json=settings.log_json)
    with contextlib.redirect_stdout(sys.stderr):  # log lines go to stderr: stdout carries only the JSON result
        hasil = asyncio.run(rebuild(settings, tahun=args.tahun))  # type: ignore[arg-type]
    print(json.dumps(hasil.ke_dict(), ensure_ascii=False, indent=2))
    return 1 if hasil.hitungan["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
