"""The report as one long CSV: one line per table cell, with its section and table.

Columns: bagian, tabel, baris, kolom, nilai, jenis. Numbers are plain ('1234567', '12.50');
a zero denominator reads 'N/A'. UTF-8 with a BOM and CRLF line ends, so Excel opens it right.
"""

from __future__ import annotations

import csv
import io

from services.pelaporan.format._tampilan import identitas, teks_mesin
from services.pelaporan.laporan import Laporan

KOLOM = ("bagian", "tabel", "baris", "kolom", "nilai", "jenis")


def ke_csv(laporan: Laporan) -> bytes:
    """The whole report as a single CSV; deterministic for one Laporan."""
    keluaran = io.StringIO()
    penulis = csv.writer(keluaran, lineterminator="\r\n")
    penulis.writerow(KOLOM)
    for label, isi in identitas(laporan):
        penulis.writerow(("Laporan", "Identitas laporan", label, "Keterangan", isi, "teks"))
    for bagian in laporan.bagian:
        for tabel in bagian.semua_tabel():
            for i, baris in enumerate(tabel.baris):
                for j in range(1, len(tabel.kolom)):
                    if baris[j] == "":
                        continue
                    penulis.writerow((
                        bagian.judul, tabel.judul, baris[0], tabel.kolom[j].judul,
                        teks_mesin(baris[j]), tabel.jenis_sel(i, j),
                    ))
        for catatan in bagian.catatan:
            penulis.writerow((bagian.judul, "Catatan", "", "Catatan", catatan, "teks"))
    return keluaran.getvalue().encode("utf-8-sig")
