"""The berita acara of an unopenable bid file as a formal Indonesian PDF (ReportLab, deterministic).

Pure: the same berita acara always gives the same bytes (`invariant=1`), so a signed one can be
re-downloaded and compared by hash.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from services.helpdesk.domain import BeritaAcara, HasilBeritaAcara, StatusBeritaAcara
from services.helpdesk.waktu_kerja import WIB

HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")
_SATUAN = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
           "sebelas")

DASAR = ("Lampiran angka 2.5.3 Peraturan Menteri Dalam Negeri Nomor 53 Tahun 2021 tentang Unit Kerja Pengadaan "
         "Barang/Jasa Kementerian Dalam Negeri, dan Lampiran angka 4.2.6 Peraturan Lembaga Kebijakan Pengadaan "
         "Barang/Jasa Pemerintah Nomor 12 Tahun 2021")
HASIL = {
    HasilBeritaAcara.PENAWARAN_TIDAK_MEMENUHI: (
        "Dokumen penawaran tersebut dinyatakan tidak dapat dibuka. Berdasarkan hal tersebut Pokja Pemilihan "
        "menyatakan penawaran yang bersangkutan tidak memenuhi persyaratan."),
    HasilBeritaAcara.EVALUASI_DILANJUTKAN: (
        "Dokumen penawaran tersebut tidak terbukti tidak dapat dibuka. Berdasarkan hal tersebut Pokja Pemilihan "
        "melanjutkan evaluasi penawaran yang bersangkutan."),
}


def terbilang(n: int) -> str:
    """A non-negative integer below one million in Indonesian words (for dates in formal letters)."""
    if n < 12:
        return _SATUAN[n]
    if n < 20:
        return f"{terbilang(n - 10)} belas"
    if n < 100:
        return f"{terbilang(n // 10)} puluh" + (f" {terbilang(n % 10)}" if n % 10 else "")
    if n < 200:
        return "seratus" + (f" {terbilang(n - 100)}" if n > 100 else "")
    if n < 1000:
        return f"{terbilang(n // 100)} ratus" + (f" {terbilang(n % 100)}" if n % 100 else "")
    if n < 2000:
        return "seribu" + (f" {terbilang(n - 1000)}" if n > 1000 else "")
    if n < 1_000_000:
        return f"{terbilang(n // 1000)} ribu" + (f" {terbilang(n % 1000)}" if n % 1000 else "")
    raise ValueError("terbilang: hanya sampai 999.999")


def tanggal_panjang(waktu: datetime) -> str:
    """'5 Januari 2026' in WIB."""
    lokal = waktu.astimezone(WIB)
    return f"{lokal.day} {BULAN[lokal.month - 1]} {lokal.year}"


@dataclass(frozen=True)
class KopSurat:
    baris: tuple[str, ...] = ("KEMENTERIAN DALAM NEGERI REPUBLIK INDONESIA", "SEKRETARIAT JENDERAL",
                              "BIRO UMUM — BAGIAN PENGADAAN BARANG/JASA",
                              "LAYANAN PENGADAAN SECARA ELEKTRONIK (LPSE)")
    alamat: str = "Jalan Medan Merdeka Utara Nomor 7, Jakarta Pusat 10110"


def _gaya() -> dict[str, ParagraphStyle]:
    dasar = ParagraphStyle("dasar", fontName="Helvetica", fontSize=10.5, leading=14.5, alignment=TA_JUSTIFY)
    return {
        "dasar": dasar,
        "kop": ParagraphStyle("kop", parent=dasar, fontName="Helvetica-Bold", fontSize=11, leading=13.5,
                              alignment=TA_CENTER),
        "alamat": ParagraphStyle("alamat", parent=dasar, fontSize=8.5, leading=11, alignment=TA_CENTER),
        "judul": ParagraphStyle("judul", parent=dasar, fontName="Helvetica-Bold", fontSize=12, leading=16,
                                alignment=TA_CENTER),
        "tengah": ParagraphStyle("tengah", parent=dasar, alignment=TA_CENTER),
        "draf": ParagraphStyle("draf", parent=dasar, fontName="Helvetica-Bold", textColor=colors.red,
                               alignment=TA_CENTER),
        "sub": ParagraphStyle("sub", parent=dasar, fontName="Helvetica-Bold", spaceBefore=8, spaceAfter=2),
        "sel": ParagraphStyle("sel", parent=dasar, fontSize=10, leading=13, alignment=0),
        "hash": ParagraphStyle("hash", parent=dasar, fontName="Courier", fontSize=8, leading=12, alignment=0),
        "kecil": ParagraphStyle("kecil", parent=dasar, fontSize=8.5, leading=11, alignment=TA_CENTER),
    }


def pdf_berita_acara(ba: BeritaAcara, *, nomor: str, tempat_baku: str, nomor_tiket: str | None = None,
                     kop: KopSurat = KopSurat()) -> bytes:
    """The berita acara as PDF bytes; a draft is marked as such and has no signing date."""
    g = _gaya()
    ditandatangani = ba.status is StatusBeritaAcara.DITANDATANGANI and ba.ditandatangani_pada is not None
    waktu = ba.ditandatangani_pada if ditandatangani and ba.ditandatangani_pada else ba.disusun_pada
    lokal = waktu.astimezone(WIB)
    e = escape

    isi: list = [Paragraph(b, g["kop"]) for b in kop.baris]
    isi.append(Paragraph(e(kop.alamat), g["alamat"]))
    garis = Table([[""]], colWidths=[15.8 * cm], rowHeights=[4])
    garis.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 1.5, colors.black)]))
    isi += [garis, Spacer(1, 10),
            Paragraph("BERITA ACARA", g["judul"]),
            Paragraph("DOKUMEN PENAWARAN YANG TIDAK DAPAT DIBUKA", g["judul"]),
            Paragraph(f"Nomor: {e(nomor)}", g["tengah"])]
    if not ditandatangani:
        isi.append(Paragraph("DRAF — BELUM DITANDATANGANI, TIDAK BERLAKU SEBAGAI BERITA ACARA", g["draf"]))
    isi.append(Spacer(1, 10))
    isi.append(Paragraph(
        f"Pada hari ini {HARI[lokal.weekday()]} tanggal {terbilang(lokal.day)} bulan {BULAN[lokal.month - 1]} "
        f"tahun {terbilang(lokal.year)} ({lokal:%d-%m-%Y}), bertempat di {e(ba.tempat or tempat_baku)}, "
        "Kepala Subbagian Layanan Pengadaan Secara Elektronik selaku saksi bersama anggota Pokja Pemilihan yang "
        "hadir telah memeriksa dokumen penawaran yang dilaporkan tidak dapat dibuka, dengan keterangan sebagai "
        "berikut:", g["dasar"]))
    isi.append(Spacer(1, 6))
    rincian = [("Kode paket", Paragraph(e(ba.paket_kode), g["sel"])),
               ("Penyedia", Paragraph(e(ba.penyedia), g["sel"])),
               ("Nama berkas", Paragraph(e(ba.nama_file), g["sel"])),
               ("Nilai hash SHA-256", Paragraph(e(ba.hash_file), g["hash"]))]
    if nomor_tiket:
        rincian.append(("Nomor tiket helpdesk", Paragraph(e(nomor_tiket), g["sel"])))
    tabel = Table([[Paragraph(k, g["sel"]), Paragraph(":", g["sel"]), v] for k, v in rincian],
                  colWidths=[4.0 * cm, 0.4 * cm, 11.4 * cm], hAlign="LEFT")
    tabel.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    isi.append(tabel)
    isi.append(Paragraph("Pernyataan LPSE", g["sub"]))
    isi.append(Paragraph(e(ba.pernyataan_lpse), g["dasar"]))
    isi.append(Paragraph("Pernyataan LKPP", g["sub"]))
    isi.append(Paragraph(e(ba.pernyataan_lkpp) if ba.pernyataan_lkpp else
                         "LKPP tidak dimintai keterangan atas dokumen penawaran ini.", g["dasar"]))
    isi.append(Paragraph("Hasil", g["sub"]))
    isi.append(Paragraph(HASIL[ba.hasil], g["dasar"]))
    isi.append(Spacer(1, 8))
    isi.append(Paragraph(f"Berita acara ini disusun berdasarkan {DASAR}. Demikian berita acara ini dibuat dengan "
                         "sebenarnya untuk dipergunakan sebagaimana mestinya.", g["dasar"]))
    isi.append(Spacer(1, 14))
    isi.append(_blok_tanda_tangan(ba, lokal, g))
    isi.append(Spacer(1, 14))
    isi.append(Paragraph(
        f"Ditandatangani pada {tanggal_panjang(waktu)} pukul {lokal:%H.%M} WIB." if ditandatangani else
        "Draf ini belum ditandatangani dan masih dapat diubah.", g["kecil"]))

    buffer = io.BytesIO()
    dokumen = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2.5 * cm, topMargin=2 * cm, bottomMargin=2 * cm,
        title=f"Berita Acara {nomor}", author="LPSE Kementerian Dalam Negeri",
        subject="Dokumen penawaran yang tidak dapat dibuka", creator="UKPBJ Kemendagri — helpdesk", invariant=1)
    dokumen.build(isi, onFirstPage=_nomor_halaman(nomor), onLaterPages=_nomor_halaman(nomor))
    return buffer.getvalue()


def _blok_tanda_tangan(ba: BeritaAcara, lokal: datetime, g: dict[str, ParagraphStyle]) -> KeepTogether:
    anggota = [[Paragraph("No.", g["sel"]), Paragraph("Nama / NIP", g["sel"]), Paragraph("Tanda tangan", g["sel"])]]
    for i, orang in enumerate(ba.anggota_pokja, start=1):
        anggota.append([Paragraph(f"{i}.", g["sel"]),
                        Paragraph(f"{escape(orang.nama)}<br/>NIP {escape(orang.nip)}", g["sel"]),
                        Paragraph(f"{i}. ....................", g["sel"])])
    tabel_pokja = Table(anggota, colWidths=[1 * cm, 5.2 * cm, 3.3 * cm])
    tabel_pokja.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                     ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
    saksi = [Paragraph(f"Jakarta, {tanggal_panjang(lokal)}", g["sel"]), Paragraph("Saksi,", g["sel"]),
             Paragraph("Kepala Subbagian Layanan Pengadaan Secara Elektronik", g["sel"]), Spacer(1, 42),
             Paragraph(f"<u>{escape(ba.saksi.nama)}</u>", g["sel"]), Paragraph(f"NIP {escape(ba.saksi.nip)}", g["sel"])]
    blok = Table([[[Paragraph("Anggota Pokja Pemilihan yang hadir:", g["sel"]), Spacer(1, 4), tabel_pokja], saksi]],
                 colWidths=[9.8 * cm, 6.0 * cm], hAlign="LEFT")
    blok.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([blok])


def _nomor_halaman(nomor: str):  # type: ignore[no-untyped-def]
    def gambar(canvas, dokumen) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, f"Berita Acara {nomor} — halaman {dokumen.page}")
        canvas.restoreState()

    return gambar
