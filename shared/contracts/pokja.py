"""Events published by pokja (topics `pokja.paket.v1`, `pokja.pokja.v1`, `pokja.pejabat_pengadaan.v1`).

Money is integer rupiah. Methods: tender, tender_cepat, seleksi, penunjukan_langsung,
pengadaan_langsung, e_purchasing. Jenis: barang, pekerjaan_konstruksi, jasa_konsultansi, jasa_lainnya.
"""

from __future__ import annotations

from datetime import date, datetime

from shared.events import EventPayload, event


class _Paket(EventPayload):
    kode: str
    waktu: datetime


@event("pokja.paket.dicatat", "A procurement package was recorded (or its data corrected).")
class PaketDicatat(_Paket):
    nama: str
    satuan_kerja: str
    jenis_pengadaan: str
    pagu: int
    hps: int
    tahun_anggaran: int
    metode_pemilihan: str


@event("pokja.paket.metode_diubah", "Staff overrode a package's selection method, with a recorded reason.")
class MetodePemilihanDiubah(_Paket):
    metode_pemilihan: str
    alasan: str


@event("pokja.paket.hasil_pemilihan_dilaporkan",
       "A Pokja or Pejabat Pengadaan reported a selection's outcome to the Kepala UKPBJ (Pasal 17).")
class HasilPemilihanDilaporkan(_Paket):
    status: str  # selesai | gagal
    tanggal: date
    nilai_kontrak: int | None = None
    pemenang: str | None = None
    pelapor_nip: str
    pelaksana: str  # pokja | pejabat_pengadaan
    pelaksana_id: str
    jenis_pengadaan: str
    metode_pemilihan: str
    pagu: int
    hps: int
    tahun_anggaran: int


class _Pokja(EventPayload):
    pokja_id: str
    waktu: datetime


@event("pokja.pokja.dibentuk", "The Kepala UKPBJ formed a Pokja Pemilihan (Pasal 9, 15).")
class PokjaDibentuk(_Pokja):
    nama: str
    nomor_sk: str
    anggota: list[str]  # NIPs
    paket: list[str] = []


@event("pokja.pokja.anggota_ditambahkan", "A member joined a Pokja.")
class AnggotaDitambahkan(_Pokja):
    nip: str


@event("pokja.pokja.anggota_dikeluarkan", "A member left a Pokja.")
class AnggotaDikeluarkan(_Pokja):
    nip: str
    alasan: str | None = None


@event("pokja.pokja.paket_ditugaskan", "A package was assigned to a Pokja.")
class PaketDitugaskan(_Pokja):
    kode_paket: str


@event("pokja.pokja.dibubarkan", "The Kepala UKPBJ dissolved a Pokja.")
class PokjaDibubarkan(_Pokja):
    alasan: str


@event("pokja.pokja.penggantian_diperlukan",
       "A member's SPSE user was deactivated or expired: the member must be replaced.")
class PenggantianDiperlukan(_Pokja):
    nip: str
    status_spse: str


@event("pokja.pejabat_pengadaan.ditugaskan",
       "A Pengelola PBJ was assigned as Pejabat Pengadaan at a satker on its KPA's request (Pasal 16).")
class PejabatPengadaanDitugaskan(EventPayload):
    penugasan_id: str
    nip: str
    satuan_kerja: str
    nomor_permintaan_kpa: str
    waktu: datetime


@event("pokja.pejabat_pengadaan.paket_ditugaskan", "A package within direct-procurement limits went to a Pejabat Pengadaan.")
class PaketDitugaskanKePejabatPengadaan(EventPayload):
    penugasan_id: str
    nip: str
    kode_paket: str
    waktu: datetime
