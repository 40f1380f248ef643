"""Rules and state machines of the LPSE helpdesk: tickets, SLA, escalation, announcements, berita acara.

Pure: standard library and `shared.errors` only; business time comes from a `KalenderKerja` passed
in. Entities record domain events in `events`; the unit of work stores them in the outbox.

Ticket states (API contract) and what moves them:

    baru ──tugaskan──▶ ditugaskan ──staff reply──▶ diproses ◀──reporter reply── menunggu_pelapor
      │                    │                          │  ──tunggu_pelapor──▶        (SLA paused)
      └──staff reply───────┴──────────────────────────┤
                                  eskalasi ──▶ dieskalasi (helpdesk → kasubbag_lpse → lkpp_eproc
                                                           → lkpp_teknis, one step at a time)
    any open state ──selesaikan(solusi)──▶ selesai ──konfirmasi (reporter)──▶ ditutup
                                           selesai ──N business days without reply──▶ ditutup
    selesai, or ditutup within a window ──buka_kembali (reporter)──▶ diproses

Decisions taken here (rule 22 leaves them open):
- a public reply in `selesai` keeps the ticket `selesai` and restarts the auto-close count;
- the reporter may reopen a `ditutup` ticket within `batas_buka_kembali_hari_kerja` business days
  of closing, except one closed as out of scope; the time between resolution and reopening does
  not count towards the resolution SLA;
- a non-technical ticket is answered with a referral and closed at once (Lampiran 2.3 huruf d);
- a staff member acting on an unassigned ticket takes it.
- An anonymous (public) reporter acts with the subject `publik:<ticket id>`: the service gives them
  a token scoped to their ticket.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from services.helpdesk.waktu_kerja import KalenderKerja
from shared.errors import (
    ErrorCollector,
    FieldError,
    Forbidden,
    InvalidState,
    RuleViolation,
    ValidationFailed,
)

ATURAN_LINGKUP = "Permendagri 53/2021 Lampiran 2.3 huruf d angka 7"
ATURAN_URUTAN_ESKALASI = "Permendagri 53/2021 Lampiran 2.5.3; Kep. Kepala LKPP 26/2022"
ATURAN_ESKALASI_LKPP = "Permendagri 53/2021 Lampiran 2.5.3; Kep. Kepala LKPP 26/2022"
ATURAN_KONFIRMASI = "Kep. Kepala LKPP 26/2022"
ATURAN_BERITA_ACARA = "Permendagri 53/2021 Lampiran 2.5.3; Perlem LKPP 12/2021 Lampiran 4.2.6"
ATURAN_RANGKAP_JABATAN = "Permendagri 53/2021 Pasal 12 huruf b"

PERAN_STAF = frozenset({"helpdesk", "kasubbag_lpse"})
PERAN_PENERBIT_PENGUMUMAN = frozenset({"kasubbag_lpse", "admin_sistem"})
SISTEM = "sistem"

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TELEPON = re.compile(r"^\+?\d{8,15}$")
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_NIP = re.compile(r"^\d{18}$")


class Kategori(StrEnum):
    APLIKASI = "aplikasi"
    INFRASTRUKTUR = "infrastruktur"
    AKUN = "akun"
    INFORMASI = "informasi"
    NON_TEKNIS = "non_teknis"


class Kanal(StrEnum):
    WEB = "web"
    TELEPON = "telepon"
    EMAIL = "email"
    KUNJUNGAN = "kunjungan"


class Prioritas(StrEnum):
    RENDAH = "rendah"
    SEDANG = "sedang"
    TINGGI = "tinggi"
    KRITIS = "kritis"


class StatusTiket(StrEnum):
    BARU = "baru"
    DITUGASKAN = "ditugaskan"
    DIPROSES = "diproses"
    MENUNGGU_PELAPOR = "menunggu_pelapor"
    DIESKALASI = "dieskalasi"
    SELESAI = "selesai"
    DITUTUP = "ditutup"


STATUS_TERBUKA = frozenset({StatusTiket.BARU, StatusTiket.DITUGASKAN, StatusTiket.DIPROSES,
                            StatusTiket.MENUNGGU_PELAPOR, StatusTiket.DIESKALASI})


class TingkatEskalasi(StrEnum):
    HELPDESK = "helpdesk"
    KASUBBAG_LPSE = "kasubbag_lpse"
    LKPP_EPROC = "lkpp_eproc"
    LKPP_TEKNIS = "lkpp_teknis"


URUTAN_ESKALASI = tuple(TingkatEskalasi)
TINGKAT_LKPP = frozenset({TingkatEskalasi.LKPP_EPROC, TingkatEskalasi.LKPP_TEKNIS})


class AlasanEskalasi(StrEnum):
    TIDAK_DAPAT_DISELESAIKAN = "tidak_dapat_diselesaikan"  # Lampiran 2.5.3 huruf a
    BELUM_TERCAKUP_SPSE = "belum_tercakup_spse"  # Lampiran 2.5.3 huruf b


class PeranTanggapan(StrEnum):
    PELAPOR = "pelapor"
    STAF = "staf"
    SISTEM = "sistem"


class SebabPenutupan(StrEnum):
    DIKONFIRMASI_PELAPOR = "dikonfirmasi_pelapor"
    OTOMATIS = "otomatis"
    DI_LUAR_LINGKUP = "di_luar_lingkup"


class SebabJeda(StrEnum):
    MENUNGGU_PELAPOR = "menunggu_pelapor"
    SELESAI = "selesai"


class JenisSla(StrEnum):
    RESPONS_PERTAMA = "respons_pertama"
    PENYELESAIAN = "penyelesaian"


class StatusSla(StrEnum):
    BERJALAN = "berjalan"
    TERPENUHI = "terpenuhi"
    TERLAMPAUI = "terlampaui"


class JenisPengumuman(StrEnum):
    GANGGUAN = "gangguan"
    PEMELIHARAAN = "pemeliharaan"
    INFORMASI = "informasi"


class HasilBeritaAcara(StrEnum):
    EVALUASI_DILANJUTKAN = "evaluasi_dilanjutkan"
    PENAWARAN_TIDAK_MEMENUHI = "penawaran_tidak_memenuhi"


class StatusBeritaAcara(StrEnum):
    DRAF = "draf"
    DITANDATANGANI = "ditandatangani"


# ── configuration ──────────────────────────────────────────────────────────────────────────────

JAM = 3600


def _bilangan_bulat(nilai: object, *, minimal: int) -> bool:
    return isinstance(nilai, int) and not isinstance(nilai, bool) and nilai >= minimal


@dataclass(frozen=True)
class TargetSla:
    """SLA targets of one ticket, in business seconds."""

    respons_pertama_detik: float
    penyelesaian_detik: float

    def __post_init__(self) -> None:
        salah = ErrorCollector()
        for nama in ("respons_pertama_detik", "penyelesaian_detik"):
            nilai = getattr(self, nama)
            if isinstance(nilai, bool) or not isinstance(nilai, int | float) or not nilai > 0:
                salah.add(nama, "harus berupa jumlah detik kerja lebih dari 0")
        salah.raise_if_any("Target SLA tidak valid.")


# No national helpdesk SLA was found (DOMAIN.md §4). The one local standard found (Kaltara, SIPPN
# 8201548) answers at the front office within 60 minutes, light complaints within 3 hours and
# normative ones within 5 working days. These defaults follow that scale; the unit sets its own.
TARGET_SLA_BAKU: Mapping[Prioritas, TargetSla] = MappingProxyType({
    Prioritas.KRITIS: TargetSla(respons_pertama_detik=30 * 60, penyelesaian_detik=4 * JAM),
    Prioritas.TINGGI: TargetSla(respons_pertama_detik=1 * JAM, penyelesaian_detik=8 * JAM),
    Prioritas.SEDANG: TargetSla(respons_pertama_detik=2 * JAM, penyelesaian_detik=24 * JAM),
    Prioritas.RENDAH: TargetSla(respons_pertama_detik=4 * JAM, penyelesaian_detik=40 * JAM),
})

RUJUKAN_DI_LUAR_LINGKUP = (
    "Helpdesk LPSE hanya menjawab permasalahan teknis aplikasi dan infrastruktur SPSE "
    "(Permendagri 53/2021 Lampiran 2.3 huruf d angka 7). Untuk pertanyaan tentang ketentuan atau "
    "proses pengadaan, silakan hubungi Subbagian Pembinaan dan Advokasi Pengadaan Barang/Jasa, "
    "Bagian Pengadaan Barang/Jasa, Biro Umum Sekretariat Jenderal Kementerian Dalam Negeri."
)


@dataclass(frozen=True)
class KonfigurasiHelpdesk:
    """SLA targets per priority (and per priority and category), auto-close and reopen windows."""

    target_per_prioritas: Mapping[Prioritas, TargetSla] = field(
        default_factory=lambda: TARGET_SLA_BAKU)
    target_per_prioritas_kategori: Mapping[tuple[Prioritas, Kategori], TargetSla] = field(
        default_factory=dict)
    tutup_otomatis_hari_kerja: int = 3
    batas_buka_kembali_hari_kerja: int = 5
    rujukan_di_luar_lingkup: str = RUJUKAN_DI_LUAR_LINGKUP

    def __post_init__(self) -> None:
        salah = ErrorCollector()
        for prioritas in Prioritas:
            if prioritas not in self.target_per_prioritas:
                salah.add(f"target_per_prioritas.{prioritas}", "target SLA wajib diisi")
        if not _bilangan_bulat(self.tutup_otomatis_hari_kerja, minimal=1):
            salah.add("tutup_otomatis_hari_kerja", "harus bilangan bulat paling sedikit 1")
        if not _bilangan_bulat(self.batas_buka_kembali_hari_kerja, minimal=0):
            salah.add("batas_buka_kembali_hari_kerja", "harus bilangan bulat paling sedikit 0")
        if not self.rujukan_di_luar_lingkup.strip():
            salah.add("rujukan_di_luar_lingkup", "wajib diisi")
        salah.raise_if_any("Konfigurasi helpdesk tidak valid.")

    def target_sla(self, prioritas: Prioritas, kategori: Kategori) -> TargetSla:
        """The SLA target of a priority and category: the specific one if set, else the priority's."""
        return self.target_per_prioritas_kategori.get(
            (prioritas, kategori), self.target_per_prioritas[prioritas])


