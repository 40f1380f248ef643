"""pelaporan's consumers: every event of registrasi, pokja and helpdesk into its own read models.

Each handler runs once per event id (the inbox, in the same transaction) and is written so that the
order of arrival does not matter either:

- state of an aggregate moves only forward by the aggregate's version: a column group is replaced
  only when the event's version is higher than the one it was last set from
  (`ON CONFLICT ... DO UPDATE SET x = CASE WHEN versi < excluded.versi ...`);
- a fact (a decision, a result, an escalation, a score, a membership change) is a row keyed by the
  event id or by (aggregate, version), inserted with ON CONFLICT DO NOTHING;
- a time that is set once keeps the earliest value (`least`), a flag once set stays set.

So a replayed, duplicated or late event never changes a figure. One consumer group per source
service, so a backlog on one does not hold the others back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, func
from sqlalchemy.dialects.postgresql import insert

from shared.consumer import ConsumerSpec
from shared.contracts import helpdesk as hd
from shared.contracts import pokja as pk
from shared.contracts import registrasi as rg
from shared.events import Envelope
from shared.uow import UnitOfWork
from services.pelaporan.models import (
    BeritaAcaraRM,
    DaftarHitamRM,
    HasilPemilihanRM,
    KeputusanVerifikasiRM,
    PaketRM,
    PejabatPengadaanPaketRM,
    PejabatPengadaanRM,
    PendaftaranRM,
    PenggantianAnggotaRM,
    PenggunaRM,
    PenggunaStatusRM,
    PengumumanRM,
    PenolakanDaftarHitamRM,
    PokjaAnggotaRM,
    PokjaPaketRM,
    PokjaRM,
    TiketEskalasiRM,
    TiketPenilaianRM,
    TiketRM,
)


def _maju(kolom: Any, baru: Any, versi: Any, versi_baru: Any) -> ColumnElement[Any]:
    """`baru` when the event is newer than the version the column was last set from, else keep."""
    return case((versi < versi_baru, baru), else_=kolom)


def _maju_sql(kolom: str, versi: str) -> str:
    """`_maju` for the hand-written upserts (plain asyncpg): `kolom` moves to the event's value only when
    the event's `versi` is newer than the one the row was last set from (SET reads the row as it was)."""
    return f"{kolom} = CASE WHEN t.{versi} < excluded.{versi} THEN excluded.{kolom} ELSE t.{kolom} END"


async def _fakta(uow: UnitOfWork, model: type, **nilai: Any) -> None:
    await uow.session.execute(insert(model).values(**nilai).on_conflict_do_nothing())


# --------------------------------------------------------------------------- registrasi


async def _pendaftaran(uow: UnitOfWork, event: Envelope, data: Any, *,
                       diajukan_pada: Any = None, diputuskan_pada: Any = None) -> None:
    t = PendaftaranRM
    stmt = insert(t).values(id=data.pendaftaran_id, jenis=data.jenis, status=data.status,
                            versi=event.aggregateversion, diajukan_pada=diajukan_pada,
                            diputuskan_pada=diputuskan_pada)
    ex = stmt.excluded
    stmt = stmt.on_conflict_do_update(index_elements=[t.id], set_={
        "jenis": func.coalesce(t.jenis, ex.jenis),
        "status": _maju(t.status, ex.status, t.versi, ex.versi),
        "versi": func.greatest(t.versi, ex.versi),
        "diajukan_pada": func.least(t.diajukan_pada, ex.diajukan_pada),  # least() skips NULL
        "diputuskan_pada": func.coalesce(t.diputuskan_pada, ex.diputuskan_pada),  # a final decision is made once
    })
    await uow.session.execute(stmt)


async def on_pendaftaran_diajukan(event: Envelope, data: rg.PendaftaranDiajukan, uow: UnitOfWork) -> None:
    """A registration was submitted (or resubmitted): the first submission time is kept."""
    await _pendaftaran(uow, event, data, diajukan_pada=data.waktu)


# `_pendaftaran` by hand for plain asyncpg: the same upsert, the SET reading the row as it was.
_UPSERT_PENDAFTARAN = (
    "INSERT INTO rm_pendaftaran AS t (id, jenis, status, versi, diajukan_pada, diputuskan_pada)"
    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(["jenis = coalesce(t.jenis, excluded.jenis)", _maju_sql("status", "versi"),
                 "versi = greatest(t.versi, excluded.versi)",
                 "diajukan_pada = least(t.diajukan_pada, excluded.diajukan_pada)",
                 "diputuskan_pada = coalesce(t.diputuskan_pada, excluded.diputuskan_pada)"])
)


