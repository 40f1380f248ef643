"""Read models of pelaporan, built only from other services' events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import ServiceBase, new_metadata


class Base(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


class PendaftaranRM(Base):
    """One row per registration: its latest known state (applied by aggregate version)."""

    __tablename__ = "rm_pendaftaran"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    jenis: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    versi: Mapped[int] = mapped_column(Integer)
    diajukan_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    diputuskan_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
