from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.registrasi.identitas import (
    normalisasi_npwp,
    periksa_nik_nip,
    samarkan,
    validasi_nib,
    validasi_nik,
    validasi_nip,
    validasi_nitku,
)
from shared.errors import ValidationFailed


def pesan(galat: pytest.ExceptionInfo[ValidationFailed]) -> str:
    return " | ".join(e.message for e in galat.value.errors)


# --- NIK ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("nik", "wilayah", "perempuan", "lahir"), [
    ("3201011708450001", "3201", False, date(1945, 8, 17)),
    ("3174075508950001", "3174", True, date(1995, 8, 15)),
    ("3578104101800123", "3578", True, date(1980, 1, 1)),
    ("1171023112990002", "1171", False, date(1999, 12, 31)),
    ("5171017112010001", "5171", True, date(2001, 12, 31)),
    ("7371126906880004", "7371", True, date(1988, 6, 29)),
    ("6571014503880002", "6571", True, date(1988, 3, 5)),
    ("9671020107770009", "9671", False, date(1977, 7, 1)),
    ("3201016902000001", "3201", True, date(2000, 2, 29)),
    ("3201012902960001", "3201", False, date(1996, 2, 29)),
    ("3201010101009999", "3201", False, date(2000, 1, 1)),
])
def test_a_real_shaped_nik_is_accepted_and_decoded(nik, wilayah, perempuan, lahir):
    hasil = validasi_nik(nik)
    assert (hasil.kode_wilayah, hasil.perempuan) == (wilayah, perempuan)
    assert hasil.tanggal_lahir(date(2025, 6, 1)) == lahir
    assert hasil.wilayah_lama is False


def test_a_nik_names_its_region_from_the_kemendagri_table():
    assert validasi_nik("3201011708450001").nama_wilayah == "Kabupaten Bogor"


@pytest.mark.parametrize("nik", ["9471015708900003", "6473012304850001", "6404011708700002"])
def test_a_nik_with_a_code_retired_by_pemekaran_is_accepted_and_flagged_as_old(nik):
    hasil = validasi_nik(nik)
    assert hasil.wilayah_lama is True
    assert hasil.nama_wilayah is None


def test_a_nik_keeps_both_centuries_when_both_dates_exist():
    assert validasi_nik("3201011708050001").kandidat_tanggal_lahir == (date(1905, 8, 17), date(2005, 8, 17))


def test_a_nik_born_29_february_00_can_only_be_2000_because_1900_was_not_a_leap_year():
    assert validasi_nik("3201012902000001").kandidat_tanggal_lahir == (date(2000, 2, 29),)


def test_the_chosen_birth_date_is_the_latest_candidate_not_in_the_future():
    hasil = validasi_nik("3201011708050001")
    assert hasil.tanggal_lahir(date(2025, 1, 1)) == date(2005, 8, 17)
    assert hasil.tanggal_lahir(date(2005, 8, 16)) == date(1905, 8, 17)


@pytest.mark.parametrize(("nik", "bagian"), [
    ("320101170845000", "NIK harus 16 digit angka; diterima 15 digit."),
    ("32010117084500011", "NIK harus 16 digit angka; diterima 17 digit."),
    ("", "NIK harus 16 digit angka; isian kosong."),
    ("3201-0117084500a", 'ditemukan karakter bukan angka "-a"'),
    ("3201 0117 0845 0001", 'ditemukan karakter bukan angka " "'),
    ("320101170845000\u0661", 'ditemukan karakter bukan angka "\u0661"'),
    ("9999011708450001", "Kode wilayah pada NIK (digit 1-4) tidak ada dalam tabel kode wilayah Kemendagri: 9999."),
    ("3200011708450001", "tidak ada dalam tabel kode wilayah Kemendagri: 3200."),
    ("0000011708450001", "Kemendagri: 0000."),
    ("3201010001900001", "Tanggal lahir pada NIK (digit 7-12) tidak valid: 000190; tanggal harus 01-31, atau 41-71"),
    ("3201013201900001", "tidak valid: 320190; tanggal harus 01-31, atau 41-71 untuk perempuan."),
    ("3201014001900001", "tidak valid: 400190; tanggal harus 01-31"),
    ("3201017201900001", "tidak valid: 720190; tanggal harus 01-31"),
    ("3201011500900001", "tidak valid: 150090; bulan harus 01-12."),
    ("3201011513900001", "tidak valid: 151390; bulan harus 01-12."),
    ("3201013102990001", "tidak valid: 310299; tanggal 31-02 tidak ada pada tahun 1999 maupun 2099."),
    ("3201012902010001", "tanggal 29-02 tidak ada pada tahun 1901 maupun 2001."),
    ("3201016902010001", "tidak valid: 690201; tanggal 29-02 tidak ada"),
    ("3201017104900001", "tidak valid: 710490; tanggal 31-04 tidak ada"),
    ("3201013106850001", "tanggal 31-06 tidak ada"),
    ("3201011708450000", "Nomor urut pada NIK (digit 13-16) harus 0001 atau lebih; diterima 0000."),
])
def test_an_invalid_nik_is_refused_with_a_specific_message(nik, bagian):
    with pytest.raises(ValidationFailed) as galat:
        validasi_nik(nik)
    assert bagian in pesan(galat)
    assert {e.field for e in galat.value.errors} == {"nik"}


