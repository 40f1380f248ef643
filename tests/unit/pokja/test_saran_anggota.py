import pytest

from services.pokja.domain import saran_anggota
from shared.errors import RuleViolation

from .contoh import HARI_INI, koordinasi, nip, paket, pengelola, pns, pns_luar

P53 = "Permendagri 53/2021"


def nips(pegawai):
    return [p.nip for p in pegawai]


def test_saran_memilih_pengelola_pbj_dengan_beban_terendah():
    kandidat = [pengelola(n) for n in range(1, 6)]
    beban = {nip(1): 4, nip(2): 0, nip(3): 2, nip(4): 1, nip(5): 3}
    assert nips(saran_anggota(kandidat, beban, 3, tanggal=HARI_INI)) == [nip(2), nip(4), nip(3)]


def test_beban_yang_sama_diurutkan_menurut_nip_dan_tanpa_catatan_beban_dianggap_nol():
    kandidat = [pengelola(5), pengelola(3), pengelola(4), pengelola(1)]
    beban = {nip(1): 1}
    assert nips(saran_anggota(kandidat, beban, 3, tanggal=HARI_INI)) == [nip(3), nip(4), nip(5)]


def test_pengelola_pbj_didahulukan_dari_pns_walau_bebannya_lebih_tinggi():
    kandidat = [pns(1), pns(2), pengelola(3), pengelola(4)]
    beban = {nip(1): 0, nip(2): 0, nip(3): 5, nip(4): 9}
    assert nips(saran_anggota(kandidat, beban, 3, tanggal=HARI_INI)) == [nip(3), nip(4), nip(1)]


@pytest.mark.parametrize("tidak_layak", [
    pengelola(9, status_spse="nonaktif"),
    pengelola(9, peran_lpse="helpdesk"),
    pns(9, sertifikat=[]),
    pns_luar(9),
    pengelola(9, nip=nip(902)),
])
def test_kandidat_yang_melanggar_aturan_tidak_disarankan_walau_bebannya_nol(tidak_layak):
    kandidat = [tidak_layak, pengelola(1), pengelola(2), pengelola(3)]
    beban = {nip(1): 1, nip(2): 1, nip(3): 1}
    hasil = saran_anggota(kandidat, beban, 3, paket(), tanggal=HARI_INI)
    assert nips(hasil) == [nip(1), nip(2), nip(3)]


def test_pns_luar_ukpbj_disarankan_bila_koordinasinya_sudah_tercatat():
    luar = pns_luar(9)
    kandidat = [luar, pengelola(1), pengelola(2)]
    hasil = saran_anggota(kandidat, {}, 3, tanggal=HARI_INI,
                          koordinasi={luar.nip: koordinasi(luar)})
    assert nip(9) in nips(hasil)


def test_kandidat_layak_yang_kurang_dari_jumlah_diminta_ditolak_dengan_daftar_yang_layak():
    with pytest.raises(RuleViolation, match=f"Pasal 15 ayat 2 {P53}") as e:
        saran_anggota([pengelola(1), pengelola(2), pns(3, sertifikat=[])], {}, 3, tanggal=HARI_INI)
    assert e.value.extra["layak"] == [nip(1), nip(2)]


def test_tanpa_pengelola_pbj_yang_layak_tidak_ada_saran():
    with pytest.raises(RuleViolation, match=f"Pasal 15 ayat 3 {P53}"):
        saran_anggota([pns(1), pns(2), pns(3)], {}, 3, tanggal=HARI_INI)


@pytest.mark.parametrize("jumlah", [2, 4])
def test_jumlah_saran_yang_tidak_gasal_atau_kurang_dari_tiga_ditolak(jumlah):
    with pytest.raises(RuleViolation):
        saran_anggota([pengelola(n) for n in range(1, 6)], {}, jumlah, tanggal=HARI_INI)
