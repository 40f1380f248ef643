"""Composition root of pelaporan."""

from fastapi import FastAPI

from shared.app import ServiceSpec, create_service_app
from shared.config import load_settings
from services.pelaporan.api import router
from services.pelaporan.config import Settings
from services.pelaporan.consumers import CONSUMERS


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the pelaporan app (connects to nothing until its lifespan starts)."""
    return create_service_app(
        ServiceSpec(
            name="pelaporan",
            title="UKPBJ Kemendagri — Pelaporan",
            description="Laporan semester dan tahunan kepada Menteri (Permendagri 53/2021 Pasal 26), indikator "
            "pemantauan, dan data terbuka OCDS. Dibangun hanya dari event layanan lain.",
            settings=settings or load_settings(Settings),
            routers=[router],
            consumers=CONSUMERS,
            openapi_tags=[{"name": "indikator", "description": "Indikator pemantauan"}],
        )
    )
