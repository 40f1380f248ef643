import hashlib
import uuid

import orjson
import pytest

from services.registrasi.seed import npwp_bertanda
from tests.conftest import auth
from tests.integration.registrasi.pembantu import (
    ADMIN,
    VERIFIKATOR,
    daftar,
    galat,
    jejak,
    nik_acak,
    pasangan_nip_nik,
    pemerintah,
    penyedia,
    peristiwa,
    riwayat,
)

pytestmark = pytest.mark.integration


async def test_a_provider_registration_is_submitted_with_a_token_and_a_location(client, migrated):
    body = penyedia()
    r = await client.post("/api/v1/pendaftaran", json=body)
    assert r.status_code == 201, r.text
    reg = r.json()
    assert r.headers["location"] == f"/api/v1/pendaftaran/{reg['id']}"
    assert (reg["status"], reg["jenis"], reg["versi"]) == ("diajukan", "penyedia", 1)
    assert reg["npwp"] == body["npwp"] and reg["penanggung_jawab"]["nik"] == body["penanggung_jawab"]["nik"]
    assert reg["syarat_belum_diunggah"] == ["ktp", "akta_pendirian", "npwp", "formulir_pendaftaran",
                                            "formulir_keikutsertaan"]
    assert len(reg["token_akses"]) >= 32


async def test_the_access_token_is_stored_only_as_its_sha256(client, migrated):
    reg, token = await daftar(client, penyedia())
    [row] = await migrated.fetch("registrasi", "SELECT token_hash, data::text AS data FROM pendaftaran WHERE id = $1",
                                 reg["id"])
    assert row["token_hash"] == hashlib.sha256(token["X-Token-Akses"].encode()).hexdigest()
    assert token["X-Token-Akses"] not in row["data"]


async def test_a_legacy_15_digit_npwp_is_stored_in_16_digits_flagged_and_warned(client, migrated):
    body = penyedia()
    npwp16 = body["npwp"]
    reg, _ = await daftar(client, {**body, "npwp": npwp_bertanda(npwp16)})
    assert (reg["npwp"], reg["npwp_format_lama"]) == (npwp16, True)
    assert any("format lama" in p for p in reg["peringatan"])
    [row] = await migrated.fetch("registrasi", "SELECT npwp_sandi, npwp_indeks FROM pendaftaran WHERE id = $1",
                                 reg["id"])
    kripto = client.app.state.kripto
    assert (kripto.dekripsi(row["npwp_sandi"]), row["npwp_indeks"]) == (npwp16, kripto.indeks_buta(npwp16))


async def test_a_legacy_npwp_failing_the_check_digit_is_accepted_with_a_warning(client):
    npwp16 = penyedia()["npwp"]
    salah = npwp16[:9] + str((int(npwp16[9]) + 1) % 10) + npwp16[10:]
    reg, _ = await daftar(client, penyedia(npwp=salah[1:]))
    assert reg["npwp"] == salah
    assert any("Luhn" in p for p in reg["peringatan"])


async def test_a_sole_proprietor_registers_with_its_nik_as_npwp(client):
    nomor = nik_acak(perempuan=True)
    reg, _ = await daftar(client, penyedia(bentuk_usaha="perorangan", npwp=nomor, penanggung_jawab={
        "nama": "Ratna Dewi", "nik": nomor, "jabatan": "Pemilik"}))
    assert (reg["npwp"], reg["npwp_format_lama"]) == (nomor, False)
    assert "akta_pendirian" not in reg["syarat_belum_diunggah"]


async def test_a_government_user_registration_is_submitted(client):
    body = pemerintah(perempuan=True, peran=["pokja", "ppk"])
    reg, _ = await daftar(client, body)
    assert (reg["jenis"], reg["nip"], reg["nik"], reg["peran"]) == ("non_penyedia", body["nip"], body["nik"],
                                                                     ["pokja", "ppk"])
    assert reg["syarat_belum_diunggah"] == ["sk atau surat_tugas"]


