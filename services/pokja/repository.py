"""Rows <-> domain objects, and the locks the rules depend on.

Locking order, the same in every use case so two transactions can never wait on each other in a
circle: first `pg_advisory_xact_lock` on every involved NIP and package code (sorted, one at a time),
then `SELECT ... FOR UPDATE` on the aggregate row(s) (sorted by id). A transaction holding a row lock
therefore never waits for an advisory lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.pokja import domain
from services.pokja import models as m
from shared.pg import advisory_key

_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def kunci_nip(nip: str) -> int:
    """The advisory-lock key of a person (64-bit, stable across processes)."""
    return advisory_key("pokja:nip", nip)


def kunci_paket(kode: str) -> int:
    """The advisory-lock key of a package."""
    return advisory_key("pokja:paket", kode)


async def kunci(session: AsyncSession, *, nip: Iterable[str] = (), paket: Iterable[str] = ()) -> None:
    """Take the transaction's advisory locks on these NIPs and package codes, in sorted key order."""
    keys = sorted({kunci_nip(n) for n in nip} | {kunci_paket(k) for k in paket})
    for key in keys:
        await session.execute(_LOCK, {"key": key})


def _segar(stmt):  # type: ignore[no-untyped-def]
    """Every read refreshes the identity map: a re-check under lock must see committed state."""
    return stmt.execution_options(populate_existing=True)


# --- pegawai ------------------------------------------------------------------------------------


async def pegawai_per_nip(session: AsyncSession, nips: Iterable[str]) -> dict[str, tuple[m.Pegawai, str]]:
    """Personnel rows with the state of their SPSE User ID (`belum_terdaftar` when none is known)."""
    nips = list(dict.fromkeys(nips))
    if not nips:
        return {}
    rows = await session.execute(_segar(
        select(m.Pegawai, m.StatusSpse.status)
        .outerjoin(m.StatusSpse, m.StatusSpse.nip == m.Pegawai.nip)
        .where(m.Pegawai.nip.in_(nips))
    ))
    return {row.nip: (row, status or "belum_terdaftar") for row, status in rows.all()}


async def status_spse(session: AsyncSession, nip: str) -> str:
    row = await session.get(m.StatusSpse, nip, populate_existing=True)
    return row.status if row else "belum_terdaftar"


def ke_sertifikat(data: dict) -> domain.Sertifikat:
    return domain.Sertifikat(jenis=data["jenis"], level=data["level"], nomor=data["nomor"],
                             berlaku_sampai=date.fromisoformat(data["berlaku_sampai"]))


def ke_pegawai(row: m.Pegawai, status: str) -> domain.Pegawai:
    return domain.Pegawai(nip=row.nip, nama=row.nama, jabatan=row.jabatan, unit=row.unit,
                          satuan_kerja=row.satuan_kerja, sertifikat=[ke_sertifikat(s) for s in row.sertifikat],
                          peran_lpse=row.peran_lpse, status_spse=status)


def ke_koordinasi(data: dict | None) -> domain.KoordinasiSatker | None:
    if not data:
        return None
    return domain.KoordinasiSatker(satuan_kerja=data["satuan_kerja"], pimpinan=data["pimpinan"],
                                   tanggal=date.fromisoformat(data["tanggal"]), nomor_surat=data.get("nomor_surat"))


# --- paket --------------------------------------------------------------------------------------


async def paket_per_kode(session: AsyncSession, kode: Iterable[str], *, untuk_diubah: bool = False
                         ) -> dict[str, m.Paket]:
    kode = sorted(set(kode))
    if not kode:
        return {}
    # one code (every read by id): `=` binds once, an expanding IN is re-rendered per execution
    where = m.Paket.kode == kode[0] if len(kode) == 1 else m.Paket.kode.in_(kode)
    stmt = select(m.Paket).where(where).order_by(m.Paket.kode)
    if untuk_diubah:
        stmt = stmt.with_for_update()
    return {row.kode: row for row in (await session.scalars(_segar(stmt))).all()}


async def paket_milik_pokja(session: AsyncSession, pokja_ids: Sequence[str]) -> list[m.Paket]:
    if not pokja_ids:
        return []
    stmt = select(m.Paket).where(m.Paket.pokja_id.in_(pokja_ids)).order_by(m.Paket.kode)
    return list((await session.scalars(_segar(stmt))).all())


