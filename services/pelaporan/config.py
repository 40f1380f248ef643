"""Settings of pelaporan (prefix `PELAPORAN_`, falling back to `UKPBJ_`)."""

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PELAPORAN_", extra="ignore", frozen=True)
    service_name: ClassVar[str] = "pelaporan"

    ocid_prefix: str = Field(
        "ocds-kdnpbj", pattern=r"^ocds-[a-z0-9]{6}$",
        description="OCID prefix registered with the Open Contracting Partnership (open data releases)")
    indikator_interval_s: float = Field(30.0, gt=0, description="How often the indicator gauges are refreshed")
