"""Use cases of helpdesk: tickets, officers, announcements, berita acara, the SLA job and summaries.

Every change is one unit of work: the aggregate row is locked (`FOR UPDATE`), the pure domain
decides, and the rows, the outbox events (the contract types of `shared.contracts.helpdesk`, SLA
figures included) and a history row are committed together, or nothing is. Each event bumps the
aggregate's `versi` (its `aggregate_version` and the ETag), so consumers that apply events by
version never drop one.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

import orjson
from asyncpg import Record
from sqlalchemy import Integer, Select, cast, func, or_, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.helpdesk import domain as d
from services.helpdesk import metrics
from services.helpdesk import repository as repo
from services.helpdesk import repository_pg as repo_pg
from services.helpdesk.config import AturanHelpdesk
from services.helpdesk.dokumen import pdf_berita_acara
from services.helpdesk.models import (
    BeritaAcaraRow,
    EskalasiRow,
    LampiranRow,
    PengumumanRow,
    PetugasRow,
    SlaTerlampauiRow,
    TiketRow,
)
from services.helpdesk.schemas import (
    BeritaAcaraCreate,
    BeritaAcaraPublic,
    BeritaAcarasPublic,
    BeritaAcaraUpdate,
    BukaKembaliCreate,
    DiLuarLingkupCreate,
    EskalasiCreate,
    EskalasiPublic,
    KepatuhanPublic,
    LampiranPublic,
    PelaporKontak,
    PelaporPublic,
    PengumumanCreate,
    PengumumanPublic,
    PengumumansPublic,
    PenilaianCreate,
    PenilaianPublic,
    PenugasanCreate,
    PenyelesaianCreate,
    PermintaanDataCreate,
    PetugasListPublic,
    PetugasPublic,
    PetugasUpdate,
    PrioritasUpdate,
    RingkasanPublic,
    SlaJenisPublic,
    SlaPublic,
    TanggapanCreate,
    TanggapanPublic,
    TiketBaru,
    TiketCreate,
    TiketPublic,
    TiketRingkas,
)
from services.helpdesk.waktu_kerja import WIB
from shared.auth import Principal
from shared.berkas import Penyimpanan, periksa_berkas
from shared.contracts import helpdesk as kontrak
from shared.deps import check_version
from shared.errors import FieldError, Forbidden, InvalidState, NotFound, Unauthorized, ValidationFailed
from shared.kripto import hash_token
from shared.pagination import decode_time_cursor, page_from_rendered, page_of
from shared.responses import FragmentCache, json_bytes
from shared.uow import UnitOfWork, new_id, now_utc

SEBAB_PENUTUPAN = {d.SebabPenutupan.DIKONFIRMASI_PELAPOR: "konfirmasi", d.SebabPenutupan.OTOMATIS: "otomatis",
                   d.SebabPenutupan.DI_LUAR_LINGKUP: "di_luar_lingkup"}
PERAN_PEMBACA_BERITA_ACARA = frozenset({"kasubbag_lpse", "helpdesk", "kepala_ukpbj", "admin_ukpbj"})
PERAN_PETUGAS = "helpdesk"
AKSI_KONTAK_DIBACA = "data_pelapor_dibaca"  # the audit row of a read of the reporter's e-mail or telephone
KUNCI_PENUGASAN = "SELECT pg_advisory_xact_lock(hashtext('helpdesk:penugasan-otomatis'))"
ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
STATUS_TERBUKA = tuple(s.value for s in d.STATUS_TERBUKA)
_BATCH_MAKS = 50


@dataclass(frozen=True)
class Pemanggil:
    """Who calls: a token's principal, and/or the anonymous reporter's `X-Token-Pelapor`."""

    principal: Principal | None = None
    token_pelapor: str | None = None

    @property
    def staf(self) -> bool:
        return self.principal is not None and self.principal.has_any(d.PERAN_STAF)


@dataclass
class Dampak:
    """What a committed change counts in the metrics."""

    pelanggaran: list[str] = field(default_factory=list)
    eskalasi: list[str] = field(default_factory=list)

    def catat(self) -> None:
        metrics.catat_dampak(self.pelanggaran, self.eskalasi)


@dataclass
class HasilPemeriksaan:
    """What one run of the SLA job did."""

    pelanggaran: list[tuple[str, str]] = field(default_factory=list)
    ditutup_otomatis: list[str] = field(default_factory=list)




# ── who acts ───────────────────────────────────────────────────────────────────────────────────

def _aktor(row: Any, pemanggil: Pemanggil) -> d.Aktor:
    """Who acts on this ticket (`row`: a TiketRow, or an asyncpg record of `repository_pg`)."""
    token_hash, tiket_id = (row["token_hash"], row["id"]) if isinstance(row, Record) else (row.token_hash, row.id)
    if pemanggil.token_pelapor is not None:
        if token_hash and hmac.compare_digest(hash_token(pemanggil.token_pelapor), token_hash):
            return d.Aktor(f"publik:{tiket_id}")
        raise Forbidden("X-Token-Pelapor tidak cocok dengan tiket ini; gunakan token yang diterima ketika tiket "
                        "dibuat.")
    if pemanggil.principal is not None:
        return _aktor_principal(pemanggil.principal)
    raise Unauthorized("Sertakan 'Authorization: Bearer <token>', atau header 'X-Token-Pelapor' bagi pelapor "
                       "tanpa akun SPSE.")


def _aktor_principal(principal: Principal) -> d.Aktor:
    return d.Aktor(principal.sub, frozenset(principal.roles))


def _sebagai(uow: UnitOfWork, aktor: d.Aktor) -> None:
    """History rows name the anonymous reporter by their ticket-scoped subject."""
    if uow.actor.sub is None:
        uow.actor = replace(uow.actor, sub=aktor.sub)


def _wajib_boleh_baca(tiket: d.Tiket, aktor: d.Aktor) -> None:
    if not (aktor.punya_peran(d.PERAN_STAF) or tiket.adalah_pelapor(aktor)):
        raise Forbidden("Tiket ini hanya dapat dibaca dan ditangani oleh pelapornya, petugas helpdesk, atau "
                        "Kasubbag LPSE.")


async def _catat_petugas(session: AsyncSession, principal: Principal | None, now: datetime) -> None:
    """An officer (role `helpdesk`) joins the assignment pool the first time they act."""
    if principal is None or PERAN_PETUGAS not in principal.roles:
        return
    stmt = insert(PetugasRow).values(sub=principal.sub, nama=principal.name, aktif=True, terdaftar_pada=now,
                                     terakhir_aktif_pada=now)
    await session.execute(stmt.on_conflict_do_update(
        index_elements=[PetugasRow.sub],
        set_={"terakhir_aktif_pada": now, "nama": func.coalesce(stmt.excluded.nama, PetugasRow.nama)}))


# ── views ──────────────────────────────────────────────────────────────────────────────────────

def _ms(detik: float) -> float:
    """Seconds to the millisecond, as every SLA figure is shown (the list's rows and the ORM path alike);
    half the cost of `round(detik, 3)`, which a list page called 150 times (issue 9)."""
    return round(detik * 1000) / 1000


def _sla_jenis(hasil: d.HasilSla) -> dict[str, Any]:
    status = "dijeda" if hasil.dijeda and hasil.status is d.StatusSla.BERJALAN else hasil.status.value
    return {"target_detik": hasil.target_detik, "terpakai_detik": _ms(hasil.terpakai_detik),
            "sisa_detik": _ms(max(0.0, hasil.target_detik - hasil.terpakai_detik)),
            "jatuh_tempo": hasil.jatuh_tempo, "status": status, "dijeda": hasil.dijeda}


def tampilan_sla(hasil: d.HasilSla) -> SlaJenisPublic:
    """One SLA clock as the API shows it (`dijeda` while paused short of its target)."""
    return SlaJenisPublic(**_sla_jenis(hasil))


def _dua_jam_berjalan(r: Any) -> bool:
    """The common ticket: no pause, no first response, neither resolved nor closed (both clocks running)."""
    jeda = r["jeda"]
    return (r["respons_pertama_pada"] is None and (jeda == "[]" or not jeda) and r["diselesaikan_pada"] is None
            and r["ditutup_pada"] is None)


def _sla_record(r: Any, sla: d.SlaSaat) -> dict[str, Any]:
    """The `sla` of a ticket read on asyncpg (`repository_pg.KOLOM_RINGKAS`): the fields of `SlaPublic` in its
    order (`target_detik` is a float column, so the JSON numbers are the model's). A list page runs this for
    every row: the common ticket (no pause, both clocks running) takes the short way, whose statuses are
    `StatusSla` members that orjson writes as their values."""
    jeda = r["jeda"]
    if _dua_jam_berjalan(r):
        target_respons, target_penyelesaian = r["target_respons_detik"], r["target_penyelesaian_detik"]
        cepat = sla.berjalan(r["dibuat_pada"], target_respons, target_penyelesaian)
        if cepat is not None:  # `_sla_jenis` of two running clocks without pauses
            terpakai, jatuh_tempo_respons, status_respons, jatuh_tempo_penyelesaian, status_penyelesaian = cepat
            terpakai_ms = _ms(terpakai)
            return {"respons_pertama": {"target_detik": target_respons, "terpakai_detik": terpakai_ms,
                                        "sisa_detik": _ms(target_respons - terpakai)
                                        if terpakai < target_respons else 0.0,
                                        "jatuh_tempo": jatuh_tempo_respons, "status": status_respons,
                                        "dijeda": False},
                    "penyelesaian": {"target_detik": target_penyelesaian, "terpakai_detik": terpakai_ms,
                                     "sisa_detik": _ms(target_penyelesaian - terpakai)
                                     if terpakai < target_penyelesaian else 0.0,
                                     "jatuh_tempo": jatuh_tempo_penyelesaian, "status": status_penyelesaian,
                                     "dijeda": False}}
    evaluasi = d.evaluasi_sla_waktu(r["dibuat_pada"], r["target_respons_detik"], r["target_penyelesaian_detik"],
                                    repo_pg.jeda_sla(jeda), r["respons_pertama_pada"],
                                    r["diselesaikan_pada"] or r["ditutup_pada"], sla.now, sla.kalender)
    return {"respons_pertama": _sla_jenis(evaluasi.respons_pertama),
            "penyelesaian": _sla_jenis(evaluasi.penyelesaian)}


def ringkas_dari_record(r: Any, sla: d.SlaSaat) -> dict[str, Any]:
    """A list row from an asyncpg record of `KOLOM_RINGKAS`: exactly the fields of `TiketRingkas`, in its
    order and with its JSON types (the route writes it with orjson: the bytes pydantic would write)."""
    hasil = dict(zip(repo_pg.KOLOM_TAMPIL, r.values()))  # the record's first columns are these
    hasil["sla"] = _sla_record(r, sla)
    return hasil


_TERLAMPAUI = d.StatusSla.TERLAMPAUI
_TERLAMPAUI_JSON, _BERJALAN_JSON = json_bytes(_TERLAMPAUI), json_bytes(d.StatusSla.BERJALAN)
_SISA = b',"sisa_detik":'
_NOL = json_bytes(0.0)
_AKHIR = b',"dijeda":false}}}'


class RingkasTersimpan:
    """A list row kept between pages (`shared.pagination.page_from_rendered` with `finish`; issue 9).

    Its fields before `sla` are rendered once per version of the row. `json(sla)` adds the SLA clocks at
    the page's moment. For the common ticket (no pause, both clocks running) only the time used, what is
    left and the two statuses change from one page to the next. Their constant parts (targets, due
    times) are rendered at the first page that needs them, and the row is joined from bytes.
    Any other ticket goes through `_sla_record`. Either way the bytes are those of
    `ringkas_dari_record` through orjson (tests/unit/helpdesk/test_sla_cepat.py)."""

    __slots__ = ("id", "awal", "record", "cepat", "dibuat_pada", "target_respons", "target_penyelesaian", "tetap")

    def __init__(self, r: Any) -> None:
        self.id = r["id"]
        self.awal = json_bytes(dict(zip(repo_pg.KOLOM_TAMPIL, r.values())))[:-1] + b',"sla":'
        self.record = {k: r[k] for k in ("dibuat_pada", *repo_pg.KOLOM_SLA)}
        self.cepat = _dua_jam_berjalan(r)
        self.dibuat_pada = r["dibuat_pada"]
        self.target_respons = r["target_respons_detik"]
        self.target_penyelesaian = r["target_penyelesaian_detik"]
        self.tetap: tuple[Any, ...] | None = None

    def json(self, sla: d.SlaSaat) -> orjson.Fragment:
        if self.cepat:
            target_respons, target_penyelesaian = self.target_respons, self.target_penyelesaian
            cepat = sla.berjalan(self.dibuat_pada, target_respons, target_penyelesaian)
            if cepat is not None:
                terpakai, jatuh_tempo_respons, status_respons, jatuh_tempo_penyelesaian, status_penyelesaian = cepat
                tetap = self.tetap
                if tetap is None or tetap[0] is not sla.kalender:  # the due times hold for one calendar
                    tetap = self.tetap = (
                        sla.kalender,
                        self.awal + b'{"respons_pertama":{"target_detik":' + json_bytes(target_respons)
                        + b',"terpakai_detik":',
                        b',"jatuh_tempo":' + json_bytes(jatuh_tempo_respons) + b',"status":',
                        b',"dijeda":false},"penyelesaian":{"target_detik":' + json_bytes(target_penyelesaian)
                        + b',"terpakai_detik":',
                        b',"jatuh_tempo":' + json_bytes(jatuh_tempo_penyelesaian) + b',"status":')
                # `_ms` of the time used and of what is left, as `_sla_record` writes them
                terpakai_json = orjson.dumps(round(terpakai * 1000) / 1000)
                sisa_respons = (orjson.dumps(round((target_respons - terpakai) * 1000) / 1000)
                                if terpakai < target_respons else _NOL)
                sisa_penyelesaian = (orjson.dumps(round((target_penyelesaian - terpakai) * 1000) / 1000)
                                     if terpakai < target_penyelesaian else _NOL)
                return orjson.Fragment(b"".join((
                    tetap[1], terpakai_json, _SISA, sisa_respons, tetap[2],
                    _TERLAMPAUI_JSON if status_respons is _TERLAMPAUI else _BERJALAN_JSON,
                    tetap[3], terpakai_json, _SISA, sisa_penyelesaian, tetap[4],
                    _TERLAMPAUI_JSON if status_penyelesaian is _TERLAMPAUI else _BERJALAN_JSON,
                    _AKHIR)))
        return orjson.Fragment(self.awal + json_bytes(_sla_record(self.record, sla)) + b"}")


def _versi_tiket(r: Any) -> tuple[str, str, str]:
    return ("tiket", r["id"], r["xmin"])


def _id(r: Any) -> str:
    return r["id"]


def _kunci_tiket(r: Any) -> tuple[str, str]:
    return (r["dibuat_pada"].isoformat(), r["id"])


def _kunci_tersimpan(baris: RingkasTersimpan) -> tuple[str, str]:
    return (baris.dibuat_pada.isoformat(), baris.id)


def _subjek_pelapor(r: Any) -> str:
    return r["pelapor_sub"] or f"publik:{r['id']}"


def tiket_dari_record(r: Any, aktor: d.Aktor, now: datetime, aturan: AturanHelpdesk) -> dict[str, Any]:
    """`tampilan_tiket` of a ticket read on asyncpg (`repository_pg.BACA_TIKET`): exactly the fields of
    `TiketPublic`, in its order and with its JSON types (written with orjson by the route)."""
    staf = aktor.punya_peran(d.PERAN_STAF)
    if not staf and aktor.sub != _subjek_pelapor(r):  # Tiket.tanggapan_untuk
        raise Forbidden("Hanya pelapor tiket ini, petugas helpdesk atau Kasubbag LPSE yang dapat "
                        "membaca tanggapan.")
    hasil = ringkas_dari_record(r, d.SlaSaat(now, aturan.kalender))
    sebab = r["sebab_penutupan"]
    hasil.update(
        uraian=r["uraian"],
        pelapor={"sub": r["pelapor_sub"], "nama": r["pelapor_nama"], "email": r["pelapor_email"],
                 "telepon": r["pelapor_telepon"]},
        solusi=r["solusi"], diselesaikan_pada=r["diselesaikan_pada"], ditutup_pada=r["ditutup_pada"],
        sebab_penutupan=SEBAB_PENUTUPAN[d.SebabPenutupan(sebab)] if sebab else None,
        tutup_otomatis_pada=r["tutup_otomatis_pada"],
        tanggapan=[{"oleh": oleh, "sebagai": sebagai, "isi": isi, "internal": internal, "waktu": waktu}
                   for oleh, sebagai, isi, internal, waktu in r["tanggapan"] if staf or not internal],
        eskalasi=[{"dari": dari, "ke": ke, "oleh": oleh, "waktu": waktu, "alasan": alasan,
                   "referensi_lkpp": referensi, "catatan": catatan if staf else None}
                  for dari, ke, oleh, waktu, alasan, referensi, catatan in r["eskalasi"]],
        lampiran=[{"id": id_, "nama_berkas": nama, "jenis_konten": jenis, "ukuran": ukuran, "sha256": sha256,
                   "diunggah_oleh": oleh, "diunggah_pada": waktu, "url": f"/api/v1/tiket/{r['id']}/lampiran/{id_}"}
                  for id_, nama, jenis, ukuran, sha256, oleh, waktu in r["lampiran"]],
        penilaian={"nilai": r["nilai_kepuasan"], "komentar": r["komentar_kepuasan"], "waktu": r["dinilai_pada"]}
        if r["nilai_kepuasan"] is not None and r["dinilai_pada"] is not None else None,
    )
    return hasil


def _dasar_tiket(row: TiketRow, tiket: d.Tiket, now: datetime, aturan: AturanHelpdesk) -> dict[str, Any]:
    evaluasi = d.evaluasi_sla(tiket, now, aturan.kalender)
    return dict(id=row.id, nomor=row.nomor, judul=row.judul, kategori=row.kategori, kanal=row.kanal,
                prioritas=row.prioritas, status=row.status, paket_kode=row.paket_kode, petugas=row.petugas,
                tingkat=row.tingkat, di_luar_lingkup=row.di_luar_lingkup, dibuat_pada=row.dibuat_pada,
                diperbarui_pada=row.diperbarui_pada, versi=row.versi,
                sla=SlaPublic(respons_pertama=tampilan_sla(evaluasi.respons_pertama),
                              penyelesaian=tampilan_sla(evaluasi.penyelesaian)))


def tampilan_ringkas(row: TiketRow, now: datetime, aturan: AturanHelpdesk) -> TiketRingkas:
    """A ticket in a list: state and SLA, without the thread."""
    return TiketRingkas(**_dasar_tiket(row, repo.tiket_dari_row(row), now, aturan))


def tampilan_tiket(t: repo.TiketTersimpan, aktor: d.Aktor, now: datetime, aturan: AturanHelpdesk) -> TiketPublic:
    """The ticket as `aktor` may see it: the reporter never sees internal notes or escalation notes."""
    tiket, row = t.tiket, t.row
    staf = aktor.punya_peran(d.PERAN_STAF)
    return TiketPublic(
        **_dasar_tiket(row, tiket, now, aturan), uraian=row.uraian,
        pelapor=PelaporPublic(sub=row.pelapor_sub, nama=row.pelapor_nama, email=row.pelapor_email,
                              telepon=row.pelapor_telepon),
        solusi=row.solusi, diselesaikan_pada=row.diselesaikan_pada, ditutup_pada=row.ditutup_pada,
        sebab_penutupan=SEBAB_PENUTUPAN[tiket.sebab_penutupan] if tiket.sebab_penutupan else None,
        tutup_otomatis_pada=row.tutup_otomatis_pada,
        tanggapan=[TanggapanPublic(oleh=x.oleh, sebagai=x.sebagai.value, isi=x.isi, internal=x.internal,
                                   waktu=x.waktu) for x in tiket.tanggapan_untuk(aktor)],
        eskalasi=[EskalasiPublic(dari=e.dari.value, ke=e.ke.value, oleh=e.oleh, waktu=e.waktu,
                                 alasan=e.alasan.value if e.alasan else None, referensi_lkpp=e.referensi_lkpp,
                                 catatan=e.catatan if staf else None) for e in tiket.riwayat_eskalasi],
        lampiran=[tampilan_lampiran(x) for x in t.lampiran],
        penilaian=PenilaianPublic(nilai=tiket.kepuasan.nilai, komentar=tiket.kepuasan.komentar,
                                  waktu=tiket.kepuasan.waktu) if tiket.kepuasan else None,
    )


def tampilan_lampiran(row: LampiranRow) -> LampiranPublic:
    """An attachment's metadata with its download URL."""
    return LampiranPublic(id=row.id, nama_berkas=row.nama_berkas, jenis_konten=row.jenis_konten, ukuran=row.ukuran,
                          sha256=row.sha256, diunggah_oleh=row.diunggah_oleh, diunggah_pada=row.diunggah_pada,
                          url=f"/api/v1/tiket/{row.tiket_id}/lampiran/{row.id}")


# ── events ─────────────────────────────────────────────────────────────────────────────────────

def _terbitkan(uow: UnitOfWork, t: repo.TiketTersimpan, respons_sebelum: datetime | None, now: datetime,
               aturan: AturanHelpdesk, dampak: Dampak) -> int:
    """Turn the domain events of a change into contract events (with SLA figures); returns how many."""
    tiket, row = t.tiket, t.row
    evaluasi = d.evaluasi_sla(tiket, now, aturan.kalender)
    respons = evaluasi.respons_pertama
    sudah_ada_respons = respons_sebelum is not None
    jumlah = 0

    def emit(jenis: str, data: Any) -> None:
        nonlocal jumlah
        row.versi += 1
        jumlah += 1
        uow.emit(jenis, data, aggregate_id=row.id, aggregate_version=row.versi)

    def ditanggapi(waktu: datetime, oleh: str, internal: bool, status: str) -> None:
        nonlocal sudah_ada_respons
        pertama = (not sudah_ada_respons and not internal and oleh == "petugas"
                   and tiket.respons_pertama_pada == waktu)
        sudah_ada_respons = sudah_ada_respons or pertama
        emit("helpdesk.tiket.ditanggapi", kontrak.TiketDitanggapi(
            tiket_id=row.id, waktu=waktu, oleh=oleh, internal=internal, status=status, respons_pertama=pertama,
            detik_kerja_respons=respons.terpakai_detik if pertama else None,
            sla_respons_terpenuhi=(respons.status is d.StatusSla.TERPENUHI) if pertama else None))

    for e in tiket.events:
        if isinstance(e, d.TiketDibuat):
            emit("helpdesk.tiket.dibuat", kontrak.TiketDibuat(
                tiket_id=row.id, waktu=e.waktu, kategori=e.kategori.value, kanal=e.kanal.value,
                prioritas=e.prioritas.value, paket_kode=e.paket_kode, di_luar_lingkup=e.di_luar_lingkup,
                target_respons_detik=round(tiket.target_sla.respons_pertama_detik),
                target_penyelesaian_detik=round(tiket.target_sla.penyelesaian_detik)))
        elif isinstance(e, d.TiketDitugaskan):
            emit("helpdesk.tiket.ditugaskan", kontrak.TiketDitugaskan(
                tiket_id=row.id, waktu=e.waktu, petugas=e.petugas, otomatis=e.otomatis))
        elif isinstance(e, d.TiketDitanggapi):
            ditanggapi(e.waktu, "pelapor" if e.sebagai is d.PeranTanggapan.PELAPOR else "petugas", e.internal,
                       e.status.value)
        elif isinstance(e, d.TiketDieskalasi):
            emit("helpdesk.tiket.dieskalasi", kontrak.TiketDieskalasi(
                tiket_id=row.id, waktu=e.waktu, dari=e.dari.value, ke=e.ke.value,
                alasan=e.alasan.value if e.alasan else None, referensi_lkpp=e.referensi_lkpp))
            dampak.eskalasi.append(e.ke.value)
        elif isinstance(e, d.TiketDiselesaikan):
            if not sudah_ada_respons and tiket.respons_pertama_pada == e.waktu:
                # The solution itself is the first answer the reporter gets.
                ditanggapi(e.waktu, "petugas", False, d.StatusTiket.SELESAI.value)
            emit("helpdesk.tiket.diselesaikan", kontrak.TiketDiselesaikan(
                tiket_id=row.id, waktu=e.waktu, tingkat=e.tingkat.value,
                detik_kerja_penyelesaian=evaluasi.penyelesaian.terpakai_detik,
                sla_penyelesaian_terpenuhi=evaluasi.penyelesaian.status is d.StatusSla.TERPENUHI))
        elif isinstance(e, d.TiketDitutup):
            emit("helpdesk.tiket.ditutup", kontrak.TiketDitutup(
                tiket_id=row.id, waktu=e.waktu, sebab=SEBAB_PENUTUPAN[e.sebab], di_luar_lingkup=e.di_luar_lingkup))
        elif isinstance(e, d.TiketDibukaKembali):
            emit("helpdesk.tiket.dibuka_kembali", kontrak.TiketDibukaKembali(
                tiket_id=row.id, waktu=e.waktu, dari_status=e.dari_status.value))
        elif isinstance(e, d.SlaTerlampaui):
            jatuh_tempo = e.jatuh_tempo or e.waktu
            emit("helpdesk.tiket.sla_terlampaui", kontrak.SlaTerlampaui(
                tiket_id=row.id, waktu=e.waktu, jenis=e.jenis.value, target_detik=round(e.target_detik),
                jatuh_tempo=jatuh_tempo))
            uow.session.add(SlaTerlampauiRow(tiket_id=row.id, jenis=e.jenis.value, target_detik=e.target_detik,
                                             jatuh_tempo=jatuh_tempo, terdeteksi_pada=e.waktu))
            dampak.pelanggaran.append(e.jenis.value)
        elif isinstance(e, d.KepuasanTiketDinilai):
            emit("helpdesk.tiket.dinilai", kontrak.TiketDinilai(tiket_id=row.id, waktu=e.waktu, nilai=e.nilai))
        # PrioritasTiketDiubah has no contract event: the SLA figures travel in the events above.
    tiket.events.clear()
    return jumlah


# ── tickets ────────────────────────────────────────────────────────────────────────────────────

async def _nomor(session: AsyncSession, urutan: str) -> int:
    return int((await session.execute(text(f"SELECT nextval('{urutan}')"))).scalar_one())


async def buat_tiket(cmd: TiketCreate, pemanggil: Pemanggil, *, uow: UnitOfWork, aturan: AturanHelpdesk) -> TiketBaru:
    """Open a ticket (Pasal 18): for an SPSE user, or for the public with contact details and a reporter token.

    On asyncpg (issue 9): the domain decides, then ONE statement writes the row in its final state (its
    number taken beforehand from the sequence, `repo_pg.ambil_nomor`), its thread, the officer, the
    events, the history row and any idempotency record, atomic by itself.
    """
    principal = pemanggil.principal
    if cmd.prioritas is not None and not pemanggil.staf:
        raise ValidationFailed("prioritas: ditetapkan oleh petugas helpdesk; kosongkan isian ini.", errors=[
            FieldError("prioritas", "hanya petugas helpdesk atau Kasubbag LPSE yang menetapkan prioritas")])
    publik = principal is None or (pemanggil.staf and cmd.pelapor is not None)
    kontak = cmd.pelapor or PelaporKontak()
    pelapor = d.Pelapor(sub=None if publik or principal is None else principal.sub,
                        nama=kontak.nama or (None if publik or principal is None else principal.name),
                        email=kontak.email, telepon=kontak.telepon)
    token = secrets.token_urlsafe(32) if publik else None
    now = now_utc()
    # the domain decides before a connection is taken: a refused ticket costs no round trip
    tiket = d.Tiket.buat(id=new_id(), pelapor=pelapor, judul=cmd.judul, uraian=cmd.uraian,
                         kategori=cmd.kategori, kanal=cmd.kanal, waktu=now,
                         prioritas=cmd.prioritas or d.Prioritas.SEDANG, paket_kode=cmd.paket_kode,
                         konfigurasi=aturan.konfigurasi)
    assert uow.pool is not None
    nomor = repo_pg.nomor_tiket(await repo_pg.ambil_nomor(uow.pool), now.astimezone(WIB).year)
    async with uow.raw(transaction=False):
        # the view reads these like a row (`tampilan_tiket`); `_terbitkan` bumps `versi` per event
        row = SimpleNamespace(id=tiket.id, nomor=nomor, judul=tiket.judul, uraian=tiket.uraian,
                              kategori=tiket.kategori.value, kanal=tiket.kanal.value, paket_kode=tiket.paket_kode,
                              pelapor_sub=pelapor.sub, pelapor_nama=pelapor.nama, pelapor_email=pelapor.email,
                              pelapor_telepon=pelapor.telepon, versi=0, dibuat_pada=now, diperbarui_pada=now)
        t = repo.TiketTersimpan(row=row, tiket=tiket)  # type: ignore[arg-type]
        aktor = _aktor_principal(principal) if principal is not None else d.Aktor(tiket.subjek_pelapor)
        _sebagai(uow, aktor)
        dampak = Dampak()
        _terbitkan(uow, t, None, now, aturan, dampak)
        jadwal = repo.jadwal(tiket, now, aturan)
        row.__dict__.update(prioritas=tiket.prioritas.value, status=tiket.status.value, petugas=tiket.petugas,
                            tingkat=tiket.tingkat.value, solusi=tiket.solusi,
                            diselesaikan_pada=tiket.diselesaikan_pada, ditutup_pada=tiket.ditutup_pada,
                            di_luar_lingkup=tiket.di_luar_lingkup, tutup_otomatis_pada=jadwal.tutup_otomatis_pada)
        uow.record("tiket", row.id, "dibuat", {"status": row.status, "kategori": row.kategori, "kanal": row.kanal,
                                               "nomor": row.nomor})
        hasil = TiketBaru(**tampilan_tiket(t, aktor, now, aturan).model_dump(), token_pelapor=token)
        petugas = (principal.sub, principal.name) if principal is not None and PERAN_PETUGAS in principal.roles \
            else None
        sql, args, also = repo_pg.sisipkan_tiket(
            tiket, nomor=nomor, token_hash=hash_token(token) if token else None,
            dicatat_oleh=principal.sub if principal is not None and publik else None, versi=row.versi,
            jadwal=jadwal, now=now, petugas=petugas)
        if not await uow.commit_with(sql, *args, result=hasil, also=also):
            raise RuntimeError(f"tiket {tiket.id} was not inserted")  # a new id always is
    dampak.catat()
    return hasil


async def baca_tiket(tiket_id: str, pemanggil: Pemanggil, *, uow: UnitOfWork,
                     aturan: AturanHelpdesk) -> dict[str, Any]:
    """Read one ticket: its reporter (token `sub` or `X-Token-Pelapor`) or helpdesk staff.

    On asyncpg in autocommit (issue 9): one statement reads the ticket and its related rows. Reading someone
    else's contact details is audited: that entry is committed with those of the reads answered at the same
    time (`shared.uow.AuditWriter`), before the answer leaves.
    """
    async with uow.raw(transaction=False):
        r = await repo_pg.baca_tiket(uow.conn, tiket_id)
        if r is None:
            raise NotFound(f"Tiket {tiket_id} tidak ditemukan.")
        aktor = _aktor(r, pemanggil)
        pelapor = aktor.sub == _subjek_pelapor(r)
        if not (pelapor or aktor.punya_peran(d.PERAN_STAF)):  # _wajib_boleh_baca
            raise Forbidden("Tiket ini hanya dapat dibaca dan ditangani oleh pelapornya, petugas helpdesk, atau "
                            "Kasubbag LPSE.")
        publik = tiket_dari_record(r, aktor, now_utc(), aturan)
        if not pelapor and (r["pelapor_email"] or r["pelapor_telepon"]):
            # reading the reporter's contact is recorded
            uow.record("tiket", r["id"], AKSI_KONTAK_DIBACA)
            await uow.commit()
    return publik


def _setelah(stmt: Select, cursor: str | None, kolom_waktu: Any, kolom_id: Any) -> Select:
    kunci = decode_time_cursor(cursor)
    if kunci is None:
        return stmt
    return stmt.where(tuple_(kolom_waktu, kolom_id) < tuple_(*kunci))


async def daftar_tiket(pemanggil: Pemanggil, *, uow: UnitOfWork, aturan: AturanHelpdesk, status: list[str] | None,
                       kategori: list[str] | None, prioritas: str | None, petugas: str | None, limit: int,
                       cursor: str | None, tampilan: FragmentCache | None = None) -> dict[str, Any]:
    """Tickets, newest first: staff see all, anyone else only the tickets they reported (a `TiketsPublic`).

    On asyncpg (issue 9). With `tampilan`, the page's keys are read and each row's fields kept rendered at
    its version (`RingkasTersimpan`), its SLA clocks added at this moment; otherwise one statement, and each
    row's SLA from the few columns it needs.
    """
    principal = pemanggil.principal
    if principal is None:
        raise Unauthorized("Daftar tiket memerlukan token; pelapor tanpa akun membaca tiketnya lewat "
                           "GET /api/v1/tiket/{id} dengan header X-Token-Pelapor.")
    setelah = decode_time_cursor(cursor)
    sla = d.SlaSaat(now_utc(), aturan.kalender)
    saring: dict[str, Any] = {"pelapor_sub": None if pemanggil.staf else principal.sub, "status": status,
                              "kategori": kategori, "prioritas": prioritas, "petugas": petugas,
                              "setelah": setelah, "limit": limit + 1}
    async with uow.raw(transaction=False):
        if tampilan is not None and tampilan.maks > 0:
            kunci = await repo_pg.daftar_tiket(uow.conn, **saring, hanya_kunci=True)
            halaman = await page_from_rendered(
                kunci, limit, _kunci_tersimpan, cache=tampilan, version=_versi_tiket, ident=_id,
                fetch=lambda ids: repo_pg.baca_ringkas_banyak(uow.conn, ids), render=RingkasTersimpan,
                finish=lambda baris: baris.json(sla))
            if halaman is not None:
                return halaman
        rows = await repo_pg.daftar_tiket(uow.conn, **saring)
    return page_of(rows, limit, key=_kunci_tiket, convert=lambda r: ringkas_dari_record(r, sla))


Perintah = Callable[[repo.TiketTersimpan, d.Aktor, datetime], Awaitable[None] | None]


async def _ubah_tiket(tiket_id: str, pemanggil: Pemanggil, expected: int | None, aksi: str, perintah: Perintah, *,
                      uow: UnitOfWork, aturan: AturanHelpdesk, alasan: str | None = None) -> TiketPublic:
    """Lock, let the domain decide, note any breach it reveals, write rows + events + history, commit."""
    async with uow:
        t = await repo.muat_tiket(uow.session, tiket_id, kunci=True)
        aktor = _aktor(t.row, pemanggil)
        _sebagai(uow, aktor)
        check_version(t.row.versi, expected)
        now = now_utc()
        respons_sebelum = t.tiket.respons_pertama_pada
        hasil = perintah(t, aktor, now)
        if inspect.isawaitable(hasil):
            await hasil
        t.tiket.catat_sla_terlampaui(now, aturan.kalender)
        dampak = Dampak()
        if _terbitkan(uow, t, respons_sebelum, now, aturan, dampak) == 0:
            t.row.versi += 1
        repo.simpan_tiket(uow.session, t, now, aturan)
        await _catat_petugas(uow.session, pemanggil.principal, now)
        uow.record("tiket", t.row.id, aksi, {"status": t.row.status, "versi": t.row.versi}, alasan=alasan)
        await uow.session.flush()
        publik = tampilan_tiket(t, aktor, now, aturan)
        await uow.commit()
    dampak.catat()
    return publik


async def tanggapi(tiket_id: str, cmd: TanggapanCreate, pemanggil: Pemanggil, expected: int | None, *,
                   uow: UnitOfWork, aturan: AturanHelpdesk) -> TiketPublic:
    """Add a reply or (staff) an internal note; a reporter's reply resumes a paused SLA clock."""
    return await _ubah_tiket(
        tiket_id, pemanggil, expected, "catatan_internal" if cmd.internal else "ditanggapi",
        lambda t, a, w: t.tiket.tanggapi(a, cmd.isi, w, internal=cmd.internal), uow=uow, aturan=aturan)


async def _beban_petugas(session: AsyncSession) -> dict[str, int]:
    stmt = (select(PetugasRow.sub, func.count(TiketRow.id))
            .select_from(PetugasRow)
            .outerjoin(TiketRow, (TiketRow.petugas == PetugasRow.sub) & TiketRow.status.in_(STATUS_TERBUKA))
            .where(PetugasRow.aktif.is_(True)).group_by(PetugasRow.sub))
    return {sub: jumlah for sub, jumlah in (await session.execute(stmt)).all()}


async def _daftarkan_tujuan(session: AsyncSession, sub: str, now: datetime) -> None:
    petugas = await session.get(PetugasRow, sub)
    if petugas is None:
        session.add(PetugasRow(sub=sub, aktif=True, terdaftar_pada=now))
    elif not petugas.aktif:
        raise InvalidState(f"Petugas {sub} berstatus nonaktif dan tidak dapat ditugasi; aktifkan lewat "
                           f"PUT /api/v1/petugas/{sub} atau pilih petugas lain.")


async def tugaskan(tiket_id: str, cmd: PenugasanCreate, pemanggil: Pemanggil, expected: int | None, *,
                   uow: UnitOfWork, aturan: AturanHelpdesk) -> TiketPublic:
    """Assign to a named officer, or automatically to the active officer with the fewest open tickets."""
    async def perintah(t: repo.TiketTersimpan, aktor: d.Aktor, now: datetime) -> None:
        if not cmd.otomatis:
            assert cmd.petugas is not None
            await _daftarkan_tujuan(uow.session, cmd.petugas, now)
            t.tiket.tugaskan(aktor, cmd.petugas, now)
            return
        await uow.session.execute(text(KUNCI_PENUGASAN))
        beban = await _beban_petugas(uow.session)
        if not beban:
            raise InvalidState("Belum ada petugas helpdesk aktif untuk penugasan otomatis; petugas terdaftar saat "
                               "pertama kali menangani tiket, atau daftarkan lewat PUT /api/v1/petugas/{sub}.")
        t.tiket.tugaskan_otomatis(beban, now)

    return await _ubah_tiket(tiket_id, pemanggil, expected, "ditugaskan", perintah, uow=uow, aturan=aturan)


async def tunggu_pelapor(tiket_id: str, cmd: PermintaanDataCreate, pemanggil: Pemanggil, expected: int | None, *,
                         uow: UnitOfWork, aturan: AturanHelpdesk) -> TiketPublic:
    """Ask the reporter for data; the SLA clock stops until they reply."""
    return await _ubah_tiket(tiket_id, pemanggil, expected, "menunggu_pelapor",
                             lambda t, a, w: t.tiket.tunggu_pelapor(a, cmd.pertanyaan, w), uow=uow, aturan=aturan)


async def eskalasi(tiket_id: str, cmd: EskalasiCreate, pemanggil: Pemanggil, expected: int | None, *,
                   uow: UnitOfWork, aturan: AturanHelpdesk) -> TiketPublic:
    """Escalate one level (helpdesk → Kasubbag LPSE → LKPP e-proc → LKPP teknis; LKPP only with a reason)."""
    return await _ubah_tiket(
        tiket_id, pemanggil, expected, "dieskalasi",
        lambda t, a, w: t.tiket.eskalasi(a, cmd.tingkat, w, alasan=cmd.alasan, referensi_lkpp=cmd.referensi_lkpp,
                                         catatan=cmd.catatan),
        uow=uow, aturan=aturan, alasan=cmd.alasan)


async def selesaikan(tiket_id: str, cmd: PenyelesaianCreate, pemanggil: Pemanggil, expected: int | None, *,
                     uow: UnitOfWork, aturan: AturanHelpdesk) -> TiketPublic:
    """Record the solution; the ticket returns to the reporter for confirmation."""
    return await _ubah_tiket(tiket_id, pemanggil, expected, "diselesaikan",
                             lambda t, a, w: t.tiket.selesaikan(a, cmd.solusi, w), uow=uow, aturan=aturan)


async def konfirmasi(tiket_id: str, pemanggil: Pemanggil, expected: int | None, *, uow: UnitOfWork,
                     aturan: AturanHelpdesk) -> TiketPublic:
    """The reporter confirms the solution and the ticket closes."""
    return await _ubah_tiket(tiket_id, pemanggil, expected, "dikonfirmasi",
                             lambda t, a, w: t.tiket.konfirmasi(a, w), uow=uow, aturan=aturan)


async def buka_kembali(tiket_id: str, cmd: BukaKembaliCreate, pemanggil: Pemanggil, expected: int | None, *,
                       uow: UnitOfWork, aturan: AturanHelpdesk) -> TiketPublic:
    """The reporter reopens a resolved ticket, or a closed one within the configured business days."""
    return await _ubah_tiket(
        tiket_id, pemanggil, expected, "dibuka_kembali",
        lambda t, a, w: t.tiket.buka_kembali(a, cmd.alasan, w, aturan.kalender, aturan.konfigurasi),
        uow=uow, aturan=aturan, alasan=cmd.alasan)


async def nilai(tiket_id: str, cmd: PenilaianCreate, pemanggil: Pemanggil, expected: int | None, *,
                uow: UnitOfWork, aturan: AturanHelpdesk) -> TiketPublic:
    """The reporter rates a resolved or closed ticket once, 1 to 5."""
    return await _ubah_tiket(tiket_id, pemanggil, expected, "dinilai",
                             lambda t, a, w: t.tiket.nilai_kepuasan(a, cmd.nilai, w, cmd.komentar),
                             uow=uow, aturan=aturan)


async def ubah_prioritas(tiket_id: str, cmd: PrioritasUpdate, pemanggil: Pemanggil, expected: int | None, *,
                         uow: UnitOfWork, aturan: AturanHelpdesk) -> TiketPublic:
    """Staff set the priority; the SLA targets follow it."""
    return await _ubah_tiket(
        tiket_id, pemanggil, expected, "prioritas_diubah",
        lambda t, a, w: t.tiket.ubah_prioritas(a, cmd.prioritas, w, aturan.konfigurasi), uow=uow, aturan=aturan)


async def tutup_di_luar_lingkup(tiket_id: str, cmd: DiLuarLingkupCreate, pemanggil: Pemanggil,
                                expected: int | None, *, uow: UnitOfWork, aturan: AturanHelpdesk) -> TiketPublic:
    """Answer a non-technical matter with a referral and close it as out of scope."""
    rujukan = cmd.rujukan or aturan.konfigurasi.rujukan_di_luar_lingkup
    return await _ubah_tiket(tiket_id, pemanggil, expected, "ditutup_di_luar_lingkup",
                             lambda t, a, w: t.tiket.tutup_di_luar_lingkup(a, rujukan, w), uow=uow, aturan=aturan)


# ── attachments ────────────────────────────────────────────────────────────────────────────────

async def unggah_lampiran(tiket_id: str, nama_berkas: str, isi: bytes, pemanggil: Pemanggil, expected: int | None,
                          *, uow: UnitOfWork, penyimpanan: Penyimpanan, batas: int) -> tuple[LampiranPublic, bool]:
    """Attach a PDF/JPEG/PNG (checked by its bytes, like registrasi's documents) to an open ticket.

    The same bytes uploaded again to the same ticket return the attachment already there (False)."""
    async with uow:
        t = await repo.muat_tiket(uow.session, tiket_id, kunci=True)
        aktor = _aktor(t.row, pemanggil)
        _sebagai(uow, aktor)
        _wajib_boleh_baca(t.tiket, aktor)
        check_version(t.row.versi, expected)
        if t.tiket.status is d.StatusTiket.DITUTUP:
            raise InvalidState(f"Tiket {t.row.nomor} sudah ditutup; lampiran tidak dapat ditambahkan.")
        jenis_konten = periksa_berkas(isi, nama_berkas=nama_berkas, batas=batas)
        sama = next((x for x in t.lampiran if x.sha256 == hashlib.sha256(isi).hexdigest()), None)
        if sama is not None:
            return tampilan_lampiran(sama), False
        berkas = await penyimpanan.simpan(isi, jenis_konten=jenis_konten)
        now = now_utc()
        row = LampiranRow(id=new_id(), tiket_id=t.row.id, nama_berkas=nama_berkas[:255], jenis_konten=jenis_konten,
                          ukuran=berkas.ukuran, sha256=berkas.sha256, kunci=berkas.kunci, diunggah_oleh=aktor.sub,
                          diunggah_pada=now)
        uow.session.add(row)
        t.row.versi += 1
        t.row.diperbarui_pada = now
        uow.record("tiket", t.row.id, "lampiran_diunggah", {"lampiran_id": row.id, "sha256": berkas.sha256,
                                                            "ukuran": berkas.ukuran})
        await uow.session.flush()
        publik = tampilan_lampiran(row)
        await uow.commit()
    return publik, True


async def unduh_lampiran(tiket_id: str, lampiran_id: str, pemanggil: Pemanggil, *, uow: UnitOfWork,
                         penyimpanan: Penyimpanan) -> tuple[LampiranPublic, bytes]:
    """An attachment's bytes, for whoever may read the ticket."""
    async with uow:
        t = await repo.muat_tiket(uow.session, tiket_id)
        aktor = _aktor(t.row, pemanggil)
        _wajib_boleh_baca(t.tiket, aktor)
        _sebagai(uow, aktor)
        row = next((x for x in t.lampiran if x.id == lampiran_id), None)
        if row is None:
            raise NotFound(f"Lampiran {lampiran_id} tidak ada pada tiket {t.row.nomor}.")
        try:
            isi = await penyimpanan.baca(row.kunci)
        except FileNotFoundError as exc:
            raise NotFound(f"Isi lampiran {lampiran_id} tidak ada di penyimpanan; laporkan dengan request_id "
                           "ini.") from exc
        lampiran = tampilan_lampiran(row)
        uow.record("tiket", t.row.id, "lampiran_diunduh", {"lampiran_id": row.id, "sha256": row.sha256})
        await uow.commit()
    return lampiran, isi


# ── officers ───────────────────────────────────────────────────────────────────────────────────

def _tampilan_petugas(row: PetugasRow, beban: int) -> PetugasPublic:
    return PetugasPublic(sub=row.sub, nama=row.nama, aktif=row.aktif, beban=beban, terdaftar_pada=row.terdaftar_pada,
                         terakhir_aktif_pada=row.terakhir_aktif_pada)


async def _beban_satu(session: AsyncSession, sub: str) -> int:
    return int((await session.execute(select(func.count(TiketRow.id)).where(
        TiketRow.petugas == sub, TiketRow.status.in_(STATUS_TERBUKA)))).scalar_one())


async def daftar_petugas(*, uow: UnitOfWork) -> PetugasListPublic:
    """Officers known to the service with their open tickets (the pool of automatic assignment)."""
    async with uow:
        beban = (select(TiketRow.petugas, func.count(TiketRow.id).label("n"))
                 .where(TiketRow.status.in_(STATUS_TERBUKA)).group_by(TiketRow.petugas).subquery())
        rows = (await uow.session.execute(
            select(PetugasRow, func.coalesce(beban.c.n, 0)).outerjoin(beban, beban.c.petugas == PetugasRow.sub)
            .order_by(PetugasRow.sub))).all()
        return PetugasListPublic(data=[_tampilan_petugas(p, n) for p, n in rows])


async def simpan_petugas(sub: str, cmd: PetugasUpdate, *, uow: UnitOfWork) -> PetugasPublic:
    """Register an officer or change their name and whether they take new tickets."""
    async with uow:
        now = now_utc()
        row = await uow.session.get(PetugasRow, sub, with_for_update=True)
        if row is None:
            row = PetugasRow(sub=sub, nama=cmd.nama, aktif=cmd.aktif, terdaftar_pada=now)
            uow.session.add(row)
        else:
            row.aktif = cmd.aktif
            row.nama = cmd.nama or row.nama
        uow.record("petugas", sub, "disimpan", {"aktif": cmd.aktif, "nama": row.nama})
        await uow.session.flush()
        publik = _tampilan_petugas(row, await _beban_satu(uow.session, sub))
        return await uow.commit(publik)


# ── announcements ──────────────────────────────────────────────────────────────────────────────

def _tampilan_pengumuman(row: PengumumanRow, now: datetime) -> PengumumanPublic:
    return PengumumanPublic(id=row.id, judul=row.judul, isi=row.isi, jenis=row.jenis, mulai=row.mulai,
                            selesai=row.selesai, aktif=row.mulai <= now < row.selesai,
                            diterbitkan_pada=row.diterbitkan_pada)


async def terbitkan_pengumuman(cmd: PengumumanCreate, principal: Principal, *, uow: UnitOfWork) -> PengumumanPublic:
    """Publish a disruption, maintenance or information announcement (Lampiran 2.5.2 huruf d)."""
    async with uow:
        now = now_utc()
        pengumuman = d.Pengumuman.terbitkan(id=new_id(), judul=cmd.judul, isi=cmd.isi, jenis=cmd.jenis,
                                            mulai=cmd.mulai, selesai=cmd.selesai,
                                            aktor=_aktor_principal(principal), waktu=now)
        row = PengumumanRow(id=pengumuman.id, judul=pengumuman.judul, isi=pengumuman.isi,
                            jenis=pengumuman.jenis.value, mulai=pengumuman.mulai, selesai=pengumuman.selesai,
                            diterbitkan_oleh=principal.sub, diterbitkan_pada=now)
        uow.session.add(row)
        for e in pengumuman.events:
            uow.emit("helpdesk.pengumuman.diterbitkan", kontrak.PengumumanDiterbitkan(
                pengumuman_id=e.pengumuman_id, waktu=e.waktu, jenis=e.jenis.value, judul=e.judul, mulai=e.mulai,
                selesai=e.selesai), aggregate_id=row.id, aggregate_version=1)
        uow.record("pengumuman", row.id, "diterbitkan", {"jenis": row.jenis, "mulai": row.mulai.isoformat(),
                                                         "selesai": row.selesai.isoformat()})
        await uow.session.flush()
        return await uow.commit(_tampilan_pengumuman(row, now))


async def daftar_pengumuman(*, uow: UnitOfWork, jenis: str | None, limit: int, cursor: str | None,
                            ) -> PengumumansPublic:
    """Announcements shown now (from `mulai`, before `selesai`), latest start first."""
    now = now_utc()
    stmt = select(PengumumanRow).where(PengumumanRow.mulai <= now, PengumumanRow.selesai > now)
    if jenis:
        stmt = stmt.where(PengumumanRow.jenis == jenis)
    stmt = _setelah(stmt, cursor, PengumumanRow.mulai, PengumumanRow.id)
    stmt = stmt.order_by(PengumumanRow.mulai.desc(), PengumumanRow.id.desc()).limit(limit + 1)
    async with uow:
        rows = list((await uow.session.execute(stmt)).scalars())
        return PengumumansPublic(**page_of(rows, limit, key=lambda r: (r.mulai.isoformat(), r.id),
                                           convert=lambda r: _tampilan_pengumuman(r, now)))


async def baca_pengumuman(pengumuman_id: str, *, uow: UnitOfWork) -> PengumumanPublic:
    """One announcement, active or not."""
    async with uow:
        row = await uow.session.get(PengumumanRow, pengumuman_id)
        if row is None:
            raise NotFound(f"Pengumuman {pengumuman_id} tidak ditemukan.")
        return _tampilan_pengumuman(row, now_utc())


# ── berita acara ───────────────────────────────────────────────────────────────────────────────

def _penandatangan(data: Any) -> d.Penandatangan:
    return d.Penandatangan(data["nama"], data["nip"]) if isinstance(data, dict) else d.Penandatangan(data.nama,
                                                                                                       data.nip)


def tampilan_berita_acara(row: BeritaAcaraRow) -> BeritaAcaraPublic:
    """A berita acara as the API shows it."""
    return BeritaAcaraPublic(
        id=row.id, nomor=row.nomor, tiket_id=row.tiket_id, paket_kode=row.paket_kode, penyedia=row.penyedia,
        nama_file=row.nama_file, hash_file=row.hash_file, pernyataan_lpse=row.pernyataan_lpse,
        pernyataan_lkpp=row.pernyataan_lkpp, tempat=row.tempat,
        saksi={"nama": row.saksi_nama, "nip": row.saksi_nip}, anggota_pokja=row.anggota_pokja, hasil=row.hasil,
        status=row.status, disusun_pada=row.disusun_pada, ditandatangani_pada=row.ditandatangani_pada,
        versi=row.versi, url_pdf=f"/api/v1/berita-acara/{row.id}.pdf")


async def buat_berita_acara(cmd: BeritaAcaraCreate, principal: Principal, *, uow: UnitOfWork) -> BeritaAcaraPublic:
    """Draft the berita acara of an unopenable bid file; the Kasubbag LPSE drafting it is the witness."""
    async with uow:
        if cmd.tiket_id is not None and await uow.session.get(TiketRow, cmd.tiket_id) is None:
            raise ValidationFailed(f"tiket_id: tiket {cmd.tiket_id} tidak ditemukan.",
                                   errors=[FieldError("tiket_id", "tiket tidak ditemukan")])
        now = now_utc()
        ba = d.BeritaAcara.susun(
            id=new_id(), aktor=_aktor_principal(principal), waktu=now, paket_kode=cmd.paket_kode,
            penyedia=cmd.penyedia, nama_file=cmd.nama_file, hash_file=cmd.hash_file,
            pernyataan_lpse=cmd.pernyataan_lpse, pernyataan_lkpp=cmd.pernyataan_lkpp,
            saksi=_penandatangan(cmd.saksi), anggota_pokja=[_penandatangan(a) for a in cmd.anggota_pokja],
            hasil=cmd.hasil, tempat=cmd.tempat)
        lokal = now.astimezone(WIB)
        nomor = (f"{await _nomor(uow.session, 'berita_acara_nomor_seq'):03d}/BA-LPSE/{ROMAWI[lokal.month - 1]}/"
                 f"{lokal.year}")
        row = BeritaAcaraRow(id=ba.id, nomor=nomor, tiket_id=cmd.tiket_id, disusun_pada=now, versi=1,
                             diperbarui_pada=now)
        repo.tulis_berita_acara(row, ba)
        uow.session.add(row)
        uow.record("berita_acara", row.id, "disusun", {"paket_kode": row.paket_kode, "hasil": row.hasil})
        await uow.session.flush()
        return await uow.commit(tampilan_berita_acara(row))


def _wajib_boleh_baca_berita_acara(row: BeritaAcaraRow, principal: Principal) -> None:
    if principal.has_any(PERAN_PEMBACA_BERITA_ACARA):
        return
    nip = {principal.sub, principal.nip}
    if principal.has_any(("pokja",)) and any(a["nip"] in nip for a in row.anggota_pokja):
        return
    raise Forbidden("Berita acara ini hanya dapat dibaca oleh Kasubbag LPSE, helpdesk, pimpinan UKPBJ, dan anggota "
                    "Pokja yang tercantum di dalamnya.")


async def baca_berita_acara(berita_acara_id: str, principal: Principal, *, uow: UnitOfWork) -> BeritaAcaraPublic:
    """Read one berita acara."""
    async with uow:
        row = await repo.muat_berita_acara(uow.session, berita_acara_id)
        _wajib_boleh_baca_berita_acara(row, principal)
        return tampilan_berita_acara(row)


async def pdf_berita_acara_untuk(berita_acara_id: str, principal: Principal, *, uow: UnitOfWork,
                                 aturan: AturanHelpdesk) -> tuple[str, bytes]:
    """The berita acara as a formal PDF (a draft is marked as such)."""
    async with uow:
        row = await repo.muat_berita_acara(uow.session, berita_acara_id)
        _wajib_boleh_baca_berita_acara(row, principal)
        nomor_tiket = None
        if row.tiket_id:
            nomor_tiket = (await uow.session.execute(
                select(TiketRow.nomor).where(TiketRow.id == row.tiket_id))).scalar_one_or_none()
        ba, nomor = repo.berita_acara_dari_row(row), row.nomor
        uow.record("berita_acara", row.id, "pdf_diunduh", {"status": row.status})
        await uow.commit()
    return nomor, pdf_berita_acara(ba, nomor=nomor, tempat_baku=aturan.tempat_berita_acara, nomor_tiket=nomor_tiket)


async def daftar_berita_acara(principal: Principal, *, uow: UnitOfWork, paket_kode: str | None, status: str | None,
                              limit: int, cursor: str | None) -> BeritaAcarasPublic:
    """Berita acara, newest first; a Pokja member sees the ones they sign."""
    stmt = select(BeritaAcaraRow)
    if not principal.has_any(PERAN_PEMBACA_BERITA_ACARA):
        stmt = stmt.where(BeritaAcaraRow.anggota_pokja.contains([{"nip": principal.nip or principal.sub}]))
    if paket_kode:
        stmt = stmt.where(BeritaAcaraRow.paket_kode == paket_kode)
    if status:
        stmt = stmt.where(BeritaAcaraRow.status == status)
    stmt = _setelah(stmt, cursor, BeritaAcaraRow.disusun_pada, BeritaAcaraRow.id)
    stmt = stmt.order_by(BeritaAcaraRow.disusun_pada.desc(), BeritaAcaraRow.id.desc()).limit(limit + 1)
    async with uow:
        rows = list((await uow.session.execute(stmt)).scalars())
        return BeritaAcarasPublic(**page_of(rows, limit, key=lambda r: (r.disusun_pada.isoformat(), r.id),
                                            convert=tampilan_berita_acara))


async def ubah_berita_acara(berita_acara_id: str, cmd: BeritaAcaraUpdate, principal: Principal, expected: int | None,
                            *, uow: UnitOfWork) -> BeritaAcaraPublic:
    """Correct a draft; a signed berita acara refuses every change (409, saying why)."""
    perubahan = cmd.model_dump(exclude_unset=True)
    for nama in ("saksi",):
        if perubahan.get(nama) is not None:
            perubahan[nama] = _penandatangan(perubahan[nama])
    if perubahan.get("anggota_pokja") is not None:
        perubahan["anggota_pokja"] = [_penandatangan(a) for a in perubahan["anggota_pokja"]]
    async with uow:
        row = await repo.muat_berita_acara(uow.session, berita_acara_id, kunci=True)
        ba = repo.berita_acara_dari_row(row)
        ba.ubah(_aktor_principal(principal), **perubahan)
        if not perubahan:
            raise ValidationFailed("Tidak ada isian yang diubah; kirim paling sedikit satu isian.",
                                   errors=[FieldError("body", "kosong")])
        check_version(row.versi, expected)
        repo.tulis_berita_acara(row, ba)
        row.versi += 1
        row.diperbarui_pada = now_utc()
        uow.record("berita_acara", row.id, "diubah", {"isian": sorted(perubahan)})
        await uow.session.flush()
        publik = tampilan_berita_acara(row)
        await uow.commit()
    return publik


async def tandatangani_berita_acara(berita_acara_id: str, principal: Principal, expected: int | None, *,
                                    uow: UnitOfWork) -> BeritaAcaraPublic:
    """The witness signs; from then on the berita acara is immutable."""
    async with uow:
        row = await repo.muat_berita_acara(uow.session, berita_acara_id, kunci=True)
        ba = repo.berita_acara_dari_row(row)
        now = now_utc()
        ba.tandatangani(_aktor_principal(principal), now)
        check_version(row.versi, expected)
        repo.tulis_berita_acara(row, ba)
        row.versi += 1
        row.diperbarui_pada = now
        for e in ba.events:
            uow.emit("helpdesk.berita_acara.ditandatangani", kontrak.BeritaAcaraDitandatangani(
                berita_acara_id=row.id, waktu=e.waktu, paket_kode=e.paket_kode, hasil=e.hasil.value),
                aggregate_id=row.id, aggregate_version=row.versi)
        uow.record("berita_acara", row.id, "ditandatangani", {"hash_file": row.hash_file, "hasil": row.hasil})
        await uow.session.flush()
        publik = tampilan_berita_acara(row)
        await uow.commit()
    return publik


# ── the periodic jobs ──────────────────────────────────────────────────────────────────────────

async def periksa_sla(now: datetime, *, uow: UnitOfWork, aturan: AturanHelpdesk, batas: int = 100,
                      ) -> HasilPemeriksaan:
    """Record each SLA breach as it happens (once per ticket and kind) and auto-close unanswered resolved tickets.

    Candidates come from the precomputed `periksa_sla_pada` / `tutup_otomatis_pada`, locked with
    `FOR UPDATE SKIP LOCKED` so replicas share the work and never emit twice.
    """
    hasil = HasilPemeriksaan()
    for _ in range(_BATCH_MAKS):
        dampak = Dampak()
        async with uow:
            rows = list((await uow.session.execute(
                select(TiketRow).where(or_(TiketRow.periksa_sla_pada < now, TiketRow.tutup_otomatis_pada <= now))
                .order_by(TiketRow.id).limit(batas).with_for_update(skip_locked=True))).scalars())
            for row in rows:
                t = await repo.rakit_tiket(uow.session, row)
                baru = t.tiket.catat_sla_terlampaui(now, aturan.kalender)
                hasil.pelanggaran += [(row.id, j.value) for j in baru]
                batas_tutup = t.tiket.batas_tutup_otomatis(aturan.kalender, aturan.konfigurasi)
                if batas_tutup is not None and now >= batas_tutup:
                    t.tiket.tutup_otomatis(now, aturan.kalender, aturan.konfigurasi)
                    hasil.ditutup_otomatis.append(row.id)
                if _terbitkan(uow, t, t.tiket.respons_pertama_pada, now, aturan, dampak):
                    uow.record("tiket", row.id, "diperiksa_sistem", {"status": t.tiket.status.value,
                                                                     "sla_terlampaui": [j.value for j in baru]})
                    repo.simpan_tiket(uow.session, t, now, aturan)
                else:
                    repo.jadwalkan(row, t.tiket, now, aturan)
            await uow.commit()
        dampak.catat()
        if len(rows) < batas:
            break
    return hasil


async def jadwalkan_ulang(now: datetime, *, uow: UnitOfWork, aturan: AturanHelpdesk) -> int:
    """Recompute every open ticket's next SLA check and auto-close time (the calendar may have changed)."""
    async with uow:
        rows = list((await uow.session.execute(
            select(TiketRow).where(TiketRow.status != d.StatusTiket.DITUTUP.value)
            .with_for_update(skip_locked=True))).scalars())
        for row in rows:
            t = await repo.rakit_tiket(uow.session, row)
            repo.jadwalkan(row, t.tiket, now, aturan)
        await uow.commit()
    return len(rows)


async def baca_metrik(session_factory: async_sessionmaker[AsyncSession], now: datetime, jendela_hari: int,
                      ) -> tuple[dict[tuple[str, str], int], dict[str, float]]:
    """Open tickets by status and category, and SLA compliance over the window (out-of-scope excluded)."""
    sejak = now - timedelta(days=jendela_hari)
    async with session_factory() as session:
        terbuka = {(s, k): n for s, k, n in (await session.execute(
            select(TiketRow.status, TiketRow.kategori, func.count()).where(TiketRow.status != "ditutup")
            .group_by(TiketRow.status, TiketRow.kategori))).all()}
        kepatuhan: dict[str, float] = {}
        for jenis, kolom, waktu in (("respons_pertama", TiketRow.sla_respons_terpenuhi, TiketRow.respons_pertama_pada),
                                    ("penyelesaian", TiketRow.sla_penyelesaian_terpenuhi,
                                     func.coalesce(TiketRow.diselesaikan_pada, TiketRow.ditutup_pada))):
            rasio = (await session.execute(
                select(func.avg(cast(kolom, Integer))).where(
                    kolom.is_not(None), TiketRow.di_luar_lingkup.is_(False), waktu >= sejak))).scalar_one()
            kepatuhan[jenis] = float(rasio) if rasio is not None else 0.0
    return terbuka, kepatuhan


# ── summary ────────────────────────────────────────────────────────────────────────────────────

async def ringkasan(dari: date, sampai: date, *, uow: UnitOfWork) -> RingkasanPublic:
    """Counts of the tickets opened in [dari, sampai] (WIB dates): scope, escalations, SLA, satisfaction."""
    if sampai < dari:
        raise ValidationFailed("sampai: tidak boleh sebelum dari", errors=[FieldError("query.sampai",
                                                                                       "tidak boleh sebelum dari")])
    awal = datetime.combine(dari, time(0), tzinfo=WIB)
    akhir = datetime.combine(sampai + timedelta(days=1), time(0), tzinfo=WIB)
    dalam = (TiketRow.dibuat_pada >= awal) & (TiketRow.dibuat_pada < akhir)

    async with uow:
        s = uow.session

        async def hitung(kolom: Any) -> dict[str, int]:
            return {str(k): int(n) for k, n in (await s.execute(
                select(kolom, func.count()).where(dalam).group_by(kolom))).all()}

        per_status, per_kategori, per_kanal = (await hitung(TiketRow.status), await hitung(TiketRow.kategori),
                                               await hitung(TiketRow.kanal))
        eskalasi_q = select(EskalasiRow.ke, EskalasiRow.alasan, func.count()).join(
            TiketRow, TiketRow.id == EskalasiRow.tiket_id).where(dalam).group_by(EskalasiRow.ke, EskalasiRow.alasan)
        eskalasi_per_tingkat: dict[str, int] = {}
        per_alasan: dict[str, int] = {}
        for ke, alasan, n in (await s.execute(eskalasi_q)).all():
            eskalasi_per_tingkat[ke] = eskalasi_per_tingkat.get(ke, 0) + n
            if ke in ("lkpp_eproc", "lkpp_teknis") and alasan:
                per_alasan[alasan] = per_alasan.get(alasan, 0) + n
        terlampaui = {str(j): int(n) for j, n in (await s.execute(
            select(SlaTerlampauiRow.jenis, func.count()).join(TiketRow, TiketRow.id == SlaTerlampauiRow.tiket_id)
            .where(dalam).group_by(SlaTerlampauiRow.jenis))).all()}
        kepatuhan = {}
        for jenis, kolom in (("respons_pertama", TiketRow.sla_respons_terpenuhi),
                             ("penyelesaian", TiketRow.sla_penyelesaian_terpenuhi)):
            diukur, terpenuhi = (await s.execute(select(func.count(kolom), func.count().filter(kolom.is_(True))).where(
                dalam, TiketRow.di_luar_lingkup.is_(False)))).one()
            kepatuhan[jenis] = KepatuhanPublic(diukur=diukur, terpenuhi=terpenuhi,
                                               rasio=round(terpenuhi / diukur, 4) if diukur else None)
        sebaran = {str(nilai_): int(n) for nilai_, n in (await s.execute(
            select(TiketRow.nilai_kepuasan, func.count()).where(dalam, TiketRow.nilai_kepuasan.is_not(None))
            .group_by(TiketRow.nilai_kepuasan))).all()}
        jumlah_nilai = sum(sebaran.values())
        rata = (sum(int(k) * n for k, n in sebaran.items()) / jumlah_nilai) if jumlah_nilai else None
        di_luar = int((await s.execute(select(func.count()).where(dalam, TiketRow.di_luar_lingkup.is_(True))))
                      .scalar_one())
    return RingkasanPublic(
        dari=dari, sampai=sampai, jumlah_tiket=sum(per_status.values()), per_status=per_status,
        per_kategori=per_kategori, per_kanal=per_kanal, di_luar_lingkup=di_luar, eskalasi=eskalasi_per_tingkat,
        eskalasi_lkpp_per_alasan=per_alasan, sla_terlampaui=terlampaui, kepatuhan_sla=kepatuhan,
        kepuasan={"jumlah_penilaian": jumlah_nilai, "rata_rata": round(rata, 2) if rata is not None else None,
                  "sebaran": {str(i): sebaran.get(str(i), 0) for i in range(1, 6)}})
