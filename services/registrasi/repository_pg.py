"""The hot paths' SQL on plain asyncpg (issue 9): read by id, the verification queue page, and the create.

Each SQL text is a constant (or one of a few fixed variants), so asyncpg prepares it once per connection.
Statements are shaped for the fewest round trips: a registration comes with the latest version of each of
its documents (one json_agg subquery); the create's identifier locks, its checks and its INSERT are one
statement (`SIMPAN_JIKA_BEBAS`), and on its slow path the locks ride along with the blacklist lookup. The ORM models (models.py) and the migrations
stay the schema's definition; the column lists below follow them.

`jsonb` and `json` columns arrive as text (the pool has no codec): they are parsed with orjson where used.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import asyncpg
import orjson

from services.registrasi import domain
from services.registrasi.repository import _TANPA_BEDA_HURUF, IDENTITAS_UNIK, STATUS_MENUNGGU, konflik, kunci_advisory
from shared.errors import Conflict

# --- reads -----------------------------------------------------------------------------------------------

# The latest version of each document kind (as `repository.dokumen_terkini`), ordered by kind in byte order
# (= Python's order of the ASCII kind names), as a JSON array or NULL when there is none.
_DOKUMEN_TERKINI = (
    "(SELECT json_agg(json_build_object('id', d.id, 'jenis', d.jenis, 'versi', d.versi,"
    " 'nama_berkas', d.nama_berkas, 'jenis_konten', d.jenis_konten, 'ukuran', d.ukuran, 'sha256', d.sha256,"
    " 'diunggah_oleh', d.diunggah_oleh, 'diunggah_pada', d.diunggah_pada) ORDER BY d.jenis COLLATE \"C\")"
    " FROM (SELECT DISTINCT ON (jenis) * FROM dokumen WHERE pendaftaran_id = p.id"
    " ORDER BY jenis, versi DESC) AS d)"
)
# The scalar columns `tampilan.pendaftaran_dari_baris` shows, and every JSON part in one array (`json`):
# [data, peringatan, dokumen_asli_diperiksa, kekurangan, current documents or null], parsed once.
_KOLOM_PUBLIK = (
    "p.id, p.jenis, p.status, p.bentuk_usaha, p.nama, p.email, p.user_id, p.npwp_sandi, p.npwp_format_lama,"
    " p.nik_sandi, p.nib, p.nip, p.berlaku_sampai, p.alasan, p.pengguna_id, p.versi, p.diajukan_pada,"
    " p.menunggu_sejak, p.diputuskan_pada, p.diputuskan_oleh,"
    f" json_build_array(p.data, p.peringatan, p.dokumen_asli_diperiksa, p.kekurangan, {_DOKUMEN_TERKINI}) AS json"
)
# One registration with its current documents (see `_KOLOM_PUBLIK`): one SELECT without a WITH of its own,
# run by `UnitOfWork.commit_with` with the read's audit entry in one statement; $1 is the registration's id.
BACA_PENDAFTARAN = f"SELECT {_KOLOM_PUBLIK} FROM pendaftaran AS p WHERE p.id = $1"
_DAFTAR: dict[tuple[bool, bool, bool, bool], str] = {}
# What identifies the version of a registration's representation (`FragmentCache` keys): `versi` moves
# with every use case that changes it, document uploads included; `xmin` (the transaction that wrote the
# row's current version) moves with any UPDATE at all, a repair by hand too.
_KOLOM_KUNCI = "p.id, p.versi, p.xmin::text AS xmin, p.menunggu_sejak"
# Registrations by id with their versions: the rows of a page not rendered yet.
BACA_BANYAK = f"SELECT {_KOLOM_PUBLIK}, p.xmin::text AS xmin FROM pendaftaran AS p WHERE p.id = ANY($1::text[])"


def _sql_daftar(status: bool, jenis: bool, setelah: bool, kunci: bool = False) -> str:
    """The queue page for one combination of filters (a fixed text each, so each is prepared once): the
    registrations, or with `kunci` only what identifies their versions (`_KOLOM_KUNCI`)."""
    sql = _DAFTAR.get((status, jenis, setelah, kunci))
    if sql is None:
        syarat, n = [], 1
        if status:
            syarat.append(f"p.status = ${n}")
            n += 1
        if jenis:
            syarat.append(f"p.jenis = ${n}")
            n += 1
        if setelah:
            syarat.append(f"(p.menunggu_sejak, p.id) > (${n}, ${n + 1})")
            n += 2
        where = f" WHERE {' AND '.join(syarat)}" if syarat else ""
        sql = (f"SELECT {_KOLOM_KUNCI if kunci else _KOLOM_PUBLIK} FROM pendaftaran AS p{where}"
               f" ORDER BY p.menunggu_sejak, p.id LIMIT ${n}")
        _DAFTAR[(status, jenis, setelah, kunci)] = sql
    return sql


async def pemilik_token(conn: asyncpg.Connection, token_hash: str) -> asyncpg.Record | None:
    """The registration (`id`, `user_id`) an access token belongs to, by the token's hash."""
    return await conn.fetchrow("SELECT id, user_id FROM pendaftaran WHERE token_hash = $1", token_hash)


