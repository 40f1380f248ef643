"""Composition root of pelaporan."""

from fastapi import FastAPI

from shared.app import PeriodicJob, ServiceSpec, create_service_app
from shared.config import load_settings
from services.pelaporan import metrik
from services.pelaporan.api import router
from services.pelaporan.config import Settings
from services.pelaporan.consumers import CONSUMERS


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the pelaporan app (connects to nothing until its lifespan starts)."""
    settings = settings or load_settings(Settings)
    metrik.siapkan_gauge()
    return create_service_app(
        ServiceSpec(
            name="pelaporan",
            title="UKPBJ Kemendagri — Pelaporan",
            description="Laporan semester dan tahunan kepada Menteri (Permendagri 53/2021 Pasal 26), indikator "
            "pemantauan (Pasal 5 huruf g, Pasal 7 ayat (1) huruf d), dan data terbuka OCDS. Dibangun hanya dari "
            "event registrasi, pokja dan helpdesk: tetap berjalan saat layanan lain mati dan dapat dibangun ulang "
            "dari riwayat event (`python -m services.pelaporan.rebuild`).",
            settings=settings,
            routers=[router],
            consumers=CONSUMERS,
            jobs=[PeriodicJob("indikator", settings.indikator_interval_s, metrik.segarkan)],
            openapi_tags=[
                {"name": "laporan", "description": "Laporan semester dan tahunan kepada Menteri (Pasal 26)"},
                {"name": "indikator", "description": "Indikator pemantauan langsung"},
                {"name": "data terbuka", "description": "Open Contracting Data Standard 1.1"},
            ],
        )
    )
