"""Events as registrasi, pokja and helpdesk publish them, and one year of activity with known figures."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from shared.events import Envelope, spec_for
from services.pelaporan.periode import WIB


def amplop(tipe: str, agg: str, versi: int = 1, /, **data: Any) -> Envelope:
    """A CloudEvents envelope whose data is validated by the event's contract model."""
    spec = spec_for(tipe)
    return Envelope(source=f"/ukpbj/{spec.service}", type=tipe, aggregateid=agg, aggregateversion=versi,
                    data=spec.payload(**data).model_dump(mode="json"))


def wib(tahun: int, bulan: int, hari: int, jam: int = 9, menit: int = 0, detik: int = 0) -> datetime:
    return datetime(tahun, bulan, hari, jam, menit, detik, tzinfo=WIB)


def uid() -> str:
    return str(uuid.uuid4())


# --------------------------------------------------------------------------- registrasi


def diajukan(agg: str, waktu: datetime, versi: int = 1, ulang: bool = False) -> Envelope:
    return amplop("registrasi.pendaftaran.diajukan", agg, versi, pendaftaran_id=agg, jenis="penyedia",
                  status="diajukan", waktu=waktu, diajukan_ulang=ulang)


def diputuskan(keputusan: str, agg: str, waktu: datetime, diajukan_pada: datetime, versi: int,
               **lain: Any) -> Envelope:
    data: dict[str, Any] = dict(pendaftaran_id=agg, jenis="penyedia", status=keputusan, waktu=waktu,
                                diajukan_pada=diajukan_pada)
    if keputusan == "disetujui":
        data.update(pengguna_id=lain.pop("pengguna_id", uid()), user_id=f"u{agg[:8]}")
    else:
        data["alasan"] = "Dokumen tidak sesuai"
    return amplop(f"registrasi.pendaftaran.{keputusan}", agg, versi, **data, **lain)


def pengguna(aksi: str, agg: str, waktu: datetime, versi: int, *, nip: str | None = None,
             nama: str = "Pengguna Uji") -> Envelope:
    status = {"diaktifkan": "aktif", "dinonaktifkan": "nonaktif", "kedaluwarsa": "kedaluwarsa"}[aksi]
    data: dict[str, Any] = dict(pengguna_id=agg, user_id=f"u{agg[:8]}", jenis="non_penyedia" if nip else "penyedia",
                                status=status, waktu=waktu, nama=nama, nip=nip)
    if aksi == "dinonaktifkan":
        data["alasan"] = "Melanggar ketentuan penggunaan"
    return amplop(f"registrasi.pengguna.{aksi}", agg, versi, **data)


def ditolak_di_pintu(waktu: datetime) -> Envelope:
    agg = uid()
    return amplop("registrasi.pendaftaran.ditolak_daftar_hitam", agg, 1, percobaan_id=agg, jenis="penyedia",
                  daftar_hitam_id=uid(), daftar_hitam_selesai=date(waktu.year + 1, 1, 1), waktu=waktu)


# --------------------------------------------------------------------------- pokja


def paket_dicatat(kode: str, waktu: datetime, *, jenis: str = "barang", metode: str = "tender",
                  pagu: int = 1_000_000_000, hps: int = 950_000_000, tahun: int | None = None, versi: int = 1,
                  nama: str | None = None, satker: str = "Biro Umum") -> Envelope:
    return amplop("pokja.paket.dicatat", kode, versi, kode=kode, waktu=waktu, nama=nama or f"Paket {kode}",
                  satuan_kerja=satker, jenis_pengadaan=jenis, pagu=pagu, hps=hps,
                  tahun_anggaran=tahun or waktu.year, metode_pemilihan=metode)


def hasil(kode: str, waktu: datetime, status: str, versi: int, *, jenis: str = "barang", metode: str = "tender",
          pagu: int = 1_000_000_000, hps: int = 950_000_000, nilai: int | None = None, pemenang: str | None = None,
          pokja_id: str | None = None) -> Envelope:
    return amplop("pokja.paket.hasil_pemilihan_dilaporkan", kode, versi, kode=kode, waktu=waktu, status=status,
                  tanggal=waktu.date(), nilai_kontrak=nilai, pemenang=pemenang, pelapor_nip="198001012005011001",
                  pelaksana="pokja" if pokja_id else "pejabat_pengadaan", pelaksana_id=pokja_id or uid(),
                  jenis_pengadaan=jenis, metode_pemilihan=metode, pagu=pagu, hps=hps, tahun_anggaran=waktu.year)


