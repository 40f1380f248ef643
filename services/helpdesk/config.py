"""Settings of helpdesk (prefix `HELPDESK_`, falling back to `UKPBJ_`) and the rules built from them.

SLA targets, the auto-close and reopen windows and the unit's extra days off (cuti bersama) are
configuration, e.g.:

    HELPDESK_TARGET_SLA='{"kritis": {"respons_pertama_detik": 900, "penyelesaian_detik": 7200}}'
    HELPDESK_TARGET_SLA_KATEGORI='{"kritis:infrastruktur": {"respons_pertama_detik": 600, "penyelesaian_detik": 3600}}'
    HELPDESK_LIBUR_TAMBAHAN=2026-12-24,2026-12-31        (or a JSON list)
    HELPDESK_TUTUP_OTOMATIS_HARI_KERJA=3
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from services.helpdesk.domain import (
    TARGET_SLA_BAKU,
    Kategori,
    KonfigurasiHelpdesk,
    Prioritas,
    TargetSla,
)
from services.helpdesk.waktu_kerja import KalenderKerja, KonfigurasiWaktuKerja
from shared.config import ServiceSettings

TEMPAT_BAKU = ("Ruang Layanan Pengadaan Secara Elektronik, Bagian Pengadaan Barang/Jasa, Biro Umum "
               "Sekretariat Jenderal Kementerian Dalam Negeri, Jalan Medan Merdeka Utara Nomor 7, Jakarta Pusat")


class TargetSlaSetelan(BaseModel):
    """One SLA target in business seconds."""

    respons_pertama_detik: float = Field(gt=0)
    penyelesaian_detik: float = Field(gt=0)


def _target_baku() -> dict[Prioritas, TargetSlaSetelan]:
    return {p: TargetSlaSetelan(respons_pertama_detik=t.respons_pertama_detik, penyelesaian_detik=t.penyelesaian_detik)
            for p, t in TARGET_SLA_BAKU.items()}


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HELPDESK_", extra="ignore", frozen=True)
    service_name: ClassVar[str] = "helpdesk"

    target_sla: dict[Prioritas, TargetSlaSetelan] = Field(default_factory=_target_baku)
    target_sla_kategori: dict[str, TargetSlaSetelan] = Field(
        default_factory=dict, description="Target per `prioritas:kategori`, mis. `kritis:infrastruktur`.")
    libur_tambahan: Annotated[list[date], NoDecode] = Field(
        default_factory=list, description="Cuti bersama atau hari libur yang ditetapkan unit (YYYY-MM-DD).")
    tutup_otomatis_hari_kerja: int = 3
    batas_buka_kembali_hari_kerja: int = 5
    interval_sla_detik: float = 20.0
    interval_metrik_detik: float = 30.0
    jendela_kepatuhan_hari: int = 30
    tempat_berita_acara: str = TEMPAT_BAKU

    @field_validator("libur_tambahan", mode="before")
    @classmethod
    def _daftar_tanggal(cls, nilai: Any) -> Any:
        if isinstance(nilai, str):
            teks = nilai.strip()
            if teks.startswith("["):
                return json.loads(teks)
            return [bagian.strip() for bagian in teks.split(",") if bagian.strip()]
        return nilai

    @field_validator("target_sla_kategori")
    @classmethod
    def _kunci_prioritas_kategori(cls, nilai: dict[str, TargetSlaSetelan]) -> dict[str, TargetSlaSetelan]:
        for kunci in nilai:
            prioritas, _, kategori = kunci.partition(":")
            if prioritas not in set(Prioritas) or kategori not in set(Kategori):
                raise ValueError(f"kunci '{kunci}' harus berbentuk prioritas:kategori, mis. kritis:infrastruktur")
        return nilai


@dataclass(frozen=True)
class AturanHelpdesk:
    """The rules a running helpdesk applies: SLA configuration, the business calendar, defaults."""

    konfigurasi: KonfigurasiHelpdesk
    kalender: KalenderKerja
    tempat_berita_acara: str = TEMPAT_BAKU
    jendela_kepatuhan_hari: int = 30

    @classmethod
    def dari(cls, settings: Settings) -> "AturanHelpdesk":
        """Build the rules from settings (refuses an invalid configuration at start-up)."""
        target = {**_target_baku(), **settings.target_sla}
        per_kategori = {}
        for kunci, nilai in settings.target_sla_kategori.items():
            prioritas, _, kategori = kunci.partition(":")
            per_kategori[(Prioritas(prioritas), Kategori(kategori))] = TargetSla(
                nilai.respons_pertama_detik, nilai.penyelesaian_detik)
        konfigurasi = KonfigurasiHelpdesk(
            target_per_prioritas={p: TargetSla(t.respons_pertama_detik, t.penyelesaian_detik)
                                  for p, t in target.items()},
            target_per_prioritas_kategori=per_kategori,
            tutup_otomatis_hari_kerja=settings.tutup_otomatis_hari_kerja,
            batas_buka_kembali_hari_kerja=settings.batas_buka_kembali_hari_kerja,
        )
        kalender = KalenderKerja(KonfigurasiWaktuKerja(libur_tambahan=frozenset(settings.libur_tambahan)))
        return cls(konfigurasi=konfigurasi, kalender=kalender, tempat_berita_acara=settings.tempat_berita_acara,
                   jendela_kepatuhan_hari=settings.jendela_kepatuhan_hari)
