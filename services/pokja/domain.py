"""Domain of the pokja service: personnel, packages, Pokja Pemilihan and Pejabat Pengadaan.

Pure: standard library and `shared.errors` only. Each rule of Permendagri 53/2021 that this
service enforces lives here once, and a refusal names the article and what exactly is wrong.
Entities record domain events in `events`; the unit of work publishes them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeGuard

from services.pokja.ambang import DEFAULT as AMBANG_DEFAULT
from services.pokja.ambang import AmbangBerlaku, ambang_pada
from shared.errors import (
    Conflict,
    ErrorCollector,
    FieldError,
    Forbidden,
    InvalidState,
    NotFound,
    RuleViolation,
    ValidationFailed,
)

P53 = "Permendagri 53/2021"
PASAL_9 = f"Pasal 9 {P53}"
PASAL_12A = f"Pasal 12 huruf a {P53}"
PASAL_12B = f"Pasal 12 huruf b {P53}"
PASAL_15_1 = f"Pasal 15 ayat 1 {P53}"
PASAL_15_2 = f"Pasal 15 ayat 2 {P53}"
PASAL_15_3 = f"Pasal 15 ayat 3 {P53}"
PASAL_15_4 = f"Pasal 15 ayat 4 {P53}"
PASAL_16 = f"Pasal 16 {P53}"
PASAL_17 = f"Pasal 17 {P53}"
# Selection runs in SPSE (Pasal 5 huruf e); the verifikator deactivates User IDs (Lampiran A 2.3c).
ATURAN_USER_SPSE = f"Lampiran huruf A angka 2.3 huruf c {P53}"
ATURAN_SERTIFIKAT_PEJABAT = f"{PASAL_16} jo. Perlem LKPP 7/2021"

JABATAN = ("pengelola_pbj", "lainnya")
UNIT = ("ukpbj", "luar_ukpbj")
PERAN_LPSE = ("admin_sistem", "verifikator", "helpdesk")
STATUS_SPSE = ("aktif", "nonaktif", "kedaluwarsa", "belum_terdaftar")
# `belum_terdaftar` may be assigned: a government user registers at the LPSE with the SK or surat
# tugas that the assignment itself produces (Lampiran A 2.5.1), so requiring the account first
# would be circular. Only a User ID that was switched off or has lapsed blocks a new assignment.
SPSE_MENGHALANGI = ("nonaktif", "kedaluwarsa")
JENIS_PENGADAAN = ("barang", "pekerjaan_konstruksi", "jasa_konsultansi", "jasa_lainnya")
METODE_PEMILIHAN = (
    "pengadaan_langsung", "tender", "tender_cepat", "seleksi", "penunjukan_langsung",
    "e_purchasing",
)
STATUS_HASIL = ("selesai", "gagal")
SERTIFIKAT_PBJ = frozenset({"kompetensi", "keahlian"})
SERTIFIKAT_JF_PPBJ = "jf_ppbj"
KEPALA_UKPBJ = "kepala_ukpbj"
PERAN_POKJA = ("ketua", "sekretaris", "anggota")

_NIP = re.compile(r"\d{18}")


# --- events -------------------------------------------------------------------------------------


class Event:
    """Base of the domain events entities record."""


@dataclass(frozen=True)
class PaketDicatat(Event):
    kode: str
    jenis_pengadaan: str
    pagu: int
    hps: int
    metode_pemilihan: str


@dataclass(frozen=True)
class MetodePemilihanDitimpa(Event):
    kode: str
    metode: str
    alasan: str


@dataclass(frozen=True)
class PokjaDibentuk(Event):
    pokja_id: str
    nama: str
    nomor_sk: str
    anggota: tuple[str, ...]
    paket: tuple[str, ...]


@dataclass(frozen=True)
class AnggotaDitambahkan(Event):
    pokja_id: str
    nip: str


@dataclass(frozen=True)
class AnggotaDikeluarkan(Event):
    pokja_id: str
    nip: str


@dataclass(frozen=True)
class PaketDitugaskan(Event):
    kode_paket: str
    pelaksana: str  # "pokja" or "pejabat_pengadaan"
    pelaksana_id: str  # the Pokja id, or the Pejabat Pengadaan's NIP


@dataclass(frozen=True)
class PokjaDibubarkan(Event):
    pokja_id: str
    alasan: str


@dataclass(frozen=True)
class PejabatPengadaanDitugaskan(Event):
    nip: str
    satuan_kerja: str
    nomor_permintaan_kpa: str


@dataclass(frozen=True)
class HasilPemilihanDilaporkan(Event):
    kode_paket: str
    status: str
    nilai_kontrak: int | None
    pemenang: str | None
    tanggal: date
    pelapor_nip: str


@dataclass(frozen=True)
class PenggantianDiperlukan(Event):
    pokja_id: str
    nip: str
    status_spse: str


# --- small helpers ------------------------------------------------------------------------------


def rupiah(nilai: int) -> str:
    """Format whole rupiah the Indonesian way: Rp200.000.000."""
    return "Rp" + f"{nilai:,}".replace(",", ".")


def _bilangan_bulat(nilai: object) -> TypeGuard[int]:
    return isinstance(nilai, int) and not isinstance(nilai, bool)


def _wajib_isi(c: ErrorCollector, nama: str, nilai: object) -> None:
    if not isinstance(nilai, str) or not nilai.strip():
        c.add(nama, "wajib diisi")


def _pilihan(c: ErrorCollector, nama: str, nilai: object, pilihan: Sequence[str]) -> None:
    if nilai not in pilihan:
        c.add(nama, f"harus salah satu dari: {', '.join(pilihan)}")


def _rupiah_positif(c: ErrorCollector, nama: str, nilai: object) -> None:
    if not _bilangan_bulat(nilai) or nilai <= 0:
        c.add(nama, "harus bilangan bulat rupiah lebih dari 0")


def _tolak(nips: Sequence[str], pesan: str, rule: str) -> None:
    if nips:
        raise RuleViolation(
            f"{pesan}: NIP {', '.join(nips)} ({rule}).", rule=rule, extra={"nip": list(nips)}
        )


def _pastikan_unik(nilai: Iterable[str], nama: str) -> None:
    ganda = sorted(k for k, n in Counter(nilai).items() if n > 1)
    if ganda:
        raise ValidationFailed(
            f"{nama}: {', '.join(ganda)} disebut lebih dari sekali.",
            errors=[FieldError(nama, f"{k} disebut lebih dari sekali") for k in ganda],
        )


def _pastikan_ada(dikenal: Collection[str], dibutuhkan: Iterable[str], apa: str) -> None:
    kurang = [k for k in dibutuhkan if k not in dikenal]
    if kurang:  # the caller (service layer) must pass every record the rules need
        raise ValueError(f"{apa} tidak diberikan: {', '.join(kurang)}")


def periksa_nip(nip: str, field: str = "nip") -> None:
    """Refuse a NIP that is not a PNS NIP (DOMAIN.md rule 3): birth date, later TMT, sex, serial."""
    if not isinstance(nip, str) or not _NIP.fullmatch(nip):
        raise ValidationFailed(f"{field}: NIP harus 18 digit angka.",
                               errors=[FieldError(field, "harus 18 digit angka")])
    salah = ErrorCollector()
    try:
        lahir = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        lahir = None
    if lahir is None or not 1900 <= lahir.year <= 2099:
        salah.add(field, f"tanggal lahir pada digit 1-8 ({nip[0:8]}) bukan tanggal yang sah")
    tmt = (int(nip[8:12]), int(nip[12:14]))
    if not (1900 <= tmt[0] <= 2099 and 1 <= tmt[1] <= 12):
        salah.add(field, f"TMT CPNS pada digit 9-14 ({nip[8:14]}) bukan bulan yang sah")
    elif lahir is not None and tmt <= (lahir.year, lahir.month):
        salah.add(field, f"TMT CPNS {nip[8:14]} harus setelah bulan lahir {nip[0:6]}")
    if nip[14] not in "12":
        salah.add(field, f"digit 15 (jenis kelamin) harus 1 atau 2, bukan {nip[14]}")
    if nip[15:] == "000":
        salah.add(field, "nomor urut (digit 16-18) paling kecil 001")
    salah.raise_if_any(f"{field}: NIP {nip} tidak sah.")


# --- personnel ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sertifikat:
    jenis: str  # "kompetensi", "keahlian", "jf_ppbj", ...
    level: int
    nomor: str
    berlaku_sampai: date

    def __post_init__(self) -> None:
        c = ErrorCollector()
        _wajib_isi(c, "sertifikat.jenis", self.jenis)
        _wajib_isi(c, "sertifikat.nomor", self.nomor)
        if not _bilangan_bulat(self.level) or self.level < 1:
            c.add("sertifikat.level", "harus bilangan bulat 1 atau lebih")
        if not isinstance(self.berlaku_sampai, date):
            c.add("sertifikat.berlaku_sampai", "harus tanggal")
        c.raise_if_any()

    def berlaku_pada(self, tanggal: date) -> bool:
        """Valid through `berlaku_sampai` inclusive."""
        return tanggal <= self.berlaku_sampai


@dataclass(frozen=True)
class Pegawai:
    nip: str
    nama: str
    jabatan: str  # "pengelola_pbj" or "lainnya" (another PNS)
    unit: str  # "ukpbj" or "luar_ukpbj"
    satuan_kerja: str
    sertifikat: Sequence[Sertifikat] = ()
    peran_lpse: str | None = None
    status_spse: str = "belum_terdaftar"

    def __post_init__(self) -> None:
        object.__setattr__(self, "sertifikat", tuple(self.sertifikat))
        c = ErrorCollector()
        if not isinstance(self.nip, str) or not _NIP.fullmatch(self.nip):
            c.add("nip", "harus 18 digit angka")
        _wajib_isi(c, "nama", self.nama)
        _wajib_isi(c, "satuan_kerja", self.satuan_kerja)
        _pilihan(c, "jabatan", self.jabatan, JABATAN)
        _pilihan(c, "unit", self.unit, UNIT)
        _pilihan(c, "status_spse", self.status_spse, STATUS_SPSE)
        if self.peran_lpse is not None:
            _pilihan(c, "peran_lpse", self.peran_lpse, PERAN_LPSE)
        c.raise_if_any()

    @property
    def pengelola_pbj(self) -> bool:
        """Whether this person holds the functional position Pengelola PBJ."""
        return self.jabatan == "pengelola_pbj"

    def punya_sertifikat(self, tanggal: date, jenis: Collection[str], level_minimal: int) -> bool:
        """Whether a certificate of a kind in `jenis`, level >= `level_minimal`, is valid then."""
        return any(
            s.jenis in jenis and s.level >= level_minimal and s.berlaku_pada(tanggal)
            for s in self.sertifikat
        )


@dataclass(frozen=True)
class KoordinasiSatker:
    """The Kepala UKPBJ's coordination with the head of a member's satker (Pasal 15 ayat 4)."""

    satuan_kerja: str
    pimpinan: str
    tanggal: date
    nomor_surat: str | None = None


@dataclass(frozen=True)
class CalonAnggota:
    """A person proposed as a Pokja member, with the coordination record if from outside."""

    pegawai: Pegawai
    koordinasi_satker: KoordinasiSatker | None = None

    def koordinasi_sah(self, tanggal: date) -> bool:
        """UKPBJ staff need none; others need one with their own satker, made before `tanggal`."""
        k = self.koordinasi_satker
        if self.pegawai.unit == "ukpbj":
            return True
        return (k is not None and k.satuan_kerja == self.pegawai.satuan_kerja
                and k.tanggal <= tanggal)


@dataclass(frozen=True)
class Keanggotaan:
    nip: str
    koordinasi_satker: KoordinasiSatker | None = None


# --- thresholds and routing ---------------------------------------------------------------------


def _periksa_jenis_dan_nilai(jenis_pengadaan: str, nilai: object, nama_nilai: str) -> None:
    c = ErrorCollector()
    _pilihan(c, "jenis_pengadaan", jenis_pengadaan, JENIS_PENGADAAN)
    if not _bilangan_bulat(nilai) or nilai < 0:
        c.add(nama_nilai, "harus bilangan bulat rupiah, tidak negatif")
    c.raise_if_any()


def batas_pengadaan_langsung(
    jenis_pengadaan: str, tanggal: date, ambang: Sequence[AmbangBerlaku] = AMBANG_DEFAULT
) -> tuple[int, str]:
    """The Pengadaan Langsung limit for this kind on that date, and the regulation it comes from."""
    berlaku = ambang_pada(tanggal, ambang)
    return berlaku.pengadaan_langsung[jenis_pengadaan], berlaku.dasar


def tentukan_metode(
    jenis_pengadaan: str, nilai: int, tanggal: date,
    ambang: Sequence[AmbangBerlaku] = AMBANG_DEFAULT,
) -> str:
    """The method for this kind and value on that date: PL up to the limit, else tender/seleksi."""
    _periksa_jenis_dan_nilai(jenis_pengadaan, nilai, "nilai")
    batas, _ = batas_pengadaan_langsung(jenis_pengadaan, tanggal, ambang)
    if nilai <= batas:
        return "pengadaan_langsung"
    return "seleksi" if jenis_pengadaan == "jasa_konsultansi" else "tender"


def penetap_pemenang(
    jenis_pengadaan: str, pagu: int, tanggal: date, ambang: Sequence[AmbangBerlaku] = AMBANG_DEFAULT
) -> str:
    """Who names the winner: "pokja" up to pagu Rp100 M (tender) / Rp10 M (seleksi), else "pa"."""
    # The Perpres sets these limits on the "Pagu Anggaran" in so many words: pagu, not HPS.
    _periksa_jenis_dan_nilai(jenis_pengadaan, pagu, "pagu")
    batas = ambang_pada(tanggal, ambang).pemenang_oleh_pokja[jenis_pengadaan]
    return "pokja" if pagu <= batas else "pa"


def _periksa_metode_manual(jenis_pengadaan: str, metode: str) -> None:
    if metode not in METODE_PEMILIHAN:
        raise ValidationFailed(
            f"metode_manual: harus salah satu dari: {', '.join(METODE_PEMILIHAN)}",
            errors=[FieldError("metode_manual", "metode tidak dikenal")],
        )
    konsultansi = jenis_pengadaan == "jasa_konsultansi"
    pesan = None
    if metode == "seleksi" and not konsultansi:
        pesan = "seleksi hanya untuk jasa konsultansi"
    if metode in ("tender", "tender_cepat") and konsultansi:
        pesan = "jasa konsultansi dipilih melalui seleksi, bukan tender"
    if pesan:
        raise ValidationFailed(
            f"metode_manual: {pesan}", errors=[FieldError("metode_manual", pesan)]
        )


def periksa_batas_pengadaan_langsung(
    paket: Paket, tanggal: date, ambang: Sequence[AmbangBerlaku], saran: str
) -> None:
    """Refuse a package whose HPS is above the Pengadaan Langsung limit, naming limit and value."""
    batas, dasar = batas_pengadaan_langsung(paket.jenis_pengadaan, tanggal, ambang)
    if paket.nilai_penentu_metode > batas:
        raise RuleViolation(
            f"Batas Pengadaan Langsung {paket.jenis_pengadaan} adalah {rupiah(batas)}, sedangkan "
            f"HPS paket {paket.kode} {rupiah(paket.nilai_penentu_metode)}; {saran} ({dasar}).",
            rule=dasar, extra={"batas": batas, "nilai": paket.nilai_penentu_metode},
        )


# --- packages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HasilPemilihan:
    """A selection result as reported to the Kepala UKPBJ (Pasal 17)."""

    status: str  # "selesai" or "gagal"
    tanggal: date
    nilai_kontrak: int | None = None
    pemenang: str | None = None
    keterangan: str | None = None  # e.g. why a selection failed


def _periksa_hasil(hasil: HasilPemilihan, pagu: int) -> None:
    c = ErrorCollector()
    _pilihan(c, "status", hasil.status, STATUS_HASIL)
    if not isinstance(hasil.tanggal, date):
        c.add("tanggal", "harus tanggal")
    if hasil.status == "selesai":
        if hasil.nilai_kontrak is None:
            c.add("nilai_kontrak", "wajib diisi bila pemilihan selesai")
        else:
            _rupiah_positif(c, "nilai_kontrak", hasil.nilai_kontrak)
        # Ceiling is the pagu, not the HPS: a contract may never commit more than the budget
        # available, for every method; the HPS ceiling does not hold for every method (in a
        # consultancy seleksi a corrected offer above HPS but within pagu can still win), so
        # refusing above HPS here would reject valid results.
        if _bilangan_bulat(hasil.nilai_kontrak) and hasil.nilai_kontrak > pagu:
            c.add("nilai_kontrak",
                  f"{rupiah(hasil.nilai_kontrak)} melebihi pagu paket {rupiah(pagu)}")
        _wajib_isi(c, "pemenang", hasil.pemenang)
    if hasil.status == "gagal":
        for nama in ("nilai_kontrak", "pemenang"):
            if getattr(hasil, nama) is not None:
                c.add(nama, "tidak diisi bila pemilihan gagal")
    c.raise_if_any()


@dataclass
class Paket:
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
    metode_pemilihan: str  # derived from the dated thresholds
    metode_manual: str | None = None
    alasan_metode: str | None = None
    hasil: HasilPemilihan | None = None
    events: list[Event] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def catat(
        cls, *, kode: str, nama: str, satuan_kerja: str, jenis_pengadaan: str, pagu: int, hps: int,
        tahun_anggaran: int, tanggal: date, perencana_nip: str | None = None,
        ppk_nip: str | None = None, pemeriksa_nip: str | None = None,
        metode_manual: str | None = None, alasan_metode: str | None = None,
        ambang: Sequence[AmbangBerlaku] = AMBANG_DEFAULT,
    ) -> Paket:
        """Record a package; its method comes from the thresholds in force on `tanggal`."""
        c = ErrorCollector()
        for nama_field, nilai in (("kode", kode), ("nama", nama), ("satuan_kerja", satuan_kerja)):
            _wajib_isi(c, nama_field, nilai)
        _pilihan(c, "jenis_pengadaan", jenis_pengadaan, JENIS_PENGADAAN)
        _rupiah_positif(c, "pagu", pagu)
        _rupiah_positif(c, "hps", hps)
        if _bilangan_bulat(pagu) and _bilangan_bulat(hps) and hps > pagu:
            c.add("hps", f"{rupiah(hps)} melebihi pagu {rupiah(pagu)}")
        if not _bilangan_bulat(tahun_anggaran) or not 2000 <= tahun_anggaran <= 2100:
            c.add("tahun_anggaran", "harus tahun empat digit")
        if metode_manual is not None:
            _wajib_isi(c, "alasan_metode", alasan_metode)
        c.raise_if_any()
        paket = cls(
            kode=kode, nama=nama, satuan_kerja=satuan_kerja, jenis_pengadaan=jenis_pengadaan,
            pagu=pagu, hps=hps, tahun_anggaran=tahun_anggaran, perencana_nip=perencana_nip,
            ppk_nip=ppk_nip, pemeriksa_nip=pemeriksa_nip,
            # The HPS is the value compared with the thresholds: see `nilai_penentu_metode`.
            metode_pemilihan=tentukan_metode(jenis_pengadaan, hps, tanggal, ambang),
        )
        paket.events.append(PaketDicatat(kode, jenis_pengadaan, pagu, hps, paket.metode_pemilihan))
        if metode_manual is not None:
            paket.timpa_metode(metode_manual, alasan_metode or "", tanggal=tanggal, ambang=ambang)
        return paket

    # The value compared with the thresholds is the HPS. The limits speak of what the goods or
    # works are worth ("bernilai paling banyak"), which the HPS estimates from market prices;
    # where the Perpres means the budget it says "Pagu Anggaran" (the winner-naming limits, see
    # `penetap_pemenang`). The method is settled when the selection is prepared, after the PPK has
    # set the HPS, and a pagu that carries other costs must not push a small purchase into a tender.
    @property
    def nilai_penentu_metode(self) -> int:
        """The value compared with the thresholds: the HPS."""
        return self.hps

    @property
    def metode(self) -> str:
        """The method in use: the staff override if there is one, else the derived method."""
        return self.metode_manual or self.metode_pemilihan

    def timpa_metode(
        self, metode: str, alasan: str, *, tanggal: date,
        ambang: Sequence[AmbangBerlaku] = AMBANG_DEFAULT,
    ) -> None:
        """Override the derived method with a recorded reason; PL stays bound by its value limit."""
        if not isinstance(alasan, str) or not alasan.strip():
            raise ValidationFailed(
                "alasan_metode: wajib diisi bila metode ditetapkan manual",
                errors=[FieldError("alasan_metode", "wajib diisi bila metode ditetapkan manual")],
            )
        if self.selesai:
            raise InvalidState(f"Paket {self.kode} sudah selesai dipilih; metode tetap.")
        _periksa_metode_manual(self.jenis_pengadaan, metode)
        if metode == "pengadaan_langsung":
            periksa_batas_pengadaan_langsung(self, tanggal, ambang, "pilih metode lain")
        self.metode_manual, self.alasan_metode = metode, alasan
        self.events.append(MetodePemilihanDitimpa(self.kode, metode, alasan))

    @property
    def selesai(self) -> bool:
        """Whether a completed selection has been reported (a failed one may be run again)."""
        return self.hasil is not None and self.hasil.status == "selesai"

    def peran_dari(self, nip: str) -> tuple[str, ...]:
        """The roles `nip` holds on this package that Pasal 12 huruf a bars from selection."""
        peran = {"perencana": self.perencana_nip, "PPK": self.ppk_nip,
                 "pemeriksa hasil pekerjaan": self.pemeriksa_nip}
        return tuple(nama for nama, pemegang in peran.items() if pemegang == nip)

    def laporkan_hasil(
        self, hasil: HasilPemilihan, *, pelapor_nip: str,
        pokja: Pokja | None, pejabat: PejabatPengadaan | None,
    ) -> None:
        """Record the selection result, reported by the package's Pokja or Pejabat Pengadaan."""
        pastikan_pelapor_berwenang(pelapor_nip, self, pokja, pejabat)
        if self.selesai:
            raise InvalidState(
                f"Paket {self.kode} sudah dilaporkan selesai; hasil tidak dapat diubah."
            )
        _periksa_hasil(hasil, self.pagu)
        self.hasil = hasil
        self.events.append(HasilPemilihanDilaporkan(
            self.kode, hasil.status, hasil.nilai_kontrak, hasil.pemenang, hasil.tanggal,
            pelapor_nip,
        ))