KONFIGURASI_BAKU = KonfigurasiHelpdesk()


# ── value objects ──────────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class Aktor:
    """Who acts: the token's subject (a NIP for staff) and roles."""

    sub: str
    peran: frozenset[str] = frozenset()

    def punya_peran(self, peran: frozenset[str]) -> bool:
        """Whether the actor holds any of these roles."""
        return bool(self.peran & peran)


@dataclass(frozen=True)
class Pelapor:
    """The reporter: an SPSE user (`sub`), or a member of the public with a name and a contact."""

    sub: str | None = None
    nama: str | None = None
    email: str | None = None
    telepon: str | None = None


@dataclass(frozen=True)
class Tanggapan:
    oleh: str
    sebagai: PeranTanggapan
    isi: str
    waktu: datetime
    internal: bool = False


@dataclass(frozen=True)
class Jeda:
    mulai: datetime
    selesai: datetime | None
    sebab: SebabJeda


@dataclass(frozen=True)
class Eskalasi:
    dari: TingkatEskalasi
    ke: TingkatEskalasi
    oleh: str
    waktu: datetime
    alasan: AlasanEskalasi | None = None
    referensi_lkpp: str | None = None
    catatan: str | None = None


@dataclass(frozen=True)
class PenilaianKepuasan:
    nilai: int
    waktu: datetime
    komentar: str | None = None


# ── events ─────────────────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class TiketDibuat:
    tiket_id: str
    waktu: datetime
    kategori: Kategori
    kanal: Kanal
    prioritas: Prioritas
    paket_kode: str | None
    pelapor_sub: str | None
    di_luar_lingkup: bool


@dataclass(frozen=True)
class TiketDitugaskan:
    tiket_id: str
    waktu: datetime
    petugas: str
    oleh: str
    otomatis: bool


@dataclass(frozen=True)
class TiketDitanggapi:
    tiket_id: str
    waktu: datetime
    oleh: str
    sebagai: PeranTanggapan
    internal: bool
    status: StatusTiket


@dataclass(frozen=True)
class TiketDieskalasi:
    tiket_id: str
    waktu: datetime
    dari: TingkatEskalasi
    ke: TingkatEskalasi
    oleh: str
    alasan: AlasanEskalasi | None
    referensi_lkpp: str | None


@dataclass(frozen=True)
class TiketDiselesaikan:
    tiket_id: str
    waktu: datetime
    oleh: str
    tingkat: TingkatEskalasi


@dataclass(frozen=True)
class TiketDitutup:
    tiket_id: str
    waktu: datetime
    sebab: SebabPenutupan
    di_luar_lingkup: bool


@dataclass(frozen=True)
class TiketDibukaKembali:
    tiket_id: str
    waktu: datetime
    dari_status: StatusTiket
    oleh: str


@dataclass(frozen=True)
class PrioritasTiketDiubah:
    tiket_id: str
    waktu: datetime
    prioritas: Prioritas
    oleh: str


@dataclass(frozen=True)
class KepuasanTiketDinilai:
    tiket_id: str
    waktu: datetime
    nilai: int


@dataclass(frozen=True)
class SlaTerlampaui:
    tiket_id: str
    waktu: datetime
    jenis: JenisSla
    target_detik: float
    jatuh_tempo: datetime | None


@dataclass(frozen=True)
class PengumumanDiterbitkan:
    pengumuman_id: str
    waktu: datetime
    jenis: JenisPengumuman
    judul: str
    mulai: datetime
    selesai: datetime


@dataclass(frozen=True)
class BeritaAcaraDitandatangani:
    berita_acara_id: str
    waktu: datetime
    paket_kode: str
    penyedia: str
    hash_file: str
    hasil: HasilBeritaAcara


# ── helpers ────────────────────────────────────────────────────────────────────────────────────

E = TypeVar("E", bound=StrEnum)


def _pilihan(jenis: type[E], nilai: object, nama: str, salah: ErrorCollector) -> E | None:
    try:
        return jenis(nilai)
    except ValueError:
        salah.add(nama, "harus salah satu dari: " + ", ".join(m.value for m in jenis))
        return None


def _teks(nilai: object, nama: str, salah: ErrorCollector, *, maks: int | None = None,
          wajib: bool = True) -> str | None:
    if nilai is None or (isinstance(nilai, str) and not nilai.strip()):
        if wajib:
            salah.add(nama, "wajib diisi")
        return None
    if not isinstance(nilai, str):
        salah.add(nama, "harus berupa teks")
        return None
    nilai = nilai.strip()
    if maks is not None and len(nilai) > maks:
        salah.add(nama, f"paling panjang {maks} karakter")
    return nilai


def _waktu(nilai: object, nama: str) -> datetime:
    if not isinstance(nilai, datetime) or nilai.utcoffset() is None:
        pesan = "harus berupa waktu dengan zona waktu (mis. 2026-01-05T08:00:00+07:00)"
        raise ValidationFailed(f"{nama}: {pesan}", errors=[FieldError(nama, pesan)])
    return nilai


def _satu_isian(nama: str, nilai: object) -> str:
    salah = ErrorCollector()
    hasil = _teks(nilai, nama, salah)
    salah.raise_if_any()
    assert hasil is not None
    return hasil


