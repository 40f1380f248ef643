"""The UKPBJ report to the Minister (P53 Pasal 26): its input aggregates and its computed form.

`Ringkasan` is what the database hands over for one period: counts, rupiah sums and percentiles
it already computed (Python never loads every event). `susun_laporan` turns it, with the previous
comparable period, into a `Laporan`: a tree of sections, each with key figures and tables. Every
output format renders that tree and nothing else, so JSON, CSV, XLSX and PDF show the same
figures. Rules (DOMAIN.md 25-28): a ratio with a zero denominator is "N/A", never 0 % and never
an exception; a negative efficiency is flagged. Money is integer rupiah; ratios are Decimal
rounded half-up to 2 places. Standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Literal

from services.pelaporan.periode import WIB, Periode
from shared.errors import ErrorCollector, FieldError, ValidationFailed

NA = "N/A"
Nilai = int | Decimal | str
"""A cell: int (count, rupiah), Decimal (percent, hours, mean; 2 places), or text / NA."""

JenisNilai = Literal["teks", "bilangan", "rupiah", "persen", "poin", "jam", "desimal", "menurut_baris"]
"""How a value reads: `poin` is a difference of two percentages (percentage points);
`menurut_baris` marks a column whose cells take the row's own kind (see `Tabel.jenis_sel`)."""

PENERIMA = "Menteri Dalam Negeri melalui Sekretaris Jenderal c.q. Kepala Biro Umum"
DASAR_HUKUM = "Pasal 26 Peraturan Menteri Dalam Negeri Nomor 53 Tahun 2021"
PENYUSUN = "Unit Kerja Pengadaan Barang/Jasa Kementerian Dalam Negeri"

JENIS_PENGADAAN = {
    "barang": "Barang",
    "pekerjaan_konstruksi": "Pekerjaan Konstruksi",
    "jasa_konsultansi": "Jasa Konsultansi",
    "jasa_lainnya": "Jasa Lainnya",
}
METODE_PEMILIHAN = {
    "tender": "Tender",
    "tender_cepat": "Tender Cepat",
    "seleksi": "Seleksi",
    "penunjukan_langsung": "Penunjukan Langsung",
    "pengadaan_langsung": "Pengadaan Langsung",
    "e_purchasing": "E-purchasing",
}
KATEGORI_TIKET = {
    "aplikasi": "Aplikasi",
    "infrastruktur": "Infrastruktur",
    "akun": "Akun",
    "informasi": "Informasi",
    "non_teknis": "Non-teknis (di luar lingkup)",
}
KANAL_TIKET = {"web": "Web", "telepon": "Telepon", "email": "Email", "kunjungan": "Kunjungan"}

_SEN = Decimal("0.01")


# --------------------------------------------------------------------------- input


def _periksa_bilangan(obj: Any, galat: ErrorCollector, awalan: str) -> None:
    for f in fields(obj):
        nilai = getattr(obj, f.name)
        if f.type == "int" and (type(nilai) is not int or nilai < 0):
            galat.add(f"{awalan}{f.name}", "Harus bilangan bulat tidak negatif.")
        if f.type == "Jam" and nilai is not None:
            try:
                if _jam(nilai) < 0:
                    galat.add(f"{awalan}{f.name}", "Durasi tidak boleh negatif.")
            except (ArithmeticError, TypeError, ValueError):
                galat.add(f"{awalan}{f.name}", "Durasi harus angka atau None.")


def _periksa_bagian(obj: Any, awalan: str, batas: Iterable[tuple[str, str]]) -> None:
    galat = ErrorCollector()
    _periksa_bilangan(obj, galat, awalan)
    if not galat.errors:
        for bagian, keseluruhan in batas:
            if getattr(obj, bagian) > getattr(obj, keseluruhan):
                galat.add(f"{awalan}{bagian}", f"Tidak boleh melebihi {keseluruhan}.")
    galat.raise_if_any()


Jam = Decimal | float | int | None
"""Hours as the database computed them (percentile_cont gives a float); None when no data."""


@dataclass(frozen=True)
class RingkasanRegistrasi:
    """User registration and verification (P53 Pasal 6 ayat (1) huruf b; Lampiran 2.3c)."""

    diajukan: int  # pendaftaran submitted in the period
    disetujui: int  # this and the next two: verifikasi decisions taken in the period
    ditolak: int
    perlu_perbaikan: int
    ditolak_daftar_hitam: int  # of `ditolak`: refused for an active blacklist entry
    median_jam_keputusan: Jam  # hours from submission to decision, decisions in the period
    p90_jam_keputusan: Jam
    pengguna_aktif: int  # user accounts by status at the end of the period
    pengguna_nonaktif: int
    pengguna_kedaluwarsa: int
    pengguna_dinonaktifkan: int  # deactivations done in the period
    ditolak_di_pintu: int = 0  # submissions refused by the system for an active blacklist entry (no registration)

    def __post_init__(self) -> None:
        _periksa_bagian(self, "registrasi.", [("ditolak_daftar_hitam", "ditolak")])


