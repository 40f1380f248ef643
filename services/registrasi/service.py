"""Use cases of registrasi (Permendagri 53/2021 Lampiran 2.3c and 2.5.1); the only callers of `uow.commit`.

Who may do what is checked here (object level): a registrant holding the `X-Token-Akses` of a
registration acts on that registration only; staff act by role. Identifiers are kept unique under
concurrency by transaction-scoped advisory locks plus partial unique indexes (see models.py).

NIK and NPWP are encrypted before they reach a row and compared by their blind index (models.py); they are
decrypted in memory only where a rule or a response needs them. Every read of personal data or documents
is written to the audit log (`riwayat`, aksi `dibaca`, or `dokumen_diunduh`): who, role, from where, what.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any, Literal

import asyncpg
from sqlalchemy import BigInteger, DateTime, String, column, func, select, table, tuple_
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.registrasi import domain
from services.registrasi import repository as repo
from services.registrasi import repository_pg as repo_pg
from services.registrasi.identitas import kumpulkan, normalisasi_npwp, samarkan, validasi_nib
from services.registrasi.models import DaftarHitam, Dokumen, Pendaftaran, Pengguna
from services.registrasi.schemas import (
    DaftarHitamCreate,
    DaftarHitamPublic,
    DokumenPublic,
    PendaftaranDibuat,
    PendaftaranNonPenyediaCreate,
    PendaftaranPenyediaCreate,
    PendaftaranPerbaikan,
    PendaftaranPublic,
    PenggunaPublic,
    Verifikasi,
)
from services.registrasi.tampilan import (
    daftar_hitam_publik,
    dokumen_publik,
    pendaftaran_dari_baris,
    pendaftaran_dict,
    pendaftaran_publik,
    pengguna_publik,
    riwayat_publik,
)
from shared.auth import Principal
from shared.berkas import Penyimpanan, periksa_berkas
from shared.contracts.registrasi import (
    DaftarHitamDicatat,
    PendaftaranDiajukan,
    PendaftaranDisetujui,
    PendaftaranDitolak,
    PendaftaranDitolakDaftarHitam,
    PendaftaranPerluPerbaikan,
    PenggunaDiaktifkan,
    PenggunaDinonaktifkan,
    PenggunaKedaluwarsa,
)
from shared.deps import check_version
from shared.errors import (
    Conflict,
    ErrorCollector,
    FieldError,
    Forbidden,
    NotFound,
    RuleViolation,
    Unauthorized,
    ValidationFailed,
)
from shared.kripto import Kripto
from shared.pagination import decode_cursor, decode_time_cursor, page_from_rendered, page_of
from shared.pg import acquire
from shared.responses import FragmentCache
from shared.uow import SYSTEM, UnitOfWork, new_id, now_utc
from shared.waktu import WIB

PEMBACA_PENDAFTARAN = ("verifikator", "admin_ukpbj")
PEMBACA_PENGGUNA = ("verifikator", "admin_ukpbj", "layanan")
STAF_PENGUNGGAH = ("verifikator",)
PERAN_PENYEDIA = "penyedia"
AKSI_BACA = "dibaca"  # a read of personal data, in the audit log (not in a resource's change history)
DAFTAR = "daftar"  # aggregate_id of the audit entry of a list read; the ids read are in `perubahan.ids`

_ISIAN = {
    domain.JenisPendaftaran.PENYEDIA: {"nama", "email", "user_id", "bentuk_usaha", "npwp", "nib", "telepon", "alamat",
                                       "penanggung_jawab"},
    domain.JenisPendaftaran.NON_PENYEDIA: {"nama", "email", "user_id", "nip", "nik", "instansi", "satuan_kerja",
                                           "peran", "nomor_sk", "berlaku_sampai"},
}


def hari_ini_wib() -> date:
    """Today in Asia/Jakarta: business rules use WIB."""
    return datetime.now(WIB).date()


@dataclass(frozen=True)
class Pemilik:
    """The registration an access token belongs to."""

    pendaftaran_id: str
    user_id: str


@dataclass(frozen=True)
class Akses:
    """Who asks: the bearer token's principal and/or the registrant an `X-Token-Akses` identified."""

    principal: Principal | None = None
    pemilik: Pemilik | None = None

    @property
    def verifikator(self) -> bool:
        return self.principal is not None and "verifikator" in self.principal.roles


@dataclass(frozen=True)
class Lingkungan:
    """What the use cases need from the app: file storage, the upload limit, required documents, and the
    data key that encrypts NIK and NPWP (`app.state.kripto`, from `UKPBJ_KUNCI_DATA`)."""

    penyimpanan: Penyimpanan
    batas_unggah: int
    syarat: domain.SyaratDokumen
    kripto: Kripto
    # the verification queue's rendered rows (issue 9); None: every page is rendered from its rows
    tampilan: FragmentCache | None = None


def _tampilan(buka: bool) -> str:
    return "lengkap" if buka else "disamarkan"


def _catat_baca(uow: UnitOfWork, jenis_agregat: str, agregat_id: str, **apa: Any) -> None:
    """Audit one read of personal data: who (actor, role, address, request id) is added by the unit of work."""
    uow.record(jenis_agregat, agregat_id, AKSI_BACA, apa)


def _catat_baca_daftar(uow: UnitOfWork, jenis_agregat: str, rows: list[Any], limit: int, buka: bool,
                       saringan: dict[str, Any]) -> None:
    """Audit one list read: one entry naming every id the page returned."""
    ids = [r.id for r in rows[:limit]]
    _catat_baca(uow, jenis_agregat, DAFTAR, ids=ids, jumlah=len(ids), nik_npwp=_tampilan(buka),
                saringan={k: v for k, v in saringan.items() if v is not None})


# --- access ----------------------------------------------------------------------------------------------

