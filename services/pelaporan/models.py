"""Read models of pelaporan, built only from other services' events (never their databases).

Two kinds of table:

- one row per aggregate (`rm_pendaftaran`, `rm_pengguna`, `rm_paket`, `rm_pokja`, `rm_tiket`, ...):
  its latest known state. Each group of columns moves only forward by the aggregate version it was
  last set from (`versi`, `status_versi`, `penyelesaian_versi`, ...), so an event arriving late or
  twice changes nothing;
- one row per fact (`rm_keputusan_verifikasi`, `rm_pengguna_status`, `rm_hasil_pemilihan`,
  `rm_pokja_anggota`, `rm_tiket_eskalasi`, `rm_tiket_penilaian`, ...), keyed by the event id or by
  (aggregate, version), inserted with ON CONFLICT DO NOTHING.

Every fact keeps its own time stamp (WIB periods are then a WHERE on timestamps, computed by the
database), and every column a period query filters on is indexed.

`laporan_final` is not a read model: it holds the frozen reports and is never rebuilt.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import ServiceBase, new_metadata


class Base(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


def _waktu(nullable: bool = True) -> Any:
    return mapped_column(DateTime(timezone=True), nullable=nullable)


# --------------------------------------------------------------------------- registrasi


class PendaftaranRM(Base):
    """One row per registration: its latest status (by version) and first submission time."""

    __tablename__ = "rm_pendaftaran"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    jenis: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, index=True)
    versi: Mapped[int] = mapped_column(Integer)
    diajukan_pada: Mapped[datetime | None] = _waktu()  # first submission
    diputuskan_pada: Mapped[datetime | None] = _waktu()  # final decision (disetujui / ditolak)

    __table_args__ = (Index("ix_rm_pendaftaran_diajukan_pada", "diajukan_pada"),)


class KeputusanVerifikasiRM(Base):
    """One row per verifikator decision (disetujui, ditolak, perlu_perbaikan), keyed by event id."""

    __tablename__ = "rm_keputusan_verifikasi"

    event_id: Mapped[str] = mapped_column(Text, primary_key=True)
    pendaftaran_id: Mapped[str] = mapped_column(Text)
    keputusan: Mapped[str] = mapped_column(Text)
    waktu: Mapped[datetime] = _waktu(nullable=False)
    diajukan_pada: Mapped[datetime | None] = _waktu()
    karena_daftar_hitam: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_rm_keputusan_verifikasi_waktu", "waktu", "keputusan"),)


class PenolakanDaftarHitamRM(Base):
    """A submission refused at the door because of an active blacklist entry (no registration made)."""

    __tablename__ = "rm_penolakan_daftar_hitam"

    percobaan_id: Mapped[str] = mapped_column(Text, primary_key=True)
    jenis: Mapped[str] = mapped_column(Text)
    pendaftaran_id: Mapped[str | None] = mapped_column(Text)
    waktu: Mapped[datetime] = _waktu(nullable=False)

    __table_args__ = (Index("ix_rm_penolakan_daftar_hitam_waktu", "waktu"),)


class DaftarHitamRM(Base):
    """A blacklist entry (dates only; no NPWP/NIB travels in events)."""

    __tablename__ = "rm_daftar_hitam"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    jenis_pelanggaran: Mapped[str] = mapped_column(Text)
    mulai: Mapped[date] = mapped_column(Date)
    selesai: Mapped[date] = mapped_column(Date)
    dicatat_pada: Mapped[datetime] = _waktu(nullable=False)


class PenggunaRM(Base):
    """One row per user account: its latest state (by version); names Pokja members in open data."""

    __tablename__ = "rm_pengguna"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    user_id: Mapped[str] = mapped_column(Text)
    jenis: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, index=True)
    versi: Mapped[int] = mapped_column(Integer)
    nama: Mapped[str] = mapped_column(Text)
    nip: Mapped[str | None] = mapped_column(Text, index=True)
    peran: Mapped[list[str]] = mapped_column(JSONB, default=list)
    satuan_kerja: Mapped[str | None] = mapped_column(Text)
    berlaku_sampai: Mapped[date | None] = mapped_column(Date)
    diperbarui_pada: Mapped[datetime] = _waktu(nullable=False)


class PenggunaStatusRM(Base):
    """Every status change of a user account, keyed by (account, version): status at any instant."""

    __tablename__ = "rm_pengguna_status"

    pengguna_id: Mapped[str] = mapped_column(Text, primary_key=True)
    versi: Mapped[int] = mapped_column(Integer, primary_key=True)
    aksi: Mapped[str] = mapped_column(Text)  # diaktifkan | dinonaktifkan | kedaluwarsa
    status: Mapped[str] = mapped_column(Text)
    waktu: Mapped[datetime] = _waktu(nullable=False)

    __table_args__ = (Index("ix_rm_pengguna_status_waktu", "waktu", "aksi"),)


# --------------------------------------------------------------------------- pokja


class PaketRM(Base):
    """One row per procurement package (by `kode`); data and method each move forward by version."""

    __tablename__ = "rm_paket"

    kode: Mapped[str] = mapped_column(Text, primary_key=True)
    nama: Mapped[str | None] = mapped_column(Text)
    satuan_kerja: Mapped[str | None] = mapped_column(Text)
    jenis_pengadaan: Mapped[str | None] = mapped_column(Text)
    pagu: Mapped[int | None] = mapped_column(BigInteger)
    hps: Mapped[int | None] = mapped_column(BigInteger)
    tahun_anggaran: Mapped[int | None] = mapped_column(Integer)
    metode_pemilihan: Mapped[str | None] = mapped_column(Text)
    data_versi: Mapped[int] = mapped_column(Integer, default=0)
    metode_versi: Mapped[int] = mapped_column(Integer, default=0)
    dicatat_pada: Mapped[datetime | None] = _waktu()

    __table_args__ = (Index("ix_rm_paket_tahun_anggaran", "tahun_anggaran", "kode"),)


class HasilPemilihanRM(Base):
    """Each selection result reported to the Kepala UKPBJ (rule 26), with the package's figures then."""

    __tablename__ = "rm_hasil_pemilihan"

    event_id: Mapped[str] = mapped_column(Text, primary_key=True)
    kode: Mapped[str] = mapped_column(Text)
    versi: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(Text)  # selesai | gagal
    tanggal: Mapped[date] = mapped_column(Date)
    nilai_kontrak: Mapped[int | None] = mapped_column(BigInteger)
    pemenang: Mapped[str | None] = mapped_column(Text)
    pelapor_nip: Mapped[str] = mapped_column(Text)
    pelaksana: Mapped[str] = mapped_column(Text)  # pokja | pejabat_pengadaan
    pelaksana_id: Mapped[str] = mapped_column(Text)
    jenis_pengadaan: Mapped[str] = mapped_column(Text)
    metode_pemilihan: Mapped[str] = mapped_column(Text)
    pagu: Mapped[int] = mapped_column(BigInteger)
    hps: Mapped[int] = mapped_column(BigInteger)
    tahun_anggaran: Mapped[int] = mapped_column(Integer)
    waktu: Mapped[datetime] = _waktu(nullable=False)

    __table_args__ = (
        Index("ix_rm_hasil_pemilihan_waktu", "waktu"),
        Index("ix_rm_hasil_pemilihan_kode", "kode", "versi"),
    )


