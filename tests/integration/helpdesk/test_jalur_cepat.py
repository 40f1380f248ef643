"""The hot paths on plain asyncpg (issue 9) answer exactly what the ORM path answered.

At a fixed `now`, a ticket read through the API (one SQL statement) and a list page are compared,
byte for byte, with what FastAPI's response model wrote for the views the ORM path built (`repository.muat_tiket` + `tampilan_tiket`,
`tampilan_ringkas` over the ORM rows), for tickets in every shape: thread with internal notes,
escalations with internal notes, attachments, a paused clock, resolved and rated, public reporter.
"""

from datetime import timedelta

import pytest
from pydantic import TypeAdapter
from sqlalchemy import select

from services.helpdesk import domain as d
from services.helpdesk import repository as repo
from services.helpdesk import service
from services.helpdesk.models import TiketRow
from services.helpdesk.schemas import TiketBaru, TiketPublic, TiketRingkas, TiketsPublic
from shared.uow import now_utc
from tests.support.lean import capture, fastapi_would_write
from tests.integration.helpdesk.bantuan import (
    PNG,
    buat_tiket,
    nip,
    sebagai_helpdesk,
    sebagai_kasubbag,
    sebagai_pengguna,
)

pytestmark = pytest.mark.integration


async def _tampilan_orm(app, tiket_id: str, aktor: d.Aktor, now) -> bytes:
    """The bytes the ORM path answered: its view, serialised by the route's response model."""
    async with app.state.session_factory() as session:
        t = await repo.muat_tiket(session, tiket_id)
        return TypeAdapter(TiketPublic).dump_json(service.tampilan_tiket(t, aktor, now, app.state.aturan))


async def _tiket_beragam(helpdesk) -> tuple[list[dict], dict, str]:
    """Tickets in every shape the view knows; returns them, the reporter's headers and the officer."""
    pelapor_sub = f"pokja-cepat-{nip()}"
    pelapor, petugas, kasubbag = sebagai_pengguna(pelapor_sub), nip(1986), nip(1979)
    staf = sebagai_helpdesk(petugas)
    baru = await buat_tiket(helpdesk, pelapor)
    diproses = await buat_tiket(helpdesk, pelapor, kategori="infrastruktur")
    url = f"/api/v1/tiket/{diproses['id']}"
    assert (await helpdesk.post(f"{url}/tanggapan", json={"isi": "Sedang dicek."}, headers=staf)).status_code == 200
    await helpdesk.post(f"{url}/tanggapan", json={"isi": "Disk penuh.", "internal": True}, headers=staf)
    await helpdesk.post(f"{url}/eskalasi", json={"tingkat": "kasubbag_lpse", "catatan": "Perlu kapasitas."},
                        headers=staf)
    await helpdesk.post(f"{url}/eskalasi", json={"tingkat": "lkpp_eproc", "alasan": "tidak_dapat_diselesaikan",
                                                 "referensi_lkpp": "LPSE-SUP-1"}, headers=sebagai_kasubbag(kasubbag))
    unggah = await helpdesk.post(f"{url}/lampiran", files={"file": ("galat.png", PNG, "image/png")}, headers=pelapor)
    assert unggah.status_code == 201, unggah.text
    menunggu = await buat_tiket(helpdesk, pelapor)
    await helpdesk.post(f"/api/v1/tiket/{menunggu['id']}/tunggu-pelapor", json={"pertanyaan": "Nama berkas?"},
                        headers=staf)
    dinilai = await buat_tiket(helpdesk, pelapor, kategori="akun")
    url = f"/api/v1/tiket/{dinilai['id']}"
    await helpdesk.post(f"{url}/tunggu-pelapor", json={"pertanyaan": "Kapan terakhir masuk?"}, headers=staf)
    await helpdesk.post(f"{url}/tanggapan", json={"isi": "Kemarin."}, headers=pelapor)
    await helpdesk.post(f"{url}/selesaikan", json={"solusi": "Akun dibuka."}, headers=staf)
    await helpdesk.post(f"{url}/konfirmasi", headers=pelapor)
    assert (await helpdesk.post(f"{url}/penilaian", json={"nilai": 4, "komentar": "Oke"},
                                headers=pelapor)).status_code == 200
    non_teknis = await buat_tiket(helpdesk, pelapor, kategori="non_teknis")
    return [baru, diproses, menunggu, dinilai, non_teknis], pelapor, pelapor_sub


