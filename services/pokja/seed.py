"""Demo data for `make seed`, through the public API of pokja.

25 pegawai (Pengelola PBJ with certificates, PNS with level-1 certificates, one from outside UKPBJ,
one holding an LPSE role, one whose certificate lapsed), 30 packages of every kind and size (some
within Pengadaan Langsung), a method override, 4 Pokja formed with packages, a member swap, one Pokja
dissolved and its package moved, 2 Pejabat Pengadaan with Pengadaan Langsung packages, and selection
reports (done and failed) made with `pokja` / `pejabat_pengadaan` tokens carrying the reporter's NIP.

NIPs agree with the other demo data: the government users registrasi's seed registers (their SPSE
state reaches pokja through the broker) and the Pokja members and package codes helpdesk's seed uses.
Re-runnable: Pokja and Pejabat Pengadaan creates carry an `Idempotency-Key` (a repeat returns the
first result, with its id), other steps answer 409/404/412 once done, and a selection report is read
before it is made; the progress bar ends at `STEPS` either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from shared.seed import SeedContext

KEPALA_NIP = "197306152000031002"
ADMIN_NIP = "198204172006042001"
UKPBJ = "Biro Umum Sekretariat Jenderal"
JUTA = 1_000_000
TAHUN = date.today().year
BERLAKU = date(TAHUN + 3, 12, 31)
LEWAT = date(TAHUN - 1, 6, 30)


@dataclass(frozen=True)
class Pegawai:
    nip: str
    nama: str
    jabatan: str = "pengelola_pbj"
    nama_jabatan: str | None = None
    unit: str = "ukpbj"
    satuan_kerja: str = UKPBJ
    level: int = 2
    jenis_sertifikat: str = "kompetensi"
    berlaku_sampai: date = BERLAKU
    peran_lpse: str | None = None

    def body(self) -> dict:
        nama_jabatan = self.nama_jabatan or ("Pengelola Pengadaan Barang/Jasa Ahli Pertama"
                                             if self.jabatan == "pengelola_pbj" else None)
        return {"nip": self.nip, "nama": self.nama, "jabatan": self.jabatan, "nama_jabatan": nama_jabatan,
                "unit": self.unit, "satuan_kerja": self.satuan_kerja, "peran_lpse": self.peran_lpse,
                "sertifikat": [{"jenis": self.jenis_sertifikat, "level": self.level,
                                "nomor": f"LKPP-{self.jenis_sertifikat[:3].upper()}{self.level}-{self.nip[-7:]}",
                                "berlaku_sampai": self.berlaku_sampai.isoformat()}]}


def _pp(nip: str, nama: str, level: int = 2, **ubah) -> Pegawai:  # noqa: ANN003
    return Pegawai(nip, nama, level=level, **ubah)


def _pns(nip: str, nama: str, nama_jabatan: str, **ubah) -> Pegawai:  # noqa: ANN003
    return Pegawai(nip, nama, jabatan="lainnya", nama_jabatan=nama_jabatan, level=1, **ubah)


PEGAWAI: list[Pegawai] = [
    # helpdesk's demo Pokja members
    _pp("198705052011012005", "Rina Wati, S.E."),
    _pp("199011112015031001", "Andi Saputra, S.T."),
    _pp("199203032018012002", "Maya Sari, S.Kom.", level=1),
    # government users registrasi's demo registers (SPSE accounts)
    _pp("199005122015032002", "Siti Rahmawati, S.H."),
    _pp("198709032010122003", "Dian Puspitasari, S.E., M.M.", nama_jabatan="Pengelola Pengadaan Barang/Jasa "
        "Ahli Muda", level=3),
    _pp("199103172017062006", "Lestari Handayani, S.Sos.", jenis_sertifikat="jf_ppbj", level=1),
    _pp("199204012019031007", "Rizky Ramadhan, S.Kom.", level=1),
    _pns("198310302006021005", "Yudi Prasetyo, S.E.", "Analis Keuangan Pusat dan Daerah", unit="luar_ukpbj",
         satuan_kerja="Direktorat Jenderal Bina Keuangan Daerah"),
    # the registrasi demo's verifikator: a Pengelola PBJ holding an LPSE role (Pasal 12 huruf b)
    _pp("198503152010011001", "Hendra Gunawan, S.Kom.", peran_lpse="verifikator"),
    _pp("198106242006041004", "Agus Salim, S.T., M.T.", level=3),
    _pp("198812012012122001", "Fitri Handayani, S.E."),
    _pp("198402282009011003", "Teguh Wibowo, S.T."),
    _pp("199307092019022003", "Ayu Lestari, S.Ak.", level=1),
    _pp("198611192010121002", "Dedi Kurniawan, S.E."),
    _pp("199405152020121004", "Reza Mahendra, S.Kom.", level=1),
    _pp("198909242014032002", "Nurul Hidayah, S.H."),
    _pp("197912102005011005", "Wahyu Hidayat, S.T., M.Si.", level=3),
    _pns("198705202011012003", "Sri Mulyani, S.E.", "Analis Anggaran"),
    _pns("199101142015031002", "Fajar Nugroho, S.T.", "Teknisi Sarana dan Prasarana"),
    _pns("198601032009012004", "Ratna Sari, S.Kom.", "Pranata Komputer Ahli Muda", jenis_sertifikat="keahlian"),
    _pns("199209302018011003", "Arif Rahman, S.E.", "Analis Pengelolaan Keuangan APBN"),
    _pns("198311172008012002", "Desi Ratnasari, S.Sos.", "Analis Sumber Daya Manusia Aparatur"),
    _pns("198008082006041006", "Bayu Aji, S.T.", "Pengawas Bangunan Gedung", berlaku_sampai=LEWAT),
    _pp("199512242020122005", "Intan Permata, S.E.", level=1),
    _pp("198204172006042001", "Yuliana Kartika, S.E., M.Ak.", nama_jabatan="Admin UKPBJ", level=2),
]
PEJABAT = {p.nip: p for p in PEGAWAI}

# Satker officials who plan, contract and inspect: never selectors on their own packages (Pasal 12).
PPK = ("198202142008011001", "198501092009042004", "197805122003121002", "198010102005012003")
PERENCANA = ("198304152008011005", "198907212014022004")
PEMERIKSA = ("197611302002121001", "198505252010012006")

SATKER = {
    "bu": UKPBJ,
    "itjen": "Inspektorat Jenderal",
    "bskdn": "Badan Strategi Kebijakan Dalam Negeri",
    "dukcapil": "Direktorat Jenderal Kependudukan dan Pencatatan Sipil",
    "keuda": "Direktorat Jenderal Bina Keuangan Daerah",
    "pusdatin": "Pusat Data dan Sistem Informasi",
}


@dataclass(frozen=True)
class Paket:
    kode: str
    nama: str
    satker: str
    jenis: str
    pagu_juta: float
    hps_juta: float
    ppk: str = PPK[0]

    def body(self, i: int) -> dict:
        return {"kode": self.kode, "nama": self.nama, "satuan_kerja": SATKER[self.satker],
                "jenis_pengadaan": self.jenis, "pagu": int(self.pagu_juta * JUTA), "hps": int(self.hps_juta * JUTA),
                "tahun_anggaran": TAHUN, "perencana_nip": PERENCANA[i % 2], "ppk_nip": self.ppk,
                "pemeriksa_nip": PEMERIKSA[i % 2]}


PAKET: list[Paket] = [
    # Pokja I (goods and other services); 10023456 and 10098765 are helpdesk's demo packages
    Paket("10023456", "Pengadaan Perangkat Komputer dan Jaringan Biro Umum", "bu", "barang", 2_400, 2_310),
    Paket("10098765", "Jasa Kebersihan Gedung Kantor Pusat", "bu", "jasa_lainnya", 3_600, 3_480, PPK[1]),
    Paket("10031001", "Pengadaan Kendaraan Dinas Operasional", "bu", "barang", 4_200, 4_050),
    Paket("10031002", "Jasa Keamanan Gedung Kantor Pusat", "bu", "jasa_lainnya", 2_900, 2_850, PPK[1]),
    Paket("10031003", "Pengadaan Alat Tulis Kantor dan Barang Cetakan", "dukcapil", "barang", 850, 820, PPK[2]),
    # Pokja II (construction)
    Paket("10032001", "Rehabilitasi Gedung Arsip Kementerian", "bu", "pekerjaan_konstruksi", 7_500, 7_320),
    Paket("10032002", "Pembangunan Ruang Server Pusdatin", "pusdatin", "pekerjaan_konstruksi", 5_200, 5_050,
          PPK[3]),
    Paket("10032003", "Renovasi Aula Gedung C", "bu", "pekerjaan_konstruksi", 1_800, 1_760),
    Paket("10032004", "Pemeliharaan Berkala Jalan Lingkungan Kantor", "bu", "pekerjaan_konstruksi", 950, 930),
    # Pokja III (consultancy)
    Paket("10033001", "Konsultan Perencana Rehabilitasi Gedung Arsip", "bu", "jasa_konsultansi", 650, 620),
    Paket("10033002", "Konsultan Pengawas Pembangunan Ruang Server", "pusdatin", "jasa_konsultansi", 480, 455,
          PPK[3]),
    Paket("10033003", "Kajian Evaluasi Kebijakan Keuangan Daerah", "keuda", "jasa_konsultansi", 1_200, 1_150,
          PPK[2]),
    # Pokja IV, dissolved: its package moves to Pokja II
    Paket("10034001", "Pembangunan Gedung Parkir Bertingkat", "bu", "pekerjaan_konstruksi", 12_000, 11_700),
    # PPK is Rizky Ramadhan, a Pengelola PBJ: he can never select it (Pasal 12 huruf a)
    Paket("10035001", "Pengembangan Aplikasi Layanan Adminduk", "dukcapil", "jasa_lainnya", 1_500, 1_430,
          "199204012019031007"),
    # Pengadaan Langsung for the Pejabat Pengadaan
    Paket("10036001", "Pengadaan Meubelair Ruang Inspektur", "itjen", "barang", 180, 175, PPK[2]),
    Paket("10036002", "Jasa Pemeliharaan Pendingin Ruangan Itjen", "itjen", "jasa_lainnya", 95, 92, PPK[2]),
    Paket("10036003", "Jasa Konsultansi Penyusunan SOP Pengawasan", "itjen", "jasa_konsultansi", 90, 88, PPK[2]),
    Paket("10037001", "Pengadaan Buku dan Jurnal Kebijakan", "bskdn", "barang", 120, 115, PPK[3]),
    Paket("10037002", "Jasa Penyelenggaraan Rapat Koordinasi", "bskdn", "jasa_lainnya", 160, 150, PPK[3]),
    Paket("10037003", "Perbaikan Atap Gedung BSKDN", "bskdn", "pekerjaan_konstruksi", 390, 380, PPK[3]),
    # not yet assigned
    Paket("10038001", "Pengadaan Server dan Media Penyimpanan", "pusdatin", "barang", 6_500, 6_300, PPK[3]),
    Paket("10038002", "Lisensi Perangkat Lunak Perkantoran", "pusdatin", "barang", 2_100, 2_050, PPK[3]),
    Paket("10038003", "Jasa Konsultansi Arsitektur Sistem Informasi", "pusdatin", "jasa_konsultansi", 2_800, 2_700,
          PPK[3]),
    Paket("10038004", "Pengadaan Blangko KTP Elektronik", "dukcapil", "barang", 95_000, 93_500, PPK[2]),
    Paket("10038005", "Jasa Pengiriman Dokumen Kependudukan", "dukcapil", "jasa_lainnya", 1_300, 1_250, PPK[2]),
    Paket("10038006", "Pengadaan Seragam Satpam dan Pramubakti", "bu", "barang", 150, 140),
    Paket("10038007", "Jasa Konsultansi Audit Energi Gedung", "bu", "jasa_konsultansi", 99, 97),
    Paket("10038008", "Pembangunan Pos Jaga", "bu", "pekerjaan_konstruksi", 250, 240),
    Paket("10038009", "Pengadaan Genset Gedung Utama", "bu", "barang", 1_900, 1_850),
    Paket("10038010", "Sewa Kendaraan Operasional Daerah", "keuda", "jasa_lainnya", 780, 760, PPK[2]),
]
PERUBAHAN_METODE = ("10031002", "tender_cepat",
                    "Spesifikasi dan volume pekerjaan telah ditetapkan rinci dan pelaku usaha telah terkualifikasi "
                    "dalam SIKaP.")

KOORDINASI_YUDI = {"satuan_kerja": SATKER["keuda"], "pimpinan": "Sekretaris Direktorat Jenderal Bina Keuangan Daerah",
                   "tanggal": date(TAHUN - 1, 12, 15).isoformat(), "nomor_surat": f"800/412/KEUDA/{TAHUN - 1}"}


@dataclass(frozen=True)
class PokjaDemo:
    kunci: str
    nama: str
    nomor_sk: str
    anggota: tuple[str | dict, ...]
    paket: tuple[str, ...] = field(default=())


POKJA: list[PokjaDemo] = [
    PokjaDemo("pokja-1", f"Pokja Pemilihan I Tahun {TAHUN}", f"027/001/UKPBJ/{TAHUN}",
              ("198705052011012005", "199011112015031001", "199203032018012002"),
              ("10023456", "10098765", "10031001", "10031002", "10031003")),
    PokjaDemo("pokja-2", f"Pokja Pemilihan II (Konstruksi) Tahun {TAHUN}", f"027/002/UKPBJ/{TAHUN}",
              ("198106242006041004", "199005122015032002", "198402282009011003", "197912102005011005",
               "198705202011012003"),
              ("10032001", "10032002", "10032003", "10032004")),
    PokjaDemo("pokja-3", f"Pokja Pemilihan III (Jasa Konsultansi) Tahun {TAHUN}", f"027/003/UKPBJ/{TAHUN}",
              ("198812012012122001", "198601032009012004",
               {"nip": "198310302006021005", "koordinasi_satker": KOORDINASI_YUDI}),
              ("10033001", "10033002", "10033003")),
    PokjaDemo("pokja-4", f"Pokja Pemilihan IV Tahun {TAHUN}", f"027/004/UKPBJ/{TAHUN}",
              ("198611192010121002", "199405152020121004", "198909242014032002"), ("10034001",)),
]
# Pokja II: Siti Rahmawati moves to other duties; Ayu Lestari takes her place (and her role).
PENUKARAN = ("pokja-2", "199005122015032002", "199307092019022003", "Mutasi ke Subbagian Pembinaan dan Advokasi")
PEMBUBARAN = ("pokja-4", "Penataan ulang Pokja: paket konstruksi dipusatkan pada Pokja Pemilihan II")
PEMINDAHAN = ("pokja-2", "10034001")


@dataclass(frozen=True)
class PejabatDemo:
    kunci: str
    nip: str
    satker: str
    nomor_permintaan_kpa: str
    paket: tuple[str, ...]


PEJABAT_PENGADAAN: list[PejabatDemo] = [
    PejabatDemo("pp-itjen", "198709032010122003", "itjen", f"027/118/ITJEN/{TAHUN}",
                ("10036001", "10036002", "10036003")),
    PejabatDemo("pp-bskdn", "199103172017062006", "bskdn", f"027/245/BSKDN/{TAHUN}",
                ("10037001", "10037002", "10037003")),
]


@dataclass(frozen=True)
class LaporanDemo:
    kode: str
    peran: str  # pokja | pejabat_pengadaan
    pelapor: str
    status: str
    nilai_juta: float | None = None
    pemenang: str | None = None
    keterangan: str | None = None
    hari_lalu: int = 10


LAPORAN: list[LaporanDemo] = [
    LaporanDemo("10023456", "pokja", "198705052011012005", "selesai", 2_195.5, "PT Mitra Data Integrasi"),
    LaporanDemo("10031003", "pokja", "199011112015031001", "gagal",
                keterangan="Tidak ada penawaran yang memenuhi persyaratan teknis; tender diulang.", hari_lalu=20),
    LaporanDemo("10032003", "pokja", "198106242006041004", "selesai", 1_702, "PT Sinar Nusantara Konstruksi"),
    LaporanDemo("10033001", "pokja", "198812012012122001", "selesai", 598.4, "CV Cipta Reka Konsultan"),
    LaporanDemo("10036001", "pejabat_pengadaan", "198709032010122003", "selesai", 171.25, "CV Banua Sarana Medika"),
    LaporanDemo("10036002", "pejabat_pengadaan", "198709032010122003", "selesai", 89.9, "CV Tirta Sejuk Teknik"),
    LaporanDemo("10037002", "pejabat_pengadaan", "199103172017062006", "gagal",
                keterangan="Penyedia yang diundang tidak memasukkan penawaran.", hari_lalu=5),
]

STEPS = (len(PEGAWAI) + len(PAKET) + 1  # the method override
         + len(POKJA) + 3  # the swap, the dissolution, the moved package
         + len(PEJABAT_PENGADAAN) * 2 + len(LAPORAN) * 2)  # a report is read first, then made if still missing


async def seed(ctx: SeedContext) -> None:
    """Fill pokja with the demo data above, through its public API."""
    admin = ctx.token("admin_ukpbj", nip=ADMIN_NIP)
    kepala = ctx.token("kepala_ukpbj", nip=KEPALA_NIP)
    for p in PEGAWAI:
        await ctx.call("pokja", "POST", "/api/v1/pegawai", headers=admin, json=p.body())
    for i, k in enumerate(PAKET):
        await ctx.call("pokja", "POST", "/api/v1/paket", headers=admin, json=k.body(i))
    kode, metode, alasan = PERUBAHAN_METODE
    await ctx.call("pokja", "POST", f"/api/v1/paket/{kode}/metode", headers={**admin, "If-Match": '"1"'},
                   json={"metode": metode, "alasan": alasan}, expect=(200, 412))

    pokja_id: dict[str, str] = {}
    for p in POKJA:
        body = {"nama": p.nama, "nomor_sk": p.nomor_sk, "paket": list(p.paket),
                "anggota": [a if isinstance(a, dict) else {"nip": a} for a in p.anggota]}
        response = await ctx.call("pokja", "POST", "/api/v1/pokja", json=body,
                                  headers={**kepala, "Idempotency-Key": f"seed-{p.kunci}"})
        pokja_id[p.kunci] = response.json()["id"]
    kunci, keluar, pengganti, alasan = PENUKARAN
    await ctx.call("pokja", "DELETE", f"/api/v1/pokja/{pokja_id[kunci]}/anggota/{keluar}", headers=kepala,
                   params={"pengganti": pengganti, "alasan": alasan}, expect=(200, 404))
    kunci, alasan = PEMBUBARAN
    await ctx.call("pokja", "POST", f"/api/v1/pokja/{pokja_id[kunci]}/bubarkan", headers=kepala,
                   json={"alasan": alasan})
    kunci, kode = PEMINDAHAN
    await ctx.call("pokja", "POST", f"/api/v1/pokja/{pokja_id[kunci]}/paket", headers=kepala, json={"paket": [kode]})

    for pj in PEJABAT_PENGADAAN:
        response = await ctx.call("pokja", "POST", "/api/v1/pejabat-pengadaan",
                                  headers={**kepala, "Idempotency-Key": f"seed-{pj.kunci}"},
                                  json={"nip": pj.nip, "satuan_kerja": SATKER[pj.satker],
                                        "nomor_permintaan_kpa": pj.nomor_permintaan_kpa})
        await ctx.call("pokja", "POST", f"/api/v1/pejabat-pengadaan/{response.json()['id']}/paket", headers=kepala,
                       json={"paket": list(pj.paket)})

    for lap in LAPORAN:
        sudah = (await ctx.call("pokja", "GET", f"/api/v1/paket/{lap.kode}", headers=admin)).json()["hasil"]
        if sudah is not None:  # reported by an earlier run: a failed selection is not reported twice
            ctx.progress.update(1)
            continue
        body = {"status": lap.status, "tanggal": (date.today() - timedelta(days=lap.hari_lalu)).isoformat(),
                "nilai_kontrak": round(lap.nilai_juta * JUTA) if lap.nilai_juta else None, "pemenang": lap.pemenang,
                "keterangan": lap.keterangan}
        await ctx.call("pokja", "POST", f"/api/v1/paket/{lap.kode}/hasil-pemilihan", json=body,
                       headers=ctx.token(lap.peran, nip=lap.pelapor))