def pilih_petugas(beban: Mapping[str, int]) -> str:
    """The officer with the fewest open tickets; ties go to the smallest officer id."""
    if not beban:
        raise ValidationFailed("beban: tidak ada petugas helpdesk yang dapat ditugaskan",
                               errors=[FieldError("beban", "tidak ada petugas")])
    for petugas, jumlah in beban.items():
        if not _bilangan_bulat(jumlah, minimal=0):
            raise ValidationFailed(
                f"beban.{petugas}: jumlah tiket harus bilangan bulat tidak negatif",
                errors=[FieldError(f"beban.{petugas}", "harus bilangan bulat tidak negatif")])
    return min(beban, key=lambda petugas: (beban[petugas], petugas))


# ── ticket ─────────────────────────────────────────────────────────────────────────────────────

@dataclass
class Tiket:
    """A helpdesk ticket (rule 20-22) and the events its changes recorded."""

    id: str
    judul: str
    uraian: str
    pelapor: Pelapor
    kategori: Kategori
    kanal: Kanal
    prioritas: Prioritas
    target_sla: TargetSla
    dibuat_pada: datetime
    paket_kode: str | None = None
    status: StatusTiket = StatusTiket.BARU
    petugas: str | None = None
    tingkat: TingkatEskalasi = TingkatEskalasi.HELPDESK
    riwayat_eskalasi: list[Eskalasi] = field(default_factory=list)
    tanggapan: list[Tanggapan] = field(default_factory=list)
    jeda: list[Jeda] = field(default_factory=list)
    status_sebelum_jeda: StatusTiket | None = None
    respons_pertama_pada: datetime | None = None
    solusi: str | None = None
    diselesaikan_pada: datetime | None = None
    ditutup_pada: datetime | None = None
    sebab_penutupan: SebabPenutupan | None = None
    di_luar_lingkup: bool = False
    kepuasan: PenilaianKepuasan | None = None
    sla_terlampaui_tercatat: set[JenisSla] = field(default_factory=set)
    events: list[Any] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def buat(cls, *, id: str, pelapor: Pelapor, judul: object, uraian: object, kategori: object,
             kanal: object, waktu: datetime, prioritas: object = Prioritas.SEDANG,
             paket_kode: object = None, konfigurasi: KonfigurasiHelpdesk = KONFIGURASI_BAKU,
             ) -> Tiket:
        """Open a ticket; a non-technical one is answered with a referral and closed out of scope."""
        waktu = _waktu(waktu, "waktu")
        salah = ErrorCollector()
        _periksa_pelapor(pelapor, salah)
        judul_ = _teks(judul, "judul", salah, maks=200)
        uraian_ = _teks(uraian, "uraian", salah, maks=10_000)
        kategori_ = _pilihan(Kategori, kategori, "kategori", salah)
        kanal_ = _pilihan(Kanal, kanal, "kanal", salah)
        prioritas_ = _pilihan(Prioritas, prioritas, "prioritas", salah)
        paket_ = _teks(paket_kode, "paket_kode", salah, maks=50, wajib=False)
        salah.raise_if_any()
        assert judul_ and uraian_ and kategori_ and kanal_ and prioritas_
        tiket = cls(id=id, judul=judul_, uraian=uraian_, pelapor=pelapor, kategori=kategori_,
                    kanal=kanal_, prioritas=prioritas_, paket_kode=paket_, dibuat_pada=waktu,
                    target_sla=konfigurasi.target_sla(prioritas_, kategori_))
        tiket.events.append(TiketDibuat(
            tiket_id=id, waktu=waktu, kategori=kategori_, kanal=kanal_, prioritas=prioritas_,
            paket_kode=paket_, pelapor_sub=pelapor.sub,
            di_luar_lingkup=kategori_ is Kategori.NON_TEKNIS))
        if kategori_ is Kategori.NON_TEKNIS:
            tiket._tutup_di_luar_lingkup(SISTEM, PeranTanggapan.SISTEM,
                                         konfigurasi.rujukan_di_luar_lingkup, waktu)
        return tiket

    # ── who is who ──

    @property
    def subjek_pelapor(self) -> str:
        """The subject the reporter acts with: their SPSE `sub`, or `publik:<ticket id>`."""
        return self.pelapor.sub or f"publik:{self.id}"

    def adalah_pelapor(self, aktor: Aktor) -> bool:
        """Whether the actor is this ticket's reporter."""
        return aktor.sub == self.subjek_pelapor

    def tanggapan_untuk(self, aktor: Aktor) -> list[Tanggapan]:
        """The replies this actor may read: staff see all, the reporter never sees internal notes."""
        if aktor.punya_peran(PERAN_STAF):
            return list(self.tanggapan)
        if self.adalah_pelapor(aktor):
            return [t for t in self.tanggapan if not t.internal]
        raise Forbidden("Hanya pelapor tiket ini, petugas helpdesk atau Kasubbag LPSE yang dapat "
                        "membaca tanggapan.")

    # ── assignment ──

    def tugaskan(self, aktor: Aktor, petugas: str, waktu: datetime) -> None:
        """Assign (or reassign) the ticket to an officer by hand."""
        waktu = self._waktu_aksi(waktu)
        _wajib_staf(aktor, "menugaskan tiket")
        self._wajib_terbuka("ditugaskan")
        self._tetapkan_petugas(_satu_isian("petugas", petugas), aktor.sub, waktu, otomatis=False)

    def tugaskan_otomatis(self, beban: Mapping[str, int], waktu: datetime) -> str:
        """Assign the ticket to the least-loaded officer and return who it is."""
        waktu = self._waktu_aksi(waktu)
        self._wajib_terbuka("ditugaskan")
        petugas = pilih_petugas(beban)
        self._tetapkan_petugas(petugas, SISTEM, waktu, otomatis=True)
        return petugas

    # ── conversation ──

    def tanggapi(self, aktor: Aktor, isi: object, waktu: datetime, *, internal: bool = False,
                 ) -> None:
        """Add a reply: staff answer (first one = first response), the reporter's resumes the SLA."""
        waktu = self._waktu_aksi(waktu)
        if self.status is StatusTiket.DITUTUP:
            raise InvalidState(
                f"Tiket {self.id} sudah ditutup; tanggapan tidak dapat ditambahkan. Pelapor dapat "
                "membuka kembali tiket dalam batas waktu yang berlaku atau mengajukan tiket baru.")
        isi_ = _satu_isian("isi", isi)
        if internal:
            _wajib_staf(aktor, "menulis catatan internal")
            sebagai = PeranTanggapan.STAF
            self.tanggapan.append(Tanggapan(aktor.sub, sebagai, isi_, waktu, internal=True))
        elif self.adalah_pelapor(aktor):
            sebagai = PeranTanggapan.PELAPOR
            self.tanggapan.append(Tanggapan(aktor.sub, sebagai, isi_, waktu))
            if self.status is StatusTiket.MENUNGGU_PELAPOR:
                self._lanjutkan_jam(waktu)
        else:
            _wajib_staf(aktor, "menanggapi tiket ini")
            sebagai = PeranTanggapan.STAF
            self._balasan_staf(aktor, isi_, waktu)
        self.events.append(TiketDitanggapi(self.id, waktu, aktor.sub, sebagai, internal,
                                           self.status))

    def tunggu_pelapor(self, aktor: Aktor, pertanyaan: object, waktu: datetime) -> None:
        """Ask the reporter for data and pause the SLA clock until they reply."""
        waktu = self._waktu_aksi(waktu)
        _wajib_staf(aktor, "meminta data kepada pelapor")
        boleh = {StatusTiket.BARU, StatusTiket.DITUGASKAN, StatusTiket.DIPROSES,
                 StatusTiket.DIESKALASI}
        if self.status not in boleh:
            raise InvalidState(f"Tiket berstatus {self.status}; permintaan data kepada pelapor "
                               "hanya untuk tiket yang sedang ditangani.")
        self._balasan_staf(aktor, _satu_isian("pertanyaan", pertanyaan), waktu)
        self.status_sebelum_jeda = self.status
        self.status = StatusTiket.MENUNGGU_PELAPOR
        self.jeda.append(Jeda(waktu, None, SebabJeda.MENUNGGU_PELAPOR))
        self.events.append(TiketDitanggapi(self.id, waktu, aktor.sub, PeranTanggapan.STAF, False,
                                           self.status))

    # ── escalation ──

    def eskalasi(self, aktor: Aktor, tingkat: object, waktu: datetime, *, alasan: object = None,
                 referensi_lkpp: object = None, catatan: object = None) -> None:
        """Escalate one level up (rule 21); to LKPP only with a Lampiran 2.5.3 reason."""
        waktu = self._waktu_aksi(waktu)
        boleh = {StatusTiket.BARU, StatusTiket.DITUGASKAN, StatusTiket.DIPROSES,
                 StatusTiket.DIESKALASI}
        if self.status not in boleh:
            raise InvalidState(f"Tiket berstatus {self.status} tidak dapat dieskalasi" + (
                "; tunggu tanggapan pelapor lebih dahulu."
                if self.status is StatusTiket.MENUNGGU_PELAPOR else "."))
        salah = ErrorCollector()
        ke = _pilihan(TingkatEskalasi, tingkat, "tingkat", salah)
        catatan_ = _teks(catatan, "catatan", salah, maks=2000, wajib=False)
        referensi = _teks(referensi_lkpp, "referensi_lkpp", salah, maks=100, wajib=False)
        salah.raise_if_any()
        assert ke is not None
        _wajib_boleh_eskalasi(aktor, ke)
        self._periksa_urutan(ke)
        alasan_ = _alasan_eskalasi(ke, alasan)
        if referensi is not None and ke not in TINGKAT_LKPP:
            raise ValidationFailed("referensi_lkpp: hanya untuk eskalasi ke LKPP",
                                   errors=[FieldError("referensi_lkpp", "hanya untuk eskalasi ke LKPP")])
        if self.petugas is None:
            self._tetapkan_petugas(aktor.sub, aktor.sub, waktu, otomatis=False)
        dari = self.tingkat
        self.riwayat_eskalasi.append(Eskalasi(dari, ke, aktor.sub, waktu, alasan_, referensi,
                                              catatan_))
        self.tingkat = ke
        self.status = StatusTiket.DIESKALASI
        self.events.append(TiketDieskalasi(self.id, waktu, dari, ke, aktor.sub, alasan_,
                                           referensi))

    def _periksa_urutan(self, ke: TingkatEskalasi) -> None:
        posisi, tujuan = URUTAN_ESKALASI.index(self.tingkat), URUTAN_ESKALASI.index(ke)
        urutan = " → ".join(URUTAN_ESKALASI)
        if tujuan <= posisi:
            raise RuleViolation(
                f"Tiket sudah berada di tingkat {self.tingkat}; eskalasi tidak dapat mundur atau "
                f"tetap di tingkat yang sama (urutan: {urutan}).", rule=ATURAN_URUTAN_ESKALASI)
        if tujuan > posisi + 1:
            raise RuleViolation(
                f"Eskalasi dari {self.tingkat} harus ke {URUTAN_ESKALASI[posisi + 1]} lebih dahulu; "
                f"tingkat tidak boleh dilompati (urutan: {urutan}).", rule=ATURAN_URUTAN_ESKALASI)

    # ── resolution and closing ──

    def selesaikan(self, aktor: Aktor, solusi: object, waktu: datetime) -> None:
        """Record the solution; the ticket waits for the reporter's confirmation."""
        waktu = self._waktu_aksi(waktu)
        _wajib_staf(aktor, "menyelesaikan tiket")
        self._wajib_terbuka("diselesaikan")
        solusi_ = _satu_isian("solusi", solusi)
        if self.status is StatusTiket.MENUNGGU_PELAPOR:
            self._tutup_jeda(waktu)
        if self.petugas is None:
            self._tetapkan_petugas(aktor.sub, aktor.sub, waktu, otomatis=False)
        self.respons_pertama_pada = self.respons_pertama_pada or waktu
        self.status, self.solusi, self.diselesaikan_pada = StatusTiket.SELESAI, solusi_, waktu
        self.events.append(TiketDiselesaikan(self.id, waktu, aktor.sub, self.tingkat))

    def konfirmasi(self, aktor: Aktor, waktu: datetime) -> None:
        """The reporter confirms the solution and the ticket closes."""
        waktu = self._waktu_aksi(waktu)
        if not self.adalah_pelapor(aktor):
            raise Forbidden("Hanya pelapor yang dapat mengonfirmasi penyelesaian tiket; tiket yang "
                            f"selesai dikembalikan kepada pelapor ({ATURAN_KONFIRMASI}).")
        if self.status is not StatusTiket.SELESAI:
            raise InvalidState(f"Tiket berstatus {self.status}; hanya tiket berstatus selesai "
                               "yang dapat dikonfirmasi.")
        self._tutup(SebabPenutupan.DIKONFIRMASI_PELAPOR, waktu)

    def batas_tutup_otomatis(self, kalender: KalenderKerja,
                             konfigurasi: KonfigurasiHelpdesk = KONFIGURASI_BAKU,
                             ) -> datetime | None:
        """When a `selesai` ticket closes by itself: N business days after the last public word."""
        if self.status is not StatusTiket.SELESAI or self.diselesaikan_pada is None:
            return None
        terakhir = max([self.diselesaikan_pada] +
                       [t.waktu for t in self.tanggapan if not t.internal])
        return kalender.hari_kerja_setelah(terakhir, konfigurasi.tutup_otomatis_hari_kerja)

    def tutup_otomatis(self, waktu: datetime, kalender: KalenderKerja,
                       konfigurasi: KonfigurasiHelpdesk = KONFIGURASI_BAKU) -> None:
        """Close a `selesai` ticket the reporter left unanswered past the configured business days."""
        waktu = self._waktu_aksi(waktu)
        batas = self.batas_tutup_otomatis(kalender, konfigurasi)
        if batas is None:
            raise InvalidState(f"Tiket berstatus {self.status}; hanya tiket berstatus selesai "
                               "yang dapat ditutup otomatis.")
        if waktu < batas:
            raise InvalidState(f"Tiket belum dapat ditutup otomatis sebelum {batas.isoformat()} "
                               f"({konfigurasi.tutup_otomatis_hari_kerja} hari kerja tanpa "
                               "tanggapan).")
        self._tutup(SebabPenutupan.OTOMATIS, waktu)

    def tutup_di_luar_lingkup(self, aktor: Aktor, rujukan: object, waktu: datetime) -> None:
        """Answer a non-technical matter with a referral and close it as out of scope."""
        waktu = self._waktu_aksi(waktu)
        _wajib_staf(aktor, "menutup tiket di luar lingkup")
        self._wajib_terbuka("ditutup sebagai di luar lingkup")
        self._tutup_di_luar_lingkup(aktor.sub, PeranTanggapan.STAF,
                                    _satu_isian("rujukan", rujukan), waktu)

    def buka_kembali(self, aktor: Aktor, alasan: object, waktu: datetime,
                     kalender: KalenderKerja,
                     konfigurasi: KonfigurasiHelpdesk = KONFIGURASI_BAKU) -> None:
        """The reporter reopens a `selesai` ticket, or a `ditutup` one within the window."""
        waktu = self._waktu_aksi(waktu)
        if not self.adalah_pelapor(aktor):
            raise Forbidden("Hanya pelapor yang dapat membuka kembali tiketnya.")
        alasan_ = _satu_isian("alasan", alasan)
        self._periksa_boleh_dibuka(waktu, kalender, konfigurasi)
        dari = self.status
        if self.diselesaikan_pada is not None:
            self.jeda.append(Jeda(self.diselesaikan_pada, waktu, SebabJeda.SELESAI))
        self.tanggapan.append(Tanggapan(aktor.sub, PeranTanggapan.PELAPOR, alasan_, waktu))
        self.status = StatusTiket.DIPROSES
        self.solusi = self.diselesaikan_pada = self.ditutup_pada = self.sebab_penutupan = None
        self.events.append(TiketDibukaKembali(self.id, waktu, dari, aktor.sub))

    def _periksa_boleh_dibuka(self, waktu: datetime, kalender: KalenderKerja,
                              konfigurasi: KonfigurasiHelpdesk) -> None:
        if self.status is StatusTiket.SELESAI:
            return
        if self.status is not StatusTiket.DITUTUP:
            raise InvalidState(f"Tiket berstatus {self.status}; hanya tiket selesai atau ditutup "
                               "yang dapat dibuka kembali.")
        if self.di_luar_lingkup:
            raise InvalidState("Tiket ditutup karena di luar lingkup helpdesk "
                               f"({ATURAN_LINGKUP}) dan tidak dapat dibuka kembali; ajukan tiket "
                               "baru bila ada kendala teknis aplikasi atau infrastruktur.")
        assert self.ditutup_pada is not None
        batas = kalender.hari_kerja_setelah(self.ditutup_pada,
                                            konfigurasi.batas_buka_kembali_hari_kerja)
        if waktu > batas:
            raise InvalidState(
                f"Batas membuka kembali tiket ({konfigurasi.batas_buka_kembali_hari_kerja} hari "
                f"kerja setelah ditutup) berakhir {batas.isoformat()}; ajukan tiket baru dan "
                f"sebutkan nomor tiket {self.id}.")

    # ── satisfaction and priority ──

    def nilai_kepuasan(self, aktor: Aktor, nilai: object, waktu: datetime,
                       komentar: object = None) -> None:
        """The reporter rates the service once, 1 to 5, on a `selesai` or `ditutup` ticket."""
        waktu = self._waktu_aksi(waktu)
        if not self.adalah_pelapor(aktor):
            raise Forbidden("Hanya pelapor yang dapat menilai kepuasan layanan tiket ini.")
        if self.status not in (StatusTiket.SELESAI, StatusTiket.DITUTUP):
            raise InvalidState(f"Tiket berstatus {self.status}; kepuasan dinilai setelah tiket "
                               "selesai atau ditutup.")
        if self.kepuasan is not None:
            raise InvalidState("Kepuasan untuk tiket ini sudah dinilai pada "
                               f"{self.kepuasan.waktu.isoformat()}; penilaian hanya sekali.")
        salah = ErrorCollector()
        if not isinstance(nilai, int) or isinstance(nilai, bool) or not 1 <= nilai <= 5:
            salah.add("nilai", "harus bilangan bulat 1 sampai 5")
        komentar_ = _teks(komentar, "komentar", salah, maks=2000, wajib=False)
        salah.raise_if_any()
        assert isinstance(nilai, int)
        self.kepuasan = PenilaianKepuasan(nilai, waktu, komentar_)
        self.events.append(KepuasanTiketDinilai(self.id, waktu, nilai))

    def ubah_prioritas(self, aktor: Aktor, prioritas: object, waktu: datetime,
                       konfigurasi: KonfigurasiHelpdesk = KONFIGURASI_BAKU) -> None:
        """Staff set the priority of an open ticket; its SLA targets follow the new priority."""
        waktu = self._waktu_aksi(waktu)
        _wajib_staf(aktor, "mengubah prioritas tiket")
        self._wajib_terbuka("diubah prioritasnya")
        salah = ErrorCollector()
        prioritas_ = _pilihan(Prioritas, prioritas, "prioritas", salah)
        salah.raise_if_any()
        assert prioritas_ is not None
        self.prioritas = prioritas_
        self.target_sla = konfigurasi.target_sla(prioritas_, self.kategori)
        self.events.append(PrioritasTiketDiubah(self.id, waktu, prioritas_, aktor.sub))

    # ── SLA ──

    def jeda_sla(self) -> list[tuple[datetime, datetime | None]]:
        """The pauses of the SLA clock as (start, end or None while open)."""
        return [(j.mulai, j.selesai) for j in self.jeda]

    def catat_sla_terlampaui(self, waktu: datetime, kalender: KalenderKerja) -> tuple[JenisSla, ...]:
        """Record SlaTerlampaui for each breach not recorded before; returns the kinds recorded."""
        evaluasi = evaluasi_sla(self, waktu, kalender)
        baru = _belum_tercatat(self, evaluasi)
        for jenis in baru:
            hasil = evaluasi.hasil(jenis)
            self.sla_terlampaui_tercatat.add(jenis)
            self.events.append(SlaTerlampaui(self.id, waktu, jenis, hasil.target_detik,
                                             hasil.jatuh_tempo))
        return baru

    @property
    def akhir_penyelesaian(self) -> datetime | None:
        """When the resolution clock stopped: resolved, or closed without a solution."""
        return self.diselesaikan_pada or self.ditutup_pada

    # ── internals ──

    def _waktu_aksi(self, waktu: datetime) -> datetime:
        waktu = _waktu(waktu, "waktu")
        if waktu < self.dibuat_pada:
            raise ValidationFailed("waktu: tidak boleh sebelum tiket dibuat",
                                   errors=[FieldError("waktu", "tidak boleh sebelum tiket dibuat")])
        return waktu

    def _wajib_terbuka(self, tindakan: str) -> None:
        if self.status not in STATUS_TERBUKA:
            raise InvalidState(f"Tiket berstatus {self.status}; tiket yang sudah selesai atau "
                               f"ditutup tidak dapat {tindakan}.")

    def _tetapkan_petugas(self, petugas: str, oleh: str, waktu: datetime, *,
                          otomatis: bool) -> None:
        if petugas == self.petugas:
            return
        self.petugas = petugas
        if self.status is StatusTiket.BARU:
            self.status = StatusTiket.DITUGASKAN
        self.events.append(TiketDitugaskan(self.id, waktu, petugas, oleh, otomatis))

    def _balasan_staf(self, aktor: Aktor, isi: str, waktu: datetime) -> None:
        if self.petugas is None and self.status in STATUS_TERBUKA:
            self._tetapkan_petugas(aktor.sub, aktor.sub, waktu, otomatis=False)
        if self.status in (StatusTiket.BARU, StatusTiket.DITUGASKAN):
            self.status = StatusTiket.DIPROSES
        self.respons_pertama_pada = self.respons_pertama_pada or waktu
        self.tanggapan.append(Tanggapan(aktor.sub, PeranTanggapan.STAF, isi, waktu))

    def _tutup_jeda(self, waktu: datetime) -> None:
        self.jeda = [replace(j, selesai=waktu) if j.selesai is None else j for j in self.jeda]
        self.status_sebelum_jeda = None

    def _lanjutkan_jam(self, waktu: datetime) -> None:
        sebelumnya = self.status_sebelum_jeda
        self._tutup_jeda(waktu)
        self.status = (StatusTiket.DIESKALASI if sebelumnya is StatusTiket.DIESKALASI
                       else StatusTiket.DIPROSES)

    def _tutup(self, sebab: SebabPenutupan, waktu: datetime) -> None:
        self.status, self.ditutup_pada, self.sebab_penutupan = StatusTiket.DITUTUP, waktu, sebab
        self.events.append(TiketDitutup(self.id, waktu, sebab, self.di_luar_lingkup))

    def _tutup_di_luar_lingkup(self, oleh: str, sebagai: PeranTanggapan, rujukan: str,
                               waktu: datetime) -> None:
        if self.status is StatusTiket.MENUNGGU_PELAPOR:
            self._tutup_jeda(waktu)
        self.tanggapan.append(Tanggapan(oleh, sebagai, rujukan, waktu))
        self.respons_pertama_pada = self.respons_pertama_pada or waktu
        self.di_luar_lingkup = True
        self.events.append(TiketDitanggapi(self.id, waktu, oleh, sebagai, False,
                                           StatusTiket.DITUTUP))
        self._tutup(SebabPenutupan.DI_LUAR_LINGKUP, waktu)


