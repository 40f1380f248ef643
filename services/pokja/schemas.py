"""The API shape of pokja: XCreate (input) / XPublic (output). Shapes only: the rules are in domain.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Nip = Annotated[str, Field(pattern=r"^\d{18}$", description="NIP PNS, 18 digit", examples=["198503122010011003"])]
KodePaket = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$", examples=["PKT-2025-0001"],
                                 description="Kode paket (RUP/SPSE)")]
Teks = Annotated[str, Field(min_length=2, max_length=200)]
Alasan = Annotated[str, Field(min_length=5, max_length=2000)]
Rupiah = Annotated[int, Field(ge=1, le=10**15, description="Rupiah, bilangan bulat")]
Jabatan = Literal["pengelola_pbj", "lainnya"]
Unit = Literal["ukpbj", "luar_ukpbj"]
PeranLpse = Literal["admin_sistem", "verifikator", "helpdesk"]
JenisPengadaan = Literal["barang", "pekerjaan_konstruksi", "jasa_konsultansi", "jasa_lainnya"]
Metode = Literal["pengadaan_langsung", "tender", "tender_cepat", "seleksi", "penunjukan_langsung", "e_purchasing"]
PeranPokja = Literal["ketua", "sekretaris", "anggota"]

CONTOH_NIP = ["198503122010011003", "199001052015032001", "198811202012121002"]


def _contoh(*examples: dict) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class _Masukan(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- pegawai ------------------------------------------------------------------------------------


class SertifikatIn(_Masukan):
    jenis: Annotated[str, Field(min_length=2, max_length=40, pattern=r"^[a-z0-9_]+$",
                                description="`kompetensi`, `keahlian` (PBJ), `jf_ppbj`, atau jenis lain")]
    level: Annotated[int, Field(ge=1, le=9)]
    nomor: Annotated[str, Field(min_length=1, max_length=100)]
    berlaku_sampai: date


_CONTOH_PEGAWAI = {
    "nip": "198503122010011003", "nama": "Rina Wulandari, S.E.", "jabatan": "pengelola_pbj",
    "nama_jabatan": "Pengelola Pengadaan Barang/Jasa Ahli Muda", "unit": "ukpbj",
    "satuan_kerja": "Biro Umum Sekretariat Jenderal",
    "sertifikat": [{"jenis": "kompetensi", "level": 2, "nomor": "LKPP-K2-2023-001234", "berlaku_sampai": "2028-06-30"}],
    "peran_lpse": None,
}


class PegawaiCreate(_Masukan):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True,
                              json_schema_extra={"examples": [_CONTOH_PEGAWAI]})

    nip: Nip
    nama: Teks
    jabatan: Jabatan = Field(description="`pengelola_pbj` (JF Pengelola PBJ) atau `lainnya` (PNS lain)")
    nama_jabatan: Annotated[str | None, Field(max_length=200, description="Nama jabatan untuk SK")] = None
    unit: Unit
    satuan_kerja: Teks
    sertifikat: Annotated[list[SertifikatIn], Field(max_length=20)] = []
    peran_lpse: PeranLpse | None = None


class PegawaiUpdate(_Masukan):
    """Only the fields sent are changed; `peran_lpse: null` removes an LPSE role."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [
        {"sertifikat": [{"jenis": "kompetensi", "level": 2, "nomor": "LKPP-K2-2025-004411",
                         "berlaku_sampai": "2030-06-30"}]},
        {"peran_lpse": "verifikator"}]})

    nama: Teks | None = None
    jabatan: Jabatan | None = None
    nama_jabatan: Annotated[str | None, Field(max_length=200)] = None
    unit: Unit | None = None
    satuan_kerja: Teks | None = None
    sertifikat: Annotated[list[SertifikatIn] | None, Field(max_length=20)] = None
    peran_lpse: PeranLpse | None = None


class SertifikatPublic(BaseModel):
    jenis: str
    level: int
    nomor: str
    berlaku_sampai: date
    berlaku: bool = Field(description="Masih berlaku hari ini (WIB)")


class PegawaiPublic(BaseModel):
    model_config = _contoh({**_CONTOH_PEGAWAI, "sertifikat": [{**_CONTOH_PEGAWAI["sertifikat"][0], "berlaku": True}],
                            "status_spse": "aktif", "versi": 1, "dibuat_pada": "2025-06-02T09:00:00+07:00"})

    nip: str
    nama: str
    jabatan: str
    nama_jabatan: str | None
    unit: str
    satuan_kerja: str
    sertifikat: list[SertifikatPublic]
    peran_lpse: str | None
    status_spse: str = Field(description="User ID SPSE: `aktif`, `nonaktif`, `kedaluwarsa` atau `belum_terdaftar`")
    versi: int
    dibuat_pada: datetime


# --- paket --------------------------------------------------------------------------------------

