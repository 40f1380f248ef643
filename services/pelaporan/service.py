"""Use cases of pelaporan: reports (live or frozen), freezing, differences, live indicators, open data.

Every figure is computed by PostgreSQL from the read models in one REPEATABLE READ snapshot, so a
report and its comparison period are consistent with each other. pelaporan emits no events: it is
a sink; freezing a report writes a history row (who froze what, with the hashes) instead.
"""

from __future__ import annotations

import asyncio
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import anyio
import orjson
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.errors import Conflict, FieldError, InvalidState, NotFound, ValidationFailed
from shared.pagination import decode_cursor, encode_cursor
from shared.responses import json_bytes
from shared.uow import UnitOfWork, now_utc
from services.pelaporan import repository as repo
from services.pelaporan.berkas import (
    FORMAT,
    hash_konten,
    render_semua,
    ringkasan_ke_dict,
    selisih_laporan,
)
from services.pelaporan.format import ke_json
from services.pelaporan.format._tampilan import waktu as waktu_cetak
from services.pelaporan.laporan import (
    NA,
    PENYUSUN,
    Laporan,
    Ringkasan,
    RingkasanHelpdesk,
    RingkasanPengadaan,
    RingkasanRegistrasi,
    efisiensi,
    persen,
    susun_laporan,
)
from services.pelaporan.models import LaporanFinal
from services.pelaporan.ocds import rilis_ocds
from services.pelaporan.periode import TAHUN_MAX, TAHUN_MIN, WIB, Periode, periode_dari_waktu
from services.pelaporan.schemas import (
    Indikator,
    IndikatorHelpdesk,
    IndikatorPendaftaran,
    IndikatorPengadaan,
    IndikatorPengguna,
    IndikatorSinkronisasi,
    LaporanFinalPublic,
    PeriodePublic,
    SelisihAngka,
    SelisihPublic,
)

TAHUN_LAPORAN_MIN = TAHUN_MIN + 1  # the first year's Semester I still needs a previous period to name
STATUS_PENDAFTARAN = ("diajukan", "perlu_perbaikan", "disetujui", "ditolak")
STATUS_TIKET = ("baru", "ditugaskan", "diproses", "menunggu_pelapor", "dieskalasi", "selesai", "ditutup")


def periode_laporan(tahun: int, semester: int | None = None) -> Periode:
    """The period named by a route's path; 422 naming the path parameter when it is not one."""
    galat = []
    if not TAHUN_LAPORAN_MIN <= tahun <= TAHUN_MAX:
        galat.append(FieldError("path.tahun", f"Tahun harus {TAHUN_LAPORAN_MIN}-{TAHUN_MAX}; diterima {tahun}."))
    if semester is not None and semester not in (1, 2):
        galat.append(FieldError("path.semester", "Semester harus 1 (Januari-Juni) atau 2 (Juli-Desember); "
                                                 f"diterima {semester}."))
    if galat:
        detail = f"{galat[0].field}: {galat[0].message}" if len(galat) == 1 else "Periode laporan tidak valid."
        raise ValidationFailed(detail, errors=galat)
    return Periode.tahunan(tahun) if semester is None else Periode.semesteran(tahun, semester)


def periode_publik(periode: Periode) -> PeriodePublic:
    return PeriodePublic(kode=periode.kode, nama=periode.nama, tahun=periode.tahun, jenis=periode.jenis,
                         semester=periode.semester, mulai=periode.mulai, selesai=periode.selesai)


def alamat_laporan(periode: Periode) -> str:
    """`/api/v1/laporan/2026/semester/1` or `/api/v1/laporan/2026/tahunan`."""
    akhir = f"semester/{periode.semester}" if periode.semester else "tahunan"
    return f"/api/v1/laporan/{periode.tahun}/{akhir}"


async def _snapshot(session: AsyncSession, *, baca_saja: bool = True) -> None:
    """Every query of this transaction sees one snapshot (must be its first statement)."""
    mode = "REPEATABLE READ, READ ONLY" if baca_saja else "REPEATABLE READ"
    await session.execute(text(f"SET TRANSACTION ISOLATION LEVEL {mode}"))


