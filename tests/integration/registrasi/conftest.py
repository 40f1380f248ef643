import pytest
import pytest_asyncio

from shared.devstack import TansuBroker
from shared.events import topics_of
from shared.kafka import ensure_topics
from tests.conftest import running_app
from tests.support.kafka import eventually

pytestmark = pytest.mark.integration


@pytest_asyncio.fixture(loop_scope="session", scope="package")
async def broker(migrated, tmp_path_factory):
    # A real broker of their own: these tests publish hundreds of events, which must not become a backlog
    # for tests that read the shared topics from the beginning (e2e).
    eigen = TansuBroker(log_path=tmp_path_factory.mktemp("registrasi-broker") / "broker.log").start()
    try:
        await eigen.wait_ready()
        await ensure_topics(eigen.bootstrap, topics_of("registrasi"))
        yield eigen
    finally:
        eigen.stop()


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def client(migrated, broker):
    async with running_app(migrated, "registrasi", kafka_bootstrap=broker.bootstrap) as client:
        yield client
        await eventually(lambda: semua_terbit(migrated), timeout=60)


async def semua_terbit(infra) -> bool:
    # Leave nothing unpublished: a later app's relay would send it to the shared broker.
    rows = await infra.fetch("registrasi", "SELECT count(*) AS n FROM outbox WHERE published_at IS NULL")
    return rows[0]["n"] == 0
