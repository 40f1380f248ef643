"""Demo data for `make seed`, through the public API: ~20 providers (PT, CV, firma, koperasi, perorangan)
and ~10 government users with valid identifiers, their documents, a mix of decisions, a blacklist entry
and its refused registration, and one deactivation. Re-runnable: a registration that already exists
answers 409 and its remaining steps are skipped (the progress bar still advances). Self-registration is
rate limited per address (`rate_limit_public_per_minute`); a 429 is waited out (`Retry-After`) and retried.
"""

from __future__ import annotations

import asyncio
import struct
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.seed import SeedContext

NIP_VERIFIKATOR = "198503152010011001"
KEMENDAGRI = "Kementerian Dalam Negeri"


# --- valid identifiers (DOMAIN.md rules 1-6) ------------------------------------------------------------

def digit_luhn(angka: str) -> str:
    """The digit that makes `angka + digit` pass Luhn mod 10 (the empirical NPWP check digit)."""
    jumlah = 0
    for i, c in enumerate(reversed(angka)):
        d = int(c) * (1 if i % 2 else 2)
        jumlah += d - 9 if d > 9 else d
    return str((10 - jumlah % 10) % 10)


def npwp_badan(dasar8: str, kpp: str = "091", cabang: str = "000") -> str:
    """A 16-digit entity NPWP: 0 + 8 digits + check digit + KPP code + branch."""
    return "0" + dasar8 + digit_luhn(dasar8) + kpp + cabang


def npwp_bertanda(npwp16: str) -> str:
    """The legacy punctuated 15-digit form of a 0-prefixed NPWP: 01.312.166.0-091.000."""
    a = npwp16[1:]
    return f"{a[0:2]}.{a[2:5]}.{a[5:8]}.{a[8]}-{a[9:12]}.{a[12:15]}"


def nik(wilayah: str, lahir: date, *, perempuan: bool, urut: int) -> str:
    """A NIK: region (4) + district (2) + DDMMYY (women: day + 40) + serial."""
    hari = lahir.day + (40 if perempuan else 0)
    return f"{wilayah}01{hari:02d}{lahir:%m%y}{urut:04d}"


def nip(lahir: date, tmt: tuple[int, int], *, perempuan: bool, urut: int) -> str:
    """A PNS NIP: YYYYMMDD birth + YYYYMM TMT CPNS + sex digit + serial."""
    return f"{lahir:%Y%m%d}{tmt[0]:04d}{tmt[1]:02d}{2 if perempuan else 1}{urut:03d}"


# --- tiny valid files ------------------------------------------------------------------------------------

def pdf(judul: str) -> bytes:
    """A one-page PDF showing `judul` (valid structure and cross-reference table)."""
    teks = judul.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    isi = b"BT /F1 14 Tf 72 770 Td (" + teks + b") Tj ET"
    objek = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
             b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
             b"<</Length %d>>stream\n" % len(isi) + isi + b"\nendstream",
             b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    keluaran, posisi = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objek, 1):
        posisi.append(len(keluaran))
        keluaran += b"%d 0 obj" % i + o + b"endobj\n"
    awal_xref = len(keluaran)
    keluaran += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objek) + 1)
    keluaran += b"".join(b"%010d 00000 n \n" % p for p in posisi)
    keluaran += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objek) + 1, awal_xref)
    return bytes(keluaran)


