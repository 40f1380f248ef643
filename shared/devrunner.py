"""`ukpbj dev`: the whole system on one machine, no Docker.

Starts embedded PostgreSQL (one database per service, data kept in the data directory), the Tansu
broker on a free loopback port, runs every migration, creates the topics, starts the four services
with the same `ukpbj serve` command the containers use, and on Ctrl-C or SIGTERM stops services
first, then the broker, then the database.

The test broker keeps messages in memory only. So that no event is lost across a restart, the
runner re-queues the outbox rows still retained (7 days) on start: consumers dedupe by event id.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import asyncpg

from shared.cli import SERVICES, serve_command
from shared.devstack import EmbeddedPostgres, TansuBroker, free_port
from shared.events import dead_letter_topic, topics_of
from shared.kafka import ensure_topics
from shared.migrations import upgrade

CONSUMING_SERVICES = ("pokja", "pelaporan")


def database_name(service: str) -> str:
    return f"ukpbj_{service}"


def all_topics() -> list[str]:
    return topics_of() + [dead_letter_topic(s) for s in CONSUMING_SERVICES]


def service_env(service: str, pg: EmbeddedPostgres, bootstrap: str, data_dir: Path) -> dict[str, str]:
    prefix = SERVICES[service].env_prefix
    return {
        f"{prefix}DATABASE_URL": pg.url(database_name(service)),
        f"{prefix}STORAGE_DIR": str(data_dir / "berkas" / service),
        "UKPBJ_KAFKA_BOOTSTRAP": bootstrap,
        "UKPBJ_ENV": os.environ.get("UKPBJ_ENV", "development"),
    }


async def requeue_retained_outbox(pg: EmbeddedPostgres) -> int:
    """Publish again what a previous (memory-only) broker held; duplicates are absorbed."""
    total = 0
    for service in SERVICES:
        conn = await asyncpg.connect(pg.dsn(database_name(service)))
        try:
            result = await conn.execute("UPDATE outbox SET published_at = NULL, next_attempt_at = now() "
                                        "WHERE published_at IS NOT NULL")
            total += int(result.split()[-1])
        finally:
            await conn.close()
    return total


STACK_FILE = "stack.json"


def write_stack_file(data_dir: Path, envs: dict[str, dict[str, str]]) -> None:
    """Where the running dev stack's services find their data, for `ukpbj backup` and friends."""
    (data_dir / STACK_FILE).write_text(json.dumps(envs, indent=2))


def running_stack_env(data_dir: Path) -> dict[str, str]:
    """The environment of the running dev stack (empty when none runs)."""
    path = data_dir / STACK_FILE
    if not path.exists():
        return {}
    merged: dict[str, str] = {}
    for env in json.loads(path.read_text()).values():
        merged.update(env)
    return merged


def wait_ready(port: int, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def run_dev(data_dir: Path, host: str = "127.0.0.1") -> None:
    """Run until Ctrl-C or SIGTERM."""
    data_dir.mkdir(parents=True, exist_ok=True)
    stopping = False

    def request_stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    print(f"[ukpbj] data directory: {data_dir}", flush=True)
    pg = EmbeddedPostgres(data_dir / "postgres").start()
    broker = TansuBroker(int(os.environ.get("UKPBJ_KAFKA_PORT", 0)) or free_port(), log_path=data_dir / "broker.log")
    processes: list[subprocess.Popen[bytes]] = []
    try:
        asyncio.run(pg.create_databases([database_name(s) for s in SERVICES]))
        print("[ukpbj] PostgreSQL ready; running migrations", flush=True)
        for service in SERVICES:
            upgrade(service, pg.url(database_name(service)))
        broker.start_blocking()
        asyncio.run(ensure_topics(broker.bootstrap, all_topics()))
        print(f"[ukpbj] broker ready on {broker.bootstrap}; {len(all_topics())} topics", flush=True)
        requeued = asyncio.run(requeue_retained_outbox(pg))
        if requeued:
            print(f"[ukpbj] re-queued {requeued} retained events for the fresh broker", flush=True)
        ukpbj = str(Path(sys.executable).parent / "ukpbj")
        write_stack_file(data_dir, {s: service_env(s, pg, broker.bootstrap, data_dir) for s in SERVICES})
        for service, info in SERVICES.items():
            env = {**os.environ, **service_env(service, pg, broker.bootstrap, data_dir)}
            argv = [ukpbj, *serve_command(service, host=host, port=info.port)[1:]]
            processes.append(subprocess.Popen(argv, env=env))
        for service, info in SERVICES.items():
            if not wait_ready(info.port):
                print(f"[ukpbj] {service} did not become ready on port {info.port}", flush=True)
        print("\n[ukpbj] Sistem berjalan / system running:", flush=True)
        for service, info in SERVICES.items():
            print(f"  {service:<11} http://{host}:{info.port}/docs", flush=True)
        print("  Token: make token ROLE=verifikator  ·  Ctrl-C untuk berhenti / to stop\n", flush=True)
        while not stopping:
            for proc in processes:
                if proc.poll() is not None:
                    print(f"[ukpbj] a service exited with {proc.returncode}; stopping", flush=True)
                    stopping = True
            time.sleep(0.5)
    finally:
        print("[ukpbj] stopping services", flush=True)
        for proc in processes:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in processes:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        (data_dir / STACK_FILE).unlink(missing_ok=True)
        print("[ukpbj] stopping broker and database", flush=True)
        broker.stop()
        pg.stop()
        print("[ukpbj] stopped", flush=True)
