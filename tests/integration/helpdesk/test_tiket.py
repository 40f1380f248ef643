import uuid

import pytest

from shared.events import Envelope
from tests.support.kafka import eventually, read_topic

from tests.conftest import auth
from tests.integration.helpdesk.bantuan import (
    PDF,
    PNG,
    buat_tiket,
    jenis_peristiwa,
    nip,
    peristiwa,
    sebagai_helpdesk,
    sebagai_kasubbag,
    sebagai_pengguna,
    tiket_body,
)

pytestmark = pytest.mark.integration


async def test_an_spse_user_opens_a_ticket_and_reads_it_back_with_its_business_time_sla(helpdesk, migrated):
    pelapor = sebagai_pengguna()
    response = await helpdesk.post("/api/v1/tiket", json=tiket_body(), headers=pelapor)
    assert response.status_code == 201, response.text
    tiket = response.json()
    assert response.headers["location"] == f"/api/v1/tiket/{tiket['id']}"
    assert (tiket["status"], tiket["prioritas"], tiket["token_pelapor"]) == ("baru", "sedang", None)
    assert tiket["nomor"].startswith("HD-")
    sla = tiket["sla"]["respons_pertama"]
    assert (sla["target_detik"], sla["status"], sla["dijeda"]) == (7200, "berjalan", False)
    assert sla["jatuh_tempo"].endswith("+07:00") and tiket["sla"]["penyelesaian"]["target_detik"] == 86400

    dibaca = await helpdesk.get(f"/api/v1/tiket/{tiket['id']}", headers=pelapor)
    assert dibaca.status_code == 200 and dibaca.headers["etag"] == response.headers["etag"] == '"1"'
    [dibuat] = await peristiwa(migrated, tiket["id"])
    assert dibuat["type"] == "helpdesk.tiket.dibuat" and dibuat["versi"] == 1
    assert dibuat["data"]["target_respons_detik"] == 7200 and dibuat["data"]["target_penyelesaian_detik"] == 86400
    assert "pelapor" not in dibuat["data"]


async def test_the_public_reports_with_contact_details_and_uses_the_reporter_token(helpdesk, migrated):
    tiket = await buat_tiket(helpdesk, pelapor={"nama": "Siti Rahayu", "email": "siti@contoh.id"}, kanal="email")
    token = {"X-Token-Pelapor": tiket["token_pelapor"]}
    assert tiket["token_pelapor"] and tiket["pelapor"]["nama"] == "Siti Rahayu"
    [row] = await migrated.fetch("helpdesk", "SELECT token_hash FROM tiket WHERE id = $1", tiket["id"])
    assert row["token_hash"] != tiket["token_pelapor"] and len(row["token_hash"]) == 64

    assert (await helpdesk.get(f"/api/v1/tiket/{tiket['id']}", headers=token)).status_code == 200
    staf = sebagai_helpdesk()
    await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/selesaikan", json={"solusi": "Akun dibuka."}, headers=staf)
    dibalas = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/tanggapan", json={"isi": "Terima kasih"},
                                  headers=token)
    assert dibalas.json()["tanggapan"][-1]["sebagai"] == "pelapor"
    ditutup = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/konfirmasi", headers=token)
    assert ditutup.status_code == 200 and ditutup.json()["sebab_penutupan"] == "konfirmasi"
    dinilai = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/penilaian", json={"nilai": 5, "komentar": "Cepat"},
                                  headers=token)
    assert dinilai.json()["penilaian"]["nilai"] == 5
    assert (await jenis_peristiwa(migrated, tiket["id"]))[-2:] == ["helpdesk.tiket.ditutup", "helpdesk.tiket.dinilai"]
    [riwayat] = await migrated.fetch("helpdesk", "SELECT aktor FROM riwayat WHERE aggregate_id = $1 AND aksi = "
                                     "'dikonfirmasi'", tiket["id"])
    assert riwayat["aktor"] == f"publik:{tiket['id']}"


