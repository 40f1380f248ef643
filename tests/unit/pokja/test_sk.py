import io
from dataclasses import replace
from datetime import date

from pypdf import PdfReader

from services.pokja.sk import AnggotaSk, DataSk, PaketSk, buat_sk, tanggal_indonesia

SK = DataSk(
    nomor_sk="027/001/UKPBJ/2025", nama_pokja="Pokja Pemilihan I", tanggal=date(2025, 6, 2),
    anggota=(AnggotaSk("Rina Wati", "198705052011012005", "pengelola_pbj", None, "Biro Umum", "ketua"),
             AnggotaSk("Andi Saputra", "199011112015031001", "pengelola_pbj", None, "Biro Umum", "sekretaris"),
             AnggotaSk("Sri Mulyani", "198705202011012003", "lainnya", "Analis Anggaran", "Biro Umum", "anggota")),
    paket=(PaketSk("10023456", "Pengadaan Perangkat Komputer", "Biro Umum", "barang", 2_310_000_000, "tender"),),
    penetap_nama="Drs. Ahmad Fauzi, M.Si.", penetap_nip="197306152000031002",
)


def teks(pdf: bytes) -> str:
    return " ".join(" ".join(h.extract_text().split()) for h in PdfReader(io.BytesIO(pdf)).pages)


def test_sk_yang_sama_menghasilkan_berkas_yang_sama_byte_demi_byte():
    assert buat_sk(SK) == buat_sk(SK)
    assert buat_sk(SK) != buat_sk(replace(SK, nomor_sk="027/002/UKPBJ/2025"))


def test_sk_memuat_tanggal_penetapan_penandatangan_dan_analis_sebagai_jabatan():
    isi = teks(buat_sk(SK))
    assert "pada tanggal 2 Juni 2025" in isi
    assert "Drs. Ahmad Fauzi, M.Si." in isi and "NIP 197306152000031002" in isi
    assert "Analis Anggaran" in isi and "Rp2.310.000.000" in isi


def test_sk_pokja_yang_dibubarkan_mencatat_pembubarannya():
    isi = teks(buat_sk(replace(SK, dibubarkan_pada=date(2025, 12, 1), alasan_pembubaran="Tugas selesai")))
    assert "dibubarkan pada 1 Desember 2025 dengan alasan: Tugas selesai" in isi


def test_tanggal_ditulis_dengan_nama_bulan_indonesia():
    assert tanggal_indonesia(date(2026, 8, 17)) == "17 Agustus 2026"
