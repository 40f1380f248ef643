"""HTTP routes of registrasi: thin, one call into service.py per route."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request, Response

from shared.auth import Principal, require_roles
from shared.deps import UowDep
from shared.idempotency import idempotent_create
from shared.problems import problem_responses
from services.registrasi import service
from services.registrasi.schemas import PendaftaranCreate, PendaftaranDibuat, PendaftaranPublic

router = APIRouter(prefix="/api/v1", tags=["pendaftaran"])


@router.post(
    "/pendaftaran",
    status_code=201,
    summary="Ajukan pendaftaran pengguna SPSE / submit a registration",
    description="Pendaftaran daring oleh penyedia atau pengguna non-penyedia (Permendagri 53/2021 Lampiran 2.5.1). "
    "Tanpa biaya. Mengembalikan `token_akses` untuk mengunggah dokumen dan memantau status.",
    response_model=PendaftaranDibuat,
    responses=problem_responses(409, 422),
)
async def ajukan(request: Request, response: Response, uow: UowDep, body: Annotated[PendaftaranCreate, Body()]):
    return await idempotent_create(request, response, uow, lambda: service.ajukan_pendaftaran(body, uow=uow),
                                   location=lambda r: f"/api/v1/pendaftaran/{r.id}")


@router.get(
    "/pendaftaran/{pendaftaran_id}",
    summary="Baca pendaftaran / read a registration",
    responses=problem_responses(401, 403, 404),
)
async def baca(pendaftaran_id: str, uow: UowDep,
               _: Annotated[Principal, Depends(require_roles("verifikator", "admin_ukpbj"))]) -> PendaftaranPublic:
    return await service.baca_pendaftaran(pendaftaran_id, uow=uow)
