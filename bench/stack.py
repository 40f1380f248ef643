"""The system under test, started by the harness on free loopback ports in a temporary directory.

Reuses the dev runner's parts (shared.devstack, shared.devrunner, shared.migrations, shared.kafka):
embedded PostgreSQL, Tansu, every migration, the topics, and the four services started with the very
`ukpbj serve <svc>` command the containers use (one uvicorn worker each). Plus the baseline app on a
database of its own. Everything is stopped by `stop()`, by pid.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from shared.cli import SERVICES
from shared.devrunner import all_topics, database_name, service_env
from shared.devstack import EmbeddedPostgres, TansuBroker, free_port
from shared.kafka import ensure_topics
from shared.migrations import upgrade

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
BENCH_TOPICS = ["bench.produce.v1", "bench.relay.v1"]
BASELINE_DB = "bench_baseline"
RELAY_DB = "bench_relay"
REPORT_DB = "bench_report"


@dataclass
class Proc:
    name: str
    port: int | None
    popen: subprocess.Popen[bytes]
    log: Path
    error: str | None = None

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def wait_http(port: int, path: str, timeout: float, proc: Proc | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and not proc.alive():
            return False
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@dataclass
class BenchStack:
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="ukpbj-bench-")))
    keep: bool = False
    pg: EmbeddedPostgres | None = None
    broker: TansuBroker | None = None
    services: dict[str, Proc] = field(default_factory=dict)
    extra: list[Proc] = field(default_factory=list)
    baseline: Proc | None = None

    # ------------------------------------------------------------------ infrastructure

    def start_infra(self) -> None:
        self.pg = EmbeddedPostgres(self.workdir / "pg", temporary=not self.keep).start()
        self.broker = TansuBroker(log_path=self.workdir / "broker.log").start()
        asyncio.run(self._prepare())

    async def _prepare(self) -> None:
        assert self.pg is not None
        await self.pg.create_databases([database_name(s) for s in SERVICES] + [BASELINE_DB, RELAY_DB])
        await self._broker_ready()

    def restart_broker(self) -> None:
        """Tansu again, empty, on the same port; the services reconnect by themselves (their consumers rejoin
        and start from the earliest offset of the empty topics, the relay retries what failed meanwhile).

        Why (the e2e case): Tansu's memory storage walks a partition's record batches on every fetch, so the
        time from a produce to a consumer's fetch grows with the batches already stored: 4.0, 11.3, 18.3 and
        30.9 ms (p50) with 0, 10k, 20k and 30k single-message batches in one partition (issue 9;
        `python -m bench.broker_scan` measures it again). Apache Kafka finds an offset through its index.
        Call only when every event was consumed (`settle()`)."""
        assert self.broker is not None
        self.broker.stop()
        self.broker.start()
        asyncio.run(self._broker_ready())

    async def _broker_ready(self) -> None:
        """The broker answers and has every topic, with the platform's partition count."""
        assert self.broker is not None
        await self.broker.wait_ready()
        await ensure_topics(self.broker.bootstrap, all_topics() + BENCH_TOPICS)

    def migrate(self) -> dict[str, str]:
        """Run every service's migrations; returns {service: error} for those that failed."""
        failed = {}
        for service in SERVICES:
            try:
                upgrade(service, self.url(service))
            except Exception as exc:  # noqa: BLE001 - a service mid-edit must not stop the others
                failed[service] = f"migration failed: {exc!r}"[:300]
        return failed

    def url(self, service: str) -> str:
        assert self.pg is not None
        return self.pg.url(database_name(service))

    def dsn(self, database: str) -> str:
        assert self.pg is not None
        return self.pg.dsn(database)

    def service_dsn(self, service: str) -> str:
        return self.dsn(database_name(service))

    @property
    def bootstrap(self) -> str:
        assert self.broker is not None
        return self.broker.bootstrap

    # ------------------------------------------------------------------ processes

    def spawn(self, name: str, argv: list[str], env: dict[str, str], port: int | None = None) -> Proc:
        log = self.workdir / f"{name}.log"
        out = open(log, "ab")
        popen = subprocess.Popen(argv, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, cwd=ROOT, start_new_session=True)
        out.close()
        return Proc(name, port, popen, log)

    def service_env(self, service: str, database: str | None = None) -> dict[str, str]:
        assert self.pg is not None
        env = service_env(service, self.pg, self.bootstrap, self.workdir)
        if database is not None:
            env[f"{SERVICES[service].env_prefix}DATABASE_URL"] = self.pg.url(database)
        env["UKPBJ_ENV"] = "development"
        env["UKPBJ_RATE_LIMIT_PUBLIC_PER_MINUTE"] = "100000000"  # the load generator is one client
        return env

    def start_service(self, service: str, *, name: str | None = None, database: str | None = None,
                      extra_env: dict[str, str] | None = None) -> Proc:
        port = free_port()
        argv = [str(BIN / "ukpbj"), "serve", service, "--host", "127.0.0.1", "--port", str(port)]
        env = {**self.service_env(service, database), **(extra_env or {})}
        return self.spawn(name or service, argv, env, port)

    def start_services(self, skip: dict[str, str], timeout: float = 90.0) -> dict[str, str]:
        """Start every service not in `skip`; returns {service: why it is unavailable}."""
        failed = dict(skip)
        for service in SERVICES:
            if service not in failed:
                self.services[service] = self.start_service(service)
        for service, proc in self.services.items():
            if not wait_http(proc.port, "/health/ready", timeout, proc):  # type: ignore[arg-type]
                failed[service] = "did not become ready: " + proc.log_tail(6).replace("\n", " | ")[-400:]
                proc.error = failed[service]
        return failed

    def start_baseline(self, timeout: float = 60.0) -> Proc:
        port = free_port()
        argv = [str(BIN / "python"), "-m", "uvicorn", "bench.baselines:app", "--host", "127.0.0.1", "--port",
                str(port), "--workers", "1", "--loop", "uvloop", "--http", "httptools", "--no-access-log",
                "--log-level", "warning"]
        self.baseline = self.spawn("baseline", argv, {"BENCH_BASELINE_DSN": self.dsn(BASELINE_DB)}, port)
        if not wait_http(port, "/health/ready", timeout, self.baseline):
            raise RuntimeError("baseline app did not start:\n" + self.baseline.log_tail())
        return self.baseline

    def stop_proc(self, proc: Proc, timeout: float = 20.0) -> None:
        if proc.alive():
            proc.popen.send_signal(signal.SIGTERM)
            try:
                proc.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.popen.kill()
                proc.popen.wait(5)

    def stop(self) -> None:
        for proc in [*self.extra, *self.services.values(), *([self.baseline] if self.baseline else [])]:
            try:
                self.stop_proc(proc)
            except Exception:  # noqa: BLE001 - keep stopping the rest
                pass
        if self.broker is not None:
            self.broker.stop()
        if self.pg is not None:
            try:
                self.pg.stop()
            except Exception:  # noqa: BLE001
                pass
        if not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)

    # ------------------------------------------------------------------ database helpers

    async def sql(self, database: str, query: str, *args):  # type: ignore[no-untyped-def]
        conn = await asyncpg.connect(self.dsn(database))
        try:
            return await conn.fetch(query, *args)
        finally:
            await conn.close()

    async def backlogs(self) -> dict[str, int]:
        """Unpublished outbox rows per running service."""
        result = {}
        for service in self.services:
            try:
                rows = await self.sql(database_name(service),
                                      "SELECT count(*) AS n FROM outbox WHERE published_at IS NULL")
                result[service] = int(rows[0]["n"])
            except Exception:  # noqa: BLE001 - a service without tables yet
                result[service] = 0
        return result

    async def inbox_count(self, service: str = "pelaporan") -> int:
        try:
            rows = await self.sql(database_name(service), "SELECT count(*) AS n FROM inbox")
            return int(rows[0]["n"])
        except Exception:  # noqa: BLE001
            return 0

    async def open_transactions(self, service: str = "pelaporan") -> int:
        """Transactions in progress on the service's database (other than this query's own)."""
        try:
            rows = await self.sql(database_name(service), (
                "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND backend_type = 'client backend'"))
            return int(rows[0]["n"])
        except Exception:  # noqa: BLE001
            return 0

    async def settle(self, timeout: float = 180.0) -> bool:
        """Wait until every outbox is drained and pelaporan's consumers stopped applying events.

        The inbox count alone is not enough: a consumer's batch is one transaction, and its rows show
        only when it commits. A batch of 500 of pokja's formation events takes pelaporan about 4 s,
        and the inbox looked still for that long, so a case could start while pelaporan was still
        digesting the previous one. Hence also: no transaction open on pelaporan's database."""
        deadline = time.monotonic() + timeout
        last = -1
        while time.monotonic() < deadline:
            backlog = sum((await self.backlogs()).values())
            inbox = await self.inbox_count()
            if backlog == 0 and inbox == last and await self.open_transactions() == 0:
                return True
            last = inbox
            await asyncio.sleep(0.5)
        return False
