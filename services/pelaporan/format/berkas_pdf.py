"""The report as a formal A4 PDF addressed to the Minister (P53 Pasal 26), with ReportLab.

Layout: a cover page, an introduction, then one chapter per section with its key figures, its
charts (reportlab.graphics bar charts of the section's own table figures) and its tables, and
"Halaman n dari N" on every page after the cover.

Determinism: ReportLab normally writes the current time as CreationDate/ModDate and hashes it
into the document /ID. We build with `invariant=1`, which fixes ReportLab's internal timestamp
and so the /ID, and install a date formatter that writes the report's own `dibuat_pada` as the
creation and modification date. Only the 14 standard PDF fonts are used (nothing embedded, no
font subset tags). So one Laporan gives byte-identical PDFs. Caveat: ReportLab also reads the
SOURCE_DATE_EPOCH environment variable into that internal timestamp; it must not differ between
the machine that froze a report and one that re-renders it.
"""

from __future__ import annotations

import io
from datetime import UTC
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    HRFlowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from services.pelaporan.format._tampilan import (
    judul_sampul,
    rentang_periode,
    ribuan,
    teks_cetak,
    waktu,
)
from services.pelaporan.laporan import (
    DASAR_HUKUM,
    NA,
    PENERIMA,
    PENYUSUN,
    Bagian,
    Grafik,
    Laporan,
    Tabel,
)

LEBAR_ISI = A4[0] - 40 * mm
BIRU = colors.HexColor("#1F3864")
MERAH = colors.HexColor("#C00000")
ABU = colors.HexColor("#7F7F7F")
WARNA_SERI = (colors.HexColor("#2F5597"), colors.HexColor("#C55A11"), colors.HexColor("#548235"))
ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _gaya(nama: str, **kw) -> ParagraphStyle:  # noqa: ANN003
    dasar = {"fontName": "Helvetica", "fontSize": 10, "leading": 13}
    return ParagraphStyle(nama, **{**dasar, **kw})


G = {
    "instansi": _gaya("instansi", fontName="Helvetica-Bold", fontSize=16, leading=21, alignment=TA_CENTER),
    "unit": _gaya("unit", fontName="Helvetica-Bold", fontSize=13, leading=17, alignment=TA_CENTER),
    "sampul": _gaya("sampul", fontName="Helvetica-Bold", fontSize=22, leading=28, alignment=TA_CENTER,
                    textColor=BIRU),
    "tengah": _gaya("tengah", fontSize=11, leading=15, alignment=TA_CENTER),
    "tengah_tebal": _gaya("tengah_tebal", fontName="Helvetica-Bold", fontSize=11, leading=15,
                          alignment=TA_CENTER),
    "peringatan": _gaya("peringatan", fontName="Helvetica-Bold", fontSize=11, leading=15,
                        alignment=TA_CENTER, textColor=MERAH),
    "bab": _gaya("bab", fontName="Helvetica-Bold", fontSize=14, leading=18, spaceAfter=4, textColor=BIRU),
    "subjudul": _gaya("subjudul", fontName="Helvetica-Bold", fontSize=10.5, leading=14, spaceBefore=8,
                      spaceAfter=4),
    "isi": _gaya("isi", alignment=TA_JUSTIFY, spaceAfter=6),
    "kecil": _gaya("kecil", fontSize=8.5, leading=11, textColor=ABU),
    "catatan": _gaya("catatan", fontSize=9.5, leading=12.5, textColor=MERAH, leftIndent=10),
    "sel": _gaya("sel", fontSize=8, leading=10),
    "sel_angka": _gaya("sel_angka", fontSize=8, leading=10, alignment=TA_RIGHT),
    "kepala": _gaya("kepala", fontName="Helvetica-Bold", fontSize=8, leading=10, textColor=colors.white,
                    alignment=TA_CENTER),
}


