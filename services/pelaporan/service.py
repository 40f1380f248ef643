"""Use cases of pelaporan."""

from __future__ import annotations

from sqlalchemy import func, select

from shared.uow import UnitOfWork
from services.pelaporan.models import PendaftaranRM
from services.pelaporan.schemas import Indikator, IndikatorPendaftaran


async def indikator(*, uow: UnitOfWork) -> Indikator:
    """Live monitoring figures from the read models."""
    async with uow:
        rows = (await uow.session.execute(
            select(PendaftaranRM.status, func.count()).group_by(PendaftaranRM.status))).all()
    per_status = {status: count for status, count in rows}
    return Indikator(pendaftaran=IndikatorPendaftaran(total=sum(per_status.values()), per_status=per_status))
