import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY

from services.helpdesk import jobs, service
from tests.conftest import running_app
from tests.integration.helpdesk.bantuan import buat_tiket, peristiwa, sebagai_helpdesk, sebagai_pengguna

pytestmark = pytest.mark.integration
DETIK = timedelta(seconds=1)


def jatuh_tempo(tiket: dict, jenis: str) -> datetime:
    return datetime.fromisoformat(tiket["sla"][jenis]["jatuh_tempo"])


async def pelanggaran(infra, tiket_id: str) -> list[dict]:
    return [e for e in await peristiwa(infra, tiket_id) if e["type"] == "helpdesk.tiket.sla_terlampaui"]


async def jumlah_pelanggaran_di_outbox(infra) -> int:
    [row] = await infra.fetch("helpdesk", "SELECT count(*) AS n FROM outbox "
                              "WHERE event_type = 'helpdesk.tiket.sla_terlampaui'")
    return row["n"]


def penghitung() -> float:
    return sum(REGISTRY.get_sample_value("ukpbj_helpdesk_sla_terlampaui_total", {"jenis": j}) or 0
               for j in ("respons_pertama", "penyelesaian"))


async def test_a_breach_is_detected_when_it_happens_and_emitted_exactly_once(helpdesk, migrated):
    tiket = await buat_tiket(helpdesk, sebagai_pengguna())
    batas = jatuh_tempo(tiket, "respons_pertama")

    await jobs.periksa_sla(helpdesk.app, now=batas - DETIK)
    assert await pelanggaran(migrated, tiket["id"]) == []

    outbox_sebelum, penghitung_sebelum = await jumlah_pelanggaran_di_outbox(migrated), penghitung()
    hasil = await jobs.periksa_sla(helpdesk.app, now=batas + DETIK)
    assert (tiket["id"], "respons_pertama") in hasil.pelanggaran
    [terlampaui] = await pelanggaran(migrated, tiket["id"])
    assert terlampaui["data"]["jenis"] == "respons_pertama" and terlampaui["data"]["target_detik"] == 7200
    assert datetime.fromisoformat(terlampaui["data"]["jatuh_tempo"]) == batas
    assert datetime.fromisoformat(terlampaui["data"]["waktu"]) == batas + DETIK
    ditulis = await jumlah_pelanggaran_di_outbox(migrated) - outbox_sebelum
    assert ditulis >= 1 and penghitung() - penghitung_sebelum == ditulis

    await jobs.periksa_sla(helpdesk.app, now=batas + 2 * DETIK)
    await jobs.periksa_sla(helpdesk.app, now=batas + timedelta(minutes=30))
    assert len(await pelanggaran(migrated, tiket["id"])) == 1
    rows = await migrated.fetch("helpdesk", "SELECT jenis FROM sla_terlampaui WHERE tiket_id = $1", tiket["id"])
    assert [r["jenis"] for r in rows] == ["respons_pertama"]
    dibaca = (await helpdesk.get(f"/api/v1/tiket/{tiket['id']}", headers=sebagai_helpdesk())).json()
    assert dibaca["versi"] == 2


async def test_replicas_checking_at_the_same_moment_emit_each_breach_once(helpdesk, migrated):
    tiket = await buat_tiket(helpdesk, sebagai_pengguna())
    saat = jatuh_tempo(tiket, "penyelesaian") + DETIK
    await asyncio.gather(*(jobs.periksa_sla(helpdesk.app, now=saat) for _ in range(3)))
    assert sorted(e["data"]["jenis"] for e in await pelanggaran(migrated, tiket["id"])) == [
        "penyelesaian", "respons_pertama"]


async def test_a_clock_paused_for_the_reporter_does_not_breach_until_the_reporter_replies(helpdesk, migrated):
    pelapor = sebagai_pengguna()
    tiket = await buat_tiket(helpdesk, pelapor)
    url = f"/api/v1/tiket/{tiket['id']}"
    menunggu = (await helpdesk.post(f"{url}/tunggu-pelapor", json={"pertanyaan": "Nama berkas?"},
                                    headers=sebagai_helpdesk())).json()
    assert menunggu["sla"]["penyelesaian"]["jatuh_tempo"] is None
    await jobs.periksa_sla(helpdesk.app, now=jatuh_tempo(tiket, "penyelesaian") + timedelta(days=60))
    assert await pelanggaran(migrated, tiket["id"]) == []

    dijawab = (await helpdesk.post(f"{url}/tanggapan", json={"isi": "penawaran.zip"}, headers=pelapor)).json()
    batas = jatuh_tempo(dijawab, "penyelesaian")
    assert batas >= jatuh_tempo(tiket, "penyelesaian")
    await jobs.periksa_sla(helpdesk.app, now=batas + DETIK)
    assert [e["data"]["jenis"] for e in await pelanggaran(migrated, tiket["id"])] == ["penyelesaian"]


async def test_a_resolved_ticket_without_reply_closes_after_the_configured_business_days(helpdesk, migrated):
    tiket = await buat_tiket(helpdesk, sebagai_pengguna())
    selesai = (await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/selesaikan", json={"solusi": "Beres."},
                                   headers=sebagai_helpdesk())).json()
    batas = datetime.fromisoformat(selesai["tutup_otomatis_pada"])
    diselesaikan = datetime.fromisoformat(selesai["diselesaikan_pada"]).astimezone(batas.tzinfo)
    assert (batas.date() - diselesaikan.date()).days >= 3

    await jobs.periksa_sla(helpdesk.app, now=batas - DETIK)
    masih = (await helpdesk.get(f"/api/v1/tiket/{tiket['id']}", headers=sebagai_helpdesk())).json()
    assert masih["status"] == "selesai"
    hasil = await jobs.periksa_sla(helpdesk.app, now=batas + DETIK)
    assert tiket["id"] in hasil.ditutup_otomatis
    ditutup = (await helpdesk.get(f"/api/v1/tiket/{tiket['id']}", headers=sebagai_helpdesk())).json()
    assert (ditutup["status"], ditutup["sebab_penutupan"]) == ("ditutup", "otomatis")
    [terakhir] = (await peristiwa(migrated, tiket["id"]))[-1:]
    assert terakhir["type"] == "helpdesk.tiket.ditutup" and terakhir["data"]["sebab"] == "otomatis"


async def test_cuti_bersama_declared_in_the_settings_moves_the_due_time(helpdesk, migrated, monkeypatch):
    # opened at a fixed time late on a working day (Wednesday 9 December 2026, 15:00 WIB), so the
    # first-response clock runs over into the next day: declaring THAT day a holiday skips it whole.
    # (With the real clock, a ticket opened in the morning is due the same day, and declaring the day
    # it was opened a holiday starts its clock the next morning instead: tests/unit/helpdesk/test_sla.py.)
    dibuka = datetime(2026, 12, 9, 8, 0, tzinfo=UTC)
    monkeypatch.setattr(service, "now_utc", lambda: dibuka)
    biasa = await buat_tiket(helpdesk, sebagai_pengguna())
    assert jatuh_tempo(biasa, "respons_pertama").date() > dibuka.date()
    hari_jatuh_tempo = jatuh_tempo(biasa, "respons_pertama").date()
    async with running_app(migrated, "helpdesk", libur_tambahan=[hari_jatuh_tempo]) as cuti:
        tiket = await buat_tiket(cuti, sebagai_pengguna())
    digeser = jatuh_tempo(tiket, "respons_pertama")
    assert digeser.date() > hari_jatuh_tempo and digeser.time() == jatuh_tempo(biasa, "respons_pertama").time()