async def daftar_pendaftaran(conn: asyncpg.Connection, status: str | None, jenis: str | None,
                             setelah: tuple[datetime, str] | None, batas: int, *,
                             kunci: bool = False) -> list[asyncpg.Record]:
    """Registrations oldest-waiting first (`menunggu_sejak`, `id`) after the cursor, at most `batas`; with
    `kunci` only their ids, versions (`versi`, `xmin`) and `menunggu_sejak`."""
    args: list[Any] = [x for x in (status, jenis) if x]
    if setelah:
        args += setelah
    return await conn.fetch(_sql_daftar(bool(status), bool(jenis), bool(setelah), kunci), *args, batas)


async def baca_banyak(conn: asyncpg.Connection, ids: list[str]) -> dict[str, asyncpg.Record]:
    """Registrations by id, each with `xmin` (see `_KOLOM_KUNCI`)."""
    return {r["id"]: r for r in await conn.fetch(BACA_BANYAK, ids)}


# --- create ----------------------------------------------------------------------------------------------

# The advisory locks of the identifiers (taken in the order given: callers sort them) and the blacklist
# entries in force for the NPWP's blind index or the NIB, in one round trip. The locks sit on the outer side
# of the LEFT JOIN, so they are taken whether or not an entry matches; a NULL parameter matches nothing.
_KUNCI_DAN_DAFTAR_HITAM = (
    "SELECT dh.id, dh.npwp_sandi, dh.nib, dh.jenis_pelanggaran, dh.mulai, dh.selesai, dh.alasan"
    " FROM (SELECT count(pg_advisory_xact_lock(k)) AS n FROM unnest($1::bigint[]) AS k)"
    " AS kunci LEFT JOIN daftar_hitam AS dh ON (dh.npwp_indeks = $2 OR dh.nib = $3)"
    " AND dh.mulai <= $4 AND dh.selesai >= $4"
)
_DAFTAR_HITAM_AKTIF = (
    "SELECT id, npwp_sandi, nib, jenis_pelanggaran, mulai, selesai, alasan FROM daftar_hitam"
    " WHERE (npwp_indeks = $1 OR nib = $2) AND mulai <= $3 AND selesai >= $3"
)

# Who already holds one of the identifiers (a waiting registration or a user not expired, as
# `repository.periksa_keunikan`), and the INSERT of the new registration only when nobody does: one
# statement, one snapshot, taken after the advisory locks of the previous statement were granted.
_MENUNGGU = ", ".join(f"'{s}'" for s in STATUS_MENUNGGU)
_COCOK = ("(npwp_indeks = $1 OR nib = $2 OR nip = $3 OR lower(user_id) = $4 OR lower(email) = $5)")
_KOLOM_BARU = ("id", "jenis", "status", "bentuk_usaha", "nama", "email", "user_id", "npwp_sandi", "npwp_indeks",
               "npwp_format_lama", "nik_sandi", "nib", "nip", "berlaku_sampai", "data", "peringatan", "token_hash",
               "dokumen_asli_diperiksa", "kekurangan", "versi", "diajukan_pada", "menunggu_sejak",
               "diperbarui_pada")
