"""The outbox relay (shared.outbox.OutboxRelay, as every service runs it) in a process of its own,
started on a backlog and timed until the backlog is 0.

    python -m bench.relay_proc --dsn postgresql://... --bootstrap 127.0.0.1:P --expect 100000

Prints one JSON line: events published, seconds from the relay's start to an empty outbox, events/s,
CPU seconds of this process (the relay plus a cheap backlog probe every 50 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import time

import asyncpg

from bench.aio import arun
from shared.config import ServiceSettings
from shared.outbox import OutboxRelay

_BACKLOG = "SELECT count(*) FROM outbox WHERE published_at IS NULL"


async def run(args: argparse.Namespace) -> dict:
    batch = args.batch or ServiceSettings.model_fields["relay_batch_size"].default
    relay = OutboxRelay(service="bench-relay", dsn=args.dsn, bootstrap=args.bootstrap, batch_size=batch,
                        poll_interval=0.5)
    probe = await asyncpg.connect(args.dsn)
    try:
        before = await probe.fetchval(_BACKLOG)
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        task = asyncio.create_task(relay.run())
        left = before
        while time.perf_counter() - t0 < args.timeout:
            left = await probe.fetchval(_BACKLOG)
            if left == 0:
                break
            if task.done():
                break
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        task.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(task, 15)
    finally:
        await probe.close()
    published = before - left
    return {"backlog": before, "published": published, "left": left, "seconds": elapsed,
            "rate": published / elapsed if elapsed else 0.0, "cpu_s": cpu, "cpu_percent": 100 * cpu / elapsed,
            "batch_size": batch}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--batch", type=int, default=0, help="default: the services' relay_batch_size")
    args = parser.parse_args()
    print("BENCH_JSON " + json.dumps(arun(run(args))), flush=True)


if __name__ == "__main__":
    main()
