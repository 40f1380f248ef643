"""Reporting periods of the UKPBJ report to the Minister (P53 Pasal 26).

The fiscal year runs 1 January to 31 December (UU 17/2003 Pasal 4); Semester I is January to
June, Semester II July to December. Every boundary is midnight WIB (Asia/Jakarta) and every
period is half-open, [mulai, selesai), so an event at exactly 1 July 00:00 WIB belongs to
Semester II and never to both. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from shared.errors import ErrorCollector, FieldError, ValidationFailed
from shared.waktu import WIB


TAHUN_MIN = 2000
TAHUN_MAX = 2100

JenisPeriode = Literal["semester", "tahunan"]
_ROMAWI = {1: "I", 2: "II"}


@dataclass(frozen=True)
class Periode:
    """One reporting period: a semester (1 or 2) of a fiscal year, or the whole year."""

    tahun: int
    jenis: JenisPeriode
    semester: int | None = None

    def __post_init__(self) -> None:
        galat = ErrorCollector()
        if type(self.tahun) is not int or not TAHUN_MIN <= self.tahun <= TAHUN_MAX:
            galat.add("tahun", f"Tahun harus bilangan bulat {TAHUN_MIN}-{TAHUN_MAX}.")
        if self.jenis == "semester":
            if type(self.semester) is not int or self.semester not in (1, 2):
                galat.add("semester", "Semester harus 1 atau 2.")
        elif self.jenis == "tahunan":
            if self.semester is not None:
                galat.add("semester", "Laporan tahunan tidak memakai semester.")
        else:
            galat.add("jenis", "Jenis periode harus 'semester' atau 'tahunan'.")
        galat.raise_if_any()

    @classmethod
    def semesteran(cls, tahun: int, semester: int) -> Periode:
        return cls(tahun, "semester", semester)

    @classmethod
    def tahunan(cls, tahun: int) -> Periode:
        return cls(tahun, "tahunan")

    @property
    def mulai(self) -> datetime:
        """First instant of the period (inclusive), midnight WIB."""
        bulan = 7 if self.semester == 2 else 1
        return datetime(self.tahun, bulan, 1, tzinfo=WIB)

    @property
    def selesai(self) -> datetime:
        """First instant after the period (exclusive), midnight WIB."""
        if self.semester == 1:
            return datetime(self.tahun, 7, 1, tzinfo=WIB)
        return datetime(self.tahun + 1, 1, 1, tzinfo=WIB)

    @property
    def kode(self) -> str:
        """Stable short code: '2026-S1', '2026-S2', '2026'."""
        return f"{self.tahun}-S{self.semester}" if self.semester else str(self.tahun)

    @property
    def nama(self) -> str:
        """Indonesian name as printed in the report: 'Semester I Tahun 2026', 'Tahun 2026'."""
        if self.semester:
            return f"Semester {_ROMAWI[self.semester]} Tahun {self.tahun}"
        return f"Tahun {self.tahun}"

    def sebelumnya(self) -> Periode:
        """The previous comparable period: S1 -> S2 of last year, S2 -> S1, year -> last year."""
        if self.semester == 2:
            return Periode.semesteran(self.tahun, 1)
        if self.semester == 1:
            return Periode.semesteran(self.tahun - 1, 2)
        return Periode.tahunan(self.tahun - 1)

    def mengandung(self, waktu: datetime) -> bool:
        """Whether an aware instant falls inside [mulai, selesai)."""
        return self.mulai <= _wajib_aware(waktu, "waktu") < self.selesai

    def sudah_berakhir(self, now: datetime) -> bool:
        """Whether the period is over at the aware instant `now` (at `selesai` it is)."""
        return _wajib_aware(now, "now") >= self.selesai


def periode_dari_waktu(dt: datetime, jenis: JenisPeriode = "semester") -> Periode:
    """The semester (or, with jenis='tahunan', the fiscal year) holding an aware instant."""
    lokal = _wajib_aware(dt, "dt").astimezone(WIB)
    if jenis == "tahunan":
        return Periode.tahunan(lokal.year)
    return Periode(lokal.year, jenis, 1 if lokal.month <= 6 else 2)


def _wajib_aware(waktu: datetime, nama_isian: str) -> datetime:
    if not isinstance(waktu, datetime) or waktu.utcoffset() is None:
        raise ValidationFailed(
            f"{nama_isian}: waktu harus memakai zona waktu (mis. +07:00).",
            errors=[FieldError(nama_isian, "Waktu tanpa zona waktu tidak dapat dipetakan ke WIB.")],
        )
    return waktu