def test_every_problem_of_a_nik_is_reported_at_once():
    with pytest.raises(ValidationFailed) as galat:
        validasi_nik("9999013102990000")
    assert len(galat.value.errors) == 3


def test_a_nik_error_names_the_nested_field_the_caller_gives():
    with pytest.raises(ValidationFailed) as galat:
        validasi_nik("9999011708450001", field="penanggung_jawab.nik")
    assert galat.value.errors[0].field == "penanggung_jawab.nik"
    assert galat.value.detail.startswith("penanggung_jawab.nik: ")


def test_surrounding_whitespace_around_a_nik_is_ignored():
    assert validasi_nik(" 3201011708450001\n").nik == "3201011708450001"


@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.booleans(), st.integers(1, 9999))
def test_any_real_date_and_sex_encoded_in_a_nik_round_trip(lahir, perempuan, urut):
    hari = lahir.day + (40 if perempuan else 0)
    nik = f"320101{hari:02d}{lahir:%m%y}{urut:04d}"
    hasil = validasi_nik(nik)
    assert lahir in hasil.kandidat_tanggal_lahir
    assert hasil.perempuan is perempuan


# --- NIP ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("nip", "lahir", "tmt", "perempuan"), [
    ("199005122015031002", date(1990, 5, 12), (2015, 3), False),
    ("198512302010122001", date(1985, 12, 30), (2010, 12), True),
    ("196808171990031003", date(1968, 8, 17), (1990, 3), False),
    ("200002292024022001", date(2000, 2, 29), (2024, 2), True),
    ("197001011990011999", date(1970, 1, 1), (1990, 1), False),
    ("199005122015061001", date(1990, 5, 12), (2015, 6), False),
    ("199005121990061001", date(1990, 5, 12), (1990, 6), False),
])
def test_a_real_shaped_nip_is_accepted_and_decoded(nip, lahir, tmt, perempuan):
    hasil = validasi_nip(nip)
    assert (hasil.tanggal_lahir, hasil.tmt_cpns, hasil.perempuan) == (lahir, tmt, perempuan)


@pytest.mark.parametrize(("nip", "bagian"), [
    ("19900512201503100", "NIP harus 18 digit angka; diterima 17 digit."),
    ("1990051220150310021", "NIP harus 18 digit angka; diterima 19 digit."),
    ("19900512 201503 1 002", 'ditemukan karakter bukan angka " "'),
    ("199013122015031002", "Tanggal lahir pada NIP (digit 1-8) tidak valid: 19901312"),
    ("199002302015031002", "Tanggal lahir pada NIP (digit 1-8) tidak valid: 19900230"),
    ("190002292015031002", "tidak valid: 19000229"),
    ("180005122015031002", "tidak valid: 18000512"),
    ("199005002015031002", "tidak valid: 19900500"),
    ("199005122015131002", "TMT CPNS pada NIP (digit 9-14) tidak valid: 201513; format TTTTBB dengan bulan 01-12."),
    ("199005122015001002", "TMT CPNS pada NIP (digit 9-14) tidak valid: 201500"),
    ("199005121990051002", "TMT CPNS pada NIP (digit 9-14) 199005 harus setelah bulan lahir 199005."),
    ("199005121985011002", "TMT CPNS pada NIP (digit 9-14) 198501 harus setelah bulan lahir 199005."),
    ("199005122015033002", "Digit 15 NIP (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan); diterima 3."),
    ("199005122015030002", "diterima 0."),
    ("199005122015031000", "Nomor urut pada NIP (digit 16-18) harus 001 atau lebih; diterima 000."),
])
def test_an_invalid_nip_is_refused_with_a_specific_message(nip, bagian):
    with pytest.raises(ValidationFailed) as galat:
        validasi_nip(nip)
    assert bagian in pesan(galat)


