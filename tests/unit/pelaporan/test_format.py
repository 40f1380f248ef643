import csv
import io
import json
import re
import zipfile
from datetime import UTC, datetime

import openpyxl
import pypdf
import pytest

from services.pelaporan.format import ke_csv, ke_json, ke_pdf, ke_xlsx
from services.pelaporan.laporan import AgregatPaket, Laporan, susun_laporan
from services.pelaporan.periode import WIB, Periode
from tests.unit.pelaporan.contoh import S1_2026, pengadaan, registrasi, ringkasan

RENDERER = [ke_json, ke_csv, ke_xlsx, ke_pdf]
TABEL_NILAI_JENIS = "Pagu, HPS, nilai kontrak dan efisiensi menurut jenis pengadaan (paket selesai)"


def buat_laporan() -> Laporan:
    lalu = ringkasan(S1_2026.sebelumnya(), registrasi=registrasi(diajukan=100))
    mahal = pengadaan(
        per_jenis=(
            AgregatPaket("barang", 10, 2, 5_000_000_000, 4_800_000_000, 4_500_000_000, 900_000_000),
            AgregatPaket("pekerjaan_konstruksi", 4, 1, 20_000_000_000, 19_000_000_000, 21_000_000_000, 3_000_000_000),
        ),
        per_metode=(AgregatPaket("tender", 14, 3, 25_000_000_000, 23_800_000_000, 25_500_000_000, 3_900_000_000),),
    )
    return susun_laporan(S1_2026, ringkasan(pengadaan=mahal), lalu)


@pytest.fixture(scope="module")
def laporan() -> Laporan:
    return buat_laporan()


@pytest.fixture(scope="module")
def teks_pdf(laporan) -> list[str]:
    return [halaman.extract_text() for halaman in pypdf.PdfReader(io.BytesIO(ke_pdf(laporan))).pages]


@pytest.mark.parametrize("render", RENDERER, ids=lambda f: f.__name__)
def test_the_same_report_renders_to_identical_bytes(render, laporan):
    pertama = render(laporan)

    assert render(laporan) == pertama
    assert render(buat_laporan()) == pertama


@pytest.mark.parametrize("render", RENDERER, ids=lambda f: f.__name__)
def test_a_report_with_other_figures_renders_to_other_bytes(render, laporan):
    lain = susun_laporan(S1_2026, ringkasan(registrasi=registrasi(diajukan=121)))

    assert render(lain) != render(laporan)


def test_the_xlsx_carries_the_report_timestamp_not_the_clock(laporan):
    with zipfile.ZipFile(io.BytesIO(ke_xlsx(laporan))) as arsip:
        inti = arsip.read("docProps/core.xml").decode()
        tanggal_zip = {info.date_time for info in arsip.infolist()}

    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2026-07-01T01:00:00Z</dcterms:created>' in inti
    assert tanggal_zip == {(1980, 1, 1, 0, 0, 0)}


def test_the_pdf_carries_the_report_timestamp_not_the_clock(laporan):
    info = pypdf.PdfReader(io.BytesIO(ke_pdf(laporan))).metadata

    assert info.creation_date == laporan.dibuat_pada
    assert info.modification_date == laporan.dibuat_pada
    assert info.title == "Laporan Semester I Tahun 2026"


def test_the_json_parses_back_to_the_report_dict(laporan):
    data = json.loads(ke_json(laporan).decode("utf-8"))

    assert data == laporan.ke_dict()
    efisiensi = next(a for a in data["bagian"][0]["angka_kunci"] if a["kunci"] == "efisiensi_persen")
    assert (efisiensi["nilai"], efisiensi["ditandai"], efisiensi["sebelumnya"]) == (-2.0, True, 10.37)


