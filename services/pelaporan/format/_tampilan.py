"""Shared wording and number formatting of the rendered report (Indonesian conventions)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from services.pelaporan.laporan import DASAR_HUKUM, NA, PENERIMA, PENYUSUN, JenisNilai, Laporan, Nilai
from services.pelaporan.periode import WIB

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)


def ribuan(n: int) -> str:
    """1234567 -> '1.234.567' (Indonesian thousands separator)."""
    return f"{n:,}".replace(",", ".")


def desimal(d: Decimal) -> str:
    """Decimal('-1234.50') -> '-1.234,50'."""
    bulat, _, pecahan = f"{d:,.2f}".partition(".")
    return f"{bulat.replace(',', '.')},{pecahan}"


def teks_cetak(nilai: Nilai, jenis: JenisNilai) -> str:
    """A value as printed for a reader: '1.234.567', '12,50%', '1,25 poin', 'N/A'."""
    if isinstance(nilai, str):
        return nilai
    if isinstance(nilai, int):
        return ribuan(nilai)
    teks = desimal(nilai)
    if jenis == "persen":
        return f"{teks}%"
    if jenis == "poin":
        return f"{teks} poin"
    return teks


def teks_mesin(nilai: Nilai) -> str:
    """A value as a machine reads it: '1234567', '12.50', 'N/A'."""
    return nilai if isinstance(nilai, str) else str(nilai)


def tanggal(dt: datetime) -> str:
    """'1 Juli 2026' for an aware instant, in WIB."""
    lokal = dt.astimezone(WIB)
    return f"{lokal.day} {BULAN[lokal.month - 1]} {lokal.year}"


def waktu(dt: datetime) -> str:
    """'1 Juli 2026 pukul 08.00 WIB'."""
    lokal = dt.astimezone(WIB)
    return f"{tanggal(lokal)} pukul {lokal:%H.%M} WIB"


def rentang_periode(laporan: Laporan) -> str:
    """'1 Januari 2026 s.d. 30 Juni 2026' (the last day of the half-open period)."""
    p = laporan.periode
    return f"{tanggal(p.mulai)} s.d. {tanggal(p.selesai - timedelta(days=1))}"


def judul_sampul(laporan: Laporan) -> str:
    """'LAPORAN SEMESTER I TAHUN 2026' or 'LAPORAN TAHUNAN TAHUN 2026'."""
    return laporan.judul.upper()


def status_data(laporan: Laporan) -> str:
    if laporan.sementara:
        return "Sementara: periode belum berakhir saat data diambil"
    return "Periode telah berakhir"


def identitas(laporan: Laporan) -> list[tuple[str, str]]:
    """The report's identifying lines, shown first in every tabular format."""
    return [
        ("Judul", laporan.judul),
        ("Penyusun", PENYUSUN),
        ("Kepada", PENERIMA),
        ("Dasar", DASAR_HUKUM),
        ("Periode", f"{laporan.periode.nama} ({rentang_periode(laporan)})"),
        ("Pembanding", laporan.periode_sebelumnya.nama if laporan.ada_pembanding else NA),
        ("Data per", waktu(laporan.dibuat_pada)),
        ("Status data", status_data(laporan)),
    ]
