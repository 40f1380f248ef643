"""Periodic jobs of registrasi: SK expiry of government users, and the verification-queue gauges.

Both run in every replica. Expiry is exactly-once per user (see `service.kedaluwarsakan_pengguna`); the
gauges read the database, so every replica reports the same figures (dashboards take `max`).
"""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import Gauge

from services.registrasi import service
from shared.app import PeriodicJob

ANTREAN_VERIFIKASI = Gauge("ukpbj_registrasi_antrean_verifikasi",
                           "Registrations waiting for the verifikator (status diajukan)")
ANTREAN_TERTUA_DETIK = Gauge("ukpbj_registrasi_antrean_tertua_detik",
                             "Age in seconds of the oldest registration waiting in diajukan (0 when none)")


async def perbarui_metrik_antrean(app: FastAPI) -> None:
    """Refresh the verification-queue gauges from the database."""
    jumlah, umur = await service.antrean_verifikasi(app.state.session_factory)
    ANTREAN_VERIFIKASI.set(jumlah)
    ANTREAN_TERTUA_DETIK.set(round(umur, 1))


async def kedaluwarsakan(app: FastAPI) -> None:
    """Expire government users whose SK/surat tugas end date has passed (today in WIB)."""
    await service.kedaluwarsakan_pengguna(app.state.session_factory)


def jobs(interval_kedaluwarsa_s: float, interval_metrik_s: float) -> list[PeriodicJob]:
    return [PeriodicJob("kedaluwarsa-pengguna", interval_kedaluwarsa_s, kedaluwarsakan),
            PeriodicJob("metrik-antrean-verifikasi", interval_metrik_s, perbarui_metrik_antrean)]
