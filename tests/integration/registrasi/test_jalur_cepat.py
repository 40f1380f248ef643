"""The hot paths on plain asyncpg (issue 9) answer byte for byte what the ORM path built: the read, the queue
page and the create, for every kind of caller; the read's audit entry is written; concurrent duplicates still
give one 201 and 409s naming the identifier."""

import asyncio
import uuid
from datetime import timedelta

import asyncpg
import orjson
import pytest

from services.registrasi import repository as repo
from services.registrasi import service
from services.registrasi.models import Pendaftaran
from services.registrasi.schemas import PendaftaranDibuat, PendaftaranPublic
from services.registrasi.tampilan import pendaftaran_publik
from shared.pagination import Page, encode_cursor
from tests.support.lean import capture, fastapi_would_write
from tests.integration.registrasi.pembantu import (
    ADMIN,
    NIP_VERIFIKATOR,
    VERIFIKATOR,
    daftar,
    disetujui,
    galat,
    jejak,
    pemerintah,
    penyedia,
    putuskan,
    riwayat,
    unggah,
)

pytestmark = pytest.mark.integration


async def orm_publik(client, pendaftaran_id: str, *, buka: bool) -> PendaftaranPublic:
    """The registration as the ORM path (`tampilan.pendaftaran_publik`) shows it."""
    env = client.app.state.lingkungan
    async with client.app.state.session_factory() as session:
        row = await session.get(Pendaftaran, pendaftaran_id)
        dokumen = await repo.dokumen_terkini(session, [pendaftaran_id])
        return pendaftaran_publik(row, dokumen[pendaftaran_id], buka=buka, syarat=env.syarat, kripto=env.kripto)


async def orm_halaman(client, ids: list[str], *, lebih: bool, buka: bool) -> bytes:
    """A queue page of these registrations as the ORM path serialised it (response_model Page[...])."""
    data = [await orm_publik(client, i, buka=buka) for i in ids]
    akhir = data[-1] if data else None
    cursor = encode_cursor(akhir.menunggu_sejak.isoformat(), akhir.id) if lebih and akhir else None
    return Page[PendaftaranPublic](data=data, next_cursor=cursor).model_dump_json().encode()


async def lengkap(client, body):
    """A registration with documents: two versions of the KTP, an NPWP, a correction asked and resubmitted."""
    reg, token = await daftar(client, body)
    await unggah(client, reg["id"], token, "ktp", "npwp", "ktp")
    return reg, token


@pytest.mark.parametrize("jenis", ["penyedia", "perorangan", "non_penyedia", "npwp_lama"])
async def test_the_read_is_byte_for_byte_what_the_orm_path_answered_for_every_caller(client, jenis):
    if jenis == "non_penyedia":
        body = pemerintah(perempuan=True)
    elif jenis == "perorangan":
        body = penyedia(bentuk_usaha="perorangan")
        body["npwp"] = body["penanggung_jawab"]["nik"]
    else:
        body = penyedia()
        if jenis == "npwp_lama":
            body["npwp"] = body["npwp"].replace(".", "").replace("-", "")[1:]
    reg, token = await lengkap(client, body)
    for headers, buka in ((VERIFIKATOR, True), (ADMIN, False), (token, True)):
        r = await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=headers)
        assert r.status_code == 200, r.text
        harapan = await orm_publik(client, reg["id"], buka=buka)
        assert r.content == harapan.model_dump_json().encode()
        assert r.headers["etag"] == f'"{harapan.versi}"'
    assert [d["jenis"] for d in r.json()["dokumen"]] == ["ktp", "npwp"]
    assert r.json()["dokumen"][0]["versi"] == 2


async def test_a_decided_registration_reads_as_before(client):
    reg, _ = await lengkap(client, penyedia())
    r = await putuskan(client, reg["id"], keputusan="perlu_perbaikan", alasan="KTP buram", kekurangan=["ktp", "npwp"],
                       dokumen_asli_diperiksa=["npwp", "ktp"])
    assert r.status_code == 200, r.text
    r = await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=ADMIN)
    assert r.content == (await orm_publik(client, reg["id"], buka=False)).model_dump_json().encode()
    assert (r.json()["alasan"], r.json()["kekurangan"]) == ("KTP buram", ["ktp", "npwp"])
    disetujui_, _ = await disetujui(client, penyedia(bentuk_usaha="cv"))
    r = await client.get(f"/api/v1/pendaftaran/{disetujui_['id']}", headers=VERIFIKATOR)
    assert r.content == (await orm_publik(client, disetujui_["id"], buka=True)).model_dump_json().encode()
    assert r.json()["diputuskan_oleh"] == NIP_VERIFIKATOR and r.json()["pengguna_id"]
    assert r.json()["dokumen_asli_diperiksa"] == sorted(r.json()["dokumen_asli_diperiksa"]) != []