# --- NIK and NIP together ----------------------------------------------------------------------------

@pytest.mark.parametrize(("nik", "nip"), [
    ("3201011205900001", "199005122015031002"),
    ("3201015205900001", "199005122015032002"),
    ("3174077012850003", "198512302010122001"),
    ("3201016902000001", "200002292024022001"),
])
def test_a_nik_and_nip_that_agree_on_sex_and_birth_date_pass(nik, nip):
    hasil_nik, hasil_nip = periksa_nik_nip(nik, nip)
    assert hasil_nik.perempuan is hasil_nip.perempuan


@pytest.mark.parametrize(("nik", "nip", "bagian"), [
    ("3201015205900001", "199005122015031002",
     "Jenis kelamin pada NIK (perempuan) tidak sesuai dengan digit 15 NIP (1 = laki-laki)."),
    ("3201011205900001", "199005122015032002",
     "Jenis kelamin pada NIK (laki-laki) tidak sesuai dengan digit 15 NIP (2 = perempuan)."),
    ("3201011305900001", "199005122015031002",
     "Tanggal lahir pada NIK (130590, HHBBTT) tidak sama dengan tanggal lahir pada NIP (19900512, TTTTBBHH)."),
    ("3201011206900001", "199005122015031002", "tidak sama dengan tanggal lahir pada NIP"),
    ("3201011205910001", "199005122015031002", "Tanggal lahir pada NIK (120591"),
])
def test_a_nik_and_nip_that_disagree_are_refused_on_the_nip_field(nik, nip, bagian):
    with pytest.raises(ValidationFailed) as galat:
        periksa_nik_nip(nik, nip)
    assert bagian in pesan(galat)
    assert {e.field for e in galat.value.errors} == {"nip"}


def test_a_nik_that_differs_from_the_nip_in_both_sex_and_date_reports_both():
    with pytest.raises(ValidationFailed) as galat:
        periksa_nik_nip("3201015305900001", "199005122015031002")
    assert len(galat.value.errors) == 2


def test_an_invalid_nik_and_nip_are_both_reported_before_any_comparison():
    with pytest.raises(ValidationFailed) as galat:
        periksa_nik_nip("9999011205900001", "199005122015031000", field_nik="a.nik", field_nip="a.nip")
    assert {e.field for e in galat.value.errors} == {"a.nik", "a.nip"}


# --- NPWP --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("masukan", "npwp16"), [
    ("01.312.166.0-091.000", "0013121660091000"),
    ("013121660091000", "0013121660091000"),
    ("01 312 166 0 091 000", "0013121660091000"),
    (" 01.300.066.6-091.000 ", "0013000666091000"),
    ("01.609.052.4-017.000", "0016090524017000"),
    ("01-552-918-3-091-001", "0015529183091001"),
])
def test_a_legacy_15_digit_npwp_gets_a_zero_prefix_and_is_flagged(masukan, npwp16):
    hasil = normalisasi_npwp(masukan)
    assert (hasil.npwp16, hasil.legacy) == (npwp16, True)
    assert any("format lama" in p for p in hasil.peringatan)
    assert not any("Luhn" in p for p in hasil.peringatan)


@pytest.mark.parametrize("masukan", ["0013121660091000", "0013.1216.6009.1000", "0016090524017000"])
def test_a_16_digit_npwp_with_a_zero_prefix_and_a_good_check_digit_has_no_warning(masukan):
    hasil = normalisasi_npwp(masukan)
    assert (hasil.legacy, hasil.peringatan, hasil.berbasis_nik) == (False, [], False)


@pytest.mark.parametrize("masukan", ["0013121661091000", "0013000667091000", "01.312.166.1-091.000"])
def test_a_zero_prefixed_npwp_failing_luhn_is_accepted_with_a_warning_only(masukan):
    hasil = normalisasi_npwp(masukan)
    assert hasil.npwp16.startswith("0")
    assert any("tidak lolos uji Luhn" in p and "hanya peringatan" in p for p in hasil.peringatan)


@pytest.mark.parametrize("masukan", ["3201011708450001", "3174.0755.0895.0001", "3174-075508-950001"])
def test_a_16_digit_npwp_not_starting_with_zero_is_a_nik(masukan):
    hasil = normalisasi_npwp(masukan)
    assert (hasil.legacy, hasil.berbasis_nik, hasil.peringatan) == (False, True, [])