def _periksa_pelapor(pelapor: Pelapor, salah: ErrorCollector) -> None:
    if pelapor.sub is None:
        _teks(pelapor.nama, "pelapor.nama", salah, maks=200)
        if not (pelapor.email or pelapor.telepon):
            salah.add("pelapor.email", "pelapor tanpa akun SPSE wajib mengisi email atau telepon")
    if pelapor.email and not _EMAIL.match(pelapor.email):
        salah.add("pelapor.email", "format email tidak valid")
    if pelapor.telepon and not _TELEPON.match(re.sub(r"[\s\-()]", "", pelapor.telepon)):
        salah.add("pelapor.telepon", "harus 8-15 angka, boleh diawali +")


def _wajib_staf(aktor: Aktor, tindakan: str) -> None:
    if not aktor.punya_peran(PERAN_STAF):
        raise Forbidden(f"Hanya petugas helpdesk atau Kasubbag LPSE yang dapat {tindakan}.")


def _wajib_boleh_eskalasi(aktor: Aktor, ke: TingkatEskalasi) -> None:
    if ke in TINGKAT_LKPP and not aktor.punya_peran(frozenset({"kasubbag_lpse"})):
        raise Forbidden("Hanya Kasubbag LPSE yang dapat meneruskan kendala teknis ke LKPP "
                        f"({ATURAN_ESKALASI_LKPP}).")
    if not aktor.punya_peran(PERAN_STAF):
        raise Forbidden("Hanya petugas helpdesk atau Kasubbag LPSE yang dapat mengeskalasi tiket.")