async def _hitung(session: AsyncSession, periode: Periode, sekarang: datetime) -> tuple[Laporan, Ringkasan,
                                                                                         Ringkasan | None]:
    """The report of a period with its comparison period (None when nothing older is known)."""
    ini = await repo.ringkasan(session, periode, sekarang)
    lalu = None
    if await repo.ada_data_sebelum(session, periode.mulai):
        lalu = await repo.ringkasan(session, periode.sebelumnya(), sekarang)
    return susun_laporan(periode, ini, lalu), ini, lalu


@dataclass(frozen=True)
class BerkasLaporan:
    """A rendered report ready to serve."""

    periode: Periode
    format: str
    isi: bytes
    hash: str
    final: bool


async def unduh_laporan(periode: Periode, format_: str, *, uow: UnitOfWork) -> BerkasLaporan:
    """The report in one format: the frozen bytes when it was finalised, else computed now."""
    async with uow:
        await _snapshot(uow.session)
        beku = (await uow.session.execute(
            select(getattr(LaporanFinal, f"isi_{format_}"), getattr(LaporanFinal, f"hash_{format_}"))
            .where(LaporanFinal.kode == periode.kode))).first()
        if beku is not None:
            return BerkasLaporan(periode, format_, bytes(beku[0]), beku[1], final=True)
        laporan, _, _ = await _hitung(uow.session, periode, now_utc())
    isi = await anyio.to_thread.run_sync(FORMAT[format_].render, laporan)
    return BerkasLaporan(periode, format_, isi, hash_konten(isi), final=False)


def _final_publik(row: LaporanFinal, periode: Periode) -> LaporanFinalPublic:
    alamat = alamat_laporan(periode)
    tautan = {f: f"{alamat}?format={f}" for f in FORMAT} | {"selisih": f"{alamat}/selisih"}
    return LaporanFinalPublic(
        periode=periode_publik(periode), difinalkan_pada=row.difinalkan_pada, difinalkan_oleh=row.difinalkan_oleh,
        hash_konten={f: getattr(row, f"hash_{f}") for f in FORMAT}, tautan=tautan)


async def finalkan(periode: Periode, *, uow: UnitOfWork) -> LaporanFinalPublic:
    """Freeze a report of an ended period (Pasal 26): all four formats, their hashes and the figures,
    in one transaction. A period can be frozen once."""
    sekarang = now_utc()
    if not periode.sudah_berakhir(sekarang):
        raise InvalidState(
            f"{periode.nama} belum berakhir (berakhir {waktu_cetak(periode.selesai)}); laporan baru dapat "
            "difinalkan setelah periodenya berakhir. Laporan sementara tetap dapat diunduh.",
            extra={"periode_berakhir": periode.selesai.isoformat()})
    async with uow:
        await _snapshot(uow.session, baca_saja=False)
        await uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:kunci))"),
                                  {"kunci": f"laporan_final:{periode.kode}"})
        if await uow.session.get(LaporanFinal, periode.kode) is not None:
            raise _sudah_final(periode)
        laporan, ini, lalu = await _hitung(uow.session, periode, sekarang)
        isi = await anyio.to_thread.run_sync(render_semua, laporan)
        row = LaporanFinal(
            kode=periode.kode, tahun=periode.tahun, semester=periode.semester, difinalkan_pada=sekarang,
            difinalkan_oleh=uow.actor.label,
            angka={"periode": ringkasan_ke_dict(ini), "periode_sebelumnya": ringkasan_ke_dict(lalu)},
            **{f"isi_{f}": b for f, b in isi.items()}, **{f"hash_{f}": hash_konten(b) for f, b in isi.items()})
        uow.session.add(row)
        try:
            await uow.session.flush()
        except IntegrityError as exc:
            raise _sudah_final(periode) from exc
        publik = _final_publik(row, periode)
        uow.record("laporan", periode.kode, "difinalkan", {"hash_konten": publik.hash_konten})
        return await uow.commit(publik)


