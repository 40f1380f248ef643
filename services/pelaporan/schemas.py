"""The API shape of pelaporan."""

from pydantic import BaseModel, Field


class IndikatorPendaftaran(BaseModel):
    total: int = Field(description="Pendaftaran yang pernah diajukan")
    per_status: dict[str, int]


class Indikator(BaseModel):
    pendaftaran: IndikatorPendaftaran