class PokjaRM(Base):
    """One row per Pokja Pemilihan: when it was formed and dissolved."""

    __tablename__ = "rm_pokja"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    nama: Mapped[str | None] = mapped_column(Text)
    nomor_sk: Mapped[str | None] = mapped_column(Text)
    dibentuk_pada: Mapped[datetime | None] = _waktu()
    dibubarkan_pada: Mapped[datetime | None] = _waktu()
    versi: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_rm_pokja_dibentuk_pada", "dibentuk_pada"),
        Index("ix_rm_pokja_dibubarkan_pada", "dibubarkan_pada"),
    )


class PokjaAnggotaRM(Base):
    """Each membership change of a Pokja (joined or left), keyed by (Pokja, NIP, version)."""

    __tablename__ = "rm_pokja_anggota"

    pokja_id: Mapped[str] = mapped_column(Text, primary_key=True)
    nip: Mapped[str] = mapped_column(Text, primary_key=True)
    versi: Mapped[int] = mapped_column(Integer, primary_key=True)
    aksi: Mapped[str] = mapped_column(Text)  # masuk | keluar
    waktu: Mapped[datetime] = _waktu(nullable=False)


class PokjaPaketRM(Base):
    """A package assigned to a Pokja (earliest assignment time kept)."""

    __tablename__ = "rm_pokja_paket"

    pokja_id: Mapped[str] = mapped_column(Text, primary_key=True)
    kode: Mapped[str] = mapped_column(Text, primary_key=True)
    ditugaskan_pada: Mapped[datetime] = _waktu(nullable=False)

    __table_args__ = (Index("ix_rm_pokja_paket_kode", "kode", "ditugaskan_pada"),)


