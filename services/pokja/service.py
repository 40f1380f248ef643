"""Use cases of pokja: `async def verb(cmd, *, uow) -> XPublic`, the only callers of `uow.commit`.

Every change that a rule depends on runs in two steps: the rules are checked on the committed state,
then the locks are taken (repository.kunci, then the aggregate row FOR UPDATE) and the rules are
checked again on the state as it is now. A rule that held before the locks and fails under them was
broken by a request that ran at the same time and won: the caller gets 409 naming the rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar

import asyncpg
import orjson
from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.pokja import domain
from services.pokja import models as m
from services.pokja import repository as repo
from services.pokja import repository_pg as repo_pg
from services.pokja.ambang import DEFAULT as AMBANG
from services.pokja.ambang import ambang_pada
from services.pokja.metrik import POKJA_DIBENTUK
from services.pokja.schemas import (
    AmbangPublic,
    AnggotaIn,
    AnggotaPublic,
    BebanKerja,
    BebanPegawai,
    BebanPokja,
    CalonPublic,
    HasilPemilihanCreate,
    HasilPublic,
    KoordinasiSatkerIn,
    MetodeUbah,
    PaketCreate,
    PaketPublic,
    PaketRingkas,
    PegawaiCreate,
    PegawaiPublic,
    PegawaiUpdate,
    PejabatPengadaanCreate,
    PejabatPengadaanPublic,
    PelaksanaPublic,
    PokjaCreate,
    PokjaPublic,
    RiwayatPublic,
    SaranAnggota,
    SertifikatPublic,
)
from services.pokja.sk import AnggotaSk, DataSk, PaketSk, buat_sk
from shared.auth import Principal
from shared.contracts import pokja as kontrak
from shared.deps import check_version
from shared.errors import (
    Conflict,
    DomainError,
    FieldError,
    InvalidState,
    NotFound,
    PreconditionFailed,
    RuleViolation,
    ValidationFailed,
)
from shared.pagination import decode_cursor, page_from_rendered, page_of
from shared.responses import FragmentCache
from shared.uow import UnitOfWork, new_id, now_utc
from shared.waktu import WIB

T = TypeVar("T")


def hari_ini() -> date:
    """Today in Asia/Jakarta: the date the rules (certificates, thresholds) are judged on."""
    return datetime.now(WIB).date()


# --- the two-step check -------------------------------------------------------------------------


async def _periksa_lalu_kunci(periksa: Callable[[bool], Awaitable[T]], kunci: Callable[[], Awaitable[None]]) -> T:
    """Check the rules, take the locks, check again; a rule broken only under the locks is a lost race (409)."""
    await periksa(False)
    await kunci()
    try:
        return await periksa(True)
    except PreconditionFailed:
        raise
    except DomainError as exc:
        raise Conflict(
            "Permintaan lain yang berjalan bersamaan lebih dulu mengubah data yang diperiksa aturan ini, "
            f"sehingga permintaan ini tidak lagi memenuhi ketentuan; baca data terbaru lalu ulangi. {exc.detail}",
            errors=exc.errors, extra={**exc.extra, "masalah_asal": exc.slug},
        ) from exc


async def _flush_unik(session: AsyncSession, pesan: str) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(pesan) from exc


# --- public shapes ------------------------------------------------------------------------------


def _sertifikat_public(data: dict, tanggal: date) -> SertifikatPublic:
    return SertifikatPublic(**data, berlaku=date.fromisoformat(data["berlaku_sampai"]) >= tanggal)


def pegawai_public(row: m.Pegawai, status: str) -> PegawaiPublic:
    """A person as the API shows them, certificates judged valid or not today."""
    tanggal = hari_ini()
    return PegawaiPublic(
        nip=row.nip, nama=row.nama, jabatan=row.jabatan, nama_jabatan=row.nama_jabatan, unit=row.unit,
        satuan_kerja=row.satuan_kerja, sertifikat=[_sertifikat_public(s, tanggal) for s in row.sertifikat],
        peran_lpse=row.peran_lpse, status_spse=status, versi=row.versi, dibuat_pada=row.dibuat_pada,
    )


def _status_hasil(row: m.Paket) -> str | None:
    return row.hasil["status"] if row.hasil else None


def _berjalan(row: m.Paket) -> bool:
    return _status_hasil(row) != "selesai"


def paket_ringkas(row: m.Paket) -> PaketRingkas:
    """A package in a Pokja's or Pejabat Pengadaan's list."""
    return PaketRingkas(kode=row.kode, nama=row.nama, satuan_kerja=row.satuan_kerja,
                        jenis_pengadaan=row.jenis_pengadaan, hps=row.hps,
                        metode_pemilihan=row.metode_manual or row.metode_pemilihan, status_hasil=_status_hasil(row))


async def _pelaksana(session: AsyncSession, rows: Sequence[m.Paket]) -> dict[str, PelaksanaPublic]:
    pokja_ids = {r.pokja_id for r in rows if r.pokja_id}
    pejabat_ids = {r.pejabat_pengadaan_id for r in rows if r.pejabat_pengadaan_id}
    nama_pokja = dict((await session.execute(
        select(m.Pokja.id, m.Pokja.nama).where(m.Pokja.id.in_(pokja_ids)))).all()) if pokja_ids else {}
    nama_pejabat = dict((await session.execute(
        select(m.PejabatPengadaan.id, m.Pegawai.nama).join(m.Pegawai, m.Pegawai.nip == m.PejabatPengadaan.nip)
        .where(m.PejabatPengadaan.id.in_(pejabat_ids)))).all()) if pejabat_ids else {}
    hasil = {}
    for r in rows:
        if r.pokja_id:
            hasil[r.kode] = PelaksanaPublic(jenis="pokja", id=r.pokja_id, nama=nama_pokja[r.pokja_id])
        elif r.pejabat_pengadaan_id:
            hasil[r.kode] = PelaksanaPublic(jenis="pejabat_pengadaan", id=r.pejabat_pengadaan_id,
                                            nama=nama_pejabat[r.pejabat_pengadaan_id])
    return hasil


def _paket_public(row: m.Paket, pelaksana: PelaksanaPublic | None) -> PaketPublic:
    ambang = ambang_pada(row.tanggal_metode, AMBANG)
    return PaketPublic(
        kode=row.kode, nama=row.nama, satuan_kerja=row.satuan_kerja, jenis_pengadaan=row.jenis_pengadaan,
        pagu=row.pagu, hps=row.hps, tahun_anggaran=row.tahun_anggaran, perencana_nip=row.perencana_nip,
        ppk_nip=row.ppk_nip, pemeriksa_nip=row.pemeriksa_nip,
        metode_pemilihan=row.metode_manual or row.metode_pemilihan, metode_turunan=row.metode_pemilihan,
        metode_manual=row.metode_manual, alasan_metode=row.alasan_metode, tanggal_metode=row.tanggal_metode,
        dasar_ambang=ambang.dasar, batas_pengadaan_langsung=ambang.pengadaan_langsung[row.jenis_pengadaan],
        penetap_pemenang=domain.penetap_pemenang(row.jenis_pengadaan, row.pagu, row.tanggal_metode, AMBANG),
        pelaksana=pelaksana, hasil=HasilPublic(**row.hasil) if row.hasil else None, versi=row.versi,
        dibuat_pada=row.dibuat_pada,
    )


@lru_cache(maxsize=4096)
def _menurut_ambang(jenis_pengadaan: str, pagu: int, tanggal_metode: date) -> tuple[str, int, str]:
    """The threshold entry's basis, the Pengadaan Langsung limit and who names the winner, per package terms."""
    ambang = ambang_pada(tanggal_metode, AMBANG)
    return (ambang.dasar, ambang.pengadaan_langsung[jenis_pengadaan],
            domain.penetap_pemenang(jenis_pengadaan, pagu, tanggal_metode, AMBANG))