async def test_a_wrong_reporter_token_is_refused(helpdesk):
    tiket = await buat_tiket(helpdesk, pelapor={"nama": "Budi", "telepon": "081234567890"})
    lain = await buat_tiket(helpdesk, pelapor={"nama": "Ani", "telepon": "081234567891"})
    response = await helpdesk.get(f"/api/v1/tiket/{tiket['id']}", headers={"X-Token-Pelapor": lain["token_pelapor"]})
    assert response.status_code == 403
    assert (await helpdesk.get(f"/api/v1/tiket/{tiket['id']}")).status_code == 401


async def test_an_anonymous_ticket_without_contact_details_is_refused_naming_the_fields(helpdesk, migrated):
    judul = f"Tanpa kontak {uuid.uuid4()}"
    response = await helpdesk.post("/api/v1/tiket", json=tiket_body(judul=judul))
    assert response.status_code == 422
    assert {"pelapor.nama", "pelapor.email"} <= {e["field"] for e in response.json()["errors"]}
    assert await migrated.fetch("helpdesk", "SELECT 1 FROM tiket WHERE judul = $1", judul) == []


async def test_only_staff_set_the_priority(helpdesk):
    response = await helpdesk.post("/api/v1/tiket", json=tiket_body(prioritas="kritis"), headers=sebagai_pengguna())
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "prioritas"
    dicatat = await buat_tiket(helpdesk, sebagai_helpdesk(), prioritas="kritis", kanal="telepon",
                               pelapor={"nama": "Penelepon", "telepon": "0215551234"})
    assert dicatat["prioritas"] == "kritis" and dicatat["sla"]["respons_pertama"]["target_detik"] == 1800
    assert dicatat["token_pelapor"] and dicatat["pelapor"]["sub"] is None


async def test_a_retried_create_with_the_same_idempotency_key_returns_the_first_ticket(helpdesk, migrated):
    kunci = {"Idempotency-Key": str(uuid.uuid4()), **sebagai_pengguna("pokja-idempoten")}
    body = tiket_body()
    pertama = await helpdesk.post("/api/v1/tiket", json=body, headers=kunci)
    kedua = await helpdesk.post("/api/v1/tiket", json=body, headers=kunci)
    assert (pertama.status_code, kedua.status_code) == (201, 201)
    assert kedua.json()["id"] == pertama.json()["id"] and kedua.headers["idempotency-replayed"] == "true"
    assert len(await migrated.fetch("helpdesk", "SELECT 1 FROM tiket WHERE paket_kode = $1", body["paket_kode"])) == 1


