"""Plain asyncpg SQL of pokja's hot paths (issue 9): read and list packages, record a package, form a Pokja.

The same rows as repository.py's ORM queries, in the fewest round trips: a package comes with the
name of its executor (Pokja or Pejabat Pengadaan) in one statement, a list page in one statement,
a new package is checked and inserted in one statement. Parameters are `$n`, so asyncpg prepares
each text once per connection; a list's text is built once per combination of filters and kept.
`jsonb` columns arrive as text (no codec on the pool); the caller parses what it needs.

Rows come back as `asyncpg.Record`s whose columns are in the order of `PAKET_KOLOM`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import asyncpg
import orjson

from services.pokja import domain
from services.pokja import repository as repo

# The columns of a package as the API shows it, then the names of its executor.
PAKET_KOLOM = ("kode", "nama", "satuan_kerja", "jenis_pengadaan", "pagu", "hps", "tahun_anggaran", "perencana_nip",
               "ppk_nip", "pemeriksa_nip", "metode_pemilihan", "metode_manual", "alasan_metode", "tanggal_metode",
               "pokja_id", "pejabat_pengadaan_id", "hasil", "versi", "dibuat_pada")
# The executor's name by a guarded scalar subquery: cheaper than outer joins, and nothing runs for the
# (usual) package without one.
_PILIH = (", ".join(f"p.{k}" for k in PAKET_KOLOM)
          + ", CASE WHEN p.pokja_id IS NOT NULL THEN (SELECT nama FROM pokja WHERE id = p.pokja_id) END"
          " AS nama_pokja, CASE WHEN p.pejabat_pengadaan_id IS NOT NULL THEN (SELECT g.nama FROM pejabat_pengadaan j"
          " JOIN pegawai g ON g.nip = j.nip WHERE j.id = p.pejabat_pengadaan_id) END AS nama_pejabat")

_PAKET = f"SELECT {_PILIH} FROM paket p WHERE p.kode = $1"
# What identifies the version of a package's representation (list rows kept rendered, issue 9): its
# `versi` and `xmin` (moved by any UPDATE), and the `xmin` of the rows its executor's name comes from.
_VERSI = ("p.versi, p.xmin::text AS xmin, CASE WHEN p.pokja_id IS NOT NULL THEN (SELECT xmin::text FROM pokja"
          " WHERE id = p.pokja_id) END AS xmin_pokja, CASE WHEN p.pejabat_pengadaan_id IS NOT NULL THEN"
          " (SELECT j.xmin::text || '/' || g.xmin::text FROM pejabat_pengadaan j JOIN pegawai g ON g.nip = j.nip"
          " WHERE j.id = p.pejabat_pengadaan_id) END AS xmin_pejabat")
_KOLOM_KUNCI = f"p.kode, {_VERSI}"
# Packages by code, each with its version columns after `_PILIH`'s: the rows of a page not rendered yet.
BACA_BANYAK = f"SELECT {_PILIH}, {_VERSI} FROM paket p WHERE p.kode = ANY($1::text[])"
KOLOM_TAMPIL = len(PAKET_KOLOM) + 2  # `_PILIH`'s columns: what `service.paket_publik` unpacks


async def paket(conn: asyncpg.Connection, kode: str) -> asyncpg.Record | None:
    """One package with its executor's name, or None."""
    return await conn.fetchrow(_PAKET, kode)


# --- list page ----------------------------------------------------------------------------------

_SYARAT_PELAKSANA = {
    "belum": "p.pokja_id IS NULL AND p.pejabat_pengadaan_id IS NULL",
    "pokja": "p.pokja_id IS NOT NULL",
    "pejabat_pengadaan": "p.pejabat_pengadaan_id IS NOT NULL",
}
_DAFTAR: dict[tuple[bool, bool, bool, str | None, bool, bool], str] = {}


def _sql_daftar(tahun: bool, satker: bool, metode: bool, pelaksana: str | None, setelah: bool,
                hanya_kunci: bool = False) -> str:
    """The list statement for this combination of filters: the packages, or with `hanya_kunci` only what
    identifies their versions (`_KOLOM_KUNCI`)."""
    kunci = (tahun, satker, metode, pelaksana, setelah, hanya_kunci)
    sql = _DAFTAR.get(kunci)
    if sql is not None:
        return sql
    syarat: list[str] = []
    n = 0

    def param() -> str:
        nonlocal n
        n += 1
        return f"${n}"

    if tahun:
        syarat.append(f"p.tahun_anggaran = {param()}")
    if satker:
        syarat.append(f"p.satuan_kerja = {param()}")
    if metode:
        m = param()
        syarat.append(f"(p.metode_manual = {m} OR (p.metode_manual IS NULL AND p.metode_pemilihan = {m}))")
    if pelaksana is not None:
        syarat.append(_SYARAT_PELAKSANA[pelaksana])
    if setelah:
        syarat.append(f"p.kode > {param()}")
    where = " WHERE " + " AND ".join(syarat) if syarat else ""
    sql = f"SELECT {_KOLOM_KUNCI if hanya_kunci else _PILIH} FROM paket p{where} ORDER BY p.kode LIMIT {param()}"
    _DAFTAR[kunci] = sql
    return sql


