import asyncio
import hashlib
import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import auth
from tests.integration.pelaporan.peristiwa import angka_kunci, diajukan, setahun, tiket_dibuat, uid, wib

pytestmark = pytest.mark.integration
KEPALA = auth("kepala_ukpbj", sub="196801011990031001")
FORMATS = ("json", "csv", "xlsx", "pdf")


async def unduh(klien, alamat: str, format_: str):
    respons = await klien.get(alamat, params={"format": format_}, headers=KEPALA)
    assert respons.status_code == 200, respons.text
    return respons


async def test_a_finalised_report_downloads_byte_identical_with_its_content_hash_in_every_format(klien, terapkan):
    await terapkan(setahun(2011)[0])
    final = await klien.post("/api/v1/laporan/2011/semester/1/final", headers=KEPALA)
    assert final.status_code == 201, final.text
    body = final.json()
    assert final.headers["location"] == "/api/v1/laporan/2011/semester/1"
    assert body["difinalkan_oleh"] == "196801011990031001"

    for format_ in FORMATS:
        pertama = await unduh(klien, "/api/v1/laporan/2011/semester/1", format_)
        kedua = await unduh(klien, "/api/v1/laporan/2011/semester/1", format_)
        assert pertama.content == kedua.content
        hash_ = "sha256:" + hashlib.sha256(pertama.content).hexdigest()
        assert pertama.headers["x-hash-konten"] == kedua.headers["x-hash-konten"] == hash_
        assert body["hash_konten"][format_] == hash_
        assert pertama.headers["x-laporan-final"] == "true"


async def test_events_after_finalising_change_only_the_difference_never_the_frozen_copy(klien, terapkan):
    await terapkan(setahun(2013)[0])
    assert (await klien.post("/api/v1/laporan/2013/semester/1/final", headers=KEPALA)).status_code == 201
    beku = {f: (await unduh(klien, "/api/v1/laporan/2013/semester/1", f)).content for f in FORMATS}
    selisih = (await klien.get("/api/v1/laporan/2013/semester/1/selisih", headers=KEPALA)).json()
    assert selisih["ada_selisih"] is False and selisih["selisih"] == []

    await terapkan([diajukan(uid(), wib(2013, 3, 1)), tiket_dibuat(uid(), wib(2013, 3, 2))])

    assert {f: (await unduh(klien, "/api/v1/laporan/2013/semester/1", f)).content for f in FORMATS} == beku
    assert angka_kunci(json.loads(beku["json"]))["registrasi"]["diajukan"] == 3
    selisih = (await klien.get("/api/v1/laporan/2013/semester/1/selisih", headers=KEPALA)).json()
    assert selisih["ada_selisih"] is True
    kunci = {(s["tabel"], s["baris"], s["kolom"]): (s["final"], s["sekarang"]) for s in selisih["selisih"]}
    assert kunci[("angka_kunci", "Pendaftaran diajukan", "nilai")] == (3, 4)
    assert kunci[("angka_kunci", "Tiket masuk", "nilai")] == (3, 4)
    assert selisih["hash_konten"]["pdf"] == "sha256:" + hashlib.sha256(beku["pdf"]).hexdigest()


async def test_a_frozen_xlsx_and_pdf_open_and_read_back(klien, terapkan):
    await terapkan(setahun(2015)[0])
    assert (await klien.post("/api/v1/laporan/2015/tahunan/final", headers=KEPALA)).status_code == 201

    xlsx = load_workbook(io.BytesIO((await unduh(klien, "/api/v1/laporan/2015/tahunan", "xlsx")).content))
    pdf = PdfReader(io.BytesIO((await unduh(klien, "/api/v1/laporan/2015/tahunan", "pdf")).content))
    assert xlsx.sheetnames == ["Pengadaan", "Registrasi", "Helpdesk"]
    sampul = " ".join(pdf.pages[0].extract_text().split())
    assert "LAPORAN TAHUNAN" in sampul and "TAHUN 2015" in sampul
    assert "Sementara" not in sampul


async def test_finalising_the_same_period_twice_is_a_409(klien):
    assert (await klien.post("/api/v1/laporan/2017/tahunan/final", headers=KEPALA)).status_code == 201

    kedua = await klien.post("/api/v1/laporan/2017/tahunan/final", headers=KEPALA)

    assert kedua.status_code == 409
    assert kedua.headers["content-type"] == "application/problem+json"
    assert "sudah difinalkan" in kedua.json()["detail"]


async def test_a_retried_finalisation_with_the_same_idempotency_key_returns_the_first_result(klien):
    kunci = {**KEPALA, "Idempotency-Key": f"final-{uid()}"}
    pertama = await klien.post("/api/v1/laporan/2019/semester/2/final", headers=kunci)
    ulang = await klien.post("/api/v1/laporan/2019/semester/2/final", headers=kunci)

    assert pertama.status_code == ulang.status_code == 201
    assert ulang.json() == pertama.json()
    assert ulang.headers["idempotency-replayed"] == "true"


@pytest.mark.parametrize("alamat", ["2026/semester/2", "2026/tahunan", "2031/semester/1"])
async def test_finalising_a_period_that_has_not_ended_is_refused_with_the_end_date(klien, alamat):
    respons = await klien.post(f"/api/v1/laporan/{alamat}/final", headers=KEPALA)

    assert respons.status_code == 409
    body = respons.json()
    assert body["type"] == "urn:ukpbj:masalah:status-tidak-sesuai"
    assert "belum berakhir" in body["detail"]
    assert body["periode_berakhir"].endswith("+07:00")


async def test_the_difference_of_a_report_not_finalised_is_a_404(klien):
    respons = await klien.get("/api/v1/laporan/2021/semester/1/selisih", headers=KEPALA)

    assert respons.status_code == 404
    assert "belum difinalkan" in respons.json()["detail"]


async def test_a_finalised_report_keeps_its_figures_and_the_previous_period_in_the_database(klien, terapkan, migrated):
    await terapkan(setahun(2023)[0])
    assert (await klien.post("/api/v1/laporan/2023/semester/2/final", headers=KEPALA)).status_code == 201

    rows = await migrated.fetch("pelaporan", "SELECT angka, hash_json, isi_json FROM laporan_final WHERE kode = $1",
                                "2023-S2")
    angka = json.loads(rows[0]["angka"])
    assert angka["periode"]["periode"] == "2023-S2"
    assert angka["periode_sebelumnya"]["periode"] == "2023-S1"
    assert angka["periode_sebelumnya"]["registrasi"]["diajukan"] == 3
    assert rows[0]["hash_json"] == "sha256:" + hashlib.sha256(rows[0]["isi_json"]).hexdigest()


async def test_two_concurrent_finalisations_of_one_period_freeze_it_once(klien, migrated):
    hasil = await asyncio.gather(*(klien.post("/api/v1/laporan/2025/semester/1/final", headers=KEPALA)
                                   for _ in range(2)))

    assert sorted(r.status_code for r in hasil) == [201, 409]
    rows = await migrated.fetch("pelaporan", "SELECT count(*) AS n FROM laporan_final WHERE kode = '2025-S1'")
    assert rows[0]["n"] == 1