def _alasan_eskalasi(ke: TingkatEskalasi, alasan: object) -> AlasanEskalasi | None:
    if alasan is None and ke not in TINGKAT_LKPP:
        return None
    try:
        return AlasanEskalasi(alasan)
    except ValueError:
        pass
    if ke not in TINGKAT_LKPP:
        raise ValidationFailed("alasan: harus salah satu dari: " + ", ".join(AlasanEskalasi),
                               errors=[FieldError("alasan", "pilihan tidak dikenal")])
    pesan = ("eskalasi ke LKPP hanya untuk (a) permasalahan aplikasi SPSE yang tidak dapat "
             "diselesaikan LPSE (tidak_dapat_diselesaikan) atau (b) permasalahan yang belum "
             "tercakup dalam SPSE (belum_tercakup_spse)")
    raise RuleViolation(f"Alasan eskalasi wajib: {pesan} ({ATURAN_ESKALASI_LKPP}).",
                        rule=ATURAN_ESKALASI_LKPP, errors=[FieldError("alasan", pesan)])


# ── SLA evaluation ─────────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class HasilSla:
    """One SLA clock: target, business time used, due time (None while paused), status."""

    jenis: JenisSla
    target_detik: float
    terpakai_detik: float
    jatuh_tempo: datetime | None
    status: StatusSla
    dijeda: bool


