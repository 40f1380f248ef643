"""Alembic helpers: one migration tree per service, the platform tables created once from here.

`run_env(metadata)` is the whole of each service's `migrations/env.py`; `upgrade(service, url)`
runs that tree to head (in a thread of its own when called from a running event loop, since
the async env calls `asyncio.run`).
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from sqlalchemy import MetaData, pool

ROOT = Path(__file__).resolve().parent.parent

# A NOTIFY in every transaction that writes the outbox: created by each service's first migration,
# dropped by the next (issue 9). PostgreSQL serialises the commits of notifying transactions across
# the cluster; the unit of work now wakes the relay after its commit instead (shared.outbox).
OUTBOX_NOTIFY = [
    """
    CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_notify('outbox', ''); RETURN NULL; END $$""",
    """
    CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()""",
]
OUTBOX_NOTIFY_DROP = ["DROP TRIGGER IF EXISTS outbox_notify ON outbox", "DROP FUNCTION IF EXISTS outbox_notify()"]

PLATFORM_DDL = [
    # Outbox: events written with the state change; the relay publishes and marks them.
    """
    CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        event_type text NOT NULL,
        topic text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id text NOT NULL,
        aggregate_version integer NOT NULL,
        payload jsonb NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text
    )""",
    "CREATE INDEX ix_outbox_unpublished ON outbox (id) WHERE published_at IS NULL",
    "CREATE INDEX ix_outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL",
    # (the wake-up trigger of the first migrations, dropped again by the second: OUTBOX_NOTIFY below)
    *OUTBOX_NOTIFY,
    # Inbox: event ids a consumer has applied, written in the same transaction as the effect.
    """
    CREATE TABLE inbox (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
    )""",
    # Responses of creates made with an Idempotency-Key.
    """
    CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        status_code integer NOT NULL,
        location text,
        body text NOT NULL,  -- the first response, AES-GCM encrypted (it may hold a one-time token)
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
    )""",
    # History and audit log: append-only (a trigger refuses UPDATE and DELETE for every role).
    """
    CREATE TABLE riwayat (
        id bigserial PRIMARY KEY,
        waktu timestamptz NOT NULL DEFAULT now(),
        aggregate_type text NOT NULL,
        aggregate_id text NOT NULL,
        aksi text NOT NULL,
        aktor text NOT NULL,
        peran text,
        alamat_ip text,
        request_id text,
        perubahan jsonb NOT NULL DEFAULT '{}'::jsonb,
        alasan text
    )""",
    "CREATE INDEX ix_riwayat_aggregate ON riwayat (aggregate_type, aggregate_id, id)",
    """
    CREATE FUNCTION riwayat_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'riwayat is append-only'; END $$""",
    """
    CREATE TRIGGER riwayat_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON riwayat
    FOR EACH STATEMENT EXECUTE FUNCTION riwayat_append_only()""",
]

PLATFORM_DROP = [
    "DROP TABLE IF EXISTS riwayat",
    "DROP FUNCTION IF EXISTS riwayat_append_only",
    "DROP TABLE IF EXISTS idempotency_keys",
    "DROP TABLE IF EXISTS inbox",
    "DROP TABLE IF EXISTS outbox",
    "DROP FUNCTION IF EXISTS outbox_notify",
]

PLATFORM_TABLES = ("outbox", "inbox", "idempotency_keys", "riwayat")

# The platform tables as the latest migrations leave them (the benchmark's baselines build these).
PLATFORM_SCHEMA = [*PLATFORM_DDL, *OUTBOX_NOTIFY_DROP]


def drop_outbox_notify(op) -> None:  # type: ignore[no-untyped-def]
    """Called from each service's migration that moves the relay's wake-up out of the transaction."""
    for statement in OUTBOX_NOTIFY_DROP:
        op.execute(statement)


def restore_outbox_notify(op) -> None:  # type: ignore[no-untyped-def]
    for statement in OUTBOX_NOTIFY:
        op.execute(statement)


_STATEMENT_TRIGGERS = ("tambah", "ubah", "hapus", "kosongkan")


def create_statement_triggers(op, table: str, name: str, function: str, on_truncate: str) -> None:  # type: ignore[no-untyped-def]
    """Statement triggers that keep something in step with `table` (pelaporan's kept counts, issue 9).

    `{table}_{name}_tambah`, `_ubah` and `_hapus` call `function` (e.g. `f()`) after each INSERT, UPDATE
    and DELETE statement, with the statement's rows as the transition tables `baru` (new) and `lama`
    (old); `{table}_{name}_kosongkan` calls `on_truncate` after a TRUNCATE (a rebuild)."""
    op.execute(f"CREATE TRIGGER {table}_{name}_tambah AFTER INSERT ON {table} REFERENCING NEW TABLE AS baru"
               f" FOR EACH STATEMENT EXECUTE FUNCTION {function}")
    op.execute(f"CREATE TRIGGER {table}_{name}_ubah AFTER UPDATE ON {table}"
               f" REFERENCING OLD TABLE AS lama NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION {function}")
    op.execute(f"CREATE TRIGGER {table}_{name}_hapus AFTER DELETE ON {table} REFERENCING OLD TABLE AS lama"
               f" FOR EACH STATEMENT EXECUTE FUNCTION {function}")
    op.execute(f"CREATE TRIGGER {table}_{name}_kosongkan AFTER TRUNCATE ON {table}"
               f" FOR EACH STATEMENT EXECUTE FUNCTION {on_truncate}")


def drop_statement_triggers(op, table: str, name: str) -> None:  # type: ignore[no-untyped-def]
    for suffix in _STATEMENT_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_{name}_{suffix} ON {table}")


def create_platform_tables(op) -> None:  # type: ignore[no-untyped-def]
    """Called from each service's first migration."""
    for statement in PLATFORM_DDL:
        op.execute(statement)


def drop_platform_tables(op) -> None:  # type: ignore[no-untyped-def]
    for statement in PLATFORM_DROP:
        op.execute(statement)


def run_env(target_metadata: MetaData) -> None:
    """The body of every service's async `env.py`."""
    from alembic import context
    from sqlalchemy.ext.asyncio import async_engine_from_config

    config = context.config

    def do_run(connection) -> None:  # type: ignore[no-untyped-def]
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()

    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                          literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    async def run_async() -> None:
        engine = async_engine_from_config(
            config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
        )
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    asyncio.run(run_async())


def alembic_config(service: str, database_url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "services" / service / "migrations"))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(service: str, database_url: str, revision: str = "head") -> None:
    """Run a service's migrations to `revision`; safe to call with or without a running loop."""
    from alembic import command

    def run() -> None:
        command.upgrade(alembic_config(service, database_url), revision)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        run()
        return
    errors: list[BaseException] = []

    def target() -> None:
        try:
            run()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


async def schema_drift(service: str, database_url: str) -> list:
    """Differences between a migrated database and the service's models (platform tables aside):
    the hand-written migrations and the models must describe the same schema."""
    from importlib import import_module

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from shared.db import make_engine

    metadata = import_module(f"services.{service}.models").Base.metadata
    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            diffs = await conn.run_sync(lambda c: compare_metadata(
                MigrationContext.configure(c, opts={"compare_type": True}), metadata))
    finally:
        await engine.dispose()

    def platform(diff) -> bool:  # type: ignore[no-untyped-def]
        if not isinstance(diff, tuple):
            return False
        table = getattr(diff[1], "table", diff[1])
        return getattr(table, "name", None) in PLATFORM_TABLES

    return [d for d in diffs if not platform(d)]