def ke_pdf(laporan: Laporan) -> bytes:
    """The report as PDF bytes; deterministic for one Laporan (see the module docstring)."""
    keluaran = io.BytesIO()
    dokumen = SimpleDocTemplate(
        keluaran,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
        title=laporan.judul,
        author=PENYUSUN,
        subject=f"Laporan kepada {PENERIMA}",
        creator="Sistem Informasi UKPBJ Kementerian Dalam Negeri",
        keywords=["UKPBJ", "Kemendagri", laporan.periode.kode],
        lang="id-ID",
        invariant=1,
    )
    cerita = [*_sampul(laporan), PageBreak(), *_pengantar(laporan)]
    for nomor, bagian in enumerate(laporan.bagian):
        cerita += [PageBreak(), *_bab(nomor, bagian)]
    cerita += _penutup()
    dokumen.build(cerita, canvasmaker=_kanvas_bernomor(laporan))
    return keluaran.getvalue()


def _kanvas_bernomor(laporan: Laporan) -> type[Canvas]:
    """A canvas that writes the report's date as the PDF date and numbers pages 'n dari N'."""
    utc = laporan.dibuat_pada.astimezone(UTC)
    tanggal_pdf = f"D:{utc:%Y%m%d%H%M%S}+00'00'"
    kepala = f"{laporan.judul} - {PENYUSUN}"

    class KanvasBernomor(Canvas):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            super().__init__(*args, **kwargs)
            self.setDateFormatter(lambda *_: tanggal_pdf)
            self._keadaan_halaman: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._keadaan_halaman.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            jumlah = len(self._keadaan_halaman)
            for keadaan in self._keadaan_halaman:
                self.__dict__.update(keadaan)
                if self._pageNumber > 1:
                    self._tulis_kepala_kaki(jumlah)
                super().showPage()
            super().save()

        def _tulis_kepala_kaki(self, jumlah: int) -> None:
            lebar, tinggi = A4
            self.saveState()
            self.setFont("Helvetica", 8)
            self.setFillColor(ABU)
            self.drawString(20 * mm, tinggi - 12 * mm, kepala)
            self.setStrokeColor(ABU)
            self.setLineWidth(0.5)
            self.line(20 * mm, tinggi - 14 * mm, lebar - 20 * mm, tinggi - 14 * mm)
            self.drawCentredString(lebar / 2, 10 * mm, f"Halaman {self._pageNumber} dari {jumlah}")
            self.restoreState()

    return KanvasBernomor


def _p(teks: str, gaya: str) -> Paragraph:
    return Paragraph(escape(teks), G[gaya])


def _sampul(laporan: Laporan) -> list:
    periode = laporan.periode
    judul = judul_sampul(laporan)
    baris_judul, _, tahun = judul.rpartition(" TAHUN ")
    isi = [
        Spacer(1, 10 * mm),
        _p("KEMENTERIAN DALAM NEGERI", "instansi"),
        _p("REPUBLIK INDONESIA", "instansi"),
        Spacer(1, 3 * mm),
        _p("SEKRETARIAT JENDERAL - BIRO UMUM", "tengah"),
        _p("UNIT KERJA PENGADAAN BARANG/JASA", "unit"),
        Spacer(1, 4 * mm),
        HRFlowable(width="100%", thickness=2, color=BIRU),
        Spacer(1, 40 * mm),
        _p(baris_judul, "sampul"),
        _p(f"TAHUN {tahun}", "sampul"),
        Spacer(1, 6 * mm),
        _p("Pelaksanaan Tugas dan Fungsi Unit Kerja Pengadaan Barang/Jasa", "tengah"),
        _p(f"Periode {rentang_periode(laporan)}", "tengah"),
        Spacer(1, 30 * mm),
        Paragraph(
            "Kepada Yth. Menteri Dalam Negeri<br/>melalui Sekretaris Jenderal<br/>c.q. Kepala Biro Umum",
            G["tengah_tebal"],
        ),
        Spacer(1, 6 * mm),
        _p(f"Disampaikan berdasarkan {DASAR_HUKUM}", "tengah"),
        Spacer(1, 20 * mm),
        _p(f"Data per {waktu(laporan.dibuat_pada)}", "tengah"),
    ]
    if laporan.sementara:
        isi.append(_p(f"DATA SEMENTARA: {periode.nama} belum berakhir saat data diambil", "peringatan"))
    return isi


