"""Fill pelaporan's read models for the annual report: a year of events through pelaporan's own consumers,
then scaled up in SQL.

Step 1 (`python -m bench.report_load --url ... --events N --year Y`, a process of its own): generate a
year of lifecycles (bench/events_gen.py) restricted to the event types pelaporan's CONSUMERS handle and
apply each through `EventConsumer.handle()` (inbox + handler in one transaction, exactly as from the
broker), with 4 workers partitioned by aggregate so each aggregate's events stay in order.

Step 2 (`clone()`, called by the harness): copy every read-model table k times in SQL (INSERT ... SELECT,
PostgreSQL's fastest bulk path, no Python per row), rewriting the first 8 hex digits of every UUID-shaped
value with the copy number, so keys stay unique and references between tables stay consistent. A table
keyed by something else (e.g. counters per month) keeps its rows (ON CONFLICT DO NOTHING): that is the
"maintained incrementally" case of the issue. The state after k copies is the state N*k events leave.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import zlib

import asyncpg

from bench.aio import arun

SKIP_TABLES = {"outbox", "inbox", "idempotency_keys", "riwayat", "alembic_version"}
SNAPSHOT = "bench_orig_"


async def apply_events(url: str, events: int, year: int, workers: int = 4) -> dict:
    from shared.consumer import EventConsumer, PoisonMessage
    from shared.db import make_engine, make_session_factory
    from services.pelaporan.consumers import CONSUMERS
    from bench.events_gen import Generator

    handled = {t for spec in CONSUMERS for t in spec.handlers}
    engine = make_engine(url, pool_size=workers)
    factory = make_session_factory(engine)
    consumers = [EventConsumer(spec, service="pelaporan", bootstrap="127.0.0.1:9", session_factory=factory,
                               dead_letter_topic="pelaporan.dlq") for spec in CONSUMERS]
    t_gen = time.perf_counter()
    stream = Generator(year).generate(events, handled)
    generated = time.perf_counter() - t_gen
    outcomes: dict[str, int] = {}
    queues: list[list] = [[] for _ in range(workers)]
    for envelope in stream:
        queues[zlib.crc32(envelope.aggregateid.encode()) % workers].append(envelope)

    async def work(queue: list) -> None:
        for envelope in queue:
            raw = envelope.to_bytes()
            for consumer in consumers:
                if envelope.type not in consumer.spec.handlers:
                    continue
                try:
                    outcome = await consumer.handle(raw)
                except PoisonMessage as exc:
                    outcome = f"poison:{exc.reason}"
                outcomes[outcome] = outcomes.get(outcome, 0) + 1

    t0 = time.perf_counter()
    try:
        await asyncio.gather(*(work(q) for q in queues))
    finally:
        await engine.dispose()
    elapsed = time.perf_counter() - t0
    types: dict[str, int] = {}
    for envelope in stream:
        types[envelope.type] = types.get(envelope.type, 0) + 1
    return {"events": len(stream), "handled_types": sorted(handled), "types": types, "outcomes": outcomes,
            "seconds": elapsed, "rate": len(stream) / elapsed if elapsed else 0.0, "generate_s": generated}


async def _tables(conn: asyncpg.Connection) -> list[str]:
    rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    names = [r["tablename"] for r in rows if r["tablename"] not in SKIP_TABLES
             and not r["tablename"].startswith(SNAPSHOT)]
    # parents before children (foreign keys)
    edges = await conn.fetch(
        "SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent "
        "FROM pg_constraint c WHERE c.contype = 'f'")
    parents = {n: {e["parent"] for e in edges if e["child"] == n and e["parent"] != n} for n in names}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and parents[n] <= set(ordered) | (set(parents[n]) - set(names))]
        if not ready:
            ordered += [n for n in names if n not in ordered]
            break
        ordered += sorted(ready)
    return ordered


async def snapshot(dsn: str) -> dict[str, int]:
    """Keep a copy of the read models as the consumers left them: the originals every clone is made of."""
    conn = await asyncpg.connect(dsn)
    try:
        counts = {}
        for table in await _tables(conn):
            await conn.execute(f'DROP TABLE IF EXISTS "{SNAPSHOT}{table}"')
            await conn.execute(f'CREATE TABLE "{SNAPSHOT}{table}" AS SELECT * FROM "{table}"')
            counts[table] = await conn.fetchval(f'SELECT count(*) FROM "{table}"')
        return counts
    finally:
        await conn.close()


async def clone(dsn: str, first: int, last: int, timeout: float = 900) -> dict[str, int]:
    """Add copies number first..last of the snapshot; returns the row count of each table after."""
    conn = await asyncpg.connect(dsn, command_timeout=timeout)
    try:
        tables = await _tables(conn)
        for table in tables:
            cols = await conn.fetch(
                "SELECT column_name, data_type, column_default, is_identity, is_generated "
                "FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 "
                "ORDER BY ordinal_position", table)
            names, exprs = [], []
            for c in cols:
                name, kind = c["column_name"], c["data_type"]
                if c["is_identity"] == "YES" or c["is_generated"] == "ALWAYS" or \
                        (c["column_default"] or "").startswith("nextval("):
                    continue
                q = f'"{name}"'
                if kind == "uuid":
                    expr = f"(lpad(to_hex(k), 8, '0') || substr({q}::text, 9))::uuid"
                elif kind in ("text", "character varying"):
                    expr = (f"CASE WHEN {q} ~ '^[0-9a-f]{{8}}-[0-9a-f]{{4}}-' THEN lpad(to_hex(k), 8, '0') || "
                            f"substr({q}, 9) ELSE {q} END")
                else:
                    expr = q
                names.append(q)
                exprs.append(expr)
            if not names:
                continue
            await conn.execute(
                f'INSERT INTO "{table}" ({", ".join(names)}) SELECT {", ".join(exprs)} '
                f'FROM "{SNAPSHOT}{table}", generate_series($1::int, $2::int) AS k ON CONFLICT DO NOTHING',
                first, last)
        counts = {}
        for table in tables:
            await conn.execute(f'ANALYZE "{table}"')
            counts[table] = await conn.fetchval(f'SELECT count(*) FROM "{table}"')
        return counts
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of the pelaporan database to fill")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    print("BENCH_JSON " + json.dumps(arun(apply_events(args.url, args.events, args.year, args.workers))), flush=True)


if __name__ == "__main__":
    main()
