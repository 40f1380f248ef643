"""The API shape of registrasi: XCreate / XPublic / ... (the shape of the input only; the rules are in domain.py)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.registrasi.domain import (
    BentukUsaha,
    JenisDokumen,
    JenisPelanggaran,
    JenisPendaftaran,
    Keputusan,
    Peran,
    StatusPendaftaran,
    StatusPengguna,
)

Nama = Annotated[str, Field(min_length=2, max_length=200)]
Teks = Annotated[str, Field(min_length=2, max_length=200)]
Nomor = Annotated[str, Field(min_length=1, max_length=32, description="Angka sesuai DOMAIN.md; untuk NPWP tanda "
                                                                     "baca `.`, `-` dan spasi diabaikan.")]
Email = Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                             examples=["pengadaan@contoh.co.id"])]
Telepon = Annotated[str, Field(min_length=6, max_length=20, pattern=r"^\+?[0-9 ()-]+$")]
Alamat = Annotated[str, Field(min_length=5, max_length=500)]
UserId = Annotated[str, Field(min_length=4, max_length=64, pattern=r"^[A-Za-z0-9._-]+$",
                              description="User ID SPSE yang diminta: huruf, angka, `.`, `_`, `-`.")]
Alasan = Annotated[str, Field(max_length=2000)]
DaftarPeran = Annotated[list[Peran], Field(min_length=1, max_length=6)]

CONTOH_PENYEDIA: dict[str, Any] = {
    "jenis": "penyedia", "bentuk_usaha": "pt", "nama": "PT Sinar Nusantara Konstruksi",
    "npwp": "01.312.166.0-091.000", "nib": "9120001234567", "email": "pengadaan@sinarnusantara.co.id",
    "telepon": "0251-8312345", "alamat": "Jl. Pajajaran No. 12, Bogor", "user_id": "sinarnusantara",
    "penanggung_jawab": {"nama": "Budi Santoso", "nik": "3201011708800001", "jabatan": "Direktur Utama"},
}
CONTOH_NON_PENYEDIA: dict[str, Any] = {
    "jenis": "non_penyedia", "nama": "Siti Rahmawati", "nip": "199005122015032002", "nik": "3174075205900001",
    "instansi": "Kementerian Dalam Negeri", "satuan_kerja": "Biro Umum Sekretariat Jenderal",
    "peran": ["pokja"], "nomor_sk": "900.1.1-123 Tahun 2025", "berlaku_sampai": "2026-12-31",
    "email": "siti.rahmawati@kemendagri.go.id", "user_id": "siti.rahmawati",
}


# Unicode categories Cc (control, fixed at U+0000-001F and U+007F-009F) and Cs (surrogates), except tab and
# line breaks: one regex scan instead of unicodedata.category per character (issue 9: every create).
_KENDALI = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def teks_aman(nilai: Any) -> Any:
    """Refuse control characters and lone surrogates in text (PostgreSQL cannot store NUL)."""
    if isinstance(nilai, str):
        if _KENDALI.search(nilai):
            raise ValueError("berisi karakter kendali atau karakter tidak sah; hapus karakter tersebut")
    elif isinstance(nilai, list):
        for isi in nilai:
            teks_aman(isi)
    return nilai


class _Masukan(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _tanpa_karakter_kendali(cls, nilai: Any) -> Any:
        return teks_aman(nilai)


class PenanggungJawab(_Masukan):
    """The director, owner or authorised person whose KTP is shown (Lampiran 2.5.1)."""

    nama: Nama
    nik: Nomor = Field(description="NIK 16 digit (KTP).")
    jabatan: Annotated[str, Field(min_length=2, max_length=100)]


class PendaftaranPenyediaCreate(_Masukan):
    """A business entity or an individual (perorangan: the NPWP is the NIK)."""

    jenis: Literal["penyedia"]
    bentuk_usaha: BentukUsaha
    nama: Nama
    npwp: Nomor = Field(description="15 digit (format lama, disimpan dengan awalan 0) atau 16 digit.")
    nib: Nomor | None = Field(None, description="NIB 13 digit dari OSS-RBA.")
    email: Email
    telepon: Telepon
    alamat: Alamat
    user_id: UserId
    penanggung_jawab: PenanggungJawab

    model_config = ConfigDict(json_schema_extra={"examples": [CONTOH_PENYEDIA]})


class PendaftaranNonPenyediaCreate(_Masukan):
    """A government user: NIP, NIK, agency, satker, requested roles, and the SK or assignment letter."""

    jenis: Literal["non_penyedia"]
    nama: Nama
    nip: Nomor = Field(description="NIP 18 digit.")
    nik: Nomor = Field(description="NIK 16 digit; tanggal lahir dan jenis kelamin harus sesuai NIP.")
    instansi: Teks
    satuan_kerja: Teks
    peran: DaftarPeran
    nomor_sk: Annotated[str, Field(min_length=3, max_length=100)]
    berlaku_sampai: date = Field(description="Tanggal akhir SK/surat tugas; akses berakhir setelah tanggal ini.")
    email: Email
    user_id: UserId

    model_config = ConfigDict(json_schema_extra={"examples": [CONTOH_NON_PENYEDIA]})


PendaftaranCreate = Annotated[PendaftaranPenyediaCreate | PendaftaranNonPenyediaCreate,
                              Field(discriminator="jenis")]

CONTOH_PENDAFTARAN = {
    "penyedia": {"summary": "Penyedia badan usaha (PT)", "value": CONTOH_PENYEDIA},
    "perorangan": {"summary": "Penyedia perorangan (NPWP = NIK)", "value": {
        **CONTOH_PENYEDIA, "bentuk_usaha": "perorangan", "nama": "Budi Santoso (Bengkel Las Santoso)",
        "npwp": "3201011708800001", "nib": "9120007654321", "user_id": "bengkel.santoso",
        "email": "budi.santoso@contoh.id"}},
    "non_penyedia": {"summary": "Pengguna pemerintah (non-penyedia)", "value": CONTOH_NON_PENYEDIA},
    "npwp_lama": {"summary": "NPWP 15 digit format lama (disimpan 16 digit, ditandai)", "value": {
        **CONTOH_PENYEDIA, "npwp": "013121660091000"}},
}


class PendaftaranPerbaikan(_Masukan):
    """Corrected fields for a resubmission; only the fields given change. `jenis` cannot change."""

    nama: Nama | None = None
    email: Email | None = None
    user_id: UserId | None = None
    bentuk_usaha: BentukUsaha | None = None
    npwp: Nomor | None = None
    nib: Nomor | None = None
    telepon: Telepon | None = None
    alamat: Alamat | None = None
    penanggung_jawab: PenanggungJawab | None = None
    nip: Nomor | None = None
    nik: Nomor | None = None
    instansi: Teks | None = None
    satuan_kerja: Teks | None = None
    peran: DaftarPeran | None = None
    nomor_sk: Annotated[str, Field(min_length=3, max_length=100)] | None = None
    berlaku_sampai: date | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"telepon": "0251-8312999", "penanggung_jawab": {"nama": "Budi Santoso", "nik": "3201011708800001",
                                                         "jabatan": "Direktur Utama"}}]})


class Verifikasi(_Masukan):
    """A verifikator's decision on a waiting registration."""

    keputusan: Keputusan
    alasan: Alasan = Field("", description="Wajib untuk `ditolak`; untuk `perlu_perbaikan` wajib bila "
                                           "`kekurangan` kosong.")
    dokumen_asli_diperiksa: list[JenisDokumen] = Field(
        default_factory=list, max_length=len(JenisDokumen),
        description="Jenis dokumen yang aslinya sudah diperlihatkan dan dicocokkan (wajib untuk `disetujui`).")
    kekurangan: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=30,
        description="Untuk `perlu_perbaikan`: dokumen atau isian yang harus diperbaiki.")

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"keputusan": "disetujui", "dokumen_asli_diperiksa": ["ktp", "akta_pendirian", "npwp",
                                                              "formulir_pendaftaran", "formulir_keikutsertaan"]},
        {"keputusan": "perlu_perbaikan", "alasan": "Pindaian KTP buram", "kekurangan": ["ktp"]},
        {"keputusan": "ditolak", "alasan": "NIB terdaftar atas nama badan usaha lain"},
    ]})