async def _asyncpg(uow: UnitOfWork) -> Any:
    """The unit of work's own asyncpg connection (same transaction as the session's statements)."""
    koneksi = await uow.session.connection()
    return (await koneksi.get_raw_connection()).driver_connection


async def on_pendaftaran_diajukan_banyak(events: list[tuple[Envelope, rg.PendaftaranDiajukan]],
                                         uow: UnitOfWork) -> None:
    """`on_pendaftaran_diajukan` for a run of events, in order, in one pipelined round trip (issue 9:
    the busiest event; a round trip per event kept the consumer behind at a few hundred a second)."""
    await (await _asyncpg(uow)).executemany(_UPSERT_PENDAFTARAN, [
        (d.pendaftaran_id, d.jenis, d.status, e.aggregateversion, d.waktu, None) for e, d in events])


_Keputusan = rg.PendaftaranDisetujui | rg.PendaftaranDitolak | rg.PendaftaranPerluPerbaikan


async def _keputusan(event: Envelope, data: _Keputusan, uow: UnitOfWork, keputusan: str) -> None:
    """A verifikator decision: the registration's state, and the decision as a fact of its period."""
    final = keputusan in ("disetujui", "ditolak")
    await _pendaftaran(uow, event, data, diajukan_pada=data.diajukan_pada,
                       diputuskan_pada=data.waktu if final else None)
    await _fakta(uow, KeputusanVerifikasiRM, event_id=event.id, pendaftaran_id=data.pendaftaran_id,
                 keputusan=keputusan, waktu=data.waktu, diajukan_pada=data.diajukan_pada,
                 karena_daftar_hitam=bool(getattr(data, "karena_daftar_hitam", False)))


async def on_pendaftaran_perlu_perbaikan(event: Envelope, data: rg.PendaftaranPerluPerbaikan,
                                         uow: UnitOfWork) -> None:
    """The verifikator sent a registration back for fixes."""
    await _keputusan(event, data, uow, "perlu_perbaikan")


async def on_pendaftaran_disetujui(event: Envelope, data: rg.PendaftaranDisetujui, uow: UnitOfWork) -> None:
    """The verifikator approved a registration."""
    await _keputusan(event, data, uow, "disetujui")


async def on_pendaftaran_ditolak(event: Envelope, data: rg.PendaftaranDitolak, uow: UnitOfWork) -> None:
    """The verifikator refused a registration (perhaps for an active blacklist entry)."""
    await _keputusan(event, data, uow, "ditolak")


async def on_pendaftaran_ditolak_daftar_hitam(event: Envelope, data: rg.PendaftaranDitolakDaftarHitam,
                                              uow: UnitOfWork) -> None:
    """A submission was refused at the door: an active blacklist entry."""
    await _fakta(uow, PenolakanDaftarHitamRM, percobaan_id=data.percobaan_id, jenis=data.jenis,
                 pendaftaran_id=data.pendaftaran_id, waktu=data.waktu)


async def on_daftar_hitam_dicatat(event: Envelope, data: rg.DaftarHitamDicatat, uow: UnitOfWork) -> None:
    """A blacklist entry was recorded."""
    t = DaftarHitamRM
    stmt = insert(t).values(id=data.daftar_hitam_id, jenis_pelanggaran=data.jenis_pelanggaran, mulai=data.mulai,
                            selesai=data.selesai, dicatat_pada=data.waktu)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[t.id], set_={
        "jenis_pelanggaran": stmt.excluded.jenis_pelanggaran, "mulai": stmt.excluded.mulai,
        "selesai": stmt.excluded.selesai, "dicatat_pada": stmt.excluded.dicatat_pada,
    }, where=t.dicatat_pada <= stmt.excluded.dicatat_pada))


async def _pengguna(event: Envelope, data: Any, uow: UnitOfWork, aksi: str) -> None:
    t = PenggunaRM
    stmt = insert(t).values(id=data.pengguna_id, user_id=data.user_id, jenis=data.jenis, status=data.status,
                            versi=event.aggregateversion, nama=data.nama, nip=data.nip, peran=list(data.peran),
                            satuan_kerja=data.satuan_kerja, berlaku_sampai=data.berlaku_sampai,
                            diperbarui_pada=data.waktu)
    ex = stmt.excluded
    kolom = ("user_id", "jenis", "status", "versi", "nama", "nip", "peran", "satuan_kerja", "berlaku_sampai",
             "diperbarui_pada")
    await uow.session.execute(stmt.on_conflict_do_update(
        index_elements=[t.id], set_={k: getattr(ex, k) for k in kolom}, where=t.versi < ex.versi))
    await _fakta(uow, PenggunaStatusRM, pengguna_id=data.pengguna_id, versi=event.aggregateversion, aksi=aksi,
                 status=data.status, waktu=data.waktu)


