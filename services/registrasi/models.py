"""Tables of registrasi (the persistence shape). The migrations in `migrations/versions` are written by
hand from these; the partial unique indexes are what keeps identifiers unique under concurrency.

Uniqueness (DOMAIN.md rule 7): an identifier (NPWP, NIB, NIP, user ID, e-mail) is held by a registration
while it waits (`diajukan`, `perlu_perbaikan`) and by a user account until it expires. A refused
registration and an expired account release it, so a government user can register again with a new SK.

Personal numbers at rest (Issue 8 point 6): NIK and NPWP are never stored in the clear, neither in a column
nor in the JSON `data`. Each is kept as AES-256-GCM ciphertext (`*_sandi`, `shared.kripto.Kripto.enkripsi`);
the NPWP also as a keyed HMAC blind index (`npwp_indeks`), which is what equality lookups, the blacklist
match and the one-per-NPWP unique indexes use. A database dump alone therefore reveals neither.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import ServiceBase, new_metadata

MENUNGGU = "status IN ('diajukan', 'perlu_perbaikan')"
BELUM_KEDALUWARSA = "status <> 'kedaluwarsa'"


class Base(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


def _unik(tabel: str, nama: str, kolom: Any, syarat: str) -> Index:
    return Index(f"uq_{tabel}_{nama}", kolom, unique=True, postgresql_where=text(syarat))


class Pendaftaran(Base):
    """A registration: the registrant's data (normalised), its state and its decision."""

    __tablename__ = "pendaftaran"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    jenis: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    bentuk_usaha: Mapped[str | None] = mapped_column(String(30))
    nama: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[str] = mapped_column(String(64))
    npwp_sandi: Mapped[str | None] = mapped_column(Text)
    npwp_indeks: Mapped[str | None] = mapped_column(String(64))
    npwp_format_lama: Mapped[bool] = mapped_column(Boolean, default=False)
    nik_sandi: Mapped[str | None] = mapped_column(Text)
    nib: Mapped[str | None] = mapped_column(String(13))
    nip: Mapped[str | None] = mapped_column(String(18))
    berlaku_sampai: Mapped[date | None] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)  # the registrant's data without NIK and NPWP
    peringatan: Mapped[list[str]] = mapped_column(JSONB, default=list)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    dokumen_asli_diperiksa: Mapped[list[str]] = mapped_column(JSONB, default=list)
    alasan: Mapped[str | None] = mapped_column(Text)
    kekurangan: Mapped[list[str]] = mapped_column(JSONB, default=list)
    pengguna_id: Mapped[str | None] = mapped_column(String(36))
    versi: Mapped[int] = mapped_column(Integer, default=1)
    diajukan_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    menunggu_sejak: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    diputuskan_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    diputuskan_oleh: Mapped[str | None] = mapped_column(String(100))
    diperbarui_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        Index("ix_pendaftaran_antrean", "status", "menunggu_sejak", "id"),
        _unik("pendaftaran", "npwp_menunggu", "npwp_indeks", MENUNGGU),
        _unik("pendaftaran", "nib_menunggu", "nib", MENUNGGU),
        _unik("pendaftaran", "nip_menunggu", "nip", MENUNGGU),
        _unik("pendaftaran", "user_id_menunggu", func.lower(text("user_id")), MENUNGGU),
        _unik("pendaftaran", "email_menunggu", func.lower(text("email")), MENUNGGU),
    )


class Dokumen(Base):
    """One uploaded version of one document kind; the bytes live in the storage, not here."""

    __tablename__ = "dokumen"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    pendaftaran_id: Mapped[str] = mapped_column(ForeignKey("pendaftaran.id"))
    jenis: Mapped[str] = mapped_column(String(30))
    versi: Mapped[int] = mapped_column(Integer)
    nama_berkas: Mapped[str | None] = mapped_column(String(255))
    jenis_konten: Mapped[str] = mapped_column(String(50))
    ukuran: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    kunci: Mapped[str] = mapped_column(String(200))
    diunggah_oleh: Mapped[str] = mapped_column(String(100))
    diunggah_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("pendaftaran_id", "jenis", "versi", name="uq_dokumen_versi"),)


class Pengguna(Base):
    """An SPSE user account (User ID) created by an approved registration."""

    __tablename__ = "pengguna"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    pendaftaran_id: Mapped[str] = mapped_column(ForeignKey("pendaftaran.id"), unique=True)
    jenis: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(254))
    nama: Mapped[str] = mapped_column(String(200))
    bentuk_usaha: Mapped[str | None] = mapped_column(String(30))
    npwp_sandi: Mapped[str | None] = mapped_column(Text)
    npwp_indeks: Mapped[str | None] = mapped_column(String(64))
    nib: Mapped[str | None] = mapped_column(String(13))
    nip: Mapped[str | None] = mapped_column(String(18))
    nik_sandi: Mapped[str | None] = mapped_column(Text)
    instansi: Mapped[str | None] = mapped_column(String(200))
    satuan_kerja: Mapped[str | None] = mapped_column(String(200))
    peran: Mapped[list[str]] = mapped_column(JSONB, default=list)
    berlaku_sampai: Mapped[date | None] = mapped_column(Date)
    alasan_status: Mapped[str | None] = mapped_column(Text)
    versi: Mapped[int] = mapped_column(Integer, default=1)
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    diperbarui_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_pengguna_masa_berlaku", "status", "berlaku_sampai"),
        Index("ix_pengguna_urutan", "dibuat_pada", "id"),
        _unik("pengguna", "npwp_berlaku", "npwp_indeks", BELUM_KEDALUWARSA),
        _unik("pengguna", "nib_berlaku", "nib", BELUM_KEDALUWARSA),
        _unik("pengguna", "nip_berlaku", "nip", BELUM_KEDALUWARSA),
        _unik("pengguna", "user_id_berlaku", func.lower(text("user_id")), BELUM_KEDALUWARSA),
        _unik("pengguna", "email_berlaku", func.lower(text("email")), BELUM_KEDALUWARSA),
    )


class DaftarHitam(Base):
    """A blacklist entry (Perpres 16/2018 jo 12/2021 Ps 78) by NPWP and/or NIB."""

    __tablename__ = "daftar_hitam"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    npwp_sandi: Mapped[str | None] = mapped_column(Text)
    npwp_indeks: Mapped[str | None] = mapped_column(String(64), index=True)
    nib: Mapped[str | None] = mapped_column(String(13), index=True)
    nama_penyedia: Mapped[str | None] = mapped_column(String(200))
    jenis_pelanggaran: Mapped[str] = mapped_column(String(20))
    mulai: Mapped[date] = mapped_column(Date)
    selesai: Mapped[date] = mapped_column(Date)
    alasan: Mapped[str] = mapped_column(Text)
    nomor_keputusan: Mapped[str | None] = mapped_column(String(100))
    dicatat_oleh: Mapped[str] = mapped_column(String(100))
    dicatat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    versi: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        CheckConstraint("npwp_indeks IS NOT NULL OR nib IS NOT NULL", name="npwp_atau_nib"),
        Index("uq_daftar_hitam_entri", func.coalesce(text("npwp_indeks"), text("''")),
              func.coalesce(text("nib"), text("''")), "jenis_pelanggaran", "mulai", unique=True),
    )
