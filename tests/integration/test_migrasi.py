import pytest

from shared.cli import SERVICES
from shared.migrations import schema_drift

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("service", list(SERVICES))
async def test_each_services_hand_written_migrations_match_its_models(migrated, service):
    assert await schema_drift(service, migrated.url(service)) == []
