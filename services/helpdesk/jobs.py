"""Periodic jobs of helpdesk (run in every replica; each is safe to run concurrently).

`periksa_sla(app, now=None)` is callable directly (tests inject `now`).
"""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI

from services.helpdesk import metrics, service
from shared.logging import get_logger
from shared.uow import SYSTEM, UnitOfWork, now_utc

log = get_logger(__name__)


def _uow(app: FastAPI) -> UnitOfWork:
    return UnitOfWork(app.state.session_factory, source=app.state.service, actor=SYSTEM)


async def periksa_sla(app: FastAPI, now: datetime | None = None) -> service.HasilPemeriksaan:
    """Emit SLA breaches as they happen and close resolved tickets left unanswered."""
    hasil = await service.periksa_sla(now or now_utc(), uow=_uow(app), aturan=app.state.aturan)
    if hasil.pelanggaran or hasil.ditutup_otomatis:
        log.info("sla checked", pelanggaran=len(hasil.pelanggaran), ditutup_otomatis=len(hasil.ditutup_otomatis))
    return hasil


async def segarkan_metrik(app: FastAPI) -> None:
    """Refresh the gauges from the database."""
    terbuka, kepatuhan = await service.baca_metrik(app.state.session_factory, now_utc(),
                                                   app.state.aturan.jendela_kepatuhan_hari)
    metrics.tampilkan(terbuka, kepatuhan)


async def jadwalkan_ulang(app: FastAPI) -> None:
    """At start-up: recompute due times (holidays or cuti bersama may have changed). Never blocks start-up."""
    try:
        jumlah = await service.jadwalkan_ulang(now_utc(), uow=_uow(app), aturan=app.state.aturan)
        log.info("sla schedule recomputed", tiket=jumlah)
    except Exception as exc:  # noqa: BLE001 - the SLA job still finds breaches from the stored schedule
        log.warning("sla schedule not recomputed", error=repr(exc))
