"""Domain metrics of pokja for the operations dashboard (deploy/grafana: `ukpbj_pokja_*`)."""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import Counter, Gauge
from sqlalchemy import func, select

from services.pokja.models import Pokja
from shared.uow import SYSTEM, UnitOfWork

POKJA_AKTIF = Gauge("ukpbj_pokja_aktif", "Pokja Pemilihan yang aktif saat ini (diperbarui berkala dari basis data)")
POKJA_DIBENTUK = Counter("ukpbj_pokja_dibentuk", "Pokja Pemilihan yang dibentuk Kepala UKPBJ (Pasal 9)")


async def segarkan_pokja_aktif(app: FastAPI) -> None:
    """Periodic job: set the gauge from the database (idempotent, read-only, safe in every replica)."""
    async with UnitOfWork(app.state.session_factory, source="pokja", actor=SYSTEM) as uow:
        jumlah = await uow.session.scalar(select(func.count()).select_from(Pokja).where(Pokja.status == "aktif"))
    POKJA_AKTIF.set(jumlah or 0)
