"""Composition root of registrasi."""

from fastapi import FastAPI

from shared.app import ServiceSpec, create_service_app
from shared.config import load_settings
from services.registrasi.api import router
from services.registrasi.config import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the registrasi app (connects to nothing until its lifespan starts)."""
    return create_service_app(
        ServiceSpec(
            name="registrasi",
            title="UKPBJ Kemendagri — Registrasi Pengguna SPSE",
            description="Pendaftaran dan verifikasi pengguna SPSE (penyedia dan non-penyedia), dokumen, "
            "aktivasi dan penonaktifan User ID, daftar hitam. Permendagri 53/2021 Lampiran 2.3c dan 2.5.1.",
            settings=settings or load_settings(Settings),
            routers=[router],
            openapi_tags=[{"name": "pendaftaran", "description": "Pendaftaran pengguna SPSE"}],
        )
    )
