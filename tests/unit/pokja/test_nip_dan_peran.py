import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.pokja.domain import periksa_nip, susun_peran
from shared.errors import ValidationFailed

from .contoh import nip


@pytest.mark.parametrize("nilai", ["198503122010011003", "199001052015032001", "197801012003121999"])
def test_nip_pns_yang_strukturnya_benar_diterima(nilai):
    periksa_nip(nilai)


@pytest.mark.parametrize(("nilai", "pesan"), [
    ("19850312201001100", "18 digit"),
    ("1985031220100110a3", "18 digit"),
    ("198502302010011003", "tanggal lahir"),
    ("185503122010011003", "tanggal lahir"),
    ("198503122010131003", "TMT"),
    ("198503121985011003", "TMT"),
    ("198503122010013003", "jenis kelamin"),
    ("198503122010011000", "nomor urut"),
])
def test_nip_yang_strukturnya_salah_ditolak_dengan_alasannya(nilai, pesan):
    with pytest.raises(ValidationFailed, match=pesan) as e:
        periksa_nip(nilai, "anggota[0].nip")
    assert e.value.errors[0].field == "anggota[0].nip"


def test_pada_pembentukan_anggota_pertama_ketua_kedua_sekretaris():
    assert susun_peran([nip(1), nip(2), nip(3)]) == {nip(1): "ketua", nip(2): "sekretaris", nip(3): "anggota"}


def test_kedudukan_yang_diminta_didahulukan():
    peran = susun_peran([nip(1), nip(2), nip(3)], diminta={nip(3): "ketua", nip(1): None})
    assert peran == {nip(1): "sekretaris", nip(2): "anggota", nip(3): "ketua"}


def test_pengganti_mengambil_kedudukan_yang_digantikan():
    sebelumnya = {nip(2): "sekretaris", nip(3): "anggota"}
    assert susun_peran([nip(2), nip(3), nip(4)], sebelumnya=sebelumnya)[nip(4)] == "ketua"


def test_ketua_yang_keluar_tanpa_pengganti_digantikan_anggota_terlama():
    sebelumnya = {nip(2): "sekretaris", nip(3): "anggota", nip(4): "anggota"}
    peran = susun_peran([nip(2), nip(3), nip(4)], sebelumnya=sebelumnya)
    assert peran == {nip(2): "sekretaris", nip(3): "ketua", nip(4): "anggota"}


def test_ketua_baru_yang_diminta_menggeser_ketua_lama_menjadi_anggota():
    sebelumnya = {nip(1): "ketua", nip(2): "sekretaris", nip(3): "anggota"}
    peran = susun_peran([nip(1), nip(2), nip(3), nip(4), nip(5)], sebelumnya=sebelumnya,
                        diminta={nip(4): "ketua"})
    assert peran[nip(4)] == "ketua" and peran[nip(1)] == "anggota" and peran[nip(5)] == "anggota"


def test_dua_ketua_yang_diminta_ditolak():
    with pytest.raises(ValidationFailed, match="satu ketua"):
        susun_peran([nip(1), nip(2), nip(3)], diminta={nip(1): "ketua", nip(2): "ketua"})


@given(st.integers(3, 11).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.sampled_from([None, "ketua", "sekretaris", "anggota"]), min_size=n, max_size=n))))
def test_setiap_susunan_punya_tepat_satu_ketua_dan_satu_sekretaris(kasus):
    n, diminta = kasus
    urutan = [nip(i) for i in range(1, n + 1)]
    permintaan = dict(zip(urutan, diminta, strict=True))
    ganda = any(diminta.count(j) > 1 for j in ("ketua", "sekretaris"))
    kosong = sum(j not in diminta for j in ("ketua", "sekretaris"))
    if ganda or diminta.count(None) < kosong:
        with pytest.raises(ValidationFailed):
            susun_peran(urutan, diminta=permintaan)
        return
    peran = susun_peran(urutan, diminta=permintaan)
    assert list(peran.values()).count("ketua") == 1
    assert list(peran.values()).count("sekretaris") == 1
    assert all(peran[n] == p for n, p in permintaan.items() if p)
