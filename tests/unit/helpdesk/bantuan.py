from __future__ import annotations

from datetime import datetime

from services.helpdesk.domain import Aktor, Pelapor, Tiket
from services.helpdesk.waktu_kerja import WIB, KalenderKerja

KALENDER = KalenderKerja()

PELAPOR = Aktor("pokja-3171", frozenset({"pokja"}))
HELPDESK = Aktor("198501012010011001", frozenset({"helpdesk"}))
HELPDESK_LAIN = Aktor("199002022015012003", frozenset({"helpdesk"}))
KASUBBAG = Aktor("197903032005011002", frozenset({"kasubbag_lpse"}))
ORANG_LAIN = Aktor("penyedia-77", frozenset({"penyedia"}))


def wib(tahun: int, bulan: int, hari: int, jam: int = 0, menit: int = 0, detik: int = 0,
        mikro: int = 0) -> datetime:
    return datetime(tahun, bulan, hari, jam, menit, detik, mikro, tzinfo=WIB)


def tiket_baru(waktu: datetime | None = None, **ubah: object) -> Tiket:
    data: dict[str, object] = {
        "id": "T-1", "pelapor": Pelapor(sub=PELAPOR.sub), "judul": "Dokumen penawaran gagal diunggah",
        "uraian": "Unggah berkas penawaran berhenti di 99%.", "kategori": "aplikasi", "kanal": "web",
        "waktu": waktu or wib(2026, 1, 5, 9), "paket_kode": "10012345"}
    data.update(ubah)
    return Tiket.buat(**data)  # type: ignore[arg-type]
