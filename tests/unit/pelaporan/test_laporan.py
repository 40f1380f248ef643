import json
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.pelaporan.laporan import (
    NA,
    AgregatPaket,
    Laporan,
    persen,
    perubahan,
    susun_laporan,
)
from services.pelaporan.periode import WIB, Periode
from shared.errors import ValidationFailed
from tests.unit.pelaporan.contoh import (
    S1_2026,
    helpdesk,
    pengadaan,
    registrasi,
    ringkasan,
    ringkasan_kosong,
)


def angka(laporan: Laporan, bagian: str, kunci: str):
    return next(a for a in laporan.cari_bagian(bagian).angka_kunci if a.kunci == kunci)


def baris(laporan: Laporan, bagian: str, tabel: str, label: str) -> dict:
    t = laporan.cari_bagian(bagian).cari_tabel(tabel)
    isi = next(b for b in t.baris if b[0] == label)
    return {k.kunci: v for k, v in zip(t.kolom, isi, strict=True)}


def test_the_report_has_one_section_per_function_of_the_unit():
    laporan = susun_laporan(S1_2026, ringkasan())

    assert [b.kunci for b in laporan.bagian] == ["pengadaan", "registrasi", "helpdesk"]
    assert laporan.judul == "Laporan Semester I Tahun 2026"
    assert susun_laporan(Periode.tahunan(2026), ringkasan(Periode.tahunan(2026))).judul == "Laporan Tahunan Tahun 2026"


@pytest.mark.parametrize(
    ("bagian", "kunci"),
    [
        ("pengadaan", "persentase_gagal"),
        ("pengadaan", "efisiensi_persen"),
        ("pengadaan", "beban_rata_rata"),
        ("registrasi", "tingkat_persetujuan"),
        ("registrasi", "median_jam_keputusan"),
        ("registrasi", "p90_jam_keputusan"),
        ("helpdesk", "persentase_non_teknis"),
        ("helpdesk", "sla_respons"),
        ("helpdesk", "sla_penyelesaian"),
        ("helpdesk", "median_jam_kerja_respons"),
        ("helpdesk", "median_jam_kerja_penyelesaian"),
        ("helpdesk", "persentase_eskalasi"),
        ("helpdesk", "kepuasan_rata_rata"),
    ],
)
def test_a_ratio_with_a_zero_denominator_reads_na_and_not_zero_percent(bagian, kunci):
    laporan = susun_laporan(S1_2026, ringkasan_kosong())

    assert angka(laporan, bagian, kunci).nilai == NA


def test_counts_and_sums_of_an_empty_period_are_zero_not_na():
    laporan = susun_laporan(S1_2026, ringkasan_kosong())

    assert angka(laporan, "pengadaan", "paket_selesai").nilai == 0
    assert angka(laporan, "pengadaan", "pagu_selesai").nilai == 0
    assert angka(laporan, "helpdesk", "tiket").nilai == 0


@pytest.mark.parametrize(
    ("bagian", "tabel", "label", "kolom"),
    [
        ("pengadaan", "paket_jenis", "Jasa Lainnya", "persentase_gagal"),
        ("pengadaan", "nilai_jenis", "Jasa Lainnya", "efisiensi_persen"),
        ("pengadaan", "nilai_metode", "Tender Cepat", "efisiensi_persen"),
        ("registrasi", "keputusan", "Disetujui", "porsi"),
        ("registrasi", "status_pengguna", "Jumlah", "porsi"),
        ("helpdesk", "tiket_kategori", "Aplikasi", "porsi"),
        ("helpdesk", "tiket_kanal", "Web", "porsi"),
        ("helpdesk", "sla", "Penyelesaian", "capaian"),
    ],
)
def test_every_table_cell_with_a_zero_denominator_reads_na(bagian, tabel, label, kolom):
    laporan = susun_laporan(S1_2026, ringkasan_kosong())

    assert baris(laporan, bagian, tabel, label)[kolom] == NA