# --- rules on people ----------------------------------------------------------------------------


def pastikan_kepala_ukpbj(
    roles: Iterable[str], *,
    tindakan: str = "membentuk, mengubah, atau membubarkan Pokja Pemilihan", rule: str = PASAL_9,
) -> None:
    """Refuse (Forbidden, Pasal 9) anyone but the Kepala UKPBJ."""
    if KEPALA_UKPBJ not in set(roles):
        raise Forbidden(
            f"Hanya Kepala UKPBJ yang berwenang {tindakan} ({rule}).", extra={"rule": rule}
        )


def periksa_jumlah_anggota(jumlah: int, keadaan: str = "susunan yang diajukan berjumlah") -> None:
    """Refuse a member count that is below 3 (Pasal 15 ayat 2) or even (Pasal 15 ayat 1)."""
    if jumlah < 3:
        raise RuleViolation(
            f"Pokja Pemilihan paling sedikit 3 orang, sedangkan {keadaan} {jumlah} orang "
            f"({PASAL_15_2}).",
            rule=PASAL_15_2, extra={"jumlah": jumlah},
        )
    if jumlah % 2 == 0:
        raise RuleViolation(
            f"Anggota Pokja Pemilihan harus berjumlah gasal, sedangkan {keadaan} {jumlah} orang "
            f"({PASAL_15_1}); jadikan jumlahnya gasal.",
            rule=PASAL_15_1, extra={"jumlah": jumlah},
        )


