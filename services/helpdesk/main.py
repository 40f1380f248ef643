"""Composition root of helpdesk."""

from fastapi import FastAPI

from shared.app import ServiceSpec, create_service_app
from shared.config import load_settings
from services.helpdesk.api import router
from services.helpdesk.config import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the helpdesk app (connects to nothing until its lifespan starts)."""
    return create_service_app(
        ServiceSpec(
            name="helpdesk",
            title="UKPBJ Kemendagri — Helpdesk LPSE",
            description="Tiket masalah teknis dengan SLA jam kerja, eskalasi ke LKPP, pengumuman gangguan, dan "
            "berita acara dokumen penawaran yang tidak dapat dibuka (Permendagri 53/2021 Pasal 18).",
            settings=settings or load_settings(Settings),
            routers=[router],
        )
    )