_JSONB_BARU = {"data", "peringatan", "dokumen_asli_diperiksa", "kekurangan"}
# Parameters of an INSERT ... SELECT take no type from their column: each is cast.
_TIPE_BARU = {**dict.fromkeys(_JSONB_BARU, "jsonb"), "npwp_format_lama": "boolean", "berlaku_sampai": "date",
              "versi": "integer", "diajukan_pada": "timestamptz", "menunggu_sejak": "timestamptz",
              "diperbarui_pada": "timestamptz"}
_INSERT_BARU = (
    f"INSERT INTO pendaftaran ({', '.join(_KOLOM_BARU)}) VALUES ("
    + ", ".join(f"${i}::{_TIPE_BARU.get(k, 'text')}" for i, k in enumerate(_KOLOM_BARU, start=1))
    + ")"
)
# Who holds an identifier ($1..$5, `_COCOK`): a waiting registration, or a user not expired.
_PEMEGANG_PENDAFTARAN = f"FROM pendaftaran WHERE status IN ({_MENUNGGU}) AND {_COCOK}"
_PEMEGANG_PENGGUNA = f"FROM pengguna WHERE status <> '{domain.StatusPengguna.KEDALUWARSA.value}' AND {_COCOK}"
# The new registration's row from $6.. (the identifiers to match come first), for an INSERT ... SELECT.
_SISIP_DARI_PARAMETER = (
    f"INSERT INTO pendaftaran ({', '.join(_KOLOM_BARU)}) SELECT "
    + ", ".join(f"${i}::{_TIPE_BARU.get(k, 'text')}" for i, k in enumerate(_KOLOM_BARU, start=6))
)
_SIMPAN_BARU = (
    f"WITH bentrok AS (SELECT npwp_indeks, nib, nip, user_id, email {_PEMEGANG_PENDAFTARAN}"
    f" UNION ALL SELECT npwp_indeks, nib, nip, user_id, email {_PEMEGANG_PENGGUNA}"
    f"), baru AS ({_SISIP_DARI_PARAMETER} WHERE NOT EXISTS (SELECT 1 FROM bentrok) RETURNING 1"
    ") SELECT npwp_indeks, nib, nip, user_id, email FROM bentrok"
)

# The INSERT of a new registration only when nobody holds one of its identifiers and no blacklist entry
# is in force for its NPWP ($1, blind index) or NIB ($2), as ONE statement without a WITH of its own, for
# `UnitOfWork.commit_with` in `raw(transaction=False)` (issue 9): the new registration, its event, history
# and idempotency rows in one round trip and one implicit transaction. `pendaftaran_bebas()` (migration
# 0003) takes the identifiers' advisory locks (the last parameter) and only then looks, on a fresh snapshot.
# No row back: the slow path names the entry or who holds what.
_N_BARU = 6 + len(_KOLOM_BARU)
SIMPAN_JIKA_BEBAS = (
    f"{_SISIP_DARI_PARAMETER} WHERE pendaftaran_bebas(${_N_BARU + 1}::bigint[], $1, $2, $3, $4, $5,"
    f" ${_N_BARU}::date) RETURNING id"
)


def kunci_identitas(nilai: Mapping[str, str]) -> list[int]:
    """The advisory lock keys of the identifiers, sorted (those `repository.kunci_identitas` takes)."""
    return kunci_advisory(dict(nilai))


def _entri(rows: list[asyncpg.Record]) -> list[SimpleNamespace]:
    """Blacklist entries with attribute access, as the ORM rows `repository.entri_domain` reads."""
    return [SimpleNamespace(**dict(r)) for r in rows if r["id"] is not None]