def periksa_ada_pengelola_pbj(pegawai: Iterable[Pegawai]) -> None:
    """Refuse a composition without any Pengelola PBJ (Pasal 15 ayat 3)."""
    if not any(p.pengelola_pbj for p in pegawai):
        raise RuleViolation(
            "Pokja Pemilihan wajib beranggotakan paling sedikit 1 Pengelola PBJ, sedangkan "
            f"susunan ini tidak memuat satu pun ({PASAL_15_3}).",
            rule=PASAL_15_3,
        )


def periksa_user_spse(pegawai: Iterable[Pegawai]) -> None:
    """Refuse a new assignment of anyone whose SPSE User ID is nonaktif or kedaluwarsa."""
    _tolak(
        [p.nip for p in pegawai if p.status_spse in SPSE_MENGHALANGI],
        "User ID SPSE nonaktif atau kedaluwarsa, sehingga tidak dapat melaksanakan pemilihan; "
        "aktifkan kembali User ID atau pilih pegawai lain",
        ATURAN_USER_SPSE,
    )


def periksa_peran_lpse(pegawai: Iterable[Pegawai]) -> None:
    """Refuse a Pengelola PBJ who also holds an LPSE role (Pasal 12 huruf b)."""
    _tolak(
        [p.nip for p in pegawai if p.pengelola_pbj and p.peran_lpse is not None],
        "Pengelola PBJ yang memegang peran LPSE (administrator sistem, verifikator, helpdesk) "
        "dilarang merangkap tugas pemilihan; lepaskan peran LPSE atau pilih pegawai lain",
        PASAL_12B,
    )


