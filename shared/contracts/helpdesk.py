"""Events published by helpdesk (topics `helpdesk.tiket.v1`, `helpdesk.pengumuman.v1`,
`helpdesk.berita_acara.v1`). No reporter contact details in any event.

SLA figures are computed by helpdesk in business seconds (office hours in WIB on working days,
paused while waiting for the reporter) and carried in the events, so pelaporan never recomputes them.
"""

from __future__ import annotations

from datetime import datetime

from shared.events import EventPayload, event


class _Tiket(EventPayload):
    tiket_id: str
    waktu: datetime


@event("helpdesk.tiket.dibuat", "A ticket was opened (web, phone, e-mail or visit).")
class TiketDibuat(_Tiket):
    kategori: str  # aplikasi | infrastruktur | akun | informasi | non_teknis
    kanal: str  # web | telepon | email | kunjungan
    prioritas: str
    paket_kode: str | None = None
    di_luar_lingkup: bool = False
    target_respons_detik: int
    target_penyelesaian_detik: int


@event("helpdesk.tiket.ditugaskan", "A ticket was assigned to a helpdesk officer.")
class TiketDitugaskan(_Tiket):
    petugas: str
    otomatis: bool = False


@event("helpdesk.tiket.ditanggapi", "A reply was added to a ticket (internal notes included, flagged).")
class TiketDitanggapi(_Tiket):
    oleh: str  # pelapor | petugas
    internal: bool = False
    status: str
    respons_pertama: bool = False
    detik_kerja_respons: float | None = None  # business seconds to the first response, on the first one
    sla_respons_terpenuhi: bool | None = None


@event("helpdesk.tiket.dieskalasi", "A ticket was escalated (Kasubbag LPSE, LKPP e-proc, LKPP technical).")
class TiketDieskalasi(_Tiket):
    dari: str
    ke: str
    alasan: str | None = None
    referensi_lkpp: str | None = None


@event("helpdesk.tiket.diselesaikan", "A ticket was resolved; the reporter is asked to confirm.")
class TiketDiselesaikan(_Tiket):
    tingkat: str
    detik_kerja_penyelesaian: float
    sla_penyelesaian_terpenuhi: bool


@event("helpdesk.tiket.ditutup", "A ticket was closed (confirmed, timed out, or out of scope).")
class TiketDitutup(_Tiket):
    sebab: str  # konfirmasi | otomatis | di_luar_lingkup
    di_luar_lingkup: bool = False


@event("helpdesk.tiket.dibuka_kembali", "The reporter reopened a ticket.")
class TiketDibukaKembali(_Tiket):
    dari_status: str


@event("helpdesk.tiket.sla_terlampaui", "A first-response or resolution SLA was breached (emitted when it happens).")
class SlaTerlampaui(_Tiket):
    jenis: str  # respons_pertama | penyelesaian
    target_detik: int
    jatuh_tempo: datetime


@event("helpdesk.tiket.dinilai", "The reporter rated a resolved ticket (1-5).")
class TiketDinilai(_Tiket):
    nilai: int


@event("helpdesk.pengumuman.diterbitkan", "A disruption, maintenance or information announcement was published.")
class PengumumanDiterbitkan(EventPayload):
    pengumuman_id: str
    waktu: datetime
    jenis: str  # gangguan | pemeliharaan | informasi
    judul: str
    mulai: datetime
    selesai: datetime


@event("helpdesk.berita_acara.ditandatangani", "A berita acara for an unopenable bid file was signed (Lampiran 2.5.3).")
class BeritaAcaraDitandatangani(EventPayload):
    berita_acara_id: str
    waktu: datetime
    paket_kode: str
    hasil: str  # evaluasi_dilanjutkan | penawaran_tidak_memenuhi