async def test_the_lean_create_answers_the_bytes_fastapis_response_model_writes(client, monkeypatch):
    dibuat = capture(monkeypatch, service, "ajukan_pendaftaran")
    r = await client.post("/api/v1/pendaftaran", json=pemerintah())
    assert r.status_code == 201, r.text
    assert r.content == await fastapi_would_write(client.app, "POST", "/api/v1/pendaftaran", dibuat[0])
    assert r.headers["location"] == f"/api/v1/pendaftaran/{dibuat[0].id}"
    assert r.headers["content-type"] == "application/json"


async def test_the_create_answers_what_the_orm_path_answered_and_what_a_read_shows(client):
    body = penyedia()
    body["npwp"] = body["npwp"].replace(".", "").replace("-", "")[1:]  # the legacy form: a warning, a flag
    r = await client.post("/api/v1/pendaftaran", json=body)
    assert r.status_code == 201, r.text
    dibuat = r.json()
    assert r.headers["location"] == f"/api/v1/pendaftaran/{dibuat['id']}"
    harapan = PendaftaranDibuat(**(await orm_publik(client, dibuat["id"], buka=True)).model_dump(),
                                token_akses=dibuat["token_akses"])
    assert r.content == harapan.model_dump_json().encode()
    assert dibuat["npwp_format_lama"] is True and dibuat["peringatan"]
    baca = await client.get(f"/api/v1/pendaftaran/{dibuat['id']}", headers={"X-Token-Akses": dibuat["token_akses"]})
    assert {**baca.json(), "token_akses": dibuat["token_akses"]} == dibuat


async def test_an_idempotent_create_replays_the_same_bytes(client, migrated):
    body, kunci = pemerintah(), {"Idempotency-Key": uuid.uuid4().hex}
    pertama = await client.post("/api/v1/pendaftaran", json=body, headers=kunci)
    sebelum = await jejak(migrated)
    ulang = await client.post("/api/v1/pendaftaran", json=body, headers=kunci)
    assert (pertama.status_code, ulang.status_code) == (201, 201)
    assert ulang.content == pertama.content and ulang.headers["location"] == pertama.headers["location"]
    assert ulang.headers["idempotency-replayed"] == "true"
    assert await jejak(migrated) == sebelum


async def test_the_queue_page_is_byte_for_byte_what_the_orm_path_answered_and_pages_on(client, migrated):
    for body in (penyedia(), penyedia(bentuk_usaha="cv"), pemerintah()):
        await lengkap(client, body)
    for headers, buka in ((VERIFIKATOR, True), (ADMIN, False)):
        for jenis in ("penyedia", "non_penyedia"):
            rows = await migrated.fetch(
                "registrasi", "SELECT id FROM pendaftaran WHERE status = 'diajukan' AND jenis = $1"
                " ORDER BY menunggu_sejak, id", jenis)
            ids = [r["id"] for r in rows]
            assert len(ids) >= 2
            r = await client.get("/api/v1/pendaftaran", params={"status": "diajukan", "jenis": jenis, "limit": 1},
                                 headers=headers)
            assert r.status_code == 200, r.text
            assert r.content == await orm_halaman(client, ids[:1], lebih=True, buka=buka)
            r = await client.get("/api/v1/pendaftaran", params={"status": "diajukan", "jenis": jenis, "limit": 100,
                                                                "cursor": r.json()["next_cursor"]}, headers=headers)
            assert r.content == await orm_halaman(client, ids[1:101], lebih=len(ids) > 101, buka=buka)
    # no filter at all
    rows = await migrated.fetch("registrasi", "SELECT id FROM pendaftaran ORDER BY menunggu_sejak, id LIMIT 4")
    r = await client.get("/api/v1/pendaftaran", params={"limit": 3}, headers=VERIFIKATOR)
    assert r.content == await orm_halaman(client, [x["id"] for x in rows[:3]], lebih=len(rows) > 3, buka=True)