@dataclass(frozen=True)
class AgregatPaket:
    """Packages of one jenis_pengadaan or metode_pemilihan whose selection result was reported
    to the Kepala UKPBJ in the period (rule 26). Money sums are integer rupiah."""

    kelompok: str  # the code, e.g. 'barang' or 'tender'
    paket_selesai: int
    paket_gagal: int
    pagu_selesai: int  # sum of pagu over the selesai packages
    hps_selesai: int  # sum of HPS over the selesai packages
    nilai_kontrak: int  # sum of nilai_kontrak over the selesai packages
    pagu_gagal: int  # sum of pagu over the gagal packages

    def __post_init__(self) -> None:
        _periksa_bagian(self, f"pengadaan.{self.kelompok}.", [])


@dataclass(frozen=True)
class RingkasanPengadaan:
    """Selections and the people who run them (P53 Pasal 5 huruf e, g; Pasal 9, 15-17)."""

    per_jenis: tuple[AgregatPaket, ...]
    per_metode: tuple[AgregatPaket, ...]
    pokja_dibentuk: int  # in the period
    pokja_dibubarkan: int  # in the period
    pokja_aktif: int  # at the end of the period
    anggota_pokja: int  # distinct people on an active Pokja at the end of the period
    penugasan_paket_anggota: int  # (member, package) assignment pairs of those people, period
    beban_paket_maks: int  # the most packages any one of them had
    pejabat_pengadaan_ditugaskan: int  # Pejabat Pengadaan assignments made in the period

    def __post_init__(self) -> None:
        object.__setattr__(self, "per_jenis", tuple(self.per_jenis))
        object.__setattr__(self, "per_metode", tuple(self.per_metode))
        _periksa_bagian(self, "pengadaan.", [("beban_paket_maks", "penugasan_paket_anggota")])
        galat = ErrorCollector()
        for nama in ("per_jenis", "per_metode"):
            kode = [a.kelompok for a in getattr(self, nama)]
            if len(set(kode)) != len(kode):
                galat.add(f"pengadaan.{nama}", "Kelompok tidak boleh berulang.")
        if _jumlah(self.per_jenis) != _jumlah(self.per_metode):
            galat.add("pengadaan.per_metode", "Jumlah per metode harus sama dengan per jenis.")
        galat.raise_if_any()


@dataclass(frozen=True)
class RingkasanHelpdesk:
    """Helpdesk service of the LPSE (P53 Pasal 18; Lampiran 2.3d, 2.5.3)."""

    tiket_per_kategori: Mapping[str, int]  # tickets opened in the period
    tiket_per_kanal: Mapping[str, int]  # the same tickets by channel
    sla_respons_terpenuhi: int  # tickets whose first-response target fell in the period
    sla_respons_total: int
    sla_penyelesaian_terpenuhi: int  # tickets resolved (or due) in the period
    sla_penyelesaian_total: int
    median_jam_kerja_respons: Jam  # business hours to first response
    median_jam_kerja_penyelesaian: Jam  # business hours to resolution
    eskalasi_lkpp: int  # tickets escalated to LKPP (Eproc or Teknis) in the period
    berita_acara: int  # unopenable-bid berita acara recorded in the period
    kepuasan_jumlah: int  # sum of satisfaction scores (1-5) given in the period
    kepuasan_responden: int  # number of scores given
    tiket_di_luar_lingkup: int | None = None  # of the tickets opened: out of scope; None = the non_teknis ones

    def __post_init__(self) -> None:
        object.__setattr__(self, "tiket_per_kategori", dict(self.tiket_per_kategori))
        object.__setattr__(self, "tiket_per_kanal", dict(self.tiket_per_kanal))
        _periksa_bagian(
            self,
            "helpdesk.",
            [
                ("sla_respons_terpenuhi", "sla_respons_total"),
                ("sla_penyelesaian_terpenuhi", "sla_penyelesaian_total"),
            ],
        )
        galat = ErrorCollector()
        for nama in ("tiket_per_kategori", "tiket_per_kanal"):
            if any(type(v) is not int or v < 0 for v in getattr(self, nama).values()):
                galat.add(f"helpdesk.{nama}", "Harus bilangan bulat tidak negatif.")
        if sum(self.tiket_per_kategori.values()) != sum(self.tiket_per_kanal.values()):
            galat.add("helpdesk.tiket_per_kanal", "Jumlah per kanal harus sama dengan per kategori.")
        luar = self.tiket_di_luar_lingkup
        if luar is not None and (type(luar) is not int or not 0 <= luar <= self.tiket_total):
            galat.add("helpdesk.tiket_di_luar_lingkup", "Harus bilangan bulat 0 sampai jumlah tiket.")
        galat.raise_if_any()

    @property
    def tiket_total(self) -> int:
        return sum(self.tiket_per_kategori.values())


