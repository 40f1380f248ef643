"""Tables of helpdesk (the persistence shape). The rules live in `domain.py`; `repository.py` maps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import ServiceBase, new_metadata

WAKTU = DateTime(timezone=True)


class Base(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


class TiketRow(Base):
    """A ticket and the derived columns the periodic job and the metrics query by."""

    __tablename__ = "tiket"
    __table_args__ = (Index("ix_tiket_dibuat", text("dibuat_pada DESC"), text("id DESC")),)  # newest-first lists

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nomor: Mapped[str] = mapped_column(String(20), unique=True)
    judul: Mapped[str] = mapped_column(String(200))
    uraian: Mapped[str] = mapped_column(Text)
    kategori: Mapped[str] = mapped_column(String(20), index=True)
    kanal: Mapped[str] = mapped_column(String(20))
    prioritas: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    paket_kode: Mapped[str | None] = mapped_column(String(50))
    pelapor_sub: Mapped[str | None] = mapped_column(String(200), index=True)
    pelapor_nama: Mapped[str | None] = mapped_column(String(200))
    pelapor_email: Mapped[str | None] = mapped_column(String(254))
    pelapor_telepon: Mapped[str | None] = mapped_column(String(30))
    token_hash: Mapped[str | None] = mapped_column(String(64))
    dicatat_oleh: Mapped[str | None] = mapped_column(String(200))
    petugas: Mapped[str | None] = mapped_column(String(200), index=True)
    tingkat: Mapped[str] = mapped_column(String(20))
    target_respons_detik: Mapped[float] = mapped_column(Float)
    target_penyelesaian_detik: Mapped[float] = mapped_column(Float)
    jeda: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    status_sebelum_jeda: Mapped[str | None] = mapped_column(String(20))
    respons_pertama_pada: Mapped[datetime | None] = mapped_column(WAKTU)
    solusi: Mapped[str | None] = mapped_column(Text)
    diselesaikan_pada: Mapped[datetime | None] = mapped_column(WAKTU)
    ditutup_pada: Mapped[datetime | None] = mapped_column(WAKTU)
    sebab_penutupan: Mapped[str | None] = mapped_column(String(30))
    di_luar_lingkup: Mapped[bool] = mapped_column(Boolean, default=False)
    nilai_kepuasan: Mapped[int | None] = mapped_column(Integer)
    komentar_kepuasan: Mapped[str | None] = mapped_column(Text)
    dinilai_pada: Mapped[datetime | None] = mapped_column(WAKTU)
    sla_respons_terpenuhi: Mapped[bool | None] = mapped_column(Boolean)
    sla_penyelesaian_terpenuhi: Mapped[bool | None] = mapped_column(Boolean)
    periksa_sla_pada: Mapped[datetime | None] = mapped_column(WAKTU, index=True)
    tutup_otomatis_pada: Mapped[datetime | None] = mapped_column(WAKTU, index=True)
    versi: Mapped[int] = mapped_column(Integer)
    dibuat_pada: Mapped[datetime] = mapped_column(WAKTU)
    diperbarui_pada: Mapped[datetime] = mapped_column(WAKTU)


class TanggapanRow(Base):
    __tablename__ = "tanggapan"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tiket_id: Mapped[str] = mapped_column(ForeignKey("tiket.id"), index=True)
    oleh: Mapped[str] = mapped_column(String(200))
    sebagai: Mapped[str] = mapped_column(String(20))
    isi: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    waktu: Mapped[datetime] = mapped_column(WAKTU)


class EskalasiRow(Base):
    __tablename__ = "eskalasi"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    tiket_id: Mapped[str] = mapped_column(ForeignKey("tiket.id"), index=True)
    dari: Mapped[str] = mapped_column(String(20))
    ke: Mapped[str] = mapped_column(String(20))
    oleh: Mapped[str] = mapped_column(String(200))
    waktu: Mapped[datetime] = mapped_column(WAKTU)
    alasan: Mapped[str | None] = mapped_column(String(40))
    referensi_lkpp: Mapped[str | None] = mapped_column(String(100))
    catatan: Mapped[str | None] = mapped_column(Text)


class SlaTerlampauiRow(Base):
    """One row per ticket and SLA kind whose breach event was written: the once-only guarantee."""

    __tablename__ = "sla_terlampaui"

    tiket_id: Mapped[str] = mapped_column(ForeignKey("tiket.id"), primary_key=True)
    jenis: Mapped[str] = mapped_column(String(20), primary_key=True)
    target_detik: Mapped[float] = mapped_column(Float)
    jatuh_tempo: Mapped[datetime] = mapped_column(WAKTU)
    terdeteksi_pada: Mapped[datetime] = mapped_column(WAKTU)


class LampiranRow(Base):
    __tablename__ = "lampiran"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tiket_id: Mapped[str] = mapped_column(ForeignKey("tiket.id"), index=True)
    nama_berkas: Mapped[str] = mapped_column(String(255))
    jenis_konten: Mapped[str] = mapped_column(String(100))
    ukuran: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    kunci: Mapped[str] = mapped_column(String(200))
    diunggah_oleh: Mapped[str] = mapped_column(String(200))
    diunggah_pada: Mapped[datetime] = mapped_column(WAKTU)


class PetugasRow(Base):
    """A helpdesk officer known to the service (the pool for automatic assignment)."""

    __tablename__ = "petugas"

    sub: Mapped[str] = mapped_column(String(200), primary_key=True)
    nama: Mapped[str | None] = mapped_column(String(200))
    aktif: Mapped[bool] = mapped_column(Boolean, default=True)
    terdaftar_pada: Mapped[datetime] = mapped_column(WAKTU)
    terakhir_aktif_pada: Mapped[datetime | None] = mapped_column(WAKTU)


class PengumumanRow(Base):
    __tablename__ = "pengumuman"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    judul: Mapped[str] = mapped_column(String(200))
    isi: Mapped[str] = mapped_column(Text)
    jenis: Mapped[str] = mapped_column(String(20))
    mulai: Mapped[datetime] = mapped_column(WAKTU, index=True)
    selesai: Mapped[datetime] = mapped_column(WAKTU, index=True)
    diterbitkan_oleh: Mapped[str] = mapped_column(String(200))
    diterbitkan_pada: Mapped[datetime] = mapped_column(WAKTU)


class BeritaAcaraRow(Base):
    __tablename__ = "berita_acara"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nomor: Mapped[str] = mapped_column(String(40), unique=True)
    tiket_id: Mapped[str | None] = mapped_column(ForeignKey("tiket.id"))
    paket_kode: Mapped[str] = mapped_column(String(50), index=True)
    penyedia: Mapped[str] = mapped_column(String(300))
    nama_file: Mapped[str] = mapped_column(String(255))
    hash_file: Mapped[str] = mapped_column(String(64))
    pernyataan_lpse: Mapped[str] = mapped_column(Text)
    pernyataan_lkpp: Mapped[str | None] = mapped_column(Text)
    tempat: Mapped[str | None] = mapped_column(String(300))
    saksi_nama: Mapped[str] = mapped_column(String(200))
    saksi_nip: Mapped[str] = mapped_column(String(18))
    anggota_pokja: Mapped[list[dict[str, str]]] = mapped_column(JSONB)
    hasil: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    disusun_pada: Mapped[datetime] = mapped_column(WAKTU)
    ditandatangani_pada: Mapped[datetime | None] = mapped_column(WAKTU)
    versi: Mapped[int] = mapped_column(Integer)
    diperbarui_pada: Mapped[datetime] = mapped_column(WAKTU)
