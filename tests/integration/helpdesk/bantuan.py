from __future__ import annotations

import json
import random

from tests.conftest import auth

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def nip(tahun: int = 1985) -> str:
    return f"{tahun}0101201001{random.randint(1000, 9999)}"


def sebagai_helpdesk(sub: str | None = None) -> dict[str, str]:
    return auth("helpdesk", sub=sub or nip(1986))


def sebagai_kasubbag(sub: str | None = None) -> dict[str, str]:
    return auth("kasubbag_lpse", sub=sub or nip(1979))


def sebagai_pengguna(sub: str | None = None, peran: str = "pokja") -> dict[str, str]:
    return auth(peran, sub=sub or f"{peran}-{random.randint(10**6, 10**7)}")


def tiket_body(**ubah: object) -> dict:
    body = {"judul": "Dokumen penawaran gagal diunggah", "uraian": "Unggah berhenti di 99% sejak pukul 09.00.",
            "kategori": "aplikasi", "kanal": "web", "paket_kode": f"P{random.randint(10**6, 10**7)}"}
    body.update(ubah)
    return {k: v for k, v in body.items() if v is not None}


async def buat_tiket(client, headers: dict | None = None, **ubah: object) -> dict:
    response = await client.post("/api/v1/tiket", json=tiket_body(**ubah), headers=headers or {})
    assert response.status_code == 201, response.text
    return response.json()


async def peristiwa(infra, aggregate_id: str) -> list[dict]:
    rows = await infra.fetch("helpdesk", "SELECT event_type, aggregate_version, payload FROM outbox "
                             "WHERE aggregate_id = $1 ORDER BY id", aggregate_id)
    return [{"type": r["event_type"], "versi": r["aggregate_version"], **json.loads(r["payload"])} for r in rows]


async def jenis_peristiwa(infra, aggregate_id: str) -> list[str]:
    return [e["type"] for e in await peristiwa(infra, aggregate_id)]


async def keadaan(infra, tiket_id: str) -> tuple:
    """Everything a refused request must leave as it was: row state and version, replies, events."""
    [row] = await infra.fetch("helpdesk", "SELECT status, versi, tingkat, petugas FROM tiket WHERE id = $1", tiket_id)
    [n] = await infra.fetch("helpdesk", "SELECT (SELECT count(*) FROM tanggapan WHERE tiket_id = $1) AS tanggapan,"
                            " (SELECT count(*) FROM eskalasi WHERE tiket_id = $1) AS eskalasi,"
                            " (SELECT count(*) FROM outbox WHERE aggregate_id = $1) AS outbox", tiket_id)
    return tuple(row) + tuple(n)
