import copy
from datetime import date, datetime
from pathlib import Path

import pytest
from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig

from services.pelaporan.ocds import CatatanPaket, HasilPemilihan, PokjaPaket, rilis_ocds
from services.pelaporan.periode import WIB
from shared.errors import ValidationFailed

TERBIT = datetime(2026, 7, 1, 8, 0, tzinfo=WIB)
PENERBIT = {"name": "Unit Kerja Pengadaan Barang/Jasa Kementerian Dalam Negeri"}


def akar_repo() -> Path:
    for folder in Path(__file__).resolve().parents:
        if (folder / "services").is_dir() and (folder / "tests").is_dir():
            return folder
    raise AssertionError("repository root not found above this test file")


@pytest.fixture(scope="module")
def konfigurasi() -> LibCoveOCDSConfig:
    arsip = akar_repo().parent / "shared" / "ocds" / "standard-1__1__5.zip"
    assert arsip.is_file(), f"OCDS schema archive missing: {arsip}"
    return LibCoveOCDSConfig({"standard_zip": arsip.as_uri(), "context": "api"})


def validasi(paket: dict, konfigurasi: LibCoveOCDSConfig) -> dict:
    return ocds_json_output("", None, "1.1", json_data=copy.deepcopy(paket), lib_cove_ocds_config=konfigurasi)


def paket(kode="P-001", **ubah) -> CatatanPaket:
    dasar = dict(
        kode=kode, nama="Pengadaan Laptop Biro Umum", satuan_kerja="Biro Umum Sekretariat Jenderal",
        jenis_pengadaan="barang", pagu=1_500_000_000, hps=1_400_000_000, metode_pemilihan="tender",
        tahun_anggaran=2026,
    )
    return CatatanPaket(**{**dasar, **ubah})


SELESAI = HasilPemilihan("selesai", date(2026, 3, 10), nilai_kontrak=1_250_000_000, pemenang="PT Maju Jaya")
POKJA = PokjaPaket("Pokja Pemilihan 07", ("Andi", "Budi", "Citra"))


def contoh_paket() -> list[CatatanPaket]:
    return [
        paket("P-001", hasil=SELESAI, pokja=POKJA),
        paket("P-002", jenis_pengadaan="pekerjaan_konstruksi", metode_pemilihan="tender_cepat",
              hasil=HasilPemilihan("gagal", date(2026, 4, 2)), pokja=POKJA),
        paket("P-003", jenis_pengadaan="jasa_konsultansi", metode_pemilihan="seleksi", pokja=POKJA),
        paket("P-004", jenis_pengadaan="jasa_lainnya", metode_pemilihan="pengadaan_langsung", pagu=150_000_000,
              hps=140_000_000, hasil=HasilPemilihan("selesai", datetime(2026, 5, 5, 10, 0, tzinfo=WIB),
                                                    nilai_kontrak=135_000_000, pemenang="CV Sinar")),
        paket("P-005", metode_pemilihan="penunjukan_langsung"),
        paket("P-006", metode_pemilihan="e_purchasing"),
    ]


def rilis(daftar=None) -> dict:
    return rilis_ocds(
        contoh_paket() if daftar is None else daftar,
        publisher=PENERBIT, uri="https://ukpbj.kemendagri.go.id/ocds/2026-S1.json",
        published_date=TERBIT, ocid_prefix="ocds-abc123",
    )


def satu(kode: str) -> dict:
    return next(r for r in rilis()["releases"] if r["tender"]["id"] == kode)


def test_the_release_package_validates_against_ocds_1_1_with_no_errors(konfigurasi):
    hasil = validasi(rilis(), konfigurasi)

    assert hasil["validation_errors"] == []
    assert hasil["additional_closed_codelist_values"] == {}
    assert hasil["additional_open_codelist_values"] == {}
    assert [f["path"] + "/" + f["field"] for f in hasil["additional_fields"]] == [
        "/releases/parties/details/pokjaPemilihan"
    ]


def test_the_validator_does_report_a_broken_release(konfigurasi):
    rusak = rilis()
    del rusak["releases"][0]["date"]
    rusak["releases"][1]["tender"]["value"]["amount"] = "banyak"

    assert len(validasi(rusak, konfigurasi)["validation_errors"]) == 2


@pytest.mark.parametrize(
    ("jenis", "kategori"),
    [
        ("barang", "goods"),
        ("pekerjaan_konstruksi", "works"),
        ("jasa_konsultansi", "services"),
        ("jasa_lainnya", "services"),
    ],
)
def test_the_kind_of_procurement_maps_to_the_main_category(jenis, kategori):
    tender = rilis([paket(jenis_pengadaan=jenis)])["releases"][0]["tender"]

    assert tender["mainProcurementCategory"] == kategori
    assert ("consultingServices" in tender.get("additionalProcurementCategories", [])) == (jenis == "jasa_konsultansi")