async def on_pengguna_diaktifkan(event: Envelope, data: rg.PenggunaDiaktifkan, uow: UnitOfWork) -> None:
    """A user ID became active (on approval or reactivation)."""
    await _pengguna(event, data, uow, "diaktifkan")


async def on_pengguna_dinonaktifkan(event: Envelope, data: rg.PenggunaDinonaktifkan, uow: UnitOfWork) -> None:
    """The verifikator deactivated a user ID."""
    await _pengguna(event, data, uow, "dinonaktifkan")


async def on_pengguna_kedaluwarsa(event: Envelope, data: rg.PenggunaKedaluwarsa, uow: UnitOfWork) -> None:
    """A government user's SK ended: access expired."""
    await _pengguna(event, data, uow, "kedaluwarsa")


# --------------------------------------------------------------------------- pokja


async def on_paket_dicatat(event: Envelope, data: pk.PaketDicatat, uow: UnitOfWork) -> None:
    """A package was recorded or corrected; its method moves forward on its own version."""
    t = PaketRM
    versi = event.aggregateversion
    stmt = insert(t).values(kode=data.kode, nama=data.nama, satuan_kerja=data.satuan_kerja,
                            jenis_pengadaan=data.jenis_pengadaan, pagu=data.pagu, hps=data.hps,
                            tahun_anggaran=data.tahun_anggaran, metode_pemilihan=data.metode_pemilihan,
                            data_versi=versi, metode_versi=versi, dicatat_pada=data.waktu)
    ex = stmt.excluded
    set_: dict[str, Any] = {
        k: _maju(getattr(t, k), getattr(ex, k), t.data_versi, ex.data_versi)
        for k in ("nama", "satuan_kerja", "jenis_pengadaan", "pagu", "hps", "tahun_anggaran")
    }
    set_["metode_pemilihan"] = _maju(t.metode_pemilihan, ex.metode_pemilihan, t.metode_versi, ex.metode_versi)
    set_["data_versi"] = func.greatest(t.data_versi, ex.data_versi)
    set_["metode_versi"] = func.greatest(t.metode_versi, ex.metode_versi)
    set_["dicatat_pada"] = func.least(t.dicatat_pada, ex.dicatat_pada)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[t.kode], set_=set_))


# `on_paket_dicatat` by hand for plain asyncpg: the same upsert ($9 sets both versions).
_UPSERT_PAKET = (
    "INSERT INTO rm_paket AS t (kode, nama, satuan_kerja, jenis_pengadaan, pagu, hps, tahun_anggaran,"
    " metode_pemilihan, data_versi, metode_versi, dicatat_pada) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)"
    " ON CONFLICT (kode) DO UPDATE SET "
    + ", ".join([*(_maju_sql(k, "data_versi") for k in ("nama", "satuan_kerja", "jenis_pengadaan", "pagu", "hps",
                                                        "tahun_anggaran")),
                 _maju_sql("metode_pemilihan", "metode_versi"),
                 "data_versi = greatest(t.data_versi, excluded.data_versi)",
                 "metode_versi = greatest(t.metode_versi, excluded.metode_versi)",
                 "dicatat_pada = least(t.dicatat_pada, excluded.dicatat_pada)"])
)


async def on_paket_dicatat_banyak(events: list[tuple[Envelope, pk.PaketDicatat]], uow: UnitOfWork) -> None:
    """`on_paket_dicatat` for a run of events, in order, in one pipelined round trip (issue 9: the ORM's
    statement per event kept pelaporan at most of a core while pokja recorded packages)."""
    await (await _asyncpg(uow)).executemany(_UPSERT_PAKET, [
        (d.kode, d.nama, d.satuan_kerja, d.jenis_pengadaan, d.pagu, d.hps, d.tahun_anggaran, d.metode_pemilihan,
         e.aggregateversion, d.waktu) for e, d in events])


