from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.pokja.ambang import PERPRES_46_2025_BERLAKU
from services.pokja.domain import (
    JENIS_PENGADAAN,
    CalonAnggota,
    Pegawai,
    Pokja,
    saran_anggota,
    tentukan_metode,
)
from shared.errors import RuleViolation

from .contoh import (
    HARI_INI,
    SATKER_LUAR,
    SATKER_UKPBJ,
    calon,
    koordinasi,
    nip,
    per_nip,
    pns,
    sertifikat,
)

JUTA = 1_000_000
KEMARIN = HARI_INI - timedelta(days=1)


@st.composite
def calon_anggota(draw, n):
    jabatan = draw(st.sampled_from(["pengelola_pbj", "lainnya"]))
    unit = draw(st.sampled_from(["ukpbj", "luar_ukpbj"]))
    sert = draw(st.lists(st.builds(
        sertifikat,
        jenis=st.sampled_from(["kompetensi", "keahlian", "jf_ppbj", "pelatihan"]),
        level=st.integers(1, 3),
        berlaku_sampai=st.sampled_from([KEMARIN, HARI_INI, date(2030, 1, 1)]),
    ), max_size=2))
    pegawai = Pegawai(
        nip=nip(n), nama=f"P{n}", jabatan=jabatan, unit=unit,
        satuan_kerja=SATKER_LUAR if unit == "luar_ukpbj" else SATKER_UKPBJ,
        sertifikat=sert,
        peran_lpse=draw(st.sampled_from([None, None, "helpdesk"])),
        status_spse=draw(st.sampled_from(["aktif", "belum_terdaftar", "nonaktif", "kedaluwarsa"])),
    )
    k = draw(st.sampled_from([
        None, koordinasi(pegawai), koordinasi(pegawai, tanggal=HARI_INI + timedelta(days=1)),
        koordinasi(pegawai, satuan_kerja="Satker Lain"),
    ]))
    return CalonAnggota(pegawai, k)


susunan = st.integers(0, 9).flatmap(
    lambda jumlah: st.tuples(*[calon_anggota(n) for n in range(1, jumlah + 1)])
)


def memenuhi_syarat_pribadi(c):
    p, k = c.pegawai, c.koordinasi_satker
    sertifikat_sah = any(s.jenis in ("kompetensi", "keahlian") and s.berlaku_sampai >= HARI_INI
                         for s in p.sertifikat)
    koordinasi_sah = p.unit == "ukpbj" or (
        k is not None and k.satuan_kerja == p.satuan_kerja and k.tanggal <= HARI_INI)
    return (p.status_spse in ("aktif", "belum_terdaftar")
            and not (p.jabatan == "pengelola_pbj" and p.peran_lpse)
            and (p.jabatan == "pengelola_pbj" or sertifikat_sah)
            and koordinasi_sah)


def susunan_sah(pegawai):
    return (len(pegawai) >= 3 and len(pegawai) % 2 == 1
            and any(p.jabatan == "pengelola_pbj" for p in pegawai))


def bentuk(daftar):
    return Pokja.bentuk(id="p", nama="Pokja", nomor_sk="SK", anggota=list(daftar), tanggal=HARI_INI)


@given(susunan)
def test_pokja_terbentuk_tepat_bila_setiap_aturan_susunan_dan_anggota_terpenuhi(daftar):
    diharapkan = (susunan_sah([c.pegawai for c in daftar])
                  and all(map(memenuhi_syarat_pribadi, daftar)))
    try:
        bentuk(daftar)
        terbentuk = True
    except RuleViolation:
        terbentuk = False
    assert terbentuk == diharapkan


@given(susunan)
def test_setiap_pokja_yang_terbentuk_gasal_paling_sedikit_tiga_dengan_pengelola_pbj(daftar):
    try:
        pk = bentuk(daftar)
    except RuleViolation:
        return
    jabatan = {c.pegawai.nip: c.pegawai.jabatan for c in daftar}
    assert len(pk.anggota) >= 3 and len(pk.anggota) % 2 == 1
    assert "pengelola_pbj" in {jabatan[n] for n in pk.nip_anggota}


