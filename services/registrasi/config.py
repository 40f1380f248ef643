"""Settings of registrasi (prefix `REGISTRASI_`, falling back to `UKPBJ_`)."""

from typing import ClassVar

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from services.registrasi.domain import SYARAT_DOKUMEN_BAKU, SyaratDokumen, syarat_dari_pengaturan
from shared.config import ServiceSettings

SYARAT_BAKU_TEKS = {kunci: ["|".join(sorted(pilihan)) for pilihan in daftar]
                    for kunci, daftar in SYARAT_DOKUMEN_BAKU.items()}


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRASI_", extra="ignore", frozen=True)
    service_name: ClassVar[str] = "registrasi"

    syarat_dokumen: dict[str, list[str]] = Field(
        default_factory=lambda: dict(SYARAT_BAKU_TEKS),
        description="Dokumen wajib per jenis pendaftaran (JSON), mis. "
        '{"penyedia": ["ktp", "akta_pendirian", ...], "penyedia.perorangan": [...], '
        '"non_penyedia": ["sk|surat_tugas"]}; '
        "`|` memisahkan alternatif.",
    )
    interval_kedaluwarsa_s: float = Field(3600.0, gt=0, description="Seberapa sering masa berlaku SK diperiksa.")
    interval_metrik_antrean_s: float = Field(15.0, gt=0, description="Seberapa sering metrik antrean diperbarui.")

    @field_validator("syarat_dokumen")
    @classmethod
    def _syarat_dikenal(cls, nilai: dict[str, list[str]]) -> dict[str, list[str]]:
        syarat_dari_pengaturan(nilai)  # an unknown document kind fails at start-up
        for wajib in ("penyedia", "non_penyedia"):
            if wajib not in nilai:
                raise ValueError(f"syarat_dokumen harus memuat kunci '{wajib}'")
        return nilai

    @property
    def syarat(self) -> SyaratDokumen:
        """The required-document rules in the domain's form."""
        return syarat_dari_pengaturan(self.syarat_dokumen)