def _sudah_final(periode: Periode) -> Conflict:
    alamat = alamat_laporan(periode)
    return Conflict(f"Laporan {periode.nama} sudah difinalkan dan tidak dapat difinalkan lagi; unduh salinan "
                    f"finalnya di {alamat}, perubahan sesudahnya di {alamat}/selisih.")


async def selisih(periode: Periode, *, uow: UnitOfWork) -> SelisihPublic:
    """The figures that changed since the report was frozen (events that arrived later), never merged."""
    async with uow:
        await _snapshot(uow.session)
        row = await uow.session.get(LaporanFinal, periode.kode)
        if row is None:
            raise NotFound(f"Laporan {periode.nama} belum difinalkan; selisih hanya ada untuk laporan final. "
                           f"Finalkan dengan POST {alamat_laporan(periode)}/final.")
        sekarang = now_utc()
        laporan, _, _ = await _hitung(uow.session, periode, sekarang)
        beda = selisih_laporan(json.loads(row.isi_json), json.loads(ke_json(laporan)))
        return SelisihPublic(
            periode=periode_publik(periode), difinalkan_pada=row.difinalkan_pada, dihitung_pada=sekarang,
            hash_konten={f: getattr(row, f"hash_{f}") for f in FORMAT}, ada_selisih=bool(beda),
            selisih=[SelisihAngka(**s.ke_dict()) for s in beda])


# --------------------------------------------------------------------------- live indicators


def _angka(nilai: Decimal | str) -> float | str:
    return float(nilai) if isinstance(nilai, Decimal) else nilai


def _dengan_nol(kunci: tuple[str, ...], hitungan: dict[str, int]) -> dict[str, int]:
    return {**dict.fromkeys(kunci, 0), **hitungan}


def susun_indikator(sekarang: datetime, r: Ringkasan, pendaftaran: dict[str, int], pengguna: dict[str, int],
                    tiket: dict[str, int], langsung: Any, antrean_event: int | None) -> Indikator:
    """The live figures from the current semester's aggregates and the current states."""
    g, p, h = r.registrasi, r.pengadaan, r.helpdesk
    selesai = sum(a.paket_selesai for a in p.per_jenis)
    gagal = sum(a.paket_gagal for a in p.per_jenis)
    pagu = sum(a.pagu_selesai for a in p.per_jenis)
    kontrak = sum(a.nilai_kontrak for a in p.per_jenis)
    tiket = _dengan_nol(STATUS_TIKET, tiket)
    median = g.median_jam_keputusan
    return Indikator(
        diperbarui_pada=sekarang,
        periode=periode_publik(r.periode),
        pendaftaran=IndikatorPendaftaran(
            total=sum(pendaftaran.values()), per_status=_dengan_nol(STATUS_PENDAFTARAN, pendaftaran),
            antrean_verifikasi=pendaftaran.get("diajukan", 0),
            menunggu_perbaikan=pendaftaran.get("perlu_perbaikan", 0),
            diajukan_semester_ini=g.diajukan, disetujui_semester_ini=g.disetujui, ditolak_semester_ini=g.ditolak,
            ditolak_daftar_hitam_semester_ini=g.ditolak_daftar_hitam + g.ditolak_di_pintu,
            median_jam_keputusan_semester_ini=NA if median is None else round(float(median), 2)),
        pengguna=IndikatorPengguna(
            aktif=pengguna.get("aktif", 0), nonaktif=pengguna.get("nonaktif", 0),
            kedaluwarsa=pengguna.get("kedaluwarsa", 0), daftar_hitam_aktif=langsung.daftar_hitam_aktif),
        pengadaan=IndikatorPengadaan(
            paket_tahun_ini=langsung.paket_tahun_ini, paket_tanpa_hasil_tahun_ini=langsung.paket_tanpa_hasil,
            paket_selesai_semester_ini=selesai, paket_gagal_semester_ini=gagal, nilai_kontrak_semester_ini=kontrak,
            efisiensi_persen_semester_ini=_angka(efisiensi(pagu, kontrak)), pokja_aktif=langsung.pokja_aktif,
            anggota_pokja_aktif=langsung.anggota_pokja_aktif, anggota_perlu_diganti=langsung.anggota_perlu_diganti,
            pejabat_pengadaan_ditugaskan=langsung.pejabat_pengadaan),
        helpdesk=IndikatorHelpdesk(
            tiket_terbuka=sum(n for s, n in tiket.items() if s not in ("selesai", "ditutup")),
            tiket_per_status=tiket, eskalasi_lkpp_terbuka=langsung.eskalasi_lkpp_terbuka,
            tiket_semester_ini=h.tiket_total,
            sla_respons_persen_semester_ini=_angka(persen(h.sla_respons_terpenuhi, h.sla_respons_total)),
            sla_penyelesaian_persen_semester_ini=_angka(persen(h.sla_penyelesaian_terpenuhi,
                                                               h.sla_penyelesaian_total)),
            pengumuman_gangguan_aktif=langsung.gangguan_aktif),
        sinkronisasi=IndikatorSinkronisasi(event_terakhir_pada=langsung.event_terakhir, antrean_event=antrean_event),
    )


