import pytest

from services.pelaporan import seed
from shared.seed import SeedContext
from tests.conftest import running_app

pytestmark = pytest.mark.integration


class Kemajuan:
    def __init__(self) -> None:
        self.n = 0

    def update(self, n: int) -> None:
        self.n += n


async def test_seeding_waits_for_the_consumers_then_downloads_the_current_report_in_every_format(
        migrated, monkeypatch):
    monkeypatch.setattr(seed, "JEDA_DETIK", 0.2)
    async with running_app(migrated, "pelaporan") as klien:
        ctx = SeedContext(clients={"pelaporan": klien}, progress=Kemajuan())

        await seed.seed(ctx)

    assert ctx.progress.n == seed.STEPS