async def test_an_empty_page_and_a_bad_cursor(client):
    r = await client.get("/api/v1/pendaftaran", params={"status": "disetujui", "jenis": "non_penyedia",
                                                        "cursor": encode_cursor("2999-01-01T00:00:00+00:00", "z")},
                         headers=VERIFIKATOR)
    assert (r.status_code, r.json()) == (200, {"data": [], "next_cursor": None})
    r = await client.get("/api/v1/pendaftaran", params={"cursor": encode_cursor("kemarin", "z")}, headers=VERIFIKATOR)
    assert (r.status_code, list(galat(r))) == (422, ["query.cursor"])


async def test_the_read_writes_its_audit_entry_and_a_missing_registration_writes_none(client, migrated):
    reg, _ = await daftar(client, penyedia())
    r = await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers={**ADMIN, "X-Request-ID": "baca-uji-1"})
    assert r.status_code == 200
    [entri] = [e for e in await riwayat(migrated, "pendaftaran", reg["id"]) if e["aksi"] == "dibaca"]
    assert (entri["peran"], entri["request_id"], orjson.loads(entri["perubahan"])) == (
        "admin_ukpbj", r.headers["x-request-id"], {"nik_npwp": "disamarkan"})
    sebelum = await jejak(migrated)
    hilang = str(uuid.uuid4())
    r = await client.get(f"/api/v1/pendaftaran/{hilang}", headers=VERIFIKATOR)
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == f"Pendaftaran {hilang} tidak ditemukan."
    assert await jejak(migrated) == sebelum


async def test_the_list_writes_one_audit_entry_naming_the_ids(client, migrated):
    await daftar(client, pemerintah())
    r = await client.get("/api/v1/pendaftaran", params={"status": "diajukan", "jenis": "non_penyedia", "limit": 2},
                         headers=VERIFIKATOR)
    [entri] = await migrated.fetch(
        "registrasi", "SELECT * FROM riwayat WHERE aksi = 'dibaca' AND aggregate_id = 'daftar' AND request_id = $1",
        r.headers["x-request-id"])
    assert orjson.loads(entri["perubahan"]) == {
        "ids": [x["id"] for x in r.json()["data"]], "jumlah": len(r.json()["data"]), "nik_npwp": "lengkap",
        "saringan": {"status": "diajukan", "jenis": "non_penyedia"}}


async def test_a_registrant_token_of_another_registration_is_refused_before_the_read(client, migrated):
    reg, _ = await daftar(client, penyedia())
    _, token_lain = await daftar(client, penyedia())
    sebelum = await jejak(migrated)
    assert (await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=token_lain)).status_code == 403
    assert (await client.get(f"/api/v1/pendaftaran/{reg['id']}",
                             headers={"X-Token-Akses": "bukan-token"})).status_code == 401
    assert await jejak(migrated) == sebelum


@pytest.mark.parametrize("field", ["email", "nib", "nip"])
async def test_simultaneous_duplicates_give_one_201_and_409s_naming_the_identifier(client, migrated, field):
    if field == "nip":
        pertama = pemerintah()
        bodies = [pemerintah(nip=pertama["nip"], nik=pertama["nik"]) for _ in range(4)]
    else:
        pertama = penyedia()
        bodies = [penyedia(**{field: pertama[field]}) for _ in range(4)]
        if field == "email":  # the e-mail is unique whatever its case
            bodies = [{**b, "email": b["email"].upper() if i % 2 else b["email"]} for i, b in enumerate(bodies)]
    sebelum = await jejak(migrated)
    jawaban = await asyncio.gather(*(client.post("/api/v1/pendaftaran", json=b) for b in bodies))
    assert sorted(r.status_code for r in jawaban) == [201, 409, 409, 409], [r.text for r in jawaban]
    for r in jawaban:
        if r.status_code == 409:
            assert list(galat(r)) == [field] and r.json()["detail"].startswith(f"{field}:")
    sesudah = await jejak(migrated)
    assert {t: sesudah[t] - sebelum[t] for t in ("pendaftaran", "outbox", "idempotency_keys")} == {
        "pendaftaran": 1, "outbox": 1, "idempotency_keys": 0}