def indikator_kosong(sekarang: datetime) -> Indikator:
    """The indicators of an empty system: every series the gauges publish, at zero."""
    periode = periode_dari_waktu(sekarang)
    kosong = Ringkasan(
        periode=periode, diambil_pada=sekarang,
        registrasi=RingkasanRegistrasi(0, 0, 0, 0, 0, None, None, 0, 0, 0, 0),
        pengadaan=RingkasanPengadaan((), (), 0, 0, 0, 0, 0, 0, 0),
        helpdesk=RingkasanHelpdesk({}, {}, 0, 0, 0, 0, None, None, 0, 0, 0, 0))
    nol = {k: 0 for k in ("daftar_hitam_aktif", "paket_tahun_ini", "paket_tanpa_hasil", "pokja_aktif",
                          "anggota_pokja_aktif", "anggota_perlu_diganti", "pejabat_pengadaan",
                          "eskalasi_lkpp_terbuka", "gangguan_aktif")}
    return susun_indikator(sekarang, kosong, {}, {}, {}, SimpleNamespace(**nol, event_terakhir=None), 0)


@dataclass(frozen=True)
class _Tersimpan:
    versi: int  # the read models' change stamp the figures were computed at
    dari: datetime  # valid from this moment ...
    sampai: datetime  # ... until this one (a figure that depends on the time may change then)
    data: Any


class CacheBaca:
    """Figures computed from the read models, kept per replica while the read models' change stamp
    (`versi_rm`, bumped in every writing transaction) stays the same (issue 9).

    A hit costs one primary-key read of the stamp; a miss computes once (concurrent misses wait for
    it). The stamp is read in the computation's snapshot or before it, never after, so an entry can
    only be older than its stamp says (then recomputed), never newer: a reader never sees figures
    older than the last committed change."""

    def __init__(self, maks: int = 32) -> None:
        self.maks = maks
        self._isi: dict[Any, _Tersimpan] = {}
        self.kunci = asyncio.Lock()

    def ambil(self, kunci: Any, sekarang: datetime) -> _Tersimpan | None:
        isi = self._isi.get(kunci)
        return isi if isi is not None and isi.dari <= sekarang < isi.sampai else None

    def simpan(self, kunci: Any, isi: _Tersimpan) -> None:
        self._isi.pop(kunci, None)
        while len(self._isi) >= self.maks:
            self._isi.pop(next(iter(self._isi)))
        self._isi[kunci] = isi