async def kenali(session_factory: async_sessionmaker[AsyncSession], principal: Principal | None,
                 token: str | None, *, pool: asyncpg.Pool | None = None) -> Akses:
    """Authenticate a caller of a route open to registrants: 401 without credentials or with an unknown token.

    The token is looked up on the plain asyncpg `pool` when there is one (issue 9: the registrant's reads)."""
    if principal is None and not token:
        raise Unauthorized("Sertakan header X-Token-Akses (pendaftar) atau Authorization: Bearer <token> (petugas).")
    if not token:
        return Akses(principal=principal)
    pemilik: Any
    if pool is not None:
        async with acquire(pool) as conn:
            pemilik = await repo_pg.pemilik_token(conn, repo.hash_token(token))
    else:
        async with session_factory() as session:
            pemilik = (await session.execute(select(Pendaftaran.id, Pendaftaran.user_id)
                                             .where(Pendaftaran.token_hash == repo.hash_token(token)))).first()
            pemilik = pemilik._mapping if pemilik is not None else None
    if pemilik is None:
        raise Unauthorized("Token akses (X-Token-Akses) tidak dikenal; gunakan token yang diterima saat mendaftar.")
    return Akses(principal=principal, pemilik=Pemilik(pendaftaran_id=pemilik["id"], user_id=pemilik["user_id"]))


async def _izinkan(uow: UnitOfWork, akses: Akses, pendaftaran_id: str, peran_staf: tuple[str, ...]) -> bool:
    """Admit staff holding `peran_staf` or the registrant of this registration (403 otherwise); True for the
    registrant. The caller was authenticated by `kenali`."""
    principal = akses.principal
    if principal is not None and principal.has_any(peran_staf):
        return False
    pemilik = akses.pemilik
    if pemilik is not None:
        if pemilik.pendaftaran_id != pendaftaran_id:
            raise Forbidden("Token akses ini milik pendaftaran lain; gunakan token pendaftaran yang dimaksud.")
        uow.actor = replace(uow.actor, sub=f"pendaftar:{pemilik.user_id}", roles=("pendaftar",))
        return True
    siapa = "pendaftar (header X-Token-Akses)" + (f" atau peran: {', '.join(peran_staf)}" if peran_staf else "")
    raise Forbidden(f"Tindakan ini hanya untuk {siapa}.", extra={"peran_diizinkan": list(peran_staf)})


async def _pendaftaran(session: AsyncSession, pendaftaran_id: str, *, kunci: bool = False) -> Pendaftaran:
    row = await session.get(Pendaftaran, pendaftaran_id, with_for_update=kunci)
    if row is None:
        raise NotFound(f"Pendaftaran {pendaftaran_id} tidak ditemukan.")
    return row


async def _pengguna(session: AsyncSession, pengguna_id: str, *, kunci: bool = False) -> Pengguna:
    row = await session.get(Pengguna, pengguna_id, with_for_update=kunci)
    if row is None:
        raise NotFound(f"Pengguna {pengguna_id} tidak ditemukan.")
    return row


# --- registration ----------------------------------------------------------------------------------------

def _data_dari_masukan(cmd: PendaftaranPenyediaCreate | PendaftaranNonPenyediaCreate) -> domain.DataPendaftar:
    isi = cmd.model_dump(mode="json", exclude={"jenis"})
    return repo.data_dari_json(cmd.jenis, isi)


def _npwp16(data: domain.DataPendaftar) -> str | None:
    if not isinstance(data, domain.DataPenyedia):
        return None
    hasil = kumpulkan(ErrorCollector(), normalisasi_npwp, data.npwp)
    return hasil.npwp16 if hasil else None


def _indeks_npwp(data: domain.DataPendaftar, kripto: Kripto) -> str | None:
    return repo.indeks_npwp(kripto, _npwp16(data))


def _nib(data: domain.DataPendaftar) -> str | None:
    return data.nib if isinstance(data, domain.DataPenyedia) else None


def _format_lama(npwp: str) -> bool:
    hasil = kumpulkan(ErrorCollector(), normalisasi_npwp, npwp)
    return bool(hasil and hasil.legacy)


async def _catat_tolak_daftar_hitam(uow: UnitOfWork, entri: list[DaftarHitam], data: domain.DataPendaftar,
                                    galat: RuleViolation, *, pendaftaran_id: str | None = None) -> None:
    """Keep the refusal at the door: history on the blacklist entry (and registration) plus the event."""
    kena = max(entri, key=lambda e: e.selesai)
    percobaan, sekarang = new_id(), now_utc()
    bentuk = data.bentuk_usaha.value if isinstance(data, domain.DataPenyedia) else None
    uow.emit("registrasi.pendaftaran.ditolak_daftar_hitam",
             PendaftaranDitolakDaftarHitam(percobaan_id=percobaan, jenis=data.jenis.value, bentuk_usaha=bentuk,
                                           pendaftaran_id=pendaftaran_id, daftar_hitam_id=kena.id,
                                           daftar_hitam_selesai=kena.selesai, waktu=sekarang),
             aggregate_id=percobaan, aggregate_version=1)
    catatan = {"percobaan_id": percobaan, "pendaftaran_id": pendaftaran_id, "nama": data.nama,
               "user_id": data.user_id, "daftar_hitam_selesai": kena.selesai.isoformat()}
    uow.record("daftar_hitam", kena.id, "pendaftaran_ditolak", catatan, alasan=galat.detail)
    if pendaftaran_id:
        uow.record("pendaftaran", pendaftaran_id, "pengajuan_ulang_ditolak_daftar_hitam",
                   {**catatan, "daftar_hitam_id": kena.id}, alasan=galat.detail)
    await uow.commit()


async def _simpan_identitas(uow: UnitOfWork, row: Pendaftaran | Pengguna, *,
                            periksa: bool = True, kecuali: str | None = None) -> None:
    """Lock the row's identifiers, refuse those already held (409 naming them), then flush."""
    nilai = repo.identitas(row)
    await repo.kunci_identitas(uow.session, nilai)
    if periksa:
        await repo.periksa_keunikan(uow.session, nilai, kecuali_pendaftaran=kecuali)
    uow.session.add(row)
    try:
        await uow.session.flush()
    except IntegrityError as exc:
        konflik = repo.konflik_dari(exc)
        if konflik is None:
            raise
        raise konflik from exc


