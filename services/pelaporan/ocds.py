"""Procurement packages and their selection outcomes as an OCDS 1.1 release package.

One release per package (ocid = `<ocid_prefix>-<kode>`), validated against the core OCDS 1.1.5
schema with no extension: extensions are fetched from the internet, so none is named. Mapping:

- buyer: the satuan kerja whose budget pays; procuringEntity: the UKPBJ; supplier: the winner.
- planning.budget.amount = pagu; tender.value = HPS; awards[].value = nilai kontrak; all in IDR.
- tender.status: `complete` with an award for `selesai`, `unsuccessful` for `gagal`, `active`
  while no result was reported.
- The Pokja Pemilihan is the UKPBJ's contact point for the tender (`contactPoint.name`); its
  members' names go in the UKPBJ party's `details.pokjaPemilihan` (core OCDS leaves `details`
  open; a validator lists it as an additional field, never as an error). Member names are only
  published once the selection has a reported result: during a selection a Pokja's make-up is
  not made public.

Standard library only; returns a JSON-ready dict.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from services.pelaporan.laporan import JENIS_PENGADAAN, METODE_PEMILIHAN, PENYUSUN
from services.pelaporan.periode import WIB
from shared.errors import ErrorCollector

UKPBJ_ID = "ukpbj-kemendagri"
MATA_UANG = "IDR"

KATEGORI_OCDS = {
    "barang": "goods",
    "pekerjaan_konstruksi": "works",
    "jasa_konsultansi": "services",
    "jasa_lainnya": "services",
}
"""jenis_pengadaan -> mainProcurementCategory (consultancy also gets consultingServices)."""

METODE_OCDS = {
    "tender": "open",
    "tender_cepat": "open",  # any provider qualified in SIKaP may bid
    "seleksi": "selective",  # consultancy: prequalification, then the shortlist is invited
    "penunjukan_langsung": "direct",  # one provider appointed in defined special cases
    "pengadaan_langsung": "direct",  # one provider, small value, by the Pejabat Pengadaan
    "e_purchasing": "direct",  # purchase from the electronic catalogue
}
"""metode_pemilihan -> procurementMethod; the Indonesian name goes in procurementMethodDetails."""

_OCID_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")


@dataclass(frozen=True)
class HasilPemilihan:
    """The selection result the Pokja or Pejabat Pengadaan reported to the Kepala UKPBJ."""

    status: Literal["selesai", "gagal"]
    tanggal: date | datetime
    nilai_kontrak: int | None = None
    pemenang: str | None = None


@dataclass(frozen=True)
class PokjaPaket:
    nama: str
    anggota: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatatanPaket:
    """One procurement package as the pokja service records it, with its result if any."""

    kode: str
    nama: str
    satuan_kerja: str
    jenis_pengadaan: str
    pagu: int
    hps: int
    metode_pemilihan: str
    tahun_anggaran: int
    hasil: HasilPemilihan | None = None
    pokja: PokjaPaket | None = None


def rilis_ocds(
    paket_records: Iterable[CatatanPaket],
    *,
    publisher: Mapping[str, str],
    uri: str,
    published_date: datetime,
    ocid_prefix: str,
) -> dict[str, Any]:
    """An OCDS 1.1 release package with one release per package, in the given order."""
    daftar = list(paket_records)
    galat = ErrorCollector()
    if not publisher.get("name"):
        galat.add("publisher.name", "Nama penerbit wajib diisi.")
    if not _OCID_PREFIX.match(ocid_prefix):
        galat.add("ocid_prefix", "Prefiks OCID berbentuk 'ocds-' diikuti 6 huruf kecil/angka.")
    if not isinstance(published_date, datetime) or published_date.utcoffset() is None:
        galat.add("published_date", "Waktu terbit harus memakai zona waktu.")
    kode_terlihat: set[str] = set()
    for i, paket in enumerate(daftar):
        _periksa_paket(paket, f"paket_records[{i}]", galat, kode_terlihat)
    galat.raise_if_any()

    terbit = published_date.astimezone(WIB)
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": terbit.isoformat(),
        "publisher": dict(publisher),
        "releases": [_rilis(paket, terbit, ocid_prefix) for paket in daftar],
    }


def _periksa_paket(paket: CatatanPaket, awalan: str, galat: ErrorCollector, terlihat: set[str]) -> None:
    if not paket.kode:
        galat.add(f"{awalan}.kode", "Kode paket wajib diisi.")
    elif paket.kode in terlihat:
        galat.add(f"{awalan}.kode", f"Kode paket {paket.kode} berulang.")
    terlihat.add(paket.kode)
    for isian in ("nama", "satuan_kerja"):
        if not getattr(paket, isian).strip():
            galat.add(f"{awalan}.{isian}", "Wajib diisi.")
    if paket.jenis_pengadaan not in KATEGORI_OCDS:
        galat.add(f"{awalan}.jenis_pengadaan", f"Jenis tidak dikenal: {paket.jenis_pengadaan}.")
    if paket.metode_pemilihan not in METODE_OCDS:
        galat.add(f"{awalan}.metode_pemilihan", f"Metode tidak dikenal: {paket.metode_pemilihan}.")
    for isian in ("pagu", "hps"):
        if type(getattr(paket, isian)) is not int or getattr(paket, isian) < 0:
            galat.add(f"{awalan}.{isian}", "Harus rupiah bulat tidak negatif.")
    hasil = paket.hasil
    if hasil is None:
        return
    if hasil.status == "selesai":
        if type(hasil.nilai_kontrak) is not int or hasil.nilai_kontrak < 0:
            galat.add(f"{awalan}.hasil.nilai_kontrak", "Paket selesai wajib punya nilai kontrak (rupiah bulat).")
        if not (hasil.pemenang or "").strip():
            galat.add(f"{awalan}.hasil.pemenang", "Paket selesai wajib punya pemenang.")
    elif hasil.status == "gagal":
        if hasil.nilai_kontrak is not None or hasil.pemenang is not None:
            galat.add(f"{awalan}.hasil", "Pemilihan gagal tidak punya pemenang atau nilai kontrak.")
    else:
        galat.add(f"{awalan}.hasil.status", "Status harus 'selesai' atau 'gagal'.")
    if isinstance(hasil.tanggal, datetime) and hasil.tanggal.utcoffset() is None:
        galat.add(f"{awalan}.hasil.tanggal", "Waktu harus memakai zona waktu.")


def _rilis(paket: CatatanPaket, terbit: datetime, ocid_prefix: str) -> dict[str, Any]:
    ocid = f"{ocid_prefix}-{paket.kode}"
    pembeli = {"id": f"satker-{_slug(paket.satuan_kerja)}", "name": paket.satuan_kerja}
    pengelola = {"id": UKPBJ_ID, "name": PENYUSUN}
    pihak = [{**pembeli, "roles": ["buyer"]}, {**pengelola, "roles": ["procuringEntity"]}]
    if paket.pokja is not None:
        pihak[1]["contactPoint"] = {"name": paket.pokja.nama}
        if paket.hasil is not None and paket.pokja.anggota:
            pihak[1]["details"] = {
                "pokjaPemilihan": {"nama": paket.pokja.nama, "anggota": list(paket.pokja.anggota)}
            }

    tender: dict[str, Any] = {
        "id": paket.kode,
        "title": paket.nama,
        "status": _status_tender(paket.hasil),
        "procuringEntity": pengelola,
        "value": _nilai(paket.hps),
        "procurementMethod": METODE_OCDS[paket.metode_pemilihan],
        "procurementMethodDetails": METODE_PEMILIHAN[paket.metode_pemilihan],
        "mainProcurementCategory": KATEGORI_OCDS[paket.jenis_pengadaan],
    }
    if paket.jenis_pengadaan == "jasa_konsultansi":
        tender["additionalProcurementCategories"] = ["consultingServices"]

    rilis: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{paket.kode}-{terbit.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        "date": terbit.isoformat(),
        "tag": ["tender"],
        "initiationType": "tender",
        "language": "id",
        "parties": pihak,
        "buyer": pembeli,
        "planning": {
            "budget": {
                "description": f"Pagu anggaran {JENIS_PENGADAAN[paket.jenis_pengadaan]}, "
                f"Tahun Anggaran {paket.tahun_anggaran}",
                "amount": _nilai(paket.pagu),
            }
        },
        "tender": tender,
    }
    hasil = paket.hasil
    if hasil is not None and hasil.status == "selesai":
        pemasok = {"id": f"penyedia-{_slug(hasil.pemenang or '')}", "name": hasil.pemenang}
        pihak.append({**pemasok, "roles": ["supplier"]})
        rilis["tag"] = ["tender", "award"]
        rilis["awards"] = [{
            "id": f"{paket.kode}-1",
            "title": paket.nama,
            "status": "active",
            "date": _waktu(hasil.tanggal),
            "value": _nilai(hasil.nilai_kontrak or 0),
            "suppliers": [pemasok],
        }]
    return rilis


def _status_tender(hasil: HasilPemilihan | None) -> str:
    if hasil is None:
        return "active"
    return "complete" if hasil.status == "selesai" else "unsuccessful"


def _nilai(rupiah: int) -> dict[str, Any]:
    return {"amount": rupiah, "currency": MATA_UANG}


def _waktu(tanggal: date | datetime) -> str:
    if isinstance(tanggal, datetime):
        return tanggal.astimezone(WIB).isoformat()
    return datetime(tanggal.year, tanggal.month, tanggal.day, tzinfo=WIB).isoformat()


def _slug(nama: str) -> str:
    ascii_saja = unicodedata.normalize("NFKD", nama).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_saja.lower()).strip("-") or "tanpa-nama"
