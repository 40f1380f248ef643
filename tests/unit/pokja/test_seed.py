from services.pokja import seed
from services.pokja.domain import periksa_nip


def test_nip_demo_sah_dan_unik():
    semua = [p.nip for p in seed.PEGAWAI] + list(seed.PPK + seed.PERENCANA + seed.PEMERIKSA) + [seed.KEPALA_NIP]
    for nip in semua:
        periksa_nip(nip)
    assert len({p.nip for p in seed.PEGAWAI}) == len(seed.PEGAWAI) == 25


def test_data_demo_mencakup_setiap_jenis_pegawai_dan_paket():
    assert {p.jabatan for p in seed.PEGAWAI} == {"pengelola_pbj", "lainnya"}
    assert sum(p.unit == "luar_ukpbj" for p in seed.PEGAWAI) == 1
    assert sum(p.peran_lpse is not None for p in seed.PEGAWAI) == 1
    assert {k.jenis for k in seed.PAKET} == {"barang", "pekerjaan_konstruksi", "jasa_konsultansi", "jasa_lainnya"}
    assert len(seed.PAKET) == 30 and len({k.kode for k in seed.PAKET}) == 30
    assert {lap.status for lap in seed.LAPORAN} == {"selesai", "gagal"}
    assert {lap.peran for lap in seed.LAPORAN} == {"pokja", "pejabat_pengadaan"}
