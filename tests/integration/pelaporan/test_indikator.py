import math
from datetime import UTC, date, datetime
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.pelaporan import service
from tests.conftest import auth, running_app
from tests.integration.pelaporan.peristiwa import diajukan, pokja, tiket, tiket_dibuat, uid
from tests.support.kafka import eventually

pytestmark = pytest.mark.integration
STAF = auth("helpdesk")


async def indikator(klien, headers=STAF) -> dict:
    respons = await klien.get("/api/v1/indikator", headers=headers)
    assert respons.status_code == 200, respons.text
    return respons.json()


def gauge(teks: str) -> dict[str, float]:
    return {s.labels["nama"]: s.value for f in text_string_to_metric_families(teks) if f.name == "ukpbj_indikator"
            for s in f.samples}


@pytest.mark.parametrize("peran", ["kepala_ukpbj", "admin_ukpbj", "verifikator", "helpdesk", "pimpinan", "layanan"])
async def test_staff_report_readers_and_other_systems_may_read_the_live_indicators(klien, peran):
    data = await indikator(klien, auth(peran))

    sekarang = datetime.now(UTC)
    assert data["periode"]["kode"] == service.periode_dari_waktu(sekarang).kode
    assert set(data["pendaftaran"]["per_status"]) >= {"diajukan", "perlu_perbaikan", "disetujui", "ditolak"}
    assert data["sinkronisasi"]["antrean_event"] is None  # no consumers in this replica


async def test_the_live_indicators_follow_the_queue_open_tickets_and_active_pokja(klien, terapkan):
    sebelum = await indikator(klien)
    sekarang = datetime.now(UTC)
    daftar, tiket_id, pokja_id = uid(), uid(), uid()

    await terapkan([diajukan(daftar, sekarang), tiket_dibuat(tiket_id, sekarang),
                    pokja("dibentuk", pokja_id, sekarang, 1, nama="Pokja Uji", nomor_sk="SK/U",
                          anggota=["198001012005011001", "198001012005011002", "198001012005011003"])])
    tengah = await indikator(klien)
    await terapkan([tiket("diselesaikan", tiket_id, sekarang, 2, tingkat="helpdesk",
                          detik_kerja_penyelesaian=60.0, sla_penyelesaian_terpenuhi=True),
                    pokja("dibubarkan", pokja_id, sekarang, 2, alasan="Uji selesai")])
    sesudah = await indikator(klien)

    assert tengah["pendaftaran"]["antrean_verifikasi"] == sebelum["pendaftaran"]["antrean_verifikasi"] + 1
    assert tengah["pendaftaran"]["diajukan_semester_ini"] == sebelum["pendaftaran"]["diajukan_semester_ini"] + 1
    assert tengah["helpdesk"]["tiket_terbuka"] == sebelum["helpdesk"]["tiket_terbuka"] + 1
    assert tengah["pengadaan"]["pokja_aktif"] == sebelum["pengadaan"]["pokja_aktif"] + 1
    assert tengah["pengadaan"]["anggota_pokja_aktif"] >= 3
    assert sesudah["helpdesk"]["tiket_terbuka"] == sebelum["helpdesk"]["tiket_terbuka"]
    assert sesudah["pengadaan"]["pokja_aktif"] == sebelum["pengadaan"]["pokja_aktif"]
    assert sesudah["sinkronisasi"]["event_terakhir_pada"] is not None


async def test_every_indicator_series_exists_in_the_metrics_before_any_data(migrated):
    async with running_app(migrated, "pelaporan", consumers_enabled=False, relay_enabled=False) as klien:
        metrik = gauge((await klien.get("/metrics")).text)

    harapan = service.angka_metrik(service.indikator_kosong(datetime.now(UTC)))
    assert set(harapan) <= set(metrik)
    assert {"helpdesk.tiket_terbuka", "pendaftaran.antrean_verifikasi", "pengadaan.pokja_aktif",
            "helpdesk.sla_respons_persen_semester_ini"} <= set(harapan)