class PenggantianAnggotaRM(Base):
    """A member whose SPSE user was deactivated or expired and must be replaced."""

    __tablename__ = "rm_pokja_penggantian"

    event_id: Mapped[str] = mapped_column(Text, primary_key=True)
    pokja_id: Mapped[str] = mapped_column(Text)
    nip: Mapped[str] = mapped_column(Text)
    versi: Mapped[int] = mapped_column(Integer)
    status_spse: Mapped[str] = mapped_column(Text)
    waktu: Mapped[datetime] = _waktu(nullable=False)


class PejabatPengadaanRM(Base):
    """A Pejabat Pengadaan assignment at a satker on its KPA's request (Pasal 16)."""

    __tablename__ = "rm_pejabat_pengadaan"

    penugasan_id: Mapped[str] = mapped_column(Text, primary_key=True)
    nip: Mapped[str] = mapped_column(Text)
    satuan_kerja: Mapped[str] = mapped_column(Text)
    nomor_permintaan_kpa: Mapped[str] = mapped_column(Text)
    ditugaskan_pada: Mapped[datetime] = _waktu(nullable=False)

    __table_args__ = (Index("ix_rm_pejabat_pengadaan_ditugaskan_pada", "ditugaskan_pada"),)


class PejabatPengadaanPaketRM(Base):
    """A package within direct-procurement limits given to a Pejabat Pengadaan."""

    __tablename__ = "rm_pejabat_pengadaan_paket"

    penugasan_id: Mapped[str] = mapped_column(Text, primary_key=True)
    kode: Mapped[str] = mapped_column(Text, primary_key=True)
    nip: Mapped[str] = mapped_column(Text)
    ditugaskan_pada: Mapped[datetime] = _waktu(nullable=False)


# --------------------------------------------------------------------------- helpdesk