def png(lebar: int = 4, tinggi: int = 3, warna: tuple[int, int, int] = (30, 90, 160)) -> bytes:
    """A small solid-colour RGB PNG (valid chunks and CRCs)."""
    def potong(jenis: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + jenis + data + struct.pack(">I", zlib.crc32(jenis + data))

    baris = b"".join(b"\x00" + bytes(warna) * lebar for _ in range(tinggi))
    return (b"\x89PNG\r\n\x1a\n" + potong(b"IHDR", struct.pack(">IIBBBBB", lebar, tinggi, 8, 2, 0, 0, 0))
            + potong(b"IDAT", zlib.compress(baris)) + potong(b"IEND", b""))


# --- the demo data -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Orang:
    nama: str
    lahir: date
    perempuan: bool
    wilayah: str
    urut: int

    @property
    def nik(self) -> str:
        return nik(self.wilayah, self.lahir, perempuan=self.perempuan, urut=self.urut)


@dataclass(frozen=True)
class Penyedia:
    bentuk_usaha: str
    nama: str
    user_id: str
    alamat: str
    telepon: str
    pj: Orang
    jabatan: str
    keputusan: str | None  # disetujui | ditolak | perlu_perbaikan | None (still waiting)
    npwp_lama: bool = False
    akta_perubahan: bool = False
    diperbaiki: bool = False  # fixed and resubmitted after perlu_perbaikan: waiting in the queue again


@dataclass(frozen=True)
class Pemerintah:
    orang: Orang
    tmt: tuple[int, int]
    satuan_kerja: str
    peran: tuple[str, ...]
    user_id: str
    keputusan: str | None
    dokumen: str = "sk"
    urut_nip: int = 1


def _o(nama: str, lahir: str, p: bool, wilayah: str, urut: int) -> Orang:
    return Orang(nama, date.fromisoformat(lahir), p, wilayah, urut)


PENYEDIA: list[Penyedia] = [
    Penyedia("pt", "PT Sinar Nusantara Konstruksi", "sinarnusantara", "Jl. Pajajaran No. 12, Bogor", "0251-8312345",
             _o("Budi Santoso", "1980-08-17", False, "3201", 1), "Direktur Utama", "disetujui", npwp_lama=True,
             akta_perubahan=True),
    Penyedia("pt", "PT Mitra Data Integrasi", "mitradata", "Jl. TB Simatupang Kav. 8, Jakarta Selatan", "021-7801234",
             _o("Rina Kartikasari", "1984-03-02", True, "3174", 12), "Direktur", "disetujui"),
    Penyedia("cv", "CV Karya Mandiri Sejahtera", "karyamandiri", "Jl. Kaliurang Km 5, Sleman", "0274-889123",
             _o("Agus Priyanto", "1979-11-23", False, "3404", 3), "Direktur", "disetujui"),
    Penyedia("pt", "PT Arsitama Konsultan Teknik", "arsitama", "Jl. Dago No. 88, Bandung", "022-2501122",
             _o("Dewi Anggraini", "1982-06-14", True, "3273", 4), "Direktur Utama", "disetujui",
             akta_perubahan=True),
    Penyedia("koperasi", "Koperasi Jasa Mitra Praja", "kopmitrapraja", "Jl. Medan Merdeka Utara No. 7, Jakarta Pusat",
             "021-3450038", _o("Hendra Wijaya", "1975-01-30", False, "3171", 5), "Ketua Pengurus", "disetujui"),
    Penyedia("perorangan", "Bengkel Las Santoso (Usaha Perorangan)", "bengkelsantoso", "Jl. Rungkut Industri 3, "
             "Surabaya", "031-8709911", _o("Slamet Santoso", "1970-12-05", False, "3578", 6), "Pemilik",
             "disetujui"),
    Penyedia("firma", "Firma Hukum Rahardjo & Rekan", "fhrahardjo", "Jl. Pandanaran No. 20, Semarang", "024-8412233",
             _o("Yohana Rahardjo", "1977-09-09", True, "3374", 7), "Sekutu Pengurus", "disetujui"),
    Penyedia("pt", "PT Nusa Cetak Grafika", "nusacetak", "Jl. Raya Bekasi Km 21, Bekasi", "021-4603300",
             _o("Irfan Hakim", "1986-04-21", False, "3216", 8), "Direktur", "disetujui"),
    Penyedia("cv", "CV Bumi Lestari Pangan", "bumilestari", "Jl. AP Pettarani No. 45, Makassar", "0411-452211",
             _o("Andi Nurhayati", "1988-02-11", True, "7371", 9), "Direktur", "disetujui"),
    Penyedia("pt", "PT Borneo Teknik Elektrikal", "borneoteknik", "Jl. MT Haryono No. 10, Balikpapan", "0542-871122",
             _o("Rudi Hartono", "1981-10-01", False, "6471", 10), "Direktur Utama", "disetujui"),
    Penyedia("cv", "CV Dewata Kreasi Media", "dewatamedia", "Jl. Teuku Umar No. 99, Denpasar", "0361-224455",
             _o("Made Sukarini", "1990-07-19", True, "5171", 11), "Direktur", "disetujui"),
    Penyedia("perorangan", "Jasa Kebersihan Wati (Usaha Perorangan)", "jasawati", "Jl. Margonda Raya 120, Depok",
             "021-7770123", _o("Suwati Lestari", "1983-05-27", True, "3276", 13), "Pemilik", "ditolak"),
    Penyedia("pt", "PT Sumatera Agro Niaga", "sumateraagro", "Jl. Gatot Subroto No. 77, Medan", "061-4567789",
             _o("Togar Simanjuntak", "1978-03-15", False, "1271", 14), "Direktur", "ditolak"),
    Penyedia("cv", "CV Minang Jaya Abadi", "minangjaya", "Jl. Khatib Sulaiman No. 5, Padang", "0751-70123",
             _o("Yusnita Chaniago", "1987-12-12", True, "1371", 15), "Direktur", "perlu_perbaikan"),
    Penyedia("pt", "PT Sriwijaya Solusi Digital", "sriwijayadigital", "Jl. Demang Lebar Daun 3, Palembang",
             "0711-355667", _o("Fajar Nugroho", "1985-08-08", False, "1671", 16), "Direktur", "perlu_perbaikan",
             diperbaiki=True),
    Penyedia("koperasi", "Koperasi Produsen Tani Makmur", "koptanimakmur", "Jl. Ijen No. 14, Malang", "0341-551234",
             _o("Siti Khotimah", "1972-04-04", True, "3573", 17), "Ketua", "perlu_perbaikan"),
    Penyedia("pt", "PT Lampung Karya Beton", "lampungbeton", "Jl. Soekarno-Hatta No. 1, Bandar Lampung",
             "0721-781234", _o("Wayan Sudirta", "1980-01-25", False, "1871", 18), "Direktur", None),
    Penyedia("cv", "CV Banua Sarana Medika", "banuamedika", "Jl. A. Yani Km 4, Banjarmasin", "0511-3256789",
             _o("Rahmah Fitriani", "1989-09-30", True, "6371", 19), "Direktur", None, npwp_lama=True),
    Penyedia("pt", "PT Tangerang Logistik Prima", "tangeranglogistik", "Jl. Daan Mogot Km 19, Tangerang",
             "021-5523344", _o("Hadi Susilo", "1976-06-06", False, "3671", 20), "Direktur Utama", None),
    Penyedia("perorangan", "Katering Bu Ratna (Usaha Perorangan)", "kateringratna", "Jl. Sultan Hasanuddin 8, Palu",
             "0451-421987", _o("Ratna Dewi", "1981-11-11", True, "7271", 21), "Pemilik", None),
]

BERLAKU = date(date.today().year + 1, 12, 31)
PEMERINTAH: list[Pemerintah] = [
    Pemerintah(_o("Siti Rahmawati", "1990-05-12", True, "3174", 101), (2015, 3), "Biro Umum Sekretariat Jenderal",
               ("pokja",), "siti.rahmawati", "disetujui", urut_nip=2),
    Pemerintah(_o("Ahmad Fauzi", "1982-02-14", False, "3175", 102), (2008, 1), "Biro Umum Sekretariat Jenderal",
               ("ppk",), "ahmad.fauzi", "disetujui"),
    Pemerintah(_o("Dian Puspitasari", "1987-09-03", True, "3273", 103), (2010, 12), "Inspektorat Jenderal",
               ("pokja", "pejabat_pengadaan"), "dian.puspitasari", "disetujui", urut_nip=3),
    Pemerintah(_o("Bambang Kurniawan", "1975-07-21", False, "3471", 104), (2000, 3),
               "Direktorat Jenderal Bina Administrasi Kewilayahan", ("kpa",), "bambang.kurniawan", "disetujui"),
    Pemerintah(_o("Maria Ulfa", "1985-01-09", True, "3578", 105), (2009, 4),
               "Direktorat Jenderal Kependudukan dan Pencatatan Sipil", ("ppk",), "maria.ulfa", "disetujui",
               dokumen="surat_tugas", urut_nip=4),
    Pemerintah(_o("Yudi Prasetyo", "1983-10-30", False, "3201", 106), (2006, 2),
               "Direktorat Jenderal Bina Keuangan Daerah", ("pokja",), "yudi.prasetyo", "disetujui", urut_nip=5),
    Pemerintah(_o("Lestari Handayani", "1991-03-17", True, "3374", 107), (2017, 6), "Badan Strategi Kebijakan "
               "Dalam Negeri", ("pejabat_pengadaan",), "lestari.handayani", "disetujui", urut_nip=6),
    Pemerintah(_o("Rizky Ramadhan", "1992-04-01", False, "1271", 108), (2019, 3), "Pusat Data dan Sistem Informasi",
               ("pokja", "ppk"), "rizky.ramadhan", "disetujui", urut_nip=7),
    Pemerintah(_o("Nur Aini", "1989-08-25", True, "7371", 109), (2014, 3), "Badan Pengembangan Sumber Daya Manusia",
               ("ppk",), "nur.aini", "perlu_perbaikan", urut_nip=8),
    Pemerintah(_o("Eko Wahyudi", "1980-12-01", False, "3515", 110), (2005, 1), "Direktorat Jenderal Otonomi Daerah",
               ("auditor",), "eko.wahyudi", None, urut_nip=9),
]

DAFTAR_HITAM = Penyedia("cv", "CV Maju Terus Pantang Mundur", "majuterus", "Jl. Veteran No. 3, Kota Bekasi",
                        "021-8841234", _o("Joko Susanto", "1974-02-02", False, "3275", 30), "Direktur", None)
DINONAKTIFKAN = "nusacetak"


def _npwp_penyedia(i: int, p: Penyedia) -> str:
    if p.bentuk_usaha == "perorangan":
        return p.pj.nik
    npwp16 = npwp_badan(f"{(31216600 + i * 7919) % 10 ** 8:08d}", kpp=("091", "017", "407", "541")[i % 4])
    return npwp_bertanda(npwp16) if p.npwp_lama else npwp16


def _nib(i: int) -> str:
    return f"9120{100_000_000 + i * 1_234_567:09d}"


def _dokumen_penyedia(p: Penyedia) -> list[str]:
    dok = ["ktp", "npwp", "formulir_pendaftaran", "formulir_keikutsertaan"]
    if p.bentuk_usaha != "perorangan":
        dok.insert(1, "akta_pendirian")
    if p.akta_perubahan:
        dok.append("akta_perubahan")
    return dok


def body_penyedia(i: int, p: Penyedia) -> dict[str, Any]:
    return {"jenis": "penyedia", "bentuk_usaha": p.bentuk_usaha, "nama": p.nama, "npwp": _npwp_penyedia(i, p),
            "nib": _nib(i), "email": f"pengadaan@{p.user_id}.co.id", "telepon": p.telepon, "alamat": p.alamat,
            "user_id": p.user_id, "penanggung_jawab": {"nama": p.pj.nama, "nik": p.pj.nik, "jabatan": p.jabatan}}


def body_pemerintah(g: Pemerintah) -> dict[str, Any]:
    o = g.orang
    return {"jenis": "non_penyedia", "nama": o.nama, "nip": nip(o.lahir, g.tmt, perempuan=o.perempuan, urut=g.urut_nip),
            "nik": o.nik, "instansi": KEMENDAGRI, "satuan_kerja": g.satuan_kerja, "peran": list(g.peran),
            "nomor_sk": f"900.1.1-{o.urut} Tahun {date.today().year}", "berlaku_sampai": BERLAKU.isoformat(),
            "email": f"{g.user_id}@kemendagri.go.id", "user_id": g.user_id}


def _langkah(dokumen: list[str], keputusan: str | None, diperbaiki: bool = False) -> int:
    return 1 + len(dokumen) + (keputusan is not None) + (2 if diperbaiki else 0)


STEPS = (sum(_langkah(_dokumen_penyedia(p), p.keputusan, p.diperbaiki) for p in PENYEDIA)
         + sum(_langkah([g.dokumen], g.keputusan) for g in PEMERINTAH)
         + 2  # blacklist entry + the refused registration
         + 1)  # one deactivation


def _unggahan(jenis: str, pemilik: str) -> tuple[str, bytes, str]:
    if jenis == "ktp":
        return f"ktp-{pemilik}.png", png(), "image/png"
    return f"{jenis}-{pemilik}.pdf", pdf(f"{jenis.replace('_', ' ').title()} - {pemilik}"), "application/pdf"


def _keputusan(keputusan: str, dokumen: list[str]) -> dict[str, Any]:
    if keputusan == "disetujui":
        return {"keputusan": "disetujui", "dokumen_asli_diperiksa": dokumen}
    if keputusan == "ditolak":
        return {"keputusan": "ditolak", "alasan": "Akta pendirian tidak sesuai dengan data NIB pada OSS."}
    return {"keputusan": "perlu_perbaikan", "alasan": "Pindaian KTP penanggung jawab buram; unggah ulang.",
            "kekurangan": ["ktp"]}


async def _ajukan(ctx: SeedContext, body: dict[str, Any], expect: tuple[int, ...] = (201,)) -> Any:
    """POST /pendaftaran, waiting out the public rate limit when it answers 429."""
    while True:
        r = await ctx.call("registrasi", "POST", "/api/v1/pendaftaran", json=body, expect=(*expect, 429))
        if r.status_code != 429:
            return r
        ctx.progress.update(-1)  # the retry is the same step
        await asyncio.sleep(int(r.headers.get("retry-after", "1")))


async def _jalankan(ctx: SeedContext, verifikator: dict[str, str], body: dict[str, Any], dokumen: list[str],
                    keputusan: str | None, diperbaiki: bool = False) -> dict[str, Any] | None:
    """One registration through the API: submit, upload, decide (and, if sent back, fix and resubmit)."""
    sisa = _langkah(dokumen, keputusan, diperbaiki) - 1
    r = await _ajukan(ctx, body)
    if r.status_code == 409:
        ctx.progress.update(sisa)
        return None
    daftar = r.json()
    token = {"X-Token-Akses": daftar["token_akses"]}
    dasar = f"/api/v1/pendaftaran/{daftar['id']}"
    for jenis in dokumen:
        nama, isi, tipe = _unggahan(jenis, body["user_id"])
        await ctx.call("registrasi", "POST", f"{dasar}/dokumen", headers=token, data={"jenis": jenis},
                       files={"file": (nama, isi, tipe)})
    if keputusan is None:
        return daftar
    hasil = (await ctx.call("registrasi", "POST", f"{dasar}/verifikasi", headers=verifikator,
                            json=_keputusan(keputusan, dokumen))).json()
    if diperbaiki:
        nama, isi, tipe = _unggahan("ktp", body["user_id"])
        await ctx.call("registrasi", "POST", f"{dasar}/dokumen", headers=token, data={"jenis": "ktp"},
                       files={"file": (nama, isi, tipe)})
        hasil = (await ctx.call("registrasi", "POST", f"{dasar}/ajukan-ulang", headers=token,
                                json={"telepon": body["telepon"].replace("-", "-9", 1)})).json()
    return hasil


async def seed(ctx: SeedContext) -> None:
    """Fill registrasi with providers, government users, decisions, a blacklist entry and a deactivation."""
    verifikator = ctx.token("verifikator", nip=NIP_VERIFIKATOR)
    hitam = body_penyedia(len(PENYEDIA), DAFTAR_HITAM)
    mulai = (date.today().replace(day=1) - timedelta(days=60)).replace(day=1)
    await ctx.call("registrasi", "POST", "/api/v1/daftar-hitam", headers=verifikator, json={
        "npwp": hitam["npwp"], "nib": hitam["nib"], "nama_penyedia": DAFTAR_HITAM.nama, "jenis_pelanggaran": "etika",
        "mulai": mulai.isoformat(), "alasan": "Menyampaikan dokumen kualifikasi palsu pada tender tahun lalu.",
        "nomor_keputusan": f"027/{mulai:%m}/BU/{mulai:%Y}"})
    await _ajukan(ctx, hitam, expect=(422,))

    disetujui: dict[str, str] = {}
    for i, p in enumerate(PENYEDIA):
        hasil = await _jalankan(ctx, verifikator, body_penyedia(i, p), _dokumen_penyedia(p), p.keputusan,
                                p.diperbaiki)
        if hasil and hasil.get("pengguna_id"):
            disetujui[p.user_id] = hasil["pengguna_id"]
    pegawai = []
    for g in PEMERINTAH:
        body = body_pemerintah(g)
        await _jalankan(ctx, verifikator, body, [g.dokumen], g.keputusan)
        pegawai.append({"nip": body["nip"], "nama": body["nama"], "satuan_kerja": body["satuan_kerja"],
                        "peran": body["peran"]})
    ctx.shared["registrasi.pegawai"] = pegawai
    if DINONAKTIFKAN in disetujui:
        await ctx.call("registrasi", "POST", f"/api/v1/pengguna/{disetujui[DINONAKTIFKAN]}/nonaktifkan",
                       headers=verifikator, json={"alasan": "Meminjamkan akun SPSE kepada pihak lain "
                                                            "(melanggar syarat penggunaan)."})
    else:
        ctx.progress.update(1)