def periksa_rangkap_paket(nips: Iterable[str], paket: Iterable[Paket]) -> None:
    """Refuse anyone who plans, contracts or inspects a package they would also select for."""
    nips, temuan = list(nips), []
    for p in paket:
        temuan += [(nip, p.kode, peran) for nip in nips for peran in p.peran_dari(nip)]
    if temuan:
        rinci = "; ".join(f"NIP {nip} adalah {peran} paket {kode}" for nip, kode, peran in temuan)
        raise RuleViolation(
            f"Rangkap tugas pada paket yang sama dilarang: {rinci} ({PASAL_12A}).",
            rule=PASAL_12A, extra={"nip": sorted({nip for nip, _, _ in temuan})},
        )


def periksa_calon_anggota(
    calon: Sequence[CalonAnggota], paket: Sequence[Paket], tanggal: date
) -> None:
    """Refuse new members who break a rule on the person, naming the rule and every such NIP."""
    pegawai = [c.pegawai for c in calon]
    periksa_user_spse(pegawai)
    periksa_peran_lpse(pegawai)
    _tolak(
        [p.nip for p in pegawai
         if not p.pengelola_pbj and not p.punya_sertifikat(tanggal, SERTIFIKAT_PBJ, 1)],
        "Anggota yang bukan Pengelola PBJ wajib memiliki sertifikat kompetensi atau keahlian PBJ "
        f"level 1 atau lebih yang masih berlaku pada {tanggal.isoformat()}",
        PASAL_15_3,
    )
    _tolak(
        [c.pegawai.nip for c in calon if not c.koordinasi_sah(tanggal)],
        "PNS dari luar UKPBJ baru dapat ditugaskan setelah Kepala UKPBJ berkoordinasi dengan "
        "pimpinan satuan kerjanya; catat koordinasi dengan satuan kerja pegawai itu, bertanggal "
        f"paling lambat {tanggal.isoformat()}",
        PASAL_15_4,
    )
    periksa_rangkap_paket([p.nip for p in pegawai], paket)


