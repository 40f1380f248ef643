import uuid
from datetime import datetime

import pytest

from shared.events import Envelope
from tests.support.kafka import eventually, read_topic

from services.registrasi.domain import ATURAN_PENDAFTARAN, ATURAN_VERIFIKATOR
from tests.conftest import auth
from tests.integration.registrasi.pembantu import (
    ADMIN,
    DOKUMEN_PENYEDIA,
    NIP_VERIFIKATOR,
    VERIFIKATOR,
    daftar,
    disetujui,
    galat,
    jejak,
    pemerintah,
    penyedia,
    peristiwa,
    putuskan,
    riwayat,
    unggah,
)

pytestmark = pytest.mark.integration


async def antrean(client, **params) -> list[dict]:
    semua, cursor = [], None
    while True:
        halaman = {"cursor": cursor} if cursor else {}
        r = await client.get("/api/v1/pendaftaran", headers=VERIFIKATOR,
                             params={"status": "diajukan", "limit": 100, **params, **halaman})
        assert r.status_code == 200, r.text
        semua += r.json()["data"]
        cursor = r.json()["next_cursor"]
        if not cursor:
            return semua


async def test_the_verification_queue_lists_waiting_registrations_oldest_first(client):
    ids = [(await daftar(client, penyedia()))[0]["id"] for _ in range(3)]
    ditolak, _ = await daftar(client, penyedia())
    await putuskan(client, ditolak["id"], keputusan="ditolak", alasan="Data palsu")
    isi = await antrean(client)
    urutan = [p["id"] for p in isi]
    assert [i for i in urutan if i in ids] == ids
    assert ditolak["id"] not in urutan
    waktu = [datetime.fromisoformat(p["menunggu_sejak"]) for p in isi]
    assert waktu == sorted(waktu)
    assert {p["status"] for p in isi} == {"diajukan"}


async def test_the_queue_pages_with_a_cursor_without_gaps_or_repeats(client):
    for _ in range(3):
        await daftar(client, pemerintah())
    pertama = (await client.get("/api/v1/pendaftaran", headers=VERIFIKATOR, params={"limit": 2})).json()
    kedua = (await client.get("/api/v1/pendaftaran", headers=VERIFIKATOR,
                              params={"limit": 2, "cursor": pertama["next_cursor"]})).json()
    dua_halaman = [p["id"] for p in pertama["data"] + kedua["data"]]
    sekaligus = (await client.get("/api/v1/pendaftaran", headers=VERIFIKATOR, params={"limit": 4})).json()
    assert dua_halaman == [p["id"] for p in sekaligus["data"]]
    rusak = await client.get("/api/v1/pendaftaran", headers=VERIFIKATOR, params={"cursor": "bukan-kursor"})
    assert (rusak.status_code, list(galat(rusak))) == (422, ["query.cursor"])


async def test_approval_without_the_required_documents_names_what_is_missing_and_changes_nothing(client, migrated):
    reg, token = await daftar(client, penyedia())
    await unggah(client, reg["id"], token, "ktp", "npwp")
    sebelum = await jejak(migrated)
    r = await putuskan(client, reg["id"], keputusan="disetujui", dokumen_asli_diperiksa=list(DOKUMEN_PENYEDIA))
    assert r.status_code == 422
    assert r.json()["rule"] == ATURAN_PENDAFTARAN
    assert "3 syarat dokumen belum terpenuhi" in r.json()["detail"]
    assert sorted(e["message"] for e in r.json()["errors"]) == [
        "Dokumen akta_pendirian belum diunggah.", "Dokumen formulir_keikutsertaan belum diunggah.",
        "Dokumen formulir_pendaftaran belum diunggah."]
    assert await jejak(migrated) == sebelum
    assert (await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=VERIFIKATOR)).json()["status"] == "diajukan"


async def test_approval_needs_every_original_marked_as_seen(client, migrated):
    reg, token = await daftar(client, penyedia())
    await unggah(client, reg["id"], token, *DOKUMEN_PENYEDIA)
    sebelum = await jejak(migrated)
    r = await putuskan(client, reg["id"], keputusan="disetujui", dokumen_asli_diperiksa=["ktp", "akta_pendirian"])
    assert r.status_code == 422
    assert sorted(e["message"] for e in r.json()["errors"]) == [
        f"Asli dokumen {j} belum diperiksa verifikator." for j in ("formulir_keikutsertaan", "formulir_pendaftaran",
                                                                   "npwp")]
    assert {e["field"] for e in r.json()["errors"]} == {"dokumen_asli_diperiksa"}
    assert await jejak(migrated) == sebelum


