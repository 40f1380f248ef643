"""Demo registrations for `make seed` (extended by the registrasi issue)."""

from __future__ import annotations

from shared.seed import SeedContext

STEPS = 1


async def seed(ctx: SeedContext) -> None:
    """Submit one supplier registration."""
    await ctx.call("registrasi", "POST", "/api/v1/pendaftaran", json={
        "jenis": "penyedia", "bentuk_usaha": "cv", "nama": "CV Sinar Nusantara", "npwp": "01.234.567.8-901.000",
        "nib": "9120001234567", "email": "admin@sinarnusantara.co.id", "telepon": "0274-512345",
        "alamat": "Jl. Malioboro No. 12, Yogyakarta", "user_id": "sinarnusantara",
        "penanggung_jawab": {"nama": "Siti Rahayu", "nik": "3471015505850002", "jabatan": "Direktur"},
    })
