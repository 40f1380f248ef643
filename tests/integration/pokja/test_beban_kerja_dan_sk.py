import io

import pytest
from pypdf import PdfReader

from tests.conftest import auth
from tests.integration.pokja.bantuan import ADMIN, KEPALA, P53, JUTA, paket, pegawai, pengelola, pokja, sertifikat

pytestmark = pytest.mark.integration


async def test_beban_kerja_menunjukkan_paket_per_pokja_dan_per_anggota(klien):
    anggota = await pengelola(klien, 3)
    kode = [(await paket(klien))["kode"] for _ in range(2)]
    body = await pokja(klien, anggota, kode)
    kedua = await pokja(klien, [anggota[0], *await pengelola(klien, 2)], [(await paket(klien))["kode"]])
    beban = (await klien.get("/api/v1/beban-kerja", headers=ADMIN)).json()
    per_pokja = {p["id"]: p for p in beban["pokja"]}
    assert (per_pokja[body["id"]]["jumlah_paket"], per_pokja[body["id"]]["paket_berjalan"]) == (2, 2)
    assert sorted(per_pokja[body["id"]]["paket"]) == sorted(kode)
    per_nip = {p["nip"]: p for p in beban["pegawai"]}
    assert sorted(per_nip[anggota[0]]["pokja"]) == sorted([body["id"], kedua["id"]])
    assert per_nip[anggota[0]]["beban"] == 3
    assert per_nip[anggota[1]]["beban"] == 2
    read = (await klien.get(f"/api/v1/pokja/{body['id']}", headers=KEPALA)).json()
    assert sorted(k["kode"] for k in read["paket"]) == sorted(kode)


async def test_saran_anggota_memilih_yang_layak_dengan_beban_terendah_dan_menghindari_ppk_paket(klien):
    ppk = await pegawai(klien)
    kode = (await paket(klien, ppk_nip=ppk))["kode"]
    saran = await klien.get("/api/v1/pokja/saran-anggota", params={"jumlah": 3, "paket": kode}, headers=KEPALA)
    assert saran.status_code == 200, saran.text
    dipilih = saran.json()["anggota"]
    assert len(dipilih) == 3
    assert ppk not in [a["nip"] for a in dipilih]
    assert all(a["jabatan"] == "pengelola_pbj" for a in dipilih)
    beban = {p["nip"]: p["beban"] for p in (await klien.get("/api/v1/beban-kerja", headers=ADMIN)).json()["pegawai"]}
    terendah = sorted(b for n, b in beban.items() if n != ppk)[:3]
    assert sorted(a["beban"] for a in dipilih) == terendah
    genap = await klien.get("/api/v1/pokja/saran-anggota", params={"jumlah": 4}, headers=KEPALA)
    assert (genap.status_code, genap.json()["rule"]) == (422, f"Pasal 15 ayat 1 {P53}")


async def test_sk_pembentukan_pokja_berisi_kop_diktum_anggota_paket_dan_tanda_tangan(klien):
    anggota = await pengelola(klien, 2)
    pns = await pegawai(klien, jabatan="lainnya", nama="Dewi Lestari", nama_jabatan="Analis Pengadaan",
                        sertifikat=[sertifikat(level=1)])
    p = await paket(klien, nama="Pembangunan Gedung Arsip", jenis_pengadaan="pekerjaan_konstruksi",
                    pagu=5_000 * JUTA, hps=4_800 * JUTA)
    body = await pokja(klien, [*anggota, pns], [p["kode"]], nama="Pokja Pemilihan Konstruksi")
    response = await klien.get(f"/api/v1/pokja/{body['id']}/sk.pdf", headers=auth("pokja", nip=anggota[0]))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["etag"] == f'"{body["versi"]}"'
    teks = " ".join(" ".join(h.extract_text().split()) for h in PdfReader(io.BytesIO(response.content)).pages)
    for bagian in ("KEMENTERIAN DALAM NEGERI", "SEKRETARIAT JENDERAL", "BIRO UMUM", f"NOMOR {body['nomor_sk']}",
                   "MEMUTUSKAN", "Menetapkan", "Dewi Lestari", "Analis Pengadaan", pns, *anggota, "Ketua",
                   "Sekretaris", "Anggota", p["kode"], "Pembangunan Gedung Arsip", "Rp4.800.000.000",
                   "Ditetapkan di Jakarta", "KEPALA UNIT KERJA PENGADAAN BARANG/JASA"):
        assert bagian in teks, bagian
    again = await klien.get(f"/api/v1/pokja/{body['id']}/sk.pdf", headers=KEPALA)
    assert again.content == response.content


async def test_sk_pokja_yang_tidak_ada_404(klien):
    response = await klien.get("/api/v1/pokja/00000000-0000-0000-0000-000000000000/sk.pdf", headers=KEPALA)
    assert response.status_code == 404