async def test_a_read_equals_the_orm_view_for_staff_and_reporter(helpdesk, migrated, monkeypatch):
    tiket, pelapor, pelapor_sub = await _tiket_beragam(helpdesk)
    publik = await buat_tiket(helpdesk, pelapor={"nama": "Siti", "email": "siti@contoh.id"})
    petugas = nip(1987)
    for nanti in (timedelta(0), timedelta(days=9, hours=5)):  # running clocks, then breached ones
        now = now_utc() + nanti
        monkeypatch.setattr(service, "now_utc", lambda now=now: now)
        for t in [*tiket, publik]:
            response = await helpdesk.get(f"/api/v1/tiket/{t['id']}", headers=sebagai_helpdesk(petugas))
            assert response.status_code == 200, response.text
            assert response.headers["etag"] == f'"{response.json()["versi"]}"'
            staf = d.Aktor(petugas, frozenset({"helpdesk"}))
            assert response.content == await _tampilan_orm(helpdesk.app, t["id"], staf, now)
            assert response.headers["content-type"] == "application/json"
        for t in tiket:
            response = await helpdesk.get(f"/api/v1/tiket/{t['id']}", headers=pelapor)
            assert response.content == await _tampilan_orm(helpdesk.app, t["id"], d.Aktor(pelapor_sub), now)
        token = {"X-Token-Pelapor": publik["token_pelapor"]}
        dibaca = await helpdesk.get(f"/api/v1/tiket/{publik['id']}", headers=token)
        assert dibaca.content == await _tampilan_orm(helpdesk.app, publik["id"], d.Aktor(f"publik:{publik['id']}"),
                                                    now)
    diproses = (await helpdesk.get(f"/api/v1/tiket/{tiket[1]['id']}", headers=pelapor)).json()
    assert [x["internal"] for x in diproses["tanggapan"]] == [False]
    assert {e["catatan"] for e in diproses["eskalasi"]} == {None} and len(diproses["lampiran"]) == 1


async def test_reading_the_reporters_contact_is_audited_once_per_staff_read_only(helpdesk, migrated):
    publik = await buat_tiket(helpdesk, pelapor={"nama": "Budi", "telepon": "081234567890"})
    milik = await buat_tiket(helpdesk, sebagai_pengguna())

    async def jumlah(tiket_id: str) -> int:
        [row] = await migrated.fetch("helpdesk", "SELECT count(*) AS n FROM riwayat WHERE aggregate_id = $1 AND "
                                     "aksi = 'data_pelapor_dibaca'", tiket_id)
        return row["n"]

    await helpdesk.get(f"/api/v1/tiket/{publik['id']}", headers={"X-Token-Pelapor": publik["token_pelapor"]})
    assert await jumlah(publik["id"]) == 0
    petugas = nip(1988)
    await helpdesk.get(f"/api/v1/tiket/{publik['id']}", headers=sebagai_helpdesk(petugas))
    await helpdesk.get(f"/api/v1/tiket/{milik['id']}", headers=sebagai_helpdesk(petugas))
    assert (await jumlah(publik["id"]), await jumlah(milik["id"])) == (1, 0)
    [row] = await migrated.fetch("helpdesk", "SELECT aktor, peran FROM riwayat WHERE aggregate_id = $1 AND "
                                 "aksi = 'data_pelapor_dibaca'", publik["id"])
    assert (row["aktor"], row["peran"]) == (petugas, "helpdesk")
    # the staff read writes its row in the read's own statement, guarded by the row's contents: a staff
    # member reading their own ticket, a ticket read again, and a missing ticket
    sendiri = await buat_tiket(helpdesk, sebagai_helpdesk(petugas))  # their own, with their e-mail set by hand
    assert sendiri["pelapor"]["sub"] == petugas
    await migrated.fetch("helpdesk", "UPDATE tiket SET pelapor_email = 'p@kemendagri.go.id' WHERE id = $1 "
                         "RETURNING id", sendiri["id"])
    assert (await helpdesk.get(f"/api/v1/tiket/{sendiri['id']}", headers=sebagai_helpdesk(petugas))).status_code == 200
    assert await jumlah(sendiri["id"]) == 0
    dibaca = await helpdesk.get(f"/api/v1/tiket/{sendiri['id']}", headers=sebagai_kasubbag())
    assert dibaca.json()["pelapor"]["email"] == "p@kemendagri.go.id" and await jumlah(sendiri["id"]) == 1
    await helpdesk.get(f"/api/v1/tiket/{publik['id']}", headers=sebagai_kasubbag())
    assert await jumlah(publik["id"]) == 2
    assert (await helpdesk.get("/api/v1/tiket/tiket-tidak-ada", headers=sebagai_helpdesk(petugas))).status_code == 404
    assert await jumlah("tiket-tidak-ada") == 0


