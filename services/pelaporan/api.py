"""HTTP routes of pelaporan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from shared.auth import STAFF_ROLES, Principal, require_roles
from shared.deps import UowDep
from shared.problems import problem_responses
from services.pelaporan import service
from services.pelaporan.schemas import Indikator

router = APIRouter(prefix="/api/v1", tags=["indikator"])


@router.get(
    "/indikator",
    summary="Indikator pemantauan langsung / live monitoring figures",
    description="Angka pemantauan dan evaluasi pengadaan (Permendagri 53/2021 Pasal 5 huruf g, Pasal 7 huruf d), "
    "dibangun hanya dari event layanan lain.",
    responses=problem_responses(401, 403),
)
async def baca_indikator(
    uow: UowDep, _: Annotated[Principal, Depends(require_roles(*STAFF_ROLES, "pimpinan", "layanan"))]
) -> Indikator:
    return await service.indikator(uow=uow)