async def test_a_duplicate_the_check_cannot_see_meets_the_unique_index_and_is_the_same_409(client, migrated):
    # Another writer (bypassing the advisory locks) holds the user id uncommitted: the check cannot see it, the
    # INSERT waits on the partial unique index, then fails when that writer commits: asyncpg's
    # UniqueViolationError becomes the 409 naming user_id, and nothing of the create remains.
    body = penyedia()
    conn = await asyncpg.connect(migrated.dsn("registrasi"))
    try:
        transaksi = conn.transaction()
        await transaksi.start()
        await conn.execute(
            "INSERT INTO pendaftaran (id, jenis, status, nama, email, user_id, data, token_hash, diajukan_pada,"
            " menunggu_sejak) VALUES ($1, 'penyedia', 'diajukan', 'x', $2, $3, '{}', $4, now(), now())",
            str(uuid.uuid4()), f"lain-{body['email']}", body["user_id"].upper(), uuid.uuid4().hex)
        sebelum = await jejak(migrated)
        tugas = asyncio.ensure_future(client.post("/api/v1/pendaftaran", json=body))
        await asyncio.sleep(0.5)
        assert not tugas.done()
        await transaksi.commit()
        r = await tugas
    finally:
        await conn.close()
    assert (r.status_code, list(galat(r))) == (409, ["user_id"]), r.text
    assert r.json()["detail"].startswith("user_id:")
    sesudah = await jejak(migrated)  # the one new registration is the other writer's
    assert {t: sesudah[t] - sebelum[t] for t in ("pendaftaran", "outbox", "riwayat")} == {
        "pendaftaran": 1, "outbox": 0, "riwayat": 0}


async def test_the_create_waits_for_an_identifiers_lock_and_then_sees_what_its_holder_committed(client, migrated):
    # Another use case holds the e-mail's advisory lock and, in the same transaction, gives a user that e-mail
    # (no unique index spans pendaftaran and pengguna: only the lock and a check made after it keep one
    # account per e-mail). The create's one statement must wait for the lock, then look on a snapshot taken
    # after it: 409 naming the e-mail. Looking on the statement's own snapshot, it would see no such user.
    body = penyedia()
    email = body["email"].lower()
    conn = await asyncpg.connect(migrated.dsn("registrasi"))
    try:
        lama = str(uuid.uuid4())
        await conn.execute(
            "INSERT INTO pendaftaran (id, jenis, status, nama, email, user_id, data, token_hash, diajukan_pada,"
            " menunggu_sejak) VALUES ($1, 'penyedia', 'disetujui', 'x', $2, $3, '{}', $4, now(), now())",
            lama, f"lama-{email}", f"lama-{uuid.uuid4().hex[:12]}", uuid.uuid4().hex)
        transaksi = conn.transaction()
        await transaksi.start()
        await conn.execute("SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k",
                           repo.kunci_advisory({"email": email}))
        await conn.execute(
            "INSERT INTO pengguna (id, pendaftaran_id, jenis, status, user_id, email, nama, dibuat_pada,"
            " diperbarui_pada) VALUES ($1, $2, 'penyedia', 'aktif', $3, $4, 'x', now(), now())",
            str(uuid.uuid4()), lama, f"akun-{uuid.uuid4().hex[:12]}", email)
        sebelum = await jejak(migrated)
        tugas = asyncio.ensure_future(client.post("/api/v1/pendaftaran", json=body))
        await asyncio.sleep(0.5)
        assert not tugas.done()  # waiting for the lock
        await transaksi.commit()
        r = await tugas
    finally:
        await conn.close()
    assert (r.status_code, list(galat(r))) == (409, ["email"]), r.text
    sesudah = await jejak(migrated)
    assert {t: sesudah[t] - sebelum[t] for t in ("pendaftaran", "outbox", "riwayat")} == {
        "pendaftaran": 0, "outbox": 0, "riwayat": 0}