async def test_approval_creates_an_active_user_and_announces_it_without_nik_or_npwp(client, migrated):
    body = penyedia(bentuk_usaha="koperasi")
    hasil, _ = await disetujui(client, body)
    assert (hasil["status"], hasil["diputuskan_oleh"]) == ("disetujui", NIP_VERIFIKATOR)
    assert hasil["dokumen_asli_diperiksa"] == sorted(DOKUMEN_PENYEDIA)
    pengguna = (await client.get(f"/api/v1/pengguna/{hasil['pengguna_id']}", headers=VERIFIKATOR)).json()
    assert (pengguna["status"], pengguna["user_id"], pengguna["npwp"], pengguna["nib"], pengguna["peran"]) == (
        "aktif", body["user_id"], body["npwp"], body["nib"], ["penyedia"])
    events = await peristiwa(migrated, hasil["id"])
    assert [t for t, _ in events] == ["registrasi.pendaftaran.diajukan", "registrasi.pendaftaran.disetujui"]
    data = events[1][1]
    assert (data["pengguna_id"], data["user_id"], data["status"], data["bentuk_usaha"], data["diputuskan_oleh"]) == (
        pengguna["id"], body["user_id"], "disetujui", "koperasi", NIP_VERIFIKATOR)
    assert data["diajukan_pada"] and data["waktu"] >= data["diajukan_pada"]
    [(jenis, aktif)] = await peristiwa(migrated, pengguna["id"])
    assert (jenis, aktif["status"], aktif["pendaftaran_id"]) == ("registrasi.pengguna.diaktifkan", "aktif", hasil["id"])
    semua = str(events) + str(aktif)
    assert body["npwp"] not in semua and body["penanggung_jawab"]["nik"] not in semua


async def test_a_government_users_activation_event_carries_what_pokja_needs(client, migrated):
    body = pemerintah(perempuan=True, peran=["pokja", "pejabat_pengadaan"])
    hasil, _ = await disetujui(client, body)
    [(_, data)] = await peristiwa(migrated, hasil["pengguna_id"])
    assert {k: data[k] for k in ("nip", "nama", "peran", "satuan_kerja", "instansi", "berlaku_sampai", "jenis")} == {
        "nip": body["nip"], "nama": body["nama"], "peran": ["pejabat_pengadaan", "pokja"],
        "satuan_kerja": body["satuan_kerja"], "instansi": body["instansi"], "berlaku_sampai": body["berlaku_sampai"],
        "jenis": "non_penyedia"}
    assert body["nik"] not in str(data)


async def test_a_refusal_needs_a_reason_and_changes_nothing_without_one(client, migrated):
    reg, _ = await daftar(client, penyedia())
    sebelum = await jejak(migrated)
    r = await putuskan(client, reg["id"], keputusan="ditolak", alasan="  ")
    assert r.status_code == 422
    assert (r.json()["rule"], list(galat(r))) == (ATURAN_VERIFIKATOR, ["alasan"])
    assert await jejak(migrated) == sebelum


async def test_a_refusal_is_final_and_announced_with_its_reason(client, migrated):
    reg, _ = await daftar(client, penyedia())
    r = await putuskan(client, reg["id"], keputusan="ditolak", alasan="NIB milik badan usaha lain")
    assert (r.status_code, r.json()["status"], r.json()["alasan"]) == (200, "ditolak", "NIB milik badan usaha lain")
    [(_, _), (jenis, data)] = await peristiwa(migrated, reg["id"])
    assert (jenis, data["alasan"], data["karena_daftar_hitam"]) == ("registrasi.pendaftaran.ditolak",
                                                                     "NIB milik badan usaha lain", False)


@pytest.mark.parametrize("keputusan_pertama", ["ditolak", "disetujui", "perlu_perbaikan"])
@pytest.mark.parametrize("keputusan_kedua", ["ditolak", "disetujui", "perlu_perbaikan"])
async def test_a_decision_on_a_registration_that_is_not_waiting_is_a_409_and_changes_nothing(
        client, migrated, keputusan_pertama, keputusan_kedua):
    reg, token = await daftar(client, penyedia())
    await unggah(client, reg["id"], token, *DOKUMEN_PENYEDIA)
    badan = {"alasan": "lihat catatan", "dokumen_asli_diperiksa": list(DOKUMEN_PENYEDIA)}
    assert (await putuskan(client, reg["id"], keputusan=keputusan_pertama, **badan)).status_code == 200
    sebelum = await jejak(migrated)
    r = await putuskan(client, reg["id"], keputusan=keputusan_kedua, **badan)
    assert r.status_code == 409
    assert "hanya dapat diberikan pada pendaftaran berstatus diajukan" in r.json()["detail"]
    assert await jejak(migrated) == sebelum