_CONTOH_PAKET = {
    "kode": "PKT-2025-0001", "nama": "Pengadaan Laptop untuk Biro Umum",
    "satuan_kerja": "Biro Umum Sekretariat Jenderal",
    "jenis_pengadaan": "barang", "pagu": 1_500_000_000, "hps": 1_420_000_000, "tahun_anggaran": 2025,
    "perencana_nip": "197905152005012001", "ppk_nip": "198002202006041002", "pemeriksa_nip": "198306182009012003",
}


class PaketCreate(_Masukan):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True,
                              json_schema_extra={"examples": [_CONTOH_PAKET]})

    kode: KodePaket
    nama: Annotated[str, Field(min_length=3, max_length=300)]
    satuan_kerja: Teks
    jenis_pengadaan: JenisPengadaan
    pagu: Rupiah
    hps: Rupiah
    tahun_anggaran: Annotated[int, Field(ge=2000, le=2100)]
    perencana_nip: Nip | None = None
    ppk_nip: Nip | None = None
    pemeriksa_nip: Nip | None = None


class MetodeUbah(_Masukan):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [
        {"metode": "tender_cepat", "alasan": "Spesifikasi dan volume telah ditetapkan rinci; pelaku usaha "
                                             "terkualifikasi dalam SIKaP (Perpres 12/2021 Pasal 38 ayat 6)."}]})

    metode: Metode
    alasan: Alasan


class HasilPemilihanCreate(_Masukan):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [
        {"status": "selesai", "tanggal": "2025-07-15", "nilai_kontrak": 1_385_000_000,
         "pemenang": "PT Sinar Nusantara Teknologi"},
        {"status": "gagal", "tanggal": "2025-07-15", "keterangan": "Tidak ada penawaran yang memenuhi syarat"}]})

    status: Literal["selesai", "gagal"]
    tanggal: date
    nilai_kontrak: Rupiah | None = None
    pemenang: Annotated[str | None, Field(max_length=300)] = None
    keterangan: Annotated[str | None, Field(max_length=2000)] = None


class PelaksanaPublic(BaseModel):
    jenis: Literal["pokja", "pejabat_pengadaan"]
    id: str
    nama: str


class HasilPublic(BaseModel):
    status: str
    tanggal: date
    nilai_kontrak: int | None
    pemenang: str | None
    keterangan: str | None
    pelapor_nip: str
    pelaksana: str
    dilaporkan_pada: datetime


class PaketPublic(BaseModel):
    model_config = _contoh({
        **_CONTOH_PAKET, "metode_pemilihan": "tender", "metode_turunan": "tender", "metode_manual": None,
        "alasan_metode": None, "tanggal_metode": "2025-06-02", "dasar_ambang": "Perpres 46/2025",
        "batas_pengadaan_langsung": 200_000_000, "penetap_pemenang": "pokja",
        "pelaksana": {"jenis": "pokja", "id": "6f1c2a9e-3d1b-4c55-9a53-0d8f3e1b7a21", "nama": "Pokja Pemilihan I"},
        "hasil": None, "versi": 2, "dibuat_pada": "2025-06-02T09:00:00+07:00"})

    kode: str
    nama: str
    satuan_kerja: str
    jenis_pengadaan: str
    pagu: int
    hps: int
    tahun_anggaran: int
    perencana_nip: str | None
    ppk_nip: str | None
    pemeriksa_nip: str | None
    metode_pemilihan: str = Field(description="Metode yang berlaku: penetapan manual bila ada, selain itu turunan")
    metode_turunan: str = Field(description="Metode menurut ambang nilai yang berlaku pada `tanggal_metode`")
    metode_manual: str | None
    alasan_metode: str | None
    tanggal_metode: date
    dasar_ambang: str
    batas_pengadaan_langsung: int
    penetap_pemenang: str = Field(description="`pokja` atau `pa` (yang menetapkan pemenang menurut pagu)")
    pelaksana: PelaksanaPublic | None
    hasil: HasilPublic | None
    versi: int
    dibuat_pada: datetime


class PaketRingkas(BaseModel):
    kode: str
    nama: str
    satuan_kerja: str
    jenis_pengadaan: str
    hps: int
    metode_pemilihan: str
    status_hasil: str | None


# --- pokja --------------------------------------------------------------------------------------


class KoordinasiSatkerIn(_Masukan):
    satuan_kerja: Teks
    pimpinan: Teks = Field(description="Pimpinan satuan kerja yang diajak berkoordinasi")
    tanggal: date
    nomor_surat: Annotated[str | None, Field(max_length=100)] = None


class AnggotaIn(_Masukan):
    nip: Nip
    koordinasi_satker: KoordinasiSatkerIn | None = Field(
        None, description="Wajib bagi PNS dari luar UKPBJ (Pasal 15 ayat 4)")
    peran: PeranPokja | None = Field(None, description="Bila kosong: anggota pertama ketua, kedua sekretaris")