@dataclass(frozen=True)
class EvaluasiSla:
    respons_pertama: HasilSla
    penyelesaian: HasilSla

    def hasil(self, jenis: JenisSla) -> HasilSla:
        """The result for one kind of SLA."""
        return self.respons_pertama if jenis is JenisSla.RESPONS_PERTAMA else self.penyelesaian


def evaluasi_sla(tiket: Tiket, now: datetime, kalender: KalenderKerja) -> EvaluasiSla:
    """First-response and resolution SLA of a ticket at `now`, in business time, pauses excluded."""
    return _evaluasi_sla_diingat(tiket.dibuat_pada, tiket.target_sla.respons_pertama_detik,
                                 tiket.target_sla.penyelesaian_detik, tuple(tiket.jeda_sla()),
                                 tiket.respons_pertama_pada, tiket.akhir_penyelesaian, now, kalender)


@lru_cache(maxsize=256)
def _evaluasi_sla_diingat(dibuat_pada: datetime, target_respons_detik: float, target_penyelesaian_detik: float,
                          jeda: tuple[tuple[datetime, datetime | None], ...], respons_pertama_pada: datetime | None,
                          akhir_penyelesaian: datetime | None, now: datetime, kalender: KalenderKerja) -> EvaluasiSla:
    """`evaluasi_sla_waktu`, remembered: one use case evaluates the same ticket at the same `now` several
    times (a create: its events, its schedule, its breach check and its view, four times; issue 9). The
    evaluation depends only on these arguments and its result is frozen, so a repeat is a lookup."""
    return evaluasi_sla_waktu(dibuat_pada, target_respons_detik, target_penyelesaian_detik, list(jeda),
                              respons_pertama_pada, akhir_penyelesaian, now, kalender)


def evaluasi_sla_waktu(dibuat_pada: datetime, target_respons_detik: float, target_penyelesaian_detik: float,
                       jeda: list[tuple[datetime, datetime | None]], respons_pertama_pada: datetime | None,
                       akhir_penyelesaian: datetime | None, now: datetime,
                       kalender: KalenderKerja) -> EvaluasiSla:
    """`evaluasi_sla` from the few values it needs (a list view has no aggregate to build)."""
    now = max(_waktu(now, "now"), dibuat_pada)
    return EvaluasiSla(
        respons_pertama=_hasil_sla(JenisSla.RESPONS_PERTAMA, target_respons_detik, dibuat_pada,
                                   respons_pertama_pada, now, jeda, kalender),
        penyelesaian=_hasil_sla(JenisSla.PENYELESAIAN, target_penyelesaian_detik, dibuat_pada,
                                akhir_penyelesaian, now, jeda, kalender),
    )


_RENCANA_MAKS = 20_000  # tickets whose due times are remembered (~10 MB), emptied when full
_RENCANA: WeakKeyDictionary[KalenderKerja, dict[tuple[datetime, float, float], list[Any]]] = \
    WeakKeyDictionary()
_TERLAMPAUI, _BERJALAN = StatusSla.TERLAMPAUI, StatusSla.BERJALAN


