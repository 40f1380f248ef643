import pytest

from services.pokja import seed
from shared.seed import SeedContext
from tests.integration.pokja.bantuan import KEPALA

pytestmark = pytest.mark.integration


class Kemajuan:
    def __init__(self) -> None:
        self.n = 0

    def update(self, n: int) -> None:
        self.n += n


async def test_data_demo_dimuat_lewat_api_dan_dapat_dimuat_ulang_dengan_langkah_yang_sama(klien):
    for _ in range(2):
        kemajuan = Kemajuan()
        await seed.seed(SeedContext(clients={"pokja": klien}, progress=kemajuan))
        assert kemajuan.n == seed.STEPS
    semua = (await klien.get("/api/v1/pokja", params={"limit": 100}, headers=KEPALA)).json()["data"]
    demo = {p["nomor_sk"]: p for p in semua if p["nomor_sk"] in {d.nomor_sk for d in seed.POKJA}}
    assert len(demo) == 4
    assert sorted(p["status"] for p in demo.values()) == ["aktif", "aktif", "aktif", "dibubarkan"]
    kedua = demo[seed.POKJA[1].nomor_sk]
    assert seed.PENUKARAN[1] not in [a["nip"] for a in kedua["anggota"]]
    assert seed.PEMINDAHAN[1] in [k["kode"] for k in kedua["paket"]]
    ketiga = demo[seed.POKJA[2].nomor_sk]
    assert any(a["unit"] == "luar_ukpbj" and a["koordinasi_satker"] for a in ketiga["anggota"])
    for lap in seed.LAPORAN:
        hasil = (await klien.get(f"/api/v1/paket/{lap.kode}", headers=KEPALA)).json()["hasil"]
        assert (hasil["status"], hasil["pelapor_nip"]) == (lap.status, lap.pelapor)
    pejabat = (await klien.get("/api/v1/pejabat-pengadaan", params={"limit": 100}, headers=KEPALA)).json()["data"]
    assert {p["nip"] for p in pejabat} >= {p.nip for p in seed.PEJABAT_PENGADAAN}
    metode = (await klien.get(f"/api/v1/paket/{seed.PERUBAHAN_METODE[0]}", headers=KEPALA)).json()
    assert metode["metode_pemilihan"] == seed.PERUBAHAN_METODE[1]