async def test_a_missing_or_foreign_ticket_is_refused_as_before(helpdesk):
    assert (await helpdesk.get("/api/v1/tiket/tidak-ada", headers=sebagai_helpdesk())).status_code == 404
    tiket = await buat_tiket(helpdesk, sebagai_pengguna())
    lain = await helpdesk.get(f"/api/v1/tiket/{tiket['id']}", headers=sebagai_pengguna())
    assert lain.status_code == 403 and lain.headers["content-type"].startswith("application/problem+json")
    salah = await helpdesk.get(f"/api/v1/tiket/{tiket['id']}", headers={"X-Token-Pelapor": "bukan-token"})
    assert salah.status_code == 403


async def test_list_pages_equal_the_orm_views_with_every_filter_and_the_cursor(helpdesk, migrated, monkeypatch):
    tiket, pelapor, pelapor_sub = await _tiket_beragam(helpdesk)
    now = now_utc() + timedelta(days=2)
    monkeypatch.setattr(service, "now_utc", lambda: now)
    aturan = helpdesk.app.state.aturan

    async def orm(*syarat) -> list[dict]:
        async with helpdesk.app.state.session_factory() as session:
            rows = (await session.execute(select(TiketRow).where(*syarat)
                                          .order_by(TiketRow.dibuat_pada.desc(), TiketRow.id.desc()))).scalars()
            return [service.tampilan_ringkas(r, now, aturan) for r in rows]

    async def semua(query: str, headers: dict) -> list[dict]:
        # one page of everything: the bytes the response model wrote for the ORM rows
        halaman = await helpdesk.get(f"/api/v1/tiket?{query}&limit=100", headers=headers)
        assert halaman.content == TypeAdapter(TiketsPublic).dump_json(
            TiketsPublic(data=await orm(*harapan[query]), next_cursor=None))
        # then two at a time through the cursor
        hasil, cursor = [], None
        while True:
            url = f"/api/v1/tiket?{query}&limit=2" + (f"&cursor={cursor}" if cursor else "")
            response = await helpdesk.get(url, headers=headers)
            assert response.status_code == 200, response.text
            hasil += response.json()["data"]
            cursor = response.json()["next_cursor"]
            if cursor is None:
                return hasil

    def sebagai_json(rows) -> list[dict]:
        return [TiketRingkas.model_validate(r.model_dump()).model_dump(mode="json") for r in rows]

    milik = TiketRow.pelapor_sub == pelapor_sub
    staf = sebagai_helpdesk()
    petugas = (await helpdesk.get(f"/api/v1/tiket/{tiket[1]['id']}", headers=staf)).json()["petugas"]
    harapan = {
        "x=1": (milik,),
        "status=diproses&status=dieskalasi": (milik, TiketRow.status.in_(["diproses", "dieskalasi"])),
        "kategori=akun&kategori=non_teknis": (milik, TiketRow.kategori.in_(["akun", "non_teknis"])),
        f"petugas={petugas}&prioritas=sedang": (TiketRow.petugas == petugas, TiketRow.prioritas == "sedang"),
    }
    for query, syarat in harapan.items():
        headers = staf if query.startswith("petugas") else pelapor
        assert await semua(query, headers) == sebagai_json(await orm(*syarat))
    assert len(await semua("x=1", pelapor)) == len(tiket)
    assert (await helpdesk.get("/api/v1/tiket?cursor=bukan-cursor", headers=staf)).status_code == 422
    assert (await helpdesk.get("/api/v1/tiket?cursor=WyJ4Il0", headers=staf)).status_code == 422