@dataclass(frozen=True)
class Ringkasan:
    """The raw aggregates of one period, as of `diambil_pada` (an aware instant)."""

    periode: Periode
    diambil_pada: datetime
    registrasi: RingkasanRegistrasi
    pengadaan: RingkasanPengadaan
    helpdesk: RingkasanHelpdesk

    def __post_init__(self) -> None:
        if not isinstance(self.diambil_pada, datetime) or self.diambil_pada.utcoffset() is None:
            raise ValidationFailed(
                "diambil_pada: waktu harus memakai zona waktu.",
                errors=[FieldError("diambil_pada", "Waktu tanpa zona waktu tidak dapat dipetakan ke WIB.")],
            )


def _jumlah(kelompok: Iterable[AgregatPaket]) -> tuple[int, ...]:
    daftar = list(kelompok)
    return tuple(
        sum(getattr(a, f) for a in daftar)
        for f in ("paket_selesai", "paket_gagal", "pagu_selesai", "hps_selesai", "nilai_kontrak", "pagu_gagal")
    )


# --------------------------------------------------------------------------- arithmetic


def _bulat(nilai: Decimal) -> Decimal:
    return nilai.quantize(_SEN, rounding=ROUND_HALF_UP)


def rasio(pembilang: int | Decimal, penyebut: int | Decimal, *, kali: int = 1) -> Decimal | str:
    """pembilang * kali / penyebut rounded to 2 places; "N/A" when the denominator is 0."""
    if penyebut == 0:
        return NA
    with localcontext() as ctx:
        ctx.prec = 60
        return _bulat(Decimal(pembilang) * kali / Decimal(penyebut))


def persen(pembilang: int | Decimal, penyebut: int | Decimal) -> Decimal | str:
    """A percentage with 2 places, e.g. Decimal('12.50'); "N/A" when the denominator is 0."""
    return rasio(pembilang, penyebut, kali=100)


def efisiensi(pagu: int, nilai_kontrak: int) -> Decimal | str:
    """(pagu - kontrak) / pagu as a percentage; negative when the contract exceeds the pagu."""
    return persen(pagu - nilai_kontrak, pagu)


def _jam(nilai: Jam) -> Decimal | str:
    if nilai is None:
        return NA
    if isinstance(nilai, bool):
        raise TypeError("bool is not a duration")
    return _bulat(Decimal(str(nilai)) if isinstance(nilai, float) else Decimal(nilai))


def perubahan(nilai: Nilai, sebelumnya: Nilai) -> tuple[Nilai, Nilai]:
    """(absolute change, % change against the previous value); N/A when either is N/A or the
    previous value is 0. A negative previous value is measured against its magnitude."""
    if isinstance(nilai, str) or isinstance(sebelumnya, str):
        return NA, NA
    selisih = nilai - sebelumnya
    return selisih, persen(selisih, abs(sebelumnya))


# --------------------------------------------------------------------------- output model


@dataclass(frozen=True)
class Kolom:
    kunci: str
    judul: str
    jenis: JenisNilai


@dataclass(frozen=True)
class Tabel:
    """A titled table; `jenis_baris` gives each row's kind for `menurut_baris` columns."""

    kunci: str
    judul: str
    kolom: tuple[Kolom, ...]
    baris: tuple[tuple[Nilai, ...], ...]
    jenis_baris: tuple[JenisNilai, ...] = ()
    baris_ditandai: tuple[bool, ...] = ()
    ada_total: bool = False  # the last row is the total ("Jumlah") of the rows above

    def jenis_sel(self, i_baris: int, i_kolom: int) -> JenisNilai:
        """The kind of one cell: its column's, or its row's for `menurut_baris` columns."""
        jenis = self.kolom[i_kolom].jenis
        if jenis != "menurut_baris":
            return jenis
        jenis_baris = self.jenis_baris[i_baris]
        return "poin" if self.kolom[i_kolom].kunci == "selisih" and jenis_baris == "persen" else jenis_baris

    def ditandai(self, i_baris: int) -> bool:
        return bool(self.baris_ditandai) and self.baris_ditandai[i_baris]

    def ke_dict(self) -> dict[str, Any]:
        return {
            "kunci": self.kunci,
            "judul": self.judul,
            "kolom": [{"kunci": k.kunci, "judul": k.judul, "jenis": k.jenis} for k in self.kolom],
            "baris": [
                {k.kunci: nilai_json(v) for k, v in zip(self.kolom, baris, strict=True)}
                for baris in self.baris
            ],
            "ada_total": self.ada_total,
        }


