import contextlib
import random
import uuid

import httpx
import pytest

from services.registrasi.seed import npwp_bertanda
from tests.conftest import auth
from tests.integration.registrasi.conftest import semua_terbit
from tests.integration.registrasi.pembantu import (
    ADMIN,
    DOKUMEN_PENYEDIA,
    LAYANAN,
    NIP_VERIFIKATOR,
    VERIFIKATOR,
    daftar,
    disetujui,
    galat,
    nik_acak,
    pemerintah,
    penyedia,
    putuskan,
    unggah,
)
from tests.support.kafka import eventually

pytestmark = pytest.mark.integration

DOKUMEN_PERORANGAN = ("ktp", "npwp", "formulir_pendaftaran", "formulir_keikutsertaan")
KEPALA = auth("kepala_ukpbj", nip="197005052000031001")


def samar(nomor: str) -> str:
    return nomor[:4] + "*" * 8 + nomor[-4:]


def bentuk_npwp(npwp16: str) -> list[str]:
    """Every form an NPWP may take: 16 digits, the legacy 15 digits, punctuated."""
    return [npwp16, npwp16[1:], npwp_bertanda(npwp16)] if npwp16.startswith("0") else [npwp16]


async def isi_basis_data(infra) -> list[str]:
    """Every row of every table of registrasi's database, as text: what a dump holds."""
    tabel = [r["t"] for r in await infra.fetch(
        "registrasi", "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_type = 'BASE TABLE'")]
    assert {"pendaftaran", "pengguna", "daftar_hitam", "dokumen", "riwayat", "outbox", "idempotency_keys"} <= set(tabel)
    baris: list[str] = []
    for t in tabel:
        baris += [r["isi"] for r in await infra.fetch("registrasi", f'SELECT row_to_json(x)::text AS isi FROM "{t}" x')]
    return baris


# --- personal data at rest ---------------------------------------------------------------------------------

async def test_nik_and_npwp_are_nowhere_in_the_database_yet_shown_to_whom_may_see_them(client, migrated):
    # A PT with a legacy punctuated NPWP, sent back and resubmitted with another director's NIK, then approved.
    pt = penyedia()
    npwp_pt, nik_lama, nik_baru = pt["npwp"], pt["penanggung_jawab"]["nik"], nik_acak()
    reg_pt, token_pt = await daftar(client, {**pt, "npwp": npwp_bertanda(npwp_pt)})
    await unggah(client, reg_pt["id"], token_pt, *DOKUMEN_PENYEDIA)
    await putuskan(client, reg_pt["id"], keputusan="perlu_perbaikan", alasan="KTP direktur sudah diganti")
    r = await client.post(f"/api/v1/pendaftaran/{reg_pt['id']}/ajukan-ulang", headers=token_pt, json={
        "penanggung_jawab": {**pt["penanggung_jawab"], "nik": nik_baru}})
    assert r.status_code == 200, r.text
    r = await putuskan(client, reg_pt["id"], keputusan="disetujui", dokumen_asli_diperiksa=list(DOKUMEN_PENYEDIA))
    assert r.status_code == 200, r.text
    akun_pt = r.json()["pengguna_id"]
    # A sole proprietor (NPWP = NIK), registered with an Idempotency-Key, approved.
    nik_pemilik = nik_acak(perempuan=True)
    r = await client.post("/api/v1/pendaftaran", headers={"Idempotency-Key": uuid.uuid4().hex}, json=penyedia(
        bentuk_usaha="perorangan", npwp=nik_pemilik,
        penanggung_jawab={"nama": "Ratna Dewi", "nik": nik_pemilik, "jabatan": "Pemilik"}))
    assert r.status_code == 201, r.text
    reg_orang, token_orang = r.json(), {"X-Token-Akses": r.json()["token_akses"]}
    await unggah(client, reg_orang["id"], token_orang, *DOKUMEN_PERORANGAN)
    r = await putuskan(client, reg_orang["id"], keputusan="disetujui", dokumen_asli_diperiksa=list(DOKUMEN_PERORANGAN))
    assert r.status_code == 200, r.text
    # A government user, approved; a blacklist entry.
    asn = pemerintah()
    reg_asn, _ = await disetujui(client, asn)
    npwp_hitam = penyedia()["npwp"]
    r = await client.post("/api/v1/daftar-hitam", headers=VERIFIKATOR, json={
        "npwp": npwp_bertanda(npwp_hitam), "jenis_pelanggaran": "etika", "mulai": "2026-01-05",
        "alasan": "Menyampaikan dokumen palsu", "nomor_keputusan": "027/9/BU/2026"})
    assert r.status_code == 201, r.text
    hitam = r.json()

    # Staff read everything (the reads are audited too).
    verif_pt = (await client.get(f"/api/v1/pendaftaran/{reg_pt['id']}", headers=VERIFIKATOR)).json()
    admin_pt = (await client.get(f"/api/v1/pendaftaran/{reg_pt['id']}", headers=ADMIN)).json()
    sendiri = (await client.get(f"/api/v1/pendaftaran/{reg_orang['id']}", headers=token_orang)).json()
    pengguna = {(siapa, pid): (await client.get(f"/api/v1/pengguna/{pid}", headers=h)).json()
                for siapa, h in (("verifikator", VERIFIKATOR), ("admin", ADMIN), ("layanan", LAYANAN))
                for pid in (akun_pt, reg_asn["pengguna_id"])}
    hitam_verif = (await client.get(f"/api/v1/daftar-hitam/{hitam['id']}", headers=VERIFIKATOR)).json()

    rahasia = [*bentuk_npwp(npwp_pt), nik_lama, nik_baru, nik_pemilik, asn["nik"], *bentuk_npwp(npwp_hitam)]
    bocor = [(nomor, baris[:200]) for baris in await isi_basis_data(migrated) for nomor in rahasia if nomor in baris]
    assert bocor == []

    assert (verif_pt["npwp"], verif_pt["penanggung_jawab"]["nik"]) == (npwp_pt, nik_baru)
    assert (admin_pt["npwp"], admin_pt["penanggung_jawab"]["nik"]) == (samar(npwp_pt), samar(nik_baru))
    assert (sendiri["npwp"], sendiri["penanggung_jawab"]["nik"]) == (nik_pemilik, nik_pemilik)
    assert pengguna["verifikator", akun_pt]["npwp"] == npwp_pt
    assert pengguna["verifikator", reg_asn["pengguna_id"]]["nik"] == asn["nik"]
    for siapa in ("admin", "layanan"):
        assert pengguna[siapa, akun_pt]["npwp"] == samar(npwp_pt)
        assert pengguna[siapa, reg_asn["pengguna_id"]]["nik"] == samar(asn["nik"])
    assert (hitam["npwp"], hitam_verif["npwp"]) == (npwp_hitam, npwp_hitam)
    assert (await client.get(f"/api/v1/daftar-hitam/{hitam['id']}", headers=ADMIN)).json()["npwp"] == samar(npwp_hitam)

    # One account per NPWP still holds (the NPWP compared by its blind index), in any of its forms.
    for bentuk in bentuk_npwp(npwp_pt):
        r = await client.post("/api/v1/pendaftaran", json=penyedia(npwp=bentuk))
        assert (r.status_code, list(galat(r))) == (409, ["npwp"]), r.text
    r = await client.post("/api/v1/pendaftaran", json=penyedia(npwp=npwp_hitam))
    assert (r.status_code, r.json()["daftar_hitam_sampai"]) == (422, hitam["selesai"])
    cari = await client.get("/api/v1/daftar-hitam", params={"npwp": npwp_bertanda(npwp_hitam)}, headers=ADMIN)
    assert [e["id"] for e in cari.json()["data"]] == [hitam["id"]]


