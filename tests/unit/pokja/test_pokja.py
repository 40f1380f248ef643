from datetime import timedelta

import pytest

from services.pokja.domain import (
    AnggotaDikeluarkan,
    AnggotaDitambahkan,
    CalonAnggota,
    PaketDitugaskan,
    Pegawai,
    PenggantianDiperlukan,
    Pokja,
    PokjaDibentuk,
    PokjaDibubarkan,
    anggota_perlu_diganti,
    pastikan_kepala_ukpbj,
)
from shared.errors import (
    Conflict,
    Forbidden,
    InvalidState,
    NotFound,
    RuleViolation,
    ValidationFailed,
)

from .contoh import (
    HARI_INI,
    SATKER_UKPBJ,
    calon,
    koordinasi,
    nip,
    paket,
    pengelola,
    per_nip,
    pns,
    pns_luar,
    pokja,
    sertifikat,
)

P53 = "Permendagri 53/2021"
PASAL_9 = f"Pasal 9 {P53}"
PASAL_12A = f"Pasal 12 huruf a {P53}"
PASAL_12B = f"Pasal 12 huruf b {P53}"
PASAL_15_1 = f"Pasal 15 ayat 1 {P53}"
PASAL_15_2 = f"Pasal 15 ayat 2 {P53}"
PASAL_15_3 = f"Pasal 15 ayat 3 {P53}"
PASAL_15_4 = f"Pasal 15 ayat 4 {P53}"
ATURAN_SPSE = f"Lampiran huruf A angka 2.3 huruf c {P53}"


def ditolak_karena(rule):
    return pytest.raises(RuleViolation, match=rule)


def pengelola_sebanyak(jumlah, mulai=1):
    return [pengelola(n) for n in range(mulai, mulai + jumlah)]


def ubah(pk, anggota_sekarang, tambah=(), keluarkan=(), paket_pokja=()):
    pk.ubah_anggota(tambah=[calon(p) for p in tambah], keluarkan=[p.nip for p in keluarkan],
                    anggota_sekarang=per_nip(anggota_sekarang), paket=paket_pokja,
                    tanggal=HARI_INI)


# --- formation: size and composition (Pasal 15 ayat 1-3) ---


@pytest.mark.parametrize(("jumlah", "rule"), [
    (0, PASAL_15_2), (1, PASAL_15_2), (2, PASAL_15_2), (4, PASAL_15_1), (6, PASAL_15_1),
])
def test_pokja_dengan_anggota_kurang_dari_tiga_atau_genap_ditolak(jumlah, rule):
    with ditolak_karena(rule) as e:
        pokja(pengelola_sebanyak(jumlah))
    assert e.value.rule == rule
    assert f"{jumlah} orang" in e.value.detail


@pytest.mark.parametrize("jumlah", [3, 5, 7])
def test_pokja_dengan_anggota_gasal_paling_sedikit_tiga_dibentuk(jumlah):
    assert len(pokja(pengelola_sebanyak(jumlah)).anggota) == jumlah


def test_pokja_tanpa_satu_pun_pengelola_pbj_ditolak():
    with ditolak_karena(PASAL_15_3):
        pokja([pns(1), pns(2), pns(3)])


def test_pokja_boleh_berisi_satu_pengelola_pbj_dan_pns_bersertifikat():
    assert pokja([pengelola(1), pns(2), pns(3)]).nip_anggota == [nip(1), nip(2), nip(3)]


def test_pns_tanpa_sertifikat_ditolak_dengan_menyebut_setiap_nip_yang_gagal():
    with ditolak_karena(PASAL_15_3) as e:
        pokja([pengelola(1), pns(2, sertifikat=[]), pns(3, sertifikat=[])])
    assert e.value.extra["nip"] == [nip(2), nip(3)]
    assert nip(2) in e.value.detail and nip(3) in e.value.detail


@pytest.mark.parametrize(("selisih_hari", "diterima"), [(-1, False), (0, True), (1, True)])
def test_sertifikat_pns_harus_masih_berlaku_pada_tanggal_rujukan(selisih_hari, diterima):
    habis = HARI_INI + timedelta(days=selisih_hari)
    anggota = [pengelola(1), pns(2, sertifikat=[sertifikat(berlaku_sampai=habis)]), pns(3)]
    if diterima:
        assert nip(2) in pokja(anggota).nip_anggota
    else:
        with ditolak_karena(PASAL_15_3):
            pokja(anggota)