async def on_metode_diubah(event: Envelope, data: pk.MetodePemilihanDiubah, uow: UnitOfWork) -> None:
    """Staff overrode a package's selection method."""
    t = PaketRM
    stmt = insert(t).values(kode=data.kode, metode_pemilihan=data.metode_pemilihan,
                            metode_versi=event.aggregateversion, data_versi=0)
    ex = stmt.excluded
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[t.kode], set_={
        "metode_pemilihan": ex.metode_pemilihan, "metode_versi": ex.metode_versi,
    }, where=t.metode_versi < ex.metode_versi))


async def on_hasil_pemilihan_dilaporkan(event: Envelope, data: pk.HasilPemilihanDilaporkan,
                                        uow: UnitOfWork) -> None:
    """A Pokja or Pejabat Pengadaan reported a selection's outcome (the only results that count, rule 26)."""
    await _fakta(uow, HasilPemilihanRM, event_id=event.id, kode=data.kode, versi=event.aggregateversion,
                 status=data.status, tanggal=data.tanggal, nilai_kontrak=data.nilai_kontrak,
                 pemenang=data.pemenang, pelapor_nip=data.pelapor_nip, pelaksana=data.pelaksana,
                 pelaksana_id=data.pelaksana_id, jenis_pengadaan=data.jenis_pengadaan,
                 metode_pemilihan=data.metode_pemilihan, pagu=data.pagu, hps=data.hps,
                 tahun_anggaran=data.tahun_anggaran, waktu=data.waktu)


async def _pokja(uow: UnitOfWork, event: Envelope, pokja_id: str, **nilai: Any) -> None:
    t = PokjaRM
    stmt = insert(t).values(id=pokja_id, versi=event.aggregateversion, **nilai)
    ex = stmt.excluded
    set_: dict[str, Any] = {"versi": func.greatest(t.versi, ex.versi)}
    for kolom in nilai:
        set_[kolom] = func.least(getattr(t, kolom), getattr(ex, kolom)) if kolom.endswith("_pada") \
            else func.coalesce(getattr(ex, kolom), getattr(t, kolom))
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[t.id], set_=set_))


async def _anggota(uow: UnitOfWork, event: Envelope, pokja_id: str, nip: list[str], aksi: str,
                  waktu: Any) -> None:
    """Membership facts of these people, in ONE statement (one round trip, and one run of the membership
    triggers of migration 0005 however many members a Pokja is formed with)."""
    if nip:
        await uow.session.execute(insert(PokjaAnggotaRM).values([
            {"pokja_id": pokja_id, "nip": n, "versi": event.aggregateversion, "aksi": aksi, "waktu": waktu}
            for n in nip]).on_conflict_do_nothing())


async def _paket_pokja(uow: UnitOfWork, pokja_id: str, kode: list[str], waktu: Any) -> None:
    if not kode:
        return
    t = PokjaPaketRM
    stmt = insert(t).values([{"pokja_id": pokja_id, "kode": k, "ditugaskan_pada": waktu}
                             for k in dict.fromkeys(kode)])
    await uow.session.execute(stmt.on_conflict_do_update(
        index_elements=[t.pokja_id, t.kode],
        set_={"ditugaskan_pada": func.least(t.ditugaskan_pada, stmt.excluded.ditugaskan_pada)}))


async def on_pokja_dibentuk(event: Envelope, data: pk.PokjaDibentuk, uow: UnitOfWork) -> None:
    """The Kepala UKPBJ formed a Pokja: its members and packages from that moment."""
    await _pokja(uow, event, data.pokja_id, nama=data.nama, nomor_sk=data.nomor_sk, dibentuk_pada=data.waktu)
    await _anggota(uow, event, data.pokja_id, list(dict.fromkeys(data.anggota)), "masuk", data.waktu)
    await _paket_pokja(uow, data.pokja_id, list(data.paket), data.waktu)


# `on_pokja_dibentuk` by hand for plain asyncpg, one statement per table for a whole run (so the membership
# triggers of migration 0005 run once per run, not once per event): `_pokja`'s upsert, the members, the packages.
_POKJA_DIBENTUK_BANYAK = (
    "INSERT INTO rm_pokja AS t (id, versi, nama, nomor_sk, dibentuk_pada)"
    " SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::timestamptz[])"
    " ON CONFLICT (id) DO UPDATE SET versi = greatest(t.versi, excluded.versi),"
    " nama = coalesce(excluded.nama, t.nama), nomor_sk = coalesce(excluded.nomor_sk, t.nomor_sk),"
    " dibentuk_pada = least(t.dibentuk_pada, excluded.dibentuk_pada)"
)
_ANGGOTA_BANYAK = (
    "INSERT INTO rm_pokja_anggota (pokja_id, nip, versi, aksi, waktu)"
    " SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::timestamptz[]) ON CONFLICT DO NOTHING"
)
_PAKET_POKJA_BANYAK = (
    "INSERT INTO rm_pokja_paket AS t (pokja_id, kode, ditugaskan_pada)"
    " SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[]) ON CONFLICT (pokja_id, kode)"
    " DO UPDATE SET ditugaskan_pada = least(t.ditugaskan_pada, excluded.ditugaskan_pada)"
)


