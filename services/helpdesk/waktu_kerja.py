"""Business-time calendar of the LPSE helpdesk: office hours in WIB, public holidays, cuti bersama.

Pure: standard library, `holidays` and `shared.errors` only. All arithmetic is done in UTC on exact
`timedelta`s (microseconds), and a day is handled as a whole, so every operation is O(days spanned)
and never loops per second. Results are returned in the configured zone (WIB by default).

Office sessions are half-open intervals [start, end) of local wall time. "Business time between a
and b" is the length of the overlap of [a, b] with the sessions of the working days, minus the parts
covered by pauses (the SLA clock stops while the helpdesk waits for the reporter).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

from shared.errors import FieldError, ValidationFailed
from shared.waktu import WIB

Sesi = tuple[time, time]
"""One office session of a day in local wall time, [start, end)."""

JedaInput = tuple[datetime, datetime | None]
"""A pause of the clock; an end of None means it is still open."""

# Office hours of the ministry's civil servants (PNS). Perpres 21/2023 on Hari Kerja dan Jam Kerja
# Instansi Pemerintah dan Pegawai ASN (replacing Keppres 68/1995): five working days, Monday to
# Friday; 37.5 hours a week excluding breaks; the working day starts at 07.30 local time; the break
# is 90 minutes on Friday and 60 minutes on other days; the details are set by each ministry
# (setneg.go.id/baca/index/pemerintah_terbitkan_aturan_flexible_working_arrangement_bagi_asn).
# Keppres 68/1995 Ps 1(2) spelled the same week out as Mon-Thu 07.30-16.00 (break 12.00-13.00) and
# Fri 07.30-16.30 (break 11.30-13.00), the hours central ministries in Jakarta still keep
# (id.scribd.com/doc/266871329/Perpres-No-68-Tahun-1995). The helpdesk serves through the break, so
# the default has one session a day; a unit that stops its SLA clock over the break configures two
# sessions, and Ramadan hours (from 08.00, 32.5 h a week) go in `periode_khusus`.
JAM_KERJA_PNS: Mapping[int, tuple[Sesi, ...]] = MappingProxyType({
    0: ((time(7, 30), time(16, 0)),),
    1: ((time(7, 30), time(16, 0)),),
    2: ((time(7, 30), time(16, 0)),),
    3: ((time(7, 30), time(16, 0)),),
    4: ((time(7, 30), time(16, 30)),),
    5: (),
    6: (),
})

NEGARA_LIBUR = "ID"
# "public": the national holidays (hari libur nasional); "government": cuti bersama ASN, as the
# library records them from the yearly SKB 3 Menteri. Both stop the work of the ministry's offices.
KATEGORI_LIBUR_BAKU = ("public", "government")


@dataclass(frozen=True)
class PeriodeJamKhusus:
    """Different office hours for a run of dates, both ends included (e.g. Ramadan)."""

    mulai: date
    selesai: date
    jam_kerja: Mapping[int, tuple[Sesi, ...]]


@dataclass(frozen=True)
class KonfigurasiWaktuKerja:
    """Office hours per weekday (0 = Monday), holiday categories and dates the unit declares off."""

    jam_kerja: Mapping[int, tuple[Sesi, ...]] = field(default_factory=lambda: JAM_KERJA_PNS)
    kategori_libur: tuple[str, ...] = KATEGORI_LIBUR_BAKU
    libur_tambahan: frozenset[date] = frozenset()
    periode_khusus: tuple[PeriodeJamKhusus, ...] = ()
    zona: ZoneInfo = WIB

    def __post_init__(self) -> None:
        salah: list[FieldError] = []
        _periksa_jadwal(self.jam_kerja, "jam_kerja", salah)
        if not any(self.jam_kerja.get(h) for h in range(7)):
            salah.append(FieldError("jam_kerja", "paling sedikit satu hari harus punya jam kerja"))
        for i, periode in enumerate(self.periode_khusus):
            if periode.selesai < periode.mulai:
                salah.append(FieldError(f"periode_khusus[{i}].selesai",
                                        "tidak boleh sebelum tanggal mulai"))
            _periksa_jadwal(periode.jam_kerja, f"periode_khusus[{i}].jam_kerja", salah)
        try:
            holidays.country_holidays(NEGARA_LIBUR, categories=self.kategori_libur)
        except (ValueError, NotImplementedError):
            salah.append(FieldError("kategori_libur",
                                    "kategori tidak dikenal; gunakan 'public' dan/atau 'government'"))
        if salah:
            raise ValidationFailed("Konfigurasi waktu kerja tidak valid.", errors=salah)


def _periksa_jadwal(jadwal: Mapping[int, tuple[Sesi, ...]], nama: str,
                    salah: list[FieldError]) -> None:
    for hari, daftar in jadwal.items():
        if hari not in range(7):
            salah.append(FieldError(f"{nama}.{hari}", "hari harus 0 (Senin) sampai 6 (Minggu)"))
            continue
        akhir_sebelumnya: time | None = None
        for mulai, selesai in daftar:
            if not mulai < selesai:
                salah.append(FieldError(f"{nama}.{hari}",
                                        f"sesi {mulai}-{selesai}: jam mulai harus sebelum jam selesai"))
            elif akhir_sebelumnya is not None and mulai < akhir_sebelumnya:
                salah.append(FieldError(f"{nama}.{hari}",
                                        "sesi harus urut dan tidak saling tumpang tindih"))
            akhir_sebelumnya = selesai


def _ke_utc(nilai: datetime, nama: str) -> datetime:
    if not isinstance(nilai, datetime) or nilai.tzinfo is None or nilai.utcoffset() is None:
        pesan = "harus berupa waktu dengan zona waktu (mis. 2026-01-05T08:00:00+07:00)"
        raise ValidationFailed(f"{nama}: {pesan}", errors=[FieldError(nama, pesan)])
    return nilai.astimezone(UTC)


_SESI_UTC_MAKS = 20_000  # dates (~55 years): bounded memory whatever the tickets' ages
_MEMO_MAKS = 20_000  # entries of each result memo (a few MB), emptied when full


class KalenderKerja:
    """Business-time arithmetic over the configured office hours and holidays."""

    def __init__(self, konfigurasi: KonfigurasiWaktuKerja | None = None) -> None:
        self.konfigurasi = konfigurasi or KonfigurasiWaktuKerja()
        self._libur_per_tahun: dict[int, frozenset[date]] = {}
        self._sesi_utc_per_tanggal: dict[date, tuple[tuple[datetime, datetime], ...]] = {}
        # memos of exact results (the configuration is frozen), issue 9: a list page asks the same
        # questions for every row and every request, e.g. "due time of 2 business hours after the
        # ticket was opened" and "business time from the ticket's opening to the start of today"
        self._tambah_memo: dict[tuple[datetime, float], datetime] = {}
        self._durasi_sebelum: dict[tuple[datetime, date], timedelta] = {}
        self._durasi_sejak_tengah: dict[tuple[datetime, date], timedelta] = {}
        self._tengah_malam: dict[date, datetime] = {}
        self._durasi_hari_ini: tuple[datetime, datetime, timedelta] | None = None

    def libur(self, tahun: int) -> frozenset[date]:
        """Non-working dates of a year: library holidays of the configured categories plus the unit's."""
        if tahun not in self._libur_per_tahun:
            dari_pustaka = holidays.country_holidays(
                NEGARA_LIBUR, years=tahun, categories=self.konfigurasi.kategori_libur)
            tambahan = {d for d in self.konfigurasi.libur_tambahan if d.year == tahun}
            self._libur_per_tahun[tahun] = frozenset(dari_pustaka) | tambahan
        return self._libur_per_tahun[tahun]

    def sesi(self, tanggal: date) -> tuple[Sesi, ...]:
        """Office sessions of a date in local time; empty on weekends and holidays."""
        if tanggal in self.libur(tanggal.year):
            return ()
        jadwal = self.konfigurasi.jam_kerja
        for periode in self.konfigurasi.periode_khusus:
            if periode.mulai <= tanggal <= periode.selesai:
                jadwal = periode.jam_kerja
        return tuple(jadwal.get(tanggal.weekday(), ()))

    def adalah_hari_kerja(self, tanggal: date) -> bool:
        """Whether the office is open at all on this date."""
        return bool(self.sesi(tanggal))

    def detik_kerja(self, mulai: datetime, selesai: datetime,
                    jeda: Iterable[JedaInput] = ()) -> float:
        """Business seconds from `mulai` to `selesai`, less pauses (an open pause runs to `selesai`)."""
        awal, akhir = _ke_utc(mulai, "mulai"), _ke_utc(selesai, "selesai")
        if akhir < awal:
            raise ValidationFailed("selesai: tidak boleh sebelum mulai",
                                   errors=[FieldError("selesai", "tidak boleh sebelum mulai")])
        total = self._durasi(awal, akhir)
        for jeda_mulai, jeda_selesai in _gabung_jeda(jeda):
            potong_mulai = max(jeda_mulai, awal)
            potong_selesai = akhir if jeda_selesai is None else min(jeda_selesai, akhir)
            if potong_selesai > potong_mulai:
                total -= self._durasi(potong_mulai, potong_selesai)
        return total.total_seconds()

    def durasi_kerja(self, mulai: datetime, selesai: datetime) -> timedelta:
        """Business time from `mulai` to `selesai` without pauses, exact (`detik_kerja` is its seconds)."""
        awal, akhir = _ke_utc(mulai, "mulai"), _ke_utc(selesai, "selesai")
        if akhir < awal:
            raise ValidationFailed("selesai: tidak boleh sebelum mulai",
                                   errors=[FieldError("selesai", "tidak boleh sebelum mulai")])
        return self._durasi(awal, akhir)

    def tambah_waktu_kerja(self, mulai: datetime, detik: float,
                           jeda: Iterable[JedaInput] = ()) -> datetime | None:
        """Earliest moment `detik` business seconds after `mulai`, pauses excluded; None if an open pause stops it."""
        kursor = _ke_utc(mulai, "mulai")
        if not math.isfinite(detik) or detik < 0:
            pesan = "harus bilangan terhingga yang tidak negatif"
            raise ValidationFailed(f"detik: {pesan}", errors=[FieldError("detik", pesan)])
        sisa = timedelta(seconds=detik)
        if not sisa:
            return kursor.astimezone(self.konfigurasi.zona)
        daftar_jeda = _gabung_jeda(jeda)
        if not daftar_jeda:
            kunci = (kursor, detik)
            hasil = self._tambah_memo.get(kunci)
            if hasil is None:
                hasil = self._tambah(kursor, sisa).astimezone(self.konfigurasi.zona)
                if len(self._tambah_memo) >= _MEMO_MAKS:
                    self._tambah_memo.clear()
                self._tambah_memo[kunci] = hasil
            return hasil
        for jeda_mulai, jeda_selesai in daftar_jeda:
            if jeda_selesai is not None and jeda_selesai <= kursor:
                continue
            if jeda_mulai > kursor:
                tersedia = self._durasi(kursor, jeda_mulai)
                if tersedia >= sisa:
                    return self._tambah(kursor, sisa).astimezone(self.konfigurasi.zona)
                sisa -= tersedia
            if jeda_selesai is None:
                return None
            kursor = jeda_selesai
        return self._tambah(kursor, sisa).astimezone(self.konfigurasi.zona)

    def hari_kerja_setelah(self, mulai: datetime, n: int) -> datetime:
        """End of office hours on the n-th working day after the date of `mulai` (n = 0: `mulai`)."""
        zona = self.konfigurasi.zona
        lokal = _ke_utc(mulai, "mulai").astimezone(zona)
        if n < 0:
            raise ValidationFailed("n: tidak boleh negatif",
                                   errors=[FieldError("n", "tidak boleh negatif")])
        if n == 0:
            return lokal
        tanggal, dihitung = lokal.date(), 0
        while dihitung < n:
            tanggal += timedelta(days=1)
            if self.adalah_hari_kerja(tanggal):
                dihitung += 1
        return datetime.combine(tanggal, self.sesi(tanggal)[-1][1], tzinfo=zona)

    def _sesi_utc(self, tanggal: date) -> tuple[tuple[datetime, datetime], ...]:
        # memoised per date (the configuration is frozen): every SLA figure of a list page walks
        # the days since each ticket was opened (issue 9: ~10% of a helpdesk list page)
        hasil = self._sesi_utc_per_tanggal.get(tanggal)
        if hasil is None:
            zona = self.konfigurasi.zona
            hasil = tuple((datetime.combine(tanggal, a, tzinfo=zona).astimezone(UTC),
                           datetime.combine(tanggal, b, tzinfo=zona).astimezone(UTC))
                          for a, b in self.sesi(tanggal))
            if len(self._sesi_utc_per_tanggal) >= _SESI_UTC_MAKS:
                self._sesi_utc_per_tanggal.clear()
            self._sesi_utc_per_tanggal[tanggal] = hasil
        return hasil

    def _durasi(self, awal: datetime, akhir: datetime) -> timedelta:
        """Business time in [awal, akhir] (both UTC, awal <= akhir), split at the start of `akhir`'s local date.

        Business time is additive over any split point and exact (whole microseconds), so: the part
        before today is remembered per (awal, today), today's part per `akhir` (a list page asks it
        for every row at the same `now`), and for an `awal` of today D(awal, akhir) = D(midnight,
        akhir) - D(midnight, awal), the latter remembered per `awal`: the figure of one walk.
        """
        tanggal_akhir = akhir.astimezone(self.konfigurasi.zona).date()
        tengah = self._tengah_malam.get(tanggal_akhir)
        if tengah is None:
            tengah = datetime.combine(tanggal_akhir, time(0), tzinfo=self.konfigurasi.zona).astimezone(UTC)
            if len(self._tengah_malam) >= _SESI_UTC_MAKS:
                self._tengah_malam.clear()
            self._tengah_malam[tanggal_akhir] = tengah
        if not tengah <= akhir:  # a zone whose local midnight is odd (DST): no split
            return self._durasi_jalan(awal, akhir)
        hari_ini = self._durasi_hari_ini
        if hari_ini is None or hari_ini[0] != tengah or hari_ini[1] != akhir:
            hari_ini = (tengah, akhir, self._durasi_jalan(tengah, akhir))
            self._durasi_hari_ini = hari_ini
        if awal < tengah:
            memo, dari, sampai = self._durasi_sebelum, awal, tengah
        else:
            memo, dari, sampai = self._durasi_sejak_tengah, tengah, awal
        kunci = (awal, tanggal_akhir)
        bagian = memo.get(kunci)
        if bagian is None:
            bagian = self._durasi_jalan(dari, sampai)
            if len(memo) >= _MEMO_MAKS:
                memo.clear()
            memo[kunci] = bagian
        return bagian + hari_ini[2] if awal < tengah else hari_ini[2] - bagian

    def _durasi_jalan(self, awal: datetime, akhir: datetime) -> timedelta:
        zona = self.konfigurasi.zona
        total = timedelta(0)
        tanggal, tanggal_akhir = awal.astimezone(zona).date(), akhir.astimezone(zona).date()
        while tanggal <= tanggal_akhir:
            for sesi_mulai, sesi_selesai in self._sesi_utc(tanggal):
                lebih = min(sesi_selesai, akhir) - max(sesi_mulai, awal)
                if lebih > timedelta(0):
                    total += lebih
            tanggal += timedelta(days=1)
        return total

    def _tambah(self, awal: datetime, sisa: timedelta) -> datetime:
        tanggal = awal.astimezone(self.konfigurasi.zona).date()
        while True:
            for sesi_mulai, sesi_selesai in self._sesi_utc(tanggal):
                if sesi_selesai <= awal:
                    continue
                dari = max(sesi_mulai, awal)
                if sesi_selesai - dari >= sisa:
                    return dari + sisa
                sisa -= sesi_selesai - dari
            tanggal += timedelta(days=1)