async def test_the_whole_lifecycle_with_escalation_to_lkpp_emits_the_contract_events(helpdesk, migrated):
    pelapor, petugas, kasubbag_ = sebagai_pengguna(), nip(1986), nip(1979)
    tiket = await buat_tiket(helpdesk, pelapor)
    url = f"/api/v1/tiket/{tiket['id']}"

    ditugaskan = await helpdesk.post(f"{url}/tugaskan", json={"petugas": petugas},
                                     headers=sebagai_kasubbag(kasubbag_))
    assert ditugaskan.json()["status"] == "ditugaskan" and ditugaskan.json()["petugas"] == petugas
    dijawab = await helpdesk.post(f"{url}/tanggapan", json={"isi": "Sedang kami periksa."},
                                  headers=sebagai_helpdesk(petugas))
    assert dijawab.json()["status"] == "diproses" and dijawab.json()["sla"]["respons_pertama"]["status"] == "terpenuhi"
    await helpdesk.post(f"{url}/tanggapan", json={"isi": "Disk server unggah penuh.", "internal": True},
                        headers=sebagai_helpdesk(petugas))
    menunggu = await helpdesk.post(f"{url}/tunggu-pelapor", json={"pertanyaan": "Mohon kirim nama berkas."},
                                   headers=sebagai_helpdesk(petugas))
    assert menunggu.json()["status"] == "menunggu_pelapor"
    assert menunggu.json()["sla"]["penyelesaian"]["status"] == "dijeda"
    assert menunggu.json()["sla"]["penyelesaian"]["jatuh_tempo"] is None

    dilihat_pelapor = (await helpdesk.get(url, headers=pelapor)).json()
    assert [t["isi"] for t in dilihat_pelapor["tanggapan"]] == ["Sedang kami periksa.", "Mohon kirim nama berkas."]
    assert len((await helpdesk.get(url, headers=sebagai_helpdesk())).json()["tanggapan"]) == 3
    dijawab_pelapor = await helpdesk.post(f"{url}/tanggapan", json={"isi": "penawaran.zip"}, headers=pelapor)
    assert dijawab_pelapor.json()["status"] == "diproses"
    assert dijawab_pelapor.json()["sla"]["penyelesaian"]["dijeda"] is False

    naik = await helpdesk.post(f"{url}/eskalasi", json={"tingkat": "kasubbag_lpse", "catatan": "Perlu kapasitas."},
                               headers=sebagai_helpdesk(petugas))
    assert (naik.json()["status"], naik.json()["tingkat"]) == ("dieskalasi", "kasubbag_lpse")
    lkpp = await helpdesk.post(f"{url}/eskalasi", json={"tingkat": "lkpp_eproc", "alasan": "tidak_dapat_diselesaikan",
                                                        "referensi_lkpp": "LPSE-SUP-2026-000777"},
                               headers=sebagai_kasubbag(kasubbag_))
    assert lkpp.status_code == 200, lkpp.text
    assert lkpp.json()["eskalasi"][-1]["referensi_lkpp"] == "LPSE-SUP-2026-000777"
    assert (await helpdesk.get(url, headers=pelapor)).json()["eskalasi"][0]["catatan"] is None

    selesai = await helpdesk.post(f"{url}/selesaikan", json={"solusi": "LKPP memperbaiki modul unggah."},
                                  headers=sebagai_kasubbag(kasubbag_))
    assert selesai.json()["status"] == "selesai" and selesai.json()["tutup_otomatis_pada"] is not None
    etag = (await helpdesk.get(url, headers=pelapor)).headers["etag"]
    ditutup = await helpdesk.post(f"{url}/konfirmasi", headers={**pelapor, "If-Match": etag})
    assert ditutup.json()["status"] == "ditutup" and ditutup.headers["etag"] != etag
    await helpdesk.post(f"{url}/penilaian", json={"nilai": 4, "komentar": "Tuntas"}, headers=pelapor)

    semua = await peristiwa(migrated, tiket["id"])
    assert [e["type"].removeprefix("helpdesk.tiket.") for e in semua] == [
        "dibuat", "ditugaskan", "ditanggapi", "ditanggapi", "ditanggapi", "ditanggapi", "dieskalasi", "dieskalasi",
        "diselesaikan", "ditutup", "dinilai"]
    assert [e["versi"] for e in semua] == list(range(1, len(semua) + 1))
    pertama, internal = semua[2]["data"], semua[3]["data"]
    assert pertama["respons_pertama"] and pertama["sla_respons_terpenuhi"] is True
    assert pertama["detik_kerja_respons"] is not None and internal["internal"] and not internal["respons_pertama"]
    ke_lkpp = semua[7]["data"]
    assert (ke_lkpp["dari"], ke_lkpp["ke"], ke_lkpp["alasan"], ke_lkpp["referensi_lkpp"]) == (
        "kasubbag_lpse", "lkpp_eproc", "tidak_dapat_diselesaikan", "LPSE-SUP-2026-000777")
    diselesaikan = semua[8]["data"]
    assert diselesaikan["tingkat"] == "lkpp_eproc" and diselesaikan["sla_penyelesaian_terpenuhi"] is True
    assert diselesaikan["detik_kerja_penyelesaian"] >= 0
    assert semua[9]["data"]["sebab"] == "konfirmasi" and semua[10]["data"]["nilai"] == 4
    assert all(e["source"] == "/ukpbj/helpdesk" and e["aggregateid"] == tiket["id"] for e in semua)


async def test_a_resolution_without_an_earlier_reply_is_the_first_response(helpdesk, migrated):
    tiket = await buat_tiket(helpdesk, sebagai_pengguna())
    await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/selesaikan", json={"solusi": "Cache dibersihkan."},
                        headers=sebagai_helpdesk())
    semua = await peristiwa(migrated, tiket["id"])
    assert [e["type"] for e in semua][-2:] == ["helpdesk.tiket.ditanggapi", "helpdesk.tiket.diselesaikan"]
    assert semua[-2]["data"]["respons_pertama"] is True and semua[-2]["data"]["status"] == "selesai"