def pokja(verba: str, pokja_id: str, waktu: datetime, versi: int, /, **data: Any) -> Envelope:
    return amplop(f"pokja.pokja.{verba}", pokja_id, versi, pokja_id=pokja_id, waktu=waktu, **data)


def pejabat_pengadaan(waktu: datetime) -> Envelope:
    agg = uid()
    return amplop("pokja.pejabat_pengadaan.ditugaskan", agg, 1, penugasan_id=agg, nip="198501012010011002",
                  satuan_kerja="Direktorat Jenderal Bina Keuangan Daerah", nomor_permintaan_kpa="KPA/01", waktu=waktu)


# --------------------------------------------------------------------------- helpdesk


def tiket(verba: str, tiket_id: str, waktu: datetime, versi: int, /, **data: Any) -> Envelope:
    return amplop(f"helpdesk.tiket.{verba}", tiket_id, versi, tiket_id=tiket_id, waktu=waktu, **data)


def tiket_dibuat(tiket_id: str, waktu: datetime, kategori: str = "aplikasi", kanal: str = "web",
                 **lain: Any) -> Envelope:
    return tiket("dibuat", tiket_id, waktu, 1, kategori=kategori, kanal=kanal, prioritas="normal",
                 target_respons_detik=4 * 3600, target_penyelesaian_detik=3 * 8 * 3600, **lain)


def berita_acara(waktu: datetime) -> Envelope:
    agg = uid()
    return amplop("helpdesk.berita_acara.ditandatangani", agg, 1, berita_acara_id=agg, waktu=waktu,
                  paket_kode="P-BA", hasil="evaluasi_dilanjutkan")


# --------------------------------------------------------------------------- one year


