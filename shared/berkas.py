"""Uploaded files: what they really are (from their bytes, not their names), their size limit, and
where they are kept. Files live outside the database, addressed by SHA-256, behind a small storage
interface (`Penyimpanan`) so an S3-compatible store can replace the local directory.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import anyio

from shared.errors import PayloadTooLarge, UnsupportedMediaType

BATAS_UKURAN_BAKU = 10 * 1024 * 1024
JENIS_DITERIMA = ("application/pdf", "image/jpeg", "image/png")

_TANDA_DITERIMA = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"),
                   (b"\x89PNG\r\n\x1a\n", "image/png"))
_TANDA_DIKENAL = ((b"PK\x03\x04", "arsip ZIP (termasuk DOCX/XLSX)"),
                  (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "dokumen Office lama (DOC/XLS)"),
                  (b"GIF8", "gambar GIF"), (b"BM", "gambar BMP"), (b"II*\x00", "gambar TIFF"),
                  (b"MM\x00*", "gambar TIFF"), (b"Rar!", "arsip RAR"), (b"MZ", "program Windows (EXE)"),
                  (b"{\\rtf", "dokumen RTF"))


def deteksi_jenis_konten(awal: bytes, *, nama_berkas: str | None = None) -> str:
    """Media type of a document from its first bytes; only PDF, JPEG and PNG are accepted."""
    for tanda, jenis in _TANDA_DITERIMA:
        if awal.startswith(tanda):
            return jenis
    if not awal:
        terdeteksi = "berkas kosong"
    elif awal[:4] == b"RIFF" and awal[8:12] == b"WEBP":
        terdeteksi = "gambar WebP"
    elif awal[4:8] == b"ftyp":
        terdeteksi = "gambar HEIC atau video"
    else:
        terdeteksi = next((j for t, j in _TANDA_DIKENAL if awal.startswith(t)), "format tidak dikenal")
    nama = f'"{nama_berkas}" ' if nama_berkas else ""
    raise UnsupportedMediaType(
        f"Isi berkas {nama}terdeteksi sebagai {terdeteksi}. Hanya PDF, JPEG, atau PNG yang diterima, "
        "apa pun ekstensi nama berkasnya.", extra={"terdeteksi": terdeteksi})


def periksa_ukuran(ukuran: int, batas: int = BATAS_UKURAN_BAKU) -> None:
    """Refuse a document larger than `batas` bytes, naming the limit in MB."""
    if ukuran > batas:
        raise PayloadTooLarge(f"Ukuran berkas {_mb(ukuran, ke_atas=True)} MB melebihi batas {_mb(batas)} MB; "
                              "perkecil atau pindai ulang dengan resolusi lebih rendah.",
                              extra={"batas_byte": batas})


def _mb(byte: int, *, ke_atas: bool = False) -> str:
    persepuluh = byte * 10 / 1024 / 1024
    teks = f"{(math.ceil(persepuluh) if ke_atas else round(persepuluh)) / 10:.1f}"
    return teks.removesuffix(".0").replace(".", ",")


@dataclass(frozen=True)
class BerkasTersimpan:
    kunci: str
    ukuran: int
    sha256: str
    jenis_konten: str


class Penyimpanan(Protocol):
    """Where file bytes live; keys are opaque strings."""

    async def simpan(self, isi: bytes, *, jenis_konten: str) -> BerkasTersimpan: ...

    async def baca(self, kunci: str) -> bytes: ...


def periksa_berkas(isi: bytes, *, nama_berkas: str | None = None, batas: int = BATAS_UKURAN_BAKU) -> str:
    """Size first, then the real content type; returns the content type."""
    periksa_ukuran(len(isi), batas)
    return deteksi_jenis_konten(isi[:16], nama_berkas=nama_berkas)


class PenyimpananLokal:
    """Files in a directory, written atomically (temp file + rename) and fsynced before commit."""

    def __init__(self, akar: Path) -> None:
        self.akar = Path(akar)

    def _jalur(self, kunci: str) -> Path:
        if not kunci or kunci.startswith("/") or ".." in kunci:
            raise ValueError("kunci berkas tidak valid")
        return self.akar / kunci

    async def simpan(self, isi: bytes, *, jenis_konten: str) -> BerkasTersimpan:
        digest = hashlib.sha256(isi).hexdigest()
        kunci = f"{digest[:2]}/{digest}-{uuid.uuid4().hex[:8]}"
        await anyio.to_thread.run_sync(self._tulis, kunci, isi)
        return BerkasTersimpan(kunci=kunci, ukuran=len(isi), sha256=digest, jenis_konten=jenis_konten)

    def _tulis(self, kunci: str, isi: bytes) -> None:
        tujuan = self._jalur(kunci)
        tujuan.parent.mkdir(parents=True, exist_ok=True)
        fd, sementara = tempfile.mkstemp(dir=tujuan.parent)
        with os.fdopen(fd, "wb") as berkas:
            berkas.write(isi)
            berkas.flush()
            os.fsync(berkas.fileno())
        os.replace(sementara, tujuan)

    async def baca(self, kunci: str) -> bytes:
        return await anyio.Path(self._jalur(kunci)).read_bytes()