def _hasil_publik(hasil: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored result (jsonb: its own key order) as HasilPublic's fields in the model's order, time parsed,
    so the route can send it without the model re-validating it."""
    if not hasil:
        return None
    return {"status": hasil["status"], "tanggal": hasil["tanggal"], "nilai_kontrak": hasil.get("nilai_kontrak"),
            "pemenang": hasil.get("pemenang"), "keterangan": hasil.get("keterangan"),
            "pelapor_nip": hasil["pelapor_nip"], "pelaksana": hasil["pelaksana"],
            "dilaporkan_pada": datetime.fromisoformat(hasil["dilaporkan_pada"])}


def paket_publik(row: Any) -> dict[str, Any]:
    """A package row of repository_pg (columns of PAKET_KOLOM, then the executor's names) as PaketPublic's dict.

    The same content as `_paket_public` of an ORM row; the response model validates and serialises it."""
    (kode, nama, satuan_kerja, jenis, pagu, hps, tahun, perencana, ppk, pemeriksa, metode, manual, alasan, tanggal,
     pokja_id, pejabat_id, hasil, versi, dibuat_pada, nama_pokja, nama_pejabat) = row
    dasar, batas, penetap = _menurut_ambang(jenis, pagu, tanggal)
    if pokja_id:
        pelaksana: dict[str, str] | None = {"jenis": "pokja", "id": pokja_id, "nama": nama_pokja}
    elif pejabat_id:
        pelaksana = {"jenis": "pejabat_pengadaan", "id": pejabat_id, "nama": nama_pejabat}
    else:
        pelaksana = None
    return {
        "kode": kode, "nama": nama, "satuan_kerja": satuan_kerja, "jenis_pengadaan": jenis, "pagu": pagu, "hps": hps,
        "tahun_anggaran": tahun, "perencana_nip": perencana, "ppk_nip": ppk, "pemeriksa_nip": pemeriksa,
        "metode_pemilihan": manual or metode, "metode_turunan": metode, "metode_manual": manual,
        "alasan_metode": alasan, "tanggal_metode": tanggal, "dasar_ambang": dasar, "batas_pengadaan_langsung": batas,
        "penetap_pemenang": penetap, "pelaksana": pelaksana,
        "hasil": _hasil_publik(orjson.loads(hasil)) if hasil is not None else None, "versi": versi,
        "dibuat_pada": dibuat_pada,
    }


def paket_publik_baru(paket: domain.Paket, tanggal: date, waktu: datetime) -> dict[str, Any]:
    """A package just recorded (version 1, no executor, no result) as PaketPublic's dict."""
    dasar, batas, penetap = _menurut_ambang(paket.jenis_pengadaan, paket.pagu, tanggal)
    return {
        "kode": paket.kode, "nama": paket.nama, "satuan_kerja": paket.satuan_kerja,
        "jenis_pengadaan": paket.jenis_pengadaan, "pagu": paket.pagu, "hps": paket.hps,
        "tahun_anggaran": paket.tahun_anggaran, "perencana_nip": paket.perencana_nip, "ppk_nip": paket.ppk_nip,
        "pemeriksa_nip": paket.pemeriksa_nip, "metode_pemilihan": paket.metode_pemilihan,
        "metode_turunan": paket.metode_pemilihan, "metode_manual": None, "alasan_metode": None,
        "tanggal_metode": tanggal, "dasar_ambang": dasar, "batas_pengadaan_langsung": batas,
        "penetap_pemenang": penetap, "pelaksana": None, "hasil": None, "versi": 1, "dibuat_pada": waktu,
    }


async def paket_public(session: AsyncSession, rows: Sequence[m.Paket]) -> list[PaketPublic]:
    """Packages as the API shows them, with their executor."""
    pelaksana = await _pelaksana(session, rows)
    return [_paket_public(r, pelaksana.get(r.kode)) for r in rows]


async def pokja_public(session: AsyncSession, rows: Sequence[m.Pokja]) -> list[PokjaPublic]:
    """Pokja with their current members (person, place, SPSE state, replacement flag) and packages."""
    ids = [r.id for r in rows]
    anggota = await repo.anggota_aktif(session, ids)
    pegawai = await repo.pegawai_per_nip(session, [a.nip for a in anggota])
    paket = await repo.paket_milik_pokja(session, ids)
    anggota_per, paket_per = defaultdict(list), defaultdict(list)
    for a in anggota:
        p, status = pegawai[a.nip]
        anggota_per[a.pokja_id].append(AnggotaPublic(
            nip=a.nip, nama=p.nama, jabatan=p.jabatan, nama_jabatan=p.nama_jabatan, unit=p.unit,
            satuan_kerja=p.satuan_kerja, peran=a.peran, koordinasi_satker=a.koordinasi_satker, status_spse=status,
            perlu_diganti=a.perlu_diganti, mulai=a.mulai))
    for k in paket:
        paket_per[k.pokja_id].append(paket_ringkas(k))
    return [PokjaPublic(
        id=r.id, nama=r.nama, nomor_sk=r.nomor_sk, tanggal_sk=r.tanggal_sk, status=r.status,
        anggota=anggota_per[r.id], paket=paket_per[r.id], jumlah_anggota=len(anggota_per[r.id]),
        perlu_penggantian=[a.nip for a in anggota_per[r.id] if a.perlu_diganti],
        alasan_pembubaran=r.alasan_pembubaran, dibentuk_pada=r.dibentuk_pada, dibubarkan_pada=r.dibubarkan_pada,
        versi=r.versi) for r in rows]


async def pejabat_public(session: AsyncSession, rows: Sequence[m.PejabatPengadaan]) -> list[PejabatPengadaanPublic]:
    """Pejabat Pengadaan assignments with their packages and the person's SPSE state."""
    pegawai = await repo.pegawai_per_nip(session, [r.nip for r in rows])
    paket_per = defaultdict(list)
    for k in await repo.paket_milik_pejabat(session, [r.id for r in rows]):
        paket_per[k.pejabat_pengadaan_id].append(paket_ringkas(k))
    return [PejabatPengadaanPublic(
        id=r.id, nip=r.nip, nama=pegawai[r.nip][0].nama, satuan_kerja=r.satuan_kerja,
        nomor_permintaan_kpa=r.nomor_permintaan_kpa, status=r.status, status_spse=pegawai[r.nip][1],
        perlu_diganti=r.perlu_diganti, paket=paket_per[r.id], versi=r.versi, ditugaskan_pada=r.ditugaskan_pada)
        for r in rows]


# --- events -------------------------------------------------------------------------------------


def _kontrak_pokja(e: domain.Event, pokja_id: str, waktu: datetime, alasan: str | None) -> tuple[str, Any]:
    match e:
        case domain.PokjaDibentuk():
            return "pokja.pokja.dibentuk", kontrak.PokjaDibentuk(
                pokja_id=pokja_id, waktu=waktu, nama=e.nama, nomor_sk=e.nomor_sk, anggota=list(e.anggota),
                paket=list(e.paket))
        case domain.AnggotaDitambahkan():
            return "pokja.pokja.anggota_ditambahkan", kontrak.AnggotaDitambahkan(pokja_id=pokja_id, waktu=waktu,
                                                                                 nip=e.nip)
        case domain.AnggotaDikeluarkan():
            return "pokja.pokja.anggota_dikeluarkan", kontrak.AnggotaDikeluarkan(pokja_id=pokja_id, waktu=waktu,
                                                                                 nip=e.nip, alasan=alasan)
        case domain.PaketDitugaskan():
            return "pokja.pokja.paket_ditugaskan", kontrak.PaketDitugaskan(pokja_id=pokja_id, waktu=waktu,
                                                                           kode_paket=e.kode_paket)
        case domain.PokjaDibubarkan():
            return "pokja.pokja.dibubarkan", kontrak.PokjaDibubarkan(pokja_id=pokja_id, waktu=waktu, alasan=e.alasan)
        case domain.PenggantianDiperlukan():
            return "pokja.pokja.penggantian_diperlukan", kontrak.PenggantianDiperlukan(
                pokja_id=pokja_id, waktu=waktu, nip=e.nip, status_spse=e.status_spse)
    raise TypeError(f"no contract for {e!r}")


def terbitkan_pokja(uow: UnitOfWork, row: m.Pokja, events: Iterable[domain.Event], waktu: datetime,
                    alasan: str | None = None) -> None:
    """One outbox row per domain event, each a new version of the Pokja."""
    for e in events:
        jenis, data = _kontrak_pokja(e, row.id, waktu, alasan)
        row.versi += 1
        uow.emit(jenis, data, aggregate_id=row.id, aggregate_version=row.versi)
    row.diperbarui_pada = waktu


# --- pegawai ------------------------------------------------------------------------------------


async def catat_pegawai(cmd: PegawaiCreate, *, uow: UnitOfWork) -> PegawaiPublic:
    """Record a person who may serve on a Pokja or as Pejabat Pengadaan (Pasal 11, 15 ayat 3)."""
    domain.periksa_nip(cmd.nip)
    data = cmd.model_dump(mode="json")
    domain.Pegawai(nip=cmd.nip, nama=cmd.nama, jabatan=cmd.jabatan, unit=cmd.unit, satuan_kerja=cmd.satuan_kerja,
                   peran_lpse=cmd.peran_lpse, sertifikat=[repo.ke_sertifikat(s) for s in data["sertifikat"]])
    async with uow:
        s = uow.session
        if await s.get(m.Pegawai, cmd.nip) is not None:
            raise Conflict(f"Pegawai NIP {cmd.nip} sudah tercatat; baca di /api/v1/pegawai/{cmd.nip}.")
        now = now_utc()
        row = m.Pegawai(nip=cmd.nip, nama=cmd.nama, jabatan=cmd.jabatan, nama_jabatan=cmd.nama_jabatan,
                        unit=cmd.unit, satuan_kerja=cmd.satuan_kerja, sertifikat=data["sertifikat"],
                        peran_lpse=cmd.peran_lpse, versi=1, dibuat_pada=now, diperbarui_pada=now)
        s.add(row)
        await _flush_unik(s, f"Pegawai NIP {cmd.nip} sudah tercatat.")
        uow.record("pegawai", row.nip, "dicatat", data)
        return await uow.commit(pegawai_public(row, await repo.status_spse(s, row.nip)))


async def ubah_pegawai(nip: str, cmd: PegawaiUpdate, *, expected: int | None, uow: UnitOfWork) -> PegawaiPublic:
    """Correct a person's record unless that breaks a rule of a Pokja or Pejabat Pengadaan post they hold."""
    ubah = cmd.model_dump(mode="json", exclude_unset=True)
    wajib = [k for k in ("nama", "jabatan", "unit", "satuan_kerja", "sertifikat") if k in ubah and ubah[k] is None]
    if wajib:
        raise ValidationFailed(f"{wajib[0]}: tidak boleh dikosongkan.", errors=[FieldError(k, "tidak boleh null")
                                                                               for k in wajib])
    tanggal = hari_ini()
    async with uow:
        s = uow.session

        async def periksa(terkunci: bool):  # type: ignore[no-untyped-def]
            stmt = (select(m.Pokja).join(m.AnggotaPokja, m.AnggotaPokja.pokja_id == m.Pokja.id)
                    .where(m.AnggotaPokja.nip == nip, m.AnggotaPokja.selesai.is_(None), m.Pokja.status == "aktif")
                    .order_by(m.Pokja.id).execution_options(populate_existing=True))
            pokja = list((await s.scalars(stmt.with_for_update(of=m.Pokja) if terkunci else stmt)).all())
            found = (await repo.pegawai_per_nip(s, [nip])).get(nip)
            if found is None:
                raise NotFound(f"Pegawai NIP {nip} tidak ditemukan.")
            row, status = found
            if terkunci:
                await s.refresh(row, with_for_update=True)
            check_version(row.versi, expected)
            data = {k: getattr(row, k) for k in ("nama", "jabatan", "unit", "satuan_kerja", "peran_lpse",
                                                 "sertifikat")} | ubah
            data.pop("nama_jabatan", None)
            baru = domain.Pegawai(nip=nip, status_spse=status, **{
                **data, "sertifikat": [repo.ke_sertifikat(x) for x in data["sertifikat"]]})
            anggota = await repo.anggota_aktif(s, [p.id for p in pokja])
            pegawai = await repo.pegawai_per_nip(s, [a.nip for a in anggota if a.nip != nip])
            keanggotaan = [(repo.ke_koordinasi(a.koordinasi_satker),
                            [repo.ke_pegawai(*pegawai[b.nip]) for b in anggota if b.pokja_id == a.pokja_id
                             and b.nip != nip]) for a in anggota if a.nip == nip]
            pejabat = await s.scalar(select(m.PejabatPengadaan.id).where(
                m.PejabatPengadaan.nip == nip, m.PejabatPengadaan.status == "aktif").limit(1))
            domain.periksa_perubahan_pegawai(baru, keanggotaan, pejabat_pengadaan=pejabat is not None,
                                             tanggal=tanggal)
            return row, status

        row, status = await _periksa_lalu_kunci(periksa, lambda: repo.kunci(s, nip=[nip]))
        sebelumnya = {k: getattr(row, k) for k in ubah}
        for k, v in ubah.items():
            setattr(row, k, v)
        row.versi += 1
        row.diperbarui_pada = now_utc()
        uow.record("pegawai", nip, "diubah", {"sebelumnya": sebelumnya, "menjadi": ubah})
        await s.flush()
        return await uow.commit(pegawai_public(row, status))


async def baca_pegawai(nip: str, *, uow: UnitOfWork) -> PegawaiPublic:
    """One person with the state of their SPSE User ID."""
    async with uow.reading():
        found = (await repo.pegawai_per_nip(uow.session, [nip])).get(nip)
        if found is None:
            raise NotFound(f"Pegawai NIP {nip} tidak ditemukan.")
        return pegawai_public(*found)


async def daftar_pegawai(*, jabatan: str | None, unit: str | None, limit: int, cursor: str | None,
                         uow: UnitOfWork) -> dict:
    """Personnel ordered by NIP."""
    after = decode_cursor(cursor)
    async with uow.reading():
        stmt = (select(m.Pegawai.nip).order_by(m.Pegawai.nip).limit(limit + 1))
        if jabatan:
            stmt = stmt.where(m.Pegawai.jabatan == jabatan)
        if unit:
            stmt = stmt.where(m.Pegawai.unit == unit)
        if after:
            stmt = stmt.where(m.Pegawai.nip > str(after[0]))
        nips = list((await uow.session.scalars(stmt)).all())
        found = await repo.pegawai_per_nip(uow.session, nips)
        return page_of([pegawai_public(*found[n]) for n in nips], limit, key=lambda p: (p.nip,))


# --- paket --------------------------------------------------------------------------------------


async def catat_paket(cmd: PaketCreate, *, uow: UnitOfWork) -> PaketPublic:
    """Record a package; its method comes from the value thresholds in force today (DOMAIN.md rule 17)."""
    for field in ("perencana_nip", "ppk_nip", "pemeriksa_nip"):
        if getattr(cmd, field):
            domain.periksa_nip(getattr(cmd, field), field)
    tanggal = hari_ini()
    paket = domain.Paket.catat(
        kode=cmd.kode, nama=cmd.nama, satuan_kerja=cmd.satuan_kerja, jenis_pengadaan=cmd.jenis_pengadaan,
        pagu=cmd.pagu, hps=cmd.hps, tahun_anggaran=cmd.tahun_anggaran, tanggal=tanggal,
        perencana_nip=cmd.perencana_nip, ppk_nip=cmd.ppk_nip, pemeriksa_nip=cmd.pemeriksa_nip, ambang=AMBANG)
    now = now_utc()
    hasil = PaketPublic.model_validate(paket_publik_baru(paket, tanggal, now))
    # The package, its event, history and idempotency rows in ONE statement, atomic by itself (issue 9)
    async with uow.raw(transaction=False):
        uow.emit("pokja.paket.dicatat", kontrak.PaketDicatat(
            kode=paket.kode, waktu=now, nama=paket.nama, satuan_kerja=paket.satuan_kerja,
            jenis_pengadaan=paket.jenis_pengadaan, pagu=paket.pagu, hps=paket.hps,
            tahun_anggaran=paket.tahun_anggaran, metode_pemilihan=paket.metode_pemilihan),
            aggregate_id=paket.kode, aggregate_version=1)
        uow.record("paket", paket.kode, "dicatat", {**cmd.model_dump(mode="json"),
                                                    "metode_pemilihan": paket.metode_pemilihan,
                                                    "tanggal_metode": tanggal.isoformat()})
        sql, args = repo_pg.catat_paket(
            kode=paket.kode, nama=paket.nama, satuan_kerja=paket.satuan_kerja, jenis_pengadaan=paket.jenis_pengadaan,
            pagu=paket.pagu, hps=paket.hps, tahun_anggaran=paket.tahun_anggaran, perencana_nip=paket.perencana_nip,
            ppk_nip=paket.ppk_nip, pemeriksa_nip=paket.pemeriksa_nip, metode_pemilihan=paket.metode_pemilihan,
            tanggal_metode=tanggal, waktu=now)
        try:
            dicatat = await uow.commit_with(sql, *args, result=hasil)
        except asyncpg.UniqueViolationError as exc:  # recorded by a request running at the same time
            raise Conflict(f"Paket {cmd.kode} sudah tercatat.") from exc
    if not dicatat:
        raise Conflict(f"Paket {cmd.kode} sudah tercatat; baca di /api/v1/paket/{cmd.kode}.")
    return hasil


async def _paket_atau_404(session: AsyncSession, kode: str, *, untuk_diubah: bool = False) -> m.Paket:
    found = (await repo.paket_per_kode(session, [kode], untuk_diubah=untuk_diubah)).get(kode)
    if found is None:
        raise NotFound(f"Paket {kode} tidak ditemukan.")
    return found


async def baca_paket(kode: str, *, uow: UnitOfWork) -> dict[str, Any]:
    """One package with its method, thresholds, executor and result (the shape of PaketPublic)."""
    async with uow.raw(transaction=False):
        row = await repo_pg.paket(uow.conn, kode)
    if row is None:
        raise NotFound(f"Paket {kode} tidak ditemukan.")
    return paket_publik(row)


async def daftar_paket(*, tahun_anggaran: int | None, satuan_kerja: str | None, metode: str | None,
                       pelaksana: str | None, limit: int, cursor: str | None, uow: UnitOfWork,
                       tampilan: FragmentCache | None = None) -> dict:
    """Packages ordered by code. With `tampilan`, the page's keys are read and the rows already rendered at
    their version reused (`shared.pagination.page_from_rendered`, issue 9)."""
    after = decode_cursor(cursor)
    saring: dict[str, Any] = {"tahun_anggaran": tahun_anggaran, "satuan_kerja": satuan_kerja, "metode": metode,
                              "pelaksana": pelaksana, "setelah": str(after[0]) if after else None, "n": limit + 1}
    async with uow.raw(transaction=False):
        if tampilan is not None and tampilan.maks > 0:
            kunci = await repo_pg.daftar_paket(uow.conn, **saring, hanya_kunci=True)
            halaman = await page_from_rendered(
                kunci, limit, _kunci_kode, cache=tampilan, version=_versi_paket, ident=_kode,
                fetch=lambda kode: repo_pg.baca_banyak(uow.conn, kode),
                render=lambda r: paket_publik(tuple(r)[:repo_pg.KOLOM_TAMPIL]))
            if halaman is not None:
                return halaman
        rows = await repo_pg.daftar_paket(uow.conn, **saring)
    return page_of(rows, limit, key=_kunci_kode, convert=paket_publik)


def _kode(row: Any) -> str:
    return row["kode"]


def _versi_paket(row: Any) -> tuple[Any, ...]:
    return ("paket", row["kode"], row["versi"], row["xmin"], row["xmin_pokja"], row["xmin_pejabat"])


def _kunci_kode(row: Any) -> tuple[str]:
    return (row["kode"],)


async def ubah_metode(kode: str, cmd: MetodeUbah, *, expected: int | None, uow: UnitOfWork) -> PaketPublic:
    """Override the derived method with a recorded reason; Pengadaan Langsung stays bound by its limit."""
    async with uow:
        s = uow.session

        async def periksa(terkunci: bool) -> m.Paket:
            row = await _paket_atau_404(s, kode, untuk_diubah=terkunci)
            check_version(row.versi, expected)
            repo.ke_paket(row).timpa_metode(cmd.metode, cmd.alasan, tanggal=hari_ini(), ambang=AMBANG)
            return row

        row = await _periksa_lalu_kunci(periksa, lambda: repo.kunci(s, paket=[kode]))
        now = now_utc()
        sebelumnya = row.metode_manual or row.metode_pemilihan
        row.metode_manual, row.alasan_metode = cmd.metode, cmd.alasan
        row.versi += 1
        row.diperbarui_pada = now
        uow.emit("pokja.paket.metode_diubah", kontrak.MetodePemilihanDiubah(
            kode=kode, waktu=now, metode_pemilihan=cmd.metode, alasan=cmd.alasan),
            aggregate_id=kode, aggregate_version=row.versi)
        uow.record("paket", kode, "metode_diubah", {"dari": sebelumnya, "menjadi": cmd.metode}, alasan=cmd.alasan)
        return await uow.commit((await paket_public(s, [row]))[0])


async def _paket_bebas(session: AsyncSession, kode: Sequence[str], field: str) -> dict[str, m.Paket]:
    """The packages named in a request: each must exist, be unassigned (or its Pokja dissolved), not finished."""
    rows = await repo.paket_per_kode(session, kode)
    _pastikan_paket_dikenal(kode, rows, field)
    pokja_ids = {r.pokja_id for r in rows.values() if r.pokja_id}
    aktif = dict((await session.execute(select(m.Pokja.id, m.Pokja.nama).where(
        m.Pokja.id.in_(pokja_ids), m.Pokja.status == "aktif"))).all()) if pokja_ids else {}
    _pastikan_paket_bebas({k: (r.pokja_id, r.pejabat_pengadaan_id, _status_hasil(r)) for k, r in rows.items()},
                          aktif)
    return rows


def _pastikan_paket_dikenal(kode: Sequence[str], ada: Mapping[str, Any], field: str) -> None:
    tidak = [(i, k) for i, k in enumerate(kode) if k not in ada]
    if tidak:
        raise ValidationFailed(f"Paket tidak dikenal: {', '.join(k for _, k in tidak)}; catat dulu melalui "
                               "POST /api/v1/paket.", errors=[FieldError(f"{field}[{i}]", f"paket {k} tidak dikenal")
                                                              for i, k in tidak])


def _pastikan_paket_bebas(paket: Mapping[str, tuple[str | None, str | None, str | None]],
                          aktif: Mapping[str, str]) -> None:
    """`paket`: (pokja_id, pejabat_pengadaan_id, status_hasil) by code, in code order; `aktif`: active Pokja names."""
    for k, (pokja_id, pejabat_id, status_hasil) in paket.items():
        if pokja_id in aktif:
            raise Conflict(f"Paket {k} sudah ditugaskan kepada {aktif[pokja_id]} ({pokja_id}); satu paket "
                           "hanya dipilih oleh satu Pokja Pemilihan.", extra={"paket": k, "pokja_id": pokja_id})
        if pejabat_id:
            raise Conflict(f"Paket {k} sudah ditugaskan kepada Pejabat Pengadaan ({pejabat_id}).",
                           extra={"paket": k})
        if status_hasil == "selesai":
            raise InvalidState(f"Pemilihan paket {k} sudah selesai dilaporkan; paket tidak dapat ditugaskan lagi.")


def _tandai_paket(uow: UnitOfWork, row: m.Paket, waktu: datetime, *, pokja_id: str | None = None,
                  pejabat_id: str | None = None) -> None:
    row.pokja_id, row.pejabat_pengadaan_id = pokja_id, pejabat_id
    row.versi += 1
    row.diperbarui_pada = waktu
    uow.record("paket", row.kode, "ditugaskan", {"pokja_id": pokja_id, "pejabat_pengadaan_id": pejabat_id})


# --- Pokja Pemilihan ----------------------------------------------------------------------------


def _pastikan_pegawai_dikenal(nips: Sequence[str], pegawai: dict, field: str, rule: str = domain.PASAL_15_3) -> None:
    tidak = [(i, n) for i, n in enumerate(nips) if n not in pegawai]
    if tidak:
        daftar = ", ".join(n for _, n in tidak)
        raise RuleViolation(
            f"NIP {daftar} belum tercatat sebagai pegawai, sehingga tidak dapat dipastikan sebagai Pengelola PBJ "
            "(Pasal 11 ayat 4) atau PNS bersertifikat PBJ; catat dulu melalui POST /api/v1/pegawai "
            f"({rule}).", rule=rule, errors=[FieldError(f"{field}[{i}].nip", "tidak tercatat sebagai pegawai")
                                            for i, _ in tidak], extra={"nip": [n for _, n in tidak]})


def _koordinasi(k: KoordinasiSatkerIn | None) -> domain.KoordinasiSatker | None:
    if k is None:
        return None
    return domain.KoordinasiSatker(satuan_kerja=k.satuan_kerja, pimpinan=k.pimpinan, tanggal=k.tanggal,
                                   nomor_surat=k.nomor_surat)


def _calon(anggota: Sequence[AnggotaIn], pegawai: dict) -> list[domain.CalonAnggota]:
    return [domain.CalonAnggota(repo.ke_pegawai(*pegawai[a.nip]), _koordinasi(a.koordinasi_satker)) for a in anggota]


async def _pokja_atau_404(session: AsyncSession, pokja_id: str, *, untuk_diubah: bool = False) -> m.Pokja:
    row = await repo.pokja_row(session, pokja_id, untuk_diubah=untuk_diubah)
    if row is None:
        raise NotFound(f"Pokja {pokja_id} tidak ditemukan.")
    return row


def _urutan_jsonb(data: dict[str, Any]) -> dict[str, Any]:
    """A flat object with its keys in jsonb's order (shorter first, then bytewise), as the ORM read it back."""
    return dict(sorted(data.items(), key=lambda kv: (len(kv[0].encode()), kv[0].encode())))


async def bentuk_pokja(cmd: PokjaCreate, *, penetap: Principal, uow: UnitOfWork) -> PokjaPublic:
    """Form a Pokja Pemilihan keeping Pasal 12 and 15, with its packages (Pasal 9).

    On plain asyncpg (issue 9), with the ORM use case's checks, locks and writes: the rules' reads in
    one statement, the advisory locks in one, the rules' reads again, then the Pokja, its members and
    its packages in one statement."""
    tanggal, pokja_id = hari_ini(), new_id()
    nips = [a.nip for a in cmd.anggota]
    async with uow.raw():
        conn = uow.conn

        async def periksa(terkunci: bool) -> tuple[domain.Pokja, dict[str, dict], dict[str, dict], dict[str, str]]:
            pegawai, sk_dipakai, paket = await repo_pg.periksa_bentuk(conn, nips, cmd.nomor_sk, cmd.paket)
            _pastikan_pegawai_dikenal(nips, pegawai, "anggota")
            if sk_dipakai:
                raise Conflict(f"Nomor SK {cmd.nomor_sk} sudah dipakai Pokja lain.")
            _pastikan_paket_dikenal(cmd.paket, paket, "paket")
            _pastikan_paket_bebas(
                {k: (p["pokja_id"], p["pejabat_pengadaan_id"], (p["hasil"] or {}).get("status")) for k, p in paket.items()},
                {p["pokja_id"]: p["nama_pokja_aktif"] for p in paket.values() if p["nama_pokja_aktif"] is not None})
            pokja = domain.Pokja.bentuk(
                id=pokja_id, nama=cmd.nama, nomor_sk=cmd.nomor_sk, tanggal=tanggal,
                anggota=[domain.CalonAnggota(repo_pg.ke_pegawai(pegawai[a.nip]), _koordinasi(a.koordinasi_satker))
                         for a in cmd.anggota],
                paket=[repo_pg.ke_paket(paket[k]) for k in cmd.paket])
            return pokja, pegawai, paket, domain.susun_peran(nips, diminta={a.nip: a.peran for a in cmd.anggota})

        pokja, pegawai, paket, peran = await _periksa_lalu_kunci(
            periksa, lambda: repo_pg.kunci(conn, nip=nips, paket=cmd.paket))
        now = now_utc()
        versi = 0
        for e in pokja.events:  # one outbox row per domain event, each a new version of the Pokja
            jenis, data = _kontrak_pokja(e, pokja_id, now, None)
            versi += 1
            uow.emit(jenis, data, aggregate_id=pokja_id, aggregate_version=versi)
        koordinasi = {a.nip: _urutan_jsonb(a.koordinasi_satker.model_dump(mode="json")) if a.koordinasi_satker
                      else None for a in cmd.anggota}
        try:
            await repo_pg.bentuk_pokja(
                conn, pokja_id=pokja_id, nama=cmd.nama, nomor_sk=cmd.nomor_sk, tanggal_sk=tanggal,
                penetap_nip=penetap.nip or penetap.sub, penetap_nama=penetap.name, versi=versi, waktu=now,
                anggota=[(n, peran[n], orjson.dumps(koordinasi[n]).decode() if koordinasi[n] else None) for n in nips],
                paket=cmd.paket)
        except asyncpg.UniqueViolationError as exc:
            if exc.constraint_name != repo_pg.KENDALA_NOMOR_SK:
                raise
            raise Conflict(f"Nomor SK {cmd.nomor_sk} sudah dipakai Pokja lain.") from exc
        for k in cmd.paket:
            uow.record("paket", k, "ditugaskan", {"pokja_id": pokja_id, "pejabat_pengadaan_id": None})
        uow.record("pokja", pokja_id, "dibentuk", {"nama": cmd.nama, "nomor_sk": cmd.nomor_sk, "anggota": nips,
                                                   "peran": peran, "paket": list(cmd.paket)})
        result = await uow.commit(PokjaPublic.model_validate({
            "id": pokja_id, "nama": cmd.nama, "nomor_sk": cmd.nomor_sk, "tanggal_sk": tanggal, "status": "aktif",
            "anggota": [{**{k: pegawai[n][k] for k in ("nip", "nama", "jabatan", "nama_jabatan", "unit",
                                                        "satuan_kerja", "status_spse")},
                         "peran": peran[n], "koordinasi_satker": koordinasi[n], "perlu_diganti": False, "mulai": now}
                        for n in nips],
            "paket": [{"kode": p["kode"], "nama": p["nama"], "satuan_kerja": p["satuan_kerja"],
                       "jenis_pengadaan": p["jenis_pengadaan"], "hps": p["hps"],
                       "metode_pemilihan": p["metode_manual"] or p["metode_pemilihan"],
                       "status_hasil": (p["hasil"] or {}).get("status")} for p in paket.values()],
            "jumlah_anggota": len(nips), "perlu_penggantian": [], "alasan_pembubaran": None, "dibentuk_pada": now,
            "dibubarkan_pada": None, "versi": versi}))
    POKJA_DIBENTUK.inc()
    return result


async def ubah_anggota(pokja_id: str, *, tambah: Sequence[AnggotaIn], keluarkan: Sequence[str], alasan: str | None,
                       expected: int | None, uow: UnitOfWork) -> PokjaPublic:
    """Add and/or remove members in one change that keeps every rule (Pasal 9, 12, 15)."""
    tanggal = hari_ini()
    nips_baru = [a.nip for a in tambah]
    async with uow:
        s = uow.session

        async def periksa(terkunci: bool):  # type: ignore[no-untyped-def]
            row = await _pokja_atau_404(s, pokja_id, untuk_diubah=terkunci)
            check_version(row.versi, expected)
            anggota = await repo.anggota_aktif(s, [row.id])
            paket = await repo.paket_milik_pokja(s, [row.id])
            pegawai = await repo.pegawai_per_nip(s, [a.nip for a in anggota] + nips_baru)
            _pastikan_pegawai_dikenal(nips_baru, pegawai, "anggota")
            pokja = repo.ke_pokja(row, anggota, paket)
            pokja.ubah_anggota(
                tambah=_calon(tambah, pegawai), keluarkan=list(keluarkan), tanggal=tanggal,
                anggota_sekarang={a.nip: repo.ke_pegawai(*pegawai[a.nip]) for a in anggota},
                paket=[repo.ke_paket(p) for p in paket])
            peran = domain.susun_peran(pokja.nip_anggota, diminta={a.nip: a.peran for a in tambah},
                                       sebelumnya={a.nip: a.peran for a in anggota if a.nip not in keluarkan})
            return row, anggota, pokja, peran

        row, anggota, pokja, peran = await _periksa_lalu_kunci(
            periksa, lambda: repo.kunci(s, nip=[*keluarkan, *nips_baru]))
        now = now_utc()
        urutan = max((a.urutan for a in anggota), default=0)
        for a in anggota:
            if a.nip in keluarkan:
                a.selesai, a.alasan_keluar = now, alasan
            else:
                a.peran = peran[a.nip]
        await s.flush()
        for i, a in enumerate(tambah, start=1):
            s.add(m.AnggotaPokja(pokja_id=row.id, nip=a.nip, urutan=urutan + i, peran=peran[a.nip],
                                 perlu_diganti=False, mulai=now,
                                 koordinasi_satker=a.koordinasi_satker.model_dump(mode="json")
                                 if a.koordinasi_satker else None))
        terbitkan_pokja(uow, row, pokja.events, now, alasan=alasan)
        uow.record("pokja", row.id, "anggota_diubah", {"ditambahkan": nips_baru, "dikeluarkan": list(keluarkan),
                                                       "peran": peran}, alasan=alasan)
        await _flush_unik(s, "Susunan anggota berubah bersamaan; baca data terbaru lalu ulangi.")
        return await uow.commit((await pokja_public(s, [row]))[0])


async def tugaskan_paket_pokja(pokja_id: str, kode: Sequence[str], *, expected: int | None,
                               uow: UnitOfWork) -> PokjaPublic:
    """Assign packages to a Pokja unless a member plans, contracts or inspects one (Pasal 12 huruf a)."""
    async with uow:
        s = uow.session

        async def periksa(terkunci: bool):  # type: ignore[no-untyped-def]
            row = await _pokja_atau_404(s, pokja_id, untuk_diubah=terkunci)
            check_version(row.versi, expected)
            pokja = repo.ke_pokja(row, await repo.anggota_aktif(s, [row.id]), await repo.paket_milik_pokja(s, [row.id]))
            if row.status != "aktif":
                raise InvalidState(f"Pokja {pokja_id} sudah dibubarkan dan tidak dapat diberi paket.")
            paket = await _paket_bebas(s, kode, "paket")
            for k in kode:
                pokja.tugaskan_paket(repo.ke_paket(paket[k]))
            return row, pokja, paket

        row, pokja, paket = await _periksa_lalu_kunci(periksa, lambda: repo.kunci(s, paket=kode))
        now = now_utc()
        for k in kode:
            _tandai_paket(uow, paket[k], now, pokja_id=row.id)
        terbitkan_pokja(uow, row, pokja.events, now)
        uow.record("pokja", row.id, "paket_ditugaskan", {"paket": list(kode)})
        await s.flush()
        return await uow.commit((await pokja_public(s, [row]))[0])


async def bubarkan_pokja(pokja_id: str, alasan: str, *, expected: int | None, uow: UnitOfWork) -> PokjaPublic:
    """Dissolve a Pokja with a reason (Pasal 9 huruf a); it cannot be changed afterwards."""
    async with uow:
        s = uow.session

        async def periksa(terkunci: bool):  # type: ignore[no-untyped-def]
            row = await _pokja_atau_404(s, pokja_id, untuk_diubah=terkunci)
            check_version(row.versi, expected)
            pokja = repo.ke_pokja(row, [], [])
            pokja.bubarkan(alasan)
            return row, pokja

        async def tanpa_kunci() -> None:
            return None

        row, pokja = await _periksa_lalu_kunci(periksa, tanpa_kunci)
        now = now_utc()
        row.status, row.alasan_pembubaran, row.dibubarkan_pada = "dibubarkan", alasan, now
        terbitkan_pokja(uow, row, pokja.events, now)
        uow.record("pokja", row.id, "dibubarkan", {"status": "dibubarkan"}, alasan=alasan)
        await s.flush()
        return await uow.commit((await pokja_public(s, [row]))[0])


async def baca_pokja(pokja_id: str, *, uow: UnitOfWork) -> PokjaPublic:
    """One Pokja with members and packages."""
    async with uow.reading():
        return (await pokja_public(uow.session, [await _pokja_atau_404(uow.session, pokja_id)]))[0]


async def daftar_pokja(*, status: str | None, nip: str | None, limit: int, cursor: str | None,
                       uow: UnitOfWork) -> dict:
    """Pokja in order of formation."""
    after = decode_cursor(cursor)
    async with uow.reading():
        stmt = select(m.Pokja).order_by(m.Pokja.dibentuk_pada, m.Pokja.id).limit(limit + 1)
        if status:
            stmt = stmt.where(m.Pokja.status == status)
        if nip:
            stmt = stmt.where(m.Pokja.id.in_(select(m.AnggotaPokja.pokja_id).where(
                m.AnggotaPokja.nip == nip, m.AnggotaPokja.selesai.is_(None))))
        if after:
            stmt = stmt.where(tuple_(m.Pokja.dibentuk_pada, m.Pokja.id) > (datetime.fromisoformat(str(after[0])),
                                                                           str(after[1])))
        rows = list((await uow.session.scalars(stmt)).all())
        return page_of(await pokja_public(uow.session, rows), limit, key=lambda p: (p.dibentuk_pada, p.id))


# --- workload (Pasal 7) -------------------------------------------------------------------------


async def _beban(session: AsyncSession) -> tuple[list[m.Pokja], dict[str, list[m.AnggotaPokja]],
                                                 dict[str, list[m.Paket]], dict[str, int]]:
    pokja = list((await session.scalars(select(m.Pokja).where(m.Pokja.status == "aktif")
                                        .order_by(m.Pokja.dibentuk_pada, m.Pokja.id))).all())
    ids = [p.id for p in pokja]
    anggota, paket = defaultdict(list), defaultdict(list)
    for a in await repo.anggota_aktif(session, ids):
        anggota[a.pokja_id].append(a)
    for k in await repo.paket_milik_pokja(session, ids):
        paket[k.pokja_id].append(k)
    pejabat = list((await session.scalars(select(m.PejabatPengadaan).where(m.PejabatPengadaan.status == "aktif"))))
    nip_pejabat = {p.id: p.nip for p in pejabat}
    paket_pejabat: dict[str, int] = defaultdict(int)
    for k in await repo.paket_milik_pejabat(session, list(nip_pejabat)):
        if _berjalan(k):
            paket_pejabat[nip_pejabat[k.pejabat_pengadaan_id]] += 1
    return pokja, anggota, paket, paket_pejabat


async def beban_kerja(*, uow: UnitOfWork) -> BebanKerja:
    """Packages per active Pokja and per person (Pasal 7 ayat 1 huruf c: analisis beban kerja)."""
    async with uow:
        s = uow.session
        pokja, anggota, paket, paket_pejabat = await _beban(s)
        per_nip: dict[str, list[str]] = defaultdict(list)
        berjalan_nip: dict[str, int] = defaultdict(int)
        for p in pokja:
            n = sum(_berjalan(k) for k in paket[p.id])
            for a in anggota[p.id]:
                per_nip[a.nip].append(p.id)
                berjalan_nip[a.nip] += n
        pegawai = list((await s.scalars(select(m.Pegawai).order_by(m.Pegawai.nip))).all())
        return BebanKerja(
            tanggal=hari_ini(),
            pokja=[BebanPokja(id=p.id, nama=p.nama, nomor_sk=p.nomor_sk, jumlah_anggota=len(anggota[p.id]),
                              jumlah_paket=len(paket[p.id]), paket_berjalan=sum(_berjalan(k) for k in paket[p.id]),
                              paket=[k.kode for k in paket[p.id]]) for p in pokja],
            pegawai=[BebanPegawai(nip=g.nip, nama=g.nama, jabatan=g.jabatan, pokja=per_nip[g.nip],
                                  paket_pokja=berjalan_nip[g.nip], paket_pejabat_pengadaan=paket_pejabat[g.nip],
                                  beban=berjalan_nip[g.nip] + paket_pejabat[g.nip]) for g in pegawai],
        )


async def saran_anggota(jumlah: int, kode_paket: str | None, *, uow: UnitOfWork) -> SaranAnggota:
    """Eligible members with the lowest current load, Pengelola PBJ first (Pasal 7, 12, 15)."""
    tanggal = hari_ini()
    async with uow:
        s = uow.session
        paket = repo.ke_paket(await _paket_atau_404(s, kode_paket)) if kode_paket else None
        pokja, anggota, paket_pokja, paket_pejabat = await _beban(s)
        beban: dict[str, int] = defaultdict(int, paket_pejabat)
        for p in pokja:
            n = sum(_berjalan(k) for k in paket_pokja[p.id])
            for a in anggota[p.id]:
                beban[a.nip] += n
        semua = await repo.pegawai_per_nip(s, (await s.scalars(select(m.Pegawai.nip))).all())
        kandidat = [repo.ke_pegawai(*v) for v in semua.values()]
        dipilih = domain.saran_anggota(kandidat, beban, jumlah, paket, tanggal=tanggal)
        return SaranAnggota(jumlah=jumlah, paket=kode_paket, tanggal=tanggal, anggota=[
            CalonPublic(nip=p.nip, nama=semua[p.nip][0].nama, jabatan=p.jabatan, unit=p.unit, beban=beban[p.nip])
            for p in dipilih])


# --- Pejabat Pengadaan (Pasal 16) ---------------------------------------------------------------


async def tugaskan_pejabat(cmd: PejabatPengadaanCreate, *, uow: UnitOfWork) -> PejabatPengadaanPublic:
    """Assign a certified Pengelola PBJ as Pejabat Pengadaan at a satker on its KPA's request (Pasal 16)."""
    tanggal, penugasan_id = hari_ini(), new_id()
    async with uow:
        s = uow.session

        async def periksa(terkunci: bool) -> domain.PejabatPengadaan:
            pegawai = await repo.pegawai_per_nip(s, [cmd.nip])
            _pastikan_pegawai_dikenal([cmd.nip], pegawai, "pejabat", rule=domain.PASAL_16)
            pejabat = domain.PejabatPengadaan.tugaskan(
                pegawai=repo.ke_pegawai(*pegawai[cmd.nip]), satuan_kerja=cmd.satuan_kerja,
                nomor_permintaan_kpa=cmd.nomor_permintaan_kpa, tanggal=tanggal)
            ada = await s.scalar(select(m.PejabatPengadaan.id).where(
                m.PejabatPengadaan.nip == cmd.nip, m.PejabatPengadaan.satuan_kerja == cmd.satuan_kerja,
                m.PejabatPengadaan.status == "aktif"))
            if ada:
                raise Conflict(f"NIP {cmd.nip} sudah menjadi Pejabat Pengadaan di {cmd.satuan_kerja} "
                               f"(/api/v1/pejabat-pengadaan/{ada}).")
            return pejabat

        pejabat = await _periksa_lalu_kunci(periksa, lambda: repo.kunci(s, nip=[cmd.nip]))
        now = now_utc()
        row = m.PejabatPengadaan(id=penugasan_id, nip=cmd.nip, satuan_kerja=cmd.satuan_kerja,
                                 nomor_permintaan_kpa=cmd.nomor_permintaan_kpa, status="aktif", perlu_diganti=False,
                                 versi=len(pejabat.events), ditugaskan_pada=now, diperbarui_pada=now)
        s.add(row)
        await _flush_unik(s, f"NIP {cmd.nip} sudah menjadi Pejabat Pengadaan di {cmd.satuan_kerja}.")
        uow.emit("pokja.pejabat_pengadaan.ditugaskan", kontrak.PejabatPengadaanDitugaskan(
            penugasan_id=row.id, nip=row.nip, satuan_kerja=row.satuan_kerja,
            nomor_permintaan_kpa=row.nomor_permintaan_kpa, waktu=now), aggregate_id=row.id, aggregate_version=row.versi)
        uow.record("pejabat_pengadaan", row.id, "ditugaskan", cmd.model_dump(mode="json"))
        return await uow.commit((await pejabat_public(s, [row]))[0])


async def _pejabat_atau_404(session: AsyncSession, penugasan_id: str, *, untuk_diubah: bool = False
                            ) -> m.PejabatPengadaan:
    row = await repo.pejabat_row(session, penugasan_id, untuk_diubah=untuk_diubah)
    if row is None:
        raise NotFound(f"Penugasan Pejabat Pengadaan {penugasan_id} tidak ditemukan.")
    return row


async def tugaskan_paket_pejabat(penugasan_id: str, kode: Sequence[str], *, expected: int | None,
                                 uow: UnitOfWork) -> PejabatPengadaanPublic:
    """Give a Pejabat Pengadaan packages of its satker within the Pengadaan Langsung limits."""
    tanggal = hari_ini()
    async with uow:
        s = uow.session
        nip = (await _pejabat_atau_404(s, penugasan_id)).nip

        async def periksa(terkunci: bool):  # type: ignore[no-untyped-def]
            row = await _pejabat_atau_404(s, penugasan_id, untuk_diubah=terkunci)
            check_version(row.versi, expected)
            pegawai = await repo.pegawai_per_nip(s, [row.nip])
            domain.periksa_user_spse([repo.ke_pegawai(*pegawai[row.nip])])
            pejabat = repo.ke_pejabat(row, await repo.paket_milik_pejabat(s, [row.id]))
            paket = await _paket_bebas(s, kode, "paket")
            for k in kode:
                pejabat.tugaskan_paket(repo.ke_paket(paket[k]), tanggal=tanggal, ambang=AMBANG)
            return row, pejabat, paket

        row, pejabat, paket = await _periksa_lalu_kunci(periksa, lambda: repo.kunci(s, nip=[nip], paket=kode))
        now = now_utc()
        for e in pejabat.events:
            assert isinstance(e, domain.PaketDitugaskan)
            _tandai_paket(uow, paket[e.kode_paket], now, pejabat_id=row.id)
            row.versi += 1
            uow.emit("pokja.pejabat_pengadaan.paket_ditugaskan", kontrak.PaketDitugaskanKePejabatPengadaan(
                penugasan_id=row.id, nip=row.nip, kode_paket=e.kode_paket, waktu=now),
                aggregate_id=row.id, aggregate_version=row.versi)
        row.diperbarui_pada = now
        uow.record("pejabat_pengadaan", row.id, "paket_ditugaskan", {"paket": list(kode)})
        await s.flush()
        return await uow.commit((await pejabat_public(s, [row]))[0])


async def baca_pejabat(penugasan_id: str, *, uow: UnitOfWork) -> PejabatPengadaanPublic:
    """One Pejabat Pengadaan assignment with its packages."""
    async with uow:
        return (await pejabat_public(uow.session, [await _pejabat_atau_404(uow.session, penugasan_id)]))[0]


async def daftar_pejabat(*, satuan_kerja: str | None, limit: int, cursor: str | None, uow: UnitOfWork) -> dict:
    """Pejabat Pengadaan assignments in order."""
    after = decode_cursor(cursor)
    async with uow:
        stmt = (select(m.PejabatPengadaan).order_by(m.PejabatPengadaan.ditugaskan_pada, m.PejabatPengadaan.id)
                .limit(limit + 1))
        if satuan_kerja:
            stmt = stmt.where(m.PejabatPengadaan.satuan_kerja == satuan_kerja)
        if after:
            stmt = stmt.where(tuple_(m.PejabatPengadaan.ditugaskan_pada, m.PejabatPengadaan.id)
                              > (datetime.fromisoformat(str(after[0])), str(after[1])))
        rows = list((await uow.session.scalars(stmt)).all())
        return page_of(await pejabat_public(uow.session, rows), limit, key=lambda p: (p.ditugaskan_pada, p.id))


# --- selection reports (Pasal 17) ---------------------------------------------------------------


async def laporkan_hasil(kode: str, cmd: HasilPemilihanCreate, *, pelapor: Principal, uow: UnitOfWork) -> PaketPublic:
    """Record the outcome reported by the package's Pokja member or Pejabat Pengadaan (Pasal 17)."""
    nip = pelapor.nip or pelapor.sub
    if cmd.tanggal > hari_ini():
        raise ValidationFailed("tanggal: hasil pemilihan tidak dapat dilaporkan untuk tanggal yang akan datang.",
                               errors=[FieldError("tanggal", "setelah hari ini (WIB)")])
    hasil = domain.HasilPemilihan(status=cmd.status, tanggal=cmd.tanggal, nilai_kontrak=cmd.nilai_kontrak,
                                  pemenang=cmd.pemenang, keterangan=cmd.keterangan)
    async with uow:
        s = uow.session

        async def periksa(terkunci: bool):  # type: ignore[no-untyped-def]
            row = await _paket_atau_404(s, kode, untuk_diubah=terkunci)
            pokja = pejabat = None
            if row.pokja_id and "pokja" in pelapor.roles:
                prow = await _pokja_atau_404(s, row.pokja_id)
                pokja = repo.ke_pokja(prow, await repo.anggota_aktif(s, [prow.id]),
                                      await repo.paket_milik_pokja(s, [prow.id]))
            if row.pejabat_pengadaan_id and "pejabat_pengadaan" in pelapor.roles:
                jrow = await _pejabat_atau_404(s, row.pejabat_pengadaan_id)
                pejabat = repo.ke_pejabat(jrow, await repo.paket_milik_pejabat(s, [jrow.id]))
            paket = repo.ke_paket(row)
            paket.laporkan_hasil(hasil, pelapor_nip=nip, pokja=pokja, pejabat=pejabat)
            return row, paket

        row, paket = await _periksa_lalu_kunci(periksa, lambda: repo.kunci(s, paket=[kode]))
        now = now_utc()
        pelaksana = "pokja" if row.pokja_id else "pejabat_pengadaan"
        row.hasil = {"status": cmd.status, "tanggal": cmd.tanggal.isoformat(), "nilai_kontrak": cmd.nilai_kontrak,
                     "pemenang": cmd.pemenang, "keterangan": cmd.keterangan, "pelapor_nip": nip,
                     "pelaksana": pelaksana, "dilaporkan_pada": now.isoformat()}
        row.versi += 1
        row.diperbarui_pada = now
        uow.emit("pokja.paket.hasil_pemilihan_dilaporkan", kontrak.HasilPemilihanDilaporkan(
            kode=kode, waktu=now, status=cmd.status, tanggal=cmd.tanggal, nilai_kontrak=cmd.nilai_kontrak,
            pemenang=cmd.pemenang, pelapor_nip=nip, pelaksana=pelaksana,
            pelaksana_id=row.pokja_id or row.pejabat_pengadaan_id, jenis_pengadaan=row.jenis_pengadaan,
            metode_pemilihan=paket.metode, pagu=row.pagu, hps=row.hps, tahun_anggaran=row.tahun_anggaran),
            aggregate_id=kode, aggregate_version=row.versi)
        uow.record("paket", kode, "hasil_dilaporkan", row.hasil, alasan=cmd.keterangan)
        return await uow.commit((await paket_public(s, [row]))[0])


# --- history, SK, thresholds --------------------------------------------------------------------


async def riwayat(jenis: str, aggregate_id: str, *, limit: int, cursor: str | None, uow: UnitOfWork) -> dict:
    """The change history (who, when, what, why) of a Pokja, package or Pejabat Pengadaan, oldest first."""
    after = decode_cursor(cursor)
    async with uow:
        s = uow.session
        model = {"pokja": m.Pokja, "paket": m.Paket, "pejabat_pengadaan": m.PejabatPengadaan, "pegawai": m.Pegawai}
        if await s.get(model[jenis], aggregate_id) is None:
            raise NotFound(f"{jenis.replace('_', ' ').capitalize()} {aggregate_id} tidak ditemukan.")
        rows = await repo.riwayat(s, jenis, aggregate_id, setelah=int(after[0]) if after else 0, n=limit + 1)
        data = [RiwayatPublic(id=r.id, waktu=r.waktu, aksi=r.aksi, aktor=r.aktor, peran=r.peran,
                              perubahan=r.perubahan, alasan=r.alasan) for r in rows]
        return page_of(data, limit, key=lambda r: (r.id,))


async def sk_pokja(pokja_id: str, *, uow: UnitOfWork) -> tuple[bytes, int]:
    """The SK forming the Pokja as PDF, with the Pokja version it shows (Pasal 9, 15)."""
    async with uow:
        s = uow.session
        row = await _pokja_atau_404(s, pokja_id)
        anggota = await repo.anggota_aktif(s, [row.id])
        pegawai = await repo.pegawai_per_nip(s, [a.nip for a in anggota])
        urutan = {"ketua": 0, "sekretaris": 1, "anggota": 2}
        data = DataSk(
            nomor_sk=row.nomor_sk, nama_pokja=row.nama, tanggal=row.tanggal_sk,
            anggota=tuple(AnggotaSk(nama=pegawai[a.nip][0].nama, nip=a.nip, jabatan=pegawai[a.nip][0].jabatan,
                                    nama_jabatan=pegawai[a.nip][0].nama_jabatan,
                                    satuan_kerja=pegawai[a.nip][0].satuan_kerja, peran=a.peran)
                          for a in sorted(anggota, key=lambda a: (urutan[a.peran], a.urutan))),
            paket=tuple(PaketSk(kode=k.kode, nama=k.nama, satuan_kerja=k.satuan_kerja,
                                jenis_pengadaan=k.jenis_pengadaan, hps=k.hps,
                                metode_pemilihan=k.metode_manual or k.metode_pemilihan)
                        for k in await repo.paket_milik_pokja(s, [row.id])),
            penetap_nama=row.penetap_nama, penetap_nip=row.penetap_nip,
            dibubarkan_pada=row.dibubarkan_pada.astimezone(WIB).date() if row.dibubarkan_pada else None,
            alasan_pembubaran=row.alasan_pembubaran,
        )
        return buat_sk(data), row.versi


def daftar_ambang() -> list[AmbangPublic]:
    """The dated value thresholds (DOMAIN.md rules 17-18), the one in force today marked."""
    sekarang = ambang_pada(hari_ini(), AMBANG)
    return [AmbangPublic(berlaku_mulai=a.berlaku_mulai, dasar=a.dasar, berlaku_sekarang=a is sekarang,
                         pengadaan_langsung=dict(a.pengadaan_langsung), pemenang_oleh_pokja=dict(a.pemenang_oleh_pokja))
            for a in AMBANG]
