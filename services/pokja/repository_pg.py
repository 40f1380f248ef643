"""Plain asyncpg SQL of pokja's hot paths (issue 9): read and list packages, record a package.

The same rows as repository.py's ORM queries, in the fewest round trips: a package comes with the
name of its executor (Pokja or Pejabat Pengadaan) in one statement, a list page in one statement,
a new package is checked and inserted in one statement. Parameters are `$n`, so asyncpg prepares
each text once per connection; a list's text is built once per combination of filters and kept.
`jsonb` columns arrive as text (no codec on the pool); the caller parses what it needs.

Rows come back as `asyncpg.Record`s whose columns are in the order of `PAKET_KOLOM`.
"""

from __future__ import annotations

from datetime import date, datetime

import asyncpg

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


async def paket(conn: asyncpg.Connection, kode: str) -> asyncpg.Record | None:
    """One package with its executor's name, or None."""
    return await conn.fetchrow(_PAKET, kode)


# --- list page ----------------------------------------------------------------------------------

_SYARAT_PELAKSANA = {
    "belum": "p.pokja_id IS NULL AND p.pejabat_pengadaan_id IS NULL",
    "pokja": "p.pokja_id IS NOT NULL",
    "pejabat_pengadaan": "p.pejabat_pengadaan_id IS NOT NULL",
}
_DAFTAR: dict[tuple[bool, bool, bool, str | None, bool], str] = {}


def _sql_daftar(tahun: bool, satker: bool, metode: bool, pelaksana: str | None, setelah: bool) -> str:
    """The list statement for this combination of filters."""
    kunci = (tahun, satker, metode, pelaksana, setelah)
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
    sql = f"SELECT {_PILIH} FROM paket p{where} ORDER BY p.kode LIMIT {param()}"
    _DAFTAR[kunci] = sql
    return sql


async def daftar_paket(conn: asyncpg.Connection, *, tahun_anggaran: int | None, satuan_kerja: str | None,
                       metode: str | None, pelaksana: str | None, setelah: str | None, n: int
                       ) -> list[asyncpg.Record]:
    """Up to `n` packages ordered by code, after `setelah` when given (filters as the ORM query had them)."""
    args: list[object] = [v for v in (tahun_anggaran, satuan_kerja, metode) if v]
    if setelah is not None:
        args.append(setelah)
    args.append(n)
    sql = _sql_daftar(bool(tahun_anggaran), bool(satuan_kerja), bool(metode), pelaksana or None,
                      setelah is not None)
    return await conn.fetch(sql, *args)


# --- record -------------------------------------------------------------------------------------

# A code already recorded (visible at the statement's start) inserts nothing and returns no row;
# one inserted by a transaction running at the same time raises UniqueViolationError on the primary key.
_CATAT_PAKET = (
    "WITH ada AS (SELECT 1 FROM paket WHERE kode = $1)"
    " INSERT INTO paket (kode, nama, satuan_kerja, jenis_pengadaan, pagu, hps, tahun_anggaran, perencana_nip,"
    " ppk_nip, pemeriksa_nip, metode_pemilihan, tanggal_metode, versi, dibuat_pada, diperbarui_pada)"
    " SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13 WHERE NOT EXISTS (SELECT 1 FROM ada)"
    " RETURNING versi"
)


async def catat_paket(conn: asyncpg.Connection, *, kode: str, nama: str, satuan_kerja: str, jenis_pengadaan: str,
                      pagu: int, hps: int, tahun_anggaran: int, perencana_nip: str | None, ppk_nip: str | None,
                      pemeriksa_nip: str | None, metode_pemilihan: str, tanggal_metode: date,
                      waktu: datetime) -> bool:
    """Insert a new package (version 1); False when the code is already recorded.

    Raises `asyncpg.UniqueViolationError` when another transaction records the same code at the same time."""
    versi = await conn.fetchval(_CATAT_PAKET, kode, nama, satuan_kerja, jenis_pengadaan, pagu, hps, tahun_anggaran,
                                perencana_nip, ppk_nip, pemeriksa_nip, metode_pemilihan, tanggal_metode, waktu)
    return versi is not None