def setahun(t: int) -> tuple[list[Envelope], dict[str, Any]]:
    """A year of activity across the three services, and the identifiers a test may look at.

    Tests share one database: a test using year t leaves state (an active Pokja) only until
    15 January of t + 1, so tests using this must be at least two years apart."""
    r1, r2, r3, u1, u2 = uid(), uid(), uid(), uid(), uid()
    kode = f"{t}-{uuid.uuid4().hex[:8]}"
    a, b, c = f"A-{kode}", f"B-{kode}", f"C-{kode}"
    k1, k2 = uid(), uid()
    n = [f"19{t % 100:02d}0101200{i}011001" for i in range(1, 7)]
    t1, t2, t3 = uid(), uid(), uid()
    events = [
        # registrasi: three registrations (24 h, 96 h and 48 h to decision), a refusal at the door, users
        diajukan(r1, wib(t, 1, 10)),
        diputuskan("disetujui", r1, wib(t, 1, 11), wib(t, 1, 10), 2, pengguna_id=u1),
        pengguna("diaktifkan", u1, wib(t, 1, 11), 1, nip=n[0], nama="Andi Pratama"),
        diajukan(r2, wib(t, 2, 1, 8)),
        diputuskan("perlu_perbaikan", r2, wib(t, 2, 2, 8), wib(t, 2, 1, 8), 2),
        diajukan(r2, wib(t, 2, 3, 8), versi=3, ulang=True),
        diputuskan("ditolak", r2, wib(t, 2, 5, 8), wib(t, 2, 1, 8), 4, karena_daftar_hitam=True),
        diajukan(r3, wib(t, 3, 1)),
        diputuskan("disetujui", r3, wib(t, 3, 3), wib(t, 3, 1), 2, pengguna_id=u2),
        pengguna("diaktifkan", u2, wib(t, 3, 3), 1, nip=n[1], nama="Budi Santoso"),
        ditolak_di_pintu(wib(t, 4, 1)),
        pengguna("dinonaktifkan", u1, wib(t, 5, 1), 2, nip=n[0], nama="Andi Pratama"),
        pengguna("kedaluwarsa", u2, wib(t, 8, 1), 2, nip=n[1], nama="Budi Santoso"),
        # pokja: three packages, two Pokja, one Pejabat Pengadaan
        paket_dicatat(a, wib(t, 1, 5)),
        paket_dicatat(b, wib(t, 1, 6), jenis="pekerjaan_konstruksi", metode="tender_cepat", pagu=2_000_000_000,
                      hps=1_900_000_000),
        paket_dicatat(c, wib(t, 1, 7), jenis="jasa_konsultansi", metode="seleksi", pagu=500_000_000,
                      hps=480_000_000),
        pokja("dibentuk", k1, wib(t, 1, 3), 1, nama="Pokja Pemilihan 1", nomor_sk="SK/1", anggota=n[:3], paket=[a]),
        pokja("paket_ditugaskan", k1, wib(t, 1, 7), 2, kode_paket=b),
        pokja("anggota_dikeluarkan", k1, wib(t, 2, 1), 3, nip=n[2], alasan="Mutasi"),
        pokja("anggota_ditambahkan", k1, wib(t, 2, 2), 4, nip=n[3]),
        pokja("dibentuk", k2, wib(t, 2, 10), 1, nama="Pokja Pemilihan 2", nomor_sk="SK/2",
              anggota=[n[0], n[4], n[5]], paket=[c]),
        pejabat_pengadaan(wib(t, 3, 1)),
        hasil(a, wib(t, 3, 15), "selesai", 2, nilai=900_000_000, pemenang="PT Andalan", pokja_id=k1),
        hasil(b, wib(t, 4, 10), "gagal", 2, jenis="pekerjaan_konstruksi", metode="tender_cepat",
              pagu=2_000_000_000, hps=1_900_000_000, pokja_id=k1),
        hasil(b, wib(t, 8, 10), "selesai", 3, jenis="pekerjaan_konstruksi", metode="tender_cepat",
              pagu=2_000_000_000, hps=1_900_000_000, nilai=2_100_000_000, pemenang="PT Beton", pokja_id=k1),
        pokja("dibubarkan", k1, wib(t, 9, 1), 5, alasan="Tugas selesai"),
        # everything the year left open is closed early next year, so later years start empty
        pokja("dibubarkan", k2, wib(t + 1, 1, 15), 2, alasan="Tugas selesai"),
        # helpdesk: a ticket within SLA, an out-of-scope one, one breached and escalated to LKPP
        tiket_dibuat(t1, wib(t, 1, 10, 8)),
        tiket("ditugaskan", t1, wib(t, 1, 10, 8, 30), 2, petugas="helpdesk-1"),
        tiket("ditanggapi", t1, wib(t, 1, 10, 9), 3, oleh="petugas", status="diproses", respons_pertama=True,
              detik_kerja_respons=3600.0, sla_respons_terpenuhi=True),
        tiket("diselesaikan", t1, wib(t, 1, 11, 9), 4, tingkat="helpdesk", detik_kerja_penyelesaian=14400.0,
              sla_penyelesaian_terpenuhi=True),
        tiket("ditutup", t1, wib(t, 1, 12), 5, sebab="konfirmasi"),
        tiket("dinilai", t1, wib(t, 1, 12, 10), 6, nilai=5),
        tiket_dibuat(t2, wib(t, 2, 1), kategori="non_teknis", kanal="telepon", di_luar_lingkup=True),
        tiket("ditanggapi", t2, wib(t, 2, 1, 9, 5), 2, oleh="petugas", status="diproses", respons_pertama=True,
              detik_kerja_respons=300.0, sla_respons_terpenuhi=True),  # a referral: out of scope, no SLA
        tiket("ditutup", t2, wib(t, 2, 1, 10), 3, sebab="di_luar_lingkup", di_luar_lingkup=True),
        tiket_dibuat(t3, wib(t, 3, 1, 8), kategori="infrastruktur", kanal="email"),
        tiket("sla_terlampaui", t3, wib(t, 3, 1, 12), 2, jenis="respons_pertama", target_detik=14400,
              jatuh_tempo=wib(t, 3, 1, 12)),
        tiket("ditanggapi", t3, wib(t, 3, 2), 3, oleh="petugas", status="diproses", respons_pertama=True,
              detik_kerja_respons=28800.0, sla_respons_terpenuhi=False),
        tiket("dieskalasi", t3, wib(t, 3, 3), 4, dari="kasubbag_lpse", ke="lkpp_eproc",
              alasan="tidak_dapat_diselesaikan"),
        tiket("sla_terlampaui", t3, wib(t, 6, 1), 5, jenis="penyelesaian", target_detik=86400,
              jatuh_tempo=wib(t, 6, 1)),
        tiket("diselesaikan", t3, wib(t, 7, 5), 6, tingkat="lkpp_eproc", detik_kerja_penyelesaian=360000.0,
              sla_penyelesaian_terpenuhi=False),
        berita_acara(wib(t, 4, 1)),
    ]
    return events, {"paket": (a, b, c), "pokja": (k1, k2), "nip": n, "tiket": (t1, t2, t3), "pendaftaran": (r1, r2, r3)}


