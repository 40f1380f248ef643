"""Domain metrics of helpdesk for Grafana (names fixed: deploy/grafana and deploy/prometheus use them).

Counters move when the event they count is committed; gauges mirror the database and are refreshed
by a periodic job (every replica reports the same value; dashboards take `max`).
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge

from services.helpdesk.domain import Kategori, JenisSla, StatusTiket, TingkatEskalasi

STATUS_BELUM_DITUTUP = tuple(s.value for s in StatusTiket if s is not StatusTiket.DITUTUP)
TINGKAT_ESKALASI = tuple(t.value for t in TingkatEskalasi if t is not TingkatEskalasi.HELPDESK)

TIKET_TERBUKA = Gauge("ukpbj_helpdesk_tiket_terbuka", "Tiket yang belum ditutup, per status dan kategori",
                      ["status", "kategori"])
SLA_TERLAMPAUI = Counter("ukpbj_helpdesk_sla_terlampaui_total",
                         "Pelanggaran SLA yang tercatat (satu per tiket per jenis)", ["jenis"])
SLA_KEPATUHAN = Gauge("ukpbj_helpdesk_sla_kepatuhan_rasio",
                      "Bagian tiket yang jam SLA-nya berhenti dalam target (jendela bergulir; 0..1)", ["jenis"])
ESKALASI = Counter("ukpbj_helpdesk_eskalasi_total", "Eskalasi tiket per tingkat tujuan", ["tingkat"])


def inisialisasi() -> None:
    """Create every label set up front so dashboards show 0, not 'No data'."""
    for status in STATUS_BELUM_DITUTUP:
        for kategori in Kategori:
            TIKET_TERBUKA.labels(status, kategori.value)
    for jenis in JenisSla:
        SLA_TERLAMPAUI.labels(jenis.value)
        SLA_KEPATUHAN.labels(jenis.value)
    for tingkat in TINGKAT_ESKALASI:
        ESKALASI.labels(tingkat)


def catat_dampak(pelanggaran: list[str], eskalasi: list[str]) -> None:
    """Count committed breaches and escalations."""
    for jenis in pelanggaran:
        SLA_TERLAMPAUI.labels(jenis).inc()
    for tingkat in eskalasi:
        ESKALASI.labels(tingkat).inc()


def tampilkan(terbuka: dict[tuple[str, str], int], kepatuhan: dict[str, float]) -> None:
    """Set the gauges from a fresh reading of the database (absent combinations are 0)."""
    for status in STATUS_BELUM_DITUTUP:
        for kategori in Kategori:
            TIKET_TERBUKA.labels(status, kategori.value).set(terbuka.get((status, kategori.value), 0))
    for jenis in JenisSla:
        SLA_KEPATUHAN.labels(jenis.value).set(kepatuhan.get(jenis.value, 0.0))
