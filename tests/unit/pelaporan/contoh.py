"""Test data for the pelaporan unit tests: whole Ringkasan values with a few knobs."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from services.pelaporan.laporan import (
    AgregatPaket,
    Ringkasan,
    RingkasanHelpdesk,
    RingkasanPengadaan,
    RingkasanRegistrasi,
)
from services.pelaporan.periode import WIB, Periode

S1_2026 = Periode.semesteran(2026, 1)
DIAMBIL = datetime(2026, 7, 1, 8, 0, tzinfo=WIB)


def registrasi(**ubah: Any) -> RingkasanRegistrasi:
    dasar = RingkasanRegistrasi(
        diajukan=120, disetujui=90, ditolak=12, perlu_perbaikan=18, ditolak_daftar_hitam=3,
        median_jam_keputusan=20.5, p90_jam_keputusan=Decimal("70.25"),
        pengguna_aktif=1500, pengguna_nonaktif=40, pengguna_kedaluwarsa=12, pengguna_dinonaktifkan=5,
    )
    return replace(dasar, **ubah)


def pengadaan(**ubah: Any) -> RingkasanPengadaan:
    dasar = RingkasanPengadaan(
        per_jenis=(
            AgregatPaket("barang", 10, 2, 5_000_000_000, 4_800_000_000, 4_500_000_000, 900_000_000),
            AgregatPaket("pekerjaan_konstruksi", 4, 1, 20_000_000_000, 19_000_000_000, 18_000_000_000, 3_000_000_000),
            AgregatPaket("jasa_konsultansi", 3, 0, 2_000_000_000, 1_900_000_000, 1_700_000_000, 0),
        ),
        per_metode=(
            AgregatPaket("tender", 12, 3, 25_000_000_000, 23_800_000_000, 22_500_000_000, 3_900_000_000),
            AgregatPaket("seleksi", 3, 0, 2_000_000_000, 1_900_000_000, 1_700_000_000, 0),
            AgregatPaket("pengadaan_langsung", 2, 0, 0, 0, 0, 0),
        ),
        pokja_dibentuk=5, pokja_dibubarkan=2, pokja_aktif=8, anggota_pokja=21,
        penugasan_paket_anggota=51, beban_paket_maks=6, pejabat_pengadaan_ditugaskan=4,
    )
    return replace(dasar, **ubah)


def helpdesk(**ubah: Any) -> RingkasanHelpdesk:
    dasar = RingkasanHelpdesk(
        tiket_per_kategori={"aplikasi": 40, "akun": 25, "non_teknis": 5},
        tiket_per_kanal={"web": 50, "telepon": 20},
        sla_respons_terpenuhi=60, sla_respons_total=70,
        sla_penyelesaian_terpenuhi=55, sla_penyelesaian_total=64,
        median_jam_kerja_respons=1.25, median_jam_kerja_penyelesaian=Decimal("6.5"),
        eskalasi_lkpp=3, berita_acara=1, kepuasan_jumlah=280, kepuasan_responden=65,
    )
    return replace(dasar, **ubah)


def ringkasan(periode: Periode = S1_2026, diambil_pada: datetime = DIAMBIL, **bagian: Any) -> Ringkasan:
    return Ringkasan(
        periode=periode,
        diambil_pada=diambil_pada,
        registrasi=bagian.get("registrasi", registrasi()),
        pengadaan=bagian.get("pengadaan", pengadaan()),
        helpdesk=bagian.get("helpdesk", helpdesk()),
    )


def ringkasan_kosong(periode: Periode = S1_2026) -> Ringkasan:
    return ringkasan(
        periode,
        registrasi=RingkasanRegistrasi(0, 0, 0, 0, 0, None, None, 0, 0, 0, 0),
        pengadaan=RingkasanPengadaan((), (), 0, 0, 0, 0, 0, 0, 0),
        helpdesk=RingkasanHelpdesk({}, {}, 0, 0, 0, 0, None, None, 0, 0, 0, 0),
    )