CONTOH_VERIFIKASI = {
    "disetujui": {"summary": "Setujui: semua dokumen wajib ada dan aslinya sudah diperiksa", "value": {
        "keputusan": "disetujui", "dokumen_asli_diperiksa": ["ktp", "akta_pendirian", "npwp",
                                                             "formulir_pendaftaran", "formulir_keikutsertaan"]}},
    "perlu_perbaikan": {"summary": "Kembalikan untuk diperbaiki", "value": {
        "keputusan": "perlu_perbaikan", "alasan": "Pindaian KTP buram", "kekurangan": ["ktp"]}},
    "ditolak": {"summary": "Tolak (final, alasan wajib)", "value": {
        "keputusan": "ditolak", "alasan": "NIB terdaftar atas nama badan usaha lain"}},
}


class AlasanStatus(_Masukan):
    """The reason for deactivating or reactivating a user ID (required)."""

    alasan: Annotated[str, Field(min_length=1, max_length=2000)]

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"alasan": "Melanggar syarat dan ketentuan penggunaan SPSE (berbagi akun)"}]})


class DaftarHitamCreate(_Masukan):
    """A blacklist entry by NPWP and/or NIB; the end date follows from the kind of breach."""

    npwp: Nomor | None = None
    nib: Nomor | None = None
    nama_penyedia: Nama | None = None
    jenis_pelanggaran: JenisPelanggaran = Field(description="`etika` (24 bulan) atau `non_etika` (12 bulan).")
    mulai: date
    alasan: Annotated[str, Field(min_length=3, max_length=2000)]
    nomor_keputusan: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        None, description="Nomor keputusan PA/KPA yang menetapkan sanksi.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "npwp": "21.034.563.3-017.000", "nib": "8120109876543", "nama_penyedia": "CV Maju Terus",
        "jenis_pelanggaran": "etika", "mulai": "2025-03-01",
        "alasan": "Menyampaikan dokumen palsu pada tender 2024", "nomor_keputusan": "027/1234/BU/2025"}]})