async def ajukan_pendaftaran(cmd: PendaftaranPenyediaCreate | PendaftaranNonPenyediaCreate, *, uow: UnitOfWork,
                             lingkungan: Lingkungan, hari_ini: date | None = None) -> PendaftaranDibuat:
    """Record a self-registration in status `diajukan` and return it once with its access token.

    A hot path (issue 9), on plain asyncpg. The usual registration (valid, nobody holding its identifiers,
    no blacklist entry in force) is ONE round trip: one statement, its own transaction, that takes the
    identifiers' advisory locks and inserts it with its event, history and idempotency rows only if nobody
    holds an identifier and no entry is in force (`repository_pg.SIMPAN_JIKA_BEBAS`). Otherwise (or when
    that statement inserts nothing) the checks run one by one in the domain's order, in a transaction that
    holds the locks — the blacklist first, then every identifier — and name what refuses it."""
    hari = hari_ini or hari_ini_wib()
    data = _data_dari_masukan(cmd)
    token = secrets.token_urlsafe(32)
    kripto = lingkungan.kripto
    pendaftaran_id = new_id()
    indeks_npwp, nib = _indeks_npwp(data, kripto), _nib(data)
    format_lama = isinstance(cmd, PendaftaranPenyediaCreate) and _format_lama(cmd.npwp)
    if uow.actor.sub is None:
        uow.actor = replace(uow.actor, sub=f"pendaftar:{data.user_id}", roles=("pendaftar",))
    try:
        p: domain.Pendaftaran | None = domain.Pendaftaran.ajukan(pendaftaran_id, data, hari_ini=hari)
    except Exception:  # noqa: BLE001 - raised again below, after the blacklist lookup, in the domain's order
        p = None
    if p is not None:
        row = _baris_baru(pendaftaran_id, data, token)
        repo.isi_kolom(row, p.data, npwp_format_lama=format_lama, kripto=kripto)
        nilai = repo.identitas(row)
        async with uow.raw(transaction=False):
            hasil = _catat_pengajuan(uow, row, p, token, lingkungan)
            sql, args = repo_pg.simpan_jika_bebas(vars(row), nilai, hari)
            try:
                if await uow.commit_with(sql, *args, result=hasil):
                    return hasil
            except asyncpg.UniqueViolationError as exc:  # a concurrent duplicate met a unique index
                galat = repo_pg.konflik_dari_pg(exc)
                if galat is None:
                    raise
                raise galat from exc
        # nothing inserted: the checks below name the blacklist entry or who holds what
    async with uow.raw():
        row = _baris_baru(pendaftaran_id, data, token)
        nilai = {}
        if p is not None:
            repo.isi_kolom(row, p.data, npwp_format_lama=format_lama, kripto=kripto)
            nilai = repo.identitas(row)
            entri = await repo_pg.kunci_dan_daftar_hitam(uow.conn, nilai, indeks_npwp, nib, hari)
        else:
            entri = await repo_pg.daftar_hitam_aktif(uow.conn, indeks_npwp, nib, hari)
        if p is None or entri:
            try:
                p = domain.Pendaftaran.ajukan(pendaftaran_id, data, hari_ini=hari,
                                              daftar_hitam=[repo.entri_domain(e, kripto) for e in entri])
            except RuleViolation as galat:
                if galat.rule == domain.ATURAN_DAFTAR_HITAM and entri:
                    await _catat_tolak_daftar_hitam(uow, entri, data, galat)  # type: ignore[arg-type]
                raise
            repo.isi_kolom(row, p.data, npwp_format_lama=format_lama, kripto=kripto)
            if not nilai:
                nilai = repo.identitas(row)
                await repo_pg.kunci_dan_daftar_hitam(uow.conn, nilai, None, None, hari)
        hasil = _catat_pengajuan(uow, row, p, token, lingkungan)
        await repo_pg.simpan_baru(uow.conn, vars(row), nilai)  # 409 naming every identifier held
        return await uow.commit(hasil)


def _baris_baru(pendaftaran_id: str, data: domain.DataPendaftar, token: str) -> SimpleNamespace:
    """The columns of a new registration that do not come from its data (`repository.isi_kolom` adds those)."""
    return SimpleNamespace(id=pendaftaran_id, jenis=data.jenis.value, status=domain.StatusPendaftaran.DIAJUKAN.value,
                           token_hash=repo.hash_token(token), dokumen_asli_diperiksa=[], kekurangan=[], versi=1,
                           alasan=None, pengguna_id=None, diputuskan_pada=None, diputuskan_oleh=None)


def _catat_pengajuan(uow: UnitOfWork, row: SimpleNamespace, p: domain.Pendaftaran, token: str,
                     lingkungan: Lingkungan) -> PendaftaranDibuat:
    """The submission's times, event and history on `uow`; returns the answer (with the access token)."""
    sekarang = now_utc()
    row.peringatan = p.peringatan
    row.diajukan_pada = row.menunggu_sejak = row.diperbarui_pada = sekarang
    uow.emit("registrasi.pendaftaran.diajukan",
             PendaftaranDiajukan(pendaftaran_id=row.id, jenis=row.jenis, status=row.status, waktu=sekarang,
                                 bentuk_usaha=row.bentuk_usaha),
             aggregate_id=row.id, aggregate_version=row.versi)
    isi = repo.data_ke_json(p.data)
    uow.record("pendaftaran", row.id, "diajukan", {"status": [None, row.status], **repo.untuk_riwayat(isi)})
    publik = pendaftaran_dict(vars(row), isi, list(p.peringatan), [], [], [], buka=True, syarat=lingkungan.syarat)
    return PendaftaranDibuat(**publik, token_akses=token)


async def baca_pendaftaran(pendaftaran_id: str, akses: Akses, *, uow: UnitOfWork,
                           lingkungan: Lingkungan) -> dict[str, Any]:
    """One registration, for its registrant (unmasked) or staff (masked except for the verifikator); the read
    is audited. A hot path (issue 9): one statement reads the registration with its documents; its audit entry,
    written only when it exists, is committed with those of the reads answered at the same time
    (`shared.uow.AuditWriter`), before the answer leaves."""
    async with uow.raw(transaction=False):
        sendiri = await _izinkan(uow, akses, pendaftaran_id, PEMBACA_PENDAFTARAN)
        buka = sendiri or akses.verifikator
        rows = await uow.conn.fetch(repo_pg.BACA_PENDAFTARAN, pendaftaran_id)
        if rows:
            _catat_baca(uow, "pendaftaran", pendaftaran_id, nik_npwp=_tampilan(buka))
            await uow.commit()
    if not rows:
        raise NotFound(f"Pendaftaran {pendaftaran_id} tidak ditemukan.")
    return pendaftaran_dari_baris(rows[0], buka=buka, syarat=lingkungan.syarat, kripto=lingkungan.kripto)