@pytest.mark.parametrize(("jenis", "diterima"), [
    ("kompetensi", True), ("keahlian", True), ("pelatihan", False),
])
def test_hanya_sertifikat_kompetensi_atau_keahlian_memenuhi_syarat_pns(jenis, diterima):
    anggota = [pengelola(1), pns(2, sertifikat=[sertifikat(jenis=jenis)]), pns(3)]
    if diterima:
        assert len(pokja(anggota).anggota) == 3
    else:
        with ditolak_karena(PASAL_15_3):
            pokja(anggota)


def test_pengelola_pbj_tidak_memerlukan_sertifikat_untuk_menjadi_anggota():
    assert len(pokja([pengelola(1, sertifikat=[]), pengelola(2), pengelola(3)]).anggota) == 3


def test_anggota_yang_disebut_dua_kali_ditolak():
    with pytest.raises(ValidationFailed, match=nip(1)):
        pokja([pengelola(1), pengelola(1), pengelola(2)])


@pytest.mark.parametrize("isian", [{"nama": " "}, {"nomor_sk": ""}])
def test_pokja_tanpa_nama_atau_nomor_sk_ditolak(isian):
    data = dict(id="p", nama="Pokja", nomor_sk="SK", anggota=[calon(p) for p in
                pengelola_sebanyak(3)], tanggal=HARI_INI) | isian
    with pytest.raises(ValidationFailed):
        Pokja.bentuk(**data)


# --- formation: members from outside UKPBJ (Pasal 15 ayat 4) ---


def bentuk_dengan_anggota_luar(koordinasi_satker):
    luar = pns_luar(3)
    return pokja([pengelola(1), pengelola(2), CalonAnggota(luar, koordinasi_satker(luar))])


@pytest.mark.parametrize("koordinasi_satker", [
    lambda p: koordinasi(p),
    lambda p: koordinasi(p, tanggal=HARI_INI),
])
def test_pns_luar_ukpbj_diterima_bila_koordinasi_dengan_satkernya_tercatat_sebelumnya(
    koordinasi_satker
):
    assert nip(3) in bentuk_dengan_anggota_luar(koordinasi_satker).nip_anggota


@pytest.mark.parametrize("koordinasi_satker", [
    lambda p: None,
    lambda p: koordinasi(p, satuan_kerja=SATKER_UKPBJ),
    lambda p: koordinasi(p, tanggal=HARI_INI + timedelta(days=1)),
])
def test_pns_luar_ukpbj_tanpa_koordinasi_sah_dengan_pimpinan_satkernya_ditolak(koordinasi_satker):
    with ditolak_karena(PASAL_15_4) as e:
        bentuk_dengan_anggota_luar(koordinasi_satker)
    assert e.value.extra["nip"] == [nip(3)]


def test_pengelola_pbj_dari_luar_ukpbj_juga_memerlukan_koordinasi():
    luar = pengelola(3, unit="luar_ukpbj", satuan_kerja="Inspektorat Jenderal")
    with ditolak_karena(PASAL_15_4):
        pokja([pengelola(1), pengelola(2), CalonAnggota(luar, None)])


# --- formation: SPSE user and Pasal 12 ---


@pytest.mark.parametrize("status", ["nonaktif", "kedaluwarsa"])
def test_pegawai_dengan_user_spse_nonaktif_atau_kedaluwarsa_tidak_dapat_ditugaskan(status):
    with ditolak_karena(ATURAN_SPSE) as e:
        pokja([pengelola(1), pengelola(2, status_spse=status), pengelola(3)])
    assert e.value.extra["nip"] == [nip(2)]


@pytest.mark.parametrize("status", ["aktif", "belum_terdaftar"])
def test_pegawai_dengan_user_spse_aktif_atau_belum_terdaftar_dapat_ditugaskan(status):
    pk = pokja([pengelola(1), pengelola(2, status_spse=status), pengelola(3)])
    assert nip(2) in pk.nip_anggota


@pytest.mark.parametrize("peran", ["admin_sistem", "verifikator", "helpdesk"])
def test_pengelola_pbj_yang_memegang_peran_lpse_ditolak(peran):
    with ditolak_karena(PASAL_12B) as e:
        pokja([pengelola(1), pengelola(2, peran_lpse=peran), pengelola(3)])
    assert e.value.extra["nip"] == [nip(2)]


