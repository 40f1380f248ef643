"""The audit log every service keeps (the append-only `riwayat` table), readable by the Kepala UKPBJ
and the Administrator Sistem: who, with which role, when, from where, did or read what, and why."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import text

from shared.auth import Principal, require_roles
from shared.pagination import Cursor, Limit, Page, decode_cursor, page_of
from shared.problems import problem_responses


class EntriAudit(BaseModel):
    id: int
    waktu: datetime
    aggregate_type: str
    aggregate_id: str
    aksi: str
    aktor: str
    peran: str | None
    alamat_ip: str | None
    request_id: str | None
    perubahan: dict[str, Any]
    alasan: str | None


router = APIRouter(prefix="/api/v1", tags=["audit"])

_QUERY = """
SELECT id, waktu, aggregate_type, aggregate_id, aksi, aktor, peran, alamat_ip, request_id, perubahan, alasan
FROM riwayat
WHERE (CAST(:jenis AS text) IS NULL OR aggregate_type = :jenis)
  AND (CAST(:objek AS text) IS NULL OR aggregate_id = :objek)
  AND (CAST(:aktor AS text) IS NULL OR aktor = :aktor)
  AND (CAST(:sebelum AS bigint) IS NULL OR id < :sebelum)
ORDER BY id DESC LIMIT :limit
"""


@router.get(
    "/audit",
    summary="Log audit / audit log",
    description="Setiap perubahan status dan setiap pembacaan data pribadi atau dokumen: siapa, peran, kapan, "
    "dari mana, apa. Hanya tambah (tidak dapat diubah atau dihapus). Lampiran 2.4 dan 2.5.4 Permendagri 53/2021 "
    "(kerahasiaan, keutuhan dan ketersediaan informasi).",
    responses=problem_responses(401, 403),
)
async def baca_audit(
    request: Request,
    _: Annotated[Principal, Depends(require_roles("kepala_ukpbj", "admin_sistem"))],
    jenis: Annotated[str | None, Query(max_length=50, description="aggregate_type, mis. `pendaftaran`")] = None,
    objek: Annotated[str | None, Query(max_length=100, description="aggregate_id")] = None,
    aktor: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[EntriAudit]:
    keys = decode_cursor(cursor)
    async with request.app.state.session_factory() as session:
        rows = (await session.execute(text(_QUERY), {
            "jenis": jenis, "objek": objek, "aktor": aktor, "sebelum": keys[0] if keys else None,
            "limit": limit + 1})).mappings().all()
    return Page[EntriAudit](**page_of([EntriAudit(**r) for r in rows], limit, key=lambda r: (r.id,)))
