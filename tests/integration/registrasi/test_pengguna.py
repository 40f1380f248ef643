import asyncio
import uuid
from datetime import timedelta

import pytest

from services.registrasi.domain import ATURAN_PENDAFTARAN
from services.registrasi.jobs import perbarui_metrik_antrean
from services.registrasi.service import hari_ini_wib, kedaluwarsakan_pengguna
from tests.conftest import auth
from tests.integration.registrasi.pembantu import (
    ADMIN,
    LAYANAN,
    NIP_VERIFIKATOR,
    VERIFIKATOR,
    daftar,
    disetujui,
    galat,
    jejak,
    pemerintah,
    penyedia,
    peristiwa,
)

pytestmark = pytest.mark.integration


async def akun(client, body=None) -> dict:
    hasil, _ = await disetujui(client, body or pemerintah())
    return (await client.get(f"/api/v1/pengguna/{hasil['pengguna_id']}", headers=VERIFIKATOR)).json()


async def ubah(client, pengguna_id: str, tindakan: str, alasan: str = "Melanggar syarat penggunaan", **headers):
    return await client.post(f"/api/v1/pengguna/{pengguna_id}/{tindakan}", json={"alasan": alasan},
                             headers={**VERIFIKATOR, **headers})


async def test_the_verifikator_deactivates_and_reactivates_a_user_with_reasons(client, migrated):
    pengguna = await akun(client)
    etag = (await client.get(f"/api/v1/pengguna/{pengguna['id']}", headers=VERIFIKATOR)).headers["etag"]
    r = await ubah(client, pengguna["id"], "nonaktifkan", "Berbagi akun dengan pihak lain", **{"If-Match": etag})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["alasan_status"], r.headers["etag"]) == (
        "nonaktif", "Berbagi akun dengan pihak lain", '"2"')
    r = await ubah(client, pengguna["id"], "aktifkan", "Klarifikasi diterima")
    assert (r.json()["status"], r.json()["versi"]) == ("aktif", 3)
    events = await peristiwa(migrated, pengguna["id"])
    assert [(t, d["status"], d.get("alasan")) for t, d in events] == [
        ("registrasi.pengguna.diaktifkan", "aktif", None),
        ("registrasi.pengguna.dinonaktifkan", "nonaktif", "Berbagi akun dengan pihak lain"),
        ("registrasi.pengguna.diaktifkan", "aktif", "Klarifikasi diterima")]
    assert events[1][1]["nip"] == pengguna["nip"] and pengguna["nik"] not in str(events)
    riwayat = (await client.get(f"/api/v1/pengguna/{pengguna['id']}/riwayat", headers=ADMIN)).json()["data"]
    assert [(e["aksi"], e["aktor"], e["alasan"]) for e in riwayat] == [
        ("dibuat", NIP_VERIFIKATOR, None), ("dinonaktifkan", NIP_VERIFIKATOR, "Berbagi akun dengan pihak lain"),
        ("diaktifkan_kembali", NIP_VERIFIKATOR, "Klarifikasi diterima")]
    assert riwayat[1]["perubahan"] == {"status": ["aktif", "nonaktif"]}


@pytest.mark.parametrize("alasan", ["", "   "])
async def test_deactivation_without_a_reason_is_refused_naming_the_field(client, migrated, alasan):
    pengguna = await akun(client)
    sebelum = await jejak(migrated)
    r = await ubah(client, pengguna["id"], "nonaktifkan", alasan)
    assert (r.status_code, list(galat(r))) == (422, ["alasan"])
    assert await jejak(migrated) == sebelum


async def test_a_transition_from_the_wrong_status_is_a_409_and_changes_nothing(client, migrated):
    pengguna = await akun(client)
    sebelum = await jejak(migrated)
    r = await ubah(client, pengguna["id"], "aktifkan")
    assert r.status_code == 409
    assert "hanya pengguna berstatus nonaktif" in r.json()["detail"]
    assert await jejak(migrated) == sebelum
    await ubah(client, pengguna["id"], "nonaktifkan")
    sebelum = await jejak(migrated)
    assert (await ubah(client, pengguna["id"], "nonaktifkan")).status_code == 409
    assert await jejak(migrated) == sebelum


