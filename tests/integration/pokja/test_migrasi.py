import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from services.pokja.models import Base
from shared.db import make_engine

pytestmark = pytest.mark.integration


async def test_migrasi_tulisan_tangan_sama_dengan_model(migrated):
    engine = make_engine(migrated.url("pokja"))
    try:
        async with engine.connect() as conn:
            selisih = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata))
    finally:
        await engine.dispose()
    platform = {"outbox", "inbox", "idempotency_keys", "riwayat"}
    selisih = [d for d in selisih if not (d[0] == "remove_table" and d[1].name in platform)
               and not (d[0] == "remove_index" and d[1].table.name in platform)]
    assert selisih == []