def _layak(calon: CalonAnggota, paket: Paket | None, tanggal: date) -> bool:
    try:
        periksa_calon_anggota([calon], [paket] if paket else [], tanggal)
    except RuleViolation:
        return False
    return True


def saran_anggota(
    kandidat: Sequence[Pegawai], beban: Mapping[str, int], jumlah: int, paket: Paket | None = None,
    *, tanggal: date, koordinasi: Mapping[str, KoordinasiSatker] | None = None,
) -> list[Pegawai]:
    """Suggest `jumlah` eligible members with the lowest workload (Pasal 7), Pengelola PBJ first."""
    # Pengelola PBJ come first whatever their load: Pasal 15 ayat 3 lets other PNS in only where
    # there are not enough Pengelola PBJ. Within each group: lowest load, then NIP.
    periksa_jumlah_anggota(jumlah, "jumlah yang diminta")
    _pastikan_unik([p.nip for p in kandidat], "kandidat")
    koordinasi = koordinasi or {}
    layak = sorted(
        (p for p in kandidat if _layak(CalonAnggota(p, koordinasi.get(p.nip)), paket, tanggal)),
        key=lambda p: (not p.pengelola_pbj, beban.get(p.nip, 0), p.nip),
    )
    periksa_ada_pengelola_pbj(layak)
    if len(layak) < jumlah:
        raise RuleViolation(
            f"Hanya {len(layak)} kandidat memenuhi syarat, sedangkan dibutuhkan {jumlah} orang "
            f"({PASAL_15_2}); tambahkan kandidat atau kurangi jumlah.",
            rule=PASAL_15_2, extra={"layak": [p.nip for p in layak]},
        )
    return layak[:jumlah]