@dataclass(frozen=True)
class AngkaKunci:
    """One headline figure with its comparison against the previous period."""

    kunci: str
    label: str
    jenis: JenisNilai
    nilai: Nilai
    sebelumnya: Nilai
    selisih: Nilai
    perubahan_persen: Nilai
    ditandai: bool = False
    catatan: str = ""

    def ke_dict(self) -> dict[str, Any]:
        return {
            "kunci": self.kunci,
            "label": self.label,
            "jenis": self.jenis,
            "nilai": nilai_json(self.nilai),
            "sebelumnya": nilai_json(self.sebelumnya),
            "selisih": nilai_json(self.selisih),
            "perubahan_persen": nilai_json(self.perubahan_persen),
            "ditandai": self.ditandai,
            "catatan": self.catatan,
        }


@dataclass(frozen=True)
class Grafik:
    """A bar chart of some numeric columns of one table of the same section (total row excluded)."""

    judul: str
    tabel: str
    kolom: tuple[str, ...]

    def ke_dict(self) -> dict[str, Any]:
        return {"judul": self.judul, "tabel": self.tabel, "kolom": list(self.kolom)}


@dataclass(frozen=True)
class Bagian:
    """One function of the unit: key figures, tables, charts and flagged remarks."""

    kunci: str
    judul: str
    dasar: str
    angka_kunci: tuple[AngkaKunci, ...]
    tabel: tuple[Tabel, ...]
    grafik: tuple[Grafik, ...]
    catatan: tuple[str, ...] = ()
    label_periode: tuple[str, str] = ("Periode ini", "Periode sebelumnya")

    def tabel_angka_kunci(self) -> Tabel:
        """The key figures laid out as a table, so every format prints them the same way."""
        ini, lalu = self.label_periode
        return Tabel(
            kunci="angka_kunci",
            judul="Angka kunci dan perbandingan dengan periode sebelumnya",
            kolom=(
                Kolom("indikator", "Indikator", "teks"),
                Kolom("nilai", ini, "menurut_baris"),
                Kolom("sebelumnya", lalu, "menurut_baris"),
                Kolom("selisih", "Selisih", "menurut_baris"),
                Kolom("perubahan_persen", "Perubahan (%)", "persen"),
                Kolom("catatan", "Catatan", "teks"),
            ),
            baris=tuple(
                (a.label, a.nilai, a.sebelumnya, a.selisih, a.perubahan_persen, a.catatan)
                for a in self.angka_kunci
            ),
            jenis_baris=tuple(a.jenis for a in self.angka_kunci),
            baris_ditandai=tuple(a.ditandai for a in self.angka_kunci),
        )

    def semua_tabel(self) -> tuple[Tabel, ...]:
        return (self.tabel_angka_kunci(), *self.tabel)

    def cari_tabel(self, kunci: str) -> Tabel:
        return next(t for t in self.tabel if t.kunci == kunci)

    def ke_dict(self) -> dict[str, Any]:
        return {
            "kunci": self.kunci,
            "judul": self.judul,
            "dasar": self.dasar,
            "angka_kunci": [a.ke_dict() for a in self.angka_kunci],
            "tabel": [t.ke_dict() for t in self.tabel],
            "grafik": [g.ke_dict() for g in self.grafik],
            "catatan": list(self.catatan),
        }


@dataclass(frozen=True)
class Laporan:
    """The computed report. `dibuat_pada` is the as-of instant of its data and the only
    timestamp any rendering uses, so one Laporan always renders to the same bytes."""

    periode: Periode
    dibuat_pada: datetime
    sementara: bool  # the period had not ended when the data was taken
    ada_pembanding: bool  # figures of the previous period were available
    bagian: tuple[Bagian, ...]

    @property
    def periode_sebelumnya(self) -> Periode:
        return self.periode.sebelumnya()

    @property
    def judul(self) -> str:
        """'Laporan Semester I Tahun 2026' or 'Laporan Tahunan Tahun 2026'."""
        if self.periode.semester:
            return f"Laporan {self.periode.nama}"
        return f"Laporan Tahunan {self.periode.nama}"

    def cari_bagian(self, kunci: str) -> Bagian:
        return next(b for b in self.bagian if b.kunci == kunci)

    def ke_dict(self) -> dict[str, Any]:
        """JSON-ready dict; keys keep this insertion order."""
        return {
            "judul": self.judul,
            "penyusun": PENYUSUN,
            "penerima": PENERIMA,
            "dasar_hukum": DASAR_HUKUM,
            "periode": _periode_dict(self.periode),
            "periode_sebelumnya": _periode_dict(self.periode_sebelumnya),
            "dibuat_pada": self.dibuat_pada.astimezone(WIB).isoformat(),
            "sementara": self.sementara,
            "ada_pembanding": self.ada_pembanding,
            "bagian": [b.ke_dict() for b in self.bagian],
        }


