"""End-to-end lag: from a 2xx on a create to the change being visible through pelaporan's API.

Run by the harness as a process of its own (uvloop, a minimal HTTP client):

    python -m bench.e2e --create-port P --read-port Q --token T --rate 500 --duration 20

Creates are sent open-loop at a fixed rate (request i leaves at t0 + i/rate, whatever the previous
ones are doing); a poller reads pelaporan's indicator back to back (at most every 5 ms). The count
it returns is matched to the creates in the order of their 2xx: the k-th acknowledged create is
visible at the end of the first poll whose count reached baseline + k. lag = that time - its 2xx.
Lost = acknowledged creates never counted within the drain window. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import time

import orjson

from bench.aio import arun
from bench.httpmini import Pool
from bench.template import E2E_SEQ_BASE, render


def dig(data: object, path: str) -> int:
    for part in path.split("."):
        data = data[part]  # type: ignore[index]
    return int(data)  # type: ignore[arg-type]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


async def run(args: argparse.Namespace) -> dict:
    template = open(args.template).read()
    creates = Pool("127.0.0.1", args.create_port, args.connections)
    reads = Pool("127.0.0.1", args.read_port, 1)
    read_request = reads.build("GET", args.read_path, {"Authorization": f"Bearer {args.token}"})
    n = int(args.rate * args.duration)
    # every request built before the clock starts: the client's CPU is the machine's too
    create_requests = [creates.build("POST", args.create_path, {"Content-Type": "application/json"},
                                     render(template, args.seq_base + i).encode()) for i in range(n)]

    async def total() -> int:
        status, body = await reads.send(read_request, timeout=10)
        if status != 200:
            raise RuntimeError(f"GET {args.read_path} -> {status}: {body[:200]!r}")
        return dig(orjson.loads(body), args.total_path)

    base = await total()
    cpu0, wall0 = time.process_time(), time.perf_counter()  # the client's own CPU, from here to the drain's end
    acks: list[float] = []
    create_latency: list[float] = []
    failures: dict[str, int] = {}
    skipped = 0
    inflight = 0
    polls: list[tuple[float, int]] = []
    creating = True

    async def create(i: int) -> None:
        nonlocal inflight
        inflight += 1
        started = time.perf_counter()
        try:
            status, body = await creates.send(create_requests[i], timeout=30)
            if 200 <= status < 300:
                now = time.perf_counter()
                acks.append(now)
                create_latency.append(now - started)
            else:
                key = f"HTTP {status}"
                failures[key] = failures.get(key, 0) + 1
        except Exception as exc:  # noqa: BLE001 - counted, reported
            key = type(exc).__name__
            failures[key] = failures.get(key, 0) + 1
        finally:
            inflight -= 1

    async def poller() -> None:
        deadline = None
        while True:
            t_sent = time.perf_counter()
            count = await total()
            t_seen = time.perf_counter()
            polls.append((t_seen, count))
            if not creating:
                if deadline is None:
                    deadline = t_seen + args.drain
                if count - base >= len(acks) or t_seen > deadline:
                    return
            await asyncio.sleep(max(0.0, args.poll_interval - (t_seen - t_sent)))

    poll_task = asyncio.create_task(poller())
    tasks = set()
    t0 = time.perf_counter()
    for i in range(n):
        delay = t0 + i / args.rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if inflight >= args.max_inflight:
            skipped += 1
            continue
        task = asyncio.create_task(create(i))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    sent_for = time.perf_counter() - t0
    if tasks:
        await asyncio.wait(tasks, timeout=60)
    creating = False
    await asyncio.wait_for(poll_task, args.drain + 30)

    cpu_percent = 100 * (time.process_time() - cpu0) / (time.perf_counter() - wall0)
    # cumulative maximum: a count never goes back
    seen_at = [t for t, _ in polls]
    counts = []
    best = base
    for _, c in polls:
        best = max(best, c)
        counts.append(best)
    lags = []
    acks.sort()
    for k, t_ack in enumerate(acks, 1):
        j = bisect.bisect_left(counts, base + k)
        while j < len(polls) and seen_at[j] < t_ack:
            j += 1
        if j < len(polls):
            lags.append(max(0.0, seen_at[j] - t_ack) * 1000)
    final = counts[-1] if counts else base
    visible = final - base
    intervals = [b - a for (a, _), (b, _) in zip(polls, polls[1:])]
    return {
        "rate_target": args.rate, "sent": n - skipped, "skipped": skipped,
        "rate_achieved": (n - skipped) / sent_for if sent_for else 0.0,
        "acked": len(acks), "failed": failures, "visible": visible, "lost": max(0, len(acks) - visible),
        "lag_p50_ms": percentile(lags, 50), "lag_p99_ms": percentile(lags, 99), "lag_max_ms": max(lags, default=0.0),
        "create_p50_ms": percentile(create_latency, 50) * 1000, "create_p99_ms": percentile(create_latency, 99) * 1000,
        "cpu_percent": cpu_percent, "polls": len(polls), "poll_interval_ms": 1000 * sum(intervals) / len(intervals) if intervals else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--create-port", type=int, required=True)
    parser.add_argument("--create-path", default="/api/v1/pendaftaran")
    parser.add_argument("--template", required=True, help="file with the body template")
    parser.add_argument("--read-port", type=int, required=True)
    parser.add_argument("--read-path", default="/api/v1/indikator")
    parser.add_argument("--total-path", default="pendaftaran.total")
    parser.add_argument("--token", required=True)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--drain", type=float, default=30)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--max-inflight", type=int, default=256)
    parser.add_argument("--poll-interval", type=float, default=0.005)
    parser.add_argument("--seq-base", type=int, default=E2E_SEQ_BASE)
    args = parser.parse_args()
    result = arun(run(args))
    print("BENCH_JSON " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
