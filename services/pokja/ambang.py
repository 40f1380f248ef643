"""Dated configuration: value thresholds for the selection method and for who names the winner.

Each `AmbangBerlaku` holds the limits in force from `berlaku_mulai` (inclusive) until the next
entry starts. A change in the law is a new entry, never an edit of an old one, so a package decided
on an earlier date keeps the limits of that date. Amounts are whole rupiah (int), upper bounds
inclusive ("paling banyak").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from shared.errors import ValidationFailed

JUTA = 1_000_000
MILIAR = 1_000_000_000

# Perpres 16/2018 took effect on 1 July 2018 (its closing article). DOMAIN.md does not state this
# date; it only bounds the oldest decision the system can make, so a date before it is refused.
PERPRES_16_2018_BERLAKU = date(2018, 7, 1)

# UNCONFIRMED — check against JDIH before relying on it. DOMAIN.md §3 confirms the Rp400 jt
# construction limit of Perpres 46/2025 but gives no effective date. Perpres 46/2025 is reported as
# signed 24 April 2025 and in force from promulgation on 30 April 2025; neither date could be
# confirmed from the project's sources. Change this value (only) once it is confirmed.
PERPRES_46_2025_BERLAKU = date(2025, 4, 30)


@dataclass(frozen=True)
class AmbangBerlaku:
    """The limits in force from `berlaku_mulai`, and the regulation they come from."""

    berlaku_mulai: date
    dasar: str
    # Highest value (inclusive) that may still use Pengadaan Langsung, per jenis_pengadaan.
    pengadaan_langsung: Mapping[str, int]
    # Highest pagu (inclusive) up to which the Pokja, not the PA, names the winner, per jenis.
    pemenang_oleh_pokja: Mapping[str, int]


def _per_jenis(barang: int, konstruksi: int, konsultansi: int, lainnya: int) -> Mapping[str, int]:
    return MappingProxyType({
        "barang": barang,
        "pekerjaan_konstruksi": konstruksi,
        "jasa_konsultansi": konsultansi,
        "jasa_lainnya": lainnya,
    })


# Winner-naming limits (DOMAIN.md §3, rule 18): Rp100 M for goods, construction and other services
# (tender), Rp10 M for consultancy (seleksi). Perpres 46/2025 is not reported to change them.
_PEMENANG_OLEH_POKJA = _per_jenis(100 * MILIAR, 100 * MILIAR, 10 * MILIAR, 100 * MILIAR)

DEFAULT: tuple[AmbangBerlaku, ...] = (
    AmbangBerlaku(
        berlaku_mulai=PERPRES_16_2018_BERLAKU,
        dasar="Perpres 16/2018 jo. Perpres 12/2021",
        pengadaan_langsung=_per_jenis(200 * JUTA, 200 * JUTA, 100 * JUTA, 200 * JUTA),
        pemenang_oleh_pokja=_PEMENANG_OLEH_POKJA,
    ),
    AmbangBerlaku(
        berlaku_mulai=PERPRES_46_2025_BERLAKU,
        dasar="Perpres 46/2025",
        pengadaan_langsung=_per_jenis(200 * JUTA, 400 * JUTA, 100 * JUTA, 200 * JUTA),
        pemenang_oleh_pokja=_PEMENANG_OLEH_POKJA,
    ),
)


def ambang_pada(tanggal: date, ambang: Sequence[AmbangBerlaku] = DEFAULT) -> AmbangBerlaku:
    """The entry in force on `tanggal`: the latest one that started on or before it."""
    berlaku = [a for a in ambang if a.berlaku_mulai <= tanggal]
    if not berlaku:
        awal = min(a.berlaku_mulai for a in ambang).isoformat()
        raise ValidationFailed(
            f"Tidak ada ambang nilai yang berlaku pada {tanggal.isoformat()}; "
            f"konfigurasi ambang dimulai {awal}."
        )
    return max(berlaku, key=lambda a: a.berlaku_mulai)
