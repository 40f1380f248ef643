"""Rules of SPSE user registration and verification (Permendagri 53/2021 Lampiran 2.3c and 2.5.1).

Entities mutate themselves and record the domain events they produce in `events` (each method also
returns its event). Standard library and `shared.errors` only. Registration is free of charge
(Lampiran 2.5.1): there is no fee or payment concept here, on purpose.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from shared.errors import (
    ErrorCollector,
    FieldError,
    InvalidState,
    RuleViolation,
    ValidationFailed,
)

from .identitas import kumpulkan, normalisasi_npwp, periksa_nik_nip, samarkan, validasi_nib, validasi_nik

ATURAN_PENDAFTARAN = "Lampiran angka 2.5.1 Permendagri 53/2021"
ATURAN_VERIFIKATOR = "Lampiran angka 2.3 huruf c Permendagri 53/2021"
ATURAN_DAFTAR_HITAM = "Pasal 78 Perpres 16/2018 jo. Perpres 12/2021"

_BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def langgar(pesan: str, *, aturan: str, errors: list[FieldError] | None = None,
            extra: dict[str, Any] | None = None) -> RuleViolation:
    """A RuleViolation whose detail ends by naming the rule, as the API contract asks."""
    return RuleViolation(f"{pesan} ({aturan})", rule=aturan, errors=errors, extra=extra)


def tanggal_indonesia(d: date) -> str:
    """Format a date the Indonesian way: '28 Februari 2025'."""
    return f"{d.day} {_BULAN[d.month - 1]} {d.year}"


class JenisPendaftaran(StrEnum):
    PENYEDIA = "penyedia"
    NON_PENYEDIA = "non_penyedia"


class BentukUsaha(StrEnum):
    PT = "pt"
    CV = "cv"
    FIRMA = "firma"
    KOPERASI = "koperasi"
    PERSEKUTUAN_PERDATA = "persekutuan_perdata"
    YAYASAN = "yayasan"
    PERORANGAN = "perorangan"


class Peran(StrEnum):
    PPK = "ppk"
    POKJA = "pokja"
    PEJABAT_PENGADAAN = "pejabat_pengadaan"
    KPA = "kpa"
    PA = "pa"
    AUDITOR = "auditor"


class JenisDokumen(StrEnum):
    KTP = "ktp"
    AKTA_PENDIRIAN = "akta_pendirian"
    AKTA_PERUBAHAN = "akta_perubahan"
    NPWP = "npwp"
    NIB = "nib"
    FORMULIR_PENDAFTARAN = "formulir_pendaftaran"
    FORMULIR_KEIKUTSERTAAN = "formulir_keikutsertaan"
    SURAT_TUGAS = "surat_tugas"
    SK = "sk"


class StatusPendaftaran(StrEnum):
    DIAJUKAN = "diajukan"
    PERLU_PERBAIKAN = "perlu_perbaikan"
    DISETUJUI = "disetujui"
    DITOLAK = "ditolak"


class Keputusan(StrEnum):
    DISETUJUI = "disetujui"
    DITOLAK = "ditolak"
    PERLU_PERBAIKAN = "perlu_perbaikan"


class StatusPengguna(StrEnum):
    AKTIF = "aktif"
    NONAKTIF = "nonaktif"
    KEDALUWARSA = "kedaluwarsa"


class JenisPelanggaran(StrEnum):
    ETIKA = "etika"
    NON_ETIKA = "non_etika"


# --- required documents: configuration -------------------------------------------------------------

# One requirement is a set of alternatives: any one of them, uploaded and its original seen, satisfies it.
SyaratDokumen = Mapping[str, tuple[frozenset[JenisDokumen], ...]]


def syarat_dari_pengaturan(pengaturan: Mapping[str, Iterable[str]]) -> SyaratDokumen:
    """Build required-document rules from settings, e.g. {'non_penyedia': ['sk|surat_tugas']}.

    Keys are a registration kind ('penyedia', 'non_penyedia') or a provider form ('penyedia.perorangan');
    '|' separates alternatives. An unknown document kind raises ValueError at start-up.
    """
    return {kunci: tuple(frozenset(JenisDokumen(j.strip()) for j in syarat.split("|")) for syarat in daftar)
            for kunci, daftar in pengaturan.items()}


SYARAT_DOKUMEN_BAKU: SyaratDokumen = syarat_dari_pengaturan({
    "penyedia": ["ktp", "akta_pendirian", "npwp", "formulir_pendaftaran", "formulir_keikutsertaan"],
    # a sole proprietor has no deed of establishment
    "penyedia.perorangan": ["ktp", "npwp", "formulir_pendaftaran", "formulir_keikutsertaan"],
    "non_penyedia": ["sk|surat_tugas"],
})


# --- registrant data -------------------------------------------------------------------------------

@dataclass(frozen=True)
class PenanggungJawab:
    nama: str
    nik: str
    jabatan: str


@dataclass(frozen=True)
class DataPenyedia:
    bentuk_usaha: BentukUsaha
    nama: str
    npwp: str
    nib: str | None
    email: str
    telepon: str
    alamat: str
    user_id: str
    penanggung_jawab: PenanggungJawab

    jenis = JenisPendaftaran.PENYEDIA

    @property
    def kunci_syarat(self) -> str:
        return f"{self.jenis}.{self.bentuk_usaha}"


@dataclass(frozen=True)
class DataNonPenyedia:
    nama: str
    nip: str
    nik: str
    instansi: str
    satuan_kerja: str
    peran: frozenset[Peran]
    nomor_sk: str
    berlaku_sampai: date
    email: str
    user_id: str

    jenis = JenisPendaftaran.NON_PENYEDIA

    @property
    def kunci_syarat(self) -> str:
        return str(self.jenis)


DataPendaftar = DataPenyedia | DataNonPenyedia
_PERAN = frozenset(Peran)


def periksa_data(data: DataPendaftar, *, hari_ini: date) -> tuple[DataPendaftar, list[str]]:
    """Validate every identifier at once; return the data with the NPWP in 16 digits, and warnings."""
    if isinstance(data, DataPenyedia):
        return _periksa_penyedia(data)
    return _periksa_non_penyedia(data, hari_ini)


def _periksa_penyedia(data: DataPenyedia) -> tuple[DataPenyedia, list[str]]:
    salah = ErrorCollector()
    npwp = kumpulkan(salah, normalisasi_npwp, data.npwp, field="npwp")
    nik = kumpulkan(salah, validasi_nik, data.penanggung_jawab.nik, field="penanggung_jawab.nik")
    if data.nib is not None:
        kumpulkan(salah, validasi_nib, data.nib, field="nib")
    if npwp and nik and data.bentuk_usaha == BentukUsaha.PERORANGAN and npwp.npwp16 != nik.nik:
        salah.add("npwp", "Untuk usaha perorangan, NPWP adalah NIK penanggung jawab (PMK 112/2022); "
                          f"NPWP {samarkan(npwp.npwp16)} tidak sama dengan NIK {samarkan(nik.nik)}.")
    salah.raise_if_any()
    assert npwp is not None and nik is not None
    peringatan = list(npwp.peringatan)
    if nik.wilayah_lama:
        peringatan.append(_peringatan_wilayah_lama("penanggung_jawab.nik", nik.kode_wilayah))
    return replace(data, npwp=npwp.npwp16), peringatan


def _periksa_non_penyedia(data: DataNonPenyedia, hari_ini: date) -> tuple[DataNonPenyedia, list[str]]:
    salah = ErrorCollector()
    hasil = kumpulkan(salah, periksa_nik_nip, data.nik, data.nip)
    asing = sorted(p for p in data.peran if p not in _PERAN)
    if not data.peran or asing:
        awal = f"Peran tidak dikenal: {', '.join(asing)}. " if asing else ""
        salah.add("peran", awal + "Pilih sedikitnya satu peran: " + ", ".join(Peran) + ".")
    if not data.nomor_sk.strip():
        salah.add("nomor_sk", "Nomor SK atau surat tugas wajib diisi.")
    if data.berlaku_sampai <= hari_ini:
        salah.add("berlaku_sampai", f"Masa berlaku SK/surat tugas ({data.berlaku_sampai.isoformat()}) harus "
                                    f"setelah hari ini ({hari_ini.isoformat()}).")
    salah.raise_if_any()
    assert hasil is not None
    nik = hasil[0]
    return data, [_peringatan_wilayah_lama("nik", nik.kode_wilayah)] if nik.wilayah_lama else []


def _peringatan_wilayah_lama(field_: str, kode: str) -> str:
    return (f"{field_}: kode wilayah {kode} tidak ada di tabel Kemendagri terbaru; diterima sebagai kode "
            "lama sebelum pemekaran. Cocokkan dengan KTP asli.")


# --- daftar hitam ------------------------------------------------------------------------------------

LAMA_DAFTAR_HITAM_BULAN = {JenisPelanggaran.ETIKA: 24, JenisPelanggaran.NON_ETIKA: 12}


@dataclass(frozen=True)
class EntriDaftarHitam:
    jenis: JenisPelanggaran
    mulai: date
    alasan: str
    npwp: str | None = None
    nib: str | None = None

    @property
    def akhir(self) -> date:
        return akhir_daftar_hitam(self.mulai, self.jenis)


def akhir_daftar_hitam(mulai: date, jenis: JenisPelanggaran) -> date:
    """End of a blacklisting: 24 calendar months for ethics breaches, 12 otherwise (29 Feb -> 28 Feb)."""
    bulan = mulai.month - 1 + LAMA_DAFTAR_HITAM_BULAN[jenis]
    tahun, bulan = mulai.year + bulan // 12, bulan % 12 + 1
    return date(tahun, bulan, min(mulai.day, calendar.monthrange(tahun, bulan)[1]))


def aktif(entri: EntriDaftarHitam, hari_ini: date) -> bool:
    """True from the start date up to and including the end date."""
    return entri.mulai <= hari_ini <= entri.akhir


def periksa_daftar_hitam(npwp16: str, nib: str | None, daftar: Iterable[EntriDaftarHitam], *,
                         hari_ini: date) -> None:
    """Refuse a provider whose NPWP or NIB has an active blacklist entry, naming when it ends."""
    kena = [e for e in daftar if aktif(e, hari_ini) and
            (e.npwp == npwp16 or (nib is not None and e.nib == nib))]
    if kena:
        akhir = max(kena, key=lambda e: e.akhir)
        raise langgar(
            f"Penyedia masih tercantum dalam daftar hitam sampai dengan {tanggal_indonesia(akhir.akhir)} "
            f"(pelanggaran {akhir.jenis.value.replace('_', '-')}: {akhir.alasan}); pendaftaran tidak dapat "
            "diproses sebelum masa sanksi berakhir.",
            aturan=ATURAN_DAFTAR_HITAM, extra={"daftar_hitam_sampai": akhir.akhir.isoformat()})


# --- events --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PendaftaranDiajukan:
    pendaftaran_id: str
    jenis: JenisPendaftaran


@dataclass(frozen=True)
class DokumenDilampirkan:
    pendaftaran_id: str
    jenis_dokumen: JenisDokumen


@dataclass(frozen=True)
class PerbaikanDiminta:
    pendaftaran_id: str
    alasan: str
    kekurangan: tuple[str, ...]
    oleh: str


@dataclass(frozen=True)
class PendaftaranDiajukanUlang:
    pendaftaran_id: str


@dataclass(frozen=True)
class PendaftaranDisetujui:
    pendaftaran_id: str
    jenis: JenisPendaftaran
    user_id: str
    oleh: str
    berlaku_sampai: date | None


@dataclass(frozen=True)
class PendaftaranDitolak:
    pendaftaran_id: str
    jenis: JenisPendaftaran
    alasan: str
    oleh: str


@dataclass(frozen=True)
class PenggunaDinonaktifkan:
    pengguna_id: str
    alasan: str
    oleh: str


@dataclass(frozen=True)
class PenggunaDiaktifkan:
    pengguna_id: str
    alasan: str
    oleh: str


@dataclass(frozen=True)
class PenggunaKedaluwarsa:
    pengguna_id: str
    berlaku_sampai: date


# --- entities ------------------------------------------------------------------------------------------

E = TypeVar("E")


class _Agregat:
    events: list[object]

    def _catat(self, event: E) -> E:
        self.events.append(event)
        return event


@dataclass
class Pendaftaran(_Agregat):
    id: str
    data: DataPendaftar
    status: StatusPendaftaran = StatusPendaftaran.DIAJUKAN
    dokumen: set[JenisDokumen] = field(default_factory=set)
    dokumen_asli_diperiksa: set[JenisDokumen] = field(default_factory=set)
    peringatan: list[str] = field(default_factory=list)
    alasan: str = ""
    events: list[object] = field(default_factory=list)

    @property
    def jenis(self) -> JenisPendaftaran:
        return self.data.jenis

    @classmethod
    def ajukan(cls, id: str, data: DataPendaftar, *, hari_ini: date,
               daftar_hitam: Iterable[EntriDaftarHitam] = ()) -> Pendaftaran:
        """Submit a registration: blacklist first (as LPSE SOPs do), then every identifier."""
        data, peringatan = cls._terima_data(data, hari_ini, daftar_hitam)
        pendaftaran = cls(id=id, data=data, peringatan=peringatan)
        pendaftaran._catat(PendaftaranDiajukan(id, data.jenis))
        return pendaftaran

    def lampirkan_dokumen(self, jenis: JenisDokumen) -> DokumenDilampirkan:
        """Record an uploaded document kind; allowed until a final decision."""
        if self.status not in (StatusPendaftaran.DIAJUKAN, StatusPendaftaran.PERLU_PERBAIKAN):
            raise InvalidState(f"Pendaftaran berstatus {self.status}; dokumen tidak dapat ditambahkan lagi.")
        self.dokumen.add(jenis)
        return self._catat(DokumenDilampirkan(self.id, jenis))

    def ajukan_ulang(self, *, hari_ini: date, data: DataPendaftar | None = None,
                     daftar_hitam: Iterable[EntriDaftarHitam] = ()) -> PendaftaranDiajukanUlang:
        """Resubmit after a request for correction, optionally with corrected data."""
        if self.status is not StatusPendaftaran.PERLU_PERBAIKAN:
            raise InvalidState(f"Pendaftaran berstatus {self.status}; hanya pendaftaran berstatus "
                               "perlu_perbaikan yang dapat diajukan ulang.")
        if data is not None and data.jenis is not self.jenis:
            raise ValidationFailed("Jenis pendaftaran tidak dapat diubah.",
                                   errors=[FieldError("jenis", f"Jenis pendaftaran tetap {self.jenis}.")])
        self.data, self.peringatan = self._terima_data(data or self.data, hari_ini, daftar_hitam)
        self.status = StatusPendaftaran.DIAJUKAN
        return self._catat(PendaftaranDiajukanUlang(self.id))

    def putuskan(self, keputusan: Keputusan, *, oleh: str, hari_ini: date, alasan: str = "",
                 dokumen_asli_diperiksa: Iterable[JenisDokumen] = (), kekurangan: Iterable[str] = (),
                 syarat: SyaratDokumen = SYARAT_DOKUMEN_BAKU,
                 daftar_hitam: Iterable[EntriDaftarHitam] = ()) -> object:
        """Apply a verifikator's decision as the API receives it."""
        if keputusan == Keputusan.DISETUJUI:
            return self.setujui(oleh=oleh, hari_ini=hari_ini, dokumen_asli_diperiksa=dokumen_asli_diperiksa,
                                syarat=syarat, daftar_hitam=daftar_hitam)
        if keputusan == Keputusan.DITOLAK:
            return self.tolak(oleh=oleh, alasan=alasan)
        return self.minta_perbaikan(oleh=oleh, alasan=alasan, kekurangan=kekurangan)

    def setujui(self, *, oleh: str, hari_ini: date, dokumen_asli_diperiksa: Iterable[JenisDokumen],
                syarat: SyaratDokumen = SYARAT_DOKUMEN_BAKU,
                daftar_hitam: Iterable[EntriDaftarHitam] = ()) -> PendaftaranDisetujui:
        """Approve: every required document uploaded with its original seen, no active blacklist entry."""
        self._harus_diajukan()
        asli = set(dokumen_asli_diperiksa)
        data = self.data
        if isinstance(data, DataPenyedia):
            periksa_daftar_hitam(data.npwp, data.nib, daftar_hitam, hari_ini=hari_ini)
        elif data.berlaku_sampai <= hari_ini:
            raise langgar(f"Masa berlaku SK/surat tugas berakhir {tanggal_indonesia(data.berlaku_sampai)}; "
                          "pendaftaran tidak dapat disetujui.", aturan=ATURAN_PENDAFTARAN,
                          errors=[FieldError("berlaku_sampai", "Masa berlaku sudah lewat.")])
        salah = self._kekurangan_dokumen(syarat, asli)
        if salah:
            raise langgar(f"Pendaftaran belum dapat disetujui: {len(salah)} syarat dokumen belum terpenuhi.",
                          aturan=ATURAN_PENDAFTARAN, errors=salah)
        self.status = StatusPendaftaran.DISETUJUI
        self.dokumen_asli_diperiksa = asli
        berlaku = data.berlaku_sampai if isinstance(data, DataNonPenyedia) else None
        return self._catat(PendaftaranDisetujui(self.id, self.jenis, data.user_id, oleh, berlaku))

    def tolak(self, *, oleh: str, alasan: str) -> PendaftaranDitolak:
        """Refuse for good; the reason is required."""
        self._harus_diajukan()
        if not alasan.strip():
            raise langgar("Penolakan pendaftaran wajib disertai alasan.", aturan=ATURAN_VERIFIKATOR,
                          errors=[FieldError("alasan", "Tuliskan alasan penolakan, misalnya ketentuan "
                                                       "yang dilanggar.")])
        self.status, self.alasan = StatusPendaftaran.DITOLAK, alasan.strip()
        return self._catat(PendaftaranDitolak(self.id, self.jenis, self.alasan, oleh))

    def minta_perbaikan(self, *, oleh: str, alasan: str = "",
                        kekurangan: Iterable[str] = ()) -> PerbaikanDiminta:
        """Send back for correction; needs a reason or a list of what is missing."""
        self._harus_diajukan()
        daftar = tuple(k.strip() for k in kekurangan if k.strip())
        if not alasan.strip() and not daftar:
            raise langgar("Permintaan perbaikan wajib menyebut alasan atau kekurangan.",
                          aturan=ATURAN_VERIFIKATOR,
                          errors=[FieldError("alasan", "Isi alasan, atau sebutkan dokumen/isian yang "
                                                       "harus diperbaiki pada kekurangan.")])
        self.status, self.alasan = StatusPendaftaran.PERLU_PERBAIKAN, alasan.strip()
        return self._catat(PerbaikanDiminta(self.id, self.alasan, daftar, oleh))

    def syarat_belum_diunggah(self, syarat: SyaratDokumen = SYARAT_DOKUMEN_BAKU) -> list[str]:
        """Required documents not uploaded yet, each named as 'ktp' or 'sk atau surat_tugas'."""
        return [" atau ".join(sorted(pilihan)) for pilihan in self._aturan_dokumen(syarat)
                if not pilihan & self.dokumen]

    def _aturan_dokumen(self, syarat: SyaratDokumen) -> tuple[frozenset[JenisDokumen], ...]:
        return syarat.get(self.data.kunci_syarat, syarat[self.jenis])

    def _kekurangan_dokumen(self, syarat: SyaratDokumen, asli: set[JenisDokumen]) -> list[FieldError]:
        salah = []
        for pilihan in self._aturan_dokumen(syarat):
            nama = " atau ".join(sorted(pilihan))
            if not pilihan & self.dokumen:
                salah.append(FieldError("dokumen", f"Dokumen {nama} belum diunggah."))
            elif not pilihan & self.dokumen & asli:
                salah.append(FieldError("dokumen_asli_diperiksa", f"Asli dokumen {nama} belum diperiksa "
                                                                  "verifikator."))
        return salah

    def _harus_diajukan(self) -> None:
        if self.status is not StatusPendaftaran.DIAJUKAN:
            raise InvalidState(f"Pendaftaran berstatus {self.status}; keputusan verifikasi hanya dapat "
                               "diberikan pada pendaftaran berstatus diajukan.")

    @staticmethod
    def _terima_data(data: DataPendaftar, hari_ini: date,
                     daftar_hitam: Iterable[EntriDaftarHitam]) -> tuple[DataPendaftar, list[str]]:
        if isinstance(data, DataPenyedia):
            npwp = kumpulkan(ErrorCollector(), normalisasi_npwp, data.npwp)
            if npwp is not None:
                periksa_daftar_hitam(npwp.npwp16, data.nib, daftar_hitam, hari_ini=hari_ini)
        return periksa_data(data, hari_ini=hari_ini)