async def daftar_pendaftaran(status: domain.StatusPendaftaran | None, jenis: domain.JenisPendaftaran | None,
                             limit: int, cursor: str | None, principal: Principal, *, uow: UnitOfWork,
                             lingkungan: Lingkungan) -> dict[str, Any]:
    """Registrations oldest-waiting first: with `status=diajukan` this is the verification queue. The read is
    audited (one entry naming the ids returned). A hot path (issue 9): one SELECT with the documents (or the
    rows' keys and the rendered rows kept), then the audit entry, committed with those of the reads answered at
    the same time (`shared.uow.AuditWriter`)."""
    posisi = decode_time_cursor(cursor)
    buka = "verifikator" in principal.roles
    syarat, kripto, tampilan = lingkungan.syarat, lingkungan.kripto, lingkungan.tampilan
    saring = (status and status.value, jenis and jenis.value, posisi)
    async with uow.raw(transaction=False):
        halaman = None
        if tampilan is not None and tampilan.maks > 0:
            rows = await repo_pg.daftar_pendaftaran(uow.conn, *saring, limit + 1, kunci=True)
            halaman = await _halaman_tersimpan(uow.conn, rows, limit, buka, lingkungan)
        if halaman is None:  # no cache, or a row changed between its key and its data: one statement
            rows = await repo_pg.daftar_pendaftaran(uow.conn, *saring, limit + 1)
            halaman = page_of(rows, limit, key=_kunci_antrean,
                              convert=lambda r: pendaftaran_dari_baris(r, buka=buka, syarat=syarat, kripto=kripto))
        ids = [r["id"] for r in rows[:limit]]
        _catat_baca(uow, "pendaftaran", DAFTAR, ids=ids, jumlah=len(ids), nik_npwp=_tampilan(buka),
                    saringan={k: v for k, v in {"status": status and status.value, "jenis": jenis and jenis.value,
                                                "cursor": cursor}.items() if v is not None})
        return await uow.commit(halaman)


def _kunci_antrean(r: Any) -> tuple[str, str]:
    return (r["menunggu_sejak"].isoformat(), r["id"])


async def _halaman_tersimpan(conn: Any, kunci: list[Any], limit: int, buka: bool,
                             lingkungan: Lingkungan) -> dict[str, Any] | None:
    """A queue page from its keys (`repository_pg._KOLOM_KUNCI`) and the rows kept rendered per version and
    view (`shared.pagination.page_from_rendered`); None: read it again in one statement."""
    assert lingkungan.tampilan is not None
    return await page_from_rendered(
        kunci, limit, _kunci_antrean, cache=lingkungan.tampilan,
        version=lambda r: ("pendaftaran", r["id"], r["versi"], r["xmin"], buka), ident=lambda r: r["id"],
        fetch=lambda ids: repo_pg.baca_banyak(conn, ids),
        render=lambda r: pendaftaran_dari_baris(r, buka=buka, syarat=lingkungan.syarat, kripto=lingkungan.kripto))


def _gabung_perbaikan(row: Pendaftaran, isi: dict[str, Any], cmd: PendaftaranPerbaikan) -> domain.DataPendaftar:
    """The registration's data with the corrected fields; fields of the other kind are refused."""
    jenis = domain.JenisPendaftaran(row.jenis)
    ubah = cmd.model_dump(mode="json", exclude_unset=True)
    salah = ErrorCollector()
    for isian, nilai in ubah.items():
        if isian not in _ISIAN[jenis]:
            salah.add(isian, f"Isian ini tidak berlaku untuk pendaftaran {jenis}; hapus isian ini.")
        elif nilai is None and isian != "nib":
            salah.add(isian, "Tidak boleh kosong; hilangkan isian ini bila tidak diubah.")
    salah.raise_if_any("Beberapa isian perbaikan tidak valid.")
    isi = dict(isi)
    if "npwp" not in ubah and row.npwp_format_lama and isi.get("npwp"):
        isi["npwp"] = isi["npwp"][1:]  # validate as first given, so the legacy-form warning stays
    return repo.data_dari_json(jenis, {**isi, **ubah})


async def ajukan_ulang(pendaftaran_id: str, cmd: PendaftaranPerbaikan, expected: int | None, akses: Akses, *,
                       uow: UnitOfWork, lingkungan: Lingkungan, hari_ini: date | None = None) -> PendaftaranPublic:
    """The registrant resubmits a registration sent back for fixes, with corrected fields if any."""
    hari = hari_ini or hari_ini_wib()
    async with uow:
        await _izinkan(uow, akses, pendaftaran_id, ())
        row = await _pendaftaran(uow.session, pendaftaran_id, kunci=True)
        check_version(row.versi, expected)
        kripto = lingkungan.kripto
        lama = repo.data_lengkap(row, kripto)
        p = repo.pendaftaran_domain(row, lama, await repo.jenis_dokumen(uow.session, row.id))
        data = _gabung_perbaikan(row, lama, cmd)
        entri = await repo.daftar_hitam_aktif(uow.session, _indeks_npwp(data, kripto), _nib(data), hari)
        try:
            p.ajukan_ulang(hari_ini=hari, data=data, daftar_hitam=[repo.entri_domain(e, kripto) for e in entri])
        except RuleViolation as galat:
            if galat.rule == domain.ATURAN_DAFTAR_HITAM and entri:
                await _catat_tolak_daftar_hitam(uow, entri, data, galat, pendaftaran_id=row.id)
            raise
        status_lama, sekarang = row.status, now_utc()
        format_lama = _format_lama(cmd.npwp) if cmd.npwp else row.npwp_format_lama
        repo.isi_kolom(row, p.data, npwp_format_lama=format_lama, kripto=kripto)
        row.status, row.peringatan, row.versi = p.status.value, p.peringatan, row.versi + 1
        row.menunggu_sejak = row.diperbarui_pada = sekarang
        await _simpan_identitas(uow, row, kecuali=row.id)
        uow.emit("registrasi.pendaftaran.diajukan",
                 PendaftaranDiajukan(pendaftaran_id=row.id, jenis=row.jenis, status=row.status, waktu=sekarang,
                                     bentuk_usaha=row.bentuk_usaha, diajukan_ulang=True),
                 aggregate_id=row.id, aggregate_version=row.versi)
        uow.record("pendaftaran", row.id, "diajukan_ulang",
                   {"status": [status_lama, row.status], **repo.perbedaan(lama, repo.data_ke_json(p.data))})
        dokumen = await repo.dokumen_terkini(uow.session, [row.id])
        return await uow.commit(pendaftaran_publik(row, dokumen[row.id], buka=True, syarat=lingkungan.syarat,
                                                   kripto=kripto))


