"""Factories for pokja unit tests: valid by default, changed per test with keyword arguments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from services.pokja.domain import (
    CalonAnggota,
    KoordinasiSatker,
    Paket,
    Pegawai,
    PejabatPengadaan,
    Pokja,
    Sertifikat,
)

HARI_INI = date(2025, 6, 2)
SATKER_UKPBJ = "Biro Umum Setjen"
SATKER_LUAR = "Ditjen Bina Keuangan Daerah"
JUTA = 1_000_000


def nip(n: int) -> str:
    return f"198001012005011{n:03d}"


def sertifikat(jenis: str = "kompetensi", level: int = 1,
               berlaku_sampai: date = date(2030, 12, 31)) -> Sertifikat:
    return Sertifikat(jenis=jenis, level=level, nomor=f"SERT-{jenis}-{level}",
                      berlaku_sampai=berlaku_sampai)


def pengelola(n: int, **ubah: object) -> Pegawai:
    dasar = Pegawai(nip=nip(n), nama=f"Pengelola {n}", jabatan="pengelola_pbj", unit="ukpbj",
                    satuan_kerja=SATKER_UKPBJ, status_spse="aktif")
    return replace(dasar, **ubah)


def pns(n: int, **ubah: object) -> Pegawai:
    dasar = Pegawai(nip=nip(n), nama=f"PNS {n}", jabatan="lainnya", unit="ukpbj",
                    satuan_kerja=SATKER_UKPBJ, sertifikat=[sertifikat()], status_spse="aktif")
    return replace(dasar, **ubah)


def pns_luar(n: int, **ubah: object) -> Pegawai:
    return pns(n, unit="luar_ukpbj", satuan_kerja=SATKER_LUAR, **ubah)


def koordinasi(pegawai: Pegawai, tanggal: date = HARI_INI - timedelta(days=7),
               satuan_kerja: str | None = None) -> KoordinasiSatker:
    return KoordinasiSatker(satuan_kerja=satuan_kerja or pegawai.satuan_kerja,
                            pimpinan="Sekretaris Ditjen", tanggal=tanggal, nomor_surat="005/123")


def calon(pegawai: Pegawai, koordinasi_satker: KoordinasiSatker | None = None) -> CalonAnggota:
    if koordinasi_satker is None and pegawai.unit == "luar_ukpbj":
        koordinasi_satker = koordinasi(pegawai)
    return CalonAnggota(pegawai, koordinasi_satker)


def paket(kode: str = "PKT-001", **ubah: object) -> Paket:
    isian: dict[str, object] = dict(
        kode=kode, nama=f"Pengadaan {kode}", satuan_kerja=SATKER_UKPBJ, jenis_pengadaan="barang",
        pagu=1_000 * JUTA, hps=900 * JUTA, tahun_anggaran=2025, tanggal=HARI_INI,
        perencana_nip=nip(901), ppk_nip=nip(902), pemeriksa_nip=nip(903),
    )
    isian.update(ubah)
    return Paket.catat(**isian)  # type: ignore[arg-type]


def pokja(anggota: Sequence[Pegawai | CalonAnggota] | None = None, paket: Sequence[Paket] = (),
          id: str = "pokja-1", tanggal: date = HARI_INI) -> Pokja:
    anggota = anggota if anggota is not None else [pengelola(1), pengelola(2), pengelola(3)]
    daftar = [a if isinstance(a, CalonAnggota) else calon(a) for a in anggota]
    return Pokja.bentuk(id=id, nama="Pokja Pemilihan 1", nomor_sk="027/001/2025",
                        anggota=daftar, tanggal=tanggal, paket=paket)


def per_nip(pegawai: Sequence[Pegawai]) -> dict[str, Pegawai]:
    return {p.nip: p for p in pegawai}


def pejabat(pegawai: Pegawai | None = None, satuan_kerja: str = SATKER_UKPBJ) -> PejabatPengadaan:
    pegawai = pegawai or pengelola(50, sertifikat=[sertifikat(level=2)])
    return PejabatPengadaan.tugaskan(pegawai=pegawai, satuan_kerja=satuan_kerja,
                                     nomor_permintaan_kpa="KPA/01/2025", tanggal=HARI_INI)
