"""Composition root of pokja."""

from fastapi import FastAPI

from shared.app import ServiceSpec, create_service_app
from shared.config import load_settings
from services.pokja.api import router
from services.pokja.config import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the pokja app (connects to nothing until its lifespan starts)."""
    return create_service_app(
        ServiceSpec(
            name="pokja",
            title="UKPBJ Kemendagri — Pokja Pemilihan dan Pejabat Pengadaan",
            description="Paket, pegawai, pembentukan Pokja Pemilihan dan penugasan Pejabat Pengadaan "
            "(Permendagri 53/2021 Pasal 9, 11, 12, 15, 16, 17).",
            settings=settings or load_settings(Settings),
            routers=[router],
        )
    )
