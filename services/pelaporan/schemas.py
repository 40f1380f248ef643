"""The API shape of pelaporan: live indicators, frozen reports, differences, and the report's JSON.

`LaporanPublic` documents what `GET /laporan/...?format=json` returns; the bytes themselves come
from `format.ke_json`, the same renderer a frozen report was stored with.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

NA = Literal["N/A"]
Angka = int | float | str


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- indicators


class PeriodePublic(_Model):
    kode: str = Field(examples=["2026-S2"])
    nama: str = Field(examples=["Semester II Tahun 2026"])
    tahun: int
    jenis: Literal["semester", "tahunan"]
    semester: int | None
    mulai: datetime = Field(description="Awal periode (inklusif), tengah malam WIB")
    selesai: datetime = Field(description="Akhir periode (eksklusif), tengah malam WIB")


class IndikatorPendaftaran(_Model):
    total: int = Field(description="Pendaftaran yang pernah diajukan")
    per_status: dict[str, int] = Field(description="Pendaftaran menurut status terkini")
    antrean_verifikasi: int = Field(description="Menunggu keputusan verifikator (status `diajukan`)")
    menunggu_perbaikan: int = Field(description="Dikembalikan untuk perbaikan, menunggu pendaftar")
    diajukan_semester_ini: int
    disetujui_semester_ini: int
    ditolak_semester_ini: int
    ditolak_daftar_hitam_semester_ini: int = Field(
        description="Ditolak verifikator karena daftar hitam ditambah pengajuan yang ditolak sistem")
    median_jam_keputusan_semester_ini: float | NA


class IndikatorPengguna(_Model):
    aktif: int
    nonaktif: int
    kedaluwarsa: int
    daftar_hitam_aktif: int = Field(description="Entri daftar hitam yang berlaku hari ini (WIB)")


class IndikatorPengadaan(_Model):
    paket_tahun_ini: int = Field(description="Paket tahun anggaran berjalan yang tercatat")
    paket_tanpa_hasil_tahun_ini: int = Field(description="... yang belum dilaporkan hasil pemilihannya")
    paket_selesai_semester_ini: int
    paket_gagal_semester_ini: int
    nilai_kontrak_semester_ini: int
    efisiensi_persen_semester_ini: float | NA
    pokja_aktif: int
    anggota_pokja_aktif: int
    anggota_perlu_diganti: int = Field(description="Anggota Pokja aktif yang akun SPSE-nya nonaktif/kedaluwarsa")
    pejabat_pengadaan_ditugaskan: int


class IndikatorHelpdesk(_Model):
    tiket_terbuka: int = Field(description="Tiket yang belum selesai atau ditutup")
    tiket_per_status: dict[str, int]
    eskalasi_lkpp_terbuka: int
    tiket_semester_ini: int
    sla_respons_persen_semester_ini: float | NA
    sla_penyelesaian_persen_semester_ini: float | NA
    pengumuman_gangguan_aktif: int


class IndikatorSinkronisasi(_Model):
    event_terakhir_pada: datetime | None = Field(description="Waktu event terakhir diterapkan ke model baca")
    antrean_event: int | None = Field(
        description="Event yang belum diproses konsumen di replika ini (null bila konsumen tidak berjalan di sini)")


class Indikator(_Model):
    diperbarui_pada: datetime
    periode: PeriodePublic = Field(description="Semester berjalan (WIB)")
    pendaftaran: IndikatorPendaftaran
    pengguna: IndikatorPengguna
    pengadaan: IndikatorPengadaan
    helpdesk: IndikatorHelpdesk
    sinkronisasi: IndikatorSinkronisasi


# --------------------------------------------------------------------------- frozen reports


HashKonten = dict[str, str]
"""Per format (`json`, `csv`, `xlsx`, `pdf`): 'sha256:<64 hex>' of the frozen bytes."""


class LaporanFinalPublic(_Model):
    periode: PeriodePublic
    difinalkan_pada: datetime
    difinalkan_oleh: str = Field(description="Subjek token Kepala UKPBJ (NIP)")
    hash_konten: HashKonten = Field(description="SHA-256 dari setiap format yang dibekukan, sama dengan header "
                                                "`X-Hash-Konten` saat diunduh")
    tautan: dict[str, str] = Field(description="Alamat unduh per format dan alamat selisih")


class SelisihAngka(_Model):
    bagian: str = Field(examples=["helpdesk"])
    tabel: str = Field(examples=["angka_kunci"])
    baris: str = Field(examples=["Tiket masuk"])
    kolom: str = Field(examples=["nilai"])
    final: Angka | None = Field(description="Nilai dalam laporan final (null: baris belum ada saat dibekukan)")
    sekarang: Angka | None = Field(description="Nilai menurut data sekarang (null: baris tidak ada lagi)")


class SelisihPublic(_Model):
    periode: PeriodePublic
    difinalkan_pada: datetime
    dihitung_pada: datetime
    hash_konten: HashKonten
    ada_selisih: bool
    selisih: list[SelisihAngka] = Field(description="Angka yang berubah karena event yang datang setelah laporan "
                                                    "dibekukan; laporan final sendiri tidak berubah")


# --------------------------------------------------------------------------- the report (documentation)


class KolomPublic(_Model):
    kunci: str
    judul: str
    jenis: str = Field(description="teks, bilangan, rupiah, persen, poin, jam, desimal, menurut_baris")


class TabelPublic(_Model):
    kunci: str
    judul: str
    kolom: list[KolomPublic]
    baris: list[dict[str, Angka]] = Field(description="Satu objek per baris, kunci = `kolom[].kunci`; "
                                                      "penyebut nol ditulis \"N/A\"")
    ada_total: bool


class AngkaKunciPublic(_Model):
    kunci: str
    label: str
    jenis: str
    nilai: Angka
    sebelumnya: Angka = Field(description="Nilai periode sebelumnya, atau \"N/A\"")
    selisih: Angka
    perubahan_persen: Angka
    ditandai: bool = Field(description="Perlu perhatian, mis. efisiensi negatif")
    catatan: str


class GrafikPublic(_Model):
    judul: str
    tabel: str
    kolom: list[str]


class BagianPublic(_Model):
    kunci: Literal["pengadaan", "registrasi", "helpdesk"]
    judul: str
    dasar: str = Field(description="Pasal yang mendasari bagian ini")
    angka_kunci: list[AngkaKunciPublic]
    tabel: list[TabelPublic]
    grafik: list[GrafikPublic]
    catatan: list[str]


class PeriodeLaporan(_Model):
    kode: str
    nama: str
    tahun: int
    jenis: str
    semester: int | None
    mulai: str
    selesai: str


class LaporanPublic(_Model):
    judul: str = Field(examples=["Laporan Semester I Tahun 2026"])
    penyusun: str
    penerima: str = Field(examples=["Menteri Dalam Negeri melalui Sekretaris Jenderal c.q. Kepala Biro Umum"])
    dasar_hukum: str = Field(examples=["Pasal 26 Peraturan Menteri Dalam Negeri Nomor 53 Tahun 2021"])
    periode: PeriodeLaporan
    periode_sebelumnya: PeriodeLaporan
    dibuat_pada: str = Field(description="Data per (WIB)")
    sementara: bool = Field(description="Periode belum berakhir saat data diambil")
    ada_pembanding: bool = Field(description="Ada data periode sebelumnya untuk perbandingan")
    bagian: list[BagianPublic]