# --- pengguna ---------------------------------------------------------------------------------------------

def sudah_kedaluwarsa(berlaku_sampai: date, hari_ini: date) -> bool:
    """True once the last valid day `berlaku_sampai` has passed."""
    return hari_ini > berlaku_sampai


@dataclass
class Pengguna(_Agregat):
    id: str
    pendaftaran_id: str
    jenis: JenisPendaftaran
    user_id: str
    berlaku_sampai: date | None = None
    status: StatusPengguna = StatusPengguna.AKTIF
    events: list[object] = field(default_factory=list)

    @classmethod
    def dari_pendaftaran(cls, id: str, pendaftaran: Pendaftaran) -> Pengguna:
        """The active user an approved registration creates."""
        if pendaftaran.status is not StatusPendaftaran.DISETUJUI:
            raise InvalidState(f"Pendaftaran berstatus {pendaftaran.status}; pengguna hanya dibuat dari "
                               "pendaftaran yang disetujui.")
        data = pendaftaran.data
        return cls(id=id, pendaftaran_id=pendaftaran.id, jenis=pendaftaran.jenis, user_id=data.user_id,
                   berlaku_sampai=data.berlaku_sampai if isinstance(data, DataNonPenyedia) else None)

    def nonaktifkan(self, *, alasan: str, oleh: str) -> PenggunaDinonaktifkan:
        """Deactivate an active user, e.g. for a breach of the terms of use; the reason is required."""
        self._harus_berstatus(StatusPengguna.AKTIF, "dinonaktifkan")
        self._harus_beralasan(alasan, "Penonaktifan")
        self.status = StatusPengguna.NONAKTIF
        return self._catat(PenggunaDinonaktifkan(self.id, alasan.strip(), oleh))

    def aktifkan(self, *, alasan: str, oleh: str, hari_ini: date) -> PenggunaDiaktifkan:
        """Reactivate a deactivated user whose SK/surat tugas is still valid; the reason is required."""
        self._harus_berstatus(StatusPengguna.NONAKTIF, "diaktifkan kembali")
        self._harus_beralasan(alasan, "Pengaktifan kembali")
        if self.berlaku_sampai is not None and sudah_kedaluwarsa(self.berlaku_sampai, hari_ini):
            raise langgar(f"Masa berlaku SK/surat tugas berakhir {tanggal_indonesia(self.berlaku_sampai)}; "
                          "ajukan pendaftaran baru dengan SK/surat tugas yang berlaku.",
                          aturan=ATURAN_PENDAFTARAN)
        self.status = StatusPengguna.AKTIF
        return self._catat(PenggunaDiaktifkan(self.id, alasan.strip(), oleh))

    def perbarui_masa_berlaku(self, hari_ini: date) -> PenggunaKedaluwarsa | None:
        """Expire a government user whose berlaku_sampai has passed; a no-op otherwise (safe to repeat)."""
        if (self.status is StatusPengguna.KEDALUWARSA or self.berlaku_sampai is None
                or not sudah_kedaluwarsa(self.berlaku_sampai, hari_ini)):
            return None
        self.status = StatusPengguna.KEDALUWARSA
        return self._catat(PenggunaKedaluwarsa(self.id, self.berlaku_sampai))

    def _harus_berstatus(self, status: StatusPengguna, tindakan: str) -> None:
        if self.status is not status:
            raise InvalidState(f"Pengguna berstatus {self.status}; hanya pengguna berstatus {status} yang "
                               f"dapat {tindakan}.")

    @staticmethod
    def _harus_beralasan(alasan: str, tindakan: str) -> None:
        if not alasan.strip():
            raise langgar(f"{tindakan} User ID wajib disertai alasan.", aturan=ATURAN_VERIFIKATOR,
                          errors=[FieldError("alasan", "Alasan wajib diisi.")])
