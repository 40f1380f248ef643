"""The hot paths of helpdesk on plain asyncpg (issue 9): read a ticket, a list page, open a ticket.

Hand-written SQL with `$n` parameters (asyncpg prepares each text once per connection), one
statement per read: the related rows of a ticket come back as arrays of anonymous records, decoded
by asyncpg into native values. Results are `asyncpg.Record`s; `jeda` (jsonb) arrives as text.
Everything else of helpdesk stays on the ORM (`repository.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg
import orjson

from services.helpdesk import domain as d
from services.helpdesk.repository import Jadwal, jeda_ke_json
from shared.pg import acquire

# What a list row shows (`TiketRingkas`, its fields in its order: a view zips them with the record's
# first values) and then what its SLA view needs.
KOLOM_TAMPIL = ("id", "nomor", "judul", "kategori", "kanal", "prioritas", "status", "paket_kode", "petugas",
                "tingkat", "di_luar_lingkup", "dibuat_pada", "diperbarui_pada", "versi")
KOLOM_SLA = ("target_respons_detik", "target_penyelesaian_detik", "jeda", "respons_pertama_pada",
             "diselesaikan_pada", "ditutup_pada")
KOLOM_RINGKAS = ", ".join(f"t.{k}" for k in KOLOM_TAMPIL + KOLOM_SLA)
# What identifies a list row's version (a page kept rendered, `shared.pagination.page_from_rendered`): `xmin`,
# the transaction that wrote the row, changes with every UPDATE of it, whatever the statement (the SLA
# checks, the escalation and the auto-close jobs included). The cursor comes from the kept row.
KOLOM_KUNCI = "t.id, t.xmin::text AS xmin"
BACA_RINGKAS_BANYAK = f"SELECT {KOLOM_RINGKAS}, t.xmin::text AS xmin FROM tiket t WHERE t.id = ANY($1::text[])"

# One ticket with its thread, escalations and attachments, in the orders the ORM path used.
BACA_TIKET = (
    f"SELECT {KOLOM_RINGKAS}, t.uraian, t.pelapor_sub, t.pelapor_nama, t.pelapor_email, t.pelapor_telepon,"
    " t.token_hash, t.solusi, t.sebab_penutupan, t.tutup_otomatis_pada, t.nilai_kepuasan, t.komentar_kepuasan,"
    " t.dinilai_pada,"
    " ARRAY(SELECT ROW(g.oleh, g.sebagai, g.isi, g.internal, g.waktu) FROM tanggapan g"
    " WHERE g.tiket_id = t.id ORDER BY g.id) AS tanggapan,"
    " ARRAY(SELECT ROW(e.dari, e.ke, e.oleh, e.waktu, e.alasan, e.referensi_lkpp, e.catatan) FROM eskalasi e"
    " WHERE e.tiket_id = t.id ORDER BY e.id) AS eskalasi,"
    " ARRAY(SELECT ROW(l.id, l.nama_berkas, l.jenis_konten, l.ukuran, l.sha256, l.diunggah_oleh, l.diunggah_pada)"
    " FROM lampiran l WHERE l.tiket_id = t.id ORDER BY l.diunggah_pada, l.id) AS lampiran"
    " FROM tiket t WHERE t.id = $1"
)


def jeda_sla(jeda: str | None) -> list[tuple[datetime, datetime | None]]:
    """The stored pauses (jsonb text) as the SLA clock takes them: (start, end or None)."""
    if not jeda or jeda == "[]":
        return []
    return [(datetime.fromisoformat(j["mulai"]), datetime.fromisoformat(j["selesai"]) if j["selesai"] else None)
            for j in orjson.loads(jeda)]


async def baca_tiket(conn: asyncpg.Connection, tiket_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(BACA_TIKET, tiket_id)


_DAFTAR: dict[tuple[bool, ...], str] = {}


def _sql_daftar(pelapor: bool, status: bool, kategori: bool, prioritas: bool, petugas: bool,
                cursor: bool, hanya_kunci: bool) -> str:
    """The list statement for one combination of filters (a handful of texts, each prepared once)."""
    kunci = (pelapor, status, kategori, prioritas, petugas, cursor, hanya_kunci)
    sql = _DAFTAR.get(kunci)
    if sql is not None:
        return sql
    syarat: list[str] = []
    n = 0
    for dipakai, teks in ((pelapor, "t.pelapor_sub = ${}"), (status, "t.status = ANY(${}::text[])"),
                          (kategori, "t.kategori = ANY(${}::text[])"), (prioritas, "t.prioritas = ${}"),
                          (petugas, "t.petugas = ${}")):
        if dipakai:
            n += 1
            syarat.append(teks.format(n))
    if cursor:
        syarat.append(f"(t.dibuat_pada, t.id) < (${n + 1}::timestamptz, ${n + 2})")
        n += 2
    where = (" WHERE " + " AND ".join(syarat)) if syarat else ""
    sql = (f"SELECT {KOLOM_KUNCI if hanya_kunci else KOLOM_RINGKAS} FROM tiket t{where}"
           f" ORDER BY t.dibuat_pada DESC, t.id DESC LIMIT ${n + 1}")
    _DAFTAR[kunci] = sql
    return sql


async def daftar_tiket(conn: asyncpg.Connection, *, pelapor_sub: str | None, status: Sequence[str] | None,
                       kategori: Sequence[str] | None, prioritas: str | None, petugas: str | None,
                       setelah: tuple[datetime, str] | None, limit: int,
                       hanya_kunci: bool = False) -> list[asyncpg.Record]:
    """A page of tickets, newest first (`limit` rows; the caller asks one more to know if a next exists);
    with `hanya_kunci` only what identifies each row's version (`KOLOM_KUNCI`)."""
    args: list[Any] = [v for v in (pelapor_sub, list(status) if status else None,
                                   list(kategori) if kategori else None, prioritas or None, petugas or None)
                       if v is not None]
    if setelah is not None:
        args += list(setelah)
    args.append(limit)
    sql = _sql_daftar(pelapor_sub is not None, bool(status), bool(kategori), bool(prioritas), bool(petugas),
                      setelah is not None, hanya_kunci)
    return await conn.fetch(sql, *args)