async def test_the_gauges_are_refreshed_to_the_same_figures_as_the_api(migrated, terapkan):
    await terapkan([tiket_dibuat(uid(), datetime.now(UTC))])
    async with running_app(migrated, "pelaporan", consumers_enabled=False, relay_enabled=False,
                           indikator_interval_s=0.2) as klien:
        data = await indikator(klien)

        async def sama():
            metrik = gauge((await klien.get("/metrics")).text)
            return metrik.get("helpdesk.tiket_terbuka") == data["helpdesk"]["tiket_terbuka"] and metrik

        metrik = await eventually(sama, timeout=15)
    assert metrik["pendaftaran.total"] == data["pendaftaran"]["total"]
    sla = data["helpdesk"]["sla_penyelesaian_persen_semester_ini"]
    assert math.isnan(metrik["helpdesk.sla_penyelesaian_persen_semester_ini"]) if sla == "N/A" \
        else metrik["helpdesk.sla_penyelesaian_persen_semester_ini"] == sla


# The live indicators as the report's own queries computed them before GET /indikator became one
# statement (issue 9): the reference the one statement is checked against.
_LANGSUNG = text("""
SELECT
  (SELECT count(*) FROM rm_pokja WHERE dibentuk_pada IS NOT NULL AND dibubarkan_pada IS NULL) AS pokja_aktif,
  (SELECT count(DISTINCT nip) FROM (
     SELECT DISTINCT ON (a.pokja_id, a.nip) a.nip, a.aksi FROM rm_pokja_anggota a
     JOIN rm_pokja p ON p.id = a.pokja_id AND p.dibentuk_pada IS NOT NULL AND p.dibubarkan_pada IS NULL
     ORDER BY a.pokja_id, a.nip, a.versi DESC) m WHERE m.aksi = 'masuk') AS anggota_pokja_aktif,
  (SELECT count(*) FROM rm_pokja_penggantian g
     JOIN rm_pokja p ON p.id = g.pokja_id AND p.dibubarkan_pada IS NULL
     WHERE NOT EXISTS (SELECT 1 FROM rm_pokja_anggota a WHERE a.pokja_id = g.pokja_id AND a.nip = g.nip
                       AND a.aksi = 'keluar' AND a.versi > g.versi)) AS anggota_perlu_diganti,
  (SELECT count(*) FROM rm_pejabat_pengadaan) AS pejabat_pengadaan,
  (SELECT count(*) FROM rm_paket WHERE tahun_anggaran = :tahun AND nama IS NOT NULL) AS paket_tahun_ini,
  (SELECT count(*) FROM rm_paket p WHERE p.tahun_anggaran = :tahun AND p.nama IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM rm_hasil_pemilihan h WHERE h.kode = p.kode)) AS paket_tanpa_hasil,
  (SELECT count(*) FROM rm_daftar_hitam WHERE mulai <= :hari AND selesai >= :hari) AS daftar_hitam_aktif,
  (SELECT count(*) FROM rm_pengumuman WHERE jenis = 'gangguan' AND mulai <= :kini AND selesai > :kini)
     AS gangguan_aktif,
  (SELECT count(DISTINCT e.tiket_id) FROM rm_tiket_eskalasi e JOIN rm_tiket t ON t.id = e.tiket_id
     WHERE e.ke IN ('lkpp_eproc', 'lkpp_teknis') AND t.status NOT IN ('selesai', 'ditutup'))
     AS eskalasi_lkpp_terbuka,
  (SELECT max(received_at) FROM inbox) AS event_terakhir
""")


async def per_status(session: AsyncSession, tabel: str) -> dict[str, int]:
    """Rows of a read model by current status (`rm_pendaftaran`, `rm_pengguna`, `rm_tiket`)."""
    if tabel not in ("rm_pendaftaran", "rm_pengguna", "rm_tiket"):
        raise ValueError(tabel)
    rows = (await session.execute(text(
        f"SELECT status, count(*) AS n FROM {tabel} WHERE status IS NOT NULL GROUP BY status"))).all()  # noqa: S608
    return {r.status: r.n for r in rows}