def _pengantar(laporan: Laporan) -> list:
    p = laporan.periode
    pembanding = (
        f"Setiap angka kunci dibandingkan dengan {laporan.periode_sebelumnya.nama}."
        if laporan.ada_pembanding
        else f"Data {laporan.periode_sebelumnya.nama} tidak tersedia, sehingga perbandingan ditulis N/A."
    )
    isi = [
        _p("PENGANTAR", "bab"),
        _p(
            "Sesuai dengan Pasal 26 Peraturan Menteri Dalam Negeri Nomor 53 Tahun 2021 tentang Unit Kerja "
            "Pengadaan Barang/Jasa Kementerian Dalam Negeri, UKPBJ menyampaikan laporan pelaksanaan tugas "
            f"dan fungsi untuk {p.nama} ({rentang_periode(laporan)}) kepada {PENERIMA}.",
            "isi",
        ),
        _p(
            "Hasil pemilihan yang dihitung hanya hasil yang telah dilaporkan oleh Pokja Pemilihan atau "
            "Pejabat Pengadaan kepada Kepala UKPBJ. Efisiensi dihitung sebagai (pagu - nilai kontrak) dibagi "
            "pagu atas paket yang selesai dipilih; efisiensi negatif ditandai. " + pembanding,
            "isi",
        ),
        _p(
            "Keterangan: N/A berarti angka tidak dapat dihitung karena pembaginya nol atau datanya tidak ada. "
            "Nilai uang dalam rupiah. Persentase dibulatkan dua angka di belakang koma.",
            "isi",
        ),
        Spacer(1, 4 * mm),
        _p("Isi laporan:", "subjudul"),
    ]
    isi += [_p(f"{ROMAWI[i]}. {b.judul}", "isi") for i, b in enumerate(laporan.bagian)]
    return isi


def _bab(nomor: int, bagian: Bagian) -> list:
    isi = [
        _p(f"{ROMAWI[nomor]}. {bagian.judul.upper()}", "bab"),
        _p(f"Dasar: {bagian.dasar}", "kecil"),
        Spacer(1, 3 * mm),
    ]
    tabel_kunci = bagian.tabel_angka_kunci()
    isi += [_p(f"Tabel {nomor + 1}.1 {tabel_kunci.judul}", "subjudul"), _tabel(tabel_kunci)]
    for i, grafik in enumerate(bagian.grafik, start=1):
        isi.append(KeepTogether([
            _p(f"Gambar {nomor + 1}.{i} {grafik.judul}", "subjudul"),
            _gambar(bagian.cari_tabel(grafik.tabel), grafik),
        ]))
    for i, tabel in enumerate(bagian.tabel, start=2):
        isi += [CondPageBreak(40 * mm), _p(f"Tabel {nomor + 1}.{i} {tabel.judul}", "subjudul"), _tabel(tabel)]
    if bagian.catatan:
        isi.append(_p("Catatan yang perlu mendapat perhatian:", "subjudul"))
        isi += [_p(f"- {c}", "catatan") for c in bagian.catatan]
    return isi


def _penutup() -> list:
    return [
        Spacer(1, 8 * mm),
        _p(
            "Demikian laporan ini disampaikan sebagai bahan pemantauan dan evaluasi pelaksanaan pengadaan "
            "barang/jasa di lingkungan Kementerian Dalam Negeri.",
            "isi",
        ),
    ]