async def test_a_create_writes_the_row_the_orm_path_wrote(helpdesk, migrated):
    petugas = nip(1989)
    tiket = await buat_tiket(helpdesk, sebagai_helpdesk(petugas), prioritas="kritis", kanal="telepon",
                             pelapor={"nama": "Penelepon", "telepon": "0215551234"})
    [row] = await migrated.fetch("helpdesk", "SELECT * FROM tiket WHERE id = $1", tiket["id"])
    assert row["nomor"] == tiket["nomor"] and row["nomor"].startswith("HD-") and len(row["nomor"].split("-")[2]) >= 6
    assert (row["versi"], row["status"], row["prioritas"], row["dicatat_oleh"], row["jeda"]) == (
        1, "baru", "kritis", petugas, "[]")
    assert row["token_hash"] and row["pelapor_sub"] is None and row["dibuat_pada"] == row["diperbarui_pada"]
    assert row["periksa_sla_pada"] == TiketBaru.model_validate(tiket).sla.respons_pertama.jatuh_tempo
    assert (row["sla_respons_terpenuhi"], row["sla_penyelesaian_terpenuhi"], row["tutup_otomatis_pada"]) == (
        None, None, None)
    [p] = await migrated.fetch("helpdesk", "SELECT sub, aktif FROM petugas WHERE sub = $1", petugas)
    assert p["aktif"] is True  # an officer joins the pool the first time they act

    luar = await buat_tiket(helpdesk, sebagai_pengguna(), kategori="non_teknis")
    [row] = await migrated.fetch("helpdesk", "SELECT status, versi, sla_respons_terpenuhi, sla_penyelesaian_terpenuhi,"
                                 " periksa_sla_pada, sebab_penutupan, di_luar_lingkup FROM tiket WHERE id = $1",
                                 luar["id"])
    assert tuple(row) == ("ditutup", 3, True, True, None, "di_luar_lingkup", True)
    assert luar["versi"] == 3 and luar["tanggapan"][0]["sebagai"] == "sistem"
    rows = await migrated.fetch("helpdesk", "SELECT oleh, sebagai FROM tanggapan WHERE tiket_id = $1", luar["id"])
    assert [tuple(r) for r in rows] == [("sistem", "sistem")]
    dibaca = await helpdesk.get(f"/api/v1/tiket/{luar['id']}", headers=sebagai_helpdesk())
    assert {k: v for k, v in dibaca.json().items() if k != "sla"} == {
        k: v for k, v in luar.items() if k not in ("sla", "token_pelapor")}


async def test_the_lean_create_answers_the_bytes_fastapis_response_model_writes(helpdesk, monkeypatch):
    dibuat = capture(monkeypatch, service, "buat_tiket")
    for headers, body in (
            (sebagai_pengguna("pokja-lean"), {"judul": "Unggah gagal", "uraian": "Unggah berhenti di 99%.",
                                              "kategori": "aplikasi", "kanal": "web"}),
            ({}, {"judul": "Situs tidak terbuka", "uraian": "Halaman LPSE kosong sejak pagi.", "kategori": "aplikasi",
                  "kanal": "web", "pelapor": {"nama": "Warga", "email": "warga@contoh.id"}})):
        r = await helpdesk.post("/api/v1/tiket", json=body, headers=headers)
        assert r.status_code == 201, r.text
        assert r.content == await fastapi_would_write(helpdesk.app, "POST", "/api/v1/tiket", dibuat[-1])
        assert r.headers["location"] == f"/api/v1/tiket/{dibuat[-1].id}"
        assert r.headers["etag"] == f'"{dibuat[-1].versi}"'
    assert dibuat[-1].token_pelapor  # the public reporter's one-time token is in the answer


async def test_a_replayed_create_returns_the_same_body_and_headers(helpdesk):
    import uuid

    kunci = {"Idempotency-Key": str(uuid.uuid4()), **sebagai_pengguna("pokja-replay")}
    body = {"judul": "Unggah gagal", "uraian": "Unggah berhenti di 99%.", "kategori": "aplikasi", "kanal": "web"}
    pertama = await helpdesk.post("/api/v1/tiket", json=body, headers=kunci)
    kedua = await helpdesk.post("/api/v1/tiket", json=body, headers=kunci)
    assert (pertama.status_code, kedua.status_code) == (201, 201)
    assert kedua.json() == pertama.json() and kedua.headers["location"] == pertama.headers["location"]
    assert pertama.headers["etag"] == '"1"'


async def test_tickets_opened_at_once_get_distinct_numbers_taken_from_the_sequence_in_blocks(helpdesk, migrated):
    import asyncio

    from services.helpdesk import repository_pg

    sebelum = (await migrated.fetch("helpdesk", "SELECT last_value FROM tiket_nomor_seq"))[0]["last_value"]
    tiket = await asyncio.gather(*(buat_tiket(helpdesk, sebagai_pengguna(f"nomor-{i}")) for i in range(40)))
    nomor = [t["nomor"] for t in tiket]
    assert len(set(nomor)) == 40
    rows = await migrated.fetch("helpdesk", "SELECT nomor FROM tiket WHERE id = ANY($1::text[])", [t["id"] for t in tiket])
    assert sorted(r["nomor"] for r in rows) == sorted(nomor)
    sesudah = (await migrated.fetch("helpdesk", "SELECT last_value FROM tiket_nomor_seq"))[0]["last_value"]
    assert sesudah - sebelum <= 40 + 2 * repository_pg._BLOK_NOMOR  # whole blocks, not one round trip each
    assert repository_pg.nomor_tiket(42, 2026) == "HD-2026-000042"
    assert repository_pg.nomor_tiket(1_234_567, 2026) == "HD-2026-1234567"


