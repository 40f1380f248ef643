"""The four services as real processes (`ukpbj serve`, as in production), on their own databases and
broker, for the tests that look at the system from outside: Prometheus, the browser, fault injection."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from shared.cli import SERVICES, serve_command
from shared.devstack import EmbeddedPostgres, TansuBroker, free_port
from shared.devrunner import all_topics
from shared.kafka import ensure_topics
from shared.migrations import upgrade


class FullStack:
    def __init__(self, pg: EmbeddedPostgres, workdir: Path, prefix: str = "stack") -> None:
        self.pg = pg
        self.workdir = workdir
        self.prefix = prefix
        self.broker = TansuBroker(log_path=workdir / "broker.log")
        self.ports = {name: free_port() for name in SERVICES}
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def database(self, service: str) -> str:
        return f"{self.prefix}_{service}"

    def url(self, service: str) -> str:
        return self.pg.url(self.database(service))

    def base(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    async def prepare(self) -> None:
        await self.pg.create_databases([self.database(s) for s in SERVICES])
        for service in SERVICES:
            upgrade(service, self.url(service))
        self.broker.start()
        await self.broker.wait_ready()
        await ensure_topics(self.broker.bootstrap, all_topics())

    def env(self, service: str) -> dict[str, str]:
        prefix = SERVICES[service].env_prefix
        return {**os.environ, f"{prefix}DATABASE_URL": self.url(service),
                f"{prefix}STORAGE_DIR": str(self.workdir / "berkas" / service),
                "UKPBJ_KAFKA_BOOTSTRAP": self.broker.bootstrap, "UKPBJ_ENV": "development",
                "UKPBJ_RELAY_POLL_INTERVAL_S": "0.5", "UKPBJ_RATE_LIMIT_PUBLIC_PER_MINUTE": "1000000"}

    def start_service(self, service: str, **extra_env: str) -> None:
        argv = [str(Path(sys.executable).parent / "ukpbj"),
                *serve_command(service, host="127.0.0.1", port=self.ports[service])[1:]]
        log = open(self.workdir / f"{service}.log", "ab")
        self.procs[service] = subprocess.Popen(argv, env={**self.env(service), **extra_env}, stdout=log,
                                               stderr=subprocess.STDOUT, start_new_session=True)

    def start(self) -> None:
        for service in SERVICES:
            self.start_service(service)
        for service in SERVICES:
            self.wait_ready(service)

    def wait_ready(self, service: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            proc = self.procs[service]
            if proc.poll() is not None:
                raise RuntimeError(f"{service} exited with {proc.returncode}; see {self.workdir / service}.log")
            try:
                with urllib.request.urlopen(self.base(service) + "/health/ready", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"{service} not ready after {timeout}s")

    def kill(self, service: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs[service]
        if proc.poll() is None:
            os.killpg(proc.pid, sig)
            proc.wait(30)

    def stop(self) -> None:
        for service in list(self.procs):
            self.kill(service, signal.SIGTERM)
        self.broker.stop()