@pytest.mark.parametrize(
    ("pembilang", "penyebut", "harapan"),
    [(1, 3, "33.33"), (2, 3, "66.67"), (1, 8, "12.50"), (1, 800, "0.13"), (-1, 800, "-0.13"), (0, 5, "0.00")],
)
def test_percentages_are_decimals_rounded_half_up_to_two_places(pembilang, penyebut, harapan):
    assert persen(pembilang, penyebut) == Decimal(harapan)
    assert str(persen(pembilang, penyebut)) == harapan


def test_efficiency_is_pagu_minus_contract_over_pagu_for_each_group():
    laporan = susun_laporan(S1_2026, ringkasan())

    barang = baris(laporan, "pengadaan", "nilai_jenis", "Barang")
    assert barang["efisiensi_rupiah"] == 500_000_000
    assert barang["efisiensi_persen"] == Decimal("10.00")
    keseluruhan = angka(laporan, "pengadaan", "efisiensi_persen").nilai
    assert keseluruhan == persen(27_000_000_000 - 24_200_000_000, 27_000_000_000) == Decimal("10.37")


def test_a_negative_efficiency_is_flagged_in_its_row_key_figure_and_remarks():
    mahal = pengadaan(
        per_jenis=(AgregatPaket("pekerjaan_konstruksi", 1, 0, 1_000_000_000, 1_000_000_000, 1_050_000_000, 0),),
        per_metode=(AgregatPaket("tender", 1, 0, 1_000_000_000, 1_000_000_000, 1_050_000_000, 0),),
    )
    laporan = susun_laporan(S1_2026, ringkasan(pengadaan=mahal))
    bagian = laporan.cari_bagian("pengadaan")
    tabel = bagian.cari_tabel("nilai_jenis")
    i = next(i for i, b in enumerate(tabel.baris) if b[0] == "Pekerjaan Konstruksi")

    assert tabel.baris[i][5] == Decimal("-5.00")
    assert tabel.ditandai(i) and tabel.baris[i][6] == "Efisiensi negatif"
    assert angka(laporan, "pengadaan", "efisiensi_persen").ditandai
    assert any("Pekerjaan Konstruksi" in c and "Rp1.050.000.000" in c for c in bagian.catatan)


def test_a_positive_efficiency_is_not_flagged():
    laporan = susun_laporan(S1_2026, ringkasan())
    bagian = laporan.cari_bagian("pengadaan")

    assert not any(a.ditandai for a in bagian.angka_kunci)
    assert not any(bagian.cari_tabel("nilai_jenis").baris_ditandai)
    assert bagian.catatan == ()


def test_a_contract_above_a_zero_pagu_is_flagged_even_though_the_percentage_is_na():
    aneh = pengadaan(
        per_jenis=(AgregatPaket("barang", 1, 0, 0, 0, 10_000_000, 0),),
        per_metode=(AgregatPaket("e_purchasing", 1, 0, 0, 0, 10_000_000, 0),),
    )
    laporan = susun_laporan(S1_2026, ringkasan(pengadaan=aneh))
    tabel = laporan.cari_bagian("pengadaan").cari_tabel("nilai_jenis")

    assert tabel.baris[0][5] == NA
    assert tabel.ditandai(0)
    assert angka(laporan, "pengadaan", "efisiensi_rupiah").ditandai


def test_rupiah_sums_stay_exact_integers_beyond_float_precision():
    besar = 2**53 + 1
    sangat = pengadaan(
        per_jenis=(
            AgregatPaket("barang", 1, 0, besar, besar, besar - 1, 0),
            AgregatPaket("jasa_lainnya", 1, 0, 2, 2, 1, 0),
        ),
        per_metode=(AgregatPaket("tender", 2, 0, besar + 2, besar + 2, besar, 0),),
    )
    laporan = susun_laporan(S1_2026, ringkasan(pengadaan=sangat))
    jumlah = baris(laporan, "pengadaan", "nilai_jenis", "Jumlah")

    assert jumlah["pagu"] == 2**53 + 3 and type(jumlah["pagu"]) is int
    assert json.loads(json.dumps(laporan.ke_dict()))["bagian"][0]["angka_kunci"][3]["nilai"] == 2**53 + 3


