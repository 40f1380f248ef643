import pytest_asyncio

from tests.conftest import running_app


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def klien(migrated):
    """The pokja app with its relay, consumer and jobs running, behind an httpx client."""
    async with running_app(migrated, "pokja") as client:
        yield client