def _periode_dict(periode: Periode) -> dict[str, Any]:
    return {
        "kode": periode.kode,
        "nama": periode.nama,
        "tahun": periode.tahun,
        "jenis": periode.jenis,
        "semester": periode.semester,
        "mulai": periode.mulai.isoformat(),
        "selesai": periode.selesai.isoformat(),
    }


def nilai_json(nilai: Nilai) -> int | float | str:
    """A cell as JSON: ints stay exact; 2-place Decimals become numbers; text and N/A stay text."""
    return float(nilai) if isinstance(nilai, Decimal) else nilai


# --------------------------------------------------------------------------- assembly

_Angka = tuple[str, str, JenisNilai, Nilai]  # kunci, label, jenis, nilai


def susun_laporan(
    periode: Periode, ringkasan: Ringkasan, ringkasan_sebelumnya: Ringkasan | None = None
) -> Laporan:
    """Compute the report of `periode` from its aggregates and those of the previous period
    (None when there are none: every comparison is then N/A)."""
    if ringkasan.periode != periode:
        raise ValidationFailed(
            f"ringkasan: data periode {ringkasan.periode.kode} tidak cocok dengan {periode.kode}."
        )
    if ringkasan_sebelumnya is not None and ringkasan_sebelumnya.periode != periode.sebelumnya():
        raise ValidationFailed(
            f"ringkasan_sebelumnya: harus periode {periode.sebelumnya().kode}, "
            f"bukan {ringkasan_sebelumnya.periode.kode}."
        )
    label_periode = (periode.nama, periode.sebelumnya().nama)
    bagian = tuple(
        susun(ringkasan, ringkasan_sebelumnya, label_periode)
        for susun in (_bagian_pengadaan, _bagian_registrasi, _bagian_helpdesk)
    )
    return Laporan(
        periode=periode,
        dibuat_pada=ringkasan.diambil_pada,
        sementara=not periode.sudah_berakhir(ringkasan.diambil_pada),
        ada_pembanding=ringkasan_sebelumnya is not None,
        bagian=bagian,
    )


def _bandingkan(
    hitung: Callable[[Ringkasan], list[_Angka]],
    ringkasan: Ringkasan,
    sebelumnya: Ringkasan | None,
    tandai: Callable[[str, Nilai], str] = lambda _k, _v: "",
) -> tuple[AngkaKunci, ...]:
    lalu = {a[0]: a[3] for a in hitung(sebelumnya)} if sebelumnya is not None else {}
    hasil = []
    for kunci, label, jenis, nilai in hitung(ringkasan):
        nilai_lalu = lalu.get(kunci, NA)
        selisih, ubah = perubahan(nilai, nilai_lalu)
        catatan = tandai(kunci, nilai)
        hasil.append(AngkaKunci(kunci, label, jenis, nilai, nilai_lalu, selisih, ubah, bool(catatan), catatan))
    return tuple(hasil)


def _urutan(kanonik: Mapping[str, str], ada: Iterable[str]) -> list[tuple[str, str]]:
    """Known codes in their canonical order, then unknown ones sorted, each with its label."""
    lain = sorted(set(ada) - set(kanonik))
    return [*kanonik.items(), *((k, k) for k in lain)]


# ---- pengadaan

_CATATAN_EFISIENSI_NEGATIF = "Efisiensi negatif: nilai kontrak melebihi pagu"