class SlaSaat:
    """The SLA clocks of many tickets at one `now` (a list page; issue 9).

    `berjalan` answers the common ticket, no pause and both clocks running, with the figures of
    `evaluasi_sla_waktu`. Its due times depend only on the ticket and are remembered per calendar.
    The business time it has used is split at the start of today (exact: business time adds up
    over any split point): today's part up to `now` is computed once here, the ticket's part (from
    its opening to midnight, or from midnight to its opening) once a day and remembered with it.
    """

    def __init__(self, now: datetime, kalender: KalenderKerja) -> None:
        self.now = _waktu(now, "now").astimezone(UTC)
        self.kalender = kalender
        rencana = _RENCANA.get(kalender)
        if rencana is None:
            rencana = _RENCANA[kalender] = {}
        self._rencana = rencana
        zona = kalender.konfigurasi.zona
        self._tanggal = self.now.astimezone(zona).date()
        tengah = datetime.combine(self._tanggal, time(0), tzinfo=zona).astimezone(UTC)
        # a zone whose local midnight is odd (DST) gets no split
        self._tengah: datetime | None = tengah if tengah <= self.now else None
        self._hari_ini = kalender.durasi_kerja(tengah, self.now) if self._tengah is not None else None

    def berjalan(self, dibuat_pada: datetime, target_respons_detik: float, target_penyelesaian_detik: float,
                 ) -> tuple[float, datetime, StatusSla, datetime, StatusSla] | None:
        """(business seconds used, due time and status of the first-response clock, of the resolution
        clock) of a ticket without pauses, response or resolution; None when `now` is before its
        opening (then only `evaluasi_sla_waktu` knows)."""
        now = self.now
        if now < dibuat_pada:
            return None
        kalender = self.kalender
        kunci = (dibuat_pada, target_respons_detik, target_penyelesaian_detik)
        rencana = self._rencana.get(kunci)
        if rencana is None:
            respons = kalender.tambah_waktu_kerja(dibuat_pada, target_respons_detik)
            penyelesaian = kalender.tambah_waktu_kerja(dibuat_pada, target_penyelesaian_detik)
            assert respons is not None and penyelesaian is not None  # None only under an open pause
            # due times in the calendar's zone (shown) and in UTC (compared, cheaper than a ZoneInfo),
            # then the date and business time of the ticket's part of the split
            rencana = [respons, penyelesaian, respons.astimezone(UTC), penyelesaian.astimezone(UTC), None, None]
            if len(self._rencana) >= _RENCANA_MAKS:
                self._rencana.clear()
            self._rencana[kunci] = rencana
        tengah, hari_ini = self._tengah, self._hari_ini
        if tengah is None or hari_ini is None:
            terpakai = kalender.durasi_kerja(dibuat_pada, now).total_seconds()
        else:
            if rencana[4] != self._tanggal:
                rencana[5] = (kalender.durasi_kerja(dibuat_pada, tengah) if dibuat_pada < tengah
                              else kalender.durasi_kerja(tengah, dibuat_pada))
                rencana[4] = self._tanggal
            bagian = rencana[5]
            terpakai = (bagian + hari_ini if dibuat_pada < tengah else hari_ini - bagian).total_seconds()
        return (terpakai, rencana[0], _TERLAMPAUI if now > rencana[2] else _BERJALAN,
                rencana[1], _TERLAMPAUI if now > rencana[3] else _BERJALAN)


def pelanggaran_sla_baru(tiket: Tiket, now: datetime, kalender: KalenderKerja,
                         ) -> tuple[JenisSla, ...]:
    """The SLA kinds breached by `now` whose SlaTerlampaui has not been recorded yet."""
    return _belum_tercatat(tiket, evaluasi_sla(tiket, now, kalender))


def pemeriksaan_sla_berikutnya(tiket: Tiket, now: datetime, kalender: KalenderKerja,
                              ) -> datetime | None:
    """When an unrecorded breach can next happen: at once if one is due, else the earliest due time
    of a running clock; None while every clock is stopped, paused short of its target or recorded."""
    evaluasi = evaluasi_sla(tiket, now, kalender)
    saat: list[datetime] = []
    for jenis in JenisSla:
        hasil = evaluasi.hasil(jenis)
        if jenis in tiket.sla_terlampaui_tercatat:
            continue
        if hasil.status is StatusSla.TERLAMPAUI:
            saat.append(max(now, tiket.dibuat_pada))
        elif hasil.status is StatusSla.BERJALAN and hasil.jatuh_tempo is not None:
            saat.append(hasil.jatuh_tempo)
    return min(saat, default=None)


def _belum_tercatat(tiket: Tiket, evaluasi: EvaluasiSla) -> tuple[JenisSla, ...]:
    return tuple(jenis for jenis in JenisSla
                 if evaluasi.hasil(jenis).status is StatusSla.TERLAMPAUI
                 and jenis not in tiket.sla_terlampaui_tercatat)


def _hasil_sla(jenis: JenisSla, target: float, mulai: datetime, akhir: datetime | None,
               now: datetime, jeda: list[tuple[datetime, datetime | None]],
               kalender: KalenderKerja) -> HasilSla:
    if akhir is not None:
        sebelum_akhir = [(m, akhir if s is None or s > akhir else s) for m, s in jeda if m < akhir]
        jatuh_tempo = kalender.tambah_waktu_kerja(mulai, target, sebelum_akhir)
        assert jatuh_tempo is not None  # no open pause before `akhir`
        status = StatusSla.TERPENUHI if akhir <= jatuh_tempo else StatusSla.TERLAMPAUI
        return HasilSla(jenis, target, kalender.detik_kerja(mulai, akhir, sebelum_akhir),
                        jatuh_tempo, status, dijeda=False)
    jatuh_tempo = kalender.tambah_waktu_kerja(mulai, target, jeda)
    dijeda = any(s is None and m <= now for m, s in jeda)
    status = (StatusSla.TERLAMPAUI if jatuh_tempo is not None and now > jatuh_tempo
              else StatusSla.BERJALAN)
    return HasilSla(jenis, target, kalender.detik_kerja(mulai, now, jeda), jatuh_tempo, status,
                    dijeda)


# ── announcement ───────────────────────────────────────────────────────────────────────────────

@dataclass
class Pengumuman:
    """An announcement to every SPSE user of a problem, maintenance or news (rule 24, 2.5.2 d)."""

    id: str
    judul: str
    isi: str
    jenis: JenisPengumuman
    mulai: datetime
    selesai: datetime
    diterbitkan_oleh: str
    diterbitkan_pada: datetime
    events: list[Any] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def terbitkan(cls, *, id: str, judul: object, isi: object, jenis: object, mulai: object,
                  selesai: object, aktor: Aktor, waktu: datetime) -> Pengumuman:
        """Publish an announcement shown from `mulai` until `selesai`."""
        waktu = _waktu(waktu, "waktu")
        if not aktor.punya_peran(PERAN_PENERBIT_PENGUMUMAN):
            raise Forbidden("Hanya Kasubbag LPSE atau Administrator Sistem yang dapat menerbitkan "
                            "pengumuman.")
        salah = ErrorCollector()
        judul_ = _teks(judul, "judul", salah, maks=200)
        isi_ = _teks(isi, "isi", salah, maks=10_000)
        jenis_ = _pilihan(JenisPengumuman, jenis, "jenis", salah)
        mulai_, selesai_ = _periode(mulai, selesai, waktu, salah)
        salah.raise_if_any()
        assert judul_ and isi_ and jenis_ and mulai_ and selesai_
        pengumuman = cls(id, judul_, isi_, jenis_, mulai_, selesai_, aktor.sub, waktu)
        pengumuman.events.append(PengumumanDiterbitkan(id, waktu, jenis_, judul_, mulai_, selesai_))
        return pengumuman

    def aktif(self, now: datetime) -> bool:
        """Whether the announcement is shown at `now` (from `mulai`, until before `selesai`)."""
        return self.mulai <= _waktu(now, "now") < self.selesai


def _periode(mulai: object, selesai: object, waktu: datetime, salah: ErrorCollector,
             ) -> tuple[datetime | None, datetime | None]:
    hasil: list[datetime | None] = []
    for nama, nilai in (("mulai", mulai), ("selesai", selesai)):
        if isinstance(nilai, datetime) and nilai.utcoffset() is not None:
            hasil.append(nilai)
        else:
            salah.add(nama, "wajib berupa waktu dengan zona waktu (mis. 2026-01-05T08:00:00+07:00)")
            hasil.append(None)
    mulai_, selesai_ = hasil
    if mulai_ is not None and selesai_ is not None:
        if selesai_ <= mulai_:
            salah.add("selesai", f"harus setelah mulai ({mulai_.isoformat()})")
        elif selesai_ <= waktu:
            salah.add("selesai", "sudah lewat; pengumuman tidak akan pernah tampil")
    return mulai_, selesai_


# ── berita acara ───────────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class Penandatangan:
    """A signatory: name and NIP."""

    nama: str
    nip: str


_ISIAN_BERITA_ACARA = ("paket_kode", "penyedia", "nama_file", "hash_file", "pernyataan_lpse",
                       "pernyataan_lkpp", "saksi", "anggota_pokja", "hasil", "tempat")