async def kunci_dan_daftar_hitam(conn: asyncpg.Connection, nilai: Mapping[str, str], npwp_indeks: str | None,
                                 nib: str | None, hari_ini: date) -> list[SimpleNamespace]:
    """Lock the identifiers for this transaction and return the blacklist entries in force on `hari_ini`."""
    return _entri(await conn.fetch(_KUNCI_DAN_DAFTAR_HITAM, kunci_identitas(nilai), npwp_indeks or None,
                                   nib or None, hari_ini))


async def daftar_hitam_aktif(conn: asyncpg.Connection, npwp_indeks: str | None, nib: str | None,
                             hari_ini: date) -> list[SimpleNamespace]:
    """Blacklist entries in force on `hari_ini` for this NPWP (by its blind index) or NIB."""
    if not npwp_indeks and not nib:
        return []
    return _entri(await conn.fetch(_DAFTAR_HITAM_AKTIF, npwp_indeks or None, nib or None, hari_ini))


def _argumen_baru(kolom: Mapping[str, Any], nilai: Mapping[str, str]) -> list[Any]:
    """The parameters of `_SIMPAN_BARU` and `SIMPAN_JIKA_BEBAS`: the identifiers to match, then the columns."""
    cocok = [nilai.get(k) for k in ("npwp", "nib", "nip")]
    cocok += [nilai[k].lower() if nilai.get(k) else None for k in ("user_id", "email")]
    args = [kolom[k] for k in _KOLOM_BARU]
    for i, k in enumerate(_KOLOM_BARU):
        if k in _JSONB_BARU:
            args[i] = orjson.dumps(args[i]).decode()
    return cocok + args


def simpan_jika_bebas(kolom: Mapping[str, Any], nilai: Mapping[str, str], hari_ini: date) -> tuple[str, list[Any]]:
    """`SIMPAN_JIKA_BEBAS` and its arguments for `UnitOfWork.commit_with` (blacklist entries in force on
    `hari_ini` refuse it too; it locks the identifiers `nilai` first)."""
    return SIMPAN_JIKA_BEBAS, [*_argumen_baru(kolom, nilai), hari_ini, kunci_identitas(nilai)]


async def simpan_baru(conn: asyncpg.Connection, kolom: Mapping[str, Any], nilai: Mapping[str, str]) -> None:
    """INSERT a new registration unless one of its identifiers `nilai` is held: then 409 naming every one.

    A duplicate the check cannot see (it should not happen while the advisory locks are held) still meets the
    partial unique indexes: the same 409 for the identifier its index names."""
    semua = _argumen_baru(kolom, nilai)
    args = semua[5:]
    try:
        baris = await conn.fetch(_SIMPAN_BARU, *semua)
    except asyncpg.UniqueViolationError as exc:
        galat = konflik_dari_pg(exc)
        if galat is None:
            raise
        raise galat from exc
    bentrok: set[str] = set()
    for b in baris:
        for k in IDENTITAS_UNIK:
            v = b["npwp_indeks" if k == "npwp" else k]
            if k in nilai and v is not None and (v.lower() == nilai[k].lower() if k in _TANPA_BEDA_HURUF
                                                 else v == nilai[k]):
                bentrok.add(k)
    if bentrok:
        raise konflik([k for k in IDENTITAS_UNIK if k in bentrok])
    if baris:
        # Matched by PostgreSQL's lower() but not by Python's (a non-ASCII letter): as the ORM path did, the
        # INSERT is tried anyway and the unique indexes decide.
        try:
            await conn.execute(_INSERT_BARU, *args)
        except asyncpg.UniqueViolationError as exc:
            galat = konflik_dari_pg(exc)
            if galat is None:
                raise
            raise galat from exc


def konflik_dari_pg(exc: asyncpg.UniqueViolationError) -> Conflict | None:
    """The 409 for a unique index that caught a concurrent duplicate (as `repository.konflik_dari`)."""
    nama = exc.constraint_name or str(exc)
    for field in IDENTITAS_UNIK:
        if f"_{field}_menunggu" in nama or f"_{field}_berlaku" in nama:
            return konflik([field])
    return None