# --- Pokja Pemilihan ----------------------------------------------------------------------------


@dataclass
class Pokja:
    id: str
    nama: str
    nomor_sk: str
    anggota: list[Keanggotaan]
    paket: list[str] = field(default_factory=list)
    status: str = "aktif"
    alasan_pembubaran: str | None = None
    events: list[Event] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def bentuk(
        cls, *, id: str, nama: str, nomor_sk: str, anggota: Sequence[CalonAnggota], tanggal: date,
        paket: Sequence[Paket] = (),
    ) -> Pokja:
        """Form a Pokja Pemilihan whose composition keeps Pasal 12 and 15 on `tanggal`."""
        c = ErrorCollector()
        for nama_field, nilai in (("id", id), ("nama", nama), ("nomor_sk", nomor_sk)):
            _wajib_isi(c, nama_field, nilai)
        c.raise_if_any()
        _pastikan_unik([a.pegawai.nip for a in anggota], "anggota")
        _pastikan_unik([p.kode for p in paket], "paket")
        periksa_jumlah_anggota(len(anggota))
        periksa_ada_pengelola_pbj(a.pegawai for a in anggota)
        periksa_calon_anggota(anggota, paket, tanggal)
        pokja = cls(
            id=id, nama=nama, nomor_sk=nomor_sk, paket=[p.kode for p in paket],
            anggota=[Keanggotaan(a.pegawai.nip, a.koordinasi_satker) for a in anggota],
        )
        pokja.events.append(
            PokjaDibentuk(id, nama, nomor_sk, tuple(pokja.nip_anggota), tuple(pokja.paket))
        )
        pokja.events += [PaketDitugaskan(kode, "pokja", id) for kode in pokja.paket]
        return pokja

    @property
    def nip_anggota(self) -> list[str]:
        """The members' NIPs, in order of appointment."""
        return [k.nip for k in self.anggota]

    def _pastikan_aktif(self) -> None:
        if self.status != "aktif":
            raise InvalidState(f"Pokja {self.id} sudah dibubarkan dan tidak dapat diubah.")

    def ubah_anggota(
        self, *, tambah: Sequence[CalonAnggota] = (), keluarkan: Sequence[str] = (),
        anggota_sekarang: Mapping[str, Pegawai], paket: Sequence[Paket], tanggal: date,
    ) -> None:
        """Add and/or remove members in one change that keeps every rule.

        A single addition or removal always breaks the odd count, so a replacement or a change by
        two is made in one call. `anggota_sekarang` and `paket` carry the records of the current
        members and of this Pokja's packages.
        """
        self._pastikan_aktif()
        if not tambah and not keluarkan:
            raise ValidationFailed(
                "Perubahan anggota kosong: sebutkan anggota yang ditambah atau dikeluarkan."
            )
        _pastikan_ada(anggota_sekarang, self.nip_anggota, "Data pegawai anggota")
        _pastikan_ada({p.kode for p in paket}, self.paket, "Data paket Pokja")
        baru = [c.pegawai.nip for c in tambah]
        _pastikan_unik([*keluarkan, *baru], "anggota")
        self._pastikan_bisa_diubah(baru, keluarkan)
        tetap = [anggota_sekarang[n] for n in self.nip_anggota if n not in keluarkan]
        periksa_jumlah_anggota(len(tetap) + len(tambah), "setelah perubahan ini anggota berjumlah")
        periksa_ada_pengelola_pbj([*tetap, *(c.pegawai for c in tambah)])
        periksa_calon_anggota(tambah, [p for p in paket if p.kode in self.paket], tanggal)
        self.anggota = [k for k in self.anggota if k.nip not in keluarkan]
        self.anggota += [Keanggotaan(c.pegawai.nip, c.koordinasi_satker) for c in tambah]
        self.events += [AnggotaDikeluarkan(self.id, nip) for nip in keluarkan]
        self.events += [AnggotaDitambahkan(self.id, nip) for nip in baru]

    def _pastikan_bisa_diubah(self, baru: Sequence[str], keluarkan: Sequence[str]) -> None:
        bukan_anggota = [n for n in keluarkan if n not in self.nip_anggota]
        if bukan_anggota:
            raise NotFound(f"Bukan anggota Pokja {self.id}: NIP {', '.join(bukan_anggota)}.")
        sudah = [n for n in baru if n in self.nip_anggota]
        if sudah:
            raise Conflict(f"Sudah menjadi anggota Pokja {self.id}: NIP {', '.join(sudah)}.")

    def ganti_anggota(
        self, nip_lama: str, pengganti: CalonAnggota, *, anggota_sekarang: Mapping[str, Pegawai],
        paket: Sequence[Paket], tanggal: date,
    ) -> None:
        """Replace one member by another, the usual change since it keeps the count odd."""
        self.ubah_anggota(
            tambah=[pengganti], keluarkan=[nip_lama], anggota_sekarang=anggota_sekarang,
            paket=paket, tanggal=tanggal,
        )

    def tugaskan_paket(self, paket: Paket) -> None:
        """Give a package to this Pokja unless a member plans, contracts or inspects it."""
        self._pastikan_aktif()
        if paket.kode in self.paket:
            raise Conflict(f"Paket {paket.kode} sudah ditugaskan kepada Pokja {self.id}.")
        periksa_rangkap_paket(self.nip_anggota, [paket])
        self.paket.append(paket.kode)
        self.events.append(PaketDitugaskan(paket.kode, "pokja", self.id))

    def bubarkan(self, alasan: str) -> None:
        """Dissolve this Pokja, with a reason; it cannot be changed afterwards."""
        self._pastikan_aktif()
        if not isinstance(alasan, str) or not alasan.strip():
            raise ValidationFailed(
                "alasan: wajib diisi untuk membubarkan Pokja",
                errors=[FieldError("alasan", "wajib diisi untuk membubarkan Pokja")],
            )
        self.status, self.alasan_pembubaran = "dibubarkan", alasan
        self.events.append(PokjaDibubarkan(self.id, alasan))