@pytest.mark.parametrize(("ubah", "field", "pesan"), [
    ({"npwp": "12.345.678"}, "npwp", "NPWP harus 16 digit (atau 15 digit format lama); diterima 8 digit"),
    ({"npwp": "01.312.166.0-09A.000"}, "npwp", "NPWP hanya boleh berisi angka"),
    ({"nib": "912000123456"}, "nib", "NIB harus 13 digit angka; diterima 12 digit"),
    ({"penanggung_jawab": {"nama": "Budi", "nik": "3201013202800001", "jabatan": "Direktur"}},
     "penanggung_jawab.nik", "tanggal harus 01-31, atau 41-71 untuk perempuan"),
    ({"penanggung_jawab": {"nama": "Budi", "nik": "9999011708800001", "jabatan": "Direktur"}},
     "penanggung_jawab.nik", "Kode wilayah pada NIK (digit 1-4) tidak ada"),
    ({"penanggung_jawab": {"nama": "Budi", "nik": "320101170880", "jabatan": "Direktur"}},
     "penanggung_jawab.nik", "NIK harus 16 digit angka; diterima 12 digit"),
    ({"bentuk_usaha": "perorangan"}, "npwp", "NPWP adalah NIK penanggung jawab"),
    ({"bentuk_usaha": "ud"}, "bentuk_usaha", "nilai tidak dikenal"),
    ({"email": "bukan-email"}, "email", ""),
    ({"user_id": "a b"}, "user_id", ""),
    ({"biaya_pendaftaran": 50000}, "biaya_pendaftaran", "tidak dikenal"),
])
async def test_a_provider_registration_with_a_wrong_value_is_refused_naming_the_field_and_nothing_changes(
        client, migrated, ubah, field, pesan):
    sebelum = await jejak(migrated)
    r = await client.post("/api/v1/pendaftaran", json=penyedia(**ubah))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert pesan in galat(r)[field]
    assert await jejak(migrated) == sebelum


def _nip_perempuan_lain() -> dict:
    nip, _ = pasangan_nip_nik(perempuan=True)
    return {"nip": nip}


@pytest.mark.parametrize(("ubah", "field", "pesan"), [
    ({"nip": "19900512201503300"}, "nip", "NIP harus 18 digit angka; diterima 17 digit"),
    ({"nip": "199005122015033001"}, "nip", "Digit 15 NIP (jenis kelamin) harus 1"),
    ({"nip": "199013122015031001"}, "nip", "Tanggal lahir pada NIP (digit 1-8) tidak valid"),
    ({"nip": "199005121989031001"}, "nip", "harus setelah bulan lahir"),
    ({"berlaku_sampai": "2020-12-31"}, "berlaku_sampai", "harus setelah hari ini"),
    ({"peran": ["bendahara"]}, "peran.0", "nilai tidak dikenal"),
    ({"peran": []}, "peran", ""),
    ({"nomor_sk": None}, "nomor_sk", ""),
])
async def test_a_government_user_registration_with_a_wrong_value_is_refused_naming_the_field(
        client, migrated, ubah, field, pesan):
    sebelum = await jejak(migrated)
    r = await client.post("/api/v1/pendaftaran", json=pemerintah(**ubah))
    assert r.status_code == 422, r.text
    assert pesan in galat(r)[field]
    assert await jejak(migrated) == sebelum


async def test_a_nik_and_nip_that_disagree_on_sex_or_birth_date_are_refused(client, migrated):
    sebelum = await jejak(migrated)
    nip, _ = pasangan_nip_nik(perempuan=True)
    r = await client.post("/api/v1/pendaftaran", json=pemerintah(nip=nip, nik=nik_acak(perempuan=False)))
    assert r.status_code == 422
    assert "tidak sesuai" in galat(r)["nip"] or "tidak sama" in galat(r)["nip"]
    assert await jejak(migrated) == sebelum


async def test_every_wrong_identifier_is_reported_at_once(client):
    r = await client.post("/api/v1/pendaftaran", json=penyedia(npwp="1", nib="2", penanggung_jawab={
        "nama": "Budi", "nik": "3", "jabatan": "Direktur"}))
    assert r.status_code == 422
    assert set(galat(r)) == {"npwp", "nib", "penanggung_jawab.nik"}


