import io
import random
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import auth
from tests.integration.pelaporan.peristiwa import (
    S1,
    S2,
    TAHUNAN,
    angka_kunci,
    cocok,
    diajukan,
    hasil,
    paket_dicatat,
    setahun,
    tiket_dibuat,
    uid,
)

pytestmark = pytest.mark.integration
KEPALA = auth("kepala_ukpbj", sub="196801011990031001")


async def laporan(klien, alamat: str, **params) -> dict:
    respons = await klien.get(f"/api/v1/laporan/{alamat}", params=params, headers=KEPALA)
    assert respons.status_code == 200, respons.text
    return respons.json()


async def test_a_year_of_events_gives_the_expected_semester_and_annual_figures(klien, terapkan):
    events, _ = setahun(2040)
    assert set(await terapkan(events)) == {"applied"}

    assert cocok(await laporan(klien, "2040/semester/1"), S1) == {}
    assert cocok(await laporan(klien, "2040/semester/2"), S2) == {}
    assert cocok(await laporan(klien, "2040/tahunan"), TAHUNAN) == {}


async def test_the_same_events_replayed_and_shuffled_leave_every_figure_unchanged(klien, terapkan):
    events, _ = setahun(2042)
    await terapkan(events)
    sebelum = [await laporan(klien, f"2042/{p}") for p in ("semester/1", "semester/2", "tahunan")]

    acak = events * 2
    random.Random(42).shuffle(acak)
    hasil_ulang = await terapkan(acak)

    assert set(hasil_ulang) == {"duplicate"}
    sesudah = [await laporan(klien, f"2042/{p}") for p in ("semester/1", "semester/2", "tahunan")]
    assert [angka_kunci(x) for x in sesudah] == [angka_kunci(x) for x in sebelum]


async def test_events_arriving_out_of_order_per_aggregate_give_the_same_figures_as_in_order(klien, terapkan):
    events, _ = setahun(2044)
    await terapkan(list(reversed(events)))

    assert cocok(await laporan(klien, "2044/semester/1"), S1) == {}
    assert cocok(await laporan(klien, "2044/semester/2"), S2) == {}
    assert cocok(await laporan(klien, "2044/tahunan"), TAHUNAN) == {}


@pytest.mark.parametrize(
    ("utc", "semester"),
    [
        (datetime(2031, 6, 30, 16, 59, 59, tzinfo=UTC), 1),  # 30 Jun 23:59:59 WIB
        (datetime(2031, 6, 30, 17, 0, 0, tzinfo=UTC), 2),  # 1 Jul 00:00:00 WIB
    ],
)
async def test_an_event_at_midnight_wib_on_1_july_belongs_to_semester_ii_and_a_second_earlier_to_semester_i(
        klien, terapkan, utc, semester):
    sebelum = {n: angka_kunci(await laporan(klien, f"2031/semester/{n}")) for n in (1, 2)}
    kode = f"BATAS-{uid()}"
    await terapkan([diajukan(uid(), utc), tiket_dibuat(uid(), utc), paket_dicatat(kode, utc),
                    hasil(kode, utc, "gagal", 2)])

    sesudah = {n: angka_kunci(await laporan(klien, f"2031/semester/{n}")) for n in (1, 2)}
    lain = 3 - semester
    for bagian, kunci in (("registrasi", "diajukan"), ("helpdesk", "tiket"), ("pengadaan", "paket_gagal")):
        assert sesudah[semester][bagian][kunci] == sebelum[semester][bagian][kunci] + 1
        assert sesudah[lain][bagian][kunci] == sebelum[lain][bagian][kunci]


@pytest.mark.parametrize(
    ("utc", "tahun", "semester"),
    [
        (datetime(2032, 12, 31, 16, 59, 59, tzinfo=UTC), 2032, 2),  # 31 Dec 23:59:59 WIB
        (datetime(2032, 12, 31, 17, 0, 0, tzinfo=UTC), 2033, 1),  # 1 Jan 00:00:00 WIB
    ],
)
async def test_an_event_at_midnight_wib_on_1_january_belongs_to_the_new_year(klien, terapkan, utc, tahun, semester):
    alamat = [f"{tahun}/semester/{semester}", f"{tahun}/tahunan"]
    lain = ["2033/semester/1", "2033/tahunan"] if tahun == 2032 else ["2032/semester/2", "2032/tahunan"]
    sebelum = {a: angka_kunci(await laporan(klien, a))["registrasi"]["diajukan"] for a in alamat + lain}

    await terapkan([diajukan(uid(), utc)])

    sesudah = {a: angka_kunci(await laporan(klien, a))["registrasi"]["diajukan"] for a in alamat + lain}
    assert {a: sesudah[a] - sebelum[a] for a in alamat + lain} == {**dict.fromkeys(alamat, 1), **dict.fromkeys(lain, 0)}