# Key figures (`angka_kunci[].nilai`) of that year, per period.
S1 = {
    "registrasi": {"diajukan": 3, "disetujui": 2, "ditolak": 1, "perlu_perbaikan": 1, "ditolak_daftar_hitam": 1,
                   "ditolak_di_pintu": 1, "median_jam_keputusan": 48.0, "p90_jam_keputusan": 86.4,
                   "pengguna_aktif": 1, "pengguna_dinonaktifkan": 1, "tingkat_persetujuan": 66.67},
    "pengadaan": {"paket_selesai": 1, "paket_gagal": 1, "persentase_gagal": 50.0, "pagu_selesai": 1_000_000_000,
                  "nilai_kontrak": 900_000_000, "efisiensi_persen": 10.0, "pokja_dibentuk": 2, "pokja_dibubarkan": 0,
                  "pokja_aktif": 2, "anggota_pokja": 5, "beban_rata_rata": 1.8, "beban_maks": 3,
                  "pejabat_pengadaan_ditugaskan": 1},
    "helpdesk": {"tiket": 3, "tiket_non_teknis": 1, "sla_respons": 50.0, "sla_penyelesaian": 50.0,
                 "median_jam_kerja_respons": 4.5, "median_jam_kerja_penyelesaian": 4.0, "eskalasi_lkpp": 1,
                 "berita_acara": 1, "kepuasan_rata_rata": 5.0, "kepuasan_responden": 1},
}
S2 = {
    "registrasi": {"diajukan": 0, "disetujui": 0, "median_jam_keputusan": "N/A", "pengguna_aktif": 0,
                   "tingkat_persetujuan": "N/A"},
    "pengadaan": {"paket_selesai": 1, "paket_gagal": 0, "pagu_selesai": 2_000_000_000, "nilai_kontrak": 2_100_000_000,
                  "efisiensi_persen": -5.0, "pokja_dibubarkan": 1, "pokja_aktif": 1, "anggota_pokja": 3,
                  "beban_maks": 1},
    "helpdesk": {"tiket": 0, "sla_respons": "N/A", "sla_penyelesaian": "N/A", "median_jam_kerja_penyelesaian": 100.0,
                 "kepuasan_rata_rata": "N/A"},
}
TAHUNAN = {
    "registrasi": {"diajukan": 3, "disetujui": 2, "ditolak": 1, "pengguna_aktif": 0},
    "pengadaan": {"paket_selesai": 2, "paket_gagal": 1, "pagu_selesai": 3_000_000_000,
                  "nilai_kontrak": 3_000_000_000, "efisiensi_persen": 0.0, "pokja_dibentuk": 2, "pokja_dibubarkan": 1},
    "helpdesk": {"tiket": 3, "sla_penyelesaian": 50.0, "eskalasi_lkpp": 1},
}


def angka_kunci(laporan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`{bagian: {kunci: nilai}}` from a report's JSON."""
    return {b["kunci"]: {a["kunci"]: a["nilai"] for a in b["angka_kunci"]} for b in laporan["bagian"]}


def cocok(laporan: dict[str, Any], harapan: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The expected figures that differ in the report ({} when all match)."""
    ada = angka_kunci(laporan)
    return {b: beda for b, isi in harapan.items()
            if (beda := {k: (ada[b].get(k), v) for k, v in isi.items() if ada[b].get(k) != v})}
