"""Demo data for `make seed`, through helpdesk's public API: officers, 30 tickets across categories,
channels and priorities (from the public and from SPSE users) with replies, internal notes,
assignments, escalations up to LKPP, resolutions, confirmations, a reopening and ratings; three
announcements (one active disruption); one signed berita acara.

Re-runnable: a finished seed is recognised by its signed berita acara and skipped; creates carry an
`Idempotency-Key` and follow-up actions an `If-Match`, so a partial earlier run is never duplicated.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from services.helpdesk.waktu_kerja import WIB
from shared.seed import SeedContext

PETUGAS = (("198501012010011001", "Dewi Lestari"), ("199002022015012003", "Agus Prasetyo"),
           ("199305052019031002", "Fitri Handayani"))
KASUBBAG = ("197903032005011002", "Budi Santoso")
POKJA = (("198705052011012005", "Rina Wati"), ("199011112015031001", "Andi Saputra"),
         ("199203032018012002", "Maya Sari"))
PAKET_BA = "10098765"
TERBALAS = (200, 201, 409, 412)


@dataclass(frozen=True)
class Rencana:
    """One demo ticket: who reports it, how, and what happens to it (one request per step)."""

    judul: str
    uraian: str
    kategori: str
    kanal: str
    pelapor: tuple[str, str] | dict[str, str]  # (role, sub) of an SPSE user, or public contact details
    langkah: tuple[tuple[Any, ...], ...] = ()
    prioritas: str | None = None  # set by the officer who records a phone call or a visit
    paket_kode: str | None = None


def _publik(nama: str, **kontak: str) -> dict[str, str]:
    return {"nama": nama, **kontak}


SELESAI_DIKONFIRMASI = (("jawab", 0, "Sedang kami periksa."),
                        ("selesaikan", 0, "Sudah kami perbaiki; silakan coba lagi."), ("konfirmasi",))

TIKET: tuple[Rencana, ...] = (
    Rencana("Dokumen penawaran gagal diunggah", "Unggah berkas penawaran berhenti di 99% pada paket 10012345.",
            "aplikasi", "web", ("penyedia", "penyedia-cv-sinar"), paket_kode="10012345", langkah=(
                ("tugaskan", 0), ("jawab", 0, "Mohon coba peramban lain dan kirim tangkapan layar."),
                ("catatan", 0, "Log server unggah: batas ukuran 20 MB terlampaui."),
                ("selesaikan", 0, "Batas unggah dinaikkan menjadi 50 MB; silakan unggah ulang."), ("konfirmasi",),
                ("nilai", 5, "Cepat dan jelas."))),
    Rencana("Tidak bisa masuk SPSE", "Akun terkunci setelah tiga kali salah kata sandi.", "akun", "telepon",
            _publik("Siti Rahayu", telepon="081234567890"), prioritas="tinggi", langkah=(
                ("jawab", 1, "Akun sudah kami buka; silakan atur ulang kata sandi."),
                ("selesaikan", 1, "Akun dibuka kembali."), ("konfirmasi",), ("nilai", 4, "Terima kasih."))),
    Rencana("Server SPSE lambat saat pembukaan penawaran", "Halaman pembukaan penawaran memerlukan 2 menit.",
            "infrastruktur", "web", ("pokja", POKJA[0][0]), paket_kode="10023456", langkah=(
                ("tugaskan", "otomatis"), ("catatan", 1, "Beban CPU server aplikasi 95%."),
                ("eskalasi", "kasubbag_lpse", 1, "Perlu penambahan kapasitas server."),
                ("selesaikan", "kasubbag", "Kapasitas server ditambah; waktu muat kembali normal."),
                ("konfirmasi",), ("nilai", 4, None))),
    Rencana("Modul e-kontrak menampilkan galat 500", "Tombol simpan SPK menghasilkan galat 500.", "aplikasi", "email",
            ("ppk", "198011112006041003"), paket_kode="10034567", langkah=(
                ("tugaskan", 2), ("jawab", 2, "Kami teruskan ke Kasubbag LPSE."),
                ("eskalasi", "kasubbag_lpse", 2, "Galat di modul inti SPSE."),
                ("lkpp", "lkpp_eproc", "tidak_dapat_diselesaikan", "LPSE-SUP-2026-001234"),
                ("lkpp", "lkpp_teknis", "tidak_dapat_diselesaikan", "LKPP-TEK-2026-000456"),
                ("selesaikan", "kasubbag", "LKPP memasang tambalan modul e-kontrak versi 4.5.1."), ("konfirmasi",),
                ("nilai", 3, "Perlu waktu lama, tetapi tuntas."))),
    Rencana("Fitur e-katalog lokal belum tersedia", "Kami perlu katalog lokal untuk pengadaan ATK.", "aplikasi", "web",
            ("pejabat_pengadaan", "199108082017011004"), langkah=(
                ("eskalasi", "kasubbag_lpse", 0, "Permintaan fitur di luar kewenangan LPSE."),
                ("lkpp", "lkpp_eproc", "belum_tercakup_spse", "LPSE-SUP-2026-001301"))),
    Rencana("Syarat kualifikasi tender konstruksi", "Apakah SBU wajib untuk pekerjaan di bawah Rp1 M?", "non_teknis",
            "web", _publik("Hendra Wijaya", email="hendra@contoh.co.id")),
    Rencana("Cara menyanggah hasil pemilihan", "Bagaimana prosedur sanggah?", "non_teknis", "kunjungan",
            _publik("Lina Marlina", telepon="0215551234")),
    Rencana("Lupa User ID", "Saya lupa User ID perusahaan.", "akun", "email",
            _publik("Rudi Hartono", email="rudi@majujaya.co.id"), langkah=(
                ("tunggu", 0, "Mohon kirim NPWP perusahaan untuk verifikasi."),
                ("pelapor", "NPWP 0123456789012000."), ("selesaikan", 0, "User ID dikirim ke email terdaftar."))),
    Rencana("Sertifikat elektronik kedaluwarsa", "Tidak bisa menandatangani dokumen pemilihan.", "akun", "web",
            ("pokja", POKJA[1][0]), langkah=SELESAI_DIKONFIRMASI),
    Rencana("Jadwal pemeliharaan server", "Kapan pemeliharaan server berikutnya?", "informasi", "web",
            ("ppk", "198202022008011005"), langkah=(("jawab", 2, "Sabtu pukul 20.00 sampai Minggu 02.00 WIB."),
                                                   ("selesaikan", 2, "Informasi telah disampaikan."))),
    Rencana("Koneksi VPN kantor LPSE putus", "VPN ke pusat data putus sejak pagi.", "infrastruktur", "kunjungan",
            _publik("Yusuf Maulana", telepon="081298765432"), prioritas="kritis", langkah=(
                ("tugaskan", 1), ("jawab", 1, "Tim jaringan sedang menangani."),
                ("selesaikan", 1, "Perangkat VPN diganti."))),
    Rencana("Unggah dokumen kualifikasi ditolak", "Berkas PDF dinyatakan tidak valid.", "aplikasi", "web",
            ("penyedia", "penyedia-pt-maju"), paket_kode="10045678", langkah=(
                ("jawab", 0, "Pastikan berkas berupa PDF, bukan DOCX yang diganti namanya."),
                ("selesaikan", 0, "Berkas diunggah ulang dalam PDF."), ("buka", "Berkas kedua masih ditolak."),
                ("jawab", 0, "Berkas kedua berukuran 25 MB; mohon dikompres."),
                ("selesaikan", 0, "Berkas kedua berhasil diunggah."), ("konfirmasi",), ("nilai", 4, "Membantu."))),
    Rencana("Email notifikasi tidak diterima", "Undangan pembuktian kualifikasi tidak sampai.", "aplikasi", "email",
            ("penyedia", "penyedia-cv-abadi"), langkah=(("tugaskan", "otomatis"),)),
    Rencana("Halaman pengumuman lelang kosong", "Daftar paket tidak tampil di beranda.", "aplikasi", "web",
            _publik("Agustina", email="agustina@contoh.id"), langkah=(("prioritas", "tinggi"),)),
    Rencana("Server SPSE tidak dapat diakses", "Situs SPSE menampilkan 502 Bad Gateway.", "infrastruktur",
            "telepon", _publik("Bambang Suryadi", telepon="0811223344"), prioritas="kritis", langkah=(
                ("tugaskan", 0), ("catatan", 0, "Load balancer mati; teknisi dihubungi."))),
    Rencana("Reset kata sandi admin PPK", "Admin PPK satker lupa kata sandi.", "akun", "telepon",
            ("ppk", "198303032009011006"), langkah=SELESAI_DIKONFIRMASI),
    Rencana("Dokumen penawaran PT Karya Utama tidak dapat dibuka", "Pokja gagal mendekripsi berkas penawaran.",
            "aplikasi", "web", ("pokja", POKJA[2][0]), paket_kode=PAKET_BA, langkah=(
                ("tugaskan", 2), ("jawab", 2, "Kami periksa log unggah dan kunci publik Pokja."),
                ("eskalasi", "kasubbag_lpse", 2, "Perlu berita acara Lampiran 2.5.3."),
                ("selesaikan", "kasubbag", "Berita acara disusun; hasil: penawaran tidak memenuhi."))),
    Rencana("Cara mendaftar sebagai penyedia", "Dokumen apa saja yang harus dibawa?", "informasi", "kunjungan",
            _publik("Dian Permata", telepon="085712345678"), langkah=(
                ("jawab", 1, "KTP direktur, akta pendirian dan perubahan, NPWP, formulir pendaftaran."),
                ("selesaikan", 1, "Informasi diberikan."))),
    Rencana("Nilai HPS tidak tersimpan", "Isian HPS kembali nol setelah disimpan.", "aplikasi", "web",
            ("ppk", "198404042010011007"), langkah=(("jawab", 0, "Mohon sebutkan kode paket."),
                                                   ("tunggu", 0, "Kode paket dan waktu kejadian?"))),
    Rencana("Sertifikat SSL kedaluwarsa", "Peramban memperingatkan sertifikat tidak aman.", "infrastruktur",
            "email", _publik("Teguh Santoso", email="teguh@contoh.id"), prioritas="tinggi", langkah=(
                ("selesaikan", 1, "Sertifikat diperbarui."), ("konfirmasi",), ("nilai", 5, None))),
    Rencana("Pertanyaan tarif pendaftaran", "Berapa biaya pendaftaran penyedia?", "informasi", "telepon",
            _publik("Wawan", telepon="081377788899"), langkah=(
                ("selesaikan", 2, "Pendaftaran tidak dipungut biaya (Lampiran 2.5.1)."),)),
    Rencana("Gagal verifikasi NIB", "NIB dinyatakan tidak ditemukan di OSS.", "akun", "web",
            ("penyedia", "penyedia-pt-sentosa"), langkah=(("tugaskan", "otomatis"), ("jawab", 2, "Kami cek ke OSS."))),
    Rencana("Aplikasi SIKaP tidak sinkron", "Data pengalaman perusahaan tidak muncul.", "aplikasi", "web",
            ("penyedia", "penyedia-cv-sinar"), langkah=(
                ("eskalasi", "kasubbag_lpse", 0, "Sinkronisasi SIKaP dikelola LKPP."),
                ("lkpp", "lkpp_eproc", "tidak_dapat_diselesaikan", "LPSE-SUP-2026-001377"))),
    Rencana("Printer ruang LPSE rusak", "Printer tidak bisa mencetak.", "infrastruktur", "kunjungan",
            ("admin_ukpbj", "198606062011012008"), langkah=(("selesaikan", 0, "Toner diganti."), ("konfirmasi",))),
    Rencana("Akses pejabat pengadaan baru", "Mohon aktivasi akun pejabat pengadaan baru.", "akun", "email",
            ("pejabat_pengadaan", "199209092018012009"), langkah=(("tugaskan", 1),)),
    Rencana("Jadwal pelatihan SPSE", "Kapan pelatihan SPSE untuk PPK?", "informasi", "web",
            ("ppk", "198505052011011010"), langkah=(("prioritas", "rendah"),)),
    Rencana("Tampilan SPSE berantakan di ponsel", "Menu tidak bisa diklik di ponsel.", "aplikasi", "web",
            _publik("Nur Aini", email="nuraini@contoh.id"), langkah=(("jawab", 0, "Mohon gunakan peramban desktop."),)),
    Rencana("Waktu server tidak sesuai WIB", "Jam di SPSE lebih cepat 5 menit.", "infrastruktur", "web",
            ("pokja", POKJA[0][0]), langkah=(("tugaskan", 0), ("jawab", 0, "NTP server diperiksa."),
                                            ("selesaikan", 0, "Sinkronisasi NTP dipulihkan."), ("konfirmasi",),
                                            ("nilai", 5, "Tepat."))),
    Rencana("Pengaduan perilaku panitia", "Pokja meminta imbalan.", "non_teknis", "email",
            _publik("Anonim Warga", email="warga@contoh.id")),
    Rencana("Gagal mengunduh dokumen pemilihan", "Tautan unduh dokumen pemilihan 404.", "aplikasi", "web",
            ("penyedia", "penyedia-pt-maju"), paket_kode="10056789"),
)

PENGUMUMAN_TEKS = (
    ("gangguan", "Gangguan unggah dokumen penawaran",
     "Unggah dokumen penawaran lambat; tim LPSE sedang menangani. Batas waktu pemasukan tidak berubah."),
    ("pemeliharaan", "Pemeliharaan server SPSE",
     "SPSE tidak dapat diakses selama pemeliharaan terjadwal."),
    ("informasi", "Layanan helpdesk LPSE",
     "Helpdesk melayani Senin-Kamis 07.30-16.00 dan Jumat 07.30-16.30 WIB, kecuali hari libur."),
)

STEPS = 1 + len(PETUGAS) + len(PENGUMUMAN_TEKS) + sum(1 + len(r.langkah) for r in TIKET) + 4


@dataclass
class _Tiket:
    id: str
    versi: int
    pelapor: dict[str, str]
    petugas: list[str] = field(default_factory=list)


def _periode_pengumuman(hari_ini: datetime) -> list[tuple[datetime, datetime]]:
    """Stable within a day, so a repeated seed replays the same bodies."""
    awal = datetime.combine(hari_ini.date(), time(0), tzinfo=WIB)
    sabtu = awal + timedelta(days=(5 - awal.weekday()) % 7 or 7)
    return [(awal, awal + timedelta(days=2)), (sabtu + timedelta(hours=20), sabtu + timedelta(hours=26)),
            (awal, awal + timedelta(days=30))]


async def seed(ctx: SeedContext) -> None:
    """Fill helpdesk with demo data (skipped when a previous run finished)."""
    kasubbag = ctx.token("kasubbag_lpse", sub=KASUBBAG[0], nip=KASUBBAG[0])
    selesai = await ctx.call("helpdesk", "GET", f"/api/v1/berita-acara?paket_kode={PAKET_BA}&status=ditandatangani",
                             headers=kasubbag)
    if selesai.status_code == 200 and selesai.json()["data"]:
        ctx.progress.update(STEPS - 1)
        return
    petugas = [ctx.token("helpdesk", sub=nip, nip=nip) for nip, _ in PETUGAS]
    for nip, nama in PETUGAS:
        await ctx.call("helpdesk", "PUT", f"/api/v1/petugas/{nip}", json={"nama": nama, "aktif": True},
                       headers=kasubbag)
    hari_ini = datetime.now(WIB)
    for (jenis, judul, isi), (mulai, akhir) in zip(PENGUMUMAN_TEKS, _periode_pengumuman(hari_ini), strict=True):
        await ctx.call("helpdesk", "POST", "/api/v1/pengumuman", headers={
            **kasubbag, "Idempotency-Key": f"seed-pengumuman-{jenis}-{hari_ini:%Y%m%d}"}, json={
            "judul": judul, "isi": isi, "jenis": jenis, "mulai": mulai.isoformat(), "selesai": akhir.isoformat()})
    tiket_ba = None
    for nomor, rencana in enumerate(TIKET, start=1):
        tiket = await _buat(ctx, nomor, rencana, petugas)
        for langkah in rencana.langkah:
            await _langkah(ctx, tiket, langkah, petugas, kasubbag)
        if rencana.paket_kode == PAKET_BA:
            tiket_ba = tiket
    await _berita_acara(ctx, kasubbag, tiket_ba.id if tiket_ba else None)


async def _buat(ctx: SeedContext, nomor: int, rencana: Rencana, petugas: list[dict[str, str]]) -> _Tiket:
    body: dict[str, Any] = {"judul": rencana.judul, "uraian": rencana.uraian, "kategori": rencana.kategori,
                            "kanal": rencana.kanal}
    if rencana.paket_kode:
        body["paket_kode"] = rencana.paket_kode
    if isinstance(rencana.pelapor, tuple):
        peran, sub = rencana.pelapor
        headers = ctx.token(peran, sub=sub)
    elif rencana.prioritas or rencana.kanal in ("telepon", "kunjungan"):
        headers = dict(petugas[nomor % len(petugas)])  # an officer records a call or a visit
        body |= {"pelapor": rencana.pelapor, **({"prioritas": rencana.prioritas} if rencana.prioritas else {})}
    else:
        headers, body["pelapor"] = {}, rencana.pelapor
    response = await ctx.call("helpdesk", "POST", "/api/v1/tiket", json=body,
                              headers={**headers, "Idempotency-Key": f"seed-tiket-{nomor:02d}"})
    data = response.json()
    pelapor = {"X-Token-Pelapor": data["token_pelapor"]} if data.get("token_pelapor") else headers
    return _Tiket(id=data["id"], versi=data["versi"], pelapor=pelapor)


async def _langkah(ctx: SeedContext, tiket: _Tiket, langkah: tuple[Any, ...], petugas: list[dict[str, str]],
                   kasubbag: dict[str, str]) -> None:
    aksi, *arg = langkah

    def staf(siapa: Any) -> dict[str, str]:
        return kasubbag if siapa == "kasubbag" else petugas[siapa]

    rute, body, headers = {
        "tugaskan": lambda: ("tugaskan", {"otomatis": True} if arg[0] == "otomatis" else
                             {"petugas": PETUGAS[arg[0]][0]}, kasubbag),
        "jawab": lambda: ("tanggapan", {"isi": arg[1]}, staf(arg[0])),
        "catatan": lambda: ("tanggapan", {"isi": arg[1], "internal": True}, staf(arg[0])),
        "tunggu": lambda: ("tunggu-pelapor", {"pertanyaan": arg[1]}, staf(arg[0])),
        "pelapor": lambda: ("tanggapan", {"isi": arg[0]}, tiket.pelapor),
        "eskalasi": lambda: ("eskalasi", {"tingkat": arg[0], "catatan": arg[2]}, staf(arg[1])),
        "lkpp": lambda: ("eskalasi", {"tingkat": arg[0], "alasan": arg[1], "referensi_lkpp": arg[2]}, kasubbag),
        "selesaikan": lambda: ("selesaikan", {"solusi": arg[1]}, staf(arg[0])),
        "konfirmasi": lambda: ("konfirmasi", None, tiket.pelapor),
        "buka": lambda: ("buka-kembali", {"alasan": arg[0]}, tiket.pelapor),
        "nilai": lambda: ("penilaian", {"nilai": arg[0], **({"komentar": arg[1]} if arg[1] else {})}, tiket.pelapor),
        "prioritas": lambda: ("prioritas", {"prioritas": arg[0]}, petugas[0]),
    }[aksi]()
    response = await ctx.call("helpdesk", "POST", f"/api/v1/tiket/{tiket.id}/{rute}", json=body,
                              headers={**headers, "If-Match": f'"{tiket.versi}"'}, expect=TERBALAS)
    if response.status_code == 200:
        tiket.versi = response.json()["versi"]


async def _berita_acara(ctx: SeedContext, kasubbag: dict[str, str], tiket_id: str | None) -> None:
    body = {
        "paket_kode": PAKET_BA, "penyedia": "PT Karya Utama Nusantara", "nama_file": "penawaran-pt-karya-utama.zip",
        "hash_file": hashlib.sha256(b"penawaran-pt-karya-utama").hexdigest(),
        "pernyataan_lpse": "Berkas penawaran diterima utuh sesuai log unggah SPSE pada 5 Januari 2026 pukul "
                           "10.12 WIB, namun tidak dapat didekripsi dengan kunci publik Pokja.",
        "saksi": {"nama": KASUBBAG[1], "nip": KASUBBAG[0]},
        "anggota_pokja": [{"nama": nama, "nip": nip} for nip, nama in POKJA],
        "hasil": "penawaran_tidak_memenuhi", **({"tiket_id": tiket_id} if tiket_id else {})}
    draf = (await ctx.call("helpdesk", "POST", "/api/v1/berita-acara", json=body,
                           headers={**kasubbag, "Idempotency-Key": "seed-berita-acara-1"})).json()
    url = f"/api/v1/berita-acara/{draf['id']}"
    diubah = await ctx.call("helpdesk", "PATCH", url, headers={**kasubbag, "If-Match": f'"{draf["versi"]}"'},
                            json={"pernyataan_lkpp": "LKPP (tiket LKPP-TEK-2026-000789) menyatakan berkas rusak "
                                  "sejak diunggah oleh penyedia."}, expect=TERBALAS)
    versi = diubah.json()["versi"] if diubah.status_code == 200 else draf["versi"]
    await ctx.call("helpdesk", "POST", f"{url}/tandatangani", headers={**kasubbag, "If-Match": f'"{versi}"'},
                   expect=TERBALAS)
    await ctx.call("helpdesk", "GET", f"{url}.pdf", headers=kasubbag)
