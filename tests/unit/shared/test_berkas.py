import pytest

from shared.berkas import BATAS_UKURAN_BAKU, deteksi_jenis_konten, periksa_ukuran
from shared.errors import PayloadTooLarge, UnsupportedMediaType

MB = 1024 * 1024


@pytest.mark.parametrize(("awal", "jenis"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf"),
    (b"%PDF-1.4\n", "application/pdf"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
    (b"\xff\xd8\xff\xe1\x2e\x4aExif\x00\x00", "image/jpeg"),
    (b"\xff\xd8\xff\xdb\x00\x43\x00", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
])
def test_pdf_jpeg_and_png_are_recognised_from_their_first_bytes(awal, jenis):
    assert deteksi_jenis_konten(awal) == jenis


@pytest.mark.parametrize(("awal", "terdeteksi"), [
    (b"PK\x03\x04\x14\x00\x06\x00", "arsip ZIP (termasuk DOCX/XLSX)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "dokumen Office lama (DOC/XLS)"),
    (b"GIF89a\x01\x00", "gambar GIF"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "gambar WebP"),
    (b"BM6\x00\x00\x00", "gambar BMP"),
    (b"II*\x00\x08\x00\x00\x00", "gambar TIFF"),
    (b"MM\x00*\x00\x00\x00\x08", "gambar TIFF"),
    (b"\x00\x00\x00\x18ftypheic", "gambar HEIC atau video"),
    (b"Rar!\x1a\x07\x00", "arsip RAR"),
    (b"MZ\x90\x00\x03\x00", "program Windows (EXE)"),
    (b"{\\rtf1\\ansi", "dokumen RTF"),
    (b"<html><body>", "format tidak dikenal"),
    (b"PDF-1.4", "format tidak dikenal"),
    (b" %PDF-1.4", "format tidak dikenal"),
    (b"\x89PNG\r\n", "format tidak dikenal"),
    (b"\xff\xd8", "format tidak dikenal"),
    (b"", "berkas kosong"),
])
def test_anything_but_pdf_jpeg_or_png_is_refused_naming_what_was_detected(awal, terdeteksi):
    with pytest.raises(UnsupportedMediaType) as galat:
        deteksi_jenis_konten(awal)
    assert f"terdeteksi sebagai {terdeteksi}. Hanya PDF, JPEG, atau PNG yang diterima" in galat.value.detail
    assert galat.value.extra["terdeteksi"] == terdeteksi


def test_a_refused_file_is_named_and_its_extension_does_not_help():
    with pytest.raises(UnsupportedMediaType) as galat:
        deteksi_jenis_konten(b"PK\x03\x04", nama_berkas="akta_pendirian.pdf")
    assert 'Isi berkas "akta_pendirian.pdf" terdeteksi sebagai arsip ZIP' in galat.value.detail
    assert "apa pun ekstensi nama berkasnya" in galat.value.detail


@pytest.mark.parametrize(("ukuran", "batas"), [(0, BATAS_UKURAN_BAKU), (BATAS_UKURAN_BAKU, BATAS_UKURAN_BAKU),
                                               (2 * MB, 2 * MB), (1, 5 * MB)])
def test_a_document_within_the_size_limit_passes(ukuran, batas):
    periksa_ukuran(ukuran, batas)


@pytest.mark.parametrize(("ukuran", "batas", "bagian"), [
    (BATAS_UKURAN_BAKU + 1, BATAS_UKURAN_BAKU, "Ukuran berkas 10,1 MB melebihi batas 10 MB"),
    (int(12.4 * MB), BATAS_UKURAN_BAKU, "Ukuran berkas 12,4 MB melebihi batas 10 MB"),
    (6 * MB, 5 * MB, "Ukuran berkas 6 MB melebihi batas 5 MB"),
    (3 * MB, int(2.5 * MB), "melebihi batas 2,5 MB"),
])
def test_a_document_over_the_limit_is_refused_naming_the_limit_in_mb(ukuran, batas, bagian):
    with pytest.raises(PayloadTooLarge) as galat:
        periksa_ukuran(ukuran, batas)
    assert bagian in galat.value.detail
    assert galat.value.extra["batas_byte"] == batas
