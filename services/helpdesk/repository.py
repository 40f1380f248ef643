"""Rows <-> the aggregates of `domain.py` (ticket, berita acara)."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.helpdesk import domain as d
from services.helpdesk.config import AturanHelpdesk
from services.helpdesk.models import (
    BeritaAcaraRow,
    EskalasiRow,
    LampiranRow,
    SlaTerlampauiRow,
    TanggapanRow,
    TiketRow,
)
from shared.errors import NotFound


@dataclass
class TiketTersimpan:
    """A loaded ticket: its row, the domain aggregate, and how much of its history is already stored."""

    row: TiketRow
    tiket: d.Tiket
    lampiran: list[LampiranRow] = field(default_factory=list)
    tanggapan_tersimpan: int = 0
    eskalasi_tersimpan: int = 0


def _dt(nilai: str | None) -> datetime | None:
    return datetime.fromisoformat(nilai) if nilai else None


def jeda_dari_json(jeda: list[dict[str, Any]] | None) -> list[d.Jeda]:
    """The stored pauses (`tiket.jeda`, a JSON list) as domain values."""
    return [d.Jeda(datetime.fromisoformat(j["mulai"]), _dt(j["selesai"]), d.SebabJeda(j["sebab"]))
            for j in jeda or []]


def jeda_ke_json(jeda: Sequence[d.Jeda]) -> list[dict[str, Any]]:
    return [{"mulai": j.mulai.isoformat(), "selesai": j.selesai.isoformat() if j.selesai else None,
             "sebab": j.sebab.value} for j in jeda]


def tiket_dari_row(row: TiketRow, tanggapan: Sequence[TanggapanRow] = (), eskalasi: Sequence[EskalasiRow] = (),
                   tercatat: AbstractSet[str] = frozenset()) -> d.Tiket:
    """The domain ticket of a row (a list view may pass no replies: SLA needs only the row)."""
    kepuasan = (d.PenilaianKepuasan(row.nilai_kepuasan, row.dinilai_pada, row.komentar_kepuasan)
                if row.nilai_kepuasan is not None and row.dinilai_pada is not None else None)
    return d.Tiket(
        id=row.id, judul=row.judul, uraian=row.uraian,
        pelapor=d.Pelapor(sub=row.pelapor_sub, nama=row.pelapor_nama, email=row.pelapor_email,
                          telepon=row.pelapor_telepon),
        kategori=d.Kategori(row.kategori), kanal=d.Kanal(row.kanal), prioritas=d.Prioritas(row.prioritas),
        target_sla=d.TargetSla(row.target_respons_detik, row.target_penyelesaian_detik),
        dibuat_pada=row.dibuat_pada, paket_kode=row.paket_kode, status=d.StatusTiket(row.status),
        petugas=row.petugas, tingkat=d.TingkatEskalasi(row.tingkat),
        riwayat_eskalasi=[d.Eskalasi(d.TingkatEskalasi(e.dari), d.TingkatEskalasi(e.ke), e.oleh, e.waktu,
                                     d.AlasanEskalasi(e.alasan) if e.alasan else None, e.referensi_lkpp, e.catatan)
                          for e in eskalasi],
        tanggapan=[d.Tanggapan(t.oleh, d.PeranTanggapan(t.sebagai), t.isi, t.waktu, t.internal) for t in tanggapan],
        jeda=jeda_dari_json(row.jeda),
        status_sebelum_jeda=d.StatusTiket(row.status_sebelum_jeda) if row.status_sebelum_jeda else None,
        respons_pertama_pada=row.respons_pertama_pada, solusi=row.solusi,
        diselesaikan_pada=row.diselesaikan_pada, ditutup_pada=row.ditutup_pada,
        sebab_penutupan=d.SebabPenutupan(row.sebab_penutupan) if row.sebab_penutupan else None,
        di_luar_lingkup=row.di_luar_lingkup, kepuasan=kepuasan,
        sla_terlampaui_tercatat={d.JenisSla(j) for j in tercatat},
    )


async def muat_tiket(session: AsyncSession, tiket_id: str, *, kunci: bool = False) -> TiketTersimpan:
    """Load a ticket with its thread, escalations, recorded breaches and attachments; lock it if asked."""
    stmt = select(TiketRow).where(TiketRow.id == tiket_id)
    if kunci:
        stmt = stmt.with_for_update()
    row = (await session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"Tiket {tiket_id} tidak ditemukan.")
    return await rakit_tiket(session, row)


async def rakit_tiket(session: AsyncSession, row: TiketRow) -> TiketTersimpan:
    """The aggregate of an already loaded (and, for a change, locked) row."""
    tanggapan = list((await session.execute(
        select(TanggapanRow).where(TanggapanRow.tiket_id == row.id).order_by(TanggapanRow.id))).scalars())
    eskalasi = list((await session.execute(
        select(EskalasiRow).where(EskalasiRow.tiket_id == row.id).order_by(EskalasiRow.id))).scalars())
    tercatat = set((await session.execute(
        select(SlaTerlampauiRow.jenis).where(SlaTerlampauiRow.tiket_id == row.id))).scalars())
    lampiran = list((await session.execute(
        select(LampiranRow).where(LampiranRow.tiket_id == row.id).order_by(LampiranRow.diunggah_pada,
                                                                            LampiranRow.id))).scalars())
    return TiketTersimpan(row=row, tiket=tiket_dari_row(row, tanggapan, eskalasi, tercatat), lampiran=lampiran,
                          tanggapan_tersimpan=len(tanggapan), eskalasi_tersimpan=len(eskalasi))


def simpan_tiket(session: AsyncSession, t: TiketTersimpan, now: datetime, aturan: AturanHelpdesk) -> None:
    """Write the aggregate back: scalar state, new replies and escalations, and the derived schedule."""
    tiket, row = t.tiket, t.row
    row.status = tiket.status.value
    row.prioritas = tiket.prioritas.value
    row.target_respons_detik = tiket.target_sla.respons_pertama_detik
    row.target_penyelesaian_detik = tiket.target_sla.penyelesaian_detik
    row.petugas = tiket.petugas
    row.tingkat = tiket.tingkat.value
    row.jeda = jeda_ke_json(tiket.jeda)
    row.status_sebelum_jeda = tiket.status_sebelum_jeda.value if tiket.status_sebelum_jeda else None
    row.respons_pertama_pada = tiket.respons_pertama_pada
    row.solusi = tiket.solusi
    row.diselesaikan_pada = tiket.diselesaikan_pada
    row.ditutup_pada = tiket.ditutup_pada
    row.sebab_penutupan = tiket.sebab_penutupan.value if tiket.sebab_penutupan else None
    row.di_luar_lingkup = tiket.di_luar_lingkup
    if tiket.kepuasan is not None:
        row.nilai_kepuasan = tiket.kepuasan.nilai
        row.komentar_kepuasan = tiket.kepuasan.komentar
        row.dinilai_pada = tiket.kepuasan.waktu
    for tanggapan in tiket.tanggapan[t.tanggapan_tersimpan:]:
        session.add(TanggapanRow(tiket_id=row.id, oleh=tanggapan.oleh, sebagai=tanggapan.sebagai.value,
                                 isi=tanggapan.isi, internal=tanggapan.internal, waktu=tanggapan.waktu))
    for eskalasi in tiket.riwayat_eskalasi[t.eskalasi_tersimpan:]:
        session.add(EskalasiRow(tiket_id=row.id, dari=eskalasi.dari.value, ke=eskalasi.ke.value, oleh=eskalasi.oleh,
                                waktu=eskalasi.waktu, alasan=eskalasi.alasan.value if eskalasi.alasan else None,
                                referensi_lkpp=eskalasi.referensi_lkpp, catatan=eskalasi.catatan))
    t.tanggapan_tersimpan, t.eskalasi_tersimpan = len(tiket.tanggapan), len(tiket.riwayat_eskalasi)
    jadwalkan(row, tiket, now, aturan)
    row.diperbarui_pada = now


@dataclass(frozen=True)
class Jadwal:
    """The derived columns of a ticket row."""

    sla_respons_terpenuhi: bool | None
    sla_penyelesaian_terpenuhi: bool | None
    periksa_sla_pada: datetime | None
    tutup_otomatis_pada: datetime | None


def jadwal(tiket: d.Tiket, now: datetime, aturan: AturanHelpdesk) -> Jadwal:
    """SLA outcome of stopped clocks, the next breach check, the auto-close time."""
    evaluasi = d.evaluasi_sla(tiket, now, aturan.kalender)
    return Jadwal(
        sla_respons_terpenuhi=(evaluasi.respons_pertama.status is d.StatusSla.TERPENUHI
                               if tiket.respons_pertama_pada is not None else None),
        sla_penyelesaian_terpenuhi=(evaluasi.penyelesaian.status is d.StatusSla.TERPENUHI
                                    if tiket.akhir_penyelesaian is not None else None),
        periksa_sla_pada=d.pemeriksaan_sla_berikutnya(tiket, now, aturan.kalender),
        tutup_otomatis_pada=tiket.batas_tutup_otomatis(aturan.kalender, aturan.konfigurasi))


def jadwalkan(row: TiketRow, tiket: d.Tiket, now: datetime, aturan: AturanHelpdesk) -> None:
    """The derived columns: SLA outcome of stopped clocks, the next breach check, the auto-close time."""
    j = jadwal(tiket, now, aturan)
    row.sla_respons_terpenuhi = j.sla_respons_terpenuhi
    row.sla_penyelesaian_terpenuhi = j.sla_penyelesaian_terpenuhi
    row.periksa_sla_pada = j.periksa_sla_pada
    row.tutup_otomatis_pada = j.tutup_otomatis_pada


def berita_acara_dari_row(row: BeritaAcaraRow) -> d.BeritaAcara:
    return d.BeritaAcara(
        id=row.id, paket_kode=row.paket_kode, penyedia=row.penyedia, nama_file=row.nama_file,
        hash_file=row.hash_file, pernyataan_lpse=row.pernyataan_lpse,
        saksi=d.Penandatangan(row.saksi_nama, row.saksi_nip),
        anggota_pokja=tuple(d.Penandatangan(a["nama"], a["nip"]) for a in row.anggota_pokja),
        hasil=d.HasilBeritaAcara(row.hasil), disusun_pada=row.disusun_pada, pernyataan_lkpp=row.pernyataan_lkpp,
        tempat=row.tempat, status=d.StatusBeritaAcara(row.status), ditandatangani_pada=row.ditandatangani_pada)


def tulis_berita_acara(row: BeritaAcaraRow, ba: d.BeritaAcara) -> None:
    row.paket_kode, row.penyedia, row.nama_file, row.hash_file = ba.paket_kode, ba.penyedia, ba.nama_file, ba.hash_file
    row.pernyataan_lpse, row.pernyataan_lkpp, row.tempat = ba.pernyataan_lpse, ba.pernyataan_lkpp, ba.tempat
    row.saksi_nama, row.saksi_nip = ba.saksi.nama, ba.saksi.nip
    row.anggota_pokja = [{"nama": a.nama, "nip": a.nip} for a in ba.anggota_pokja]
    row.hasil, row.status, row.ditandatangani_pada = ba.hasil.value, ba.status.value, ba.ditandatangani_pada


async def muat_berita_acara(session: AsyncSession, berita_acara_id: str, *, kunci: bool = False) -> BeritaAcaraRow:
    stmt = select(BeritaAcaraRow).where(BeritaAcaraRow.id == berita_acara_id)
    if kunci:
        stmt = stmt.with_for_update()
    row = (await session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"Berita acara {berita_acara_id} tidak ditemukan.")
    return row
