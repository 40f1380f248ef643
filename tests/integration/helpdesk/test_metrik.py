import pytest
from prometheus_client import REGISTRY

from services.helpdesk import jobs
from tests.integration.helpdesk.bantuan import buat_tiket, sebagai_helpdesk, sebagai_kasubbag, sebagai_pengguna

pytestmark = pytest.mark.integration


def nilai(nama: str, **label: str) -> float | None:
    return REGISTRY.get_sample_value(nama, label)


async def test_every_dashboard_series_exists_from_the_start(helpdesk):
    teks = (await helpdesk.get("/metrics")).text
    for seri in ('ukpbj_helpdesk_tiket_terbuka{kategori="non_teknis",status="menunggu_pelapor"}',
                 'ukpbj_helpdesk_sla_terlampaui_total{jenis="respons_pertama"}',
                 'ukpbj_helpdesk_sla_terlampaui_total{jenis="penyelesaian"}',
                 'ukpbj_helpdesk_sla_kepatuhan_rasio{jenis="penyelesaian"}',
                 'ukpbj_helpdesk_eskalasi_total{tingkat="kasubbag_lpse"}',
                 'ukpbj_helpdesk_eskalasi_total{tingkat="lkpp_teknis"}'):
        assert seri in teks, seri


async def test_the_gauges_mirror_the_database_and_escalations_are_counted(helpdesk, migrated):
    tiket = await buat_tiket(helpdesk, sebagai_pengguna(), kategori="infrastruktur")
    sebelum = nilai("ukpbj_helpdesk_eskalasi_total", tingkat="kasubbag_lpse")
    await helpdesk.post(f"/api/v1/tiket/{tiket['id']}/eskalasi", json={"tingkat": "kasubbag_lpse"},
                        headers=sebagai_helpdesk())
    assert nilai("ukpbj_helpdesk_eskalasi_total", tingkat="kasubbag_lpse") == sebelum + 1

    selesai = await buat_tiket(helpdesk, sebagai_pengguna())
    await helpdesk.post(f"/api/v1/tiket/{selesai['id']}/selesaikan", json={"solusi": "Beres"},
                        headers=sebagai_kasubbag())
    await jobs.segarkan_metrik(helpdesk.app)
    [row] = await migrated.fetch("helpdesk", "SELECT count(*) AS n FROM tiket WHERE status = 'dieskalasi' "
                                 "AND kategori = 'infrastruktur'")
    assert nilai("ukpbj_helpdesk_tiket_terbuka", status="dieskalasi", kategori="infrastruktur") == row["n"] >= 1
    [rasio] = await migrated.fetch("helpdesk", "SELECT avg(sla_penyelesaian_terpenuhi::int) AS r FROM tiket "
                                   "WHERE sla_penyelesaian_terpenuhi IS NOT NULL AND NOT di_luar_lingkup")
    assert nilai("ukpbj_helpdesk_sla_kepatuhan_rasio", jenis="penyelesaian") == pytest.approx(float(rasio["r"]))
