"""Composition root of helpdesk."""

from fastapi import FastAPI

from services.helpdesk import jobs, metrics
from services.helpdesk.api import router
from services.helpdesk.config import AturanHelpdesk, Settings
from shared.app import PeriodicJob, ServiceSpec, create_service_app
from shared.berkas import PenyimpananLokal
from shared.config import load_settings

TAGS = [
    {"name": "tiket", "description": "Tiket kendala teknis SPSE dengan SLA jam kerja (Pasal 18; Lampiran 2.3 huruf d)"},
    {"name": "petugas", "description": "Petugas helpdesk dan penugasan otomatis"},
    {"name": "pengumuman", "description": "Pengumuman gangguan, pemeliharaan dan informasi (Lampiran 2.5.2 huruf d)"},
    {"name": "berita acara", "description": "Berita acara dokumen penawaran yang tidak dapat dibuka (Lampiran 2.5.3)"},
    {"name": "ringkasan", "description": "Ringkasan layanan helpdesk"},
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the helpdesk app (connects to nothing until its lifespan starts)."""
    settings = settings or load_settings(Settings)
    aturan = AturanHelpdesk.dari(settings)
    metrics.inisialisasi()
    app = create_service_app(
        ServiceSpec(
            name="helpdesk",
            title="UKPBJ Kemendagri — Helpdesk LPSE",
            description="Tiket masalah teknis dengan SLA jam kerja, eskalasi ke LKPP, pengumuman gangguan, dan "
            "berita acara dokumen penawaran yang tidak dapat dibuka (Permendagri 53/2021 Pasal 18; Lampiran 2.3 "
            "huruf d, 2.5.2 dan 2.5.3).",
            settings=settings,
            routers=[router],
            openapi_tags=TAGS,
            jobs=[PeriodicJob("sla", settings.interval_sla_detik, jobs.periksa_sla),
                  PeriodicJob("metrik", settings.interval_metrik_detik, jobs.segarkan_metrik)],
            on_startup=[jobs.jadwalkan_ulang],
        )
    )
    app.state.aturan = aturan
    app.state.penyimpanan = PenyimpananLokal(settings.storage_dir)
    return app
