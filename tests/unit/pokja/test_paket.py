from datetime import date

import pytest

from services.pokja.domain import (
    HasilPemilihan,
    HasilPemilihanDilaporkan,
    MetodePemilihanDitimpa,
    PaketDicatat,
    pastikan_pelapor_berwenang,
)
from shared.errors import Forbidden, InvalidState, RuleViolation, ValidationFailed

from .contoh import JUTA, nip, paket, pejabat, pengelola, pokja

PASAL_17 = "Pasal 17 Permendagri 53/2021"
TANGGAL_HASIL = date(2025, 7, 1)


def selesai(nilai_kontrak=800 * JUTA, pemenang="CV Maju Jaya"):
    return HasilPemilihan("selesai", TANGGAL_HASIL, nilai_kontrak, pemenang)


def paket_dengan_pokja(**ubah):
    pkt = paket(**ubah)
    return pkt, pokja(paket=[pkt])


# --- recording a package and its method ---


def test_paket_dicatat_dengan_metode_dari_ambang_dan_peristiwanya():
    pkt = paket(pagu=1_000 * JUTA, hps=900 * JUTA)
    assert (pkt.metode_pemilihan, pkt.metode) == ("tender", "tender")
    assert pkt.events == [PaketDicatat("PKT-001", "barang", 1_000 * JUTA, 900 * JUTA, "tender")]


def test_metode_ditentukan_dari_hps_bukan_dari_pagu():
    pkt = paket(pagu=300 * JUTA, hps=200 * JUTA)
    assert pkt.nilai_penentu_metode == 200 * JUTA
    assert pkt.metode_pemilihan == "pengadaan_langsung"


def test_isian_paket_yang_salah_dilaporkan_sekaligus():
    with pytest.raises(ValidationFailed) as e:
        paket(kode="", jenis_pengadaan="sewa", pagu=1.5e9, hps=0, tahun_anggaran=25)
    assert {err.field for err in e.value.errors} == {
        "kode", "jenis_pengadaan", "pagu", "hps", "tahun_anggaran",
    }


def test_hps_yang_melebihi_pagu_ditolak():
    with pytest.raises(ValidationFailed) as e:
        paket(pagu=100 * JUTA, hps=100 * JUTA + 1)
    assert [err.field for err in e.value.errors] == ["hps"]


def test_metode_manual_dicatat_bersama_alasannya():
    pkt = paket(metode_manual="tender_cepat", alasan_metode="Spesifikasi dan volume sudah pasti")
    assert pkt.metode == "tender_cepat"
    assert pkt.metode_pemilihan == "tender"
    assert pkt.events[-1] == MetodePemilihanDitimpa(
        "PKT-001", "tender_cepat", "Spesifikasi dan volume sudah pasti")


@pytest.mark.parametrize("alasan", [None, "", "  "])
def test_metode_manual_tanpa_alasan_ditolak(alasan):
    with pytest.raises(ValidationFailed) as e:
        paket(metode_manual="penunjukan_langsung", alasan_metode=alasan)
    assert [err.field for err in e.value.errors] == ["alasan_metode"]


def test_metode_dapat_ditimpa_kemudian_dengan_alasan():
    pkt = paket()
    pkt.timpa_metode("penunjukan_langsung", "Keadaan darurat", tanggal=date(2025, 6, 3))
    assert (pkt.metode, pkt.alasan_metode) == ("penunjukan_langsung", "Keadaan darurat")


def test_penimpaan_ke_pengadaan_langsung_di_atas_batas_ditolak_dengan_menyebut_batas_dan_nilai():
    with pytest.raises(RuleViolation) as e:
        paket(hps=200 * JUTA + 1, metode_manual="pengadaan_langsung", alasan_metode="cepat")
    assert e.value.rule == "Perpres 46/2025"
    assert "Rp200.000.000" in e.value.detail and "Rp200.000.001" in e.value.detail


def test_penimpaan_ke_pengadaan_langsung_di_dalam_batas_diterima():
    pkt = paket(hps=200 * JUTA, metode_manual="pengadaan_langsung", alasan_metode="nilai kecil")
    assert pkt.metode == "pengadaan_langsung"


@pytest.mark.parametrize(("jenis", "metode"), [
    ("barang", "seleksi"), ("jasa_konsultansi", "tender"), ("jasa_konsultansi", "tender_cepat"),
    ("barang", "lelang"),
])
def test_metode_manual_yang_tidak_sesuai_jenis_atau_tidak_dikenal_ditolak(jenis, metode):
    with pytest.raises(ValidationFailed) as e:
        paket(jenis_pengadaan=jenis, metode_manual=metode, alasan_metode="alasan")
    assert e.value.errors[0].field == "metode_manual"


# --- who may report (Pasal 17) ---


def test_anggota_pokja_yang_menangani_paket_berwenang_melapor():
    pkt, pk = paket_dengan_pokja()
    assert pastikan_pelapor_berwenang(nip(2), pkt, pk, None) is None


def test_pejabat_pengadaan_paket_berwenang_melapor():
    pkt = paket(hps=150 * JUTA, pagu=150 * JUTA)
    pp = pejabat()
    pp.tugaskan_paket(pkt, tanggal=date(2025, 6, 2))
    assert pastikan_pelapor_berwenang(pp.nip, pkt, None, pp) is None