async def test_the_reporter_reopens_a_resolved_ticket(helpdesk, migrated):
    pelapor = sebagai_pengguna()
    tiket = await buat_tiket(helpdesk, pelapor)
    url = f"/api/v1/tiket/{tiket['id']}"
    await helpdesk.post(f"{url}/selesaikan", json={"solusi": "Sudah diperbaiki."}, headers=sebagai_helpdesk())
    dibuka = await helpdesk.post(f"{url}/buka-kembali", json={"alasan": "Masih gagal."}, headers=pelapor)
    assert dibuka.status_code == 200 and dibuka.json()["status"] == "diproses"
    assert dibuka.json()["solusi"] is None
    [terakhir] = (await peristiwa(migrated, tiket["id"]))[-1:]
    assert terakhir["type"] == "helpdesk.tiket.dibuka_kembali" and terakhir["data"]["dari_status"] == "selesai"
    lain = await helpdesk.post(f"{url}/buka-kembali", json={"alasan": "x"}, headers=sebagai_pengguna())
    assert lain.status_code == 403


async def test_a_non_technical_ticket_is_answered_with_a_referral_and_closed_out_of_scope(helpdesk, migrated):
    pelapor = sebagai_pengguna(peran="penyedia")
    tiket = await buat_tiket(helpdesk, pelapor, kategori="non_teknis", judul="Syarat kualifikasi tender")
    assert (tiket["status"], tiket["di_luar_lingkup"], tiket["sebab_penutupan"]) == ("ditutup", True,
                                                                                       "di_luar_lingkup")
    assert "Lampiran 2.3 huruf d" in tiket["tanggapan"][0]["isi"]
    assert await jenis_peristiwa(migrated, tiket["id"]) == [
        "helpdesk.tiket.dibuat", "helpdesk.tiket.ditanggapi", "helpdesk.tiket.ditutup"]
    dibuka = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/buka-kembali", json={"alasan": "Mohon dijawab"},
                                 headers=pelapor)
    assert dibuka.status_code == 409 and "di luar lingkup" in dibuka.json()["detail"]


async def test_staff_close_a_miscategorised_ticket_as_out_of_scope(helpdesk, migrated):
    tiket = await buat_tiket(helpdesk, sebagai_pengguna(), kategori="informasi")
    response = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/di-luar-lingkup", json={}, headers=sebagai_helpdesk())
    assert response.json()["di_luar_lingkup"] is True and response.json()["status"] == "ditutup"
    [ditutup] = (await peristiwa(migrated, tiket["id"]))[-1:]
    assert ditutup["data"] == {**ditutup["data"], "sebab": "di_luar_lingkup", "di_luar_lingkup": True}


async def test_a_reporter_reads_and_lists_only_their_own_tickets_while_staff_see_all(helpdesk):
    pelapor, lain = sebagai_pengguna(), sebagai_pengguna()
    milik = await buat_tiket(helpdesk, pelapor)
    bukan = await buat_tiket(helpdesk, lain)
    assert (await helpdesk.get(f"/api/v1/tiket/{bukan['id']}", headers=pelapor)).status_code == 403
    daftar = (await helpdesk.get("/api/v1/tiket", headers=pelapor)).json()["data"]
    assert [t["id"] for t in daftar] == [milik["id"]]
    assert "sla" in daftar[0] and "tanggapan" not in daftar[0]
    staf = (await helpdesk.get("/api/v1/tiket?limit=100", headers=sebagai_kasubbag())).json()["data"]
    assert {milik["id"], bukan["id"]} <= {t["id"] for t in staf}
    assert (await helpdesk.get("/api/v1/tiket")).status_code == 401
    assert (await helpdesk.post(f"/api/v1/tiket/{milik['id']}/tugaskan", json={"otomatis": True},
                                headers=pelapor)).status_code == 403