async def test_malformed_json_is_a_400_problem(client):
    r = await client.post("/api/v1/pendaftaran", content=b"{jenis: penyedia",
                          headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["type"].endswith("json-rusak")


async def test_a_retried_create_with_the_same_idempotency_key_returns_the_first_result(client, migrated):
    body, kunci = penyedia(), {"Idempotency-Key": uuid.uuid4().hex}
    pertama = await client.post("/api/v1/pendaftaran", json=body, headers=kunci)
    sebelum = await jejak(migrated)
    kedua = await client.post("/api/v1/pendaftaran", json=body, headers=kunci)
    assert (pertama.status_code, kedua.status_code) == (201, 201)
    assert kedua.json() == pertama.json()
    assert kedua.headers["location"] == pertama.headers["location"]
    assert await jejak(migrated) == sebelum


# --- access ------------------------------------------------------------------------------------------------

async def test_the_registrant_reads_its_own_registration_unmasked_with_an_etag(client):
    body = penyedia()
    reg, token = await daftar(client, body)
    r = await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=token)
    assert r.status_code == 200
    assert r.headers["etag"] == '"1"'
    assert (r.json()["npwp"], r.json()["penanggung_jawab"]["nik"]) == (body["npwp"], body["penanggung_jawab"]["nik"])
    assert "token_akses" not in r.json()


async def test_an_unknown_access_token_is_a_401_problem(client):
    reg, _ = await daftar(client, penyedia())
    r = await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers={"X-Token-Akses": "bukan-token-yang-benar"})
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert "X-Token-Akses" in r.json()["detail"]


async def test_another_registrations_token_is_a_403(client):
    reg, _ = await daftar(client, penyedia())
    _, token_lain = await daftar(client, penyedia())
    r = await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=token_lain)
    assert r.status_code == 403
    assert "milik pendaftaran lain" in r.json()["detail"]


async def test_reading_a_registration_without_credentials_is_a_401(client):
    reg, _ = await daftar(client, penyedia())
    r = await client.get(f"/api/v1/pendaftaran/{reg['id']}")
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("peran", ["penyedia", "pokja", "helpdesk", "layanan"])
async def test_a_role_that_may_not_read_registrations_gets_a_403(client, peran):
    reg, _ = await daftar(client, penyedia())
    assert (await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=auth(peran))).status_code == 403
    assert (await client.get("/api/v1/pendaftaran", headers=auth(peran))).status_code == 403


async def test_an_unknown_registration_is_a_404_for_staff(client):
    r = await client.get(f"/api/v1/pendaftaran/{uuid.uuid4()}", headers=VERIFIKATOR)
    assert r.status_code == 404


# --- masking -----------------------------------------------------------------------------------------------

async def test_nik_and_npwp_are_masked_for_the_admin_and_shown_to_the_verifikator(client):
    body = penyedia()
    reg, _ = await daftar(client, body)
    nik, npwp = body["penanggung_jawab"]["nik"], body["npwp"]
    verif = (await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=VERIFIKATOR)).json()
    admin = (await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=ADMIN)).json()
    assert (verif["npwp"], verif["penanggung_jawab"]["nik"]) == (npwp, nik)
    assert (admin["npwp"], admin["penanggung_jawab"]["nik"]) == (npwp[:4] + "*" * 8 + npwp[-4:],
                                                                 nik[:4] + "********" + nik[-4:])


async def test_a_government_users_nik_is_masked_in_the_admins_list(client):
    body = pemerintah()
    reg, _ = await daftar(client, body)
    halaman = await _cari(client, ADMIN, reg["id"])
    assert halaman["nik"] == body["nik"][:4] + "********" + body["nik"][-4:]
    assert halaman["nip"] == body["nip"]
    assert (await _cari(client, VERIFIKATOR, reg["id"]))["nik"] == body["nik"]


async def _cari(client, headers, pendaftaran_id):
    cursor = None
    while True:
        r = await client.get("/api/v1/pendaftaran", params={"status": "diajukan", "jenis": "non_penyedia",
                                                            "limit": 100, **({"cursor": cursor} if cursor else {})},
                             headers=headers)
        halaman = r.json()
        for item in halaman["data"]:
            if item["id"] == pendaftaran_id:
                return item
        cursor = halaman["next_cursor"]
        assert cursor, "registration not found in the list"


# --- events and history ------------------------------------------------------------------------------------

async def test_submission_emits_its_event_without_nik_or_npwp(client, migrated):
    body = penyedia(bentuk_usaha="cv")
    reg, _ = await daftar(client, body)
    [(jenis, data)] = await peristiwa(migrated, reg["id"])
    assert jenis == "registrasi.pendaftaran.diajukan"
    assert (data["pendaftaran_id"], data["jenis"], data["status"], data["bentuk_usaha"], data["diajukan_ulang"]) == (
        reg["id"], "penyedia", "diajukan", "cv", False)
    teks = str(data)
    assert body["npwp"] not in teks and body["penanggung_jawab"]["nik"] not in teks