# --- responses ---------------------------------------------------------------------------------------------

class PenanggungJawabPublic(BaseModel):
    nama: str
    nik: str = Field(description="Disamarkan kecuali untuk verifikator dan pendaftar sendiri.")
    jabatan: str


class DokumenPublic(BaseModel):
    id: str
    jenis: JenisDokumen
    versi: int = Field(description="1 untuk unggahan pertama; unggahan ulang menambah versi, yang lama tetap diarsip.")
    terkini: bool = Field(description="Versi terbaru untuk jenis ini (yang dipakai verifikasi).")
    nama_berkas: str | None
    jenis_konten: str = Field(description="Terdeteksi dari isi berkas: application/pdf, image/jpeg, image/png.")
    ukuran: int
    sha256: str
    diunggah_oleh: str
    diunggah_pada: datetime

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "5b0c7e3e-3c5f-4a8e-9f55-3f0a3c2b9d11", "jenis": "ktp", "versi": 2, "terkini": True,
        "nama_berkas": "ktp-direktur.pdf", "jenis_konten": "application/pdf", "ukuran": 182344,
        "sha256": "9f2c6d1f0c5b0e5f0b1f3c2d9a8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e",
        "diunggah_oleh": "pendaftar:sinarnusantara", "diunggah_pada": "2025-06-02T09:15:00+07:00"}]})


class PendaftaranPublic(BaseModel):
    """A registration. NIK and NPWP are masked except for the verifikator and the registrant itself."""

    id: str
    jenis: JenisPendaftaran
    status: StatusPendaftaran
    nama: str
    email: str
    user_id: str
    bentuk_usaha: BentukUsaha | None = None
    npwp: str | None = None
    npwp_format_lama: bool = Field(False, description="NPWP dimasukkan dalam format 15 digit lama.")
    nib: str | None = None
    telepon: str | None = None
    alamat: str | None = None
    penanggung_jawab: PenanggungJawabPublic | None = None
    nip: str | None = None
    nik: str | None = None
    instansi: str | None = None
    satuan_kerja: str | None = None
    peran: list[Peran] = Field(default_factory=list)
    nomor_sk: str | None = None
    berlaku_sampai: date | None = None
    peringatan: list[str] = Field(default_factory=list, description="Catatan untuk verifikator (bukan penolakan).")
    dokumen: list[DokumenPublic] = Field(default_factory=list, description="Versi terkini tiap jenis dokumen.")
    syarat_belum_diunggah: list[str] = Field(default_factory=list, description="Dokumen wajib yang belum diunggah.")
    dokumen_asli_diperiksa: list[JenisDokumen] = Field(default_factory=list)
    alasan: str | None = Field(None, description="Alasan keputusan terakhir (ditolak / perlu_perbaikan).")
    kekurangan: list[str] = Field(default_factory=list)
    pengguna_id: str | None = None
    diajukan_pada: datetime
    menunggu_sejak: datetime = Field(description="Saat terakhir masuk antrean verifikasi (diajukan atau "
                                                 "diajukan ulang).")
    diputuskan_pada: datetime | None = None
    diputuskan_oleh: str | None = None
    versi: int = Field(description="Versi data; sama dengan ETag. Kirim sebagai If-Match pada perubahan.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "0f8fad5b-d9cb-469f-a165-70867728950e", "jenis": "penyedia", "status": "diajukan",
        "nama": "PT Sinar Nusantara Konstruksi", "email": "pengadaan@sinarnusantara.co.id",
        "user_id": "sinarnusantara", "bentuk_usaha": "pt", "npwp": "0013********1000", "npwp_format_lama": True,
        "nib": "9120001234567", "telepon": "0251-8312345", "alamat": "Jl. Pajajaran No. 12, Bogor",
        "penanggung_jawab": {"nama": "Budi Santoso", "nik": "3201********0001", "jabatan": "Direktur Utama"},
        "peran": [], "peringatan": ["NPWP 15 digit adalah format lama; disimpan sebagai 16 digit dengan awalan 0 "
                                    "(PMK 112/2022)."],
        "dokumen": [], "syarat_belum_diunggah": ["akta_pendirian", "formulir_keikutsertaan", "formulir_pendaftaran",
                                                 "ktp", "npwp"],
        "dokumen_asli_diperiksa": [], "kekurangan": [], "diajukan_pada": "2025-06-02T09:00:00+07:00",
        "menunggu_sejak": "2025-06-02T09:00:00+07:00", "versi": 1}]})