async def _halaman_antrean(client, migrated, headers, ids: list[str], *, buka: bool) -> tuple[bytes, dict, dict]:
    """The queue page (status diajukan, penyedia) that starts at these registrations, as the route answers it;
    their rows in it, and the same rows as the ORM path shows them (other tests leave odd rows in the queue)."""
    [awal] = await migrated.fetch("registrasi", "SELECT menunggu_sejak FROM pendaftaran WHERE id = $1", ids[0])
    cursor = encode_cursor((awal["menunggu_sejak"] - timedelta(milliseconds=1)).isoformat(), "")
    r = await client.get("/api/v1/pendaftaran", params={"status": "diajukan", "jenis": "penyedia", "limit": 20,
                                                        "cursor": cursor}, headers=headers)
    assert r.status_code == 200, r.text
    rows = {d["id"]: d for d in r.json()["data"] if d["id"] in ids}
    assert set(rows) == set(ids)
    acuan = {i: orjson.loads((await orm_publik(client, i, buka=buka)).model_dump_json()) for i in ids}
    return r.content, rows, acuan


async def test_a_queue_page_read_again_is_served_from_rendered_rows_and_stays_exact(client, migrated):
    """issue 9: the rows of a queue page are rendered once per version and view (`Lingkungan.tampilan`)."""
    ids = [(await lengkap(client, body))[0]["id"] for body in (penyedia(), penyedia(bentuk_usaha="cv"))]
    cache = client.app.state.lingkungan.tampilan
    pertama, rows, acuan = await _halaman_antrean(client, migrated, VERIFIKATOR, ids, buka=True)
    assert rows == acuan
    hits = cache.hits
    kedua, rows, acuan = await _halaman_antrean(client, migrated, VERIFIKATOR, ids, buka=True)
    assert kedua == pertama and rows == acuan
    assert cache.hits - hits == len(orjson.loads(kedua)["data"]) > 0  # every row from the cache

    # the other view of the same rows is rendered for itself: NIK and NPWP stay masked for the admin
    samar, rows, acuan = await _halaman_antrean(client, migrated, ADMIN, ids, buka=False)
    assert rows == acuan and samar != kedua
    assert all("*" in rows[i]["npwp"] for i in ids)


async def test_a_changed_row_is_rendered_again_whoever_changed_it(client, migrated):
    reg, token = await daftar(client, penyedia())
    ids = [reg["id"]]
    await _halaman_antrean(client, migrated, VERIFIKATOR, ids, buka=True)  # cached
    await unggah(client, reg["id"], token, "akta_pendirian")  # the use case bumps `versi`
    _, rows, acuan = await _halaman_antrean(client, migrated, VERIFIKATOR, ids, buka=True)
    assert rows == acuan
    assert "akta_pendirian" in [d["jenis"] for d in rows[reg["id"]]["dokumen"]]
    # a repair by hand that leaves `versi` alone still moves `xmin`
    await migrated.execute("registrasi", "UPDATE pendaftaran SET nama = 'PT Diperbaiki Manual' WHERE id = $1",
                           reg["id"])
    _, rows, acuan = await _halaman_antrean(client, migrated, VERIFIKATOR, ids, buka=True)
    assert rows == acuan and rows[reg["id"]]["nama"] == "PT Diperbaiki Manual"


async def test_a_row_changed_between_its_key_and_its_data_makes_the_page_read_again_in_one_statement(
        client, migrated):
    from services.registrasi import repository_pg
    from services.registrasi.service import _halaman_tersimpan

    reg, _ = await daftar(client, penyedia())
    env = client.app.state.lingkungan
    env.tampilan._isi.clear()
    async with client.app.state.pg.acquire() as conn:
        awal = await conn.fetchval("SELECT menunggu_sejak FROM pendaftaran WHERE id = $1", reg["id"])
        setelah = (awal - timedelta(milliseconds=1), "")
        kunci = await repository_pg.daftar_pendaftaran(conn, "diajukan", "penyedia", setelah, 101, kunci=True)
        assert reg["id"] in [k["id"] for k in kunci]
        await conn.execute("UPDATE pendaftaran SET nama = 'PT Berubah Sesaat' WHERE id = $1", reg["id"])
        assert await _halaman_tersimpan(conn, kunci, 100, True, env) is None  # not a page of two moments
        kunci = await repository_pg.daftar_pendaftaran(conn, "diajukan", "penyedia", setelah, 101, kunci=True)
        halaman = await _halaman_tersimpan(conn, kunci, 100, True, env)
    assert halaman is not None
    assert [orjson.loads(orjson.dumps(f))["nama"] for f in halaman["data"] if orjson.loads(orjson.dumps(f))["id"] == reg["id"]] \
        == ["PT Berubah Sesaat"]