async def angka_langsung(session: AsyncSession, kini: datetime, hari: date, tahun: int) -> Any:
    """Live figures that are states now rather than counts over a period."""
    return (await session.execute(_LANGSUNG, {"kini": kini, "hari": hari, "tahun": tahun})).one()


async def test_the_one_statement_indicators_equal_the_report_queries_figure_for_figure(klien, terapkan, sesi):
    """issue 9: GET /indikator runs one statement (and a cache); the figures are those of the report's queries."""
    from services.pelaporan import repository as repo
    from services.pelaporan.periode import WIB, periode_dari_waktu
    from tests.integration.pelaporan.peristiwa import hasil, paket_dicatat, setahun

    sekarang = datetime.now(UTC)
    peristiwa, _ = setahun(sekarang.astimezone(WIB).year)
    await terapkan(peristiwa)
    await terapkan([tiket_dibuat(uid(), sekarang), diajukan(uid(), sekarang)])
    # packages without a result: a result whose package was never recorded, a package of last year with a
    # result, a package of this year reported twice (counted once), and one without any
    tahun = sekarang.astimezone(WIB).year
    lalu, dua_kali, tanpa = uid(), uid(), uid()
    await terapkan([hasil(uid(), sekarang, "selesai", 1),
                    paket_dicatat(lalu, sekarang, tahun=tahun - 1), hasil(lalu, sekarang, "gagal", 2),
                    paket_dicatat(dua_kali, sekarang, tahun=tahun), hasil(dua_kali, sekarang, "gagal", 2),
                    hasil(dua_kali, sekarang, "selesai", 3), paket_dicatat(tanpa, sekarang, tahun=tahun)])
    data = await indikator(klien)
    lagi = await indikator(klien)  # from the cache

    async with sesi() as s:
        r = await repo.ringkasan(s, periode_dari_waktu(sekarang), sekarang)
        acuan = service.susun_indikator(
            sekarang, r, await per_status(s, "rm_pendaftaran"), await per_status(s, "rm_pengguna"),
            await per_status(s, "rm_tiket"),
            await angka_langsung(s, sekarang, sekarang.astimezone(WIB).date(), sekarang.astimezone(WIB).year),
            None).model_dump(mode="json")
    for d in (data, lagi, acuan):
        d.pop("diperbarui_pada")
    assert data == acuan
    assert lagi == acuan


async def test_a_change_to_a_read_model_by_any_writer_is_seen_at_once(klien, sesi):
    from sqlalchemy import text

    sebelum = await indikator(klien)
    await indikator(klien)  # cached now
    async with sesi() as s:  # as a rebuild or an operator would: not through a consumer
        await s.execute(text("INSERT INTO rm_pendaftaran (id, jenis, status, versi) VALUES (:id, 'penyedia',"
                             " 'diajukan', 1)"), {"id": uid()})
        await s.commit()
    sesudah = await indikator(klien)
    assert sesudah["pendaftaran"]["antrean_verifikasi"] == sebelum["pendaftaran"]["antrean_verifikasi"] + 1


async def test_the_indicator_bytes_are_the_response_model_s_json(klien, terapkan):
    """issue 9: the route answers with bytes patched from a cached dict; they are the model's JSON."""
    from services.pelaporan.schemas import Indikator

    await terapkan([tiket_dibuat(uid(), datetime.now(UTC)), diajukan(uid(), datetime.now(UTC))])
    for _ in range(2):  # computed, then from the cache
        respons = await klien.get("/api/v1/indikator", headers=STAF)
        assert respons.headers["content-type"] == "application/json"
        assert respons.content == Indikator.model_validate_json(respons.content).model_dump_json().encode()


async def test_the_indicator_route_still_refuses_without_a_token_or_the_role(klien):
    assert (await klien.get("/api/v1/indikator")).status_code == 401
    assert (await klien.get("/api/v1/indikator", headers=auth("penyedia"))).status_code == 403
