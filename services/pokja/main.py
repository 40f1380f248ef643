"""Composition root of pokja."""

from fastapi import FastAPI

from services.pokja.api import router
from services.pokja.config import Settings
from services.pokja.consumers import CONSUMERS
from services.pokja.metrik import segarkan_pokja_aktif
from shared.app import PeriodicJob, ServiceSpec, create_service_app
from shared.config import load_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the pokja app (connects to nothing until its lifespan starts)."""
    return create_service_app(
        ServiceSpec(
            name="pokja",
            title="UKPBJ Kemendagri — Pokja Pemilihan dan Pejabat Pengadaan",
            description="Pegawai, paket, pembentukan dan perubahan Pokja Pemilihan, penugasan Pejabat Pengadaan, "
            "beban kerja, laporan hasil pemilihan dan SK pembentukan Pokja (Permendagri 53/2021 Pasal 7, 9, 11, 12, "
            "15, 16, 17). Setiap penolakan menyebut pasal yang dilanggar.",
            settings=settings or load_settings(Settings),
            routers=[router],
            consumers=CONSUMERS,
            jobs=[PeriodicJob("pokja-aktif", 15.0, segarkan_pokja_aktif)],
            openapi_tags=[
                {"name": "pegawai", "description": "Pengelola PBJ dan PNS lain (Pasal 11, 15 ayat 3)"},
                {"name": "paket", "description": "Paket pengadaan, metode pemilihan, hasil pemilihan (Pasal 17)"},
                {"name": "pokja", "description": "Pokja Pemilihan (Pasal 9, 12, 15)"},
                {"name": "pejabat-pengadaan", "description": "Pejabat Pengadaan (Pasal 16)"},
                {"name": "beban-kerja", "description": "Analisis beban kerja (Pasal 7)"},
            ],
        )
    )