# --- documents -------------------------------------------------------------------------------------------

async def unggah_dokumen(pendaftaran_id: str, jenis: domain.JenisDokumen, nama_berkas: str | None, isi: bytes,
                         akses: Akses, *, uow: UnitOfWork, lingkungan: Lingkungan) -> DokumenPublic:
    """Store one document version (real type from its bytes, size limit); earlier versions stay archived."""
    async with uow:
        await _izinkan(uow, akses, pendaftaran_id, STAF_PENGUNGGAH)
        row = await _pendaftaran(uow.session, pendaftaran_id, kunci=True)
        p = repo.pendaftaran_domain(row, repo.data_lengkap(row, lingkungan.kripto))
        p.lampirkan_dokumen(jenis)
        jenis_konten = periksa_berkas(isi, nama_berkas=nama_berkas, batas=lingkungan.batas_unggah)
        versi = (await uow.session.scalar(select(func.coalesce(func.max(Dokumen.versi), 0))
                                          .where(Dokumen.pendaftaran_id == row.id, Dokumen.jenis == jenis.value))) + 1
        tersimpan = await lingkungan.penyimpanan.simpan(isi, jenis_konten=jenis_konten)
        sekarang = now_utc()
        dok = Dokumen(id=new_id(), pendaftaran_id=row.id, jenis=jenis.value, versi=versi,
                      nama_berkas=_nama_berkas(nama_berkas), jenis_konten=jenis_konten,
                      ukuran=tersimpan.ukuran, sha256=tersimpan.sha256, kunci=tersimpan.kunci,
                      diunggah_oleh=uow.actor.label, diunggah_pada=sekarang)
        uow.session.add(dok)
        row.versi, row.diperbarui_pada = row.versi + 1, sekarang
        uow.record("pendaftaran", row.id, "dokumen_diunggah",
                   {"dokumen_id": dok.id, "jenis": jenis.value, "versi": versi, "jenis_konten": jenis_konten,
                    "ukuran": dok.ukuran, "sha256": dok.sha256})
        return await uow.commit(dokumen_publik(dok, terkini=True))


def _nama_berkas(nama: str | None) -> str | None:
    """The client's file name as metadata only: control characters dropped, at most 255 characters."""
    bersih = "".join(c for c in (nama or "") if unicodedata.category(c) not in ("Cc", "Cs")).strip()
    return bersih[:255] or None


async def daftar_dokumen(pendaftaran_id: str, akses: Akses, *, uow: UnitOfWork) -> dict[str, Any]:
    """Every version of every document of a registration, newest version first per kind (the read is audited)."""
    async with uow:
        await _izinkan(uow, akses, pendaftaran_id, PEMBACA_PENDAFTARAN)
        await _pendaftaran(uow.session, pendaftaran_id)
        rows = list(await uow.session.scalars(select(Dokumen).where(Dokumen.pendaftaran_id == pendaftaran_id)
                                              .order_by(Dokumen.jenis, Dokumen.versi.desc())))
        terbaru: dict[str, int] = {}
        for r in rows:
            terbaru.setdefault(r.jenis, r.versi)
        _catat_baca(uow, "pendaftaran", pendaftaran_id, dokumen=[r.id for r in rows])
        return await uow.commit({"data": [dokumen_publik(r, terkini=terbaru[r.jenis] == r.versi) for r in rows],
                                 "next_cursor": None})


@dataclass(frozen=True)
class Unduhan:
    isi: bytes
    jenis_konten: str
    nama: str
    sha256: str


async def unduh_dokumen(pendaftaran_id: str, dokumen_id: str, akses: Akses, *, uow: UnitOfWork,
                        lingkungan: Lingkungan) -> Unduhan:
    """The bytes of one document version; the download is written to the registration's history."""
    async with uow:
        await _izinkan(uow, akses, pendaftaran_id, PEMBACA_PENDAFTARAN)
        dok = await uow.session.get(Dokumen, dokumen_id)
        if dok is None or dok.pendaftaran_id != pendaftaran_id:
            raise NotFound(f"Dokumen {dokumen_id} tidak ditemukan pada pendaftaran {pendaftaran_id}.")
        try:
            isi = await lingkungan.penyimpanan.baca(dok.kunci)
        except FileNotFoundError as exc:
            raise NotFound(f"Isi berkas dokumen {dokumen_id} tidak ada di penyimpanan; laporkan ke helpdesk "
                           "dengan request_id ini.") from exc
        uow.record("pendaftaran", pendaftaran_id, "dokumen_diunduh",
                   {"dokumen_id": dok.id, "jenis": dok.jenis, "versi": dok.versi})
        await uow.commit()
    ekstensi = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(dok.jenis_konten, "bin")
    return Unduhan(isi=isi, jenis_konten=dok.jenis_konten, nama=f"{dok.jenis}-v{dok.versi}.{ekstensi}",
                   sha256=dok.sha256)


# --- verification ---------------------------------------------------------------------------------------

def _keputusan_dasar(row: Pendaftaran, sekarang: datetime) -> dict[str, Any]:
    return {"pendaftaran_id": row.id, "jenis": row.jenis, "status": row.status, "waktu": sekarang,
            "bentuk_usaha": row.bentuk_usaha, "diajukan_pada": row.diajukan_pada,
            "menunggu_sejak": row.menunggu_sejak, "diputuskan_oleh": row.diputuskan_oleh}