@pytest.mark.parametrize(
    "siapa", ["bukan_anggota", "pokja_lain", "pejabat_lain", "tanpa_pelaksana"]
)
def test_selain_pokja_atau_pejabat_pengadaan_paket_itu_ditolak_dengan_menyebut_pasal_17(siapa):
    pkt = paket()
    pokja_paket = pokja(paket=[pkt])
    pokja_lain = pokja([pengelola(11), pengelola(12), pengelola(13)], id="pokja-2")
    pelapor, pk, pp = {
        "bukan_anggota": (nip(11), pokja_paket, None),
        "pokja_lain": (nip(11), pokja_lain, None),
        "pejabat_lain": (nip(50), None, pejabat()),
        "tanpa_pelaksana": (nip(1), None, None),
    }[siapa]
    with pytest.raises(Forbidden, match=PASAL_17) as e:
        pastikan_pelapor_berwenang(pelapor, pkt, pk, pp)
    assert e.value.extra["rule"] == PASAL_17


def test_anggota_pokja_yang_sudah_dibubarkan_tidak_berwenang_melapor():
    pkt, pk = paket_dengan_pokja()
    pk.bubarkan("Reorganisasi")
    with pytest.raises(Forbidden):
        pastikan_pelapor_berwenang(nip(1), pkt, pk, None)


# --- the selection report ---


def test_hasil_selesai_dicatat_beserta_peristiwanya():
    pkt, pk = paket_dengan_pokja()
    pkt.laporkan_hasil(selesai(), pelapor_nip=nip(1), pokja=pk, pejabat=None)
    assert pkt.hasil == selesai()
    assert pkt.events[-1] == HasilPemilihanDilaporkan(
        "PKT-001", "selesai", 800 * JUTA, "CV Maju Jaya", TANGGAL_HASIL, nip(1))


@pytest.mark.parametrize(("hasil", "field"), [
    (selesai(nilai_kontrak=None), "nilai_kontrak"),
    (selesai(nilai_kontrak=0), "nilai_kontrak"),
    (selesai(nilai_kontrak=-5), "nilai_kontrak"),
    (selesai(nilai_kontrak=800_000_000.0), "nilai_kontrak"),
    (selesai(nilai_kontrak=1_000 * JUTA + 1), "nilai_kontrak"),
    (selesai(pemenang=None), "pemenang"),
    (selesai(pemenang=" "), "pemenang"),
    (HasilPemilihan("gagal", TANGGAL_HASIL, nilai_kontrak=1), "nilai_kontrak"),
    (HasilPemilihan("gagal", TANGGAL_HASIL, pemenang="CV A"), "pemenang"),
    (HasilPemilihan("batal", TANGGAL_HASIL), "status"),
])
def test_hasil_pemilihan_yang_tidak_lengkap_atau_tidak_wajar_ditolak(hasil, field):
    pkt, pk = paket_dengan_pokja()
    with pytest.raises(ValidationFailed) as e:
        pkt.laporkan_hasil(hasil, pelapor_nip=nip(1), pokja=pk, pejabat=None)
    assert [err.field for err in e.value.errors] == [field]
    assert pkt.hasil is None


def test_nilai_kontrak_yang_sama_dengan_pagu_diterima():
    pkt, pk = paket_dengan_pokja()
    pkt.laporkan_hasil(selesai(nilai_kontrak=1_000 * JUTA), pelapor_nip=nip(1), pokja=pk,
                       pejabat=None)
    assert pkt.hasil.nilai_kontrak == 1_000 * JUTA


def test_pemilihan_gagal_dapat_diikuti_laporan_selesai():
    pkt, pk = paket_dengan_pokja()
    gagal = HasilPemilihan("gagal", TANGGAL_HASIL, keterangan="Tidak ada penawaran")
    pkt.laporkan_hasil(gagal, pelapor_nip=nip(1), pokja=pk, pejabat=None)
    pkt.laporkan_hasil(selesai(), pelapor_nip=nip(2), pokja=pk, pejabat=None)
    assert pkt.hasil.status == "selesai"


def test_paket_yang_sudah_selesai_tidak_dapat_dilaporkan_lagi():
    pkt, pk = paket_dengan_pokja()
    pkt.laporkan_hasil(selesai(), pelapor_nip=nip(1), pokja=pk, pejabat=None)
    with pytest.raises(InvalidState):
        pkt.laporkan_hasil(selesai(pemenang="CV Lain"), pelapor_nip=nip(1), pokja=pk, pejabat=None)
    assert pkt.hasil.pemenang == "CV Maju Jaya"


def test_metode_paket_yang_sudah_selesai_dipilih_tidak_dapat_ditimpa():
    pkt, pk = paket_dengan_pokja()
    pkt.laporkan_hasil(selesai(), pelapor_nip=nip(1), pokja=pk, pejabat=None)
    with pytest.raises(InvalidState):
        pkt.timpa_metode("tender_cepat", "terlambat", tanggal=TANGGAL_HASIL)
    assert pkt.metode == "tender"


def test_metode_paket_yang_pemilihannya_gagal_dapat_ditimpa_untuk_pemilihan_ulang():
    pkt, pk = paket_dengan_pokja()
    pkt.laporkan_hasil(HasilPemilihan("gagal", TANGGAL_HASIL), pelapor_nip=nip(1), pokja=pk,
                       pejabat=None)
    pkt.timpa_metode("penunjukan_langsung", "Tender ulang gagal", tanggal=TANGGAL_HASIL)
    assert pkt.metode == "penunjukan_langsung"


def test_laporan_dari_yang_tidak_berwenang_ditolak_sebelum_isinya_diperiksa():
    pkt, pk = paket_dengan_pokja()
    with pytest.raises(Forbidden):
        pkt.laporkan_hasil(selesai(nilai_kontrak=None), pelapor_nip=nip(99), pokja=pk,
                           pejabat=None)
