"""The API shape of registrasi: PendaftaranCreate / PendaftaranPublic / ..."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

Nama = Annotated[str, Field(min_length=2, max_length=200)]
Digits = Annotated[str, Field(min_length=1, max_length=32, description="Angka; tanda baca diabaikan untuk NPWP")]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PenanggungJawab(_Base):
    nama: Nama
    nik: Digits
    jabatan: Annotated[str, Field(min_length=2, max_length=100)]


class PendaftaranPenyediaCreate(_Base):
    jenis: Literal["penyedia"]
    bentuk_usaha: Literal["pt", "cv", "firma", "koperasi", "persekutuan_perdata", "yayasan", "perorangan"]
    nama: Nama
    npwp: Digits
    nib: Digits
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    telepon: Annotated[str, Field(min_length=6, max_length=20, pattern=r"^\+?[0-9 ()-]+$")]
    alamat: Annotated[str, Field(min_length=5, max_length=500)]
    user_id: Annotated[str, Field(min_length=4, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
    penanggung_jawab: PenanggungJawab


class PendaftaranNonPenyediaCreate(_Base):
    jenis: Literal["non_penyedia"]
    nama: Nama
    nip: Digits
    nik: Digits
    instansi: Annotated[str, Field(min_length=2, max_length=200)]
    satuan_kerja: Annotated[str, Field(min_length=2, max_length=200)]
    peran: Annotated[list[Literal["ppk", "pokja", "pejabat_pengadaan", "kpa", "pa", "auditor"]],
                     Field(min_length=1, max_length=6)]
    nomor_sk: Annotated[str, Field(min_length=3, max_length=100)]
    berlaku_sampai: date
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    user_id: Annotated[str, Field(min_length=4, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


PendaftaranCreate = Annotated[PendaftaranPenyediaCreate | PendaftaranNonPenyediaCreate, Field(discriminator="jenis")]


class PendaftaranPublic(BaseModel):
    id: str
    jenis: str
    status: str
    nama: str
    user_id: str
    email: str
    versi: int
    diajukan_pada: datetime
    data: dict


class PendaftaranDibuat(PendaftaranPublic):
    token_akses: str = Field(description="Simpan token ini: dipakai di header X-Token-Akses; tidak ditampilkan lagi.")