async def verifikasi(pendaftaran_id: str, cmd: Verifikasi, expected: int | None, principal: Principal, *,
                     uow: UnitOfWork, lingkungan: Lingkungan, hari_ini: date | None = None) -> PendaftaranPublic:
    """The verifikator's decision: approve (creates an active user), refuse (final) or send back for fixes."""
    hari = hari_ini or hari_ini_wib()
    async with uow:
        row = await _pendaftaran(uow.session, pendaftaran_id, kunci=True)
        check_version(row.versi, expected)
        kripto = lingkungan.kripto
        dokumen_ada = await repo.jenis_dokumen(uow.session, row.id)
        p = repo.pendaftaran_domain(row, repo.data_lengkap(row, kripto), dokumen_ada)
        entri = await repo.daftar_hitam_aktif(uow.session, row.npwp_indeks, row.nib, hari)
        event = p.putuskan(cmd.keputusan, oleh=principal.sub, hari_ini=hari, alasan=cmd.alasan,
                           dokumen_asli_diperiksa=cmd.dokumen_asli_diperiksa, kekurangan=cmd.kekurangan,
                           syarat=lingkungan.syarat, daftar_hitam=[repo.entri_domain(e, kripto) for e in entri])
        status_lama, sekarang = row.status, now_utc()
        disetujui = isinstance(event, domain.PendaftaranDisetujui)
        row.status, row.versi = p.status.value, row.versi + 1
        row.alasan = (cmd.alasan.strip() if disetujui else p.alasan) or None
        row.kekurangan = []
        row.diputuskan_pada = row.diperbarui_pada = sekarang
        row.diputuskan_oleh = principal.sub
        perubahan: dict[str, Any] = {"status": [status_lama, row.status]}
        if disetujui:
            row.dokumen_asli_diperiksa = sorted(p.dokumen_asli_diperiksa)
            pengguna = await _buat_pengguna(uow, row, p.data, sekarang)
            row.pengguna_id = pengguna.id
            perubahan.update(dokumen_asli_diperiksa=row.dokumen_asli_diperiksa, pengguna_id=pengguna.id)
            uow.emit("registrasi.pendaftaran.disetujui",
                     PendaftaranDisetujui(**_keputusan_dasar(row, sekarang), pengguna_id=pengguna.id,
                                          user_id=row.user_id),
                     aggregate_id=row.id, aggregate_version=row.versi)
        elif isinstance(event, domain.PendaftaranDitolak):
            uow.emit("registrasi.pendaftaran.ditolak",
                     PendaftaranDitolak(**_keputusan_dasar(row, sekarang), alasan=event.alasan,
                                        karena_daftar_hitam=bool(entri)),
                     aggregate_id=row.id, aggregate_version=row.versi)
        else:
            row.kekurangan = list(event.kekurangan)
            perubahan["kekurangan"] = row.kekurangan
            uow.emit("registrasi.pendaftaran.perlu_perbaikan",
                     PendaftaranPerluPerbaikan(**_keputusan_dasar(row, sekarang), alasan=event.alasan,
                                               dokumen_kurang=row.kekurangan),
                     aggregate_id=row.id, aggregate_version=row.versi)
        uow.record("pendaftaran", row.id, cmd.keputusan.value, perubahan, alasan=row.alasan)
        dokumen = await repo.dokumen_terkini(uow.session, [row.id])
        return await uow.commit(pendaftaran_publik(row, dokumen[row.id], buka=True, syarat=lingkungan.syarat,
                                                   kripto=kripto))


async def _buat_pengguna(uow: UnitOfWork, row: Pendaftaran, data: domain.DataPendaftar,
                         sekarang: datetime) -> Pengguna:
    """The active user an approved registration creates (its identifiers locked first). NIK and NPWP are
    copied as the registration holds them: encrypted, the NPWP with its blind index."""
    p = repo.pendaftaran_domain(row, repo.data_ke_json(data))
    akun = domain.Pengguna.dari_pendaftaran(new_id(), p)
    pemerintah = isinstance(data, domain.DataNonPenyedia)
    pengguna = Pengguna(
        id=akun.id, pendaftaran_id=row.id, jenis=row.jenis, status=akun.status.value, user_id=row.user_id,
        email=row.email, nama=row.nama, bentuk_usaha=row.bentuk_usaha, npwp_sandi=row.npwp_sandi,
        npwp_indeks=row.npwp_indeks, nib=row.nib, nip=row.nip, nik_sandi=row.nik_sandi if pemerintah else None,
        instansi=data.instansi if pemerintah else None,
        satuan_kerja=data.satuan_kerja if pemerintah else None,
        peran=sorted(x.value for x in data.peran) if pemerintah else [PERAN_PENYEDIA],
        berlaku_sampai=akun.berlaku_sampai, versi=1, dibuat_pada=sekarang, diperbarui_pada=sekarang)
    await _simpan_identitas(uow, pengguna, periksa=False)
    uow.emit("registrasi.pengguna.diaktifkan",
             PenggunaDiaktifkan(**_data_pengguna(pengguna, sekarang), pendaftaran_id=row.id),
             aggregate_id=pengguna.id, aggregate_version=pengguna.versi)
    uow.record("pengguna", pengguna.id, "dibuat",
               {"status": [None, pengguna.status], "user_id": pengguna.user_id, "pendaftaran_id": row.id})
    return pengguna


# --- users -----------------------------------------------------------------------------------------------

def _data_pengguna(row: Pengguna, waktu: datetime) -> dict[str, Any]:
    return {"pengguna_id": row.id, "user_id": row.user_id, "jenis": row.jenis, "status": row.status, "waktu": waktu,
            "nama": row.nama, "nip": row.nip, "peran": list(row.peran), "satuan_kerja": row.satuan_kerja,
            "instansi": row.instansi, "berlaku_sampai": row.berlaku_sampai}


async def baca_pengguna(pengguna_id: str, principal: Principal, *, uow: UnitOfWork,
                        lingkungan: Lingkungan) -> PenggunaPublic:
    """One user account (the read is audited)."""
    buka = "verifikator" in principal.roles
    async with uow:
        row = await _pengguna(uow.session, pengguna_id)
        publik = pengguna_publik(row, buka=buka, kripto=lingkungan.kripto)
        _catat_baca(uow, "pengguna", row.id, nik_npwp=_tampilan(buka))
        return await uow.commit(publik)


async def daftar_pengguna(status: domain.StatusPengguna | None, jenis: domain.JenisPendaftaran | None,
                          nip: str | None, limit: int, cursor: str | None, principal: Principal, *,
                          uow: UnitOfWork, lingkungan: Lingkungan) -> dict[str, Any]:
    """User accounts in creation order, filtered by status, kind or NIP (the read is audited)."""
    setelah = decode_time_cursor(cursor)
    stmt = select(Pengguna).order_by(Pengguna.dibuat_pada, Pengguna.id).limit(limit + 1)
    for kolom, nilai in ((Pengguna.status, status), (Pengguna.jenis, jenis), (Pengguna.nip, nip)):
        if nilai:
            stmt = stmt.where(kolom == str(nilai))
    if setelah:
        waktu, kunci = setelah
        stmt = stmt.where(tuple_(Pengguna.dibuat_pada, Pengguna.id) > tuple_(waktu, kunci))
    buka = "verifikator" in principal.roles
    async with uow:
        rows = list(await uow.session.scalars(stmt))
        halaman = page_of(rows, limit, key=lambda r: (r.dibuat_pada.isoformat(), r.id),
                          convert=lambda r: pengguna_publik(r, buka=buka, kripto=lingkungan.kripto))
        _catat_baca_daftar(uow, "pengguna", rows, limit, buka,
                           {"status": status and str(status), "jenis": jenis and str(jenis), "nip": nip,
                            "cursor": cursor})
        return await uow.commit(halaman)