async def baca_ringkas_banyak(conn: asyncpg.Connection, ids: list[str]) -> dict[str, asyncpg.Record]:
    """List rows by id (`KOLOM_RINGKAS` and `xmin`)."""
    return {r["id"]: r for r in await conn.fetch(BACA_RINGKAS_BANYAK, ids)}


# A new ticket and its number in one statement; `HD-<year>-` then the sequence, at least 6 digits
# (Python's `:06d`).
# One INSERT ... RETURNING (no WITH of its own): the unit of work writes it with the outbox, history and
# idempotency rows as one statement (`UnitOfWork.commit_with`); the thread and the officer follow as `also`.
SISIP_TIKET = (
    "INSERT INTO tiket (id, nomor, judul, uraian, kategori, kanal, prioritas, status, paket_kode, pelapor_sub,"
    " pelapor_nama, pelapor_email, pelapor_telepon, token_hash, dicatat_oleh, petugas, tingkat,"
    " target_respons_detik, target_penyelesaian_detik, jeda, status_sebelum_jeda, respons_pertama_pada, solusi,"
    " diselesaikan_pada, ditutup_pada, sebab_penutupan, di_luar_lingkup, sla_respons_terpenuhi,"
    " sla_penyelesaian_terpenuhi, periksa_sla_pada, tutup_otomatis_pada, versi, dibuat_pada, diperbarui_pada)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20::jsonb,"
    " $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $33) RETURNING id"
)
_N_TIKET = 33
_SISIP_TANGGAPAN = (
    "INSERT INTO tanggapan (tiket_id, oleh, sebagai, isi, internal, waktu)"
    " SELECT $1, * FROM unnest(${0}::text[], ${1}::text[], ${2}::text[], ${3}::bool[], ${4}::timestamptz[])"
    " WHERE EXISTS (SELECT 1 FROM keadaan)"
)
_CATAT_PETUGAS_JUGA = (  # an officer joins the assignment pool the first time they act ($33: the time)
    "INSERT INTO petugas (sub, nama, aktif, terdaftar_pada, terakhir_aktif_pada)"
    " SELECT ${0}, ${1}, true, $33, $33 WHERE EXISTS (SELECT 1 FROM keadaan)"
    " ON CONFLICT (sub) DO UPDATE SET terakhir_aktif_pada = EXCLUDED.terakhir_aktif_pada,"
    " nama = coalesce(EXCLUDED.nama, petugas.nama)"
)
_BLOK_NOMOR = 64


class _Nomor:
    """A pool's sequence values taken and not used yet (largest first), and the block being fetched."""

    __slots__ = ("pool", "bebas", "isi")

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.bebas: list[int] = []
        self.isi: asyncio.Task[None] | None = None

    async def _ambil_blok(self) -> None:
        async with acquire(self.pool, antre=False) as conn:  # not behind the creates that wait for it
            baru = await conn.fetch("SELECT nextval('tiket_nomor_seq') AS v FROM generate_series(1, $1)",
                                    _BLOK_NOMOR)
        # the sequence only grows: the new block goes before what is left, so pop() stays the smallest
        self.bebas[:0] = sorted((r["v"] for r in baru), reverse=True)

    def isi_blok(self) -> asyncio.Task[None]:
        """The block being fetched, started if none is (one at a time)."""
        if self.isi is None or self.isi.done():
            self.isi = asyncio.get_running_loop().create_task(self._ambil_blok())
            # a failed fetch nobody waited for is fetched again by the next caller
            self.isi.add_done_callback(lambda t: t.cancelled() or t.exception())
        return self.isi