async def daftar_paket(conn: asyncpg.Connection, *, tahun_anggaran: int | None, satuan_kerja: str | None,
                       metode: str | None, pelaksana: str | None, setelah: str | None, n: int,
                       hanya_kunci: bool = False) -> list[asyncpg.Record]:
    """Up to `n` packages ordered by code, after `setelah` when given (filters as the ORM query had them);
    with `hanya_kunci` only their codes and version columns."""
    args: list[object] = [v for v in (tahun_anggaran, satuan_kerja, metode) if v]
    if setelah is not None:
        args.append(setelah)
    args.append(n)
    sql = _sql_daftar(bool(tahun_anggaran), bool(satuan_kerja), bool(metode), pelaksana or None,
                      setelah is not None, hanya_kunci)
    return await conn.fetch(sql, *args)


async def baca_banyak(conn: asyncpg.Connection, kode: list[str]) -> dict[str, asyncpg.Record]:
    """Packages by code with their version columns (`BACA_BANYAK`)."""
    return {r["kode"]: r for r in await conn.fetch(BACA_BANYAK, kode)}


# --- record -------------------------------------------------------------------------------------

# A code already recorded (visible at the statement's start) inserts nothing and returns no row;
# one inserted by a transaction running at the same time raises UniqueViolationError on the primary key.
# One INSERT ... RETURNING (no WITH of its own): the unit of work writes it with the outbox, history and
# idempotency rows as one statement (`UnitOfWork.commit_with`).
CATAT_PAKET = (
    "INSERT INTO paket (kode, nama, satuan_kerja, jenis_pengadaan, pagu, hps, tahun_anggaran, perencana_nip,"
    " ppk_nip, pemeriksa_nip, metode_pemilihan, tanggal_metode, versi, dibuat_pada, diperbarui_pada)"
    " SELECT $1::text, $2::text, $3::text, $4::text, $5::bigint, $6::bigint, $7::int, $8::text, $9::text, $10::text,"
    " $11::text, $12::date, 1, $13::timestamptz, $13::timestamptz"
    " WHERE NOT EXISTS (SELECT 1 FROM paket WHERE kode = $1::text) RETURNING versi"
)


def catat_paket(*, kode: str, nama: str, satuan_kerja: str, jenis_pengadaan: str, pagu: int, hps: int,
                tahun_anggaran: int, perencana_nip: str | None, ppk_nip: str | None, pemeriksa_nip: str | None,
                metode_pemilihan: str, tanggal_metode: date, waktu: datetime) -> tuple[str, tuple[Any, ...]]:
    """The statement recording a new package (version 1) and its arguments, for `UnitOfWork.commit_with`:
    it returns no row when the code is already recorded, and raises `asyncpg.UniqueViolationError` when
    another transaction records the same code at the same time."""
    return CATAT_PAKET, (kode, nama, satuan_kerja, jenis_pengadaan, pagu, hps, tahun_anggaran, perencana_nip,
                         ppk_nip, pemeriksa_nip, metode_pemilihan, tanggal_metode, waktu)


# --- Pokja formation ----------------------------------------------------------------------------

# Everything the rules of a formation read, in one statement: the proposed members with the state of
# their SPSE User ID, whether the SK number is taken, and the named packages (ordered by code, as the
# ORM read them) with the name of the package's Pokja when that Pokja is active.
_PERIKSA_BENTUK = (
    "SELECT (SELECT coalesce(json_agg(json_build_object("
    "'nip', g.nip, 'nama', g.nama, 'jabatan', g.jabatan, 'nama_jabatan', g.nama_jabatan, 'unit', g.unit,"
    " 'satuan_kerja', g.satuan_kerja, 'sertifikat', g.sertifikat, 'peran_lpse', g.peran_lpse,"
    " 'status_spse', coalesce(s.status, 'belum_terdaftar'))), '[]')"
    " FROM pegawai g LEFT JOIN status_spse s ON s.nip = g.nip WHERE g.nip = ANY($1::text[])) AS pegawai,"
    " (SELECT id FROM pokja WHERE nomor_sk = $2 LIMIT 1) AS pokja_sk,"
    " (SELECT coalesce(json_agg(json_build_object("
    "'kode', p.kode, 'nama', p.nama, 'satuan_kerja', p.satuan_kerja, 'jenis_pengadaan', p.jenis_pengadaan,"
    " 'pagu', p.pagu, 'hps', p.hps, 'tahun_anggaran', p.tahun_anggaran, 'perencana_nip', p.perencana_nip,"
    " 'ppk_nip', p.ppk_nip, 'pemeriksa_nip', p.pemeriksa_nip, 'metode_pemilihan', p.metode_pemilihan,"
    " 'metode_manual', p.metode_manual, 'alasan_metode', p.alasan_metode, 'hasil', p.hasil, 'pokja_id', p.pokja_id,"
    " 'pejabat_pengadaan_id', p.pejabat_pengadaan_id, 'nama_pokja_aktif', k.nama) ORDER BY p.kode), '[]')"
    " FROM paket p LEFT JOIN pokja k ON k.id = p.pokja_id AND k.status = 'aktif'"
    " WHERE p.kode = ANY($3::text[])) AS paket"
)