def susun_peran(
    urutan: Sequence[str], *, sebelumnya: Mapping[str, str] | None = None,
    diminta: Mapping[str, str | None] | None = None,
) -> dict[str, str]:
    """Each member's place in the Pokja (ketua, sekretaris, anggota) after a formation or change.

    `urutan` is the new composition in order of appointment, `sebelumnya` the places members
    already held, `diminta` the places named in the request. A place named in the request wins;
    a member keeps their place otherwise; a vacant ketua or sekretaris goes first to a new member
    without a named place (a replacement takes over the place of the one replaced), then to the
    longest-serving anggota. At formation the first member is therefore ketua, the second sekretaris.
    A composition of two or more always has exactly one ketua and one sekretaris.
    """
    sebelumnya, diminta = dict(sebelumnya or {}), {k: v for k, v in (diminta or {}).items() if v}
    for nip_, peran in diminta.items():
        if peran not in PERAN_POKJA:
            raise ValidationFailed(f"peran: harus salah satu dari: {', '.join(PERAN_POKJA)}",
                                   errors=[FieldError("peran", f"{peran} tidak dikenal")])
    for jabatan in ("ketua", "sekretaris"):
        pemegang = [n for n, p in diminta.items() if p == jabatan]
        if len(pemegang) > 1:
            raise ValidationFailed(
                f"Pokja hanya memiliki satu {jabatan}, sedangkan diminta untuk NIP {', '.join(pemegang)}.",
                errors=[FieldError("peran", f"{jabatan} lebih dari satu")],
            )
    hasil = {n: diminta.get(n) or sebelumnya.get(n) or "" for n in urutan}
    for jabatan in ("ketua", "sekretaris"):
        diminta_jabatan = [n for n in urutan if diminta.get(n) == jabatan]
        for n in urutan:  # a place named in the request displaces its previous holder
            if diminta_jabatan and hasil[n] == jabatan and n not in diminta_jabatan:
                hasil[n] = "anggota"
        if jabatan in hasil.values():
            continue
        baru = [n for n in urutan if not hasil[n]]
        lama = [n for n in urutan if hasil[n] == "anggota" and n not in diminta]
        if baru or lama:
            hasil[(baru or lama)[0]] = jabatan
        elif len(urutan) >= 2:
            raise ValidationFailed(
                f"Pokja memerlukan seorang {jabatan}, sedangkan setiap anggota sudah diminta berkedudukan lain; "
                f"kosongkan `peran` salah satu anggota atau minta seorang {jabatan}.",
                errors=[FieldError("peran", f"tidak ada {jabatan}")],
            )
    return {n: p or "anggota" for n, p in hasil.items()}


def anggota_perlu_diganti(pokja: Pokja, pegawai: Iterable[Pegawai]) -> list[PenggantianDiperlukan]:
    """Replacement-needed events for active-Pokja members whose SPSE User ID is off or lapsed."""
    if pokja.status != "aktif":
        return []
    anggota = set(pokja.nip_anggota)
    return [
        PenggantianDiperlukan(pokja.id, p.nip, p.status_spse)
        for p in pegawai if p.nip in anggota and p.status_spse in SPSE_MENGHALANGI
    ]


# --- Pejabat Pengadaan --------------------------------------------------------------------------