async def ubah_status_pengguna(pengguna_id: str, tindakan: Literal["nonaktifkan", "aktifkan"], alasan: str,
                               expected: int | None, principal: Principal, *, uow: UnitOfWork,
                               lingkungan: Lingkungan, hari_ini: date | None = None) -> PenggunaPublic:
    """Deactivate or reactivate a user ID, with the reason (Lampiran 2.3c)."""
    hari = hari_ini or hari_ini_wib()
    async with uow:
        row = await _pengguna(uow.session, pengguna_id, kunci=True)
        check_version(row.versi, expected)
        akun = repo.pengguna_domain(row)
        if tindakan == "nonaktifkan":
            event: Any = akun.nonaktifkan(alasan=alasan, oleh=principal.sub)
        else:
            event = akun.aktifkan(alasan=alasan, oleh=principal.sub, hari_ini=hari)
        status_lama, sekarang = row.status, now_utc()
        row.status, row.alasan_status, row.versi, row.diperbarui_pada = akun.status.value, event.alasan, \
            row.versi + 1, sekarang
        if tindakan == "nonaktifkan":
            uow.emit("registrasi.pengguna.dinonaktifkan",
                     PenggunaDinonaktifkan(**_data_pengguna(row, sekarang), alasan=event.alasan),
                     aggregate_id=row.id, aggregate_version=row.versi)
        else:
            uow.emit("registrasi.pengguna.diaktifkan",
                     PenggunaDiaktifkan(**_data_pengguna(row, sekarang), alasan=event.alasan),
                     aggregate_id=row.id, aggregate_version=row.versi)
        uow.record("pengguna", row.id, "dinonaktifkan" if tindakan == "nonaktifkan" else "diaktifkan_kembali",
                   {"status": [status_lama, row.status]}, alasan=event.alasan)
        return await uow.commit(pengguna_publik(row, buka="verifikator" in principal.roles,
                                                kripto=lingkungan.kripto))


async def kedaluwarsakan_pengguna(session_factory: async_sessionmaker[AsyncSession], *,
                                  hari_ini: date | None = None) -> list[str]:
    """Expire government users whose SK end date has passed; each is expired and announced exactly once,
    even with several replicas (rows locked with SKIP LOCKED, state and events in one transaction)."""
    hari = hari_ini or hari_ini_wib()
    async with UnitOfWork(session_factory, source="registrasi", actor=SYSTEM) as uow:
        stmt = (select(Pengguna).where(Pengguna.status != domain.StatusPengguna.KEDALUWARSA.value,
                                       Pengguna.berlaku_sampai < hari)
                .order_by(Pengguna.berlaku_sampai, Pengguna.id).limit(500).with_for_update(skip_locked=True))
        rows = list(await uow.session.scalars(stmt))
        sekarang, selesai = now_utc(), []
        for row in rows:
            akun = repo.pengguna_domain(row)
            if akun.perbarui_masa_berlaku(hari) is None:
                continue
            status_lama = row.status
            row.status, row.versi, row.diperbarui_pada = akun.status.value, row.versi + 1, sekarang
            row.alasan_status = f"Masa berlaku SK/surat tugas berakhir {domain.tanggal_indonesia(row.berlaku_sampai)}."
            uow.emit("registrasi.pengguna.kedaluwarsa", PenggunaKedaluwarsa(**_data_pengguna(row, sekarang)),
                     aggregate_id=row.id, aggregate_version=row.versi)
            uow.record("pengguna", row.id, "kedaluwarsa", {"status": [status_lama, row.status],
                                                           "berlaku_sampai": row.berlaku_sampai.isoformat()},
                       alasan=row.alasan_status)
            selesai.append(row.id)
        await uow.commit()
        return selesai


async def antrean_verifikasi(session_factory: async_sessionmaker[AsyncSession]) -> tuple[int, float]:
    """How many registrations wait in `diajukan`, and the age in seconds of the oldest (0 when none)."""
    async with session_factory() as session:
        jumlah, tertua = (await session.execute(
            select(func.count(), func.min(Pendaftaran.menunggu_sejak))
            .where(Pendaftaran.status == domain.StatusPendaftaran.DIAJUKAN.value))).one()
    umur = (datetime.now(UTC) - tertua).total_seconds() if tertua else 0.0
    return int(jumlah), max(umur, 0.0)


# --- blacklist -------------------------------------------------------------------------------------------