async def test_a_stale_if_match_is_a_412(client, migrated):
    pengguna = await akun(client)
    await ubah(client, pengguna["id"], "nonaktifkan")
    sebelum = await jejak(migrated)
    assert (await ubah(client, pengguna["id"], "aktifkan", **{"If-Match": '"1"'})).status_code == 412
    assert await jejak(migrated) == sebelum


@pytest.mark.parametrize(("headers", "status"), [(ADMIN, 403), (LAYANAN, 403), (auth("penyedia"), 403), ({}, 401)])
async def test_only_the_verifikator_changes_a_users_status(client, migrated, headers, status):
    pengguna = await akun(client)
    sebelum = await jejak(migrated)
    r = await client.post(f"/api/v1/pengguna/{pengguna['id']}/nonaktifkan", json={"alasan": "x"}, headers=headers)
    assert r.status_code == status
    assert await jejak(migrated) == sebelum


async def test_an_unknown_user_is_a_404(client):
    assert (await client.get(f"/api/v1/pengguna/{uuid.uuid4()}", headers=LAYANAN)).status_code == 404
    assert (await ubah(client, str(uuid.uuid4()), "nonaktifkan")).status_code == 404


async def test_nik_and_npwp_are_masked_for_every_role_except_the_verifikator(client):
    body = pemerintah()
    pengguna = await akun(client, body)
    nik_samar = body["nik"][:4] + "********" + body["nik"][-4:]
    for headers, nik in ((VERIFIKATOR, body["nik"]), (ADMIN, nik_samar), (LAYANAN, nik_samar)):
        r = await client.get(f"/api/v1/pengguna/{pengguna['id']}", headers=headers)
        assert (r.status_code, r.json()["nik"], r.json()["nip"]) == (200, nik, body["nip"])
        r = await client.get("/api/v1/pengguna", params={"nip": body["nip"]}, headers=headers)
        assert [p["nik"] for p in r.json()["data"]] == [nik]
    usaha = penyedia()
    akun_usaha = await akun(client, usaha)
    r = await client.get(f"/api/v1/pengguna/{akun_usaha['id']}", headers=LAYANAN)
    assert r.json()["npwp"] == usaha["npwp"][:4] + "********" + usaha["npwp"][-4:]
    assert (await client.get(f"/api/v1/pengguna/{akun_usaha['id']}", headers=auth("penyedia"))).status_code == 403


async def test_users_are_listed_by_status_with_a_cursor(client):
    pengguna = [await akun(client) for _ in range(3)]
    await ubah(client, pengguna[0]["id"], "nonaktifkan")
    nonaktif = (await client.get("/api/v1/pengguna", params={"status": "nonaktif", "limit": 100},
                                 headers=LAYANAN)).json()
    assert pengguna[0]["id"] in [p["id"] for p in nonaktif["data"]]
    assert {p["status"] for p in nonaktif["data"]} == {"nonaktif"}
    halaman = (await client.get("/api/v1/pengguna", params={"limit": 1}, headers=ADMIN)).json()
    berikut = (await client.get("/api/v1/pengguna", params={"limit": 1, "cursor": halaman["next_cursor"]},
                                headers=ADMIN)).json()
    assert halaman["data"][0]["id"] != berikut["data"][0]["id"]