def _gabung_jeda(jeda: Iterable[JedaInput]) -> list[tuple[datetime, datetime | None]]:
    """Pauses in UTC, sorted and merged; an open pause swallows everything after its start."""
    daftar: list[tuple[datetime, datetime | None]] = []
    for i, (jeda_mulai, jeda_selesai) in enumerate(jeda):
        awal = _ke_utc(jeda_mulai, f"jeda[{i}].mulai")
        akhir = None if jeda_selesai is None else _ke_utc(jeda_selesai, f"jeda[{i}].selesai")
        if akhir is not None and akhir < awal:
            pesan = "tidak boleh sebelum mulai jeda"
            raise ValidationFailed(f"jeda[{i}].selesai: {pesan}",
                                   errors=[FieldError(f"jeda[{i}].selesai", pesan)])
        daftar.append((awal, akhir))
    daftar.sort(key=lambda j: j[0])
    gabungan: list[tuple[datetime, datetime | None]] = []
    for awal, akhir in daftar:
        if gabungan:
            awal_lalu, akhir_lalu = gabungan[-1]
            if akhir_lalu is None:
                break
            if awal <= akhir_lalu:
                gabungan[-1] = (awal_lalu, None if akhir is None else max(akhir, akhir_lalu))
                continue
        gabungan.append((awal, akhir))
    return gabungan
