"""What the harness sends: realistic request bodies per service (API-CONTRACT.md) and the data loads.

Bodies are templates (bench/template.py) so every request carries unique, valid identifiers: NPWP
with a Luhn check digit, NIB, NIK and NIP that pass DOMAIN.md rules 1-6, unique user ids and e-mails.
Loads alternate between several templates so filtered lists really filter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

SATKER = "Biro Umum Sekretariat Jenderal"
# Officials named on packages (planner, PPK, inspector): never Pokja members, so Pasal 12a holds.
PEJABAT_PAKET = ["198001012005011001", "198102022006012002", "198203032007011003"]


def tpl(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def penyedia(bentuk: str = "pt") -> str:
    return tpl({
        "jenis": "penyedia", "bentuk_usaha": bentuk, "nama": "PT Bench Nusantara Konstruksi {{seq}}",
        "npwp": "0{{luhn:9}}091000", "nib": "91{{seq:11}}", "email": "pengadaan{{seq}}@bench-nusantara.co.id",
        "telepon": "0251-8312345", "alamat": "Jl. Pajajaran No. 12, Bogor, Jawa Barat", "user_id": "bench{{seq}}",
        "penanggung_jawab": {"nama": "Budi Santoso", "nik": "{{nik}}", "jabatan": "Direktur Utama"},
    })


def pegawai(jabatan: str = "pengelola_pbj") -> str:
    return tpl({
        "nip": "{{nip}}", "nama": "Pegawai Bench {{seq}}", "jabatan": jabatan, "unit": "ukpbj",
        "satuan_kerja": SATKER,
        "sertifikat": [{"jenis": "kompetensi", "level": 1, "nomor": "KOMP-{{seq}}", "berlaku_sampai": "2030-12-31"}],
        "peran_lpse": None,
    })


def pegawai_tetap(nip: str) -> str:
    return tpl({"nip": nip, "nama": f"Pejabat {nip[-3:]}", "jabatan": "lainnya", "unit": "luar_ukpbj",
                "satuan_kerja": SATKER, "sertifikat": [], "peran_lpse": None})


def paket(jenis: str, pagu: int, tahun: int = 2026, prefix: str = "BENCH") -> str:
    return tpl({
        "kode": f"{prefix}-{{{{seq}}}}", "nama": f"Pengadaan {jenis.replace('_', ' ')} {{{{seq}}}}",
        "satuan_kerja": SATKER, "jenis_pengadaan": jenis, "pagu": pagu, "hps": pagu * 97 // 100,
        "tahun_anggaran": tahun, "perencana_nip": PEJABAT_PAKET[0], "ppk_nip": PEJABAT_PAKET[1],
        "pemeriksa_nip": PEJABAT_PAKET[2],
    })


PAKET_POKJA = paket("barang", 2_500_000_000, prefix="POKJA")
PAKET_MIX = [paket("barang", 1_500_000_000), paket("pekerjaan_konstruksi", 4_800_000_000),
             paket("jasa_konsultansi", 750_000_000), paket("jasa_lainnya", 180_000_000),
             paket("barang", 150_000_000)]


def tiket(kategori: str, kanal: str) -> str:
    return tpl({"judul": "Dokumen penawaran tidak dapat diunggah ({{seq}})",
                "uraian": "Saat mengunggah dokumen penawaran pada paket tender, SPSE menampilkan galat 500 "
                          "setelah berkas dipilih. Sudah dicoba dengan peramban lain. Nomor {{seq}}.",
                "kategori": kategori, "kanal": kanal})


TIKET_MIX = [tiket("aplikasi", "web"), tiket("akun", "email"), tiket("infrastruktur", "telepon"),
             tiket("informasi", "web"), tiket("aplikasi", "kunjungan")]


def pokja_body(with_paket: bool) -> str:
    body: dict = {"nama": "Pokja Pemilihan Bench {{seq}}", "nomor_sk": "900/{{seq}}/UKPBJ/2026",
                  "anggota": [{"nip": f"{{{{pool:a:3:{i}}}}}", "koordinasi_satker": None} for i in range(3)]}
    if with_paket:
        body["paket"] = ["{{uniq:b}}"]
    return tpl(body)


@dataclass
class Load:
    """Data created through the public API before the cases: `count` POSTs cycling over `templates`."""

    name: str
    path: str
    templates: list[str]
    roles: list[str] | None
    count_full: int
    count_quick: int
    key: str = "location"  # what to keep of each response: its Location, or a JSON field
    sub: str | None = None


@dataclass
class ServicePlan:
    service: str
    loads: list[Load] = field(default_factory=list)
    read_load: str | None = None  # which load's results are the ids to read
    read_roles: list[str] = field(default_factory=list)
    fixed_read: str | None = None  # a constant read path (pelaporan's indicators)
    list_path: str | None = None
    list_filters: dict[str, str] = field(default_factory=dict)
    list_roles: list[str] = field(default_factory=list)
    create_path: str | None = None
    create_template: str | None = None
    create_roles: list[str] | None = None
    create_sub: str | None = None
    no_create_reason: str | None = None


PLANS = {
    "registrasi": ServicePlan(
        "registrasi",
        loads=[Load("pendaftaran", "/api/v1/pendaftaran", [penyedia("pt"), penyedia("cv"), penyedia("koperasi")],
                    None, 5000, 300)],
        read_load="pendaftaran", read_roles=["verifikator"],
        list_path="/api/v1/pendaftaran", list_filters={"status": "diajukan", "jenis": "penyedia"},
        list_roles=["verifikator"],
        create_path="/api/v1/pendaftaran", create_template=penyedia("pt"), create_roles=None,
    ),
    "pokja": ServicePlan(
        "pokja",
        loads=[
            Load("pejabat", "/api/v1/pegawai", [pegawai_tetap(n) for n in PEJABAT_PAKET], ["admin_ukpbj"], 3, 3,
                 key="nip"),
            Load("pegawai", "/api/v1/pegawai", [pegawai()], ["admin_ukpbj"], 600, 60, key="nip"),
            Load("paket", "/api/v1/paket", PAKET_MIX, ["admin_ukpbj"], 5000, 300),
            Load("paket_pokja", "/api/v1/paket", [PAKET_POKJA], ["admin_ukpbj"], 4000, 400, key="kode"),
        ],
        read_load="paket", read_roles=["admin_ukpbj"],
        list_path="/api/v1/paket", list_filters={"tahun_anggaran": "2026", "metode": "tender",
                                                 "jenis_pengadaan": "barang"},
        list_roles=["admin_ukpbj"],
        create_path="/api/v1/paket", create_template=paket("jasa_lainnya", 900_000_000, prefix="NEW"),
        create_roles=["admin_ukpbj"],
    ),
    "helpdesk": ServicePlan(
        "helpdesk",
        loads=[Load("tiket", "/api/v1/tiket", TIKET_MIX, ["penyedia"], 5000, 300, sub="bench-penyedia")],
        read_load="tiket", read_roles=["helpdesk"],
        list_path="/api/v1/tiket", list_filters={"status": "baru", "kategori": "aplikasi"},
        list_roles=["helpdesk"],
        create_path="/api/v1/tiket", create_template=tiket("aplikasi", "web"), create_roles=["penyedia"],
        create_sub="bench-penyedia",
    ),
    "pelaporan": ServicePlan(
        "pelaporan",
        fixed_read="/api/v1/indikator", read_roles=["kepala_ukpbj"],
        list_path="/api/v1/data-terbuka/ocds", list_filters={"tahun": "2026"}, list_roles=["kepala_ukpbj"],
        no_create_reason="pelaporan has no create in the contract: it writes only from events (see e2e lag)",
    ),
}