async def test_a_government_user_expires_after_its_sk_end_date_exactly_once(client, migrated):
    besok = hari_ini_wib() + timedelta(days=1)
    aktif = await akun(client, pemerintah(berlaku_sampai=besok.isoformat()))
    nonaktif = await akun(client, pemerintah(berlaku_sampai=besok.isoformat()))
    await ubah(client, nonaktif["id"], "nonaktifkan")
    sesi = client.app.state.session_factory
    assert aktif["id"] not in await kedaluwarsakan_pengguna(sesi, hari_ini=besok)
    hasil = await asyncio.gather(*(kedaluwarsakan_pengguna(sesi, hari_ini=besok + timedelta(days=1))
                                   for _ in range(3)))
    hasil.append(await kedaluwarsakan_pengguna(sesi, hari_ini=besok + timedelta(days=2)))
    for pengguna in (aktif, nonaktif):
        assert sum(ids.count(pengguna["id"]) for ids in hasil) == 1
        kedaluwarsa = [d for t, d in await peristiwa(migrated, pengguna["id"])
                       if t == "registrasi.pengguna.kedaluwarsa"]
        assert len(kedaluwarsa) == 1
        assert (kedaluwarsa[0]["nip"], kedaluwarsa[0]["berlaku_sampai"], kedaluwarsa[0]["status"]) == (
            pengguna["nip"], besok.isoformat(), "kedaluwarsa")
        baca = (await client.get(f"/api/v1/pengguna/{pengguna['id']}", headers=VERIFIKATOR)).json()
        assert baca["status"] == "kedaluwarsa"
        riwayat = (await client.get(f"/api/v1/pengguna/{pengguna['id']}/riwayat", headers=VERIFIKATOR)).json()["data"]
        assert (riwayat[-1]["aksi"], riwayat[-1]["aktor"]) == ("kedaluwarsa", "sistem")
    r = await ubah(client, aktif["id"], "aktifkan")
    assert r.status_code == 409


async def test_a_provider_never_expires(client):
    pengguna = await akun(client, penyedia())
    assert pengguna["id"] not in await kedaluwarsakan_pengguna(client.app.state.session_factory,
                                                               hari_ini=hari_ini_wib() + timedelta(days=36500))


async def test_an_expired_government_user_may_register_again_with_a_new_sk(client):
    besok = hari_ini_wib() + timedelta(days=1)
    body = pemerintah(berlaku_sampai=besok.isoformat())
    await akun(client, body)
    ulang = {**body, "berlaku_sampai": "2032-12-31", "nomor_sk": "900.1.1-999 Tahun 2027"}
    assert (await client.post("/api/v1/pendaftaran", json=ulang)).status_code == 409
    await kedaluwarsakan_pengguna(client.app.state.session_factory, hari_ini=besok + timedelta(days=1))
    reg, _ = await daftar(client, ulang)
    assert reg["status"] == "diajukan"


async def test_a_deactivated_government_user_whose_sk_ended_cannot_be_reactivated(client, migrated):
    pengguna = await akun(client)
    await ubah(client, pengguna["id"], "nonaktifkan")
    await migrated.execute("registrasi", "UPDATE pengguna SET berlaku_sampai = $2 WHERE id = $1", pengguna["id"],
                           hari_ini_wib() - timedelta(days=1))
    r = await ubah(client, pengguna["id"], "aktifkan")
    assert (r.status_code, r.json()["rule"]) == (422, ATURAN_PENDAFTARAN)


async def test_the_queue_gauges_report_the_waiting_registrations_and_the_oldest_age(client, migrated):
    await daftar(client, penyedia())
    await perbarui_metrik_antrean(client.app)
    metrik = (await client.get("/metrics")).text
    [jumlah] = await migrated.fetch("registrasi", "SELECT count(*) AS n, extract(epoch FROM now() - "
                                    "min(menunggu_sejak)) AS umur FROM pendaftaran WHERE status = 'diajukan'")
    nilai = {b.split()[0]: float(b.split()[1]) for b in metrik.splitlines()
             if b.startswith("ukpbj_registrasi_antrean")}
    assert nilai["ukpbj_registrasi_antrean_verifikasi"] == jumlah["n"] > 0
    assert 0 < nilai["ukpbj_registrasi_antrean_tertua_detik"] <= float(jumlah["umur"]) + 1
