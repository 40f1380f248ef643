import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import auth
from tests.integration.helpdesk.bantuan import peristiwa, sebagai_helpdesk, sebagai_kasubbag

pytestmark = pytest.mark.integration


def pengumuman(mulai: datetime, selesai: datetime, **ubah: object) -> dict:
    return {"judul": f"Gangguan unggah {uuid.uuid4()}", "isi": "Unggah dokumen penawaran lambat.", "jenis": "gangguan",
            "mulai": mulai.isoformat(), "selesai": selesai.isoformat(), **ubah}


async def test_an_active_announcement_is_readable_by_anyone_without_a_token_and_published_as_an_event(
        helpdesk, migrated):
    sekarang = datetime.now(UTC)
    body = pengumuman(sekarang - timedelta(minutes=5), sekarang + timedelta(hours=2))
    response = await helpdesk.post("/api/v1/pengumuman", json=body, headers=auth("admin_sistem"))
    assert response.status_code == 201, response.text
    dibuat = response.json()
    assert dibuat["aktif"] and response.headers["location"] == f"/api/v1/pengumuman/{dibuat['id']}"

    aktif = (await helpdesk.get("/api/v1/pengumuman?limit=100")).json()["data"]
    assert dibuat["id"] in {p["id"] for p in aktif}
    assert (await helpdesk.get(f"/api/v1/pengumuman/{dibuat['id']}")).json()["judul"] == body["judul"]
    [terbit] = await peristiwa(migrated, dibuat["id"])
    assert terbit["type"] == "helpdesk.pengumuman.diterbitkan"
    assert terbit["data"] == {**terbit["data"], "pengumuman_id": dibuat["id"], "jenis": "gangguan",
                              "judul": body["judul"]}
    assert datetime.fromisoformat(terbit["data"]["selesai"]) == datetime.fromisoformat(body["selesai"])


async def test_a_future_announcement_is_published_but_not_yet_active(helpdesk):
    besok = datetime.now(UTC) + timedelta(days=1)
    body = pengumuman(besok, besok + timedelta(hours=3), jenis="pemeliharaan")
    dibuat = (await helpdesk.post("/api/v1/pengumuman", json=body, headers=sebagai_kasubbag())).json()
    assert dibuat["aktif"] is False
    aktif = (await helpdesk.get("/api/v1/pengumuman?jenis=pemeliharaan&limit=100")).json()["data"]
    assert dibuat["id"] not in {p["id"] for p in aktif}


async def test_only_the_kasubbag_lpse_and_the_system_administrator_publish(helpdesk):
    sekarang = datetime.now(UTC)
    body = pengumuman(sekarang, sekarang + timedelta(hours=1))
    assert (await helpdesk.post("/api/v1/pengumuman", json=body, headers=sebagai_helpdesk())).status_code == 403
    assert (await helpdesk.post("/api/v1/pengumuman", json=body)).status_code == 401
    naif = {**body, "mulai": "2026-01-05T09:00:00", "selesai": "2026-01-05T10:00:00"}
    assert (await helpdesk.post("/api/v1/pengumuman", json=naif, headers=sebagai_kasubbag())).status_code == 422
