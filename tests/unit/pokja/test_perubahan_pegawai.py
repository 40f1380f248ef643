from dataclasses import replace

import pytest

from services.pokja.domain import periksa_perubahan_pegawai
from shared.errors import RuleViolation

from .contoh import HARI_INI, koordinasi, pengelola, pns, pns_luar, sertifikat

P53 = "Permendagri 53/2021"


def periksa(baru, keanggotaan=(), pejabat=False):
    periksa_perubahan_pegawai(baru, list(keanggotaan), pejabat_pengadaan=pejabat, tanggal=HARI_INI)


def test_pegawai_tanpa_jabatan_boleh_diubah_apa_pun():
    periksa(pengelola(1, peran_lpse="verifikator", sertifikat=[]))


@pytest.mark.parametrize(("baru", "koor", "rule"), [
    (pengelola(1, peran_lpse="helpdesk"), None, f"Pasal 12 huruf b {P53}"),
    (pns(1, sertifikat=[]), None, f"Pasal 15 ayat 3 {P53}"),
    (pns(1, sertifikat=[sertifikat(berlaku_sampai=HARI_INI.replace(year=HARI_INI.year - 1))]), None,
     f"Pasal 15 ayat 3 {P53}"),
    (pns_luar(1), None, f"Pasal 15 ayat 4 {P53}"),
])
def test_anggota_pokja_aktif_harus_tetap_memenuhi_syarat_anggota(baru, koor, rule):
    with pytest.raises(RuleViolation) as e:
        periksa(baru, [(koor, [pengelola(2), pengelola(3)])])
    assert e.value.rule == rule


def test_pns_luar_dengan_koordinasi_yang_tercatat_tetap_sah():
    baru = pns_luar(1)
    periksa(baru, [(koordinasi(baru), [pengelola(2), pengelola(3)])])


def test_pokja_harus_tetap_memiliki_satu_pengelola_pbj():
    with pytest.raises(RuleViolation) as e:
        periksa(pns(1), [(None, [pns(2), pns(3)])])
    assert e.value.rule == f"Pasal 15 ayat 3 {P53}"
    periksa(pns(1), [(None, [pengelola(2), pns(3)])])


def test_status_user_spse_tidak_dinilai_saat_data_pegawai_diperbaiki():
    periksa(pengelola(1, status_spse="nonaktif"), [(None, [pengelola(2), pengelola(3)])])


@pytest.mark.parametrize("ubah", [{"sertifikat": [sertifikat(level=1)]}, {"jabatan": "lainnya"},
                                  {"peran_lpse": "admin_sistem"}, {"unit": "luar_ukpbj"}])
def test_pejabat_pengadaan_harus_tetap_memenuhi_syarat_pasal_16(ubah):
    with pytest.raises(RuleViolation, match="Pasal 1[26]"):
        periksa(replace(pengelola(1, sertifikat=[sertifikat(level=2)]), **ubah), pejabat=True)
    periksa(pengelola(1, sertifikat=[sertifikat(level=2)]), pejabat=True)
