"""Worked examples for the API documentation, computed by the real report model (pure, no I/O)."""

from __future__ import annotations

from datetime import datetime
from services.pelaporan.berkas import hash_konten
from services.pelaporan.format import ke_csv, ke_json
from services.pelaporan.laporan import (
    AgregatPaket,
    Ringkasan,
    RingkasanHelpdesk,
    RingkasanPengadaan,
    RingkasanRegistrasi,
    susun_laporan,
)
from services.pelaporan.periode import WIB, Periode

PERIODE = Periode.semesteran(2026, 1)
DIAMBIL = datetime(2026, 7, 1, 8, 0, tzinfo=WIB)

RINGKASAN = Ringkasan(
    periode=PERIODE,
    diambil_pada=DIAMBIL,
    registrasi=RingkasanRegistrasi(
        diajukan=120, disetujui=90, ditolak=12, perlu_perbaikan=18, ditolak_daftar_hitam=3,
        median_jam_keputusan=20.5, p90_jam_keputusan=70.25, pengguna_aktif=1500, pengguna_nonaktif=40,
        pengguna_kedaluwarsa=12, pengguna_dinonaktifkan=5, ditolak_di_pintu=2),
    pengadaan=RingkasanPengadaan(
        per_jenis=(AgregatPaket("barang", 10, 2, 5_000_000_000, 4_800_000_000, 4_500_000_000, 900_000_000),
                   AgregatPaket("jasa_konsultansi", 3, 0, 2_000_000_000, 1_900_000_000, 1_700_000_000, 0)),
        per_metode=(AgregatPaket("tender", 10, 2, 5_000_000_000, 4_800_000_000, 4_500_000_000, 900_000_000),
                    AgregatPaket("seleksi", 3, 0, 2_000_000_000, 1_900_000_000, 1_700_000_000, 0)),
        pokja_dibentuk=5, pokja_dibubarkan=2, pokja_aktif=8, anggota_pokja=21, penugasan_paket_anggota=51,
        beban_paket_maks=6, pejabat_pengadaan_ditugaskan=4),
    helpdesk=RingkasanHelpdesk(
        tiket_per_kategori={"aplikasi": 40, "akun": 25, "non_teknis": 5}, tiket_per_kanal={"web": 50, "telepon": 20},
        sla_respons_terpenuhi=60, sla_respons_total=70, sla_penyelesaian_terpenuhi=55, sla_penyelesaian_total=64,
        median_jam_kerja_respons=1.25, median_jam_kerja_penyelesaian=6.5, eskalasi_lkpp=3, berita_acara=1,
        kepuasan_jumlah=280, kepuasan_responden=65, tiket_di_luar_lingkup=5),
)
LAPORAN = susun_laporan(PERIODE, RINGKASAN)


def laporan_csv(baris: int = 12) -> str:
    return "\r\n".join(ke_csv(LAPORAN).decode("utf-8-sig").split("\r\n")[:baris]) + "\r\n..."


def hash_json() -> str:
    return hash_konten(ke_json(LAPORAN))