def test_larangan_peran_lpse_berlaku_bagi_pengelola_pbj_saja():
    assert nip(2) in pokja([pengelola(1), pns(2, peran_lpse="helpdesk"), pns(3)]).nip_anggota


@pytest.mark.parametrize(("peran_field", "nama_peran"), [
    ("perencana_nip", "perencana"),
    ("ppk_nip", "PPK"),
    ("pemeriksa_nip", "pemeriksa hasil pekerjaan"),
])
def test_perencana_ppk_atau_pemeriksa_paket_tidak_boleh_menjadi_pokja_paket_itu(
    peran_field, nama_peran
):
    pkt = paket(**{peran_field: nip(2)})
    with ditolak_karena(PASAL_12A) as e:
        pokja(pengelola_sebanyak(3), paket=[pkt])
    assert f"NIP {nip(2)} adalah {nama_peran} paket PKT-001" in e.value.detail


def test_larangan_rangkap_berlaku_juga_bagi_pns_bukan_pengelola():
    with ditolak_karena(PASAL_12A):
        pokja([pengelola(1), pns(2), pns(3)], paket=[paket(ppk_nip=nip(3))])


def test_pembentukan_mencatat_pokja_dibentuk_dan_setiap_paket_yang_ditugaskan():
    pk = pokja(pengelola_sebanyak(3), paket=[paket("A"), paket("B")])
    assert pk.events == [
        PokjaDibentuk("pokja-1", "Pokja Pemilihan 1", "027/001/2025", (nip(1), nip(2), nip(3)),
                      ("A", "B")),
        PaketDitugaskan("A", "pokja", "pokja-1"),
        PaketDitugaskan("B", "pokja", "pokja-1"),
    ]


# --- assigning packages ---


def test_paket_ditugaskan_kepada_pokja_dan_dicatat():
    pk = pokja()
    pk.tugaskan_paket(paket("PKT-9"))
    assert pk.paket == ["PKT-9"]
    assert pk.events[-1] == PaketDitugaskan("PKT-9", "pokja", "pokja-1")


def test_paket_yang_pemeriksanya_anggota_pokja_tidak_dapat_ditugaskan_kepadanya():
    pk = pokja()
    with ditolak_karena(PASAL_12A) as e:
        pk.tugaskan_paket(paket(pemeriksa_nip=nip(3)))
    assert e.value.extra["nip"] == [nip(3)]
    assert pk.paket == []


def test_paket_yang_sudah_ditugaskan_kepada_pokja_yang_sama_ditolak_sebagai_konflik():
    pk = pokja(paket=[paket()])
    with pytest.raises(Conflict):
        pk.tugaskan_paket(paket())


# --- changing members ---


def test_menambah_satu_anggota_ke_pokja_bertiga_ditolak_karena_menjadi_genap():
    awal = pengelola_sebanyak(3)
    pk = pokja(awal)
    with ditolak_karena(PASAL_15_1):
        ubah(pk, awal, tambah=[pengelola(4)])
    assert pk.nip_anggota == [nip(1), nip(2), nip(3)]


def test_menambah_dua_anggota_ke_pokja_bertiga_diterima_dan_dicatat():
    awal = pengelola_sebanyak(3)
    pk = pokja(awal)
    ubah(pk, awal, tambah=[pengelola(4), pns(5)])
    assert pk.nip_anggota == [nip(1), nip(2), nip(3), nip(4), nip(5)]
    assert pk.events[-2:] == [AnggotaDitambahkan("pokja-1", nip(4)),
                              AnggotaDitambahkan("pokja-1", nip(5))]


def test_mengeluarkan_satu_anggota_yang_menyisakan_dua_ditolak():
    awal = pengelola_sebanyak(3)
    pk = pokja(awal)
    with ditolak_karena(PASAL_15_2) as e:
        ubah(pk, awal, keluarkan=[awal[0]])
    assert "2 orang" in e.value.detail
    assert pk.nip_anggota == [nip(1), nip(2), nip(3)]


def test_mengeluarkan_satu_anggota_dari_lima_ditolak_karena_menjadi_genap():
    awal = pengelola_sebanyak(5)
    pk = pokja(awal)
    with ditolak_karena(PASAL_15_1):
        ubah(pk, awal, keluarkan=[awal[4]])