async def periksa_bentuk(conn: asyncpg.Connection, nips: Sequence[str], nomor_sk: str, kode: Sequence[str]
                         ) -> tuple[dict[str, dict[str, Any]], str | None, dict[str, dict[str, Any]]]:
    """(pegawai by NIP, the id of the Pokja holding `nomor_sk` or None, packages by code in code order)."""
    row = await conn.fetchrow(_PERIKSA_BENTUK, list(nips), nomor_sk, list(kode))
    pegawai = {g["nip"]: g for g in orjson.loads(row["pegawai"])}
    paket = {p["kode"]: p for p in orjson.loads(row["paket"])}
    return pegawai, row["pokja_sk"], paket


def ke_pegawai(data: dict[str, Any]) -> domain.Pegawai:
    """A person of `periksa_bentuk` as the rules see them (repository.ke_pegawai of a JSON row)."""
    return domain.Pegawai(nip=data["nip"], nama=data["nama"], jabatan=data["jabatan"], unit=data["unit"],
                          satuan_kerja=data["satuan_kerja"],
                          sertifikat=[repo.ke_sertifikat(s) for s in data["sertifikat"]],
                          peran_lpse=data["peran_lpse"], status_spse=data["status_spse"])


def ke_paket(data: dict[str, Any]) -> domain.Paket:
    """A package of `periksa_bentuk` as the rules see it (repository.ke_paket of a JSON row)."""
    return domain.Paket(
        kode=data["kode"], nama=data["nama"], satuan_kerja=data["satuan_kerja"],
        jenis_pengadaan=data["jenis_pengadaan"], pagu=data["pagu"], hps=data["hps"],
        tahun_anggaran=data["tahun_anggaran"], perencana_nip=data["perencana_nip"], ppk_nip=data["ppk_nip"],
        pemeriksa_nip=data["pemeriksa_nip"], metode_pemilihan=data["metode_pemilihan"],
        metode_manual=data["metode_manual"], alasan_metode=data["alasan_metode"], hasil=repo.ke_hasil(data["hasil"]),
    )


# The advisory locks of repository.kunci (same keys, same sorted order, one after the other) in one
# round trip: unnest yields the keys in array order and each lock is taken before the next row.
_KUNCI = "SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k"


async def kunci(conn: asyncpg.Connection, *, nip: Iterable[str] = (), paket: Iterable[str] = ()) -> None:
    """Take the transaction's advisory locks on these NIPs and package codes, in sorted key order."""
    keys = sorted({repo.kunci_nip(n) for n in nip} | {repo.kunci_paket(k) for k in paket})
    if keys:
        await conn.execute(_KUNCI, keys)


# The Pokja row (at its final version), its members in order of appointment and its packages, in one
# statement; `uq_pokja_nomor_sk` raises UniqueViolationError when the SK number was taken meanwhile.
_BENTUK = (
    "WITH pokja_baru AS (INSERT INTO pokja (id, nama, nomor_sk, tanggal_sk, status, penetap_nip, penetap_nama, versi,"
    " dibentuk_pada, diperbarui_pada) VALUES ($1, $2, $3, $4, 'aktif', $5, $6, $7, $8, $8)),"
    " anggota_baru AS (INSERT INTO anggota_pokja (pokja_id, nip, urutan, peran, koordinasi_satker, perlu_diganti,"
    " mulai) SELECT $1, a.nip, a.urutan, a.peran, a.koordinasi, false, $8"
    " FROM unnest($9::text[], $10::int[], $11::text[], $12::jsonb[]) AS a(nip, urutan, peran, koordinasi))"
    " UPDATE paket SET pokja_id = $1, pejabat_pengadaan_id = NULL, versi = versi + 1, diperbarui_pada = $8"
    " WHERE kode = ANY($13::text[])"
)
KENDALA_NOMOR_SK = "uq_pokja_nomor_sk"


async def bentuk_pokja(conn: asyncpg.Connection, *, pokja_id: str, nama: str, nomor_sk: str, tanggal_sk: date,
                       penetap_nip: str | None, penetap_nama: str | None, versi: int, waktu: datetime,
                       anggota: Sequence[tuple[str, str, str | None]], paket: Sequence[str]) -> None:
    """Insert a formed Pokja with its members (nip, peran, koordinasi_satker as JSON text) and give it `paket`."""
    await conn.execute(_BENTUK, pokja_id, nama, nomor_sk, tanggal_sk, penetap_nip, penetap_nama, versi, waktu,
                       [a[0] for a in anggota], list(range(1, len(anggota) + 1)), [a[1] for a in anggota],
                       [a[2] for a in anggota], list(paket))
