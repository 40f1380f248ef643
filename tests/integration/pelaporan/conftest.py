import pytest

from shared.consumer import EventConsumer
from shared.db import make_engine, make_session_factory
from shared.events import Envelope
from services.pelaporan.consumers import CONSUMERS
from tests.conftest import running_app


@pytest.fixture
async def sesi(migrated):
    engine = make_engine(migrated.url("pelaporan"))
    yield make_session_factory(engine)
    await engine.dispose()


@pytest.fixture
def terapkan(migrated, sesi):
    """Apply envelopes through pelaporan's own consumers (inbox and handlers) against the real database."""
    penerap = {spec.name: EventConsumer(spec, service="pelaporan", bootstrap=migrated.broker.bootstrap,
                                        session_factory=sesi, dead_letter_topic="pelaporan.dlq")
               for spec in CONSUMERS}

    async def jalankan(events: list[Envelope]) -> list[str]:
        hasil = []
        for event in events:
            spec = next(s for s in CONSUMERS if event.type in s.handlers)
            hasil.append(await penerap[spec.name].handle(event.to_bytes()))
        return hasil

    return jalankan


@pytest.fixture
async def klien(migrated):
    """The pelaporan API on the shared database, its consumers off (tests feed events themselves)."""
    async with running_app(migrated, "pelaporan", consumers_enabled=False, relay_enabled=False) as client:
        yield client