async def test_the_next_block_of_numbers_is_fetched_before_the_current_one_runs_out(helpdesk, monkeypatch):
    """issue 9: creates do not stop and wait for a block: it is fetched when half of the current one is
    used. Values come out in increasing order across blocks; a fetch that fails reaches the create that
    waits for it, and the next create fetches again."""
    import asyncio

    from services.helpdesk import repository_pg

    pool = helpdesk.app.state.pg
    repository_pg._NOMOR_BEBAS.pop(id(pool), None)
    blok = repository_pg._BLOK_NOMOR
    nilai = [await repository_pg.ambil_nomor(pool) for _ in range(blok // 2)]
    entry = repository_pg._NOMOR_BEBAS[id(pool)]
    assert entry.isi is not None and not entry.isi.done()  # half used: the next block is on its way
    await entry.isi
    assert len(entry.bebas) == blok + blok // 2
    nilai += [await repository_pg.ambil_nomor(pool) for _ in range(3 * blok)]
    assert nilai == sorted(nilai) and len(set(nilai)) == len(nilai)

    if entry.isi is not None:
        await entry.isi
    entry.bebas.clear()
    gagal = RuntimeError("database unreachable")

    async def tidak_bisa(self) -> None:
        raise gagal

    monkeypatch.setattr(repository_pg._Nomor, "_ambil_blok", tidak_bisa)
    with pytest.raises(RuntimeError):
        await repository_pg.ambil_nomor(pool)
    monkeypatch.undo()
    assert await repository_pg.ambil_nomor(pool) > nilai[-1]
    await asyncio.sleep(0)


async def test_list_rows_kept_rendered_take_their_clocks_at_each_read_and_any_change_of_the_row(
        helpdesk, migrated, monkeypatch):
    """issue 9: a list row's fields are rendered once per version of the row (`app.state.tampilan`, keyed by
    `xmin`), its SLA clocks at every read: later reads give the ORM view at their own moment, and a change
    made to the row by any statement is shown at once."""
    tiket, pelapor, pelapor_sub = await _tiket_beragam(helpdesk)
    cache = helpdesk.app.state.tampilan
    aturan = helpdesk.app.state.aturan

    async def halaman(now) -> bytes:
        monkeypatch.setattr(service, "now_utc", lambda: now)
        jawaban = await helpdesk.get("/api/v1/tiket?limit=100", headers=pelapor)
        assert jawaban.status_code == 200, jawaban.text
        async with helpdesk.app.state.session_factory() as session:
            rows = (await session.execute(select(TiketRow).where(TiketRow.pelapor_sub == pelapor_sub)
                                          .order_by(TiketRow.dibuat_pada.desc(), TiketRow.id.desc()))).scalars()
            harapan = [service.tampilan_ringkas(r, now, aturan) for r in rows]
        assert jawaban.content == TypeAdapter(TiketsPublic).dump_json(TiketsPublic(data=harapan, next_cursor=None))
        return jawaban.content

    awal = now_utc()
    pertama = await halaman(awal)
    hits, misses = cache.hits, cache.misses
    assert await halaman(awal) == pertama
    assert (cache.hits - hits, cache.misses - misses) == (len(tiket), 0)  # every row from the cache
    # days later, from the same kept rows: the clocks ran on and the running ones are overdue now
    nanti = await halaman(awal + timedelta(days=9))
    assert (cache.hits - hits, cache.misses - misses) == (2 * len(tiket), 0)
    data = {t["id"]: t for t in TiketsPublic.model_validate_json(nanti).model_dump(mode="json")["data"]}
    assert data[tiket[0]["id"]]["sla"]["respons_pertama"]["status"] == "terlampaui"
    # a change by hand, without the version counter: the row's `xmin` moved, so it is rendered again
    await migrated.fetch("helpdesk", "UPDATE tiket SET judul = judul || ' (diperbaiki)' WHERE id = $1 RETURNING id",
                         tiket[0]["id"])
    sesudah = await halaman(awal + timedelta(days=9))
    data = {t["id"]: t for t in TiketsPublic.model_validate_json(sesudah).model_dump(mode="json")["data"]}
    assert data[tiket[0]["id"]]["judul"].endswith("(diperbaiki)")
    assert cache.misses - misses == 1