_CONTOH_BENTUK = {
    "nama": "Pokja Pemilihan I Tahun 2025", "nomor_sk": "027/001/UKPBJ/2025",
    "anggota": [{"nip": CONTOH_NIP[0]}, {"nip": CONTOH_NIP[1]},
                {"nip": "198811202012121002", "koordinasi_satker": {
                    "satuan_kerja": "Ditjen Bina Keuangan Daerah", "pimpinan": "Sekretaris Ditjen Bina Keuangan Daerah",
                    "tanggal": "2025-05-28", "nomor_surat": "005/412/KEUDA"}}],
    "paket": ["PKT-2025-0001"],
}


class PokjaCreate(_Masukan):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True,
                              json_schema_extra={"examples": [_CONTOH_BENTUK]})

    nama: Teks
    nomor_sk: Annotated[str, Field(min_length=3, max_length=100)]
    anggota: Annotated[list[AnggotaIn], Field(max_length=25)]
    paket: Annotated[list[KodePaket], Field(max_length=100)] = []


class UbahAnggota(_Masukan):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [
        {"anggota": [{"nip": "199203142018012001"}], "keluarkan": ["199001052015032001"],
         "alasan": "Mutasi jabatan"},
        {"anggota": [{"nip": "199203142018012001"}, {"nip": "199306252019022002"}], "keluarkan": [],
         "alasan": "Beban kerja pemilihan bertambah (Pasal 15 ayat 2)"}]})

    anggota: Annotated[list[AnggotaIn], Field(max_length=25, description="Anggota yang ditambahkan")] = []
    keluarkan: Annotated[list[Nip], Field(max_length=25, description="NIP anggota yang dikeluarkan")] = []
    alasan: Annotated[str | None, Field(max_length=2000)] = None


class PenugasanPaket(_Masukan):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True,
                              json_schema_extra={"examples": [{"paket": ["PKT-2025-0002", "PKT-2025-0003"]}]})

    paket: Annotated[list[KodePaket], Field(min_length=1, max_length=100)]


class Pembubaran(_Masukan):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [
        {"alasan": "Seluruh paket Tahun Anggaran 2025 telah selesai dipilih"}]})

    alasan: Alasan


class AnggotaPublic(BaseModel):
    nip: str
    nama: str
    jabatan: str
    nama_jabatan: str | None
    unit: str
    satuan_kerja: str
    peran: str = Field(description="Kedudukan dalam Pokja: `ketua`, `sekretaris` atau `anggota`")
    koordinasi_satker: dict | None
    status_spse: str
    perlu_diganti: bool = Field(description="User ID SPSE anggota nonaktif atau kedaluwarsa: harus diganti")
    mulai: datetime


class PokjaPublic(BaseModel):
    model_config = _contoh({
        "id": "6f1c2a9e-3d1b-4c55-9a53-0d8f3e1b7a21", "nama": "Pokja Pemilihan I Tahun 2025",
        "nomor_sk": "027/001/UKPBJ/2025", "tanggal_sk": "2025-06-02", "status": "aktif",
        "anggota": [{"nip": CONTOH_NIP[0], "nama": "Rina Wulandari, S.E.", "jabatan": "pengelola_pbj",
                     "nama_jabatan": "Pengelola Pengadaan Barang/Jasa Ahli Muda", "unit": "ukpbj",
                     "satuan_kerja": "Biro Umum Sekretariat Jenderal", "peran": "ketua", "koordinasi_satker": None,
                     "status_spse": "aktif", "perlu_diganti": False, "mulai": "2025-06-02T09:00:00+07:00"}],
        "paket": [{"kode": "PKT-2025-0001", "nama": "Pengadaan Laptop untuk Biro Umum",
                   "satuan_kerja": "Biro Umum Sekretariat Jenderal", "jenis_pengadaan": "barang",
                   "hps": 1_420_000_000, "metode_pemilihan": "tender", "status_hasil": None}],
        "jumlah_anggota": 3, "perlu_penggantian": [], "alasan_pembubaran": None,
        "dibentuk_pada": "2025-06-02T09:00:00+07:00", "dibubarkan_pada": None, "versi": 2})

    id: str
    nama: str
    nomor_sk: str
    tanggal_sk: date
    status: Literal["aktif", "dibubarkan"]
    anggota: list[AnggotaPublic]
    paket: list[PaketRingkas]
    jumlah_anggota: int
    perlu_penggantian: list[str] = Field(description="NIP anggota yang harus diganti")
    alasan_pembubaran: str | None
    dibentuk_pada: datetime
    dibubarkan_pada: datetime | None
    versi: int


