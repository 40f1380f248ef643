import hashlib
import json
import math
from datetime import UTC, datetime

import pytest

from services.pelaporan import service
from services.pelaporan.berkas import (
    FORMAT,
    content_disposition,
    hash_konten,
    nama_berkas,
    render_semua,
    ringkasan_ke_dict,
    selisih_laporan,
)
from services.pelaporan.format import ke_json
from services.pelaporan.laporan import susun_laporan
from services.pelaporan.periode import Periode
from services.pelaporan.schemas import LaporanPublic
from shared.errors import ValidationFailed
from tests.unit.pelaporan.contoh import S1_2026, helpdesk, registrasi, ringkasan, ringkasan_kosong


def dict_laporan(r) -> dict:
    return json.loads(ke_json(susun_laporan(r.periode, r)))


@pytest.mark.parametrize(
    ("periode", "format_", "harapan"),
    [
        (Periode.semesteran(2026, 1), "pdf", 'inline; filename="laporan-ukpbj-2026-S1.pdf"'),
        (Periode.semesteran(2026, 2), "csv", 'attachment; filename="laporan-ukpbj-2026-S2.csv"'),
        (Periode.tahunan(2026), "xlsx", 'attachment; filename="laporan-ukpbj-2026-tahunan.xlsx"'),
        (Periode.tahunan(2026), "json", 'inline; filename="laporan-ukpbj-2026-tahunan.json"'),
    ],
)
def test_each_period_and_format_has_its_own_file_name(periode, format_, harapan):
    assert content_disposition(periode, format_) == harapan
    assert nama_berkas(periode, format_) in harapan


def test_the_content_hash_is_the_sha256_of_the_exact_bytes():
    assert hash_konten(b"laporan") == "sha256:" + hashlib.sha256(b"laporan").hexdigest()


def test_every_format_is_rendered_from_the_same_report():
    laporan = susun_laporan(S1_2026, ringkasan())

    berkas = render_semua(laporan)

    assert set(berkas) == set(FORMAT) == {"json", "csv", "xlsx", "pdf"}
    assert berkas["json"] == ke_json(laporan)
    assert berkas["pdf"].startswith(b"%PDF") and berkas["xlsx"].startswith(b"PK")


def test_the_frozen_figures_serialise_to_json_with_the_period_code():
    data = ringkasan_ke_dict(ringkasan())

    assert data["periode"] == "2026-S1"
    assert data["registrasi"]["p90_jam_keputusan"] == "70.25"
    assert data["helpdesk"]["tiket_per_kategori"] == {"aplikasi": 40, "akun": 25, "non_teknis": 5}
    assert ringkasan_ke_dict(None) is None


def test_a_report_compared_with_itself_has_no_difference():
    laporan = dict_laporan(ringkasan())

    assert selisih_laporan(laporan, laporan) == []


def test_a_later_figure_shows_as_a_difference_in_its_key_figure_and_its_table_cells():
    final = dict_laporan(ringkasan())
    sekarang = dict_laporan(ringkasan(registrasi=registrasi(disetujui=91)))

    beda = {(s.bagian, s.tabel, s.baris, s.kolom): (s.final, s.sekarang) for s in selisih_laporan(final, sekarang)}

    assert beda[("registrasi", "angka_kunci", "Pendaftaran disetujui", "nilai")] == (90, 91)
    assert beda[("registrasi", "keputusan", "Disetujui", "jumlah")] == (90, 91)
    assert beda[("registrasi", "keputusan", "Jumlah", "jumlah")] == (120, 121)
    assert all(s[0] == "registrasi" for s in beda)


def test_a_row_that_appears_after_freezing_is_a_difference_with_no_final_value():
    final = dict_laporan(ringkasan())
    baru = helpdesk(tiket_per_kategori={"aplikasi": 40, "akun": 25, "non_teknis": 5, "lainnya": 1},
                    tiket_per_kanal={"web": 51, "telepon": 20})
    beda = selisih_laporan(final, dict_laporan(ringkasan(helpdesk=baru)))

    assert any(s.baris == "lainnya" and s.final is None and s.sekarang == 1 for s in beda)


def test_the_documented_json_shape_matches_what_the_renderer_writes():
    LaporanPublic.model_validate(json.loads(ke_json(susun_laporan(S1_2026, ringkasan(), ringkasan_kosong(
        S1_2026.sebelumnya())))))


@pytest.mark.parametrize(("tahun", "semester", "field"), [(2031, 3, "path.semester"), (2031, 0, "path.semester"),
                                                          (2000, 1, "path.tahun"), (2101, None, "path.tahun")])
def test_a_period_outside_the_calendar_is_refused_naming_the_path_parameter(tahun, semester, field):
    with pytest.raises(ValidationFailed) as galat:
        service.periode_laporan(tahun, semester)

    assert [e.field for e in galat.value.errors] == [field]


def test_the_gauges_take_every_number_of_the_indicators_and_nan_for_na():
    data = service.indikator_kosong(datetime(2026, 11, 30, tzinfo=UTC))

    angka = service.angka_metrik(data)

    assert angka["pendaftaran.total"] == 0
    assert angka["pendaftaran.per_status.diajukan"] == 0
    assert angka["helpdesk.tiket_per_status.menunggu_pelapor"] == 0
    assert math.isnan(angka["helpdesk.sla_respons_persen_semester_ini"])
    assert "diperbarui_pada" not in angka and not any(k.startswith("periode") for k in angka)
    assert data.periode.kode == "2026-S2"