def test_mengeluarkan_dua_anggota_dari_lima_diterima_dan_dicatat():
    awal = pengelola_sebanyak(5)
    pk = pokja(awal)
    ubah(pk, awal, keluarkan=[awal[3], awal[4]])
    assert pk.nip_anggota == [nip(1), nip(2), nip(3)]
    assert pk.events[-2:] == [AnggotaDikeluarkan("pokja-1", nip(4)),
                              AnggotaDikeluarkan("pokja-1", nip(5))]


def test_mengganti_satu_anggota_dengan_yang_lain_diterima():
    awal = pengelola_sebanyak(3)
    pk = pokja(awal)
    pk.ganti_anggota(nip(3), calon(pns(7)), anggota_sekarang=per_nip(awal), paket=[],
                     tanggal=HARI_INI)
    assert pk.nip_anggota == [nip(1), nip(2), nip(7)]
    assert pk.events[-2:] == [AnggotaDikeluarkan("pokja-1", nip(3)),
                              AnggotaDitambahkan("pokja-1", nip(7))]


def test_mengganti_satu_satunya_pengelola_pbj_dengan_pns_ditolak():
    awal = [pengelola(1), pns(2), pns(3)]
    pk = pokja(awal)
    with ditolak_karena(PASAL_15_3):
        ubah(pk, awal, tambah=[pns(4)], keluarkan=[awal[0]])


@pytest.mark.parametrize(("pengganti", "rule"), [
    (pengelola(4, status_spse="nonaktif"), ATURAN_SPSE),
    (pengelola(4, peran_lpse="verifikator"), PASAL_12B),
    (pns(4, sertifikat=[]), PASAL_15_3),
    (pengelola(4, nip=nip(902)), PASAL_12A),
])
def test_anggota_baru_diperiksa_terhadap_setiap_aturan_dan_paket_pokja(pengganti, rule):
    awal = pengelola_sebanyak(3)
    pkt = paket()  # its PPK is nip(902)
    pk = pokja(awal, paket=[pkt])
    with ditolak_karena(rule):
        ubah(pk, awal, tambah=[pengganti], keluarkan=[awal[2]], paket_pokja=[pkt])
    assert pk.nip_anggota == [nip(1), nip(2), nip(3)]


def test_anggota_luar_ukpbj_yang_ditambahkan_memerlukan_koordinasi():
    awal = pengelola_sebanyak(3)
    pk = pokja(awal)
    with ditolak_karena(PASAL_15_4):
        pk.ganti_anggota(nip(3), CalonAnggota(pns_luar(4), None), anggota_sekarang=per_nip(awal),
                         paket=[], tanggal=HARI_INI)


def test_mengeluarkan_yang_bukan_anggota_ditolak_sebagai_tidak_ditemukan():
    awal = pengelola_sebanyak(3)
    with pytest.raises(NotFound, match=nip(9)):
        ubah(pokja(awal), awal, tambah=[pengelola(8)], keluarkan=[pengelola(9)])


def test_menambahkan_yang_sudah_menjadi_anggota_ditolak_sebagai_konflik():
    awal = pengelola_sebanyak(3)
    with pytest.raises(Conflict, match=nip(1)):
        ubah(pokja(awal), awal, tambah=[pengelola(1), pengelola(4)])


def test_perubahan_anggota_yang_kosong_ditolak():
    awal = pengelola_sebanyak(3)
    with pytest.raises(ValidationFailed):
        ubah(pokja(awal), awal)


def test_perubahan_tanpa_data_pegawai_anggota_sekarang_adalah_kesalahan_pemanggil():
    awal = pengelola_sebanyak(3)
    with pytest.raises(ValueError, match=nip(3)):
        ubah(pokja(awal), awal[:2], tambah=[pengelola(4), pengelola(5)])


def test_perubahan_tanpa_data_paket_pokja_adalah_kesalahan_pemanggil():
    awal = pengelola_sebanyak(3)
    pk = pokja(awal, paket=[paket()])
    with pytest.raises(ValueError, match="PKT-001"):
        ubah(pk, awal, tambah=[pengelola(4), pengelola(5)])


# --- dissolving ---


