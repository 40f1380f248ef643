"""Baseline *raw produce*: aiokafka producing 1 KB messages with acks=all to the broker, as fast as it can.

    python -m bench.produce --bootstrap 127.0.0.1:P --topic bench.produce.v1 --duration 10

The producer is configured exactly as the outbox relay's (shared.kafka.make_producer: acks=all,
linger 2 ms) and is fed the same way: a batch of `send()`s, then wait for every acknowledgement.
Prints one JSON line: messages acknowledged per second, CPU seconds of this process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time

from bench.aio import arun
from shared.kafka import make_producer, stop_quietly


async def run(args: argparse.Namespace) -> dict:
    producer = make_producer(args.bootstrap, client_id="bench-produce")
    await asyncio.wait_for(producer.start(), 20)
    value = os.urandom(args.size // 2).hex().encode()[: args.size]
    acked = 0
    try:
        # warm-up: metadata and connections
        await asyncio.wait_for(producer.send_and_wait(args.topic, value=value, key=b"warm"), 20)
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        end = t0 + args.duration
        i = 0
        while time.perf_counter() < end:
            futures = []
            for _ in range(args.batch):
                i += 1
                futures.append(await producer.send(args.topic, value=value, key=str(i % 10_000).encode()))
            await asyncio.wait_for(asyncio.gather(*futures), 30)
            acked += len(futures)
        elapsed = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
    finally:
        await stop_quietly(producer)
    return {"messages": acked, "seconds": elapsed, "rate": acked / elapsed, "cpu_s": cpu,
            "cpu_percent": 100 * cpu / elapsed, "size": len(value), "batch": args.batch}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", default="bench.produce.v1")
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    print("BENCH_JSON " + json.dumps(arun(run(args))), flush=True)


if __name__ == "__main__":
    main()