async def test_a_registration_sent_back_is_fixed_resubmitted_and_then_approved(client, migrated):
    body = penyedia()
    reg, token = await daftar(client, body)
    await unggah(client, reg["id"], token, *DOKUMEN_PENYEDIA)
    r = await putuskan(client, reg["id"], keputusan="perlu_perbaikan", alasan="KTP buram; telepon tidak aktif",
                       kekurangan=["ktp", "telepon"])
    assert (r.json()["status"], r.json()["kekurangan"]) == ("perlu_perbaikan", ["ktp", "telepon"])
    _, (jenis, data) = await peristiwa(migrated, reg["id"])
    assert (jenis, data["alasan"], data["dokumen_kurang"]) == ("registrasi.pendaftaran.perlu_perbaikan",
                                                               "KTP buram; telepon tidak aktif", ["ktp", "telepon"])
    sendiri = await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=token)
    assert sendiri.json()["status"] == "perlu_perbaikan"
    await unggah(client, reg["id"], token, "ktp")
    etag = (await client.get(f"/api/v1/pendaftaran/{reg['id']}", headers=token)).headers["etag"]
    ulang = await client.post(f"/api/v1/pendaftaran/{reg['id']}/ajukan-ulang", json={"telepon": "021-7654321"},
                              headers={**token, "If-Match": etag})
    assert ulang.status_code == 200, ulang.text
    hasil = ulang.json()
    assert (hasil["status"], hasil["telepon"], ulang.headers["etag"]) == ("diajukan", "021-7654321",
                                                                          f'"{hasil["versi"]}"')
    assert hasil["menunggu_sejak"] > hasil["diajukan_pada"]
    assert hasil["id"] in [p["id"] for p in await antrean(client)]
    jenis, data = (await peristiwa(migrated, reg["id"]))[-1]
    assert (jenis, data["diajukan_ulang"], data["status"]) == ("registrasi.pendaftaran.diajukan", True, "diajukan")
    [baris] = [b for b in await riwayat(migrated, "pendaftaran", reg["id"]) if b["aksi"] == "diajukan_ulang"]
    assert '"telepon": ["021-5551234", "021-7654321"]' in baris["perubahan"]
    akhir = await putuskan(client, reg["id"], keputusan="disetujui", dokumen_asli_diperiksa=list(DOKUMEN_PENYEDIA))
    assert akhir.json()["status"] == "disetujui"


async def test_a_resubmission_may_correct_an_identifier_which_is_validated_again(client, migrated):
    reg, token = await daftar(client, penyedia())
    await putuskan(client, reg["id"], keputusan="perlu_perbaikan", kekurangan=["nib"])
    sebelum = await jejak(migrated)
    salah = await client.post(f"/api/v1/pendaftaran/{reg['id']}/ajukan-ulang", json={"nib": "12345"}, headers=token)
    assert salah.status_code == 422
    assert "NIB harus 13 digit" in galat(salah)["nib"]
    lain_jenis = await client.post(f"/api/v1/pendaftaran/{reg['id']}/ajukan-ulang", json={"nip": "1" * 18},
                                   headers=token)
    assert (lain_jenis.status_code, list(galat(lain_jenis))) == (422, ["nip"])
    assert await jejak(migrated) == sebelum
    nib_baru = penyedia()["nib"]
    benar = await client.post(f"/api/v1/pendaftaran/{reg['id']}/ajukan-ulang", json={"nib": nib_baru}, headers=token)
    assert (benar.status_code, benar.json()["nib"]) == (200, nib_baru)


async def test_only_a_registration_waiting_for_fixes_can_be_resubmitted(client, migrated):
    reg, token = await daftar(client, penyedia())
    sebelum = await jejak(migrated)
    r = await client.post(f"/api/v1/pendaftaran/{reg['id']}/ajukan-ulang", json={}, headers=token)
    assert r.status_code == 409
    assert "hanya pendaftaran berstatus perlu_perbaikan" in r.json()["detail"]
    assert await jejak(migrated) == sebelum


async def test_only_the_registrant_resubmits(client, migrated):
    reg, _ = await daftar(client, penyedia())
    _, token_lain = await daftar(client, penyedia())
    await putuskan(client, reg["id"], keputusan="perlu_perbaikan", alasan="lengkapi")
    sebelum = await jejak(migrated)
    url = f"/api/v1/pendaftaran/{reg['id']}/ajukan-ulang"
    assert (await client.post(url, json={}, headers=VERIFIKATOR)).status_code == 403
    assert (await client.post(url, json={}, headers=token_lain)).status_code == 403
    assert (await client.post(url, json={}, headers={"X-Token-Akses": "salah"})).status_code == 401
    assert (await client.post(url, json={})).status_code == 401
    assert await jejak(migrated) == sebelum


