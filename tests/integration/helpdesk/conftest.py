import pytest_asyncio

from tests.conftest import running_app


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def helpdesk(migrated):
    async with running_app(migrated, "helpdesk") as client:
        yield client