class CalonPublic(BaseModel):
    nip: str
    nama: str
    jabatan: str
    unit: str
    beban: int = Field(description="Paket yang sedang berjalan (Pokja aktif dan Pejabat Pengadaan)")


class SaranAnggota(BaseModel):
    model_config = _contoh({"jumlah": 3, "paket": "PKT-2025-0001", "tanggal": "2025-06-02", "anggota": [
        {"nip": CONTOH_NIP[0], "nama": "Rina Wulandari, S.E.", "jabatan": "pengelola_pbj", "unit": "ukpbj",
         "beban": 0}]})

    jumlah: int
    paket: str | None
    tanggal: date
    anggota: list[CalonPublic]


class BebanPokja(BaseModel):
    id: str
    nama: str
    nomor_sk: str
    jumlah_anggota: int
    jumlah_paket: int
    paket_berjalan: int
    paket: list[str]


class BebanPegawai(BaseModel):
    nip: str
    nama: str
    jabatan: str
    pokja: list[str] = Field(description="Id Pokja aktif yang diikuti")
    paket_pokja: int = Field(description="Paket berjalan pada Pokja aktif yang diikuti")
    paket_pejabat_pengadaan: int = Field(description="Paket berjalan sebagai Pejabat Pengadaan")
    beban: int


class BebanKerja(BaseModel):
    model_config = _contoh({"tanggal": "2025-06-02", "pokja": [
        {"id": "6f1c2a9e-3d1b-4c55-9a53-0d8f3e1b7a21", "nama": "Pokja Pemilihan I Tahun 2025",
         "nomor_sk": "027/001/UKPBJ/2025", "jumlah_anggota": 3, "jumlah_paket": 2, "paket_berjalan": 1,
         "paket": ["PKT-2025-0001", "PKT-2025-0002"]}],
        "pegawai": [{"nip": CONTOH_NIP[0], "nama": "Rina Wulandari, S.E.", "jabatan": "pengelola_pbj",
                     "pokja": ["6f1c2a9e-3d1b-4c55-9a53-0d8f3e1b7a21"], "paket_pokja": 1,
                     "paket_pejabat_pengadaan": 0, "beban": 1}]})

    tanggal: date
    pokja: list[BebanPokja]
    pegawai: list[BebanPegawai]


# --- Pejabat Pengadaan --------------------------------------------------------------------------


class PejabatPengadaanCreate(_Masukan):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": [
        {"nip": "198503122010011003", "satuan_kerja": "Direktorat Jenderal Politik dan Pemerintahan Umum",
         "nomor_permintaan_kpa": "027/315/POLPUM/2025"}]})

    nip: Nip
    satuan_kerja: Teks
    nomor_permintaan_kpa: Annotated[str, Field(max_length=100, description="Nomor surat permintaan KPA (Pasal 16)")]


class PejabatPengadaanPublic(BaseModel):
    model_config = _contoh({
        "id": "0b6c6f8e-8f7a-4c0b-a2a4-5b1d7c9e2f10", "nip": "198503122010011003", "nama": "Rina Wulandari, S.E.",
        "satuan_kerja": "Direktorat Jenderal Politik dan Pemerintahan Umum",
        "nomor_permintaan_kpa": "027/315/POLPUM/2025", "status": "aktif", "status_spse": "aktif",
        "perlu_diganti": False, "paket": [], "versi": 1, "ditugaskan_pada": "2025-06-02T09:00:00+07:00"})

    id: str
    nip: str
    nama: str
    satuan_kerja: str
    nomor_permintaan_kpa: str
    status: str
    status_spse: str
    perlu_diganti: bool
    paket: list[PaketRingkas]
    versi: int
    ditugaskan_pada: datetime


# --- history and configuration ------------------------------------------------------------------


class RiwayatPublic(BaseModel):
    model_config = _contoh({"id": 41, "waktu": "2025-06-02T09:00:00+07:00", "aksi": "dibentuk",
                            "aktor": "197801012003121001", "peran": "kepala_ukpbj",
                            "perubahan": {"anggota": CONTOH_NIP}, "alasan": None})

    id: int
    waktu: datetime
    aksi: str
    aktor: str
    peran: str | None
    perubahan: dict
    alasan: str | None


class AmbangPublic(BaseModel):
    model_config = _contoh({"berlaku_mulai": "2025-04-30", "dasar": "Perpres 46/2025", "berlaku_sekarang": True,
                            "pengadaan_langsung": {"barang": 200_000_000, "pekerjaan_konstruksi": 400_000_000,
                                                   "jasa_konsultansi": 100_000_000, "jasa_lainnya": 200_000_000},
                            "pemenang_oleh_pokja": {"barang": 100_000_000_000}})

    berlaku_mulai: date
    dasar: str
    berlaku_sekarang: bool
    pengadaan_langsung: dict[str, int]
    pemenang_oleh_pokja: dict[str, int]