async def on_pokja_dibentuk_banyak(events: list[tuple[Envelope, pk.PokjaDibentuk]], uow: UnitOfWork) -> None:
    """`on_pokja_dibentuk` for a run of events (issue 9: a flood of formations went through the ORM at about
    120 a second). A statement may touch a row once, so the run is first folded per key as the per-event
    statements, applied in order, would leave it: a Pokja keeps its highest version, its earliest formation
    time and the last name and SK given; the first fact of a (Pokja, NIP, version) stays; a package keeps its
    earliest assignment."""
    conn = await _asyncpg(uow)
    pokja: dict[str, list[Any]] = {}
    anggota: dict[tuple[str, str, int], Any] = {}
    paket: dict[tuple[str, str], Any] = {}
    for e, d in events:
        baris = pokja.get(d.pokja_id)
        if baris is None:
            pokja[d.pokja_id] = [e.aggregateversion, d.nama, d.nomor_sk, d.waktu]
        else:
            baris[:] = [max(baris[0], e.aggregateversion), baris[1] if d.nama is None else d.nama,
                        baris[2] if d.nomor_sk is None else d.nomor_sk,
                        min(baris[3], d.waktu)]
        for nip in d.anggota:
            anggota.setdefault((d.pokja_id, nip, e.aggregateversion), d.waktu)
        for kode in d.paket:
            awal = paket.get((d.pokja_id, kode))
            paket[(d.pokja_id, kode)] = d.waktu if awal is None else min(awal, d.waktu)
    await conn.execute(_POKJA_DIBENTUK_BANYAK, list(pokja), *([b[i] for b in pokja.values()] for i in range(4)))
    if anggota:
        await conn.execute(_ANGGOTA_BANYAK, [k[0] for k in anggota], [k[1] for k in anggota],
                           [k[2] for k in anggota], ["masuk"] * len(anggota), list(anggota.values()))
    if paket:
        await conn.execute(_PAKET_POKJA_BANYAK, [k[0] for k in paket], [k[1] for k in paket], list(paket.values()))


async def on_anggota_ditambahkan(event: Envelope, data: pk.AnggotaDitambahkan, uow: UnitOfWork) -> None:
    """A member joined a Pokja."""
    await _pokja(uow, event, data.pokja_id)
    await _anggota(uow, event, data.pokja_id, [data.nip], "masuk", data.waktu)


async def on_anggota_dikeluarkan(event: Envelope, data: pk.AnggotaDikeluarkan, uow: UnitOfWork) -> None:
    """A member left a Pokja."""
    await _pokja(uow, event, data.pokja_id)
    await _anggota(uow, event, data.pokja_id, [data.nip], "keluar", data.waktu)


async def on_paket_ditugaskan(event: Envelope, data: pk.PaketDitugaskan, uow: UnitOfWork) -> None:
    """A package was assigned to a Pokja."""
    await _pokja(uow, event, data.pokja_id)
    await _paket_pokja(uow, data.pokja_id, [data.kode_paket], data.waktu)


async def on_pokja_dibubarkan(event: Envelope, data: pk.PokjaDibubarkan, uow: UnitOfWork) -> None:
    """The Kepala UKPBJ dissolved a Pokja."""
    await _pokja(uow, event, data.pokja_id, dibubarkan_pada=data.waktu)


async def on_penggantian_diperlukan(event: Envelope, data: pk.PenggantianDiperlukan, uow: UnitOfWork) -> None:
    """A member's SPSE user was deactivated or expired: the member must be replaced."""
    await _pokja(uow, event, data.pokja_id)
    await _fakta(uow, PenggantianAnggotaRM, event_id=event.id, pokja_id=data.pokja_id, nip=data.nip,
                 versi=event.aggregateversion, status_spse=data.status_spse, waktu=data.waktu)