async def test_a_stale_if_match_is_a_412_and_changes_nothing(client, migrated):
    reg, token = await daftar(client, penyedia())
    await unggah(client, reg["id"], token, "ktp")
    sebelum = await jejak(migrated)
    r = await client.post(f"/api/v1/pendaftaran/{reg['id']}/verifikasi", headers={**VERIFIKATOR, "If-Match": '"1"'},
                          json={"keputusan": "ditolak", "alasan": "lihat catatan"})
    assert r.status_code == 412
    assert r.json()["versi_sekarang"] == 2
    assert await jejak(migrated) == sebelum
    r = await client.post(f"/api/v1/pendaftaran/{reg['id']}/verifikasi", headers={**VERIFIKATOR, "If-Match": '"2"'},
                          json={"keputusan": "perlu_perbaikan", "alasan": "lihat catatan"})
    assert (r.status_code, r.headers["etag"]) == (200, '"3"')
    basi = await client.post(f"/api/v1/pendaftaran/{reg['id']}/ajukan-ulang", json={},
                             headers={**token, "If-Match": '"2"'})
    assert basi.status_code == 412


@pytest.mark.parametrize(("headers", "status"), [(ADMIN, 403), (auth("penyedia"), 403), (auth("kepala_ukpbj"), 403),
                                                 ({}, 401)])
async def test_only_the_verifikator_decides(client, migrated, headers, status):
    reg, token = await daftar(client, penyedia())
    sebelum = await jejak(migrated)
    r = await client.post(f"/api/v1/pendaftaran/{reg['id']}/verifikasi", headers=headers,
                          json={"keputusan": "ditolak", "alasan": "x"})
    assert r.status_code == status
    tok = await client.post(f"/api/v1/pendaftaran/{reg['id']}/verifikasi", headers=token,
                            json={"keputusan": "ditolak", "alasan": "x"})
    assert tok.status_code == 401
    assert await jejak(migrated) == sebelum


async def test_a_decision_on_an_unknown_registration_is_a_404(client):
    r = await putuskan(client, str(uuid.uuid4()), keputusan="ditolak", alasan="x")
    assert r.status_code == 404


async def test_an_unknown_decision_is_refused_naming_the_field(client):
    reg, _ = await daftar(client, penyedia())
    r = await putuskan(client, reg["id"], keputusan="ditunda")
    assert (r.status_code, list(galat(r))) == (422, ["keputusan"])


async def test_decisions_are_in_the_history_with_who_when_and_why(client, migrated):
    reg, token = await daftar(client, penyedia())
    await putuskan(client, reg["id"], keputusan="perlu_perbaikan", alasan="Akta perubahan belum ada",
                   kekurangan=["akta_perubahan"])
    r = await client.get(f"/api/v1/pendaftaran/{reg['id']}/riwayat", headers=VERIFIKATOR)
    aksi = [(e["aksi"], e["aktor"], e["peran"], e["alasan"]) for e in r.json()["data"]]
    assert aksi == [("diajukan", f"pendaftar:{reg['user_id']}", "pendaftar", None),
                    ("perlu_perbaikan", NIP_VERIFIKATOR, "verifikator", "Akta perubahan belum ada")]
    assert r.json()["data"][1]["perubahan"] == {"status": ["diajukan", "perlu_perbaikan"],
                                                "kekurangan": ["akta_perubahan"]}
    assert all(e["waktu"] and e["request_id"] for e in r.json()["data"])


async def test_the_events_reach_the_broker_keyed_by_registration_in_order(client, migrated, broker):
    reg, token = await daftar(client, penyedia())
    await putuskan(client, reg["id"], keputusan="perlu_perbaikan", alasan="KTP buram")
    await client.post(f"/api/v1/pendaftaran/{reg['id']}/ajukan-ulang", json={}, headers=token)
    await putuskan(client, reg["id"], keputusan="ditolak", alasan="Dokumen palsu")

    async def terbit():
        rows = await migrated.fetch("registrasi", "SELECT count(*) AS n FROM outbox WHERE aggregate_id = $1 "
                                    "AND published_at IS NULL", reg["id"])
        return rows[0]["n"] == 0

    await eventually(terbit)
    records = await read_topic(broker.bootstrap, "registrasi.pendaftaran.v1", until=10_000, timeout=5)
    milik = [(r.key.decode(), Envelope.from_bytes(r.value)) for r in records
             if Envelope.from_bytes(r.value).aggregateid == reg["id"]]
    assert {k for k, _ in milik} == {reg["id"]}
    assert [(e.type.rsplit(".", 1)[1], e.aggregateversion) for _, e in milik] == [
        ("diajukan", 1), ("perlu_perbaikan", 2), ("diajukan", 3), ("ditolak", 4)]
    assert all(e.source == "/ukpbj/registrasi" and e.requestid for _, e in milik)
