import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from services.registrasi.models import Base
from shared.db import make_engine
from shared.migrations import PLATFORM_TABLES

pytestmark = pytest.mark.integration


async def test_the_hand_written_migration_matches_the_models(migrated):
    engine = make_engine(migrated.url("registrasi"))
    try:
        async with engine.connect() as conn:
            selisih = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata))
    finally:
        await engine.dispose()
    selisih = [d for d in selisih if not (d[0] == "remove_table" and d[1].name in PLATFORM_TABLES)
               and not (d[0] == "remove_index" and d[1].table.name in PLATFORM_TABLES)]
    assert selisih == []
