"""Events published by registrasi (topics `registrasi.pendaftaran.v1`, `registrasi.pengguna.v1`,
`registrasi.daftar_hitam.v1`).

Consumers: pelaporan counts registrations by kind and status, the time from submission to decision
(`diajukan_pada` on every decision), users by status and blacklist refusals; pokja links government
users to its personnel by NIP (`nip`, `nama`, `peran`, `satuan_kerja`, `instansi`, `berlaku_sampai`).
No document contents and no NIK/NPWP: no consumer needs them.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from shared.events import EventPayload, event


class _Pendaftaran(EventPayload):
    pendaftaran_id: str
    jenis: str = Field(description="penyedia | non_penyedia")
    status: str = Field(description="the registration's status after the change")
    waktu: datetime = Field(description="when the change happened")
    bentuk_usaha: str | None = Field(None, description="pt, cv, koperasi, perorangan, ... (penyedia only)")


class _Keputusan(_Pendaftaran):
    diajukan_pada: datetime = Field(description="first submission; time to decision = waktu - diajukan_pada")
    menunggu_sejak: datetime | None = Field(None, description="last (re)submission, the start of this wait")
    diputuskan_oleh: str | None = Field(None, description="the verifikator's subject (NIP)")


@event("registrasi.pendaftaran.diajukan", "A registration was submitted (or resubmitted after fixes).")
class PendaftaranDiajukan(_Pendaftaran):
    diajukan_ulang: bool = False


@event("registrasi.pendaftaran.perlu_perbaikan", "The verifikator sent a registration back for fixes.")
class PendaftaranPerluPerbaikan(_Keputusan):
    alasan: str
    dokumen_kurang: list[str] = Field(default_factory=list, description="documents or fields to fix")


@event("registrasi.pendaftaran.disetujui", "The verifikator approved a registration; a user was created.")
class PendaftaranDisetujui(_Keputusan):
    pengguna_id: str
    user_id: str


@event("registrasi.pendaftaran.ditolak", "The verifikator refused a registration (final).")
class PendaftaranDitolak(_Keputusan):
    alasan: str
    karena_daftar_hitam: bool = False


class _Pengguna(EventPayload):
    pengguna_id: str
    user_id: str
    jenis: str
    status: str
    waktu: datetime
    nama: str
    nip: str | None = None
    peran: list[str] = Field(default_factory=list)
    satuan_kerja: str | None = None
    instansi: str | None = None
    berlaku_sampai: date | None = None


@event("registrasi.pengguna.diaktifkan", "A user ID became active (on approval or reactivation).")
class PenggunaDiaktifkan(_Pengguna):
    alasan: str | None = None
    pendaftaran_id: str | None = None


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


@event("registrasi.pendaftaran.ditolak_daftar_hitam",
       "A submission (or resubmission) was refused at the door: the NPWP or NIB has an active blacklist entry.")
class PendaftaranDitolakDaftarHitam(EventPayload):
    percobaan_id: str = Field(description="id of the refused attempt (no registration was created)")
    jenis: str
    bentuk_usaha: str | None = None
    pendaftaran_id: str | None = Field(None, description="set when a resubmission was refused")
    daftar_hitam_id: str
    daftar_hitam_selesai: date
    waktu: datetime
