import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.helpdesk.bantuan import (
    buat_tiket,
    keadaan,
    nip,
    sebagai_helpdesk,
    sebagai_kasubbag,
    sebagai_pengguna,
)

pytestmark = pytest.mark.integration


async def tiket_di_kasubbag(helpdesk) -> dict:
    tiket = await buat_tiket(helpdesk, sebagai_pengguna())
    response = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/eskalasi", json={"tingkat": "kasubbag_lpse"},
                                   headers=sebagai_helpdesk())
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("alasan", [None, "mendesak"])
async def test_an_escalation_to_lkpp_without_an_allowed_reason_is_refused_naming_the_rule_and_changes_nothing(
        helpdesk, migrated, alasan):
    kasubbag = nip(1979)
    tiket = await tiket_di_kasubbag(helpdesk)
    sebelum = await keadaan(migrated, tiket["id"])
    body = {"tingkat": "lkpp_eproc", **({"alasan": alasan} if alasan else {})}
    response = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/eskalasi", json=body,
                                   headers=sebagai_kasubbag(kasubbag))
    assert response.status_code == 422
    problem = response.json()
    assert "Lampiran 2.5.3" in problem["rule"] and "Kep. Kepala LKPP 26/2022" in problem["rule"]
    assert "tidak_dapat_diselesaikan" in problem["detail"] and "belum_tercakup_spse" in problem["detail"]
    assert response.headers["content-type"] == "application/problem+json"
    assert await keadaan(migrated, tiket["id"]) == sebelum


async def test_the_helpdesk_role_cannot_forward_to_lkpp_and_changes_nothing(helpdesk, migrated):
    tiket = await tiket_di_kasubbag(helpdesk)
    sebelum = await keadaan(migrated, tiket["id"])
    response = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/eskalasi",
                                   json={"tingkat": "lkpp_eproc", "alasan": "tidak_dapat_diselesaikan"},
                                   headers=sebagai_helpdesk())
    assert response.status_code == 403 and "Lampiran 2.5.3" in response.json()["detail"]
    assert await keadaan(migrated, tiket["id"]) == sebelum


async def test_skipping_a_level_of_escalation_is_refused_and_changes_nothing(helpdesk, migrated):
    tiket = await buat_tiket(helpdesk, sebagai_pengguna())
    sebelum = await keadaan(migrated, tiket["id"])
    response = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/eskalasi",
                                   json={"tingkat": "lkpp_eproc", "alasan": "belum_tercakup_spse"},
                                   headers=sebagai_kasubbag())
    assert response.status_code == 422 and "kasubbag_lpse lebih dahulu" in response.json()["detail"]
    assert await keadaan(migrated, tiket["id"]) == sebelum


async def test_a_reply_to_a_closed_ticket_is_refused_and_changes_nothing(helpdesk, migrated):
    pelapor = sebagai_pengguna()
    tiket = await buat_tiket(helpdesk, pelapor)
    await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/selesaikan", json={"solusi": "Beres."},
                        headers=sebagai_helpdesk())
    assert (await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/konfirmasi", headers=pelapor)).status_code == 200
    sebelum = await keadaan(migrated, tiket["id"])
    for headers in (pelapor, sebagai_helpdesk()):
        response = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/tanggapan", json={"isi": "Satu lagi"},
                                       headers=headers)
        assert response.status_code == 409
        assert "sudah ditutup" in response.json()["detail"] and "membuka kembali" in response.json()["detail"]
    assert await keadaan(migrated, tiket["id"]) == sebelum


@pytest.mark.parametrize("siapa", ["petugas", "pengguna_lain", "publik_lain"])
async def test_a_confirmation_by_someone_other_than_the_reporter_is_refused_and_changes_nothing(
        helpdesk, migrated, siapa):
    tiket = await buat_tiket(helpdesk, pelapor={"nama": "Rahmat", "email": "rahmat@contoh.id"})
    await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/selesaikan", json={"solusi": "Beres."},
                        headers=sebagai_helpdesk())
    headers = {"petugas": sebagai_helpdesk(), "pengguna_lain": sebagai_pengguna()}.get(siapa)
    if headers is None:
        lain = await buat_tiket(helpdesk, pelapor={"nama": "Lain", "email": "lain@contoh.id"})
        headers = {"X-Token-Pelapor": lain["token_pelapor"]}
    sebelum = await keadaan(migrated, tiket["id"])
    response = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/konfirmasi", headers=headers)
    assert response.status_code == 403
    assert await keadaan(migrated, tiket["id"]) == sebelum
    assert sebelum[0] == "selesai"


async def test_an_announcement_whose_end_is_before_its_start_is_refused_and_changes_nothing(helpdesk, migrated):
    judul = f"Pemeliharaan terbalik {uuid.uuid4()}"
    mulai = datetime.now(UTC) + timedelta(days=2)
    for selesai in (mulai - timedelta(hours=1), mulai):
        response = await helpdesk.post("/api/v1/pengumuman", headers=sebagai_kasubbag(), json={
            "judul": judul, "isi": "Server dipindahkan.", "jenis": "pemeliharaan", "mulai": mulai.isoformat(),
            "selesai": selesai.isoformat()})
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["selesai"]
        assert "harus setelah mulai" in response.json()["detail"]
    assert await migrated.fetch("helpdesk", "SELECT 1 FROM pengumuman WHERE judul = $1", judul) == []
    assert await migrated.fetch("helpdesk", "SELECT 1 FROM outbox WHERE payload->'data'->>'judul' = $1", judul) == []


async def test_one_caller_cannot_flood_public_ticket_creation(migrated):
    from tests.conftest import running_app

    body = {"judul": "Tidak bisa masuk SPSE", "uraian": "Halaman login terus memuat ulang sejak pagi.",
            "kategori": "aplikasi", "kanal": "web",
            "pelapor": {"nama": "Warga Uji", "email": "warga.uji@contoh.id"}}
    async with running_app(migrated, "helpdesk", rate_limit_public_per_minute=3) as client:
        statuses = [(await client.post("/api/v1/tiket", json=body)).status_code for _ in range(4)]
        assert statuses == [201, 201, 201, 429]
        refused = await client.post("/api/v1/tiket", json=body)
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert int(refused.headers["retry-after"]) > 0
