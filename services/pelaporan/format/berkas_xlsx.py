"""The report as an Excel workbook (XlsxWriter): one sheet per section.

Determinism: XlsxWriter stamps the workbook with "now" unless told otherwise. We set the
`created` document property to the report's own `dibuat_pada` (in UTC, which is how the file
stores it), and use `in_memory` mode, in which every zip entry gets the fixed 1980-01-01 date
(on-disk temp files would get a local-timezone timestamp instead). Nothing else varies, so one
Laporan always gives the same bytes.
"""

from __future__ import annotations

import io
from datetime import UTC
from decimal import Decimal

import xlsxwriter

from services.pelaporan.format._tampilan import identitas
from services.pelaporan.laporan import DASAR_HUKUM, PENYUSUN, Bagian, JenisNilai, Laporan, Tabel

FORMAT_ANGKA: dict[JenisNilai, str] = {
    "bilangan": "#,##0",
    "rupiah": '"Rp"#,##0;-"Rp"#,##0',
    "persen": '0.00"%"',
    "poin": '0.00" poin"',
    "jam": "0.00",
    "desimal": "0.00",
}


def ke_xlsx(laporan: Laporan) -> bytes:
    """The workbook's bytes; deterministic for one Laporan."""
    keluaran = io.BytesIO()
    buku = xlsxwriter.Workbook(keluaran, {"in_memory": True})
    buku.set_properties({
        "title": laporan.judul,
        "subject": DASAR_HUKUM,
        "author": PENYUSUN,
        "company": "Kementerian Dalam Negeri",
        "created": laporan.dibuat_pada.astimezone(UTC).replace(tzinfo=None),
    })
    gaya = _Gaya(buku)
    for bagian in laporan.bagian:
        _tulis_lembar(buku.add_worksheet(_nama_lembar(bagian)), laporan, bagian, gaya)
    buku.close()
    return keluaran.getvalue()


def _nama_lembar(bagian: Bagian) -> str:
    # Excel allows 31 characters and no []:*?/\ in a sheet name.
    return bagian.kunci.capitalize()[:31]


class _Gaya:
    def __init__(self, buku: xlsxwriter.Workbook) -> None:
        self.judul = buku.add_format({"bold": True, "font_size": 14})
        self.subjudul = buku.add_format({"bold": True, "font_size": 12})
        self.miring = buku.add_format({"italic": True, "font_color": "#555555"})
        self.judul_tabel = buku.add_format({"bold": True})
        self.kepala = buku.add_format({
            "bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1,
            "text_wrap": True, "valign": "vcenter", "align": "center",
        })
        self.teks = buku.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        self.tanda = buku.add_format({"border": 1, "text_wrap": True, "font_color": "#C00000", "bold": True})
        self.na = buku.add_format({"border": 1, "align": "right", "font_color": "#7F7F7F"})
        self.angka = {j: buku.add_format({"border": 1, "num_format": f}) for j, f in FORMAT_ANGKA.items()}
        self.angka_tanda = {
            j: buku.add_format({"border": 1, "num_format": f, "font_color": "#C00000", "bold": True})
            for j, f in FORMAT_ANGKA.items()
        }


def _tulis_lembar(lembar, laporan: Laporan, bagian: Bagian, gaya: _Gaya) -> None:  # noqa: ANN001
    lembar.set_column(0, 0, 46)
    lembar.set_column(1, 6, 20)
    lembar.set_paper(9)  # A4
    lembar.set_landscape()
    lembar.fit_to_pages(1, 0)
    lembar.write_string(0, 0, laporan.judul, gaya.judul)
    baris = 1
    for label, isi in identitas(laporan)[1:]:
        lembar.write_string(baris, 0, label, gaya.miring)
        lembar.write_string(baris, 1, isi, gaya.miring)
        baris += 1
    baris += 1
    lembar.write_string(baris, 0, bagian.judul, gaya.subjudul)
    lembar.write_string(baris + 1, 0, f"Dasar: {bagian.dasar}", gaya.miring)
    baris += 3
    for tabel in bagian.semua_tabel():
        baris = _tulis_tabel(lembar, baris, tabel, gaya) + 1
    if bagian.catatan:
        lembar.write_string(baris, 0, "Catatan", gaya.judul_tabel)
        for i, catatan in enumerate(bagian.catatan, start=1):
            lembar.write_string(baris + i, 0, catatan, gaya.tanda)


def _tulis_tabel(lembar, baris: int, tabel: Tabel, gaya: _Gaya) -> int:  # noqa: ANN001
    lembar.write_string(baris, 0, tabel.judul, gaya.judul_tabel)
    baris += 1
    for j, kolom in enumerate(tabel.kolom):
        lembar.write_string(baris, j, kolom.judul, gaya.kepala)
    for i, isi in enumerate(tabel.baris):
        baris += 1
        ditandai = tabel.ditandai(i)
        for j, nilai in enumerate(isi):
            jenis = tabel.jenis_sel(i, j)
            if isinstance(nilai, str):
                bentuk = gaya.na if jenis != "teks" else (gaya.tanda if ditandai and j > 0 else gaya.teks)
                lembar.write_string(baris, j, nilai, bentuk)
            else:
                bentuk = (gaya.angka_tanda if ditandai else gaya.angka)[jenis]
                lembar.write_number(baris, j, float(nilai) if isinstance(nilai, Decimal) else nilai, bentuk)
    return baris + 1
