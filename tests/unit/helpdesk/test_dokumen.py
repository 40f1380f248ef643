from __future__ import annotations

import hashlib
import io

import pypdf
import pytest

from services.helpdesk.dokumen import pdf_berita_acara, tanggal_panjang, terbilang
from services.helpdesk.domain import BeritaAcara, Penandatangan
from tests.unit.helpdesk.bantuan import KASUBBAG, wib

HASH = hashlib.sha256(b"penawaran").hexdigest()


def berita_acara(**ubah: object) -> BeritaAcara:
    data: dict[str, object] = {
        "id": "BA-1", "aktor": KASUBBAG, "waktu": wib(2026, 1, 5, 14), "paket_kode": "10012345",
        "penyedia": "CV Sinar & Putra <Nusantara>", "nama_file": "penawaran.zip", "hash_file": HASH,
        "pernyataan_lpse": "Berkas rusak.", "saksi": Penandatangan("Budi Santoso", KASUBBAG.sub),
        "anggota_pokja": [Penandatangan("Rina Wati", "198705052011012005")], "hasil": "evaluasi_dilanjutkan"}
    data.update(ubah)
    return BeritaAcara.susun(**data)  # type: ignore[arg-type]


def teks(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(("angka", "kata"), [
    (0, "nol"), (5, "lima"), (11, "sebelas"), (17, "tujuh belas"), (20, "dua puluh"), (31, "tiga puluh satu"),
    (100, "seratus"), (111, "seratus sebelas"), (1000, "seribu"), (2026, "dua ribu dua puluh enam"),
    (1999, "seribu sembilan ratus sembilan puluh sembilan")])
def test_numbers_are_written_in_indonesian_words_for_the_formal_date(angka, kata):
    assert terbilang(angka) == kata


def test_dates_are_written_in_wib():
    assert tanggal_panjang(wib(2026, 1, 5, 23, 30)) == "5 Januari 2026"


def test_the_same_berita_acara_always_renders_the_same_bytes():
    ba = berita_acara()
    ba.tandatangani(KASUBBAG, wib(2026, 1, 5, 15))
    assert pdf_berita_acara(ba, nomor="001/BA-LPSE/I/2026", tempat_baku="Ruang LPSE") == \
        pdf_berita_acara(ba, nomor="001/BA-LPSE/I/2026", tempat_baku="Ruang LPSE")


def test_a_signed_berita_acara_reads_as_a_formal_record_with_markup_in_names_kept_as_text():
    ba = berita_acara(pernyataan_lkpp="LKPP: berkas dapat dibuka.", tempat="Ruang Rapat LPSE Lt. 3")
    ba.tandatangani(KASUBBAG, wib(2026, 1, 5, 15))
    isi = teks(pdf_berita_acara(ba, nomor="001/BA-LPSE/I/2026", tempat_baku="Ruang LPSE"))
    assert "Pada hari ini Senin tanggal lima bulan Januari tahun dua ribu dua puluh enam" in isi
    assert "Ruang Rapat LPSE Lt. 3" in isi and "CV Sinar & Putra <Nusantara>" in isi and HASH in isi
    assert "LKPP: berkas dapat dibuka." in isi and "melanjutkan evaluasi" in isi
    assert "Ditandatangani pada 5 Januari 2026 pukul 15.00 WIB" in isi and "DRAF" not in isi


def test_a_draft_is_marked_as_not_valid():
    isi = teks(pdf_berita_acara(berita_acara(), nomor="002/BA-LPSE/I/2026", tempat_baku="Ruang LPSE"))
    assert "DRAF — BELUM DITANDATANGANI" in isi and "LKPP tidak dimintai keterangan" in isi
