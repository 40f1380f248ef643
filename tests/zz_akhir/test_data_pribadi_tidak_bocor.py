"""Runs last: no NIK or NPWP used anywhere in the suite reached a log line or an event.

The values looked for are every NIK/NPWP-shaped literal in the tests and seeds (15-16 digits, or the
punctuated NPWP form) plus the NPWPs generated at run time; the places searched are every log line
the suite's services wrote (in-process and as processes) and every event payload in every outbox.
"""

import re
from pathlib import Path

import asyncpg
import pytest

from tests.conftest import LOG_COPY
from tests.support.data import GENERATED

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r"""["'](\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}|\d{15,16})["']""")


def personal_numbers_in_sources() -> set[str]:
    found: set[str] = set()
    sources = [*ROOT.joinpath("tests").rglob("*.py"), *ROOT.joinpath("services").glob("*/seed.py")]
    for path in sources:
        for match in LITERAL.finditer(path.read_text(encoding="utf-8")):
            digits = re.sub(r"\D", "", match.group(1))
            found.add(digits)
            if len(digits) == 15:
                found.add("0" + digits)
    return found


def leaks(text: str, values: set[str]) -> set[str]:
    runs = set(re.findall(r"(?<!\d)\d{15,16}(?!\d)", text))
    punctuated = {re.sub(r"\D", "", p) for p in re.findall(r"\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}", text)}
    return (runs | punctuated) & values


async def all_outbox_payloads(infra) -> list[str]:
    conn = await asyncpg.connect(infra.pg.dsn("postgres"))
    try:
        databases = [r["datname"] for r in await conn.fetch(
            "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres'")]
    finally:
        await conn.close()
    payloads: list[str] = []
    for database in databases:
        conn = await asyncpg.connect(infra.pg.dsn(database))
        try:
            if await conn.fetchval("SELECT to_regclass('public.outbox') IS NOT NULL"):
                payloads += [r["t"] for r in await conn.fetch("SELECT payload::text || headers::text AS t FROM outbox")]
        finally:
            await conn.close()
    return payloads


@pytest.mark.integration
async def test_no_nik_or_npwp_used_by_the_suite_appears_in_any_log_or_event(migrated):
    values = personal_numbers_in_sources() | GENERATED
    assert len(values) > 20, "the suite should exercise many personal numbers"
    log = LOG_COPY.read_text(encoding="utf-8", errors="replace") if LOG_COPY.exists() else ""
    events = await all_outbox_payloads(migrated)
    print(f"\nscanned {len(log.splitlines())} log lines and {len(events)} events for {len(values)} NIK/NPWP values")
    assert log, "the services' logs were not captured"
    assert events, "no events to scan"
    assert not leaks(log, values), "NIK/NPWP in logs: " + ", ".join(sorted(leaks(log, values))[:5])
    leaked = set().union(*(leaks(e, values) for e in events))
    assert not leaked, "NIK/NPWP in events: " + ", ".join(sorted(leaked)[:5])
