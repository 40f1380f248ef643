"""The API shape of helpdesk: XCreate / XPublic / ... (shape only; the rules are in domain.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

Kategori = Literal["aplikasi", "infrastruktur", "akun", "informasi", "non_teknis"]
Kanal = Literal["web", "telepon", "email", "kunjungan"]
Prioritas = Literal["rendah", "sedang", "tinggi", "kritis"]
StatusTiket = Literal["baru", "ditugaskan", "diproses", "menunggu_pelapor", "dieskalasi", "selesai", "ditutup"]
Tingkat = Literal["helpdesk", "kasubbag_lpse", "lkpp_eproc", "lkpp_teknis"]
StatusSla = Literal["berjalan", "dijeda", "terpenuhi", "terlampaui"]
JenisPengumuman = Literal["gangguan", "pemeliharaan", "informasi"]
HasilBeritaAcara = Literal["evaluasi_dilanjutkan", "penawaran_tidak_memenuhi"]
ALASAN_LKPP = ["tidak_dapat_diselesaikan", "belum_tercakup_spse"]

Teks = Annotated[str, Field(min_length=1, max_length=10_000)]
TeksPendek = Annotated[str, Field(min_length=1, max_length=2_000)]

ID_CONTOH = "3f1c2b7e-9a41-4d0b-8c55-2f7d1e6a9b10"
NIP_HELPDESK = "198501012010011001"
NIP_KASUBBAG = "197903032005011002"
HASH_CONTOH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def _contoh(*contoh: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"examples": list(contoh)})


def _contoh_keluaran(*contoh: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(contoh)})


# ── requests ───────────────────────────────────────────────────────────────────────────────────

class PelaporKontak(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    nama: Annotated[str | None, Field(max_length=200)] = None
    email: Annotated[str | None, Field(max_length=254)] = None
    telepon: Annotated[str | None, Field(max_length=30)] = None


class TiketCreate(BaseModel):
    """A new ticket. Without a token, `pelapor` (name and e-mail or phone) is required."""

    model_config = _contoh(
        {"judul": "Dokumen penawaran gagal diunggah", "uraian": "Unggah berkas penawaran berhenti di 99% pada "
         "paket 10012345 sejak pukul 09.00.", "kategori": "aplikasi", "kanal": "web", "paket_kode": "10012345"},
        {"judul": "Tidak bisa masuk SPSE", "uraian": "Akun terkunci setelah salah kata sandi.", "kategori": "akun",
         "kanal": "telepon", "pelapor": {"nama": "Siti Rahayu", "telepon": "081234567890"}},
    )

    judul: Annotated[str, Field(min_length=3, max_length=200)]
    uraian: Annotated[str, Field(min_length=3, max_length=10_000)]
    kategori: Kategori
    kanal: Kanal
    prioritas: Prioritas | None = Field(None, description="Hanya petugas helpdesk/Kasubbag LPSE; bawaan `sedang`.")
    paket_kode: Annotated[str | None, Field(max_length=50)] = None
    pelapor: PelaporKontak | None = Field(
        None, description="Kontak pelapor dari masyarakat (tanpa token), atau pelapor yang dicatat petugas.")


class TanggapanCreate(BaseModel):
    model_config = _contoh({"isi": "Silakan bersihkan cache peramban lalu unggah ulang.", "internal": False},
                           {"isi": "Disk server unggah 97% penuh; minta admin sistem menambah kapasitas.",
                            "internal": True})

    isi: Teks
    internal: bool = Field(False, description="Catatan internal petugas; tidak pernah terlihat oleh pelapor.")


class PenugasanCreate(BaseModel):
    model_config = _contoh({"petugas": NIP_HELPDESK}, {"otomatis": True})

    petugas: Annotated[str | None, Field(min_length=1, max_length=200, description="`sub` (NIP) petugas.")] = None
    otomatis: bool = Field(False, description="Tugaskan ke petugas aktif dengan tiket terbuka paling sedikit.")

    @model_validator(mode="after")
    def _satu_cara(self) -> "PenugasanCreate":
        if (self.petugas is None) == (not self.otomatis):
            raise ValueError("isi salah satu: `petugas` atau `otomatis: true`")
        return self


class PermintaanDataCreate(BaseModel):
    model_config = _contoh({"pertanyaan": "Mohon kirim tangkapan layar pesan galat dan nama berkas penawaran."})

    pertanyaan: Teks


class EskalasiCreate(BaseModel):
    model_config = _contoh(
        {"tingkat": "kasubbag_lpse", "catatan": "Perlu keputusan penambahan kapasitas server."},
        {"tingkat": "lkpp_eproc", "alasan": "tidak_dapat_diselesaikan", "referensi_lkpp": "LPSE-SUP-2026-001234"},
    )

    tingkat: Tingkat
    alasan: Annotated[str | None, Field(max_length=40, json_schema_extra={"enum": ALASAN_LKPP}, description=(
        "Wajib untuk eskalasi ke LKPP (Lampiran 2.5.3 Permendagri 53/2021): `tidak_dapat_diselesaikan` "
        "atau `belum_tercakup_spse`."))] = None
    referensi_lkpp: Annotated[str | None, Field(max_length=100, description="Nomor tiket LPSE Support/LKPP.")] = None
    catatan: Annotated[str | None, Field(max_length=2_000, description="Catatan internal eskalasi.")] = None


class PenyelesaianCreate(BaseModel):
    model_config = _contoh({"solusi": "Batas unggah dinaikkan menjadi 50 MB; silakan unggah ulang."})

    solusi: Teks


class BukaKembaliCreate(BaseModel):
    model_config = _contoh({"alasan": "Masih gagal ketika mengunggah berkas kedua."})

    alasan: Teks


class PenilaianCreate(BaseModel):
    model_config = _contoh({"nilai": 5, "komentar": "Cepat dan jelas."})

    nilai: Annotated[int, Field(ge=1, le=5, description="1 (sangat tidak puas) sampai 5 (sangat puas)")]
    komentar: Annotated[str | None, Field(max_length=2_000)] = None


class PrioritasUpdate(BaseModel):
    model_config = _contoh({"prioritas": "kritis"})

    prioritas: Prioritas


class DiLuarLingkupCreate(BaseModel):
    model_config = _contoh({"rujukan": "Pertanyaan tentang ketentuan lelang; silakan hubungi Subbagian Pembinaan "
                                       "dan Advokasi PBJ."}, {})

    rujukan: Annotated[str | None, Field(min_length=1, max_length=10_000,
                                         description="Bawaan: rujukan baku dari konfigurasi.")] = None


class PetugasUpdate(BaseModel):
    model_config = _contoh({"nama": "Dewi Lestari", "aktif": True}, {"aktif": False})

    nama: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    aktif: bool = True


class PengumumanCreate(BaseModel):
    model_config = _contoh({
        "judul": "Gangguan unggah dokumen penawaran", "isi": "Unggah dokumen penawaran lambat; tim sedang menangani.",
        "jenis": "gangguan", "mulai": "2026-01-05T09:00:00+07:00", "selesai": "2026-01-05T17:00:00+07:00"})

    judul: Annotated[str, Field(min_length=3, max_length=200)]
    isi: Teks
    jenis: JenisPengumuman
    mulai: AwareDatetime
    selesai: AwareDatetime


class Penandatangan(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    nama: Annotated[str, Field(min_length=1, max_length=200)]
    nip: Annotated[str, Field(min_length=1, max_length=30, description="NIP 18 angka")]


_CONTOH_BA = {
    "paket_kode": "10012345", "penyedia": "PT Maju Jaya", "nama_file": "penawaran-pt-maju-jaya.zip",
    "hash_file": HASH_CONTOH,
    "pernyataan_lpse": "Berkas penawaran tidak dapat didekripsi dengan kunci Pokja; berkas diterima utuh "
                       "sesuai log unggah SPSE.",
    "saksi": {"nama": "Budi Santoso", "nip": NIP_KASUBBAG},
    "anggota_pokja": [{"nama": "Rina Wati", "nip": "198705052011012005"},
                      {"nama": "Andi Saputra", "nip": "199011112015031001"},
                      {"nama": "Maya Sari", "nip": "199203032018012002"}],
    "hasil": "penawaran_tidak_memenuhi",
}


class BeritaAcaraCreate(BaseModel):
    model_config = _contoh(_CONTOH_BA)

    paket_kode: Annotated[str, Field(min_length=1, max_length=50)]
    penyedia: Annotated[str, Field(min_length=1, max_length=300)]
    nama_file: Annotated[str, Field(min_length=1, max_length=255)]
    hash_file: Annotated[str, Field(min_length=1, max_length=100, description="SHA-256 berkas (64 heksadesimal)")]
    pernyataan_lpse: Teks
    pernyataan_lkpp: Annotated[str | None, Field(max_length=10_000, description="Bila LKPP dimintai keterangan")] = None
    saksi: Penandatangan = Field(description="Kasubbag LPSE yang menyusun (NIP = `sub` tokennya).")
    anggota_pokja: Annotated[list[Penandatangan], Field(min_length=1, max_length=25)]
    hasil: HasilBeritaAcara
    tempat: Annotated[str | None, Field(max_length=300)] = None
    tiket_id: Annotated[str | None, Field(max_length=36, description="Tiket helpdesk yang melaporkannya")] = None


class BeritaAcaraUpdate(BaseModel):
    """Corrections to a draft; every field optional. Refused once signed."""

    model_config = _contoh({"pernyataan_lkpp": "LKPP menyatakan berkas rusak sejak diunggah.",
                            "hasil": "penawaran_tidak_memenuhi"})

    paket_kode: Annotated[str | None, Field(min_length=1, max_length=50)] = None
    penyedia: Annotated[str | None, Field(min_length=1, max_length=300)] = None
    nama_file: Annotated[str | None, Field(min_length=1, max_length=255)] = None
    hash_file: Annotated[str | None, Field(min_length=1, max_length=100)] = None
    pernyataan_lpse: Teks | None = None
    pernyataan_lkpp: Annotated[str | None, Field(max_length=10_000)] = None
    saksi: Penandatangan | None = None
    anggota_pokja: Annotated[list[Penandatangan] | None, Field(min_length=1, max_length=25)] = None
    hasil: HasilBeritaAcara | None = None
    tempat: Annotated[str | None, Field(max_length=300)] = None


# ── responses ──────────────────────────────────────────────────────────────────────────────────

class SlaJenisPublic(BaseModel):
    target_detik: float = Field(description="Target dalam detik kerja")
    terpakai_detik: float = Field(description="Waktu kerja yang sudah berjalan (jeda tidak dihitung)")
    sisa_detik: float = Field(description="Sisa waktu kerja sebelum jatuh tempo (0 bila lewat)")
    jatuh_tempo: datetime | None = Field(description="Null selama jam SLA dijeda (menunggu pelapor)")
    status: StatusSla
    dijeda: bool


class SlaPublic(BaseModel):
    respons_pertama: SlaJenisPublic
    penyelesaian: SlaJenisPublic


class PelaporPublic(BaseModel):
    sub: str | None
    nama: str | None
    email: str | None
    telepon: str | None


class TanggapanPublic(BaseModel):
    oleh: str
    sebagai: Literal["pelapor", "staf", "sistem"]
    isi: str
    internal: bool
    waktu: datetime


class EskalasiPublic(BaseModel):
    dari: Tingkat
    ke: Tingkat
    oleh: str
    waktu: datetime
    alasan: str | None
    referensi_lkpp: str | None
    catatan: str | None = Field(description="Hanya untuk petugas")


class LampiranPublic(BaseModel):
    model_config = _contoh_keluaran({
        "id": "0b9d6c1a-2f3e-4a5b-8c7d-1e2f3a4b5c6d", "nama_berkas": "galat-unggah.png", "jenis_konten": "image/png",
        "ukuran": 48213, "sha256": HASH_CONTOH, "diunggah_oleh": "pokja-3171",
        "diunggah_pada": "2026-01-05T09:12:00+07:00",
        "url": f"/api/v1/tiket/{ID_CONTOH}/lampiran/0b9d6c1a-2f3e-4a5b-8c7d-1e2f3a4b5c6d"})

    id: str
    nama_berkas: str
    jenis_konten: str
    ukuran: int
    sha256: str
    diunggah_oleh: str
    diunggah_pada: datetime
    url: str


class PenilaianPublic(BaseModel):
    nilai: int
    komentar: str | None
    waktu: datetime


_SLA_CONTOH = {
    "respons_pertama": {"target_detik": 7200, "terpakai_detik": 1800, "sisa_detik": 5400,
                        "jatuh_tempo": "2026-01-05T11:00:00+07:00", "status": "berjalan", "dijeda": False},
    "penyelesaian": {"target_detik": 86400, "terpakai_detik": 1800, "sisa_detik": 84600,
                     "jatuh_tempo": "2026-01-08T14:30:00+07:00", "status": "berjalan", "dijeda": False},
}
_RINGKAS_CONTOH = {
    "id": ID_CONTOH, "nomor": "HD-2026-000123", "judul": "Dokumen penawaran gagal diunggah", "kategori": "aplikasi",
    "kanal": "web", "prioritas": "sedang", "status": "diproses", "paket_kode": "10012345", "petugas": NIP_HELPDESK,
    "tingkat": "helpdesk", "di_luar_lingkup": False, "dibuat_pada": "2026-01-05T09:00:00+07:00",
    "diperbarui_pada": "2026-01-05T09:30:00+07:00", "versi": 4, "sla": _SLA_CONTOH,
}
_TIKET_CONTOH = {
    **_RINGKAS_CONTOH,
    "uraian": "Unggah berkas penawaran berhenti di 99% pada paket 10012345 sejak pukul 09.00.",
    "pelapor": {"sub": "pokja-3171", "nama": None, "email": None, "telepon": None},
    "solusi": None, "diselesaikan_pada": None, "ditutup_pada": None, "sebab_penutupan": None,
    "tutup_otomatis_pada": None,
    "tanggapan": [{"oleh": NIP_HELPDESK, "sebagai": "staf", "isi": "Sedang kami periksa.", "internal": False,
                   "waktu": "2026-01-05T09:30:00+07:00"}],
    "eskalasi": [], "lampiran": [], "penilaian": None,
}


class TiketRingkas(BaseModel):
    """A ticket in a list: state and SLA, without the thread."""

    model_config = _contoh_keluaran(_RINGKAS_CONTOH)

    id: str
    nomor: str = Field(description="Nomor tiket untuk disebut pelapor, mis. HD-2026-000123")
    judul: str
    kategori: Kategori
    kanal: Kanal
    prioritas: Prioritas
    status: StatusTiket
    paket_kode: str | None
    petugas: str | None
    tingkat: Tingkat
    di_luar_lingkup: bool
    dibuat_pada: datetime
    diperbarui_pada: datetime
    versi: int
    sla: SlaPublic


class TiketPublic(TiketRingkas):
    """One ticket as its reader may see it (the reporter never sees internal notes)."""

    model_config = _contoh_keluaran(_TIKET_CONTOH)

    uraian: str
    pelapor: PelaporPublic
    solusi: str | None
    diselesaikan_pada: datetime | None
    ditutup_pada: datetime | None
    sebab_penutupan: Literal["konfirmasi", "otomatis", "di_luar_lingkup"] | None
    tutup_otomatis_pada: datetime | None = Field(description="Kapan tiket selesai ditutup otomatis bila tidak dijawab")
    tanggapan: list[TanggapanPublic]
    eskalasi: list[EskalasiPublic]
    lampiran: list[LampiranPublic]
    penilaian: PenilaianPublic | None


class TiketBaru(TiketPublic):
    model_config = _contoh_keluaran({**_TIKET_CONTOH, "status": "baru", "versi": 1, "petugas": None,
                                     "pelapor": {"sub": None, "nama": "Siti Rahayu", "email": None,
                                                 "telepon": "081234567890"},
                                     "tanggapan": [], "token_pelapor": "k3Jx9w-Q2v...-t0ken"})

    token_pelapor: str | None = Field(
        description="Hanya untuk pelapor tanpa akun: simpan token ini, kirim di header `X-Token-Pelapor` untuk "
                    "membaca, menanggapi, mengonfirmasi, membuka kembali dan menilai tiket. Tidak ditampilkan lagi.")


class TiketsPublic(BaseModel):
    model_config = _contoh_keluaran({"data": [_RINGKAS_CONTOH], "next_cursor": "WyIyMDI2LTAxLTA1VDAyOjAwOjAwWiJd"})

    data: list[TiketRingkas]
    next_cursor: str | None = None


class PetugasPublic(BaseModel):
    model_config = _contoh_keluaran({"sub": NIP_HELPDESK, "nama": "Dewi Lestari", "aktif": True, "beban": 3,
                                     "terdaftar_pada": "2026-01-02T08:00:00+07:00",
                                     "terakhir_aktif_pada": "2026-01-05T09:30:00+07:00"})

    sub: str
    nama: str | None
    aktif: bool
    beban: int = Field(description="Tiket terbuka yang ditugaskan kepadanya")
    terdaftar_pada: datetime
    terakhir_aktif_pada: datetime | None


class PetugasListPublic(BaseModel):
    model_config = _contoh_keluaran({"data": [PetugasPublic.model_config["json_schema_extra"]["examples"][0]]})

    data: list[PetugasPublic]


_PENGUMUMAN_CONTOH = {
    "id": "7c2a1e44-0d3b-4f51-9e8a-6b5c4d3e2f10", "judul": "Gangguan unggah dokumen penawaran",
    "isi": "Unggah dokumen penawaran lambat; tim sedang menangani.", "jenis": "gangguan",
    "mulai": "2026-01-05T09:00:00+07:00", "selesai": "2026-01-05T17:00:00+07:00", "aktif": True,
    "diterbitkan_pada": "2026-01-05T08:55:00+07:00",
}


class PengumumanPublic(BaseModel):
    model_config = _contoh_keluaran(_PENGUMUMAN_CONTOH)

    id: str
    judul: str
    isi: str
    jenis: JenisPengumuman
    mulai: datetime
    selesai: datetime
    aktif: bool
    diterbitkan_pada: datetime


class PengumumansPublic(BaseModel):
    model_config = _contoh_keluaran({"data": [_PENGUMUMAN_CONTOH], "next_cursor": None})

    data: list[PengumumanPublic]
    next_cursor: str | None = None


_BA_CONTOH = {
    "id": "5e4d3c2b-1a09-4876-9543-210fedcba987", "nomor": "001/BA-LPSE/I/2026", "tiket_id": ID_CONTOH,
    **_CONTOH_BA, "pernyataan_lkpp": None, "tempat": None, "status": "draf",
    "disusun_pada": "2026-01-05T14:00:00+07:00", "ditandatangani_pada": None, "versi": 1,
    "url_pdf": "/api/v1/berita-acara/5e4d3c2b-1a09-4876-9543-210fedcba987.pdf",
}


class BeritaAcaraPublic(BaseModel):
    model_config = _contoh_keluaran(_BA_CONTOH)

    id: str
    nomor: str
    tiket_id: str | None
    paket_kode: str
    penyedia: str
    nama_file: str
    hash_file: str
    pernyataan_lpse: str
    pernyataan_lkpp: str | None
    tempat: str | None
    saksi: Penandatangan
    anggota_pokja: list[Penandatangan]
    hasil: HasilBeritaAcara
    status: Literal["draf", "ditandatangani"]
    disusun_pada: datetime
    ditandatangani_pada: datetime | None
    versi: int
    url_pdf: str


class BeritaAcarasPublic(BaseModel):
    model_config = _contoh_keluaran({"data": [_BA_CONTOH], "next_cursor": None})

    data: list[BeritaAcaraPublic]
    next_cursor: str | None = None


class KepatuhanPublic(BaseModel):
    diukur: int = Field(description="Tiket yang jam SLA-nya sudah berhenti (di luar lingkup tidak dihitung)")
    terpenuhi: int
    rasio: float | None = Field(description="terpenuhi / diukur; null bila belum ada yang diukur")


class RingkasanPublic(BaseModel):
    model_config = _contoh_keluaran({
        "dari": "2026-01-01", "sampai": "2026-06-30", "jumlah_tiket": 120,
        "per_status": {"ditutup": 100, "selesai": 8, "diproses": 12},
        "per_kategori": {"aplikasi": 70, "akun": 30, "infrastruktur": 10, "informasi": 5, "non_teknis": 5},
        "per_kanal": {"web": 80, "telepon": 30, "email": 8, "kunjungan": 2},
        "di_luar_lingkup": 5, "eskalasi": {"kasubbag_lpse": 12, "lkpp_eproc": 3, "lkpp_teknis": 1},
        "eskalasi_lkpp_per_alasan": {"tidak_dapat_diselesaikan": 2, "belum_tercakup_spse": 1},
        "sla_terlampaui": {"respons_pertama": 4, "penyelesaian": 9},
        "kepatuhan_sla": {"respons_pertama": {"diukur": 115, "terpenuhi": 111, "rasio": 0.965},
                          "penyelesaian": {"diukur": 108, "terpenuhi": 99, "rasio": 0.917}},
        "kepuasan": {"jumlah_penilaian": 64, "rata_rata": 4.3, "sebaran": {"1": 1, "2": 2, "3": 6, "4": 20, "5": 35}},
    })

    dari: date
    sampai: date
    jumlah_tiket: int
    per_status: dict[str, int]
    per_kategori: dict[str, int]
    per_kanal: dict[str, int]
    di_luar_lingkup: int = Field(description="Tiket non-teknis yang dirujuk dan ditutup (dihitung terpisah)")
    eskalasi: dict[str, int]
    eskalasi_lkpp_per_alasan: dict[str, int]
    sla_terlampaui: dict[str, int]
    kepatuhan_sla: dict[str, KepatuhanPublic]
    kepuasan: dict[str, Any]
