import asyncio

import asyncpg
import pytest

from services.registrasi.seed import npwp_bertanda
from tests.integration.registrasi.pembantu import (
    daftar,
    disetujui,
    galat,
    jejak,
    pasangan_nip_nik,
    pemerintah,
    penyedia,
    putuskan,
)

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(("field", "ubah"), [
    ("npwp", lambda b: {"npwp": b["npwp"]}),
    ("npwp", lambda b: {"npwp": npwp_bertanda(b["npwp"])}),
    ("nib", lambda b: {"nib": b["nib"]}),
    ("user_id", lambda b: {"user_id": b["user_id"].upper()}),
    ("email", lambda b: {"email": b["email"].upper()}),
])
async def test_a_second_registration_with_a_held_identifier_is_a_409_naming_it_and_changes_nothing(
        client, migrated, field, ubah):
    pertama = penyedia()
    await daftar(client, pertama)
    sebelum = await jejak(migrated)
    r = await client.post("/api/v1/pendaftaran", json=penyedia(**ubah(pertama)))
    assert r.status_code == 409, r.text
    assert list(galat(r)) == [field]
    assert r.json()["detail"].startswith(f"{field}:")
    assert await jejak(migrated) == sebelum


async def test_every_clashing_identifier_is_named(client):
    pertama = penyedia()
    await daftar(client, pertama)
    r = await client.post("/api/v1/pendaftaran", json={**pertama})
    assert r.status_code == 409
    assert list(galat(r)) == ["npwp", "nib", "user_id", "email"]


async def test_a_second_government_registration_with_the_same_nip_is_a_409(client):
    pertama = pemerintah()
    await daftar(client, pertama)
    r = await client.post("/api/v1/pendaftaran", json=pemerintah(nip=pertama["nip"], nik=pertama["nik"]))
    assert (r.status_code, list(galat(r))) == (409, ["nip"])


async def test_an_approved_account_keeps_its_identifiers(client):
    pertama = penyedia()
    await disetujui(client, pertama)
    r = await client.post("/api/v1/pendaftaran", json=penyedia(npwp=pertama["npwp"], user_id=pertama["user_id"]))
    assert (r.status_code, list(galat(r))) == (409, ["npwp", "user_id"])


async def test_a_refused_registration_releases_its_identifiers(client):
    pertama = penyedia()
    reg, _ = await daftar(client, pertama)
    await putuskan(client, reg["id"], keputusan="ditolak", alasan="Dokumen tidak sesuai")
    ulang, _ = await daftar(client, {**pertama})
    assert ulang["status"] == "diajukan" and ulang["id"] != reg["id"]


async def test_a_resubmission_cannot_take_an_identifier_held_by_another_registration(client, migrated):
    lain = penyedia()
    await daftar(client, lain)
    reg, token = await daftar(client, penyedia())
    await putuskan(client, reg["id"], keputusan="perlu_perbaikan", alasan="NIB salah")
    sebelum = await jejak(migrated)
    r = await client.post(f"/api/v1/pendaftaran/{reg['id']}/ajukan-ulang", json={"nib": lain["nib"]}, headers=token)
    assert (r.status_code, list(galat(r))) == (409, ["nib"])
    assert await jejak(migrated) == sebelum


async def test_two_simultaneous_registrations_with_the_same_npwp_exactly_one_succeeds(client, migrated):
    npwp = penyedia()["npwp"]
    sebelum = await jejak(migrated)
    jawaban = await asyncio.gather(*(client.post("/api/v1/pendaftaran", json=penyedia(npwp=npwp)) for _ in range(2)))
    assert sorted(r.status_code for r in jawaban) == [201, 409], [r.text for r in jawaban]
    [gagal] = [r for r in jawaban if r.status_code == 409]
    assert list(galat(gagal)) == ["npwp"]
    rows = await migrated.fetch("registrasi", "SELECT count(*) AS n FROM pendaftaran WHERE npwp_indeks = $1",
                                client.app.state.kripto.indeks_buta(npwp))
    assert rows[0]["n"] == 1
    sesudah = await jejak(migrated)
    assert (sesudah["pendaftaran"] - sebelum["pendaftaran"], sesudah["outbox"] - sebelum["outbox"]) == (1, 1)


async def test_many_simultaneous_registrations_with_one_user_id_leave_exactly_one(client, migrated):
    user_id = penyedia()["user_id"]
    jawaban = await asyncio.gather(*(client.post("/api/v1/pendaftaran", json=penyedia(user_id=user_id))
                                     for _ in range(5)))
    assert sorted(r.status_code for r in jawaban) == [201, 409, 409, 409, 409]
    rows = await migrated.fetch("registrasi", "SELECT count(*) AS n FROM pendaftaran WHERE lower(user_id) = $1",
                                user_id)
    assert rows[0]["n"] == 1


async def test_the_unique_indexes_catch_a_duplicate_even_without_the_pre_check(migrated):
    nip, nik = pasangan_nip_nik()
    insert = ("INSERT INTO pendaftaran (id, jenis, status, nama, email, user_id, nip, data, token_hash, diajukan_pada, "
              "menunggu_sejak) VALUES ($1, 'non_penyedia', 'diajukan', 'x', $2, $3, $4, '{}', $5, now(), now())")
    conn = await asyncpg.connect(migrated.dsn("registrasi"))
    try:
        transaksi = conn.transaction()
        await transaksi.start()
        await conn.execute(insert, f"uq-{nik}-a", f"{nik}a@x.id", f"a{nik}", nip, f"a{nik}")
        with pytest.raises(asyncpg.UniqueViolationError, match="uq_pendaftaran_nip_menunggu"):
            await conn.execute(insert, f"uq-{nik}-b", f"{nik}b@x.id", f"b{nik}", nip, f"b{nik}")
        await transaksi.rollback()
    finally:
        await conn.close()