async def test_lists_filter_by_status_and_category_and_page_with_a_cursor(helpdesk):
    pelapor = sebagai_pengguna()
    dibuat = [await buat_tiket(helpdesk, pelapor, kategori=k) for k in ("akun", "akun", "infrastruktur")]
    await helpdesk.post(f"/api/v1/tiket/{dibuat[0]['id']}/tanggapan", json={"isi": "Dicek"}, headers=sebagai_helpdesk())
    akun_baru = (await helpdesk.get("/api/v1/tiket?kategori=akun&status=baru", headers=pelapor)).json()["data"]
    assert [t["id"] for t in akun_baru] == [dibuat[1]["id"]]
    halaman1 = (await helpdesk.get("/api/v1/tiket?limit=2", headers=pelapor)).json()
    halaman2 = (await helpdesk.get(f"/api/v1/tiket?limit=2&cursor={halaman1['next_cursor']}", headers=pelapor)).json()
    assert [t["id"] for t in halaman1["data"] + halaman2["data"]] == [t["id"] for t in reversed(dibuat)]
    assert halaman2["next_cursor"] is None
    assert (await helpdesk.get("/api/v1/tiket?status=hilang", headers=pelapor)).status_code == 422


async def test_a_stale_if_match_is_refused_and_changes_nothing(helpdesk):
    tiket = await buat_tiket(helpdesk, sebagai_pengguna())
    response = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/tanggapan", json={"isi": "x"},
                                   headers={**sebagai_helpdesk(), "If-Match": '"7"'})
    assert response.status_code == 412
    assert (await helpdesk.get(f"/api/v1/tiket/{tiket['id']}", headers=sebagai_helpdesk())).json()["versi"] == 1


async def test_automatic_assignment_goes_to_the_least_loaded_active_officer(helpdesk):
    ketua = sebagai_kasubbag()
    for petugas in (await helpdesk.get("/api/v1/petugas", headers=ketua)).json()["data"]:
        await helpdesk.put(f"/api/v1/petugas/{petugas['sub']}", json={"aktif": False}, headers=ketua)
    sibuk, luang = nip(1990), nip(1991)
    for sub in (sibuk, luang):
        assert (await helpdesk.put(f"/api/v1/petugas/{sub}", json={"nama": f"Petugas {sub[-4:]}"},
                                   headers=ketua)).status_code == 200
    await helpdesk.post(f"/api/v1/tiket/{(await buat_tiket(helpdesk, sebagai_pengguna()))['id']}/tugaskan",
                        json={"petugas": sibuk}, headers=ketua)
    tiket = await buat_tiket(helpdesk, sebagai_pengguna())
    response = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/tugaskan", json={"otomatis": True}, headers=ketua)
    assert response.status_code == 200 and response.json()["petugas"] == luang
    beban = {p["sub"]: p["beban"] for p in (await helpdesk.get("/api/v1/petugas", headers=ketua)).json()["data"]}
    assert (beban[sibuk], beban[luang]) == (1, 1)
    await helpdesk.put(f"/api/v1/petugas/{luang}", json={"aktif": False}, headers=ketua)
    ditolak = await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/tugaskan", json={"petugas": luang}, headers=ketua)
    assert ditolak.status_code == 409 and "nonaktif" in ditolak.json()["detail"]
    bukan_kasubbag = await helpdesk.put(f"/api/v1/petugas/{luang}", json={"aktif": True}, headers=sebagai_helpdesk())
    assert bukan_kasubbag.status_code == 403


async def test_an_officer_joins_the_pool_the_first_time_they_act(helpdesk):
    petugas = nip(1992)
    await helpdesk.post(f"/api/v1/tiket/{(await buat_tiket(helpdesk, sebagai_pengguna()))['id']}/tanggapan",
                        json={"isi": "Dicek"}, headers=auth("helpdesk", sub=petugas))
    daftar = (await helpdesk.get("/api/v1/petugas", headers=sebagai_helpdesk())).json()["data"]
    assert petugas in {p["sub"] for p in daftar}


