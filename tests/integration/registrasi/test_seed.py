from dataclasses import dataclass

import pytest

from services.registrasi import seed
from shared.seed import SeedContext
from tests.integration.registrasi.pembantu import VERIFIKATOR

pytestmark = pytest.mark.integration


@dataclass
class Kemajuan:
    n: int = 0

    def update(self, k: int) -> None:
        self.n += k


async def test_the_demo_data_loads_through_the_api_and_loading_it_again_is_harmless(client, migrated):
    pertama = SeedContext(clients={"registrasi": client}, progress=Kemajuan())
    await seed.seed(pertama)
    assert pertama.progress.n == seed.STEPS
    hitung = "SELECT status, count(*) AS n FROM {} WHERE user_id = ANY($1) GROUP BY status"
    user_ids = [p.user_id for p in seed.PENYEDIA] + [g.user_id for g in seed.PEMERINTAH]
    pendaftaran = {r["status"]: r["n"] for r in await migrated.fetch("registrasi", hitung.format("pendaftaran"),
                                                                      user_ids)}
    assert pendaftaran == {"disetujui": 19, "ditolak": 2, "perlu_perbaikan": 3, "diajukan": 6}
    pengguna = {r["status"]: r["n"] for r in await migrated.fetch("registrasi", hitung.format("pengguna"), user_ids)}
    assert pengguna == {"aktif": 18, "nonaktif": 1}
    hitam = (await client.get("/api/v1/daftar-hitam", params={"aktif": "true", "limit": 100},
                              headers=VERIFIKATOR)).json()["data"]
    assert seed.DAFTAR_HITAM.nama in [e["nama_penyedia"] for e in hitam]

    kedua = SeedContext(clients={"registrasi": client}, progress=Kemajuan())
    await seed.seed(kedua)
    assert kedua.progress.n == seed.STEPS
    ulang = {r["status"]: r["n"] for r in await migrated.fetch("registrasi", hitung.format("pengguna"), user_ids)}
    assert ulang == pengguna
