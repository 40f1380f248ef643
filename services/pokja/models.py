"""Tables of pokja (the persistence shape). The rules live in domain.py; these rows only hold state.

Every aggregate row (pegawai, paket, pokja, pejabat_pengadaan) has `versi`: bumped on every change,
it is the ETag and the events' aggregate version. `status_spse` is a projection of registrasi's
user events keyed by NIP, so it exists even before the person is recorded as pegawai.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
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


class Pegawai(Base):
    __tablename__ = "pegawai"

    nip: Mapped[str] = mapped_column(String(18), primary_key=True)
    nama: Mapped[str] = mapped_column(String(200))
    jabatan: Mapped[str] = mapped_column(String(20))
    nama_jabatan: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    satuan_kerja: Mapped[str] = mapped_column(String(200))
    sertifikat: Mapped[list] = mapped_column(JSONB, default=list)
    peran_lpse: Mapped[str | None] = mapped_column(String(20))
    versi: Mapped[int] = mapped_column(Integer, default=1)
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    diperbarui_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class StatusSpse(Base):
    """The state of a person's SPSE User ID, from registrasi.pengguna.* events (moves forward only)."""

    __tablename__ = "status_spse"

    nip: Mapped[str] = mapped_column(String(18), primary_key=True)
    pengguna_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    versi: Mapped[int] = mapped_column(Integer)
    waktu: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    diperbarui_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Pokja(Base):
    __tablename__ = "pokja"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nama: Mapped[str] = mapped_column(String(200))
    nomor_sk: Mapped[str] = mapped_column(String(100), unique=True)
    tanggal_sk: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    alasan_pembubaran: Mapped[str | None] = mapped_column(Text)
    penetap_nip: Mapped[str | None] = mapped_column(String(64))
    penetap_nama: Mapped[str | None] = mapped_column(String(200))
    versi: Mapped[int] = mapped_column(Integer, default=1)
    dibentuk_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    dibubarkan_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    diperbarui_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AnggotaPokja(Base):
    """One membership; a member who leaves keeps the row with `selesai` set (the history stays)."""

    __tablename__ = "anggota_pokja"
    __table_args__ = (
        Index("uq_anggota_pokja_aktif", "pokja_id", "nip", unique=True, postgresql_where=text("selesai IS NULL")),
        Index("ix_anggota_pokja_nip_aktif", "nip", postgresql_where=text("selesai IS NULL")),
        CheckConstraint("peran IN ('ketua', 'sekretaris', 'anggota')", name="peran"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    pokja_id: Mapped[str] = mapped_column(ForeignKey("pokja.id"), index=True)
    nip: Mapped[str] = mapped_column(ForeignKey("pegawai.nip"))
    urutan: Mapped[int] = mapped_column(Integer)
    peran: Mapped[str] = mapped_column(String(20))
    koordinasi_satker: Mapped[dict | None] = mapped_column(JSONB)
    perlu_diganti: Mapped[bool] = mapped_column(Boolean, default=False)
    mulai: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    selesai: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    alasan_keluar: Mapped[str | None] = mapped_column(Text)


class PejabatPengadaan(Base):
    __tablename__ = "pejabat_pengadaan"
    __table_args__ = (
        Index("uq_pejabat_pengadaan_aktif", "nip", "satuan_kerja", unique=True,
              postgresql_where=text("status = 'aktif'")),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nip: Mapped[str] = mapped_column(ForeignKey("pegawai.nip"), index=True)
    satuan_kerja: Mapped[str] = mapped_column(String(200))
    nomor_permintaan_kpa: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    perlu_diganti: Mapped[bool] = mapped_column(Boolean, default=False)
    versi: Mapped[int] = mapped_column(Integer, default=1)
    ditugaskan_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    diperbarui_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Paket(Base):
    __tablename__ = "paket"
    __table_args__ = (
        CheckConstraint("hps <= pagu", name="hps_dalam_pagu"),
        CheckConstraint("pokja_id IS NULL OR pejabat_pengadaan_id IS NULL", name="satu_pelaksana"),
    )

    kode: Mapped[str] = mapped_column(String(64), primary_key=True)
    nama: Mapped[str] = mapped_column(String(300))
    satuan_kerja: Mapped[str] = mapped_column(String(200), index=True)
    jenis_pengadaan: Mapped[str] = mapped_column(String(30))
    pagu: Mapped[int] = mapped_column(BigInteger)
    hps: Mapped[int] = mapped_column(BigInteger)
    tahun_anggaran: Mapped[int] = mapped_column(Integer, index=True)
    perencana_nip: Mapped[str | None] = mapped_column(String(18))
    ppk_nip: Mapped[str | None] = mapped_column(String(18))
    pemeriksa_nip: Mapped[str | None] = mapped_column(String(18))
    metode_pemilihan: Mapped[str] = mapped_column(String(30))
    metode_manual: Mapped[str | None] = mapped_column(String(30))
    alasan_metode: Mapped[str | None] = mapped_column(Text)
    tanggal_metode: Mapped[date] = mapped_column(Date)
    pokja_id: Mapped[str | None] = mapped_column(ForeignKey("pokja.id"), index=True)
    pejabat_pengadaan_id: Mapped[str | None] = mapped_column(ForeignKey("pejabat_pengadaan.id"), index=True)
    hasil: Mapped[dict | None] = mapped_column(JSONB)
    versi: Mapped[int] = mapped_column(Integer, default=1)
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    diperbarui_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