class TiketRM(Base):
    """One row per ticket: what it is, its latest status and its SLA figures as helpdesk computed them.

    Column groups move forward independently: status by `status_versi`, the (last) resolution by
    `penyelesaian_versi`; the first response and the SLA breaches are set once.
    """

    __tablename__ = "rm_tiket"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    kategori: Mapped[str | None] = mapped_column(Text)
    kanal: Mapped[str | None] = mapped_column(Text)
    prioritas: Mapped[str | None] = mapped_column(Text)
    paket_kode: Mapped[str | None] = mapped_column(Text)
    di_luar_lingkup: Mapped[bool] = mapped_column(Boolean, default=False)
    target_respons_detik: Mapped[int | None] = mapped_column(Integer)
    target_penyelesaian_detik: Mapped[int | None] = mapped_column(Integer)
    dibuat_pada: Mapped[datetime | None] = _waktu()
    status: Mapped[str | None] = mapped_column(Text)
    status_versi: Mapped[int] = mapped_column(Integer, default=0)
    respons_pertama_pada: Mapped[datetime | None] = _waktu()
    detik_kerja_respons: Mapped[float | None] = mapped_column(Float)
    sla_respons_terpenuhi: Mapped[bool | None] = mapped_column(Boolean)
    respons_terlampaui_pada: Mapped[datetime | None] = _waktu()  # due time of a breached first response
    diselesaikan_pada: Mapped[datetime | None] = _waktu()
    tingkat_penyelesaian: Mapped[str | None] = mapped_column(Text)
    detik_kerja_penyelesaian: Mapped[float | None] = mapped_column(Float)
    sla_penyelesaian_terpenuhi: Mapped[bool | None] = mapped_column(Boolean)
    penyelesaian_versi: Mapped[int] = mapped_column(Integer, default=0)
    penyelesaian_terlampaui_pada: Mapped[datetime | None] = _waktu()  # due time of a breached resolution
    ditutup_pada: Mapped[datetime | None] = _waktu()

    __table_args__ = (
        Index("ix_rm_tiket_dibuat_pada", "dibuat_pada"),
        Index("ix_rm_tiket_status", "status"),
        Index("ix_rm_tiket_respons_pertama_pada", "respons_pertama_pada"),
        Index("ix_rm_tiket_diselesaikan_pada", "diselesaikan_pada"),
        Index("ix_rm_tiket_hasil_sla_respons", func.coalesce(text("respons_terlampaui_pada"),
                                                              text("respons_pertama_pada"))),
        Index("ix_rm_tiket_hasil_sla_penyelesaian", func.coalesce(text("penyelesaian_terlampaui_pada"),
                                                                   text("diselesaikan_pada"))),
    )


class TiketEskalasiRM(Base):
    """Each escalation of a ticket (Kasubbag LPSE, LKPP Eproc, LKPP Teknis), keyed by event id."""

    __tablename__ = "rm_tiket_eskalasi"

    event_id: Mapped[str] = mapped_column(Text, primary_key=True)
    tiket_id: Mapped[str] = mapped_column(Text)
    dari: Mapped[str] = mapped_column(Text)
    ke: Mapped[str] = mapped_column(Text)
    alasan: Mapped[str | None] = mapped_column(Text)
    waktu: Mapped[datetime] = _waktu(nullable=False)

    __table_args__ = (Index("ix_rm_tiket_eskalasi_waktu", "waktu", "ke"),)


class TiketPenilaianRM(Base):
    """Each satisfaction score (1-5) a reporter gave, keyed by event id."""

    __tablename__ = "rm_tiket_penilaian"

    event_id: Mapped[str] = mapped_column(Text, primary_key=True)
    tiket_id: Mapped[str] = mapped_column(Text)
    nilai: Mapped[int] = mapped_column(SmallInteger)
    waktu: Mapped[datetime] = _waktu(nullable=False)

    __table_args__ = (Index("ix_rm_tiket_penilaian_waktu", "waktu"),)


class BeritaAcaraRM(Base):
    """An unopenable-bid berita acara (Lampiran 2.5.3)."""

    __tablename__ = "rm_berita_acara"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    paket_kode: Mapped[str] = mapped_column(Text)
    hasil: Mapped[str] = mapped_column(Text)
    waktu: Mapped[datetime] = _waktu(nullable=False)

    __table_args__ = (Index("ix_rm_berita_acara_waktu", "waktu"),)


class PengumumanRM(Base):
    """A published announcement (disruption, maintenance, information) with its validity window."""

    __tablename__ = "rm_pengumuman"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    jenis: Mapped[str] = mapped_column(Text)
    judul: Mapped[str] = mapped_column(Text)
    mulai: Mapped[datetime] = _waktu(nullable=False)
    selesai: Mapped[datetime] = _waktu(nullable=False)
    diterbitkan_pada: Mapped[datetime] = _waktu(nullable=False)


# --------------------------------------------------------------------------- frozen reports