async def on_pejabat_pengadaan_ditugaskan(event: Envelope, data: pk.PejabatPengadaanDitugaskan,
                                          uow: UnitOfWork) -> None:
    """A Pengelola PBJ was assigned as Pejabat Pengadaan (Pasal 16)."""
    await _fakta(uow, PejabatPengadaanRM, penugasan_id=data.penugasan_id, nip=data.nip,
                 satuan_kerja=data.satuan_kerja, nomor_permintaan_kpa=data.nomor_permintaan_kpa,
                 ditugaskan_pada=data.waktu)


async def on_paket_ditugaskan_ke_pejabat_pengadaan(event: Envelope, data: pk.PaketDitugaskanKePejabatPengadaan,
                                                   uow: UnitOfWork) -> None:
    """A package went to a Pejabat Pengadaan."""
    await _fakta(uow, PejabatPengadaanPaketRM, penugasan_id=data.penugasan_id, kode=data.kode_paket, nip=data.nip,
                 ditugaskan_pada=data.waktu)


# --------------------------------------------------------------------------- helpdesk


async def _tiket(uow: UnitOfWork, event: Envelope, tiket_id: str, *, status: str | None = None,
                 **nilai: Any) -> None:
    """Upsert a ticket row; `status` moves forward by version, the other columns by their own rule."""
    t = TiketRM
    versi = event.aggregateversion
    baris: dict[str, Any] = {"id": tiket_id, **nilai}
    if status is not None:
        baris.update(status=status, status_versi=versi)
    stmt = insert(t).values(**baris)
    ex = stmt.excluded
    set_: dict[str, Any] = {}
    if status is not None:
        set_["status"] = _maju(t.status, ex.status, t.status_versi, ex.status_versi)
        set_["status_versi"] = func.greatest(t.status_versi, ex.status_versi)
    for kolom in nilai:
        lama, baru = getattr(t, kolom), getattr(ex, kolom)
        if kolom == "di_luar_lingkup":
            set_[kolom] = lama | baru
        elif kolom in ("respons_terlampaui_pada", "penyelesaian_terlampaui_pada", "respons_pertama_pada"):
            set_[kolom] = func.least(lama, baru)
        elif kolom in ("detik_kerja_respons", "sla_respons_terpenuhi"):
            set_[kolom] = func.coalesce(lama, baru)
        elif kolom in ("diselesaikan_pada", "tingkat_penyelesaian", "detik_kerja_penyelesaian",
                       "sla_penyelesaian_terpenuhi", "penyelesaian_versi"):
            set_[kolom] = func.greatest(lama, baru) if kolom == "penyelesaian_versi" \
                else _maju(lama, baru, t.penyelesaian_versi, ex.penyelesaian_versi)
        elif kolom == "ditutup_pada":
            set_[kolom] = func.greatest(lama, baru)
        else:
            set_[kolom] = baru
    if set_:
        stmt = stmt.on_conflict_do_update(index_elements=[t.id], set_=set_)
    else:
        stmt = stmt.on_conflict_do_nothing()
    await uow.session.execute(stmt)


async def on_tiket_dibuat(event: Envelope, data: hd.TiketDibuat, uow: UnitOfWork) -> None:
    """A ticket was opened."""
    await _tiket(uow, event, data.tiket_id, status="baru", kategori=data.kategori, kanal=data.kanal,
                 prioritas=data.prioritas, paket_kode=data.paket_kode,
                 di_luar_lingkup=data.di_luar_lingkup or data.kategori == "non_teknis",
                 target_respons_detik=data.target_respons_detik,
                 target_penyelesaian_detik=data.target_penyelesaian_detik, dibuat_pada=data.waktu)


# `on_tiket_dibuat` by hand for plain asyncpg: `_tiket`'s upsert of these columns.
_UPSERT_TIKET_DIBUAT = (
    "INSERT INTO rm_tiket AS t (id, status, status_versi, kategori, kanal, prioritas, paket_kode, di_luar_lingkup,"
    " target_respons_detik, target_penyelesaian_detik, dibuat_pada)"
    " VALUES ($1, 'baru', $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO UPDATE SET "
    + ", ".join([_maju_sql("status", "status_versi"), "status_versi = greatest(t.status_versi, excluded.status_versi)",
                 *(f"{k} = excluded.{k}" for k in ("kategori", "kanal", "prioritas", "paket_kode")),
                 "di_luar_lingkup = t.di_luar_lingkup OR excluded.di_luar_lingkup",
                 *(f"{k} = excluded.{k}" for k in ("target_respons_detik", "target_penyelesaian_detik",
                                                   "dibuat_pada"))])
)


