"""FastAPI dependencies of helpdesk: who calls (token and/or reporter token), the rules, file storage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from services.helpdesk.config import AturanHelpdesk
from services.helpdesk.service import Pemanggil
from shared.auth import OptionalPrincipal, Principal, require_roles
from shared.berkas import Penyimpanan
from shared.deps import get_uow
from shared.errors import Unauthorized
from shared.uow import UnitOfWork

token_pelapor = APIKeyHeader(
    name="X-Token-Pelapor", auto_error=False, scheme_name="TokenPelapor",
    description="Token pelapor tanpa akun SPSE, diterima sekali ketika tiket dibuat (`token_pelapor`).")


async def pemanggil(principal: OptionalPrincipal,
                    token: Annotated[str | None, Depends(token_pelapor)] = None) -> Pemanggil:
    """The caller of a route a reporter may use: a bearer token, or the ticket's reporter token."""
    return Pemanggil(principal=principal, token_pelapor=token)


async def pemanggil_dikenal(caller: Annotated[Pemanggil, Depends(pemanggil)]) -> Pemanggil:
    """A caller who says who they are (bearer token or reporter token): 401 before anything else."""
    if caller.principal is None and caller.token_pelapor is None:
        raise Unauthorized("Sertakan 'Authorization: Bearer <token>' atau header X-Token-Pelapor dari tiket Anda.")
    return caller


StafPrincipal = Annotated[Principal, Depends(require_roles("helpdesk", "kasubbag_lpse"))]


async def pemanggil_staf(principal: StafPrincipal) -> Pemanggil:
    """The caller of a staff-only route (a reporter token is ignored there)."""
    return Pemanggil(principal=principal)


# `async def`: FastAPI runs a plain `def` dependency in its thread pool, a thread hop per request
# (issue 9: ~25% of a ticket read's CPU went to anyio, queue and threading)
async def aturan(request: Request) -> AturanHelpdesk:
    return request.app.state.aturan


async def penyimpanan(request: Request) -> Penyimpanan:
    return request.app.state.penyimpanan


PemanggilDep = Annotated[Pemanggil, Depends(pemanggil)]
PemanggilDikenalDep = Annotated[Pemanggil, Depends(pemanggil_dikenal)]
StafDep = Annotated[Pemanggil, Depends(pemanggil_staf)]
AturanDep = Annotated[AturanHelpdesk, Depends(aturan)]
PenyimpananDep = Annotated[Penyimpanan, Depends(penyimpanan)]


@dataclass(frozen=True)
class Konteks:
    """What a hot ticket route needs, from one dependency: FastAPI solves every dependency node of
    every request, and the caller, the unit of work and the rules were three (issue 9)."""

    pemanggil: Pemanggil
    uow: UnitOfWork
    aturan: AturanHelpdesk


async def konteks(request: Request, caller: Annotated[Pemanggil, Depends(pemanggil)]) -> Konteks:
    return Konteks(caller, await get_uow(request), request.app.state.aturan)


async def konteks_dikenal(request: Request, caller: Annotated[Pemanggil, Depends(pemanggil_dikenal)]) -> Konteks:
    """`konteks` of a caller who says who they are (401 first, as `pemanggil_dikenal`)."""
    return Konteks(caller, await get_uow(request), request.app.state.aturan)


KonteksDep = Annotated[Konteks, Depends(konteks)]
KonteksDikenalDep = Annotated[Konteks, Depends(konteks_dikenal)]
