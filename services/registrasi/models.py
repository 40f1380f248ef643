"""Tables of registrasi (the persistence shape)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import ServiceBase, new_metadata


class Base(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


class Pendaftaran(Base):
    __tablename__ = "pendaftaran"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    jenis: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    nama: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[str] = mapped_column(String(64))
    npwp: Mapped[str | None] = mapped_column(String(16), index=True)
    nib: Mapped[str | None] = mapped_column(String(13), index=True)
    nip: Mapped[str | None] = mapped_column(String(18))
    berlaku_sampai: Mapped[date | None] = mapped_column(Date)
    data: Mapped[dict] = mapped_column(JSONB().with_variant(JSON(), "sqlite"))
    token_hash: Mapped[str] = mapped_column(String(64))
    versi: Mapped[int] = mapped_column(Integer, default=1)
    diajukan_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    diperbarui_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    catatan: Mapped[str | None] = mapped_column(Text)