async def on_tiket_dibuat_banyak(events: list[tuple[Envelope, hd.TiketDibuat]], uow: UnitOfWork) -> None:
    """`on_tiket_dibuat` for a run of events, in order, in one pipelined round trip (issue 9, as
    `on_paket_dicatat_banyak`)."""
    await (await _asyncpg(uow)).executemany(_UPSERT_TIKET_DIBUAT, [
        (d.tiket_id, e.aggregateversion, d.kategori, d.kanal, d.prioritas, d.paket_kode,
         d.di_luar_lingkup or d.kategori == "non_teknis", d.target_respons_detik, d.target_penyelesaian_detik,
         d.waktu) for e, d in events])


async def on_tiket_ditugaskan(event: Envelope, data: hd.TiketDitugaskan, uow: UnitOfWork) -> None:
    """A ticket was assigned to an officer."""
    await _tiket(uow, event, data.tiket_id, status="ditugaskan")


async def on_tiket_ditanggapi(event: Envelope, data: hd.TiketDitanggapi, uow: UnitOfWork) -> None:
    """A reply was added; the first one carries the first-response SLA figures."""
    if data.respons_pertama:
        await _tiket(uow, event, data.tiket_id, status=data.status, respons_pertama_pada=data.waktu,
                     detik_kerja_respons=data.detik_kerja_respons, sla_respons_terpenuhi=data.sla_respons_terpenuhi)
    else:
        await _tiket(uow, event, data.tiket_id, status=data.status)


async def on_tiket_dieskalasi(event: Envelope, data: hd.TiketDieskalasi, uow: UnitOfWork) -> None:
    """A ticket was escalated (Kasubbag LPSE, LKPP Eproc, LKPP Teknis)."""
    await _tiket(uow, event, data.tiket_id, status="dieskalasi")
    await _fakta(uow, TiketEskalasiRM, event_id=event.id, tiket_id=data.tiket_id, dari=data.dari, ke=data.ke,
                 alasan=data.alasan, waktu=data.waktu)


async def on_tiket_diselesaikan(event: Envelope, data: hd.TiketDiselesaikan, uow: UnitOfWork) -> None:
    """A ticket was resolved: the latest resolution (by version) is the one reported."""
    await _tiket(uow, event, data.tiket_id, status="selesai", diselesaikan_pada=data.waktu,
                 tingkat_penyelesaian=data.tingkat, detik_kerja_penyelesaian=data.detik_kerja_penyelesaian,
                 sla_penyelesaian_terpenuhi=data.sla_penyelesaian_terpenuhi,
                 penyelesaian_versi=event.aggregateversion)


async def on_tiket_ditutup(event: Envelope, data: hd.TiketDitutup, uow: UnitOfWork) -> None:
    """A ticket was closed (confirmed, timed out, or out of scope)."""
    await _tiket(uow, event, data.tiket_id, status="ditutup", ditutup_pada=data.waktu,
                 di_luar_lingkup=data.di_luar_lingkup or data.sebab == "di_luar_lingkup")


async def on_tiket_dibuka_kembali(event: Envelope, data: hd.TiketDibukaKembali, uow: UnitOfWork) -> None:
    """The reporter reopened a ticket: it is being worked on again."""
    await _tiket(uow, event, data.tiket_id, status="diproses")


async def on_sla_terlampaui(event: Envelope, data: hd.SlaTerlampaui, uow: UnitOfWork) -> None:
    """An SLA was breached: the breach counts in the period of its due time."""
    kolom = "respons_terlampaui_pada" if data.jenis == "respons_pertama" else "penyelesaian_terlampaui_pada"
    await _tiket(uow, event, data.tiket_id, **{kolom: data.jatuh_tempo})


async def on_tiket_dinilai(event: Envelope, data: hd.TiketDinilai, uow: UnitOfWork) -> None:
    """The reporter rated a resolved ticket."""
    await _fakta(uow, TiketPenilaianRM, event_id=event.id, tiket_id=data.tiket_id, nilai=data.nilai,
                 waktu=data.waktu)


