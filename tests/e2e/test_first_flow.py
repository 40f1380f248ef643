import asyncio

import pytest

from tests.conftest import auth, running_app
from tests.support.data import penyedia_unik
from tests.support.kafka import eventually

pytestmark = pytest.mark.e2e


async def settled_total(pelaporan, headers) -> int:
    """pelaporan's count once it has caught up with events earlier tests left on the broker."""
    previous, stable = None, 0
    while stable < 4:
        total = (await pelaporan.get("/api/v1/indikator", headers=headers)).json()["pendaftaran"]["total"]
        stable = stable + 1 if total == previous else 0
        previous = total
        await asyncio.sleep(0.5)
    return previous


async def test_a_registration_travels_from_registrasi_through_the_broker_into_pelaporan(migrated):
    staff = auth("kepala_ukpbj")
    async with running_app(migrated, "pelaporan") as pelaporan, running_app(migrated, "registrasi") as registrasi:
        before = await settled_total(pelaporan, staff)
        response = await registrasi.post("/api/v1/pendaftaran", json=penyedia_unik())
        assert response.status_code == 201, response.text
        registration = response.json()
        assert registration["status"] == "diajukan"
        assert response.headers["location"] == f"/api/v1/pendaftaran/{registration['id']}"

        async def counted():
            figures = (await pelaporan.get("/api/v1/indikator", headers=staff)).json()["pendaftaran"]
            return figures if figures["total"] == before + 1 else None

        figures = await eventually(counted, timeout=60)
        assert figures["per_status"]["diajukan"] >= 1
