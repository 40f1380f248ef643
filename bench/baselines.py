"""Baselines measured in the same run as the services: what the framework and the database allow.

Run as its own uvicorn process, one worker, the same uvicorn/uvloop/httptools the services use, on
a database of its own (`bench_baseline`, with the platform's very outbox table and trigger):

    BENCH_BASELINE_DSN=postgresql://... python -m uvicorn bench.baselines:app --loop uvloop --http httptools

- GET  /bare               a small constant JSON (the framework's ceiling)
- GET  /raw/read/{id}      one row by primary key through a plain asyncpg pool (the database's read ceiling)
- POST /raw/write          one row plus one outbox row in one transaction, plain asyncpg

No auth, no metrics, no logging middleware: that is what makes them baselines.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import orjson
from fastapi import FastAPI, Request
from fastapi.responses import ORJSONResponse

ITEM_DDL = """
CREATE TABLE IF NOT EXISTS item (
    id uuid PRIMARY KEY,
    jenis text NOT NULL,
    status text NOT NULL,
    nama text NOT NULL,
    email text NOT NULL,
    user_id text NOT NULL UNIQUE,
    data jsonb NOT NULL,
    versi integer NOT NULL,
    diajukan_pada timestamptz NOT NULL,
    diperbarui_pada timestamptz NOT NULL
)"""
_READ = ("SELECT id, jenis, status, nama, email, user_id, data, versi, diajukan_pada, diperbarui_pada "
         "FROM item WHERE id = $1")
_INSERT_ITEM = ("INSERT INTO item (id, jenis, status, nama, email, user_id, data, versi, diajukan_pada,"
                " diperbarui_pada) VALUES ($1, $2, 'diajukan', $3, $4, $5, $6::jsonb, 1, $7, $7)")
_INSERT_OUTBOX = ("INSERT INTO outbox (event_id, event_type, topic, aggregate_type, aggregate_id, aggregate_version,"
                  " payload, headers) VALUES ($1, 'bench.item.diajukan', 'bench.item.v1', 'item', $2, 1, $3::jsonb,"
                  " '{}'::jsonb)")
CONSTANT = {"status": "ok", "layanan": "bench", "versi": "1.0.0"}


async def prepare(dsn: str, rows: int) -> list[str]:
    """Create the baseline schema (the platform DDL for the outbox) and `rows` items; return their ids."""
    from shared.migrations import PLATFORM_SCHEMA

    conn = await asyncpg.connect(dsn)
    try:
        if not await conn.fetchval("SELECT to_regclass('outbox') IS NOT NULL"):
            for statement in PLATFORM_SCHEMA:
                await conn.execute(statement)
        await conn.execute(ITEM_DDL)
        now = datetime.now(UTC)
        records = []
        for i in range(rows):
            body = sample_body(i)
            records.append((uuid.uuid4(), "penyedia", "diajukan", body["nama"], body["email"], body["user_id"],
                            orjson.dumps(body).decode(), 1, now, now))
        await conn.copy_records_to_table(
            "item", records=records,
            columns=["id", "jenis", "status", "nama", "email", "user_id", "data", "versi", "diajukan_pada",
                     "diperbarui_pada"])
        await conn.execute("ANALYZE item")
        return [str(r[0]) for r in records]
    finally:
        await conn.close()


def sample_body(i: int) -> dict:
    return {"jenis": "penyedia", "bentuk_usaha": "pt", "nama": f"PT Baseline Nusantara {i}",
            "npwp": f"0{i:09d}091000"[:16], "nib": f"91{i:011d}", "email": f"baseline{i}@contoh.co.id",
            "telepon": "0251-8312345", "alamat": "Jl. Pajajaran No. 12, Bogor", "user_id": f"baseline{i}",
            "penanggung_jawab": {"nama": "Budi Santoso", "nik": "3201011708800001", "jabatan": "Direktur Utama"}}


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(os.environ["BENCH_BASELINE_DSN"], min_size=10, max_size=10)
    try:
        yield
    finally:
        await app.state.pool.close()


app = FastAPI(lifespan=lifespan, default_response_class=ORJSONResponse, docs_url=None, redoc_url=None,
              openapi_url=None)


@app.get("/bare")
async def bare() -> ORJSONResponse:
    return ORJSONResponse(CONSTANT)


@app.get("/health/ready")
async def ready() -> ORJSONResponse:
    return ORJSONResponse({"status": "ok"})


@app.get("/raw/read/{item_id}")
async def raw_read(item_id: uuid.UUID, request: Request) -> ORJSONResponse:
    row = await request.app.state.pool.fetchrow(_READ, item_id)
    if row is None:
        return ORJSONResponse({"status": 404}, status_code=404)
    data = dict(row)
    data["id"] = str(data["id"])
    data["data"] = orjson.Fragment(data["data"])
    return ORJSONResponse(data)


@app.post("/raw/write", status_code=201)
async def raw_write(request: Request) -> ORJSONResponse:
    body = orjson.loads(await request.body())
    item_id = uuid.uuid4()
    now = datetime.now(UTC)
    event = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/ukpbj/bench", "type": "bench.item.diajukan",
             "time": now, "subject": str(item_id), "aggregateid": str(item_id), "aggregateversion": 1,
             "data": {"item_id": str(item_id), "jenis": body.get("jenis"), "status": "diajukan", "waktu": now}}
    async with request.app.state.pool.acquire() as conn:
        async with conn.transaction():
            await conn.execute(_INSERT_ITEM, item_id, body.get("jenis", "penyedia"), body["nama"], body["email"],
                               body["user_id"], orjson.dumps(body).decode(), now)
            await conn.execute(_INSERT_OUTBOX, uuid.UUID(event["id"]), str(item_id), orjson.dumps(event).decode())
    return ORJSONResponse({"id": str(item_id), "status": "diajukan", "versi": 1, "diajukan_pada": now},
                          status_code=201, headers={"Location": f"/raw/read/{item_id}"})