def test_a_comparison_gives_the_absolute_and_percentage_change():
    lalu = ringkasan(S1_2026.sebelumnya(), registrasi=registrasi(diajukan=100, disetujui=120))
    laporan = susun_laporan(S1_2026, ringkasan(), lalu)

    naik = angka(laporan, "registrasi", "diajukan")
    turun = angka(laporan, "registrasi", "disetujui")
    assert (naik.nilai, naik.sebelumnya, naik.selisih, naik.perubahan_persen) == (120, 100, 20, Decimal("20.00"))
    assert (turun.selisih, turun.perubahan_persen) == (-30, Decimal("-25.00"))


def test_a_comparison_against_zero_gives_the_difference_and_na_for_the_percentage():
    lalu = ringkasan(S1_2026.sebelumnya(), helpdesk=helpdesk(eskalasi_lkpp=0))
    laporan = susun_laporan(S1_2026, ringkasan(), lalu)

    eskalasi = angka(laporan, "helpdesk", "eskalasi_lkpp")
    assert (eskalasi.sebelumnya, eskalasi.selisih, eskalasi.perubahan_persen) == (0, 3, NA)


def test_a_comparison_with_an_na_figure_is_na():
    lalu = ringkasan_kosong(S1_2026.sebelumnya())
    laporan = susun_laporan(S1_2026, ringkasan(), lalu)

    sla = angka(laporan, "helpdesk", "sla_respons")
    assert (sla.sebelumnya, sla.selisih, sla.perubahan_persen) == (NA, NA, NA)


def test_without_a_previous_report_every_comparison_is_na():
    laporan = susun_laporan(S1_2026, ringkasan())

    assert not laporan.ada_pembanding
    perbandingan = {(a.sebelumnya, a.selisih, a.perubahan_persen) for b in laporan.bagian for a in b.angka_kunci}
    assert perbandingan == {(NA, NA, NA)}


def test_the_change_of_a_percentage_is_shown_in_points():
    lalu = ringkasan(S1_2026.sebelumnya(), helpdesk=helpdesk(sla_respons_terpenuhi=35))
    laporan = susun_laporan(S1_2026, ringkasan(), lalu)
    bagian = laporan.cari_bagian("helpdesk")
    tabel = bagian.tabel_angka_kunci()
    i = next(i for i, a in enumerate(bagian.angka_kunci) if a.kunci == "sla_respons")

    assert tabel.baris[i][3] == Decimal("85.71") - Decimal("50.00")
    assert tabel.jenis_sel(i, 3) == "poin"
    assert tabel.jenis_sel(i, 1) == "persen"


def test_a_change_from_a_negative_figure_is_measured_against_its_magnitude():
    assert perubahan(Decimal("5.00"), Decimal("-5.00")) == (Decimal("10.00"), Decimal("200.00"))


def test_the_previous_report_must_be_of_the_previous_period():
    with pytest.raises(ValidationFailed):
        susun_laporan(S1_2026, ringkasan(), ringkasan(Periode.semesteran(2025, 1)))


def test_the_aggregates_must_be_of_the_reported_period():
    with pytest.raises(ValidationFailed):
        susun_laporan(Periode.semesteran(2026, 2), ringkasan())


def test_a_report_taken_before_its_period_ends_is_provisional():
    awal = ringkasan(diambil_pada=datetime(2026, 6, 30, 23, 0, tzinfo=WIB))

    assert susun_laporan(S1_2026, awal).sementara
    assert not susun_laporan(S1_2026, ringkasan()).sementara


def test_a_negative_count_is_refused_naming_the_field():
    with pytest.raises(ValidationFailed) as galat:
        registrasi(ditolak=-1, ditolak_daftar_hitam=0)

    assert [e.field for e in galat.value.errors] == ["registrasi.ditolak"]


def test_blacklist_refusals_cannot_exceed_all_refusals():
    with pytest.raises(ValidationFailed) as galat:
        registrasi(ditolak=2, ditolak_daftar_hitam=3)

    assert [e.field for e in galat.value.errors] == ["registrasi.ditolak_daftar_hitam"]


def test_packages_by_method_must_add_up_to_packages_by_kind():
    with pytest.raises(ValidationFailed) as galat:
        pengadaan(per_metode=(AgregatPaket("tender", 1, 0, 1, 1, 1, 0),))

    assert [e.field for e in galat.value.errors] == ["pengadaan.per_metode"]


