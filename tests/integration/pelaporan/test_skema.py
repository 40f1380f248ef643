import pytest

from services.pelaporan.models import READ_MODELS, Base

pytestmark = pytest.mark.integration


def test_every_read_model_table_is_listed_for_rebuild():
    assert set(READ_MODELS) == {t for t in Base.metadata.tables if t.startswith("rm_")}