def test_pembubaran_mencatat_alasan_dan_peristiwanya():
    pk = pokja()
    pk.bubarkan("Seluruh paket selesai")
    assert (pk.status, pk.alasan_pembubaran) == ("dibubarkan", "Seluruh paket selesai")
    assert pk.events[-1] == PokjaDibubarkan("pokja-1", "Seluruh paket selesai")


@pytest.mark.parametrize("alasan", ["", "   "])
def test_pembubaran_tanpa_alasan_ditolak(alasan):
    pk = pokja()
    with pytest.raises(ValidationFailed) as e:
        pk.bubarkan(alasan)
    assert e.value.errors[0].field == "alasan"
    assert pk.status == "aktif"


@pytest.mark.parametrize("tindakan", [
    lambda pk: pk.bubarkan("lagi"),
    lambda pk: pk.tugaskan_paket(paket("PKT-2")),
    lambda pk: ubah(pk, pengelola_sebanyak(3), tambah=[pengelola(4), pengelola(5)]),
])
def test_pokja_yang_sudah_dibubarkan_tidak_dapat_diubah(tindakan):
    pk = pokja()
    pk.bubarkan("Reorganisasi")
    with pytest.raises(InvalidState):
        tindakan(pk)


# --- authority (Pasal 9) ---


def test_kepala_ukpbj_berwenang_membentuk_mengubah_dan_membubarkan_pokja():
    assert pastikan_kepala_ukpbj(["pokja", "kepala_ukpbj"]) is None


@pytest.mark.parametrize("roles", [[], ["admin_ukpbj"], ["pokja", "kasubbag_lpse"]])
def test_selain_kepala_ukpbj_ditolak_dengan_menyebut_pasal_9(roles):
    with pytest.raises(Forbidden, match=PASAL_9) as e:
        pastikan_kepala_ukpbj(roles)
    assert e.value.extra["rule"] == PASAL_9


def test_penolakan_kewenangan_dapat_menyebut_tindakan_dan_pasal_lain():
    pasal_16 = "Pasal 16 Permendagri 53/2021"
    with pytest.raises(Forbidden, match="menugaskan Pejabat Pengadaan") as e:
        pastikan_kepala_ukpbj(["kpa"], tindakan="menugaskan Pejabat Pengadaan", rule=pasal_16)
    assert e.value.extra["rule"] == pasal_16


# --- replacement needed ---


@pytest.mark.parametrize("status", ["nonaktif", "kedaluwarsa"])
def test_anggota_yang_user_spse_nya_dinonaktifkan_perlu_diganti(status):
    pk = pokja()
    berubah = [pengelola(2, status_spse=status), pengelola(3)]
    assert anggota_perlu_diganti(pk, berubah) == [PenggantianDiperlukan("pokja-1", nip(2), status)]


def test_bukan_anggota_atau_user_aktif_tidak_memicu_penggantian():
    pk = pokja()
    assert anggota_perlu_diganti(pk, [pengelola(9, status_spse="nonaktif"), pengelola(1)]) == []


def test_pokja_yang_dibubarkan_tidak_memerlukan_penggantian():
    pk = pokja()
    pk.bubarkan("Selesai")
    assert anggota_perlu_diganti(pk, [pengelola(1, status_spse="nonaktif")]) == []


# --- personnel records ---


@pytest.mark.parametrize(("isian", "field"), [
    ({"nip": "12345"}, "nip"),
    ({"nip": "19800101200501100A"}, "nip"),
    ({"jabatan": "ppk"}, "jabatan"),
    ({"unit": "pusat"}, "unit"),
    ({"peran_lpse": "operator"}, "peran_lpse"),
    ({"status_spse": "diblokir"}, "status_spse"),
    ({"nama": ""}, "nama"),
])
def test_data_pegawai_yang_tidak_valid_ditolak_per_isian(isian, field):
    data = dict(nip=nip(1), nama="A", jabatan="pengelola_pbj", unit="ukpbj",
                satuan_kerja=SATKER_UKPBJ) | isian
    with pytest.raises(ValidationFailed) as e:
        Pegawai(**data)
    assert [err.field for err in e.value.errors] == [field]


@pytest.mark.parametrize("level", [0, -1, 1.0, True])
def test_sertifikat_dengan_level_yang_bukan_bilangan_bulat_positif_ditolak(level):
    with pytest.raises(ValidationFailed):
        sertifikat(level=level)
