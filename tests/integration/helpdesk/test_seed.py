import pytest

from services.helpdesk import seed
from shared.seed import SeedContext
from tests.conftest import auth

pytestmark = pytest.mark.integration


class Kemajuan:
    def __init__(self) -> None:
        self.langkah = 0

    def update(self, n: int) -> None:
        self.langkah += n


async def jumlah(infra, sql: str, *args) -> int:
    return (await infra.fetch("helpdesk", sql, *args))[0]["n"]


async def test_the_demo_seed_fills_helpdesk_through_its_api_and_a_second_run_adds_nothing(helpdesk, migrated):
    uraian = [r.uraian for r in seed.TIKET]
    kemajuan, jawaban = Kemajuan(), []

    async def catat(response):
        jawaban.append((response.status_code, response.request.method, response.request.url.path))

    helpdesk.event_hooks["response"].append(catat)
    try:
        await seed.seed(SeedContext(clients={"helpdesk": helpdesk}, progress=kemajuan))
    finally:
        helpdesk.event_hooks["response"].remove(catat)
    assert kemajuan.langkah == seed.STEPS == len(jawaban)
    assert [j for j in jawaban if j[0] >= 300] == []

    assert await jumlah(migrated, "SELECT count(*) AS n FROM tiket WHERE uraian = ANY($1)", uraian) == len(uraian) >= 30
    for sql in ("SELECT count(DISTINCT kategori) AS n FROM tiket WHERE uraian = ANY($1)",
                "SELECT count(DISTINCT kanal) AS n FROM tiket WHERE uraian = ANY($1)",
                "SELECT count(DISTINCT prioritas) AS n FROM tiket WHERE uraian = ANY($1)"):
        assert await jumlah(migrated, sql, uraian) >= 4, sql
    for sql in ("SELECT count(*) AS n FROM tiket WHERE uraian = ANY($1) AND pelapor_sub IS NULL",
                "SELECT count(*) AS n FROM tiket WHERE uraian = ANY($1) AND pelapor_sub IS NOT NULL",
                "SELECT count(*) AS n FROM tanggapan JOIN tiket ON tiket.id = tiket_id WHERE uraian = ANY($1) "
                "AND internal",
                "SELECT count(*) AS n FROM eskalasi JOIN tiket ON tiket.id = tiket_id WHERE uraian = ANY($1) "
                "AND alasan IS NOT NULL",
                "SELECT count(*) AS n FROM tiket WHERE uraian = ANY($1) AND sebab_penutupan = 'dikonfirmasi_pelapor'",
                "SELECT count(*) AS n FROM tiket WHERE uraian = ANY($1) AND nilai_kepuasan IS NOT NULL",
                "SELECT count(*) AS n FROM riwayat WHERE aksi = 'dibuka_kembali' AND aggregate_id IN "
                "(SELECT id FROM tiket WHERE uraian = ANY($1))"):
        assert await jumlah(migrated, sql, uraian) >= 1, sql
    aktif = (await helpdesk.get("/api/v1/pengumuman?jenis=gangguan&limit=100")).json()["data"]
    assert "Gangguan unggah dokumen penawaran" in {p["judul"] for p in aktif}
    kasubbag = auth("kasubbag_lpse", sub=seed.KASUBBAG[0])
    ditandatangani = (await helpdesk.get(f"/api/v1/berita-acara?paket_kode={seed.PAKET_BA}&status=ditandatangani",
                                         headers=kasubbag)).json()["data"]
    assert len(ditandatangani) == 1 and ditandatangani[0]["tiket_id"]

    tiket_sebelum = await jumlah(migrated, "SELECT count(*) AS n FROM tiket")
    lagi = Kemajuan()
    await seed.seed(SeedContext(clients={"helpdesk": helpdesk}, progress=lagi))
    assert lagi.langkah == seed.STEPS
    assert await jumlah(migrated, "SELECT count(*) AS n FROM tiket") == tiket_sebelum
