"""Fixtures the platform's integration tests share (the services' own are in their folders)."""

import pytest

from shared.db import make_engine, make_session_factory


@pytest.fixture
async def session_factory(migrated):
    """The ORM sessions of registrasi's database, where the platform tests write their outbox and audit rows."""
    engine = make_engine(migrated.url("registrasi"))
    yield make_session_factory(engine)
    await engine.dispose()