class LaporanFinal(Base):
    """A report frozen by the Kepala UKPBJ: the bytes of all four formats, their SHA-256, the figures."""

    __tablename__ = "laporan_final"

    kode: Mapped[str] = mapped_column(String(10), primary_key=True)  # '2026-S1' | '2026'
    tahun: Mapped[int] = mapped_column(Integer)
    semester: Mapped[int | None] = mapped_column(SmallInteger)
    difinalkan_pada: Mapped[datetime] = _waktu(nullable=False)
    difinalkan_oleh: Mapped[str] = mapped_column(Text)
    angka: Mapped[dict[str, Any]] = mapped_column(JSONB)  # the Ringkasan of the period and the previous one
    isi_json: Mapped[bytes] = mapped_column(LargeBinary)
    isi_csv: Mapped[bytes] = mapped_column(LargeBinary)
    isi_xlsx: Mapped[bytes] = mapped_column(LargeBinary)
    isi_pdf: Mapped[bytes] = mapped_column(LargeBinary)
    hash_json: Mapped[str] = mapped_column(String(71))
    hash_csv: Mapped[str] = mapped_column(String(71))
    hash_xlsx: Mapped[str] = mapped_column(String(71))
    hash_pdf: Mapped[str] = mapped_column(String(71))


class KeanggotaanAktifRM(Base):
    """Who currently sits in which active Pokja (formed, not dissolved, their latest fact there `masuk`),
    kept by the triggers of `rm_pokja` and `rm_pokja_anggota` (migration 0005, issue 9)."""

    __tablename__ = "rm_keanggotaan_aktif"

    pokja_id: Mapped[str] = mapped_column(Text, primary_key=True)
    nip: Mapped[str] = mapped_column(Text, primary_key=True)


class AnggotaAktifRM(Base):
    """In how many active Pokja each person sits (no row: none), kept with `rm_keanggotaan_aktif`; the live
    indicator `anggota_pokja_aktif` is its row count (migration 0005, issue 9)."""

    __tablename__ = "rm_anggota_aktif"

    nip: Mapped[str] = mapped_column(Text, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, nullable=False)


READ_MODELS = tuple(t.name for t in Base.metadata.sorted_tables if t.name.startswith("rm_"))
"""The tables a rebuild truncates and refills from the event history."""


# --------------------------------------------------------------------------- change stamp


class VersiRM(Base):
    """How many transactions have changed the read models (issue 9): a cache of figures computed from
    them (live indicators, open data pages) is current exactly while the sum of `versi` is unchanged.

    Bumped by statement triggers on every read model and on the inbox (migration 0002), in the
    writer's own transaction, so whoever writes (consumers, rebuild, SQL) moves it, and only when
    it commits. One row per slot (the writer's backend pid modulo 16) so that concurrent consumers
    do not queue on one row; the slots only grow, so equal sums mean equal slots.
    """

    __tablename__ = "versi_rm"

    slot: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    versi: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")


class HitunganRM(Base):
    """Counts the live indicators need, kept by the read models' own triggers (migration 0004, issue 9),
    so that `GET /api/v1/indikator` reads a few rows instead of scanning every registration, user, ticket
    and package again after each consumer batch.

    `jenis` names the figure (`pendaftaran.status`, `pendaftaran.diajukan`, `pengguna.status`,
    `tiket.status`, `tiket.dibuat`, `paket.tahun`), `nilai` its group (a status, a WIB semester as
    `2026-2`, a fiscal year). As with `versi_rm`, a writer adds its deltas to the slot of its backend pid
    modulo 16, so concurrent consumers do not queue on one row; a figure is the sum over the slots.
    A TRUNCATE of a read model (a rebuild) clears its figures in the same transaction."""

    __tablename__ = "hitungan_rm"

    jenis: Mapped[str] = mapped_column(Text, primary_key=True)
    nilai: Mapped[str] = mapped_column(Text, primary_key=True)
    slot: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")

