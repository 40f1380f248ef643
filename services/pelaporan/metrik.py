"""Prometheus gauges of the live indicators, for Grafana: `ukpbj_indikator{nama="..."}`.

The names are the dotted paths of `GET /api/v1/indikator` (e.g. `helpdesk.tiket_terbuka`,
`pendaftaran.per_status.diajukan`, `helpdesk.sla_respons_persen_semester_ini`); a ratio with a zero
denominator is NaN (the API says "N/A"). Every series exists at 0 from start-up, so a dashboard
never shows "No data", and a periodic job refreshes them from the database (each replica computes
the same values from the same database, so any replica's answer is right).
"""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import Gauge

from shared.uow import SYSTEM, UnitOfWork, now_utc
from services.pelaporan import service

INDIKATOR = Gauge("ukpbj_indikator", "Indikator pemantauan pelaporan (lihat GET /api/v1/indikator)", ["nama"])
INTERVAL_DETIK = 30.0


def siapkan_gauge() -> None:
    """Create every series at 0 (called when the app is built)."""
    for nama in service.angka_metrik(service.indikator_kosong(now_utc())):
        INDIKATOR.labels(nama).set(0)


def antrean_event(app: FastAPI) -> int | None:
    """Messages not yet consumed by this replica's consumers; None until every consumer is assigned."""
    consumers = getattr(app.state, "consumers", [])
    if not consumers or not all(c.assigned.is_set() for c in consumers):
        return None
    return sum(c.backlog for c in consumers)  # what the lag gauges say, without collecting every series


def cache_baca(app: FastAPI) -> service.CacheBaca:
    """This replica's cache of figures computed from the read models (indicators, open data pages)."""
    cache = getattr(app.state, "cache_baca", None)
    if cache is None:
        cache = app.state.cache_baca = service.CacheBaca()
    return cache


async def segarkan(app: FastAPI) -> None:
    """The periodic job: recompute the indicators and set the gauges."""
    uow = UnitOfWork(app.state.session_factory, source=app.state.service, actor=SYSTEM, pool=app.state.pg)
    data = await service.indikator(uow=uow, antrean_event=antrean_event(app), cache=cache_baca(app))
    for nama, nilai in service.angka_metrik(data).items():
        INDIKATOR.labels(nama).set(nilai)