def test_tickets_by_channel_must_add_up_to_tickets_by_category():
    with pytest.raises(ValidationFailed) as galat:
        helpdesk(tiket_per_kanal={"web": 1})

    assert [e.field for e in galat.value.errors] == ["helpdesk.tiket_per_kanal"]


def test_hours_from_the_database_are_rounded_half_up_to_two_places():
    laporan = susun_laporan(S1_2026, ringkasan(registrasi=registrasi(median_jam_keputusan=20.455)))

    assert angka(laporan, "registrasi", "median_jam_keputusan").nilai == Decimal("20.46")


def test_an_unknown_group_code_is_listed_after_the_known_ones_under_its_own_code():
    lain = pengadaan(
        per_jenis=(AgregatPaket("barang", 1, 0, 10, 10, 9, 0),),
        per_metode=(AgregatPaket("swakelola", 1, 0, 10, 10, 9, 0),),
    )
    laporan = susun_laporan(S1_2026, ringkasan(pengadaan=lain))
    label = [b[0] for b in laporan.cari_bagian("pengadaan").cari_tabel("paket_metode").baris]

    assert label == ["Tender", "Tender Cepat", "Seleksi", "Penunjukan Langsung", "Pengadaan Langsung",
                     "E-purchasing", "swakelola", "Jumlah"]


def test_the_workload_mean_is_assignments_per_member():
    laporan = susun_laporan(S1_2026, ringkasan())

    assert angka(laporan, "pengadaan", "beban_rata_rata").nilai == Decimal("2.43")


def test_the_json_dict_has_a_stable_key_order_and_json_ready_values():
    d = susun_laporan(S1_2026, ringkasan()).ke_dict()

    assert list(d) == ["judul", "penyusun", "penerima", "dasar_hukum", "periode", "periode_sebelumnya",
                       "dibuat_pada", "sementara", "ada_pembanding", "bagian"]
    assert d["penerima"] == "Menteri Dalam Negeri melalui Sekretaris Jenderal c.q. Kepala Biro Umum"
    assert d["dibuat_pada"] == "2026-07-01T08:00:00+07:00"
    assert json.loads(json.dumps(d)) == d


def test_equal_aggregates_give_equal_reports():
    assert susun_laporan(S1_2026, ringkasan()) == susun_laporan(S1_2026, ringkasan())


@given(st.integers(-10**15, 10**15), st.integers(0, 10**15))
def test_a_percentage_never_raises_and_is_na_exactly_when_the_denominator_is_zero(pembilang, penyebut):
    hasil = persen(pembilang, penyebut)

    assert (hasil == NA) == (penyebut == 0)
    if penyebut:
        assert abs(hasil - Decimal(pembilang) * 100 / Decimal(penyebut)) <= Decimal("0.005")


def test_submissions_refused_at_the_door_for_a_blacklist_entry_are_a_key_figure_of_their_own():
    laporan = susun_laporan(S1_2026, ringkasan(registrasi=registrasi(ditolak_di_pintu=4)))

    assert angka(laporan, "registrasi", "ditolak_di_pintu").nilai == 4
    assert angka(laporan, "registrasi", "ditolak").nilai == 12


def test_out_of_scope_tickets_are_counted_from_the_flag_when_the_database_gives_it():
    dengan_tanda = susun_laporan(S1_2026, ringkasan(helpdesk=helpdesk(tiket_di_luar_lingkup=7)))
    tanpa_tanda = susun_laporan(S1_2026, ringkasan())

    assert angka(dengan_tanda, "helpdesk", "tiket_non_teknis").nilai == 7
    assert angka(dengan_tanda, "helpdesk", "persentase_non_teknis").nilai == persen(7, 70)
    assert angka(tanpa_tanda, "helpdesk", "tiket_non_teknis").nilai == 5


@pytest.mark.parametrize("nilai", [-1, 71, "3"])
def test_out_of_scope_tickets_cannot_be_negative_or_more_than_the_tickets(nilai):
    with pytest.raises(ValidationFailed) as galat:
        helpdesk(tiket_di_luar_lingkup=nilai)

    assert [e.field for e in galat.value.errors] == ["helpdesk.tiket_di_luar_lingkup"]