def anggota_bersertifikat(pengelola_pbj):
    return [calon(pns(n, jabatan="pengelola_pbj" if ya else "lainnya"))
            for n, ya in enumerate(pengelola_pbj, start=1)]


anggota_sah = st.sampled_from([3, 5, 7, 9]).flatmap(
    lambda jumlah: st.lists(st.booleans(), min_size=jumlah, max_size=jumlah).filter(any)
).map(anggota_bersertifikat)


@given(anggota_sah, st.data())
def test_perubahan_anggota_diterima_tepat_bila_susunan_akhirnya_sah(daftar, data):
    pk = bentuk(daftar)
    sekarang = [c.pegawai for c in daftar]
    keluarkan = data.draw(st.lists(st.sampled_from(sekarang), unique=True, max_size=len(sekarang)))
    tambah = [replace(sekarang[0], nip=nip(100 + i)) for i in range(data.draw(st.integers(0, 3)))]
    if not keluarkan and not tambah:
        return
    akhir = [p for p in sekarang if p not in keluarkan] + tambah
    try:
        pk.ubah_anggota(tambah=[calon(p) for p in tambah], keluarkan=[p.nip for p in keluarkan],
                        anggota_sekarang=per_nip(sekarang), paket=[], tanggal=HARI_INI)
        diterima = True
    except RuleViolation:
        diterima = False
    assert diterima == susunan_sah(akhir)
    assert pk.nip_anggota == ([p.nip for p in akhir] if diterima else [p.nip for p in sekarang])


@given(st.sampled_from(JENIS_PENGADAAN), st.integers(0, 10**12),
       st.dates(date(2018, 7, 1), date(2035, 12, 31)))
def test_metode_adalah_pengadaan_langsung_tepat_sampai_batas_jenis_dan_tanggalnya(
    jenis, nilai, tanggal
):
    if jenis == "jasa_konsultansi":
        batas, di_atas = 100 * JUTA, "seleksi"
    elif jenis == "pekerjaan_konstruksi" and tanggal >= PERPRES_46_2025_BERLAKU:
        batas, di_atas = 400 * JUTA, "tender"
    else:
        batas, di_atas = 200 * JUTA, "tender"
    diharapkan = "pengadaan_langsung" if nilai <= batas else di_atas
    assert tentukan_metode(jenis, nilai, tanggal) == diharapkan


@settings(max_examples=200)
@given(susunan, st.lists(st.integers(0, 5), min_size=9, max_size=9), st.sampled_from([3, 5]),
       st.randoms(use_true_random=False))
def test_saran_anggota_selalu_dapat_dibentuk_deterministik_dan_berbeban_terendah(
    daftar, angka_beban, jumlah, acak
):
    kandidat = [c.pegawai for c in daftar]
    koordinasi_ = {c.pegawai.nip: c.koordinasi_satker for c in daftar if c.koordinasi_satker}
    beban = {p.nip: angka_beban[i] for i, p in enumerate(kandidat)}
    layak = [c.pegawai for c in daftar if memenuhi_syarat_pribadi(c)]
    dapat = len(layak) >= jumlah and any(p.pengelola_pbj for p in layak)
    try:
        saran = saran_anggota(kandidat, beban, jumlah, tanggal=HARI_INI, koordinasi=koordinasi_)
    except RuleViolation:
        assert not dapat
        return
    assert dapat and len(saran) == jumlah
    teracak = list(kandidat)
    acak.shuffle(teracak)
    assert saran == saran_anggota(teracak, beban, jumlah, tanggal=HARI_INI, koordinasi=koordinasi_)
    bentuk([CalonAnggota(p, koordinasi_.get(p.nip)) for p in saran])
    for lain in (p for p in layak if p not in saran):
        for dipilih in saran:
            if dipilih.jabatan == lain.jabatan:
                assert (beban[dipilih.nip], dipilih.nip) < (beban[lain.nip], lain.nip)
            else:
                assert dipilih.pengelola_pbj
