"""The remembered calendar results and the list page's SLA shortcut give exactly the reference figures (issue 9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from services.helpdesk import domain as d
from services.helpdesk import service
from services.helpdesk.waktu_kerja import KalenderKerja, KonfigurasiWaktuKerja
from shared.responses import json_bytes
from tests.unit.helpdesk.bantuan import KALENDER
from tests.unit.helpdesk.test_waktu_kerja_properti import daftar_jeda, waktu

PROPERTI = settings(deadline=None, max_examples=200)
TARGET = st.sampled_from([1800.0, 3600.0, 7200.0, 14400.0, 28800.0, 86400.0, 144000.0, 0.5, 12345.678])
# a zone whose clocks jump at local midnight (DST), to exercise the split's fallback
SANTIAGO = KalenderKerja(KonfigurasiWaktuKerja(zona=ZoneInfo("America/Santiago")))


def _jalan(kalender: KalenderKerja, a: datetime, b: datetime) -> timedelta:
    # the day-by-day walk the remembered results stand in for
    return kalender._durasi_jalan(a.astimezone(UTC), b.astimezone(UTC))


@PROPERTI
@given(st.lists(waktu(mikro=True), min_size=2, max_size=8), st.sampled_from([KALENDER, SANTIAGO]))
def test_remembered_business_time_equals_the_walk_over_the_days(titik, kalender):
    akhir = max(titik)
    for mulai in titik:  # many openings against one `now`, as a list page asks
        assert kalender.durasi_kerja(mulai, akhir) == _jalan(kalender, mulai, akhir)
        assert kalender.detik_kerja(mulai, akhir) == _jalan(kalender, mulai, akhir).total_seconds()
    awal = min(titik)
    for selesai in titik:  # one opening against many `now`s
        assert kalender.durasi_kerja(awal, selesai) == _jalan(kalender, awal, selesai)


@PROPERTI
@given(waktu(mikro=True), st.floats(min_value=0, max_value=400 * 3600, allow_nan=False), daftar_jeda())
def test_a_remembered_due_time_equals_a_fresh_calendars(mulai, detik, jeda):
    segar = KalenderKerja()
    assert KALENDER.tambah_waktu_kerja(mulai, detik, jeda) == segar.tambah_waktu_kerja(mulai, detik, jeda)
    assert KALENDER.tambah_waktu_kerja(mulai, detik) == segar.tambah_waktu_kerja(mulai, detik)
    assert KALENDER.tambah_waktu_kerja(mulai, detik) == KalenderKerja().tambah_waktu_kerja(mulai, detik)


@PROPERTI
@given(waktu(mikro=True), waktu(mikro=True), TARGET, TARGET)
def test_the_list_shortcut_gives_the_reference_figures(dibuat, now, target_respons, target_penyelesaian):
    cepat = d.SlaSaat(now, KALENDER).berjalan(dibuat, target_respons, target_penyelesaian)
    acuan = d.evaluasi_sla_waktu(dibuat, target_respons, target_penyelesaian, [], None, None, now, KalenderKerja())
    if now < dibuat:
        assert cepat is None
        return
    assert cepat == (acuan.respons_pertama.terpakai_detik, acuan.respons_pertama.jatuh_tempo,
                     acuan.respons_pertama.status, acuan.penyelesaian.jatuh_tempo, acuan.penyelesaian.status)
    assert acuan.penyelesaian.terpakai_detik == cepat[0]


def _iso(nilai: datetime | None) -> str | None:
    return nilai.isoformat() if nilai else None


@PROPERTI
@given(waktu(mikro=True), waktu(mikro=True), TARGET, TARGET, daftar_jeda(),
       st.none() | waktu(mikro=True), st.none() | waktu(mikro=True), st.booleans())
def test_a_records_sla_view_equals_the_reference_view(dibuat, now, target_respons, target_penyelesaian, jeda,
                                                       respons, akhir, ditutup):
    jeda = [(m, s) for m, s in jeda if m >= dibuat]
    respons = respons if respons is None or respons >= dibuat else None
    akhir = akhir if akhir is None or akhir >= dibuat else None
    record = {"dibuat_pada": dibuat, "target_respons_detik": target_respons,
              "target_penyelesaian_detik": target_penyelesaian, "respons_pertama_pada": respons,
              "diselesaikan_pada": None if ditutup else akhir, "ditutup_pada": akhir if ditutup else None,
              "jeda": orjson.dumps([{"mulai": _iso(m), "selesai": _iso(s), "sebab": "menunggu_pelapor"}
                                    for m, s in jeda]).decode()}
    try:
        acuan = d.evaluasi_sla_waktu(dibuat, target_respons, target_penyelesaian, jeda, respons, akhir, now,
                                     KalenderKerja())
    except d.ValidationFailed:  # an open pause before a stopped clock's end: not a state a ticket reaches
        return
    tampil = service._sla_record(record, d.SlaSaat(now, KALENDER))
    assert tampil == {"respons_pertama": service.tampilan_sla(acuan.respons_pertama).model_dump(),
                      "penyelesaian": service.tampilan_sla(acuan.penyelesaian).model_dump()}


@PROPERTI
@given(waktu(mikro=True), st.lists(waktu(mikro=True), min_size=1, max_size=6), TARGET, TARGET,
       st.sampled_from([KALENDER, SANTIAGO]))
def test_one_ticket_at_many_nows_keeps_the_reference_figures(dibuat, saat, target_respons, target_penyelesaian,
                                                             kalender):
    # the ticket's remembered part of the split must follow `now` to another date and back
    for now in [*saat, *reversed(saat)]:
        cepat = d.SlaSaat(now, kalender).berjalan(dibuat, target_respons, target_penyelesaian)
        if now < dibuat:
            assert cepat is None
            continue
        segar = KalenderKerja(kalender.konfigurasi)
        acuan = d.evaluasi_sla_waktu(dibuat, target_respons, target_penyelesaian, [], None, None, now, segar)
        assert cepat == (acuan.respons_pertama.terpakai_detik, acuan.respons_pertama.jatuh_tempo,
                         acuan.respons_pertama.status, acuan.penyelesaian.jatuh_tempo, acuan.penyelesaian.status)


@PROPERTI
@given(waktu(mikro=True), st.lists(waktu(mikro=True), min_size=1, max_size=4), TARGET, TARGET, daftar_jeda(),
       st.none() | waktu(mikro=True), st.sampled_from([KALENDER, SANTIAGO]))
def test_a_kept_list_row_writes_the_bytes_of_the_row_rendered_afresh(dibuat, saat, target_respons,
                                                                     target_penyelesaian, jeda, respons, kalender):
    """issue 9: `RingkasTersimpan` (a list row kept between pages, its clocks joined from bytes) writes at
    every `now` what orjson writes for `ringkas_dari_record` at that `now`."""
    jeda = [(m, s) for m, s in jeda if m >= dibuat]
    respons = respons if respons is None or respons >= dibuat else None
    record = {"id": "HD-1", "nomor": "HD-2026-000001", "judul": "Tidak bisa \"unggah\" \u00e9", "kategori": "aplikasi",
              "kanal": "web", "prioritas": "tinggi", "status": "baru", "paket_kode": None, "petugas": None,
              "tingkat": "helpdesk", "di_luar_lingkup": False, "dibuat_pada": dibuat, "diperbarui_pada": dibuat,
              "versi": 1, "target_respons_detik": target_respons, "target_penyelesaian_detik": target_penyelesaian,
              "jeda": orjson.dumps([{"mulai": _iso(m), "selesai": _iso(s), "sebab": "menunggu_pelapor"}
                                    for m, s in jeda]).decode(), "respons_pertama_pada": respons,
              "diselesaikan_pada": None, "ditutup_pada": None}
    tersimpan = service.RingkasTersimpan(record)
    assert tersimpan.cepat == (not jeda and respons is None)
    for now in [*saat, *reversed(saat)]:
        sla = d.SlaSaat(now, kalender)
        try:
            harapan = json_bytes(service.ringkas_dari_record(record, sla))
        except d.ValidationFailed:  # an open pause before a stopped clock's end: not a state a ticket reaches
            continue
        assert orjson.dumps(tersimpan.json(sla)) == harapan