def _angka_pengadaan(r: Ringkasan) -> list[_Angka]:
    p = r.pengadaan
    selesai, gagal, pagu, _hps, kontrak, _pagu_gagal = _jumlah(p.per_jenis)
    return [
        ("paket_selesai", "Paket selesai dipilih", "bilangan", selesai),
        ("paket_gagal", "Paket gagal", "bilangan", gagal),
        ("persentase_gagal", "Persentase paket gagal", "persen", persen(gagal, selesai + gagal)),
        ("pagu_selesai", "Pagu paket selesai", "rupiah", pagu),
        ("nilai_kontrak", "Nilai kontrak", "rupiah", kontrak),
        ("efisiensi_rupiah", "Efisiensi (pagu - kontrak)", "rupiah", pagu - kontrak),
        ("efisiensi_persen", "Efisiensi terhadap pagu", "persen", efisiensi(pagu, kontrak)),
        ("pokja_dibentuk", "Pokja Pemilihan dibentuk", "bilangan", p.pokja_dibentuk),
        ("pokja_dibubarkan", "Pokja Pemilihan dibubarkan", "bilangan", p.pokja_dibubarkan),
        ("pokja_aktif", "Pokja Pemilihan aktif (akhir periode)", "bilangan", p.pokja_aktif),
        ("anggota_pokja", "Anggota Pokja aktif", "bilangan", p.anggota_pokja),
        ("beban_rata_rata", "Rata-rata paket per anggota Pokja", "desimal",
         rasio(p.penugasan_paket_anggota, p.anggota_pokja)),
        ("beban_maks", "Paket terbanyak pada satu anggota", "bilangan", p.beban_paket_maks),
        ("pejabat_pengadaan_ditugaskan", "Penugasan Pejabat Pengadaan", "bilangan",
         p.pejabat_pengadaan_ditugaskan),
    ]


def _catatan_negatif(pada: str, kontrak: int, pagu: int) -> str:
    ribuan = lambda n: f"{n:,}".replace(",", ".")  # noqa: E731
    return f"{_CATATAN_EFISIENSI_NEGATIF} pada {pada}: kontrak Rp{ribuan(kontrak)} > pagu Rp{ribuan(pagu)}."


def _tandai_efisiensi(kunci: str, nilai: Nilai) -> str:
    negatif = kunci.startswith("efisiensi") and not isinstance(nilai, str) and nilai < 0
    return "Efisiensi negatif" if negatif else ""


def _tabel_kelompok(
    kunci: str, nama_kelompok: str, kanonik: Mapping[str, str], agregat: tuple[AgregatPaket, ...]
) -> tuple[Tabel, Tabel, list[str]]:
    per_kode = {a.kelompok: a for a in agregat}
    kosong = AgregatPaket("", 0, 0, 0, 0, 0, 0)
    daftar = [(label, per_kode.get(kode, kosong)) for kode, label in _urutan(kanonik, per_kode)]
    daftar.append(("Jumlah", AgregatPaket("", *_jumlah(agregat))))

    paket, nilai, tanda, catatan = [], [], [], []
    for i, (label, a) in enumerate(daftar):
        jumlah_paket = a.paket_selesai + a.paket_gagal
        paket.append((label, a.paket_selesai, a.paket_gagal, jumlah_paket, persen(a.paket_gagal, jumlah_paket)))
        ef = efisiensi(a.pagu_selesai, a.nilai_kontrak)
        negatif = a.nilai_kontrak > a.pagu_selesai  # also when the pagu is 0 and the % is N/A
        nilai.append((label, a.pagu_selesai, a.hps_selesai, a.nilai_kontrak,
                      a.pagu_selesai - a.nilai_kontrak, ef, "Efisiensi negatif" if negatif else ""))
        tanda.append(negatif)
        if negatif and i < len(daftar) - 1:  # the total is reported once, by the key figures
            catatan.append(_catatan_negatif(f"{nama_kelompok.lower()} {label}", a.nilai_kontrak, a.pagu_selesai))
    tabel_paket = Tabel(
        kunci=f"paket_{kunci}",
        judul=f"Hasil pemilihan menurut {nama_kelompok.lower()}",
        kolom=(
            Kolom("kelompok", nama_kelompok, "teks"),
            Kolom("selesai", "Paket selesai", "bilangan"),
            Kolom("gagal", "Paket gagal", "bilangan"),
            Kolom("jumlah", "Jumlah paket", "bilangan"),
            Kolom("persentase_gagal", "Gagal (%)", "persen"),
        ),
        baris=tuple(paket),
        ada_total=True,
    )
    tabel_nilai = Tabel(
        kunci=f"nilai_{kunci}",
        judul=f"Pagu, HPS, nilai kontrak dan efisiensi menurut {nama_kelompok.lower()} (paket selesai)",
        kolom=(
            Kolom("kelompok", nama_kelompok, "teks"),
            Kolom("pagu", "Pagu (Rp)", "rupiah"),
            Kolom("hps", "HPS (Rp)", "rupiah"),
            Kolom("nilai_kontrak", "Nilai kontrak (Rp)", "rupiah"),
            Kolom("efisiensi_rupiah", "Efisiensi (Rp)", "rupiah"),
            Kolom("efisiensi_persen", "Efisiensi (%)", "persen"),
            Kolom("tanda", "Tanda", "teks"),
        ),
        baris=tuple(nilai),
        baris_ditandai=tuple(tanda),
        ada_total=True,
    )
    return tabel_paket, tabel_nilai, catatan