class PendaftaranDibuat(PendaftaranPublic):
    token_akses: str = Field(description="Simpan token ini: dipakai di header `X-Token-Akses` untuk mengunggah "
                                         "dokumen, memperbaiki data dan memantau status. Tidak ditampilkan lagi.")


class PenggunaPublic(BaseModel):
    """An SPSE user account. NIK and NPWP are masked except for the verifikator."""

    id: str
    user_id: str
    jenis: JenisPendaftaran
    status: StatusPengguna
    nama: str
    email: str
    bentuk_usaha: BentukUsaha | None = None
    npwp: str | None = None
    nib: str | None = None
    nip: str | None = None
    nik: str | None = None
    instansi: str | None = None
    satuan_kerja: str | None = None
    peran: list[str] = Field(default_factory=list)
    berlaku_sampai: date | None = Field(None, description="Pengguna pemerintah: akses berakhir setelah tanggal ini.")
    alasan_status: str | None = None
    pendaftaran_id: str
    dibuat_pada: datetime
    diperbarui_pada: datetime
    versi: int

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "user_id": "siti.rahmawati", "jenis": "non_penyedia",
        "status": "aktif", "nama": "Siti Rahmawati", "email": "siti.rahmawati@kemendagri.go.id",
        "nip": "199005122015032002", "nik": "3174********0001", "instansi": "Kementerian Dalam Negeri",
        "satuan_kerja": "Biro Umum Sekretariat Jenderal", "peran": ["pokja"], "berlaku_sampai": "2026-12-31",
        "pendaftaran_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "dibuat_pada": "2025-06-03T10:00:00+07:00",
        "diperbarui_pada": "2025-06-03T10:00:00+07:00", "versi": 1}]})


class DaftarHitamPublic(BaseModel):
    id: str
    npwp: str | None = Field(None, description="Disamarkan kecuali untuk verifikator.")
    nib: str | None = None
    nama_penyedia: str | None = None
    jenis_pelanggaran: JenisPelanggaran
    mulai: date
    selesai: date = Field(description="mulai + 24 bulan (etika) atau + 12 bulan (non-etika).")
    aktif: bool = Field(description="Berlaku hari ini (WIB): mulai <= hari ini <= selesai.")
    alasan: str
    nomor_keputusan: str | None = None
    dicatat_oleh: str
    dicatat_pada: datetime

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "npwp": "0210********7000", "nib": "8120109876543",
        "nama_penyedia": "CV Maju Terus", "jenis_pelanggaran": "etika", "mulai": "2025-03-01",
        "selesai": "2027-03-01", "aktif": True, "alasan": "Menyampaikan dokumen palsu pada tender 2024",
        "nomor_keputusan": "027/1234/BU/2025", "dicatat_oleh": "198001012005011001",
        "dicatat_pada": "2025-03-02T08:00:00+07:00"}]})


class RiwayatPublic(BaseModel):
    """One history entry: who, when, what changed, why."""

    id: int
    waktu: datetime
    aksi: str
    aktor: str
    peran: str | None = None
    alamat_ip: str | None = None
    request_id: str | None = None
    perubahan: dict[str, Any]
    alasan: str | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 42, "waktu": "2025-06-03T10:00:00+07:00", "aksi": "disetujui", "aktor": "198001012005011001",
        "peran": "verifikator", "alamat_ip": "10.0.0.5", "request_id": "4f1c0d8e2b",
        "perubahan": {"status": ["diajukan", "disetujui"], "pengguna_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7"},
        "alasan": None}]})