_NOMOR_BEBAS: dict[int, _Nomor] = {}  # per pool (tests open one per database)


def nomor_tiket(nilai: int, tahun: int) -> str:
    """A ticket's number: `HD-<year>-<value>`, the value zero-padded to six digits."""
    return f"HD-{tahun}-{nilai:06d}"


async def ambil_nomor(pool: asyncpg.Pool) -> int:
    """The next ticket number's sequence value, taken from `tiket_nomor_seq` in blocks of 64 per process.

    A ticket's number is then known before its INSERT, so the create is one statement (issue 9). Numbers
    stay unique; as with a sequence's own CACHE, replicas interleave and a stopped process leaves a gap.
    The next block is fetched when half of the current one is used, on the connection the pool keeps
    beyond the requests' queue (`shared.pg.take(antre=False)`), so that creates do not stop and wait for
    it: fetched only once a block of 32 ran out, and through the queue, it held up every create (89 ms at
    p90 before its connection, then 31 ms behind the queue, at 1,500-1,800 creates/s)."""
    entry = _NOMOR_BEBAS.get(id(pool))
    if entry is None or entry.pool is not pool:
        for key in [k for k, e in _NOMOR_BEBAS.items() if e.pool.is_closing()]:
            del _NOMOR_BEBAS[key]
        entry = _NOMOR_BEBAS[id(pool)] = _Nomor(pool)
    while not entry.bebas:
        # shielded: a create cancelled while it waits must not cancel the block the others wait for
        await asyncio.shield(entry.isi_blok())
    nilai = entry.bebas.pop()
    if len(entry.bebas) <= _BLOK_NOMOR // 2:
        entry.isi_blok()
    return nilai


def sisipkan_tiket(tiket: d.Tiket, *, nomor: str, token_hash: str | None, dicatat_oleh: str | None, versi: int,
                   jadwal: Jadwal, now: datetime, petugas: tuple[str, str | None] | None
                   ) -> tuple[str, list[Any], tuple[str, ...]]:
    """The statement inserting a new ticket in its final state after the create (as the ORM path flushed
    it), its arguments, and the further statements (its thread when answered as it is opened, the
    officer who opened it joining the assignment pool), for `UnitOfWork.commit_with`."""
    args: list[Any] = [
        tiket.id, nomor, tiket.judul, tiket.uraian, tiket.kategori.value, tiket.kanal.value,
        tiket.prioritas.value, tiket.status.value, tiket.paket_kode, tiket.pelapor.sub, tiket.pelapor.nama,
        tiket.pelapor.email, tiket.pelapor.telepon, token_hash, dicatat_oleh, tiket.petugas, tiket.tingkat.value,
        tiket.target_sla.respons_pertama_detik, tiket.target_sla.penyelesaian_detik,
        orjson.dumps(jeda_ke_json(tiket.jeda)).decode(),
        tiket.status_sebelum_jeda.value if tiket.status_sebelum_jeda else None, tiket.respons_pertama_pada,
        tiket.solusi, tiket.diselesaikan_pada, tiket.ditutup_pada,
        tiket.sebab_penutupan.value if tiket.sebab_penutupan else None, tiket.di_luar_lingkup,
        jadwal.sla_respons_terpenuhi, jadwal.sla_penyelesaian_terpenuhi, jadwal.periksa_sla_pada,
        jadwal.tutup_otomatis_pada, versi, now]
    assert len(args) == _N_TIKET
    also: list[str] = []
    if tiket.tanggapan:  # a non-technical ticket is answered (and closed) as it is opened
        n = len(args) + 1
        also.append(_SISIP_TANGGAPAN.format(*range(n, n + 5)))
        args += [[t.oleh for t in tiket.tanggapan], [t.sebagai.value for t in tiket.tanggapan],
                 [t.isi for t in tiket.tanggapan], [t.internal for t in tiket.tanggapan],
                 [t.waktu for t in tiket.tanggapan]]
    if petugas is not None:
        n = len(args) + 1
        also.append(_CATAT_PETUGAS_JUGA.format(n, n + 1))
        args += list(petugas)
    return SISIP_TIKET, args, tuple(also)


