"""Settings from environment variables, one prefix per service, with `UKPBJ_` as the shared fallback.

`REGISTRASI_DATABASE_URL` is read before `UKPBJ_DATABASE_URL`; a service refuses to start with the
documented development secret unless `UKPBJ_ENV=development`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from shared.kripto import DEV_KUNCI_DATA  # noqa: E402

DEV_JWT_SECRET = "ukpbj-dev-secret-ganti-di-produksi-0123456789"  # documented in README; dev only
DEV_ISSUER = "ukpbj-dev"
DEV_AUDIENCE = "ukpbj"


class ServiceSettings(BaseSettings):
    """What every service needs; a service subclasses it with its own `env_prefix`."""

    model_config = SettingsConfigDict(env_prefix="UKPBJ_", extra="ignore", frozen=True)
    service_name: ClassVar[str] = "ukpbj"

    env: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        "postgresql+asyncpg://postgres@localhost/ukpbj",
        description="SQLAlchemy URL, driver asyncpg",
    )
    # Connections of the ORM engine (it holds 2x this, never more).
    db_pool_size: int = 5
    # Connections of the asyncpg pool of the hot paths (`shared.pg`), taken first come, first served.
    # 16, not 10: handing a connection to the next in the queue leaves it idle for a turn of the event
    # loop, and at 10 that queue, not the CPU, bounded the creates (issue 9). With the engine's 10 and
    # the relay's, about 28 per replica: deploy/docker-compose.yml gives PostgreSQL 200.
    asyncpg_pool_size: int = Field(16, ge=1)
    db_statement_timeout_ms: int = 15_000
    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_enable_idempotence: bool = False  # True on Apache Kafka; the test broker cannot do it
    kafka_send_timeout_s: float = 10.0
    # The test broker answers a waiting fetch only when the wait ends: this bounds the lag of a consumer
    # that is caught up (e2e at 500 events/s, 6 rounds each: p50 17.8 ms at 5 against 21.9 at 20, with
    # no change in the creates' throughput; issue 9). Apache Kafka answers as soon as records arrive.
    consumer_fetch_max_wait_ms: int = 5
    # A consumer that received nothing for 10 s waits up to this long per fetch (`EventConsumer._pace`);
    # 0 keeps `consumer_fetch_max_wait_ms` always.
    consumer_fetch_idle_wait_ms: int = Field(100, ge=0)
    relay_enabled: bool = True
    consumers_enabled: bool = True
    relay_batch_size: int = 500
    relay_poll_interval_s: float = 2.0
    # Rows of list pages kept rendered as JSON per process (`app.state.tampilan`, issue 9); 0 turns it off.
    cache_tampilan_baris: int = Field(4096, ge=0)
    jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    jwt_jwks_url: str | None = None
    jwt_issuer: str = DEV_ISSUER
    jwt_audience: str = DEV_AUDIENCE
    max_body_bytes: int = 1_048_576
    max_upload_bytes: int = 5 * 1_048_576
    storage_dir: Path = Path(".data/berkas")
    cors_origins: list[str] = []
    kunci_data: SecretStr = SecretStr(DEV_KUNCI_DATA)  # base64 32 bytes: encrypts NIK/NPWP at rest
    rate_limit_public_per_minute: int = 30
    log_level: str = "INFO"
    log_json: bool = True

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Service prefix first, then the shared `UKPBJ_` prefix."""
        shared = EnvSettingsSource(settings_cls, env_prefix="UKPBJ_")
        return init_settings, env_settings, shared, file_secret_settings

    @model_validator(mode="after")
    def _refuse_dev_secret_outside_development(self) -> "ServiceSettings":
        if self.env != "development" and self.jwt_jwks_url is None:
            if self.jwt_secret.get_secret_value() == DEV_JWT_SECRET:
                raise ValueError(
                    "UKPBJ_JWT_SECRET is the development secret; set UKPBJ_JWT_JWKS_URL "
                    "(production) or a real secret when UKPBJ_ENV is not 'development'"
                )
        if self.env != "development" and self.kunci_data.get_secret_value() == DEV_KUNCI_DATA:
            raise ValueError("UKPBJ_KUNCI_DATA is the development key; set a real 32-byte base64 key "
                             "when UKPBJ_ENV is not 'development'")
        return self

    @property
    def asyncpg_dsn(self) -> str:
        """The database URL in the form plain asyncpg accepts."""
        return self.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


def load_settings(cls: type[ServiceSettings], **overrides: Any) -> ServiceSettings:
    """Build settings or exit at once with a message naming the bad setting."""
    from pydantic import ValidationError

    try:
        return cls(**overrides)
    except ValidationError as exc:
        prefix = cls.model_config.get("env_prefix", "UKPBJ_")
        lines = []
        for err in exc.errors():
            name = "_".join(str(p) for p in err["loc"]).upper()
            candidates = [f"{prefix}{name}", f"UKPBJ_{name}"] if name else [prefix.rstrip("_")]
            where = next((c for c in candidates if c in os.environ), candidates[0])
            lines.append(f"  {where}: {err['msg']}")
        raise SystemExit(f"Konfigurasi tidak valid / invalid configuration for {cls.service_name}:\n" + "\n".join(lines))
