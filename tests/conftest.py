import contextlib
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from shared.auth import mint_token
from shared.config import DEV_JWT_SECRET


LOG_COPY = Path(tempfile.gettempdir()) / f"ukpbj-uji-log-{os.getpid()}.jsonl"


def pytest_configure(config):
    LOG_COPY.unlink(missing_ok=True)
    os.environ["UKPBJ_LOG_COPY"] = str(LOG_COPY)


def token(*roles: str, sub: str | None = None, nip: str | None = None, **claims) -> str:
    return mint_token(DEV_JWT_SECRET, roles=list(roles), sub=sub or nip or f"uji-{roles[0] if roles else 'x'}",
                      nip=nip, **claims)


def auth(*roles: str, sub: str | None = None, nip: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(*roles, sub=sub, nip=nip)}"}


@pytest.fixture(scope="session")
def infra():
    from tests.support.stack import TestInfra

    stack = TestInfra(Path(tempfile.mkdtemp(prefix="ukpbj-test-")))
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def migrated(infra):
    await infra.prepare()
    return infra


@contextlib.asynccontextmanager
async def running_app(infra, service: str, **overrides) -> AsyncIterator[httpx.AsyncClient]:
    """A service app with its lifespan (relay, consumers, jobs) running, behind an httpx client."""
    app = infra.create_app(service, **overrides)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{service}.test") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def fullstack(migrated):
    from tests.support.fullstack import FullStack

    stack = FullStack(migrated.pg, migrated.workdir / "fullstack")
    stack.workdir.mkdir(parents=True, exist_ok=True)
    await stack.prepare()
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


def pytest_terminal_summary(terminalreporter):
    from tests.support.tally import lines

    for line in lines():
        terminalreporter.write_line(line)