async def test_attachments_are_checked_by_their_bytes_and_downloaded_by_who_may_read_the_ticket(helpdesk, migrated):
    pelapor = sebagai_pengguna()
    tiket = await buat_tiket(helpdesk, pelapor)
    url = f"/api/v1/tiket/{tiket['id']}/lampiran"
    diunggah = await helpdesk.post(url, files={"file": ("galat.png", PNG, "image/png")}, headers=pelapor)
    assert diunggah.status_code == 201, diunggah.text
    lampiran = diunggah.json()
    assert lampiran["jenis_konten"] == "image/png" and diunggah.headers["location"] == lampiran["url"]
    unduh = await helpdesk.get(lampiran["url"], headers=sebagai_helpdesk())
    assert unduh.content == PNG and unduh.headers["content-type"] == "image/png"
    assert (await helpdesk.get(lampiran["url"], headers=sebagai_pengguna())).status_code == 403

    menyamar = await helpdesk.post(url, files={"file": ("laporan.pdf", b"MZ\x90\x00program", "application/pdf")},
                                   headers=pelapor)
    assert menyamar.status_code == 415 and "EXE" in menyamar.json()["detail"]
    assert (await helpdesk.post(url, files={"file": ("bukti.pdf", PDF, "application/pdf")},
                                headers=sebagai_pengguna())).status_code == 403
    ulang = await helpdesk.post(url, files={"file": ("galat-lagi.png", PNG, "image/png")}, headers=pelapor)
    assert ulang.status_code == 200 and ulang.json()["id"] == lampiran["id"]
    rows = await migrated.fetch("helpdesk", "SELECT count(*) AS n FROM lampiran WHERE tiket_id = $1", tiket["id"])
    assert rows[0]["n"] == 1
    assert len((await helpdesk.get(f"/api/v1/tiket/{tiket['id']}", headers=pelapor)).json()["lampiran"]) == 1


async def test_the_summary_counts_out_of_scope_tickets_separately_and_averages_satisfaction(helpdesk):
    from datetime import datetime

    from shared.waktu import WIB

    hari_ini = datetime.now(WIB).date().isoformat()  # the summary's dates are WIB dates (after 17:00 UTC: tomorrow)
    pelapor = sebagai_pengguna()
    await buat_tiket(helpdesk, pelapor, kategori="non_teknis")
    tiket = await buat_tiket(helpdesk, pelapor)
    await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/selesaikan", json={"solusi": "Beres"}, headers=sebagai_helpdesk())
    await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/penilaian", json={"nilai": 3}, headers=pelapor)
    ringkasan = (await helpdesk.get(f"/api/v1/ringkasan?dari=2020-01-01&sampai={hari_ini}",
                                    headers=auth("kepala_ukpbj"))).json()
    assert ringkasan["di_luar_lingkup"] >= 1 and ringkasan["kepuasan"]["jumlah_penilaian"] >= 1
    assert 1 <= ringkasan["kepuasan"]["rata_rata"] <= 5
    assert ringkasan["kepatuhan_sla"]["penyelesaian"]["diukur"] >= 1
    assert (await helpdesk.get(f"/api/v1/ringkasan?dari={hari_ini}&sampai=2020-01-01",
                               headers=sebagai_helpdesk())).status_code == 422


async def test_the_relay_publishes_the_ticket_events_to_the_contract_topic(helpdesk, migrated):
    tiket = await buat_tiket(helpdesk, sebagai_pengguna())

    async def terbit():
        rows = await migrated.fetch("helpdesk", "SELECT count(*) AS n FROM outbox WHERE aggregate_id = $1 "
                                    "AND published_at IS NULL", tiket["id"])
        return rows[0]["n"] == 0

    await eventually(terbit)
    [n] = await migrated.fetch("helpdesk", "SELECT count(*) AS n FROM outbox WHERE topic = 'helpdesk.tiket.v1' "
                               "AND published_at IS NOT NULL")
    records = await read_topic(migrated.broker.bootstrap, "helpdesk.tiket.v1", until=n["n"], timeout=30)
    milik = [Envelope.from_bytes(r.value) for r in records if r.key.decode() == tiket["id"]]
    assert [e.type for e in milik] == ["helpdesk.tiket.dibuat"]
    assert milik[0].data["target_respons_detik"] == 7200