async def paket_milik_pejabat(session: AsyncSession, ids: Sequence[str]) -> list[m.Paket]:
    if not ids:
        return []
    stmt = select(m.Paket).where(m.Paket.pejabat_pengadaan_id.in_(ids)).order_by(m.Paket.kode)
    return list((await session.scalars(_segar(stmt))).all())


def ke_hasil(data: dict | None) -> domain.HasilPemilihan | None:
    if not data:
        return None
    return domain.HasilPemilihan(status=data["status"], tanggal=date.fromisoformat(data["tanggal"]),
                                 nilai_kontrak=data.get("nilai_kontrak"), pemenang=data.get("pemenang"),
                                 keterangan=data.get("keterangan"))


def ke_paket(row: m.Paket) -> domain.Paket:
    return domain.Paket(
        kode=row.kode, nama=row.nama, satuan_kerja=row.satuan_kerja, jenis_pengadaan=row.jenis_pengadaan,
        pagu=row.pagu, hps=row.hps, tahun_anggaran=row.tahun_anggaran, perencana_nip=row.perencana_nip,
        ppk_nip=row.ppk_nip, pemeriksa_nip=row.pemeriksa_nip, metode_pemilihan=row.metode_pemilihan,
        metode_manual=row.metode_manual, alasan_metode=row.alasan_metode, hasil=ke_hasil(row.hasil),
    )


# --- pokja --------------------------------------------------------------------------------------


async def pokja_row(session: AsyncSession, pokja_id: str, *, untuk_diubah: bool = False) -> m.Pokja | None:
    stmt = select(m.Pokja).where(m.Pokja.id == pokja_id)
    if untuk_diubah:
        stmt = stmt.with_for_update()
    return (await session.scalars(_segar(stmt))).first()


async def anggota_aktif(session: AsyncSession, pokja_ids: Sequence[str]) -> list[m.AnggotaPokja]:
    """Current memberships (not yet ended) of these Pokja, in order of appointment."""
    if not pokja_ids:
        return []
    stmt = (select(m.AnggotaPokja)
            .where(m.AnggotaPokja.pokja_id.in_(pokja_ids), m.AnggotaPokja.selesai.is_(None))
            .order_by(m.AnggotaPokja.pokja_id, m.AnggotaPokja.urutan))
    return list((await session.scalars(_segar(stmt))).all())


def ke_pokja(row: m.Pokja, anggota: Sequence[m.AnggotaPokja], paket: Sequence[m.Paket]) -> domain.Pokja:
    return domain.Pokja(
        id=row.id, nama=row.nama, nomor_sk=row.nomor_sk,
        anggota=[domain.Keanggotaan(a.nip, ke_koordinasi(a.koordinasi_satker)) for a in anggota],
        paket=[p.kode for p in paket], status=row.status, alasan_pembubaran=row.alasan_pembubaran,
    )


# --- Pejabat Pengadaan --------------------------------------------------------------------------


async def pejabat_row(session: AsyncSession, penugasan_id: str, *, untuk_diubah: bool = False
                      ) -> m.PejabatPengadaan | None:
    stmt = select(m.PejabatPengadaan).where(m.PejabatPengadaan.id == penugasan_id)
    if untuk_diubah:
        stmt = stmt.with_for_update()
    return (await session.scalars(_segar(stmt))).first()


def ke_pejabat(row: m.PejabatPengadaan, paket: Sequence[m.Paket]) -> domain.PejabatPengadaan:
    return domain.PejabatPengadaan(nip=row.nip, satuan_kerja=row.satuan_kerja,
                                   nomor_permintaan_kpa=row.nomor_permintaan_kpa, paket=[p.kode for p in paket])


# --- history ------------------------------------------------------------------------------------

_RIWAYAT = text(
    "SELECT id, waktu, aksi, aktor, peran, perubahan, alasan FROM riwayat"
    " WHERE aggregate_type = :jenis AND aggregate_id = :id AND id > :setelah ORDER BY id LIMIT :n"
)


async def riwayat(session: AsyncSession, jenis: str, aggregate_id: str, *, setelah: int, n: int) -> list:
    return list((await session.execute(_RIWAYAT, {"jenis": jenis, "id": aggregate_id, "setelah": setelah,
                                                  "n": n})).all())

