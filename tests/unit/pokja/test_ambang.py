from datetime import date, timedelta

import pytest

from services.pokja.ambang import (
    DEFAULT,
    PERPRES_46_2025_BERLAKU,
    AmbangBerlaku,
    ambang_pada,
)
from services.pokja.domain import (
    JENIS_PENGADAAN,
    batas_pengadaan_langsung,
    penetap_pemenang,
    tentukan_metode,
)
from shared.errors import ValidationFailed

JUTA = 1_000_000
MILIAR = 1_000_000_000
SEBELUM_46 = PERPRES_46_2025_BERLAKU - timedelta(days=1)
SESUDAH_46 = PERPRES_46_2025_BERLAKU


@pytest.mark.parametrize(
    ("jenis", "nilai", "tanggal", "metode"),
    [
        ("barang", 200 * JUTA, SESUDAH_46, "pengadaan_langsung"),
        ("barang", 200 * JUTA + 1, SESUDAH_46, "tender"),
        ("jasa_lainnya", 200 * JUTA, SESUDAH_46, "pengadaan_langsung"),
        ("jasa_lainnya", 200 * JUTA + 1, SESUDAH_46, "tender"),
        ("jasa_konsultansi", 100 * JUTA, SESUDAH_46, "pengadaan_langsung"),
        ("jasa_konsultansi", 100 * JUTA + 1, SESUDAH_46, "seleksi"),
        ("pekerjaan_konstruksi", 200 * JUTA, SEBELUM_46, "pengadaan_langsung"),
        ("pekerjaan_konstruksi", 200 * JUTA + 1, SEBELUM_46, "tender"),
        ("pekerjaan_konstruksi", 400 * JUTA, SEBELUM_46, "tender"),
        ("pekerjaan_konstruksi", 400 * JUTA, SESUDAH_46, "pengadaan_langsung"),
        ("pekerjaan_konstruksi", 400 * JUTA + 1, SESUDAH_46, "tender"),
        ("barang", 0, SESUDAH_46, "pengadaan_langsung"),
    ],
)
def test_metode_pemilihan_mengikuti_batas_nilai_yang_berlaku_pada_tanggalnya(
    jenis, nilai, tanggal, metode
):
    assert tentukan_metode(jenis, nilai, tanggal) == metode


@pytest.mark.parametrize(
    ("tanggal", "batas", "dasar"),
    [
        (SEBELUM_46, 200 * JUTA, "Perpres 16/2018 jo. Perpres 12/2021"),
        (SESUDAH_46, 400 * JUTA, "Perpres 46/2025"),
        (date(2030, 1, 1), 400 * JUTA, "Perpres 46/2025"),
    ],
)
def test_batas_pengadaan_langsung_konstruksi_naik_tepat_pada_tanggal_berlaku_perpres_46_2025(
    tanggal, batas, dasar
):
    assert batas_pengadaan_langsung("pekerjaan_konstruksi", tanggal) == (batas, dasar)


@pytest.mark.parametrize(("jenis", "batas"), [
    ("barang", 200 * JUTA), ("jasa_lainnya", 200 * JUTA), ("jasa_konsultansi", 100 * JUTA),
])
def test_perpres_46_2025_tidak_mengubah_batas_selain_konstruksi(jenis, batas):
    assert batas_pengadaan_langsung(jenis, SEBELUM_46)[0] == batas
    assert batas_pengadaan_langsung(jenis, SESUDAH_46)[0] == batas


def test_tanggal_sebelum_ambang_pertama_berlaku_ditolak():
    with pytest.raises(ValidationFailed, match="2018-07-01"):
        tentukan_metode("barang", 1, date(2018, 6, 30))


def test_setiap_entri_ambang_mencakup_tepat_semua_jenis_pengadaan():
    for entri in DEFAULT:
        assert set(entri.pengadaan_langsung) == set(JENIS_PENGADAAN)
        assert set(entri.pemenang_oleh_pokja) == set(JENIS_PENGADAAN)


def test_entri_ambang_tersusun_menurut_tanggal_mulai_tanpa_tanggal_ganda():
    mulai = [a.berlaku_mulai for a in DEFAULT]
    assert mulai == sorted(set(mulai))


def test_ambang_yang_berlaku_adalah_entri_terakhir_yang_sudah_dimulai():
    lama = AmbangBerlaku(date(2020, 1, 1), "lama", {"barang": 10}, {"barang": 1})
    baru = AmbangBerlaku(date(2024, 1, 1), "baru", {"barang": 20}, {"barang": 2})
    assert ambang_pada(date(2023, 12, 31), (baru, lama)) is lama
    assert ambang_pada(date(2024, 1, 1), (baru, lama)) is baru


def test_tabel_ambang_lain_dapat_diberikan_sebagai_konfigurasi():
    tabel = (AmbangBerlaku(date(2020, 1, 1), "uji", {"barang": 50}, {"barang": 1}),)
    assert tentukan_metode("barang", 50, date(2025, 1, 1), ambang=tabel) == "pengadaan_langsung"
    assert tentukan_metode("barang", 51, date(2025, 1, 1), ambang=tabel) == "tender"


@pytest.mark.parametrize("nilai", [200_000_000.0, -1, True, "200000000", None])
def test_nilai_yang_bukan_bilangan_bulat_rupiah_tidak_negatif_ditolak(nilai):
    with pytest.raises(ValidationFailed) as e:
        tentukan_metode("barang", nilai, SESUDAH_46)
    assert e.value.errors[0].field == "nilai"


def test_jenis_pengadaan_yang_tidak_dikenal_ditolak():
    with pytest.raises(ValidationFailed) as e:
        tentukan_metode("sewa", 1, SESUDAH_46)
    assert e.value.errors[0].field == "jenis_pengadaan"


@pytest.mark.parametrize(
    ("jenis", "pagu", "penetap"),
    [
        ("barang", 100 * MILIAR, "pokja"),
        ("barang", 100 * MILIAR + 1, "pa"),
        ("pekerjaan_konstruksi", 100 * MILIAR, "pokja"),
        ("pekerjaan_konstruksi", 100 * MILIAR + 1, "pa"),
        ("jasa_lainnya", 100 * MILIAR + 1, "pa"),
        ("jasa_konsultansi", 10 * MILIAR, "pokja"),
        ("jasa_konsultansi", 10 * MILIAR + 1, "pa"),
    ],
)
def test_pokja_menetapkan_pemenang_sampai_batas_pagu_dan_pa_di_atasnya(jenis, pagu, penetap):
    assert penetap_pemenang(jenis, pagu, SESUDAH_46) == penetap