def _bagian_pengadaan(r: Ringkasan, lalu: Ringkasan | None, label_periode: tuple[str, str]) -> Bagian:
    p = r.pengadaan
    paket_jenis, nilai_jenis, catatan_jenis = _tabel_kelompok("jenis", "Jenis pengadaan", JENIS_PENGADAAN, p.per_jenis)
    paket_metode, nilai_metode, catatan_metode = _tabel_kelompok(
        "metode", "Metode pemilihan", METODE_PEMILIHAN, p.per_metode
    )
    angka = _bandingkan(_angka_pengadaan, r, lalu, _tandai_efisiensi)
    _, _, pagu, _, kontrak, _ = _jumlah(p.per_jenis)
    catatan_total = [_catatan_negatif("keseluruhan paket", kontrak, pagu)] if kontrak > pagu else []
    return Bagian(
        kunci="pengadaan",
        judul="Pengelolaan Pengadaan Barang/Jasa",
        dasar="P53 Pasal 5 huruf e dan g, Pasal 7 ayat (1) huruf d, Pasal 9, Pasal 15-17",
        angka_kunci=angka,
        tabel=(paket_jenis, nilai_jenis, paket_metode, nilai_metode),
        grafik=(
            Grafik("Pagu dan nilai kontrak menurut jenis pengadaan", "nilai_jenis", ("pagu", "nilai_kontrak")),
            Grafik("Paket selesai dan gagal menurut metode pemilihan", "paket_metode", ("selesai", "gagal")),
        ),
        catatan=tuple(catatan_total + catatan_jenis + catatan_metode),
        label_periode=label_periode,
    )


# ---- registrasi


def _angka_registrasi(r: Ringkasan) -> list[_Angka]:
    g = r.registrasi
    return [
        ("diajukan", "Pendaftaran diajukan", "bilangan", g.diajukan),
        ("disetujui", "Pendaftaran disetujui", "bilangan", g.disetujui),
        ("ditolak", "Pendaftaran ditolak", "bilangan", g.ditolak),
        ("perlu_perbaikan", "Pendaftaran perlu perbaikan", "bilangan", g.perlu_perbaikan),
        ("tingkat_persetujuan", "Tingkat persetujuan (disetujui dari disetujui + ditolak)", "persen",
         persen(g.disetujui, g.disetujui + g.ditolak)),
        ("ditolak_daftar_hitam", "Ditolak karena daftar hitam", "bilangan", g.ditolak_daftar_hitam),
        ("ditolak_di_pintu", "Pengajuan ditolak sistem karena daftar hitam aktif", "bilangan", g.ditolak_di_pintu),
        ("median_jam_keputusan", "Median waktu sampai keputusan (jam)", "jam", _jam(g.median_jam_keputusan)),
        ("p90_jam_keputusan", "Persentil ke-90 waktu sampai keputusan (jam)", "jam", _jam(g.p90_jam_keputusan)),
        ("pengguna_aktif", "Pengguna aktif (akhir periode)", "bilangan", g.pengguna_aktif),
        ("pengguna_dinonaktifkan", "Pengguna dinonaktifkan dalam periode", "bilangan", g.pengguna_dinonaktifkan),
    ]


def _tabel_porsi(kunci: str, judul: str, nama: str, baris: list[tuple[str, int]]) -> Tabel:
    total = sum(n for _, n in baris)
    return Tabel(
        kunci=kunci,
        judul=judul,
        kolom=(
            Kolom("kelompok", nama, "teks"),
            Kolom("jumlah", "Jumlah", "bilangan"),
            Kolom("porsi", "Porsi (%)", "persen"),
        ),
        baris=(*((label, n, persen(n, total)) for label, n in baris), ("Jumlah", total, persen(total, total))),
        ada_total=True,
    )


def _bagian_registrasi(r: Ringkasan, lalu: Ringkasan | None, label_periode: tuple[str, str]) -> Bagian:
    g = r.registrasi
    keputusan = _tabel_porsi(
        "keputusan",
        "Keputusan verifikasi pendaftaran",
        "Keputusan",
        [("Disetujui", g.disetujui), ("Ditolak", g.ditolak), ("Perlu perbaikan", g.perlu_perbaikan)],
    )
    pengguna = _tabel_porsi(
        "status_pengguna",
        "Status akun pengguna pada akhir periode",
        "Status",
        [("Aktif", g.pengguna_aktif), ("Nonaktif", g.pengguna_nonaktif), ("Kedaluwarsa", g.pengguna_kedaluwarsa)],
    )
    return Bagian(
        kunci="registrasi",
        judul="Registrasi dan Verifikasi Pengguna",
        dasar="P53 Pasal 6 ayat (1) huruf b; Lampiran angka 2.3 huruf c dan 2.5.1",
        angka_kunci=_bandingkan(_angka_registrasi, r, lalu),
        tabel=(keputusan, pengguna),
        grafik=(
            Grafik("Keputusan verifikasi pendaftaran", "keputusan", ("jumlah",)),
            Grafik("Status akun pengguna", "status_pengguna", ("jumlah",)),
        ),
        label_periode=label_periode,
    )