async def indikator(*, uow: UnitOfWork, antrean_event: int | None = None, cache: CacheBaca | None = None) -> Indikator:
    """Live monitoring figures (Pasal 5 huruf g, Pasal 7 ayat (1) huruf d) from the read models.

    One statement on plain asyncpg (one snapshot); with a `cache`, served from it while no read model
    changed (one primary-key read)."""
    sekarang = now_utc()
    simpanan = await _indikator_tersimpan(uow, cache, sekarang, antrean_event)
    data = simpanan.data[0]
    if data.diperbarui_pada == sekarang and data.sinkronisasi.antrean_event == antrean_event:
        return data
    return data.model_copy(update={"diperbarui_pada": sekarang, "sinkronisasi": IndikatorSinkronisasi(
        event_terakhir_pada=data.sinkronisasi.event_terakhir_pada, antrean_event=antrean_event)})


async def indikator_json(*, uow: UnitOfWork, antrean_event: int | None = None,
                         cache: CacheBaca | None = None) -> bytes:
    """`indikator` as the JSON bytes of its response model (the route's hot path: a cached answer is
    one dict patched with this request's time and backlog, no model to copy and serialise)."""
    sekarang = now_utc()
    isi = (await _indikator_tersimpan(uow, cache, sekarang, antrean_event)).data[1]
    return json_bytes({**isi, "diperbarui_pada": sekarang,
                       "sinkronisasi": {**isi["sinkronisasi"], "antrean_event": antrean_event}})


async def _indikator_tersimpan(uow: UnitOfWork, cache: CacheBaca | None, sekarang: datetime,
                               antrean_event: int | None) -> _Tersimpan:
    """The figures (model, and its JSON-ready dict) from the cache while current, else computed."""
    periode = periode_dari_waktu(sekarang)
    async with uow.raw(transaction=False):
        if cache is None:
            return await _hitung_indikator(uow, periode, sekarang, antrean_event)
        simpanan = cache.ambil("indikator", sekarang)
        if simpanan is not None and await uow.conn.fetchval(repo.VERSI) == simpanan.versi:
            return simpanan
        async with cache.kunci:  # one computation for all the requests that missed
            simpanan = cache.ambil("indikator", sekarang)
            if simpanan is not None and await uow.conn.fetchval(repo.VERSI) == simpanan.versi:
                return simpanan
            simpanan = await _hitung_indikator(uow, periode, sekarang, antrean_event)
            cache.simpan("indikator", simpanan)
            return simpanan


async def _hitung_indikator(uow: UnitOfWork, periode: Periode, sekarang: datetime,
                            antrean_event: int | None) -> _Tersimpan:
    wib = sekarang.astimezone(WIB)
    b = await repo.indikator(uow.conn, periode.mulai, periode.selesai, sekarang, wib.date(), wib.year)
    # the current semester's aggregates as `susun_indikator` reads them (the same arithmetic)
    r = SimpleNamespace(
        periode=periode,
        registrasi=SimpleNamespace(diajukan=b["diajukan"], disetujui=b["disetujui"], ditolak=b["ditolak"],
                                   ditolak_daftar_hitam=b["ditolak_daftar_hitam"], ditolak_di_pintu=b["di_pintu"],
                                   median_jam_keputusan=b["median_jam"]),
        pengadaan=SimpleNamespace(per_jenis=[SimpleNamespace(
            paket_selesai=b["selesai"], paket_gagal=b["gagal"], pagu_selesai=int(b["pagu_selesai"]),
            nilai_kontrak=int(b["nilai_kontrak"]))]),
        helpdesk=SimpleNamespace(
            tiket_total=b["tiket_semester"], sla_respons_terpenuhi=b["respons_terpenuhi"],
            sla_respons_total=b["respons_total"], sla_penyelesaian_terpenuhi=b["penyelesaian_terpenuhi"],
            sla_penyelesaian_total=b["penyelesaian_total"]))
    data = susun_indikator(sekarang, r, json.loads(b["status_pendaftaran"]), json.loads(b["status_pengguna"]),
                           json.loads(b["status_tiket"]), SimpleNamespace(**dict(b)), antrean_event)
    tengah_malam = datetime.combine(wib.date() + timedelta(days=1), time(0), tzinfo=WIB)
    batas = [periode.selesai, tengah_malam] + ([b["pengumuman_berubah"]] if b["pengumuman_berubah"] else [])
    return _Tersimpan(b["versi"], sekarang, min(batas), (data, data.model_dump(mode="json")))


