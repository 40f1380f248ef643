"""Events published by registrasi (topics `registrasi.pendaftaran.v1`, `registrasi.pengguna.v1`, ...).

Government users' events carry what pokja needs (NIP, name, roles, satker, validity). No document
contents and no NIK/NPWP: no consumer needs them.
"""

from __future__ import annotations

from datetime import date, datetime

from shared.events import EventPayload, event


class _Pendaftaran(EventPayload):
    pendaftaran_id: str
    jenis: str  # penyedia | non_penyedia
    status: str
    waktu: datetime


@event("registrasi.pendaftaran.diajukan", "A registration was submitted (or resubmitted after fixes).")
class PendaftaranDiajukan(_Pendaftaran):
    diajukan_ulang: bool = False
    bentuk_usaha: str | None = None


@event("registrasi.pendaftaran.perlu_perbaikan", "The verifikator sent a registration back for fixes.")
class PendaftaranPerluPerbaikan(_Pendaftaran):
    alasan: str
    dokumen_kurang: list[str] = []


@event("registrasi.pendaftaran.disetujui", "The verifikator approved a registration; a user was created.")
class PendaftaranDisetujui(_Pendaftaran):
    pengguna_id: str
    diajukan_pada: datetime


@event("registrasi.pendaftaran.ditolak", "The verifikator refused a registration (final).")
class PendaftaranDitolak(_Pendaftaran):
    alasan: str
    diajukan_pada: datetime
    karena_daftar_hitam: bool = False


class _Pengguna(EventPayload):
    pengguna_id: str
    user_id: str
    jenis: str
    status: str
    waktu: datetime
    nama: str
    nip: str | None = None
    peran: list[str] = []
    satuan_kerja: str | None = None
    instansi: str | None = None
    berlaku_sampai: date | None = None


@event("registrasi.pengguna.diaktifkan", "A user ID became active (on approval or reactivation).")
class PenggunaDiaktifkan(_Pengguna):
    alasan: str | None = None


@event("registrasi.pengguna.dinonaktifkan", "A user ID was deactivated by the verifikator.")
class PenggunaDinonaktifkan(_Pengguna):
    alasan: str


@event("registrasi.pengguna.kedaluwarsa", "A government user's SK end date passed; access expired.")
class PenggunaKedaluwarsa(_Pengguna):
    pass


@event("registrasi.daftar_hitam.dicatat", "A blacklist entry was recorded.")
class DaftarHitamDicatat(EventPayload):
    daftar_hitam_id: str
    jenis_pelanggaran: str
    mulai: date
    selesai: date
    waktu: datetime


@event("registrasi.pendaftaran.ditolak_daftar_hitam", "A submission was refused at the door: active blacklist entry.")
class PendaftaranDitolakDaftarHitam(EventPayload):
    percobaan_id: str
    jenis: str
    daftar_hitam_selesai: date
    waktu: datetime