@pytest.mark.parametrize(("masukan", "bagian"), [
    ("9999011708450001", "Kode wilayah pada NPWP orang pribadi (= NIK) (digit 1-4)"),
    ("3201013102990001", "Tanggal lahir pada NPWP orang pribadi (= NIK) (digit 7-12) tidak valid: 310299"),
    ("3201011708450000", "Nomor urut pada NPWP orang pribadi (= NIK)"),
    ("01.312.166.0-091.00", "NPWP harus 16 digit (atau 15 digit format lama); diterima 14 digit."),
    ("00131216600910001", "diterima 17 digit."),
    ("01/312/166/0/091/000", 'NPWP hanya boleh berisi angka, titik, tanda hubung, dan spasi; ditemukan "/".'),
    ("NPWP0131216600910", 'ditemukan "NPW".'),
    (" .- ", "NPWP wajib diisi."),
])
def test_an_invalid_npwp_is_refused_with_a_specific_message(masukan, bagian):
    with pytest.raises(ValidationFailed) as galat:
        normalisasi_npwp(masukan, field="data.npwp")
    assert bagian in pesan(galat)
    assert galat.value.errors[0].field == "data.npwp"


@given(st.text("0123456789", min_size=15, max_size=15))
def test_punctuation_never_changes_a_legacy_npwp(angka):
    bertanda = f"{angka[:2]}.{angka[2:5]}.{angka[5:8]}.{angka[8]}-{angka[9:12]}.{angka[12:]}"
    assert normalisasi_npwp(bertanda) == normalisasi_npwp(angka)


# --- NIB and NITKU ----------------------------------------------------------------------------------

@pytest.mark.parametrize("nib", ["9120001234567", "0220000123456", "8120115260519"])
def test_a_13_digit_nib_is_accepted(nib):
    assert validasi_nib(nib) == nib


@pytest.mark.parametrize(("nib", "bagian"), [
    ("912000123456", "NIB harus 13 digit angka; diterima 12 digit."),
    ("91200012345678", "diterima 14 digit."),
    ("9120-00123456", 'ditemukan karakter bukan angka "-"'),
])
def test_an_invalid_nib_is_refused(nib, bagian):
    with pytest.raises(ValidationFailed) as galat:
        validasi_nib(nib)
    assert bagian in pesan(galat)


@pytest.mark.parametrize("nitku", ["0013121660091000000000", "0013121660091000000001", "0013121660091000000123"])
def test_a_nitku_beginning_with_the_account_npwp_is_accepted(nitku):
    assert validasi_nitku(nitku, "0013121660091000") == nitku


@pytest.mark.parametrize(("nitku", "bagian"), [
    ("0013121660091001000000", "Digit 1-16 NITKU harus sama dengan NPWP 16 digit akun ini (0013********1000); "
                               "diterima 0013********1001."),
    ("3201011708450001000000", "diterima 3201********0001."),
    ("001312166009100000000", "NITKU harus 22 digit angka; diterima 21 digit."),
    ("00131216600910000000000", "diterima 23 digit."),
])
def test_a_nitku_that_does_not_match_the_npwp_or_has_the_wrong_length_is_refused(nitku, bagian):
    with pytest.raises(ValidationFailed) as galat:
        validasi_nitku(nitku, "0013121660091000")
    assert bagian in pesan(galat)


# --- masking -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("nilai", "tersamar"), [
    ("3201011708450001", "3201********0001"),
    ("0013121660091000", "0013********1000"),
    ("199005122015031002", "1990**********1002"),
    ("9120001234567", "9120*****4567"),
    ("12345678", "********"),
    ("", ""),
])
def test_masking_keeps_only_the_first_and_last_four_characters(nilai, tersamar):
    assert samarkan(nilai) == tersamar


@given(st.text("0123456789", min_size=9, max_size=30))
def test_masking_keeps_the_length_and_both_ends_and_hides_the_middle(nilai):
    tersamar = samarkan(nilai)
    assert len(tersamar) == len(nilai)
    assert (tersamar[:4], tersamar[-4:]) == (nilai[:4], nilai[-4:])
    assert set(tersamar[4:-4]) == {"*"}


@given(st.text("0123456789", max_size=8))
def test_masking_hides_a_short_value_entirely(nilai):
    assert samarkan(nilai) == "*" * len(nilai)