async def on_pengumuman_diterbitkan(event: Envelope, data: hd.PengumumanDiterbitkan, uow: UnitOfWork) -> None:
    """An announcement was published."""
    t = PengumumanRM
    stmt = insert(t).values(id=data.pengumuman_id, jenis=data.jenis, judul=data.judul, mulai=data.mulai,
                            selesai=data.selesai, diterbitkan_pada=data.waktu)
    ex = stmt.excluded
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[t.id], set_={
        "jenis": ex.jenis, "judul": ex.judul, "mulai": ex.mulai, "selesai": ex.selesai,
        "diterbitkan_pada": ex.diterbitkan_pada}, where=t.diterbitkan_pada <= ex.diterbitkan_pada))


async def on_berita_acara_ditandatangani(event: Envelope, data: hd.BeritaAcaraDitandatangani,
                                        uow: UnitOfWork) -> None:
    """A berita acara for an unopenable bid file was signed."""
    await _fakta(uow, BeritaAcaraRM, id=data.berita_acara_id, paket_kode=data.paket_kode, hasil=data.hasil,
                 waktu=data.waktu)


HANDLERS_REGISTRASI = {
    "registrasi.pendaftaran.diajukan": on_pendaftaran_diajukan,
    "registrasi.pendaftaran.perlu_perbaikan": on_pendaftaran_perlu_perbaikan,
    "registrasi.pendaftaran.disetujui": on_pendaftaran_disetujui,
    "registrasi.pendaftaran.ditolak": on_pendaftaran_ditolak,
    "registrasi.pendaftaran.ditolak_daftar_hitam": on_pendaftaran_ditolak_daftar_hitam,
    "registrasi.daftar_hitam.dicatat": on_daftar_hitam_dicatat,
    "registrasi.pengguna.diaktifkan": on_pengguna_diaktifkan,
    "registrasi.pengguna.dinonaktifkan": on_pengguna_dinonaktifkan,
    "registrasi.pengguna.kedaluwarsa": on_pengguna_kedaluwarsa,
}
HANDLERS_POKJA = {
    "pokja.paket.dicatat": on_paket_dicatat,
    "pokja.paket.metode_diubah": on_metode_diubah,
    "pokja.paket.hasil_pemilihan_dilaporkan": on_hasil_pemilihan_dilaporkan,
    "pokja.pokja.dibentuk": on_pokja_dibentuk,
    "pokja.pokja.anggota_ditambahkan": on_anggota_ditambahkan,
    "pokja.pokja.anggota_dikeluarkan": on_anggota_dikeluarkan,
    "pokja.pokja.paket_ditugaskan": on_paket_ditugaskan,
    "pokja.pokja.dibubarkan": on_pokja_dibubarkan,
    "pokja.pokja.penggantian_diperlukan": on_penggantian_diperlukan,
    "pokja.pejabat_pengadaan.ditugaskan": on_pejabat_pengadaan_ditugaskan,
    "pokja.pejabat_pengadaan.paket_ditugaskan": on_paket_ditugaskan_ke_pejabat_pengadaan,
}
HANDLERS_HELPDESK = {
    "helpdesk.tiket.dibuat": on_tiket_dibuat,
    "helpdesk.tiket.ditugaskan": on_tiket_ditugaskan,
    "helpdesk.tiket.ditanggapi": on_tiket_ditanggapi,
    "helpdesk.tiket.dieskalasi": on_tiket_dieskalasi,
    "helpdesk.tiket.diselesaikan": on_tiket_diselesaikan,
    "helpdesk.tiket.ditutup": on_tiket_ditutup,
    "helpdesk.tiket.dibuka_kembali": on_tiket_dibuka_kembali,
    "helpdesk.tiket.sla_terlampaui": on_sla_terlampaui,
    "helpdesk.tiket.dinilai": on_tiket_dinilai,
    "helpdesk.pengumuman.diterbitkan": on_pengumuman_diterbitkan,
    "helpdesk.berita_acara.ditandatangani": on_berita_acara_ditandatangani,
}

CONSUMERS = [
    ConsumerSpec(name="proyeksi-registrasi", handlers=HANDLERS_REGISTRASI, batch=True,
                 bulk_handlers={"registrasi.pendaftaran.diajukan": on_pendaftaran_diajukan_banyak}),
    ConsumerSpec(name="proyeksi-pokja", handlers=HANDLERS_POKJA, batch=True,
                 bulk_handlers={"pokja.paket.dicatat": on_paket_dicatat_banyak,
                                "pokja.pokja.dibentuk": on_pokja_dibentuk_banyak}),
    ConsumerSpec(name="proyeksi-helpdesk", handlers=HANDLERS_HELPDESK, batch=True,
                 bulk_handlers={"helpdesk.tiket.dibuat": on_tiket_dibuat_banyak}),
]