def test_the_csv_has_a_bom_and_parses_back_with_one_line_per_cell(laporan):
    mentah = ke_csv(laporan)
    baris = list(csv.DictReader(io.StringIO(mentah.decode("utf-8-sig"), newline="")))

    assert mentah.startswith(b"\xef\xbb\xbf")
    assert list(baris[0]) == ["bagian", "tabel", "baris", "kolom", "nilai", "jenis"]
    assert {b["bagian"] for b in baris} == {
        "Laporan", "Pengelolaan Pengadaan Barang/Jasa", "Registrasi dan Verifikasi Pengguna",
        "Layanan Helpdesk Pengadaan Secara Elektronik",
    }
    efisiensi = next(
        b for b in baris
        if b["tabel"] == TABEL_NILAI_JENIS and b["baris"] == "Pekerjaan Konstruksi" and b["kolom"] == "Efisiensi (%)"
    )
    assert (efisiensi["nilai"], efisiensi["jenis"]) == ("-5.00", "persen")
    diajukan = [b for b in baris if b["baris"] == "Pendaftaran diajukan"]
    assert [(b["kolom"], b["nilai"]) for b in diajukan] == [
        ("Semester I Tahun 2026", "120"),
        ("Semester II Tahun 2025", "100"),
        ("Selisih", "20"),
        ("Perubahan (%)", "20.00"),
    ]


def test_the_xlsx_has_a_sheet_per_section_with_rupiah_and_percent_formats(laporan):
    buku = openpyxl.load_workbook(io.BytesIO(ke_xlsx(laporan)))

    assert buku.sheetnames == ["Pengadaan", "Registrasi", "Helpdesk"]
    lembar = buku["Pengadaan"]
    sel = {(c.row, c.column): c for baris in lembar.iter_rows() for c in baris}
    judul_nilai = next(c.row for c in sel.values() if c.value == TABEL_NILAI_JENIS)
    konstruksi = next(c.row for c in sel.values() if c.value == "Pekerjaan Konstruksi" and c.row > judul_nilai)
    assert sel[(konstruksi, 2)].value == 20_000_000_000
    assert "Rp" in sel[(konstruksi, 2)].number_format
    assert sel[(konstruksi, 6)].value == -5.0
    assert sel[(konstruksi, 6)].number_format == '0.00"%"'
    assert sel[(konstruksi, 7)].value == "Efisiensi negatif"
    assert any(c.value == "N/A" for c in sel.values())


def test_the_pdf_cover_is_addressed_to_the_minister_through_the_secretary_general(teks_pdf):
    sampul = " ".join(teks_pdf[0].split())

    assert "KEMENTERIAN DALAM NEGERI" in sampul
    assert "UNIT KERJA PENGADAAN BARANG/JASA" in sampul
    assert "LAPORAN SEMESTER I TAHUN 2026" in sampul
    assert "Kepada Yth. Menteri Dalam Negeri melalui Sekretaris Jenderal c.q. Kepala Biro Umum" in sampul


def test_the_pdf_shows_the_computed_figures_charts_and_page_numbers(teks_pdf):
    semua = " ".join(" ".join(teks_pdf).split())

    assert "Rp25.000.000.000" in semua  # the pagu key figure
    assert "-5,00%" in semua  # the negative efficiency of construction works
    assert "Efisiensi negatif" in semua
    assert all(f"Gambar {n}.1" in semua for n in (1, 2, 3))
    assert f"Halaman 2 dari {len(teks_pdf)}" in teks_pdf[1]
    assert "Halaman" not in teks_pdf[0]


def test_the_pdf_is_a4(laporan):
    halaman = pypdf.PdfReader(io.BytesIO(ke_pdf(laporan))).pages[0]

    assert (round(float(halaman.mediabox.width)), round(float(halaman.mediabox.height))) == (595, 842)


def test_an_annual_report_cover_says_tahunan():
    tahun = Periode.tahunan(2026)
    laporan = susun_laporan(tahun, ringkasan(tahun, diambil_pada=datetime(2027, 1, 2, tzinfo=WIB)))
    sampul = pypdf.PdfReader(io.BytesIO(ke_pdf(laporan))).pages[0].extract_text()

    assert "LAPORAN TAHUNAN" in sampul and "TAHUN 2026" in sampul
    assert "1 Januari 2026 s.d. 31 Desember 2026" in sampul


def test_a_provisional_report_says_so_on_its_cover():
    awal = datetime(2026, 5, 1, tzinfo=WIB)
    laporan = susun_laporan(S1_2026, ringkasan(diambil_pada=awal))
    sampul = pypdf.PdfReader(io.BytesIO(ke_pdf(laporan))).pages[0].extract_text()

    assert "DATA SEMENTARA" in sampul
    assert re.search(r"Data per 1 Mei 2026 pukul 00\.00 WIB", sampul)
    assert datetime(2026, 4, 30, 17, tzinfo=UTC) == laporan.dibuat_pada
