"""Settings of helpdesk (prefix `HELPDESK_`, falling back to `UKPBJ_`)."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HELPDESK_", extra="ignore", frozen=True)
    service_name: ClassVar[str] = "helpdesk"
