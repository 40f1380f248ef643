import pytest

from tests.conftest import auth, running_app
from tests.integration.test_outbox import penyedia_body
from tests.support.kafka import eventually

pytestmark = pytest.mark.e2e


async def test_a_registration_travels_from_registrasi_through_the_broker_into_pelaporan(migrated):
    staff = auth("kepala_ukpbj")
    async with running_app(migrated, "pelaporan") as pelaporan, running_app(migrated, "registrasi") as registrasi:
        before = (await pelaporan.get("/api/v1/indikator", headers=staff)).json()["pendaftaran"]["total"]
        response = await registrasi.post("/api/v1/pendaftaran", json=penyedia_body(900))
        assert response.status_code == 201, response.text
        registration = response.json()
        assert registration["status"] == "diajukan"
        assert response.headers["location"] == f"/api/v1/pendaftaran/{registration['id']}"

        async def counted():
            figures = (await pelaporan.get("/api/v1/indikator", headers=staff)).json()["pendaftaran"]
            return figures if figures["total"] == before + 1 else None

        figures = await eventually(counted, timeout=60)
        assert figures["per_status"]["diajukan"] >= 1
