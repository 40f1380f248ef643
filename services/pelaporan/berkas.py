"""The downloadable report: formats, file names, content hashes, and what changed since freezing.

Pure (standard library and the renderers): the service renders a `Laporan` here into the four
formats, hashes them, serialises the figures it froze, and compares a frozen report with the
figures now (later events are shown as a difference, never merged into the frozen copy).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from services.pelaporan.format import ke_csv, ke_json, ke_pdf, ke_xlsx
from services.pelaporan.laporan import Laporan, Ringkasan
from services.pelaporan.periode import Periode

FormatLaporan = Literal["json", "csv", "xlsx", "pdf"]


@dataclass(frozen=True)
class Format:
    kode: FormatLaporan
    media_type: str
    render: Callable[[Laporan], bytes]
    disposisi: str  # inline | attachment


FORMAT: dict[str, Format] = {
    "json": Format("json", "application/json", ke_json, "inline"),
    "csv": Format("csv", "text/csv; charset=utf-8", ke_csv, "attachment"),
    "xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ke_xlsx, "attachment"),
    "pdf": Format("pdf", "application/pdf", ke_pdf, "inline"),
}


def nama_berkas(periode: Periode, format_: str) -> str:
    """'laporan-ukpbj-2026-S1.pdf', 'laporan-ukpbj-2026-tahunan.xlsx'."""
    kode = periode.kode if periode.semester else f"{periode.tahun}-tahunan"
    return f"laporan-ukpbj-{kode}.{format_}"


def content_disposition(periode: Periode, format_: str) -> str:
    return f'{FORMAT[format_].disposisi}; filename="{nama_berkas(periode, format_)}"'


def hash_konten(isi: bytes) -> str:
    """'sha256:<64 hex>' of the exact bytes served."""
    return "sha256:" + hashlib.sha256(isi).hexdigest()


def render_semua(laporan: Laporan) -> dict[str, bytes]:
    """Every format of one report, from the same computed figures."""
    return {kode: f.render(laporan) for kode, f in FORMAT.items()}


def _json_default(nilai: Any) -> Any:
    if isinstance(nilai, (datetime, date)):
        return nilai.isoformat()
    if isinstance(nilai, Decimal):
        return str(nilai)
    raise TypeError(f"not JSON serialisable: {type(nilai)!r}")


def ringkasan_ke_dict(ringkasan: Ringkasan | None) -> dict[str, Any] | None:
    """The raw aggregates as JSON-ready data (kept with a frozen report as its figures)."""
    if ringkasan is None:
        return None
    data = asdict(ringkasan)
    data["periode"] = ringkasan.periode.kode
    return json.loads(json.dumps(data, default=_json_default))


@dataclass(frozen=True)
class Selisih:
    """One figure that differs between the frozen report and the figures now."""

    bagian: str
    tabel: str
    baris: str
    kolom: str
    final: int | float | str | None  # None: the row did not exist when the report was frozen
    sekarang: int | float | str | None  # None: the row no longer exists

    def ke_dict(self) -> dict[str, Any]:
        return asdict(self)


def _sel(laporan: dict[str, Any]) -> Iterator[tuple[tuple[str, str, str, str], Any]]:
    """Every figure of a report dict as ((bagian, tabel, baris, kolom), value); comparisons left out."""
    for bagian in laporan["bagian"]:
        for angka in bagian["angka_kunci"]:
            yield (bagian["kunci"], "angka_kunci", angka["label"], "nilai"), angka["nilai"]
        for tabel in bagian["tabel"]:
            pertama = tabel["kolom"][0]["kunci"]
            for baris in tabel["baris"]:
                for kolom, nilai in baris.items():
                    if kolom != pertama:
                        yield (bagian["kunci"], tabel["kunci"], str(baris[pertama]), kolom), nilai


def selisih_laporan(final: dict[str, Any], sekarang: dict[str, Any]) -> list[Selisih]:
    """Figures of `sekarang` that differ from the frozen `final` (both `Laporan.ke_dict()` as JSON)."""
    kini = dict(_sel(sekarang))
    hasil = []
    for kunci, nilai in _sel(final):
        baru = kini.get(kunci)
        if baru != nilai:
            hasil.append(Selisih(*kunci, final=nilai, sekarang=baru))
    lama = {k for k, _ in _sel(final)}
    hasil.extend(Selisih(*k, final=None, sekarang=v) for k, v in kini.items() if k not in lama)
    return hasil