def angka_metrik(data: Indikator) -> dict[str, float]:
    """The indicators as gauge values `nama -> value` (N/A becomes NaN; times are left out)."""
    hasil: dict[str, float] = {}

    def ratakan(awalan: str, nilai: Any) -> None:
        if isinstance(nilai, dict):
            for k, v in nilai.items():
                ratakan(f"{awalan}.{k}" if awalan else k, v)
        elif isinstance(nilai, bool) or nilai is None or isinstance(nilai, datetime):
            return
        elif isinstance(nilai, (int, float)):
            hasil[awalan] = float(nilai)
        elif nilai == NA:
            hasil[awalan] = math.nan

    ratakan("", data.model_dump(exclude={"diperbarui_pada", "periode"}))
    return hasil


# --------------------------------------------------------------------------- open data

OCDS_BATAS_MAKS = 2000


async def data_terbuka_ocds(tahun: int, *, batas: int, cursor: str | None, uri: str, ocid_prefix: str,
                            uow: UnitOfWork, cache: CacheBaca | None = None) -> tuple[bytes, str | None]:
    """One page of a budget year's packages and selection outcomes as an OCDS 1.1 release package
    (JSON bytes), with the cursor of the next page (None on the last).

    On plain asyncpg, one statement; with a `cache`, a page is served from it while no read model
    changed since it was rendered."""
    if not TAHUN_MIN <= tahun <= TAHUN_MAX:
        raise ValidationFailed(f"query.tahun: tahun anggaran harus {TAHUN_MIN}-{TAHUN_MAX}; diterima {tahun}.",
                               errors=[FieldError("query.tahun", f"harus {TAHUN_MIN}-{TAHUN_MAX}")])
    kunci = decode_cursor(cursor)
    if kunci and (len(kunci) != 1 or not isinstance(kunci[0], str) or "\x00" in kunci[0]):
        raise ValidationFailed("cursor tidak valid; gunakan tautan `Link: rel=\"next\"` dari halaman sebelumnya.",
                               errors=[FieldError("query.cursor", "bukan cursor halaman data terbuka")])
    setelah = kunci[0] if kunci else ""
    kunci_cache = ("ocds", tahun, setelah, batas, uri, ocid_prefix)
    async with uow.raw(transaction=False):
        versi = None
        if cache is not None:
            versi = await uow.conn.fetchval(repo.VERSI)  # before the page's snapshot, never after
            simpanan = cache.ambil(kunci_cache, now_utc())
            if simpanan is not None and simpanan.versi == versi:
                return simpanan.data
        baris = await repo.paket_ocds_raw(uow.conn, tahun, setelah=setelah, batas=batas + 1)
    if not baris:
        raise NotFound(f"Tidak ada paket tahun anggaran {tahun}" + (" setelah cursor ini" if kunci else "")
                       + " yang tercatat; paket OCDS harus memuat paling sedikit satu rilis.")
    lanjut = encode_cursor(baris[batas - 1][0].kode) if len(baris) > batas else None
    baris = baris[:batas]
    diubah = max((w for _, w in baris if w is not None), default=None)
    paket = rilis_ocds([p for p, _ in baris], publisher={"name": PENYUSUN}, uri=uri,
                       published_date=diubah or now_utc(), ocid_prefix=ocid_prefix)
    # the same bytes as Starlette's JSONResponse (compact, UTF-8), encoded by orjson
    hasil = (orjson.dumps(paket), lanjut)
    if cache is not None and versi is not None and diubah is not None and len(hasil[0]) <= _CACHE_MAKS_BYTE:
        cache.simpan(kunci_cache, _Tersimpan(versi, datetime.min.replace(tzinfo=UTC),
                                             datetime.max.replace(tzinfo=UTC), hasil))
    return hasil


_CACHE_MAKS_BYTE = 1 << 20
