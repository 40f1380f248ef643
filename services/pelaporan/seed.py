"""`make seed` for pelaporan: wait until it has caught up with the other services' demo data, then
fetch the current semester report once in each format. Only reads, so it can be run again."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from shared.seed import SeedContext

FORMATS = ("json", "csv", "xlsx", "pdf")
STEPS = 2 + len(FORMATS)  # wait, read the indicators, one download per format
TUNGGU_MAKS_DETIK = 180.0
JEDA_DETIK = 1.5
STABIL_BERTURUT = 3


def _inti(indikator: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in indikator.items() if k not in ("diperbarui_pada", "sinkronisasi")}


async def tunggu_sinkron(ctx: SeedContext, headers: dict[str, str]) -> dict[str, Any]:
    """Poll the indicators until no events are waiting and the figures stop changing."""
    klien, jeda, batas = ctx.clients["pelaporan"], JEDA_DETIK, TUNGGU_MAKS_DETIK
    batas_waktu = time.monotonic() + batas
    terakhir: dict[str, Any] | None = None
    stabil = 0
    while time.monotonic() < batas_waktu:
        respons = await klien.get("/api/v1/indikator", headers=headers)
        if respons.status_code == 200:
            data = respons.json()
            antrean = data["sinkronisasi"]["antrean_event"]
            stabil = stabil + 1 if antrean == 0 and _inti(data) == terakhir else 0
            terakhir = _inti(data)
            if stabil >= STABIL_BERTURUT:
                return data
        await asyncio.sleep(jeda)
    raise RuntimeError(f"pelaporan belum menyusul event layanan lain dalam {batas:.0f} detik; periksa konsumen "
                       "(metrik ukpbj_consumer_lag{service=\"pelaporan\"}) lalu ulangi `make seed`.")


async def seed(ctx: SeedContext) -> None:
    """Wait for the read models, then download the current semester report in every format."""
    headers = ctx.token("kepala_ukpbj", sub="seed-kepala-ukpbj")
    data = await tunggu_sinkron(ctx, headers)
    ctx.progress.update(1)
    await ctx.call("pelaporan", "GET", "/api/v1/indikator", headers=headers)
    periode = data["periode"]
    alamat = f"/api/v1/laporan/{periode['tahun']}/semester/{periode['semester']}"
    for format_ in FORMATS:
        await ctx.call("pelaporan", "GET", alamat, params={"format": format_}, headers=headers, expect=(200,))