# --- audit of reads ----------------------------------------------------------------------------------------

async def audit(client, **params) -> list[dict]:
    r = await client.get("/api/v1/audit", params={"limit": 100, **params}, headers=KEPALA)
    assert r.status_code == 200, r.text
    return r.json()["data"]


async def test_every_read_of_personal_data_is_audited_with_who_role_when_and_where(client):
    body = pemerintah()
    reg, token = await disetujui(client, body)
    pengguna_id = reg["pengguna_id"]
    [dok] = (await client.get(f"/api/v1/pendaftaran/{reg['id']}/dokumen", headers=token)).json()["data"]
    admin_sub = f"admin-{uuid.uuid4().hex[:8]}"
    admin = auth("admin_ukpbj", sub=admin_sub)
    for headers in (VERIFIKATOR, admin, token):
        assert (await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=headers)).status_code == 200
    assert (await client.get(f"/api/v1/pengguna/{pengguna_id}", headers=LAYANAN)).status_code == 200
    assert (await client.get(f"/api/v1/pendaftaran/{reg['id']}/dokumen/{dok['id']}", headers=admin)).status_code == 200

    bacaan = [(e["aksi"], e["aktor"], e["peran"], e["perubahan"].get("nik_npwp"))
              for e in reversed(await audit(client, jenis="pendaftaran", objek=reg["id"]))
              if e["aksi"] in ("dibaca", "dokumen_diunduh")]
    assert bacaan == [("dibaca", f"pendaftar:{body['user_id']}", "pendaftar", None),  # the document list
                      ("dibaca", NIP_VERIFIKATOR, "verifikator", "lengkap"),
                      ("dibaca", admin_sub, "admin_ukpbj", "disamarkan"),
                      ("dibaca", f"pendaftar:{body['user_id']}", "pendaftar", "lengkap"),
                      ("dokumen_diunduh", admin_sub, "admin_ukpbj", None)]
    [akun] = await audit(client, jenis="pengguna", objek=pengguna_id, aktor="sistem-pokja")
    assert (akun["aksi"], akun["peran"], akun["perubahan"]) == ("dibaca", "layanan", {"nik_npwp": "disamarkan"})
    for entri in await audit(client, objek=reg["id"]):
        assert entri["waktu"] and entri["alamat_ip"] and entri["request_id"]
    riwayat = (await client.get(f"/api/v1/pendaftaran/{reg['id']}/riwayat", headers=VERIFIKATOR)).json()["data"]
    assert "dibaca" not in [e["aksi"] for e in riwayat] and "dokumen_diunduh" in [e["aksi"] for e in riwayat]