async def test_submission_is_recorded_in_the_history_with_identifiers_masked(client, migrated):
    body = penyedia()
    reg, _ = await daftar(client, body)
    [baris] = await riwayat(migrated, "pendaftaran", reg["id"])
    assert (baris["aksi"], baris["aktor"]) == ("diajukan", f"pendaftar:{body['user_id']}")
    assert body["npwp"] not in baris["perubahan"] and body["penanggung_jawab"]["nik"] not in baris["perubahan"]
    r = await client.get(f"/api/v1/pendaftaran/{reg['id']}/riwayat", headers=ADMIN)
    assert r.status_code == 200
    [entri] = r.json()["data"]
    assert entri["perubahan"]["status"] == [None, "diajukan"]
    assert entri["perubahan"]["npwp"] == body["npwp"][:4] + "********" + body["npwp"][-4:]


async def test_the_registrant_cannot_read_the_staff_history(client):
    reg, token = await daftar(client, penyedia())
    assert (await client.get(f"/api/v1/pendaftaran/{reg['id']}/riwayat", headers=token)).status_code == 401


async def test_nik_and_npwp_never_reach_the_log_output(client, migrated):
    # every log line of the process (structlog's and the standard library's) is also appended to
    # UKPBJ_LOG_COPY (tests/conftest.py): read what these requests added
    from tests.conftest import LOG_COPY

    awal = LOG_COPY.stat().st_size if LOG_COPY.exists() else 0
    body = penyedia()
    await daftar(client, body)
    await client.post("/api/v1/pendaftaran", json=body)  # 409
    await client.post("/api/v1/pendaftaran", json={**penyedia(), "npwp": body["npwp"] + "9"})  # 422
    with LOG_COPY.open(encoding="utf-8") as berkas:
        berkas.seek(awal)
        keluaran = berkas.read()
    assert '"path":"/api/v1/pendaftaran"' in keluaran  # the access lines of these requests are there
    assert body["npwp"] not in keluaran and body["penanggung_jawab"]["nik"] not in keluaran


@pytest.mark.parametrize(("field", "ubah"), [
    ("nama", {"nama": "PT A\u0000B"}),
    ("alamat", {"alamat": "Jl. Merdeka\u0007 No. 1"}),
    ("penanggung_jawab.jabatan", {"penanggung_jawab": {"nama": "Budi", "nik": "3171011501800001",
                                                       "jabatan": "Dir\u0000"}}),
])
async def test_a_control_character_in_a_text_field_is_refused_naming_the_field(client, migrated, field, ubah):
    sebelum = await jejak(migrated)
    r = await client.post("/api/v1/pendaftaran", json=penyedia(**ubah))
    assert (r.status_code, list(galat(r))) == (422, [field])
    assert await jejak(migrated) == sebelum


async def test_a_lone_surrogate_in_the_json_is_refused(client):
    mentah = orjson.dumps(penyedia(alamat="Jl. XX")).replace(b"XX", b"\\ud800")
    r = await client.post("/api/v1/pendaftaran", content=mentah, headers={"content-type": "application/json"})
    assert (r.status_code, list(galat(r))) == (422, ["alamat"])


@pytest.mark.parametrize("url", ["/api/v1/pendaftaran/bukan-uuid", "/api/v1/pendaftaran/bukan-uuid/riwayat",
                                 "/api/v1/pengguna/" + "x" * 300, "/api/v1/daftar-hitam/1'%20OR%20'1'='1"])
async def test_a_malformed_id_is_a_422_naming_the_path_parameter(client, url):
    r = await client.get(url, headers=VERIFIKATOR)
    assert r.status_code == 422
    assert next(iter(galat(r))).startswith("path.")


@pytest.mark.parametrize("url", ["/api/v1/pendaftaran/%00", "/api/v1/daftar-hitam/a%00b",
                                 "/api/v1/daftar-hitam?npwp=%00", "/api/v1/pendaftaran?cursor=%00"])
async def test_a_nul_character_in_the_request_is_a_problem_never_a_500(client, url):
    r = await client.get(url, headers=VERIFIKATOR)
    assert r.status_code in (400, 422)
    assert r.headers["content-type"] == "application/problem+json"