@dataclass
class PejabatPengadaan:
    nip: str
    satuan_kerja: str
    nomor_permintaan_kpa: str
    paket: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def tugaskan(
        cls, *, pegawai: Pegawai, satuan_kerja: str, nomor_permintaan_kpa: str, tanggal: date,
    ) -> PejabatPengadaan:
        """Assign a Pengelola PBJ of UKPBJ as Pejabat Pengadaan at a satker on its KPA's request."""
        c = ErrorCollector()
        _wajib_isi(c, "satuan_kerja", satuan_kerja)
        c.raise_if_any()
        if not isinstance(nomor_permintaan_kpa, str) or not nomor_permintaan_kpa.strip():
            raise RuleViolation(
                f"Penugasan Pejabat Pengadaan hanya berdasarkan permintaan KPA; isi nomor surat "
                f"permintaan KPA ({PASAL_16}).",
                rule=PASAL_16, errors=[FieldError("nomor_permintaan_kpa", "wajib diisi")],
            )
        periksa_syarat_pejabat(pegawai, tanggal)
        periksa_user_spse([pegawai])
        pejabat = cls(nip=pegawai.nip, satuan_kerja=satuan_kerja,
                      nomor_permintaan_kpa=nomor_permintaan_kpa)
        pejabat.events.append(
            PejabatPengadaanDitugaskan(pegawai.nip, satuan_kerja, nomor_permintaan_kpa)
        )
        return pejabat

    def tugaskan_paket(
        self, paket: Paket, *, tanggal: date, ambang: Sequence[AmbangBerlaku] = AMBANG_DEFAULT,
    ) -> None:
        """Give this Pejabat Pengadaan a package of its satker within the PL value limit."""
        if paket.kode in self.paket:
            raise Conflict(
                f"Paket {paket.kode} sudah ditugaskan kepada Pejabat Pengadaan {self.nip}."
            )
        if paket.satuan_kerja != self.satuan_kerja:
            raise RuleViolation(
                f"Pejabat Pengadaan NIP {self.nip} ditugaskan di satuan kerja {self.satuan_kerja}, "
                f"sedangkan paket {paket.kode} milik {paket.satuan_kerja} ({PASAL_16}).",
                rule=PASAL_16,
            )
        periksa_batas_pengadaan_langsung(
            paket, tanggal, ambang,
            "Pejabat Pengadaan hanya menangani paket sampai batas itu, tugaskan paket ini "
            "kepada Pokja Pemilihan",
        )
        periksa_rangkap_paket([self.nip], [paket])
        self.paket.append(paket.kode)
        self.events.append(PaketDitugaskan(paket.kode, "pejabat_pengadaan", self.nip))


def periksa_syarat_pejabat(pegawai: Pegawai, tanggal: date) -> None:
    """Refuse anyone but a certified Pengelola PBJ of UKPBJ without an LPSE role (Pasal 12, 16)."""
    if not (pegawai.pengelola_pbj and pegawai.unit == "ukpbj"):
        _tolak([pegawai.nip], "Pejabat Pengadaan harus Pengelola PBJ di UKPBJ", PASAL_16)
    if not _bersertifikat_pejabat(pegawai, tanggal):
        _tolak(
            [pegawai.nip],
            "Pejabat Pengadaan wajib memiliki sertifikat kompetensi/keahlian PBJ level 2 atau "
            f"lebih, atau sertifikat JF PPBJ, yang masih berlaku pada {tanggal.isoformat()}",
            ATURAN_SERTIFIKAT_PEJABAT,
        )
    periksa_peran_lpse([pegawai])


def periksa_perubahan_pegawai(
    baru: Pegawai, keanggotaan: Sequence[tuple[KoordinasiSatker | None, Sequence[Pegawai]]], *,
    pejabat_pengadaan: bool, tanggal: date,
) -> None:
    """Refuse a change to a person's record that would break a rule of a post they hold.

    `keanggotaan` has, per active Pokja of the person, the coordination recorded for them and the
    records of the other members. The person must still qualify as a member (Pasal 12 huruf b,
    Pasal 15 ayat 3-4), each Pokja must keep a Pengelola PBJ, and a Pejabat Pengadaan must keep
    the conditions of Pasal 16. The SPSE User ID is not part of the record, so it is not judged here.
    """
    sebagai_calon = replace(baru, status_spse="aktif")
    for koordinasi, lainnya in keanggotaan:
        periksa_calon_anggota([CalonAnggota(sebagai_calon, koordinasi)], [], tanggal)
        periksa_ada_pengelola_pbj([*lainnya, baru])
    if pejabat_pengadaan:
        periksa_syarat_pejabat(baru, tanggal)


def _bersertifikat_pejabat(pegawai: Pegawai, tanggal: date) -> bool:
    return pegawai.punya_sertifikat(tanggal, SERTIFIKAT_PBJ, 2) or pegawai.punya_sertifikat(
        tanggal, {SERTIFIKAT_JF_PPBJ}, 1)


def pastikan_pelapor_berwenang(
    nip: str, paket: Paket, pokja: Pokja | None, pejabat: PejabatPengadaan | None,
) -> None:
    """Refuse (Forbidden, Pasal 17) anyone but the package's Pokja members or Pejabat Pengadaan."""
    # A dissolved Pokja has no mandate left, so its former members cannot report for it.
    dari_pokja = (pokja is not None and pokja.status == "aktif" and paket.kode in pokja.paket
                  and nip in pokja.nip_anggota)
    dari_pejabat = pejabat is not None and pejabat.nip == nip and paket.kode in pejabat.paket
    if not (dari_pokja or dari_pejabat):
        raise Forbidden(
            f"NIP {nip} tidak berwenang melaporkan hasil pemilihan paket {paket.kode}: yang "
            "melapor kepada Kepala UKPBJ adalah anggota Pokja Pemilihan aktif yang menangani "
            f"paket itu atau Pejabat Pengadaan paket itu ({PASAL_17}).",
            extra={"rule": PASAL_17},
        )