async def catat_daftar_hitam(cmd: DaftarHitamCreate, principal: Principal, *, uow: UnitOfWork,
                             lingkungan: Lingkungan, hari_ini: date | None = None) -> DaftarHitamPublic:
    """Record a blacklist entry; it ends 24 months (ethics) or 12 months (other breaches) after it starts."""
    salah = ErrorCollector()
    npwp = kumpulkan(salah, normalisasi_npwp, cmd.npwp, field="npwp") if cmd.npwp else None
    nib = kumpulkan(salah, validasi_nib, cmd.nib, field="nib") if cmd.nib else None
    if not cmd.npwp and not cmd.nib:
        salah.add("npwp", "Isi NPWP dan/atau NIB penyedia yang dikenai sanksi daftar hitam.")
    salah.raise_if_any()
    selesai = domain.akhir_daftar_hitam(cmd.mulai, cmd.jenis_pelanggaran)
    async with uow:
        sekarang, npwp16 = now_utc(), npwp.npwp16 if npwp else None
        row = DaftarHitam(id=new_id(), npwp_sandi=repo.sandikan(lingkungan.kripto, npwp16),
                          npwp_indeks=repo.indeks_npwp(lingkungan.kripto, npwp16), nib=nib,
                          nama_penyedia=cmd.nama_penyedia,
                          jenis_pelanggaran=cmd.jenis_pelanggaran.value, mulai=cmd.mulai, selesai=selesai,
                          alasan=cmd.alasan, nomor_keputusan=cmd.nomor_keputusan, dicatat_oleh=principal.sub,
                          dicatat_pada=sekarang, versi=1)
        uow.session.add(row)
        try:
            await uow.session.flush()
        except IntegrityError as exc:
            raise Conflict("Entri daftar hitam dengan NPWP/NIB, jenis pelanggaran dan tanggal mulai yang sama "
                           "sudah dicatat.", errors=[FieldError("mulai", "entri yang sama sudah ada")]) from exc
        uow.emit("registrasi.daftar_hitam.dicatat",
                 DaftarHitamDicatat(daftar_hitam_id=row.id, jenis_pelanggaran=row.jenis_pelanggaran, mulai=row.mulai,
                                    selesai=row.selesai, waktu=sekarang),
                 aggregate_id=row.id, aggregate_version=row.versi)
        uow.record("daftar_hitam", row.id, "dicatat",
                   {"npwp": samarkan(npwp16) if npwp16 else None, "nib": row.nib,
                    "jenis_pelanggaran": row.jenis_pelanggaran, "mulai": row.mulai.isoformat(),
                    "selesai": row.selesai.isoformat(), "nomor_keputusan": row.nomor_keputusan}, alasan=row.alasan)
        hari = hari_ini or hari_ini_wib()
        return await uow.commit(daftar_hitam_publik(row, buka="verifikator" in principal.roles, hari_ini=hari,
                                                    kripto=lingkungan.kripto))


async def baca_daftar_hitam(daftar_hitam_id: str, principal: Principal, *, uow: UnitOfWork,
                            lingkungan: Lingkungan) -> DaftarHitamPublic:
    """One blacklist entry (the read is audited: it carries an NPWP)."""
    buka = "verifikator" in principal.roles
    async with uow:
        row = await uow.session.get(DaftarHitam, daftar_hitam_id)
        if row is None:
            raise NotFound(f"Entri daftar hitam {daftar_hitam_id} tidak ditemukan.")
        publik = daftar_hitam_publik(row, buka=buka, hari_ini=hari_ini_wib(), kripto=lingkungan.kripto)
        _catat_baca(uow, "daftar_hitam", row.id, nik_npwp=_tampilan(buka))
        return await uow.commit(publik)


async def daftar_daftar_hitam(npwp: str | None, nib: str | None, aktif: bool | None, limit: int,
                              cursor: str | None, principal: Principal, *, uow: UnitOfWork,
                              lingkungan: Lingkungan) -> dict[str, Any]:
    """Blacklist entries, newest recorded last, filtered by NPWP (by its blind index), NIB or whether in force
    today (the read is audited)."""
    hari = hari_ini_wib()
    setelah = decode_time_cursor(cursor)
    stmt = select(DaftarHitam).order_by(DaftarHitam.dicatat_pada, DaftarHitam.id).limit(limit + 1)
    npwp16 = None
    if npwp:
        npwp16 = normalisasi_npwp(npwp, field="query.npwp").npwp16
        stmt = stmt.where(DaftarHitam.npwp_indeks == repo.indeks_npwp(lingkungan.kripto, npwp16))
    if nib:
        stmt = stmt.where(DaftarHitam.nib == validasi_nib(nib, field="query.nib"))
    if aktif is not None:
        berlaku = (DaftarHitam.mulai <= hari) & (DaftarHitam.selesai >= hari)
        stmt = stmt.where(berlaku if aktif else ~berlaku)
    if setelah:
        waktu, kunci = setelah
        stmt = stmt.where(tuple_(DaftarHitam.dicatat_pada, DaftarHitam.id) > tuple_(waktu, kunci))
    buka = "verifikator" in principal.roles
    async with uow:
        rows = list(await uow.session.scalars(stmt))
        halaman = page_of(rows, limit, key=lambda r: (r.dicatat_pada.isoformat(), r.id),
                          convert=lambda r: daftar_hitam_publik(r, buka=buka, hari_ini=hari, kripto=lingkungan.kripto))
        _catat_baca_daftar(uow, "daftar_hitam", rows, limit, buka,
                           {"npwp": samarkan(npwp16) if npwp16 else None, "nib": nib, "aktif": aktif,
                            "cursor": cursor})
        return await uow.commit(halaman)


# --- history ---------------------------------------------------------------------------------------------

_RIWAYAT = table("riwayat", column("id", BigInteger), column("waktu", DateTime(timezone=True)),
                 column("aggregate_type", String), column("aggregate_id", String), column("aksi", String),
                 column("aktor", String), column("peran", String), column("alamat_ip", String),
                 column("request_id", String), column("perubahan", JSONB), column("alasan", String))
_AGREGAT = {"pendaftaran": Pendaftaran, "pengguna": Pengguna, "daftar_hitam": DaftarHitam}


async def baca_riwayat(jenis_agregat: Literal["pendaftaran", "pengguna", "daftar_hitam"], agregat_id: str,
                       limit: int, cursor: str | None, *, uow: UnitOfWork) -> dict[str, Any]:
    """The full change history of a registration, user or blacklist entry, oldest first: every change and every
    document download. Plain reads (aksi `dibaca`) are audit entries, read through `/api/v1/audit`."""
    setelah = decode_cursor(cursor)
    try:
        mulai = int(setelah[0]) if setelah else 0
    except (TypeError, ValueError, IndexError) as exc:
        raise ValidationFailed("cursor tidak valid.", errors=[FieldError("query.cursor", "format tidak dikenal")]) \
            from exc
    async with uow:
        if await uow.session.get(_AGREGAT[jenis_agregat], agregat_id) is None:
            raise NotFound(f"{jenis_agregat.replace('_', ' ').capitalize()} {agregat_id} tidak ditemukan.")
        rows = list(await uow.session.execute(
            select(_RIWAYAT).where(_RIWAYAT.c.aggregate_type == jenis_agregat, _RIWAYAT.c.aggregate_id == agregat_id,
                                   _RIWAYAT.c.aksi != AKSI_BACA, _RIWAYAT.c.id > mulai)
            .order_by(_RIWAYAT.c.id).limit(limit + 1)))
    return page_of(rows, limit, key=lambda r: (r.id,), convert=riwayat_publik)

