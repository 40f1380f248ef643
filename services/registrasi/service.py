"""Use cases of registrasi."""

from __future__ import annotations

import hashlib
import secrets

from shared.contracts.registrasi import PendaftaranDiajukan
from shared.errors import NotFound
from shared.uow import UnitOfWork, new_id, now_utc
from services.registrasi.models import Pendaftaran
from services.registrasi.schemas import (
    PendaftaranDibuat,
    PendaftaranNonPenyediaCreate,
    PendaftaranPenyediaCreate,
    PendaftaranPublic,
)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _digits(value: str | None) -> str | None:
    if value is None:
        return None
    digits = "".join(c for c in value if c.isdigit())
    return digits.rjust(16, "0") if len(digits) == 15 else digits


def to_public(row: Pendaftaran) -> PendaftaranPublic:
    return PendaftaranPublic(id=row.id, jenis=row.jenis, status=row.status, nama=row.nama, user_id=row.user_id,
                             email=row.email, versi=row.versi, diajukan_pada=row.diajukan_pada, data=row.data)


async def ajukan_pendaftaran(
    cmd: PendaftaranPenyediaCreate | PendaftaranNonPenyediaCreate, *, uow: UnitOfWork
) -> PendaftaranDibuat:
    """Record a self-registration in status `diajukan` and return it with its access token."""
    token = secrets.token_urlsafe(32)
    async with uow:
        now = now_utc()
        row = Pendaftaran(
            id=new_id(), jenis=cmd.jenis, status="diajukan", nama=cmd.nama, email=cmd.email, user_id=cmd.user_id,
            npwp=_digits(getattr(cmd, "npwp", None)), nib=getattr(cmd, "nib", None), nip=getattr(cmd, "nip", None),
            berlaku_sampai=getattr(cmd, "berlaku_sampai", None), data=cmd.model_dump(mode="json"),
            token_hash=hash_token(token), versi=1, diajukan_pada=now, diperbarui_pada=now,
        )
        uow.session.add(row)
        uow.emit("registrasi.pendaftaran.diajukan",
                 PendaftaranDiajukan(pendaftaran_id=row.id, jenis=row.jenis, status=row.status, waktu=now,
                                     bentuk_usaha=getattr(cmd, "bentuk_usaha", None)),
                 aggregate_id=row.id, aggregate_version=row.versi)
        uow.record("pendaftaran", row.id, "diajukan", {"status": "diajukan"})
        await uow.session.flush()
        result = PendaftaranDibuat(**to_public(row).model_dump(), token_akses=token)
        return await uow.commit(result)


async def baca_pendaftaran(pendaftaran_id: str, *, uow: UnitOfWork) -> PendaftaranPublic:
    """Read one registration."""
    async with uow:
        row = await uow.session.get(Pendaftaran, pendaftaran_id)
        if row is None:
            raise NotFound(f"Pendaftaran {pendaftaran_id} tidak ditemukan.")
        return to_public(row)