def _tabel(tabel: Tabel) -> Table:
    teks = [[k.judul for k in tabel.kolom]]
    for i, baris in enumerate(tabel.baris):
        teks.append([_teks_sel(tabel, i, j, nilai) for j, nilai in enumerate(baris)])
    isi = [[Paragraph(escape(t), G["kepala"]) for t in teks[0]]]
    gaya = [
        ("BACKGROUND", (0, 0), (-1, 0), BIRU),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#A6A6A6")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
    ]
    for i, baris in enumerate(teks[1:]):
        sel = []
        for j, t in enumerate(baris):
            warna = "#C00000" if tabel.ditandai(i) and j > 0 else ("#7F7F7F" if t == NA else None)
            markah = escape(t) if warna is None else f'<font color="{warna}">{escape(t)}</font>'
            if tabel.ada_total and i == len(tabel.baris) - 1:
                markah = f"<b>{markah}</b>"
            sel.append(Paragraph(markah, G["sel" if tabel.jenis_sel(i, j) == "teks" else "sel_angka"]))
        isi.append(sel)
        if i % 2:
            gaya.append(("BACKGROUND", (0, i + 1), (-1, i + 1), colors.HexColor("#F2F2F2")))
    if tabel.ada_total:
        gaya.append(("LINEABOVE", (0, -1), (-1, -1), 1, BIRU))
    hasil = Table(isi, colWidths=_lebar_kolom(tabel, teks), repeatRows=1)
    hasil.setStyle(TableStyle(gaya))
    return hasil


_PAD = 4


def _teks_sel(tabel: Tabel, i: int, j: int, nilai: object) -> str:
    jenis = tabel.jenis_sel(i, j)
    teks = teks_cetak(nilai, jenis)
    if jenis == "rupiah" and tabel.kolom[j].jenis == "menurut_baris" and not isinstance(nilai, str):
        teks = f"-Rp{teks[1:]}" if teks.startswith("-") else f"Rp{teks}"
    return teks


def _lebar_kolom(tabel: Tabel, teks: list[list[str]]) -> list[float]:
    """Every column gets its natural width plus an equal share of what is left; when that does not
    fit, numbers keep their width (no wrapping) and text columns share the rest and wrap."""
    def lebar(t: str, tebal: bool = False) -> float:
        return stringWidth(t, "Helvetica-Bold" if tebal else "Helvetica", 8) + 2 * _PAD + 1

    alami = []
    for j in range(len(tabel.kolom)):
        kata_kepala = max(lebar(kata, True) for kata in teks[0][j].split())
        isi = max((lebar(baris[j], True) for baris in teks[1:]), default=0)
        alami.append(max(kata_kepala, isi))
    angka = [j for j in range(len(alami)) if tabel.kolom[j].jenis != "teks"]
    huruf = [j for j in range(len(alami)) if tabel.kolom[j].jenis == "teks"]
    if sum(alami) <= LEBAR_ISI:
        return [w + (LEBAR_ISI - sum(alami)) / len(alami) for w in alami]
    sisa = LEBAR_ISI - sum(alami[j] for j in angka)
    hasil = list(alami)
    if sisa <= 0 or not huruf:
        return [w * LEBAR_ISI / sum(alami) for w in alami]
    # Text columns: the first (the row label) keeps priority, the others wrap first.
    minimum = [min(alami[j], 28 * mm) for j in huruf]
    tambahan = sisa - sum(minimum)
    if tambahan <= 0:
        return [w * LEBAR_ISI / sum(alami) for w in alami]
    keinginan = [alami[j] - m for j, m in zip(huruf, minimum, strict=True)]
    faktor = min(1.0, tambahan / sum(keinginan)) if sum(keinginan) else 0.0
    for j, m, k in zip(huruf, minimum, keinginan, strict=True):
        hasil[j] = m + k * faktor
    hasil[huruf[0]] += LEBAR_ISI - sum(hasil)
    return hasil


