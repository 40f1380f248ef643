import uuid
from datetime import date, timedelta

import pytest

from services.registrasi.domain import ATURAN_DAFTAR_HITAM, JenisPelanggaran, akhir_daftar_hitam, tanggal_indonesia
from services.registrasi.seed import npwp_bertanda
from services.registrasi.service import hari_ini_wib
from tests.conftest import auth
from tests.integration.registrasi.pembantu import (
    ADMIN,
    DOKUMEN_PENYEDIA,
    VERIFIKATOR,
    daftar,
    galat,
    jejak,
    penyedia,
    peristiwa,
    putuskan,
    unggah,
)

pytestmark = pytest.mark.integration


def entri(**ubah) -> dict:
    body = {"npwp": penyedia()["npwp"], "jenis_pelanggaran": "etika",
            "mulai": (hari_ini_wib() - timedelta(days=30)).isoformat(),
            "alasan": "Menyampaikan dokumen palsu pada tender", "nama_penyedia": "CV Uji Hitam",
            "nomor_keputusan": "027/1/BU/2026"}
    body.update(ubah)
    return body


async def catat(client, headers=VERIFIKATOR, **ubah) -> dict:
    r = await client.post("/api/v1/daftar-hitam", json=entri(**ubah), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


@pytest.mark.parametrize(("jenis", "bulan"), [("etika", 24), ("non_etika", 12)])
async def test_an_entry_ends_24_months_after_an_ethics_breach_and_12_after_another(client, migrated, jenis, bulan):
    body = entri(jenis_pelanggaran=jenis, mulai="2026-02-28", nib=penyedia()["nib"])
    r = await client.post("/api/v1/daftar-hitam", json=body, headers=VERIFIKATOR)
    assert r.status_code == 201, r.text
    hasil = r.json()
    assert hasil["selesai"] == akhir_daftar_hitam(date(2026, 2, 28), JenisPelanggaran(jenis)).isoformat()
    assert hasil["selesai"] == f"{2026 + bulan // 12}-02-28"
    assert (hasil["npwp"], hasil["aktif"]) == (body["npwp"], True)
    assert r.headers["location"] == f"/api/v1/daftar-hitam/{hasil['id']}"
    [(tipe, data)] = await peristiwa(migrated, hasil["id"])
    assert (tipe, data["selesai"], data["jenis_pelanggaran"]) == ("registrasi.daftar_hitam.dicatat", hasil["selesai"],
                                                                  jenis)
    assert body["npwp"] not in str(data)


async def test_the_admin_records_and_lists_entries_with_the_npwp_masked(client):
    hasil = await catat(client, headers=ADMIN, npwp=npwp_bertanda(penyedia()["npwp"]))
    assert "*" in hasil["npwp"]
    baca = (await client.get(f"/api/v1/daftar-hitam/{hasil['id']}", headers=ADMIN)).json()
    assert baca == hasil
    verif = (await client.get(f"/api/v1/daftar-hitam/{hasil['id']}", headers=VERIFIKATOR)).json()
    assert verif["npwp"].startswith("0") and "*" not in verif["npwp"]
    daftar_admin = await client.get("/api/v1/daftar-hitam", params={"npwp": verif["npwp"], "aktif": "true"},
                                    headers=ADMIN)
    assert [e["id"] for e in daftar_admin.json()["data"]] == [hasil["id"]]


@pytest.mark.parametrize("headers", [auth("penyedia"), auth("pokja"), auth("layanan"), auth("kepala_ukpbj")])
async def test_other_roles_may_neither_record_nor_list_entries(client, migrated, headers):
    sebelum = await jejak(migrated)
    assert (await client.post("/api/v1/daftar-hitam", json=entri(), headers=headers)).status_code == 403
    assert (await client.get("/api/v1/daftar-hitam", headers=headers)).status_code == 403
    assert (await client.post("/api/v1/daftar-hitam", json=entri())).status_code == 401
    assert await jejak(migrated) == sebelum


@pytest.mark.parametrize(("ubah", "field"), [
    ({"npwp": "12345"}, "npwp"),
    ({"npwp": None, "nib": "1"}, "nib"),
    ({"npwp": None}, "npwp"),
    ({"jenis_pelanggaran": "berat"}, "jenis_pelanggaran"),
    ({"alasan": ""}, "alasan"),
])
async def test_a_wrong_entry_is_refused_naming_the_field_and_nothing_changes(client, migrated, ubah, field):
    sebelum = await jejak(migrated)
    r = await client.post("/api/v1/daftar-hitam", json=entri(**ubah), headers=VERIFIKATOR)
    assert r.status_code == 422, r.text
    assert field in galat(r)
    assert await jejak(migrated) == sebelum


async def test_the_same_entry_twice_is_a_409_and_a_retried_key_replays(client, migrated):
    body = entri()
    kunci = {"Idempotency-Key": uuid.uuid4().hex, **VERIFIKATOR}
    pertama = await client.post("/api/v1/daftar-hitam", json=body, headers=kunci)
    ulang = await client.post("/api/v1/daftar-hitam", json=body, headers=kunci)
    assert (pertama.status_code, ulang.status_code, ulang.json()) == (201, 201, pertama.json())
    sebelum = await jejak(migrated)
    kembar = await client.post("/api/v1/daftar-hitam", json=body, headers=VERIFIKATOR)
    assert kembar.status_code == 409
    assert await jejak(migrated) == sebelum


async def test_a_blacklisted_npwp_is_refused_with_the_end_date_and_the_refusal_is_recorded(client, migrated):
    npwp16 = penyedia()["npwp"]
    hitam = await catat(client, npwp=npwp16)
    body = penyedia(npwp=npwp_bertanda(npwp16))
    sebelum = await jejak(migrated)
    r = await client.post("/api/v1/pendaftaran", json=body)
    assert r.status_code == 422, r.text
    masalah = r.json()
    assert masalah["rule"] == ATURAN_DAFTAR_HITAM
    assert masalah["daftar_hitam_sampai"] == hitam["selesai"]
    assert f"sampai dengan {tanggal_indonesia(date.fromisoformat(hitam['selesai']))}" in masalah["detail"]
    sesudah = await jejak(migrated)
    assert sesudah["pendaftaran"] == sebelum["pendaftaran"]
    assert (sesudah["outbox"] - sebelum["outbox"], sesudah["riwayat"] - sebelum["riwayat"]) == (1, 1)
    [baris] = await migrated.fetch(
        "registrasi", "SELECT aggregate_id, payload FROM outbox WHERE event_type = $1 AND payload->'data'->>"
        "'daftar_hitam_id' = $2", "registrasi.pendaftaran.ditolak_daftar_hitam", hitam["id"])
    assert npwp16 not in baris["payload"] and npwp16[1:] not in baris["payload"]
    r = await client.get(f"/api/v1/daftar-hitam/{hitam['id']}/riwayat", headers=ADMIN)
    aksi = [(e["aksi"], e["perubahan"].get("user_id")) for e in r.json()["data"]]
    assert aksi == [("dicatat", None), ("pendaftaran_ditolak", body["user_id"])]


async def test_a_blacklisted_nib_is_refused_too(client, migrated):
    nib = penyedia()["nib"]
    hitam = await catat(client, npwp=None, nib=nib, jenis_pelanggaran="non_etika")
    r = await client.post("/api/v1/pendaftaran", json=penyedia(nib=nib))
    assert (r.status_code, r.json()["daftar_hitam_sampai"]) == (422, hitam["selesai"])


@pytest.mark.parametrize(("jenis", "mulai"), [
    ("non_etika", hari_ini_wib() - timedelta(days=400)),
    ("etika", hari_ini_wib() - timedelta(days=800)),
    ("etika", hari_ini_wib() + timedelta(days=10)),
])
async def test_an_entry_that_ended_or_has_not_started_does_not_block(client, jenis, mulai):
    body = penyedia()
    await catat(client, npwp=body["npwp"], jenis_pelanggaran=jenis, mulai=mulai.isoformat())
    reg, _ = await daftar(client, body)
    assert reg["status"] == "diajukan"


async def test_a_resubmission_with_a_blacklisted_npwp_is_refused_and_the_registration_waits_for_fixes(
        client, migrated):
    reg, token = await daftar(client, penyedia())
    await putuskan(client, reg["id"], keputusan="perlu_perbaikan", kekurangan=["npwp"])
    hitam_npwp = penyedia()["npwp"]
    hitam = await catat(client, npwp=hitam_npwp)
    r = await client.post(f"/api/v1/pendaftaran/{reg['id']}/ajukan-ulang", json={"npwp": hitam_npwp}, headers=token)
    assert (r.status_code, r.json()["daftar_hitam_sampai"]) == (422, hitam["selesai"])
    assert (await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=token)).json()["status"] == "perlu_perbaikan"
    tipe, data = (await peristiwa(migrated, reg["id"]))[-1]
    assert tipe == "registrasi.pendaftaran.perlu_perbaikan"
    [baris] = await migrated.fetch("registrasi", "SELECT payload->'data' AS data FROM outbox WHERE event_type = $1 "
                                   "AND payload->'data'->>'pendaftaran_id' = $2",
                                   "registrasi.pendaftaran.ditolak_daftar_hitam", reg["id"])
    assert hitam["id"] in baris["data"]


async def test_a_provider_blacklisted_after_submission_is_not_approved_and_its_refusal_says_so(client, migrated):
    body = penyedia()
    reg, token = await daftar(client, body)
    await unggah(client, reg["id"], token, *DOKUMEN_PENYEDIA)
    await catat(client, npwp=body["npwp"], mulai=hari_ini_wib().isoformat())
    r = await putuskan(client, reg["id"], keputusan="disetujui", dokumen_asli_diperiksa=list(DOKUMEN_PENYEDIA))
    assert (r.status_code, r.json()["rule"]) == (422, ATURAN_DAFTAR_HITAM)
    tolak = await putuskan(client, reg["id"], keputusan="ditolak", alasan="Tercantum dalam daftar hitam")
    assert tolak.status_code == 200
    _, (tipe, data) = await peristiwa(migrated, reg["id"])
    assert (tipe, data["karena_daftar_hitam"]) == ("registrasi.pendaftaran.ditolak", True)
