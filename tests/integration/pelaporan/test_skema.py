import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shared.db import make_engine
from shared.migrations import PLATFORM_TABLES
from services.pelaporan.models import READ_MODELS, Base

pytestmark = pytest.mark.integration


async def test_the_hand_written_migration_creates_exactly_the_tables_of_the_models(migrated):
    engine = make_engine(migrated.url("pelaporan"))
    try:
        async with engine.connect() as conn:
            beda = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata))
    finally:
        await engine.dispose()

    def platform(d) -> bool:
        obj = d[1]
        table = getattr(obj, "table", obj)
        return getattr(table, "name", None) in PLATFORM_TABLES

    assert [d for d in beda if not (isinstance(d, tuple) and platform(d))] == []
    assert set(READ_MODELS) == {t for t in Base.metadata.tables if t.startswith("rm_")}