def _gambar(tabel: Tabel, grafik: Grafik) -> Drawing:
    """A horizontal bar chart of the chart's columns over the table's rows (total row excluded)."""
    indeks = [next(j for j, k in enumerate(tabel.kolom) if k.kunci == kunci) for kunci in grafik.kolom]
    baris = tabel.baris[:-1] if tabel.ada_total else tabel.baris
    rupiah = tabel.kolom[indeks[0]].jenis == "rupiah"
    pembagi, satuan = _skala(max((int(b[j]) for b in baris for j in indeks), default=0)) if rupiah else (1, "")
    data = [tuple(_angka_grafik(b[j]) / pembagi for b in baris) for j in indeks]

    jumlah_kategori = max(len(baris), 1)
    tinggi_batang = 14 if len(indeks) > 1 else 16
    tinggi_plot = jumlah_kategori * (tinggi_batang * len(indeks) + 8)
    tinggi = tinggi_plot + (55 if len(indeks) > 1 else 35)
    gambar = Drawing(LEBAR_ISI, tinggi)

    bagan = HorizontalBarChart()
    bagan.x, bagan.y = 42 * mm, 20 + (20 if len(indeks) > 1 else 0)
    bagan.width, bagan.height = LEBAR_ISI - 42 * mm - 30, tinggi_plot
    bagan.data = data
    bagan.categoryAxis.categoryNames = [str(b[0]) for b in baris]
    bagan.categoryAxis.reverseDirection = 1
    bagan.categoryAxis.labels.fontName = "Helvetica"
    bagan.categoryAxis.labels.fontSize = 8
    bagan.categoryAxis.labels.boxAnchor = "e"
    bagan.categoryAxis.labels.dx = -4
    bagan.valueAxis.valueMin = 0
    if not any(v for seri in data for v in seri):
        bagan.valueAxis.valueMax = 1
    bagan.valueAxis.labels.fontName = "Helvetica"
    bagan.valueAxis.labels.fontSize = 7
    bagan.valueAxis.labelTextFormat = _label_angka
    bagan.barLabelFormat = _label_angka
    bagan.barLabels.fontName = "Helvetica"
    bagan.barLabels.fontSize = 7
    bagan.barLabels.boxAnchor = "w"
    bagan.barLabels.dx = 3
    bagan.barSpacing = 1
    bagan.groupSpacing = 6
    for i in range(len(indeks)):
        bagan.bars[i].fillColor = WARNA_SERI[i % len(WARNA_SERI)]
        bagan.bars[i].strokeColor = None
    gambar.add(bagan)

    if satuan:
        gambar.add(String(bagan.x + bagan.width, 4, f"dalam {satuan}", fontName="Helvetica-Oblique",
                          fontSize=7, textAnchor="end", fillColor=ABU))
    if len(indeks) > 1:
        legenda = Legend()
        legenda.x, legenda.y = bagan.x, 12
        legenda.alignment = "right"
        legenda.columnMaximum = 1
        legenda.deltax = 110
        legenda.fontName = "Helvetica"
        legenda.fontSize = 8
        legenda.colorNamePairs = [
            (WARNA_SERI[i % len(WARNA_SERI)], tabel.kolom[j].judul) for i, j in enumerate(indeks)
        ]
        gambar.add(legenda)
    return gambar


def _angka_grafik(nilai: object) -> float:
    # Charts only draw counts and rupiah sums, which are never N/A.
    assert isinstance(nilai, int | Decimal), nilai
    return float(nilai)


def _skala(terbesar: int) -> tuple[int, str]:
    if terbesar >= 10**9:
        return 10**9, "miliar rupiah"
    if terbesar >= 10**6:
        return 10**6, "juta rupiah"
    return 1, "rupiah"


def _label_angka(nilai: float) -> str:
    """Axis and bar labels: whole numbers with '.' thousands, else one decimal with ','."""
    if float(nilai).is_integer():
        return ribuan(int(nilai))
    return f"{nilai:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")