@dataclass
class BeritaAcara:
    """Record of a bid file the Pokja could not open, witnessed by the Kasubbag LPSE (rule 23).

    Editable while `draf`; once signed nothing in it can change.
    """

    id: str
    paket_kode: str
    penyedia: str
    nama_file: str
    hash_file: str
    pernyataan_lpse: str
    saksi: Penandatangan
    anggota_pokja: tuple[Penandatangan, ...]
    hasil: HasilBeritaAcara
    disusun_pada: datetime
    pernyataan_lkpp: str | None = None
    tempat: str | None = None
    status: StatusBeritaAcara = StatusBeritaAcara.DRAF
    ditandatangani_pada: datetime | None = None
    events: list[Any] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_terkunci", self.status is StatusBeritaAcara.DITANDATANGANI)

    def __setattr__(self, nama: str, nilai: object) -> None:
        if getattr(self, "_terkunci", False):
            raise InvalidState(self._pesan_terkunci())
        super().__setattr__(nama, nilai)

    @classmethod
    def susun(cls, *, id: str, aktor: Aktor, waktu: datetime, paket_kode: object,
              penyedia: object, nama_file: object, hash_file: object, pernyataan_lpse: object,
              saksi: Penandatangan, anggota_pokja: object, hasil: object,
              pernyataan_lkpp: object = None, tempat: object = None) -> BeritaAcara:
        """Draft a berita acara; the Kasubbag LPSE who drafts it is its witness."""
        waktu = _waktu(waktu, "waktu")
        _wajib_kasubbag_saksi(aktor, saksi)
        isian = _isian_berita_acara({
            "paket_kode": paket_kode, "penyedia": penyedia, "nama_file": nama_file, "hash_file": hash_file,
            "pernyataan_lpse": pernyataan_lpse, "pernyataan_lkpp": pernyataan_lkpp, "saksi": saksi,
            "anggota_pokja": anggota_pokja, "hasil": hasil, "tempat": tempat})
        return cls(id=id, disusun_pada=waktu, **isian)

    def ubah(self, aktor: Aktor, **perubahan: object) -> None:
        """Change fields of a draft; refused once signed."""
        if self.status is StatusBeritaAcara.DITANDATANGANI:
            raise InvalidState(self._pesan_terkunci())
        tidak_dikenal = sorted(set(perubahan) - set(_ISIAN_BERITA_ACARA))
        if tidak_dikenal:
            raise ValidationFailed(
                "Isian berikut tidak dapat diubah: " + ", ".join(tidak_dikenal),
                errors=[FieldError(nama, "tidak dapat diubah") for nama in tidak_dikenal])
        sekarang = {nama: getattr(self, nama) for nama in _ISIAN_BERITA_ACARA}
        isian = _isian_berita_acara({**sekarang, **perubahan})
        _wajib_kasubbag_saksi(aktor, isian["saksi"])
        for nama, nilai in isian.items():
            setattr(self, nama, nilai)

    def tandatangani(self, aktor: Aktor, waktu: datetime) -> None:
        """Sign the berita acara; from now on it is immutable."""
        waktu = _waktu(waktu, "waktu")
        if self.status is StatusBeritaAcara.DITANDATANGANI:
            raise InvalidState(self._pesan_terkunci())
        _wajib_kasubbag_saksi(aktor, self.saksi)
        self.status, self.ditandatangani_pada = StatusBeritaAcara.DITANDATANGANI, waktu
        object.__setattr__(self, "_terkunci", True)
        self.events.append(BeritaAcaraDitandatangani(self.id, waktu, self.paket_kode,
                                                     self.penyedia, self.hash_file, self.hasil))

    def _pesan_terkunci(self) -> str:
        waktu = self.ditandatangani_pada.isoformat() if self.ditandatangani_pada else "-"
        return (f"Berita acara {self.id} sudah ditandatangani ({waktu}) dan tidak dapat diubah; "
                "bila ada kekeliruan, susun berita acara baru yang merujuk berita acara ini.")


def _wajib_kasubbag_saksi(aktor: Aktor, saksi: object) -> None:
    if not aktor.punya_peran(frozenset({"kasubbag_lpse"})):
        raise Forbidden("Hanya Kasubbag LPSE yang dapat menyusun dan menandatangani berita acara "
                        f"dokumen penawaran yang tidak dapat dibuka ({ATURAN_BERITA_ACARA}).")
    if isinstance(saksi, Penandatangan) and saksi.nip != aktor.sub:
        raise RuleViolation("Saksi berita acara adalah Kepala Subbagian LPSE yang menyusunnya; "
                            f"NIP saksi ({saksi.nip}) berbeda dengan NIP penyusun ({aktor.sub}).",
                            rule=ATURAN_BERITA_ACARA,
                            errors=[FieldError("saksi.nip", "harus NIP Kasubbag LPSE penyusun")])


def _isian_berita_acara(data: dict[str, Any]) -> dict[str, Any]:
    salah = ErrorCollector()
    hasil: dict[str, Any] = {
        "paket_kode": _teks(data["paket_kode"], "paket_kode", salah, maks=50),
        "penyedia": _teks(data["penyedia"], "penyedia", salah, maks=300),
        "nama_file": _teks(data["nama_file"], "nama_file", salah, maks=255),
        "pernyataan_lpse": _teks(data["pernyataan_lpse"], "pernyataan_lpse", salah, maks=10_000),
        "pernyataan_lkpp": _teks(data["pernyataan_lkpp"], "pernyataan_lkpp", salah, maks=10_000,
                                 wajib=False),
        "hasil": _pilihan(HasilBeritaAcara, data["hasil"], "hasil", salah),
        "tempat": _teks(data.get("tempat"), "tempat", salah, maks=300, wajib=False),
    }
    hash_file = data["hash_file"]
    if isinstance(hash_file, str) and _SHA256.match(hash_file.strip()):
        hasil["hash_file"] = hash_file.strip().lower()
    else:
        salah.add("hash_file", "harus SHA-256 dalam heksadesimal (64 karakter 0-9, a-f)")
    saksi = data["saksi"]
    _periksa_penandatangan(saksi, "saksi", salah)
    hasil["saksi"] = saksi
    anggota = data["anggota_pokja"]
    if isinstance(anggota, list | tuple) and anggota:
        for i, orang in enumerate(anggota):
            _periksa_penandatangan(orang, f"anggota_pokja[{i}]", salah)
        nip_anggota = [o.nip for o in anggota if isinstance(o, Penandatangan)]
        if len(set(nip_anggota)) != len(nip_anggota):
            salah.add("anggota_pokja", "NIP anggota Pokja tidak boleh berulang")
        hasil["anggota_pokja"] = tuple(anggota)
    else:
        salah.add("anggota_pokja", "paling sedikit satu anggota Pokja penandatangan")
    salah.raise_if_any("Berita acara belum lengkap atau tidak valid.")
    if saksi.nip in {o.nip for o in hasil["anggota_pokja"]}:
        raise RuleViolation("Kasubbag LPSE sebagai saksi tidak boleh merangkap anggota Pokja "
                            "pada berita acara yang sama.", rule=ATURAN_RANGKAP_JABATAN,
                            errors=[FieldError("saksi.nip", "tercantum juga sebagai anggota Pokja")])
    return hasil


def _periksa_penandatangan(orang: object, nama: str, salah: ErrorCollector) -> None:
    if not isinstance(orang, Penandatangan):
        salah.add(nama, "harus berisi nama dan NIP")
        return
    if not orang.nama or not orang.nama.strip():
        salah.add(f"{nama}.nama", "wajib diisi")
    if not _NIP.match(orang.nip or ""):
        salah.add(f"{nama}.nip", "NIP harus 18 angka")