async def test_a_year_with_no_data_is_an_empty_report_with_na_ratios_not_an_error(klien):
    data = await laporan(klien, "2099/tahunan")

    angka = angka_kunci(data)
    assert angka["pengadaan"]["paket_selesai"] == 0
    assert angka["helpdesk"]["tiket"] == 0
    for bagian, kunci in [("pengadaan", "persentase_gagal"), ("pengadaan", "efisiensi_persen"),
                          ("registrasi", "tingkat_persetujuan"), ("registrasi", "median_jam_keputusan"),
                          ("helpdesk", "sla_respons"), ("helpdesk", "sla_penyelesaian"),
                          ("helpdesk", "kepuasan_rata_rata")]:
        assert angka[bagian][kunci] == "N/A", (bagian, kunci)
    assert data["periode"]["kode"] == "2099"
    assert data["sementara"] is True


async def test_a_negative_efficiency_is_flagged_in_the_report(klien, terapkan):
    await terapkan(setahun(2046)[0])

    pengadaan = next(b for b in (await laporan(klien, "2046/semester/2"))["bagian"] if b["kunci"] == "pengadaan")
    efisiensi = next(a for a in pengadaan["angka_kunci"] if a["kunci"] == "efisiensi_persen")
    assert efisiensi["nilai"] == -5.0 and efisiensi["ditandai"] is True
    assert any("Efisiensi negatif" in c for c in pengadaan["catatan"])


@pytest.mark.parametrize(
    ("format_", "media", "berkas"),
    [
        ("json", "application/json", 'inline; filename="laporan-ukpbj-2048-S1.json"'),
        ("csv", "text/csv; charset=utf-8", 'attachment; filename="laporan-ukpbj-2048-S1.csv"'),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         'attachment; filename="laporan-ukpbj-2048-S1.xlsx"'),
        ("pdf", "application/pdf", 'inline; filename="laporan-ukpbj-2048-S1.pdf"'),
    ],
)
async def test_each_format_has_its_content_type_and_file_name(klien, format_, media, berkas):
    respons = await klien.get("/api/v1/laporan/2048/semester/1", params={"format": format_}, headers=KEPALA)

    assert respons.status_code == 200
    assert respons.headers["content-type"] == media
    assert respons.headers["content-disposition"] == berkas
    assert respons.headers["x-laporan-final"] == "false"
    assert respons.headers["x-hash-konten"].startswith("sha256:")


async def test_the_xlsx_opens_with_a_sheet_per_section_holding_the_same_figures_as_the_json(klien, terapkan):
    await terapkan(setahun(2052)[0])
    respons = await klien.get("/api/v1/laporan/2052/semester/1", params={"format": "xlsx"}, headers=KEPALA)

    buku = load_workbook(io.BytesIO(respons.content))
    assert buku.sheetnames == ["Pengadaan", "Registrasi", "Helpdesk"]
    sel = {}
    for baris in buku["Helpdesk"].iter_rows(values_only=True):
        if baris[0] and baris[1] is not None:
            sel.setdefault(baris[0], baris[1])
    assert sel["Tiket masuk"] == S1["helpdesk"]["tiket"]
    assert sel["Median respons pertama (jam kerja)"] == S1["helpdesk"]["median_jam_kerja_respons"]
    assert sel["Penyelesaian sesuai SLA"] == S1["helpdesk"]["sla_penyelesaian"]


async def test_the_pdf_opens_and_reads_as_a_report_to_the_minister_with_the_figures(klien, terapkan):
    await terapkan(setahun(2054)[0])
    respons = await klien.get("/api/v1/laporan/2054/tahunan", params={"format": "pdf"}, headers=KEPALA)

    pdf = PdfReader(io.BytesIO(respons.content))
    sampul = " ".join(pdf.pages[0].extract_text().split())
    semua = " ".join(" ".join(halaman.extract_text() for halaman in pdf.pages).split())
    assert len(pdf.pages) >= 3
    assert "LAPORAN TAHUNAN" in sampul and "TAHUN 2054" in sampul
    assert "Menteri Dalam Negeri melalui Sekretaris Jenderal" in sampul
    assert "Rp3.000.000.000" in semua  # pagu of the completed packages
    assert "-5,00%" in semua  # the negative efficiency of construction works in Semester II


async def test_the_csv_carries_the_same_figures_as_the_json(klien, terapkan):
    await terapkan(setahun(2056)[0])
    json_ = await laporan(klien, "2056/semester/1")
    csv_ = (await klien.get("/api/v1/laporan/2056/semester/1", params={"format": "csv"}, headers=KEPALA)).content

    teks = csv_.decode("utf-8-sig")
    tiket = angka_kunci(json_)["helpdesk"]["tiket"]
    assert f"Layanan Helpdesk Pengadaan Secara Elektronik,Angka kunci dan perbandingan dengan periode sebelumnya," \
           f"Tiket masuk,Semester I Tahun 2056,{tiket},bilangan" in teks