# ---- helpdesk


def _angka_helpdesk(r: Ringkasan) -> list[_Angka]:
    h = r.helpdesk
    non_teknis = h.tiket_per_kategori.get("non_teknis", 0) if h.tiket_di_luar_lingkup is None \
        else h.tiket_di_luar_lingkup
    return [
        ("tiket", "Tiket masuk", "bilangan", h.tiket_total),
        ("tiket_non_teknis", "Tiket non-teknis (di luar lingkup)", "bilangan", non_teknis),
        ("persentase_non_teknis", "Persentase tiket non-teknis", "persen", persen(non_teknis, h.tiket_total)),
        ("sla_respons", "Respons pertama sesuai SLA", "persen", persen(h.sla_respons_terpenuhi, h.sla_respons_total)),
        ("sla_penyelesaian", "Penyelesaian sesuai SLA", "persen",
         persen(h.sla_penyelesaian_terpenuhi, h.sla_penyelesaian_total)),
        ("median_jam_kerja_respons", "Median respons pertama (jam kerja)", "jam", _jam(h.median_jam_kerja_respons)),
        ("median_jam_kerja_penyelesaian", "Median penyelesaian (jam kerja)", "jam",
         _jam(h.median_jam_kerja_penyelesaian)),
        ("eskalasi_lkpp", "Eskalasi ke LKPP", "bilangan", h.eskalasi_lkpp),
        ("persentase_eskalasi", "Persentase tiket dieskalasi ke LKPP", "persen",
         persen(h.eskalasi_lkpp, h.tiket_total)),
        ("berita_acara", "Berita acara dokumen penawaran tidak dapat dibuka", "bilangan", h.berita_acara),
        ("kepuasan_rata_rata", "Rata-rata kepuasan (skala 1-5)", "desimal",
         rasio(h.kepuasan_jumlah, h.kepuasan_responden)),
        ("kepuasan_responden", "Responden survei kepuasan", "bilangan", h.kepuasan_responden),
    ]


def _bagian_helpdesk(r: Ringkasan, lalu: Ringkasan | None, label_periode: tuple[str, str]) -> Bagian:
    h = r.helpdesk
    kategori = _tabel_porsi(
        "tiket_kategori", "Tiket menurut kategori", "Kategori",
        [(label, h.tiket_per_kategori.get(kode, 0)) for kode, label in _urutan(KATEGORI_TIKET, h.tiket_per_kategori)],
    )
    kanal = _tabel_porsi(
        "tiket_kanal", "Tiket menurut kanal", "Kanal",
        [(label, h.tiket_per_kanal.get(kode, 0)) for kode, label in _urutan(KANAL_TIKET, h.tiket_per_kanal)],
    )
    sla = Tabel(
        kunci="sla",
        judul="Pemenuhan SLA",
        kolom=(
            Kolom("ukuran", "Ukuran", "teks"),
            Kolom("terpenuhi", "Terpenuhi", "bilangan"),
            Kolom("total", "Total", "bilangan"),
            Kolom("capaian", "Capaian (%)", "persen"),
            Kolom("median_jam_kerja", "Median (jam kerja)", "jam"),
        ),
        baris=(
            ("Respons pertama", h.sla_respons_terpenuhi, h.sla_respons_total,
             persen(h.sla_respons_terpenuhi, h.sla_respons_total), _jam(h.median_jam_kerja_respons)),
            ("Penyelesaian", h.sla_penyelesaian_terpenuhi, h.sla_penyelesaian_total,
             persen(h.sla_penyelesaian_terpenuhi, h.sla_penyelesaian_total), _jam(h.median_jam_kerja_penyelesaian)),
        ),
    )
    return Bagian(
        kunci="helpdesk",
        judul="Layanan Helpdesk Pengadaan Secara Elektronik",
        dasar="P53 Pasal 18; Lampiran angka 2.3 huruf d, 2.5.2 dan 2.5.3",
        angka_kunci=_bandingkan(_angka_helpdesk, r, lalu),
        tabel=(kategori, kanal, sla),
        grafik=(
            Grafik("Tiket menurut kategori", "tiket_kategori", ("jumlah",)),
            Grafik("Tiket menurut kanal", "tiket_kanal", ("jumlah",)),
        ),
        label_periode=label_periode,
    )
