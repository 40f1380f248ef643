import base64

import pytest

from shared.config import DEV_JWT_SECRET, load_settings
from services.registrasi.config import Settings


def test_the_development_secret_is_refused_outside_development(monkeypatch):
    monkeypatch.setenv("UKPBJ_ENV", "production")
    monkeypatch.delenv("UKPBJ_JWT_SECRET", raising=False)
    with pytest.raises(SystemExit) as exit_:
        load_settings(Settings)
    assert "UKPBJ_JWT_SECRET" in str(exit_.value)


def test_a_malformed_setting_stops_the_service_naming_the_variable(monkeypatch):
    monkeypatch.setenv("REGISTRASI_DB_POOL_SIZE", "sepuluh")
    with pytest.raises(SystemExit) as exit_:
        load_settings(Settings)
    assert "REGISTRASI_DB_POOL_SIZE" in str(exit_.value)


def test_a_service_setting_overrides_the_shared_one(monkeypatch):
    monkeypatch.setenv("UKPBJ_DATABASE_URL", "postgresql+asyncpg://bersama/db")
    monkeypatch.setenv("REGISTRASI_DATABASE_URL", "postgresql+asyncpg://khusus/db")
    monkeypatch.setenv("UKPBJ_KAFKA_BOOTSTRAP", "kafka:9092")
    settings = load_settings(Settings)
    assert settings.database_url == "postgresql+asyncpg://khusus/db"
    assert settings.kafka_bootstrap == "kafka:9092"


def test_the_development_data_key_is_refused_outside_development(monkeypatch):
    monkeypatch.setenv("UKPBJ_ENV", "production")
    monkeypatch.setenv("UKPBJ_JWT_SECRET", "x" * 48)
    with pytest.raises(SystemExit) as exit_:
        load_settings(Settings)
    assert "UKPBJ_KUNCI_DATA" in str(exit_.value)


def test_production_with_a_real_secret_and_key_is_accepted(monkeypatch):
    monkeypatch.setenv("UKPBJ_ENV", "production")
    monkeypatch.setenv("UKPBJ_JWT_SECRET", "x" * 48)
    monkeypatch.setenv("UKPBJ_KUNCI_DATA", base64.b64encode(b"k" * 32).decode())
    settings = load_settings(Settings)
    assert settings.jwt_secret.get_secret_value() != DEV_JWT_SECRET
