from datetime import timedelta

import pytest

from services.pokja.ambang import PERPRES_46_2025_BERLAKU
from services.pokja.domain import (
    PaketDitugaskan,
    PejabatPengadaan,
    PejabatPengadaanDitugaskan,
)
from shared.errors import Conflict, RuleViolation

from .contoh import HARI_INI, JUTA, SATKER_UKPBJ, nip, paket, pejabat, pengelola, pns, sertifikat

P53 = "Permendagri 53/2021"
PASAL_12A = f"Pasal 12 huruf a {P53}"
PASAL_12B = f"Pasal 12 huruf b {P53}"
PASAL_16 = f"Pasal 16 {P53}"
ATURAN_SERTIFIKAT = f"{PASAL_16} jo. Perlem LKPP 7/2021"
ATURAN_SPSE = f"Lampiran huruf A angka 2.3 huruf c {P53}"


def tugaskan(pegawai, nomor_permintaan_kpa="KPA/01/2025"):
    return PejabatPengadaan.tugaskan(pegawai=pegawai, satuan_kerja=SATKER_UKPBJ,
                                     nomor_permintaan_kpa=nomor_permintaan_kpa, tanggal=HARI_INI)


def paket_pl(**ubah):
    isian = dict(pagu=150 * JUTA, hps=150 * JUTA) | ubah
    return paket(**isian)


# --- assignment ---


@pytest.mark.parametrize("sert", [
    sertifikat(level=2),
    sertifikat(jenis="keahlian", level=3),
    sertifikat(jenis="jf_ppbj", level=1),
    sertifikat(level=2, berlaku_sampai=HARI_INI),
])
def test_pengelola_pbj_bersertifikat_level_2_atau_jf_ppbj_ditugaskan_sebagai_pejabat(sert):
    pp = tugaskan(pengelola(50, sertifikat=[sert]))
    assert pp.events == [PejabatPengadaanDitugaskan(nip(50), SATKER_UKPBJ, "KPA/01/2025")]


@pytest.mark.parametrize("sert", [
    [], [sertifikat(level=1)], [sertifikat(level=2, berlaku_sampai=HARI_INI - timedelta(days=1))],
    [sertifikat(jenis="pelatihan", level=3)],
])
def test_pejabat_tanpa_sertifikat_level_2_atau_jf_ppbj_yang_berlaku_ditolak(sert):
    with pytest.raises(RuleViolation) as e:
        tugaskan(pengelola(50, sertifikat=sert))
    assert e.value.rule == ATURAN_SERTIFIKAT
    assert e.value.extra["nip"] == [nip(50)]


@pytest.mark.parametrize("pegawai", [
    pns(50, sertifikat=[sertifikat(level=2)]),
    pengelola(50, unit="luar_ukpbj", sertifikat=[sertifikat(level=2)]),
])
def test_pejabat_pengadaan_harus_pengelola_pbj_di_ukpbj(pegawai):
    with pytest.raises(RuleViolation) as e:
        tugaskan(pegawai)
    assert e.value.rule == PASAL_16


@pytest.mark.parametrize("nomor", ["", "  ", None])
def test_penugasan_tanpa_nomor_permintaan_kpa_ditolak_dengan_menyebut_pasal_16(nomor):
    with pytest.raises(RuleViolation) as e:
        tugaskan(pengelola(50, sertifikat=[sertifikat(level=2)]), nomor_permintaan_kpa=nomor)
    assert e.value.rule == PASAL_16
    assert e.value.errors[0].field == "nomor_permintaan_kpa"


@pytest.mark.parametrize(("ubah", "rule"), [
    ({"status_spse": "nonaktif"}, ATURAN_SPSE),
    ({"status_spse": "kedaluwarsa"}, ATURAN_SPSE),
    ({"peran_lpse": "admin_sistem"}, PASAL_12B),
])
def test_pejabat_dengan_user_spse_mati_atau_peran_lpse_ditolak(ubah, rule):
    with pytest.raises(RuleViolation) as e:
        tugaskan(pengelola(50, sertifikat=[sertifikat(level=2)], **ubah))
    assert e.value.rule == rule


# --- packages for a Pejabat Pengadaan ---


def test_paket_dalam_batas_pengadaan_langsung_ditugaskan_kepada_pejabat():
    pp = pejabat()
    pp.tugaskan_paket(paket_pl(hps=200 * JUTA, pagu=200 * JUTA), tanggal=HARI_INI)
    assert pp.paket == ["PKT-001"]
    assert pp.events[-1] == PaketDitugaskan("PKT-001", "pejabat_pengadaan", nip(50))


@pytest.mark.parametrize(("jenis", "hps", "batas"), [
    ("barang", 200 * JUTA + 1, "Rp200.000.000"),
    ("jasa_konsultansi", 100 * JUTA + 1, "Rp100.000.000"),
    ("pekerjaan_konstruksi", 400 * JUTA + 1, "Rp400.000.000"),
])
def test_paket_di_atas_batas_pengadaan_langsung_ditolak_dengan_menyebut_batas_dan_nilai(
    jenis, hps, batas
):
    pp = pejabat()
    pkt = paket_pl(jenis_pengadaan=jenis, hps=hps, pagu=hps)
    with pytest.raises(RuleViolation) as e:
        pp.tugaskan_paket(pkt, tanggal=HARI_INI)
    assert batas in e.value.detail
    assert f"Rp{hps:,}".replace(",", ".") in e.value.detail
    assert e.value.extra["batas"] < e.value.extra["nilai"] == hps
    assert pp.paket == []


@pytest.mark.parametrize(("tanggal", "diterima"), [
    (PERPRES_46_2025_BERLAKU - timedelta(days=1), False), (PERPRES_46_2025_BERLAKU, True),
])
def test_paket_konstruksi_300_juta_bagi_pejabat_bergantung_pada_tanggal_perpres_46_2025(
    tanggal, diterima
):
    pp = pejabat()
    pkt = paket_pl(jenis_pengadaan="pekerjaan_konstruksi", hps=300 * JUTA, pagu=300 * JUTA,
                   tanggal=tanggal)
    if diterima:
        pp.tugaskan_paket(pkt, tanggal=tanggal)
        assert pp.paket == ["PKT-001"]
    else:
        with pytest.raises(RuleViolation, match="Perpres 16/2018"):
            pp.tugaskan_paket(pkt, tanggal=tanggal)


def test_paket_satker_lain_tidak_dapat_ditugaskan_kepada_pejabat():
    pp = pejabat()
    with pytest.raises(RuleViolation) as e:
        pp.tugaskan_paket(paket_pl(satuan_kerja="Ditjen Dukcapil"), tanggal=HARI_INI)
    assert e.value.rule == PASAL_16


def test_pejabat_yang_menjadi_ppk_paket_tidak_dapat_menerima_paket_itu():
    pp = pejabat()
    with pytest.raises(RuleViolation) as e:
        pp.tugaskan_paket(paket_pl(ppk_nip=nip(50)), tanggal=HARI_INI)
    assert e.value.rule == PASAL_12A


def test_paket_yang_sudah_ditugaskan_kepada_pejabat_yang_sama_ditolak_sebagai_konflik():
    pp = pejabat()
    pp.tugaskan_paket(paket_pl(), tanggal=HARI_INI)
    with pytest.raises(Conflict):
        pp.tugaskan_paket(paket_pl(), tanggal=HARI_INI)
