"""Composition root of registrasi."""

from fastapi import FastAPI

from services.registrasi.api import router
from services.registrasi.config import Settings
from services.registrasi.jobs import jobs
from services.registrasi.service import Lingkungan
from shared.app import ServiceSpec, create_service_app
from shared.berkas import PenyimpananLokal
from shared.config import load_settings

TAGS = [
    {"name": "pendaftaran", "description": "Pendaftaran daring pengguna SPSE oleh penyedia dan pengguna pemerintah "
     "(Permendagri 53/2021 Lampiran 2.5.1) / online self-registration"},
    {"name": "dokumen", "description": "Dokumen pendaftaran: unggah, versi, unduh / registration documents"},
    {"name": "verifikasi", "description": "Antrean dan keputusan verifikator (Lampiran 2.3c) / verification"},
    {"name": "pengguna", "description": "Akun pengguna (User ID): aktif, nonaktif, kedaluwarsa / user accounts"},
    {"name": "daftar hitam", "description": "Daftar hitam penyedia (Perpres 16/2018 jo 12/2021 Ps 78) / blacklist"},
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the registrasi app (connects to nothing until its lifespan starts)."""
    settings = settings or load_settings(Settings)
    app = create_service_app(
        ServiceSpec(
            name="registrasi",
            title="UKPBJ Kemendagri — Registrasi Pengguna SPSE",
            description="Pendaftaran dan verifikasi pengguna SPSE (penyedia dan non-penyedia), dokumen, "
            "aktivasi, penonaktifan dan kedaluwarsa User ID, daftar hitam. Permendagri 53/2021 Lampiran 2.3c "
            "dan 2.5.1; tanpa biaya. Pendaftar memakai header `X-Token-Akses`; petugas memakai "
            "`Authorization: Bearer`.",
            settings=settings,
            routers=[router],
            jobs=jobs(settings.interval_kedaluwarsa_s, settings.interval_metrik_antrean_s),
            openapi_tags=TAGS,
        )
    )
    app.state.lingkungan = Lingkungan(penyimpanan=PenyimpananLokal(settings.storage_dir),
                                      batas_unggah=settings.max_upload_bytes, syarat=settings.syarat,
                                      kripto=app.state.kripto,
                                      tampilan=app.state.tampilan)
    return app