async def test_every_list_read_is_one_audit_entry_naming_the_ids_returned(client):
    await daftar(client, pemerintah())  # so the list of waiting government registrations is not empty
    staf = f"verif-{uuid.uuid4().hex[:8]}"
    headers = auth("verifikator", sub=staf)
    halaman = (await client.get("/api/v1/pendaftaran", params={"status": "diajukan", "jenis": "non_penyedia",
                                                               "limit": 3}, headers=headers)).json()
    pengguna = (await client.get("/api/v1/pengguna", params={"limit": 2}, headers=headers)).json()
    hitam = (await client.get("/api/v1/daftar-hitam", params={"npwp": penyedia()["npwp"]}, headers=headers)).json()
    entri = {e["aggregate_type"]: e for e in await audit(client, aktor=staf)}
    assert set(entri) == {"pendaftaran", "pengguna", "daftar_hitam"}
    daftar_pendaftaran = entri["pendaftaran"]
    assert (daftar_pendaftaran["aksi"], daftar_pendaftaran["aggregate_id"], daftar_pendaftaran["peran"]) == (
        "dibaca", "daftar", "verifikator")
    assert daftar_pendaftaran["perubahan"] == {
        "ids": [p["id"] for p in halaman["data"]], "jumlah": len(halaman["data"]), "nik_npwp": "lengkap",
        "saringan": {"status": "diajukan", "jenis": "non_penyedia"}}
    assert entri["pengguna"]["perubahan"]["ids"] == [p["id"] for p in pengguna["data"]]
    assert daftar_pendaftaran["perubahan"]["jumlah"] >= 1
    assert entri["daftar_hitam"]["perubahan"]["ids"] == [e["id"] for e in hitam["data"]] == []
    assert entri["daftar_hitam"]["perubahan"]["saringan"]["npwp"][4:12] == "********"


async def test_a_refused_read_is_not_recorded_as_a_read(client):
    reg, _ = await daftar(client, penyedia())
    assert (await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=auth("pokja"))).status_code == 403
    assert (await client.get(f"/api/v1/pendaftaran/{reg['id']}")).status_code == 401
    assert [e["aksi"] for e in await audit(client, objek=reg["id"])] == ["diajukan"]


# --- rate limit on self-registration ------------------------------------------------------------------------

@contextlib.asynccontextmanager
async def aplikasi(infra, **overrides):
    app = infra.create_app("registrasi", **overrides)
    async with app.router.lifespan_context(app):
        yield app
        await eventually(lambda: semua_terbit(infra), timeout=60)


def dari(app, alamat: str) -> httpx.AsyncClient:
    """A client calling from its own address (the limit is per address and the window lives in the process)."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(alamat, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://registrasi.test")


def alamat_acak() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


async def test_one_address_cannot_flood_self_registration_and_the_refused_request_writes_nothing(migrated, broker):
    async with aplikasi(migrated, rate_limit_public_per_minute=3, kafka_bootstrap=broker.bootstrap) as app:
        async with dari(app, alamat_acak()) as banjir, dari(app, alamat_acak()) as lain:
            diterima = [await banjir.post("/api/v1/pendaftaran", json=penyedia()) for _ in range(3)]
            assert [r.status_code for r in diterima] == [201, 201, 201], [r.text for r in diterima]
            body = penyedia()
            ditolak = await banjir.post("/api/v1/pendaftaran", json=body)
            assert ditolak.status_code == 429, ditolak.text
            assert ditolak.headers["content-type"] == "application/problem+json"
            assert 0 < int(ditolak.headers["retry-after"]) <= 60
            assert "batas 3 per menit" in ditolak.json()["detail"]
            assert (await banjir.post("/api/v1/pendaftaran", json={"jenis": "rusak"})).status_code == 429
            assert (await lain.post("/api/v1/pendaftaran", json=penyedia())).status_code == 201
    assert await migrated.fetch("registrasi", "SELECT 1 FROM pendaftaran WHERE user_id = $1", body["user_id"]) == []
    assert await migrated.fetch("registrasi", "SELECT 1 FROM riwayat WHERE aktor = $1",
                                f"pendaftar:{body['user_id']}") == []
    assert await migrated.fetch("registrasi", "SELECT 1 FROM outbox WHERE payload::text LIKE $1",
                                f"%{body['user_id']}%") == []


async def test_the_limit_applies_to_self_registration_only(migrated, broker):
    async with aplikasi(migrated, rate_limit_public_per_minute=1, kafka_bootstrap=broker.bootstrap) as app:
        async with dari(app, alamat_acak()) as c:
            reg = await c.post("/api/v1/pendaftaran", json=penyedia())
            assert reg.status_code == 201
            token = {"X-Token-Akses": reg.json()["token_akses"]}
            for _ in range(3):
                assert (await c.get(f"/api/v1/pendaftaran/{reg.json()['id']}", headers=token)).status_code == 200
            assert (await c.post("/api/v1/pendaftaran", json=penyedia())).status_code == 429

