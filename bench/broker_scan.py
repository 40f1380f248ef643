"""The test broker's fetch against what it stores: why the e2e case restarts Tansu before each round.

    python -m bench.broker_scan [--stored 0,10000,20000,30000] [--probes 40]

Starts a Tansu of its own (memory storage, as `make run` and the harness use), one topic with one
partition and one consumer (20 ms fetch wait, as the services' consumers). It stores single-message
record batches (each produce awaited, as the relay's batches of one at a low rate), then times probes:
produce with acks=all until the consumer's fetch returns the probe. Prints p50 and max per size.
Tansu's memory storage walks the partition's batches on every fetch, so the time grows with them;
Apache Kafka finds an offset through its index (`BenchStack.restart_broker`).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from aiokafka import AIOKafkaConsumer

from bench.aio import arun
from shared.devstack import TansuBroker
from shared.kafka import ensure_topics, make_producer, stop_quietly

TOPIC = "bench.scan.v1"


async def run(sizes: list[int], probes: int) -> list[tuple[int, float, float]]:
    broker = TansuBroker().start()
    producer = consumer = None
    try:
        await broker.wait_ready()
        await ensure_topics(broker.bootstrap, [TOPIC], partitions=1)
        producer = make_producer(broker.bootstrap, client_id="scan")
        await producer.start()
        consumer = AIOKafkaConsumer(TOPIC, bootstrap_servers=broker.bootstrap, group_id="scan",
                                    auto_offset_reset="latest", fetch_max_wait_ms=20, enable_auto_commit=False)
        await consumer.start()
        await asyncio.sleep(1)
        stored, rows = 0, []
        for size in sizes:
            while stored < size:
                await (await producer.send(TOPIC, b"x" * 600))  # one batch each
                stored += 1
            while await consumer.getmany(timeout_ms=200):
                pass
            took = []
            for _ in range(probes):
                started = time.perf_counter()
                await (await producer.send(TOPIC, b"probe"))
                seen = False
                while not seen:
                    got = await consumer.getmany(timeout_ms=1000)
                    seen = any(m.value == b"probe" for messages in got.values() for m in messages)
                took.append((time.perf_counter() - started) * 1000)
                await asyncio.sleep(0.013)  # not in step with the fetch wait
            stored += probes
            rows.append((size, statistics.median(took), max(took)))
            print(f"{size:>8,} batches stored: produce -> consume p50 {rows[-1][1]:6.1f} ms, max {rows[-1][2]:6.1f} ms",
                  flush=True)
        return rows
    finally:
        for client in (consumer, producer):
            if client is not None:
                await stop_quietly(client)
        broker.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stored", default="0,10000,20000,30000", help="batch counts to measure at, ascending")
    parser.add_argument("--probes", type=int, default=40)
    args = parser.parse_args()
    arun(run([int(n) for n in args.stored.split(",")], args.probes))


if __name__ == "__main__":
    main()
