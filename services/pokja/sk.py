"""The Surat Keputusan Kepala UKPBJ forming a Pokja Pemilihan, as an A4 PDF (ReportLab).

Pure: takes a `DataSk`, returns bytes. Deterministic: `invariant=1` fixes ReportLab's internal
timestamp and document /ID, the PDF dates are the SK's own date, and only the standard PDF fonts are
used, so one Pokja version gives byte-identical files (SOURCE_DATE_EPOCH must not be set differently).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import HRFlowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")
JABATAN = {"pengelola_pbj": "Pengelola PBJ", "lainnya": "PNS"}
JENIS = {"barang": "Barang", "pekerjaan_konstruksi": "Pekerjaan Konstruksi", "jasa_konsultansi": "Jasa Konsultansi",
         "jasa_lainnya": "Jasa Lainnya"}
METODE = {"pengadaan_langsung": "Pengadaan Langsung", "tender": "Tender", "tender_cepat": "Tender Cepat",
          "seleksi": "Seleksi", "penunjukan_langsung": "Penunjukan Langsung", "e_purchasing": "E-purchasing"}


@dataclass(frozen=True)
class AnggotaSk:
    nama: str
    nip: str
    jabatan: str  # pengelola_pbj | lainnya
    nama_jabatan: str | None
    satuan_kerja: str
    peran: str  # ketua | sekretaris | anggota


@dataclass(frozen=True)
class PaketSk:
    kode: str
    nama: str
    satuan_kerja: str
    jenis_pengadaan: str
    hps: int
    metode_pemilihan: str


@dataclass(frozen=True)
class DataSk:
    nomor_sk: str
    nama_pokja: str
    tanggal: date
    anggota: tuple[AnggotaSk, ...]
    paket: tuple[PaketSk, ...]
    penetap_nama: str | None = None
    penetap_nip: str | None = None
    dibubarkan_pada: date | None = None
    alasan_pembubaran: str | None = None


def tanggal_indonesia(tanggal: date) -> str:
    """2 Juni 2025."""
    return f"{tanggal.day} {BULAN[tanggal.month - 1]} {tanggal.year}"


def rupiah(nilai: int) -> str:
    return "Rp" + f"{nilai:,}".replace(",", ".")


def _gaya(nama: str, **kw) -> ParagraphStyle:  # noqa: ANN003
    dasar = {"fontName": "Times-Roman", "fontSize": 11, "leading": 14}
    return ParagraphStyle(nama, **{**dasar, **kw})


KOP_BESAR = _gaya("kop1", fontName="Times-Bold", fontSize=14, leading=17, alignment=TA_CENTER)
KOP = _gaya("kop2", fontName="Times-Bold", fontSize=12, leading=15, alignment=TA_CENTER)
KOP_KECIL = _gaya("kop3", fontSize=9, leading=11, alignment=TA_CENTER)
JUDUL = _gaya("judul", fontName="Times-Bold", alignment=TA_CENTER)
TENGAH = _gaya("tengah", alignment=TA_CENTER)
ISI = _gaya("isi", alignment=TA_JUSTIFY)
KIRI = _gaya("kiri")
SEL = _gaya("sel", fontSize=9.5, leading=11.5)
SEL_TEBAL = _gaya("sel_tebal", fontName="Times-Bold", fontSize=9.5, leading=11.5)


def _p(teks: str, gaya: ParagraphStyle) -> Paragraph:
    return Paragraph(teks, gaya)


def _e(teks: object) -> str:
    return escape(str(teks))


def buat_sk(data: DataSk) -> bytes:
    """The SK as PDF bytes."""
    keluaran = io.BytesIO()
    dokumen = SimpleDocTemplate(
        keluaran, pagesize=A4, leftMargin=25 * mm, rightMargin=20 * mm, topMargin=15 * mm, bottomMargin=18 * mm,
        title=f"Keputusan Kepala UKPBJ Nomor {data.nomor_sk}", author="Kepala UKPBJ Kementerian Dalam Negeri",
        subject=f"Pembentukan {data.nama_pokja}", creator="Sistem Informasi UKPBJ Kementerian Dalam Negeri",
        lang="id-ID", invariant=1,
    )
    tanggal_pdf = f"D:{data.tanggal:%Y%m%d}000000+07'00'"

    class KanvasSk(Canvas):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            super().__init__(*args, **kwargs)
            self.setDateFormatter(lambda *_: tanggal_pdf)

    dokumen.build([*_kop(), *_pembukaan(data), *_diktum(data), *_penutup(data)], canvasmaker=KanvasSk)
    return keluaran.getvalue()


def _kop() -> list:
    return [
        _p("KEMENTERIAN DALAM NEGERI REPUBLIK INDONESIA", KOP_BESAR),
        _p("SEKRETARIAT JENDERAL", KOP),
        _p("BIRO UMUM", KOP),
        _p("UNIT KERJA PENGADAAN BARANG/JASA", KOP),
        _p("Jalan Medan Merdeka Utara Nomor 7, Jakarta Pusat 10110", KOP_KECIL),
        HRFlowable(width="100%", thickness=2, color=colors.black, spaceBefore=3, spaceAfter=1),
        HRFlowable(width="100%", thickness=0.5, color=colors.black, spaceAfter=10),
    ]


def _pembukaan(data: DataSk) -> list:
    judul = [
        _p("KEPUTUSAN KEPALA UNIT KERJA PENGADAAN BARANG/JASA", JUDUL),
        _p("KEMENTERIAN DALAM NEGERI", JUDUL),
        _p(f"NOMOR {_e(data.nomor_sk)}", JUDUL),
        Spacer(0, 6),
        _p("TENTANG", JUDUL),
        Spacer(0, 6),
        _p(f"PEMBENTUKAN {_e(_judul_pokja(data))}", JUDUL),
        Spacer(0, 8),
        _p("KEPALA UNIT KERJA PENGADAAN BARANG/JASA,", JUDUL),
        Spacer(0, 8),
    ]
    menimbang = [
        "bahwa untuk melaksanakan pemilihan penyedia barang/jasa di lingkungan Kementerian Dalam Negeri perlu "
        "dibentuk Kelompok Kerja Pemilihan;",
        "bahwa Kepala UKPBJ berwenang membentuk Pokja Pemilihan serta menetapkan dan menugaskan anggotanya "
        "sebagaimana dimaksud dalam Pasal 9 Peraturan Menteri Dalam Negeri Nomor 53 Tahun 2021;",
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu menetapkan Keputusan "
        "Kepala UKPBJ tentang Pembentukan Kelompok Kerja Pemilihan;",
    ]
    mengingat = [
        "Peraturan Presiden Nomor 16 Tahun 2018 tentang Pengadaan Barang/Jasa Pemerintah sebagaimana telah diubah "
        "dengan Peraturan Presiden Nomor 12 Tahun 2021;",
        "Peraturan Menteri Dalam Negeri Nomor 53 Tahun 2021 tentang Unit Kerja Pengadaan Barang/Jasa Kementerian "
        "Dalam Negeri;",
    ]
    return judul + [
        _pasal("Menimbang", [f"{chr(97 + i)}. {_e(t)}" for i, t in enumerate(menimbang)]),
        Spacer(0, 4),
        _pasal("Mengingat", [f"{i + 1}. {_e(t)}" for i, t in enumerate(mengingat)]),
        Spacer(0, 8),
        _p("MEMUTUSKAN:", JUDUL),
        Spacer(0, 4),
    ]


def _judul_pokja(data: DataSk) -> str:
    nama = data.nama_pokja.upper()
    return nama if nama.startswith(("POKJA", "KELOMPOK KERJA")) else f"KELOMPOK KERJA PEMILIHAN {nama}"


def _pasal(label: str, butir: list[str]) -> Table:
    baris = [[_p(label if i == 0 else "", ISI), _p(":" if i == 0 else "", ISI), _p(b, ISI)]
             for i, b in enumerate(butir)]
    tabel = Table(baris, colWidths=[28 * mm, 4 * mm, None])
    tabel.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return tabel


def _diktum(data: DataSk) -> list:
    bagian = [
        _pasal("Menetapkan", [
            "KEPUTUSAN KEPALA UNIT KERJA PENGADAAN BARANG/JASA TENTANG PEMBENTUKAN "
            f"{_e(_judul_pokja(data))}."]),
        Spacer(0, 4),
        _pasal("KESATU", [
            f"Membentuk {_e(data.nama_pokja)} dengan susunan keanggotaan berjumlah {len(data.anggota)} (gasal) orang "
            "sebagai berikut (Pasal 15 Peraturan Menteri Dalam Negeri Nomor 53 Tahun 2021):"]),
        Spacer(0, 4),
        _tabel_anggota(data.anggota),
        Spacer(0, 6),
    ]
    if data.paket:
        bagian.append(KeepTogether([
            _pasal("KEDUA", [f"{_e(data.nama_pokja)} melaksanakan pemilihan penyedia barang/jasa untuk paket "
                             "berikut:"]),
            Spacer(0, 4),
            _tabel_paket(data.paket),
        ]))
    else:
        bagian.append(_pasal("KEDUA", [
            f"Paket pengadaan yang dipilih oleh {_e(data.nama_pokja)} ditugaskan tersendiri oleh Kepala UKPBJ."]))
    bagian += [
        Spacer(0, 6),
        _pasal("KETIGA", [
            "Anggota Pokja Pemilihan dilarang merangkap sebagai perencana, pejabat pengelola kontrak atau pemeriksa "
            "hasil pekerjaan pada paket yang sama, dan dilarang melaksanakan pengelolaan layanan pengadaan secara "
            "elektronik (Pasal 12)."]),
        _pasal("KEEMPAT", [
            "Pokja Pemilihan melaporkan pelaksanaan pemilihan kepada Kepala UKPBJ (Pasal 17)."]),
        _pasal("KELIMA", ["Keputusan ini mulai berlaku pada tanggal ditetapkan."]),
    ]
    if data.dibubarkan_pada is not None:
        bagian += [Spacer(0, 6), _p(
            f"<b>Catatan:</b> Pokja Pemilihan ini telah dibubarkan pada {tanggal_indonesia(data.dibubarkan_pada)}"
            + (f" dengan alasan: {_e(data.alasan_pembubaran)}" if data.alasan_pembubaran else "") + ".", ISI)]
    return bagian


_GAYA_TABEL = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
])


def _tabel_anggota(anggota: tuple[AnggotaSk, ...]) -> Table:
    kepala = [_p(t, SEL_TEBAL) for t in ("No.", "Nama", "NIP", "Jabatan", "Kedudukan dalam Pokja")]
    baris = [kepala] + [
        [_p(str(i), SEL), _p(_e(a.nama), SEL), _p(a.nip, SEL),
         _p(_e(a.nama_jabatan or JABATAN.get(a.jabatan, a.jabatan)) + f"<br/>{_e(a.satuan_kerja)}", SEL),
         _p(a.peran.capitalize(), SEL)]
        for i, a in enumerate(anggota, start=1)
    ]
    tabel = Table(baris, colWidths=[9 * mm, 42 * mm, 36 * mm, 52 * mm, 26 * mm], repeatRows=1)
    tabel.setStyle(_GAYA_TABEL)
    return tabel


def _tabel_paket(paket: tuple[PaketSk, ...]) -> Table:
    kepala = [_p(t, SEL_TEBAL) for t in ("No.", "Kode", "Nama Paket", "Jenis / Metode", "HPS")]
    baris = [kepala] + [
        [_p(str(i), SEL), _p(_e(p.kode), SEL), _p(f"{_e(p.nama)}<br/>{_e(p.satuan_kerja)}", SEL),
         _p(f"{JENIS.get(p.jenis_pengadaan, p.jenis_pengadaan)}<br/>"
            f"{METODE.get(p.metode_pemilihan, p.metode_pemilihan)}", SEL),
         _p(rupiah(p.hps), SEL)]
        for i, p in enumerate(paket, start=1)
    ]
    tabel = Table(baris, colWidths=[9 * mm, 38 * mm, 56 * mm, 33 * mm, 29 * mm], repeatRows=1)
    tabel.setStyle(_GAYA_TABEL)
    return tabel


def _penutup(data: DataSk) -> list:
    nama = _e(data.penetap_nama) if data.penetap_nama else "(nama Kepala UKPBJ)"
    nip = f"NIP {_e(data.penetap_nip)}" if data.penetap_nip and data.penetap_nip.isdigit() else ""
    tanda_tangan = Table(
        [[_p("", KIRI), _p("Ditetapkan di Jakarta", KIRI)],
         [_p("", KIRI), _p(f"pada tanggal {tanggal_indonesia(data.tanggal)}", KIRI)],
         [_p("", KIRI), Spacer(0, 6)],
         [_p("", KIRI), _p("<b>KEPALA UNIT KERJA PENGADAAN BARANG/JASA,</b>", KIRI)],
         [_p("", KIRI), Spacer(0, 22 * mm)],
         [_p("", KIRI), _p(f"<u><b>{nama}</b></u>", KIRI)],
         [_p("", KIRI), _p(nip, KIRI)]],
        colWidths=[85 * mm, None],
    )
    tanda_tangan.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    tembusan = _p("Tembusan: 1. Sekretaris Jenderal Kementerian Dalam Negeri; 2. Kepala Biro Umum; "
                  "3. Anggota Pokja Pemilihan yang bersangkutan.", _gaya("tembusan", fontSize=9, leading=11))
    return [Spacer(0, 12), KeepTogether([tanda_tangan]), Spacer(0, 10), tembusan]