@pytest.mark.parametrize(
    ("metode", "kode", "rincian"),
    [
        ("tender", "open", "Tender"),
        ("tender_cepat", "open", "Tender Cepat"),
        ("seleksi", "selective", "Seleksi"),
        ("penunjukan_langsung", "direct", "Penunjukan Langsung"),
        ("pengadaan_langsung", "direct", "Pengadaan Langsung"),
        ("e_purchasing", "direct", "E-purchasing"),
    ],
)
def test_the_selection_method_maps_to_a_procurement_method_with_indonesian_details(metode, kode, rincian):
    tender = rilis([paket(metode_pemilihan=metode)])["releases"][0]["tender"]

    assert (tender["procurementMethod"], tender["procurementMethodDetails"]) == (kode, rincian)


def test_a_finished_selection_is_an_award_to_the_winner_as_supplier():
    r = satu("P-001")
    peran = {p["name"]: p["roles"] for p in r["parties"]}

    assert r["tag"] == ["tender", "award"]
    assert r["tender"]["status"] == "complete"
    assert r["awards"][0]["value"] == {"amount": 1_250_000_000, "currency": "IDR"}
    assert r["awards"][0]["date"] == "2026-03-10T00:00:00+07:00"
    assert r["awards"][0]["suppliers"][0]["name"] == "PT Maju Jaya"
    assert peran["PT Maju Jaya"] == ["supplier"]


def test_the_satker_is_the_buyer_and_the_ukpbj_the_procuring_entity():
    r = satu("P-001")
    peran = {p["id"]: (p["name"], p["roles"]) for p in r["parties"]}

    assert peran[r["buyer"]["id"]] == ("Biro Umum Sekretariat Jenderal", ["buyer"])
    assert peran[r["tender"]["procuringEntity"]["id"]] == (
        "Unit Kerja Pengadaan Barang/Jasa Kementerian Dalam Negeri", ["procuringEntity"])


def test_pagu_is_the_budget_and_hps_the_tender_value_in_rupiah():
    r = satu("P-001")

    assert r["planning"]["budget"]["amount"] == {"amount": 1_500_000_000, "currency": "IDR"}
    assert r["tender"]["value"] == {"amount": 1_400_000_000, "currency": "IDR"}


def test_a_failed_selection_is_an_unsuccessful_tender_without_award():
    r = satu("P-002")

    assert r["tender"]["status"] == "unsuccessful"
    assert "awards" not in r
    assert "supplier" not in {role for p in r["parties"] for role in p["roles"]}


def test_a_selection_without_result_is_active_and_keeps_its_pokja_members_private():
    r = satu("P-003")
    ukpbj = next(p for p in r["parties"] if "procuringEntity" in p["roles"])

    assert r["tender"]["status"] == "active"
    assert ukpbj["contactPoint"] == {"name": "Pokja Pemilihan 07"}
    assert "details" not in ukpbj


def test_the_pokja_and_its_members_appear_with_the_procuring_entity_once_there_is_a_result():
    ukpbj = next(p for p in satu("P-001")["parties"] if "procuringEntity" in p["roles"])

    assert ukpbj["details"]["pokjaPemilihan"] == {"nama": "Pokja Pemilihan 07", "anggota": ["Andi", "Budi", "Citra"]}


def test_every_release_has_a_unique_ocid_and_id_from_the_prefix_and_package_code():
    releases = rilis()["releases"]

    assert [r["ocid"] for r in releases] == [f"ocds-abc123-P-00{i}" for i in range(1, 7)]
    assert len({r["id"] for r in releases}) == 6


def test_an_unknown_method_is_refused_naming_the_record_and_field():
    with pytest.raises(ValidationFailed) as galat:
        rilis([paket(), paket("P-009", metode_pemilihan="swakelola")])

    assert [e.field for e in galat.value.errors] == ["paket_records[1].metode_pemilihan"]


def test_a_duplicate_package_code_is_refused():
    with pytest.raises(ValidationFailed) as galat:
        rilis([paket("P-001"), paket("P-001")])

    assert [e.field for e in galat.value.errors] == ["paket_records[1].kode"]


def test_a_finished_selection_without_contract_value_or_winner_is_refused():
    with pytest.raises(ValidationFailed) as galat:
        rilis([paket(hasil=HasilPemilihan("selesai", date(2026, 3, 1)))])

    assert {e.field for e in galat.value.errors} == {
        "paket_records[0].hasil.nilai_kontrak",
        "paket_records[0].hasil.pemenang",
    }


def test_a_malformed_ocid_prefix_is_refused():
    with pytest.raises(ValidationFailed) as galat:
        rilis_ocds([paket()], publisher=PENERBIT, uri="x", published_date=TERBIT, ocid_prefix="kemendagri")

    assert [e.field for e in galat.value.errors] == ["ocid_prefix"]
