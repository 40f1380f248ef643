"""A small service built on shared/ only, so the platform's behaviour is tested apart from any domain."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import secrets

from fastapi import APIRouter, Body, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import SettingsConfigDict
from sqlalchemy import text

from shared.app import ServiceSpec, create_service_app
from shared.auth import Principal, require_roles
from shared.config import ServiceSettings
from shared.contracts.registrasi import DaftarHitamDicatat
from shared.deps import UowDep
from shared.errors import RuleViolation
from shared.idempotency import idempotent_create
from shared.uow import new_id, now_utc


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="UJI_", extra="ignore", frozen=True)
    service_name: ClassVar[str] = "uji"


class Barang(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nama: Annotated[str, Field(min_length=2, max_length=20)]
    jumlah: int
    jenis: Literal["barang", "jasa_lainnya"]


router = APIRouter(prefix="/api/v1")


@router.post("/barang", status_code=201)
async def buat(body: Annotated[Barang, Body()]) -> Barang:
    return body


@router.get("/rahasia")
async def rahasia(principal: Annotated[Principal, Depends(require_roles("verifikator"))]) -> dict:
    return {"sub": principal.sub, "roles": sorted(principal.roles)}


@router.post("/gagal-setengah-jalan")
async def gagal(uow: UowDep) -> dict:
    async with uow:
        marker = new_id()
        await uow.session.execute(text("INSERT INTO riwayat (aggregate_type, aggregate_id, aksi, aktor) "
                                       "VALUES ('uji', :id, 'coba', 'uji')"), {"id": marker})
        uow.emit("registrasi.daftar_hitam.dicatat",
                 DaftarHitamDicatat(daftar_hitam_id=marker, jenis_pelanggaran="etika", mulai=now_utc().date(),
                                    selesai=now_utc().date(), waktu=now_utc()),
                 aggregate_id=marker, aggregate_version=1)
        raise RuleViolation(f"ditolak setelah menulis {marker}", rule="Pasal 0 uji", extra={"marker": marker})


@router.post("/catat", status_code=201)
async def catat(uow: UowDep) -> dict:
    async with uow:
        marker = new_id()
        uow.emit("registrasi.daftar_hitam.dicatat",
                 DaftarHitamDicatat(daftar_hitam_id=marker, jenis_pelanggaran="etika", mulai=now_utc().date(),
                                    selesai=now_utc().date(), waktu=now_utc()),
                 aggregate_id=marker, aggregate_version=1)
        uow.record("daftar_hitam", marker, "dicatat", {"jenis_pelanggaran": "etika"}, alasan="uji")
        return await uow.commit({"id": marker})


@router.post("/rahasia-sekali", status_code=201)
async def rahasia_sekali(request: Request, response: Response, uow: UowDep) -> dict:
    async def create() -> dict:
        async with uow:
            return await uow.commit({"id": new_id(), "token_akses": secrets.token_urlsafe(24)})
    return await idempotent_create(request, response, uow, create, location=lambda r: f"/api/v1/x/{r['id']}")


@router.get("/meledak")
async def meledak() -> dict:
    raise RuntimeError("rahasia internal: password=hunter2")


def create_app(settings: Settings):  # type: ignore[no-untyped-def]
    return create_service_app(ServiceSpec(name="uji", title="Uji", description="Layanan uji platform",
                                          settings=settings, routers=[router]))
