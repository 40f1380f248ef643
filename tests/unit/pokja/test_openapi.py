import pytest

from services.pokja.config import Settings
from services.pokja.main import create_app

SPEC = create_app(Settings()).openapi()
TAG_POKJA = {"pegawai", "paket", "pokja", "pejabat-pengadaan", "beban-kerja"}
OPERASI = [(f"{method.upper()} {path}", op) for path, item in SPEC["paths"].items()
           for method, op in item.items() if TAG_POKJA & set(op.get("tags", []))]
KEPALA_SAJA = {"POST /api/v1/pokja", "POST /api/v1/pokja/{pokja_id}/anggota", "POST /api/v1/pokja/{pokja_id}/paket",
               "DELETE /api/v1/pokja/{pokja_id}/anggota/{nip}", "POST /api/v1/pokja/{pokja_id}/bubarkan",
               "POST /api/v1/pejabat-pengadaan", "POST /api/v1/pejabat-pengadaan/{penugasan_id}/paket"}


def test_jalur_kontrak_pokja_tersedia():
    for jalur in ("GET /api/v1/pegawai", "POST /api/v1/pegawai", "GET /api/v1/paket", "POST /api/v1/paket",
                  "POST /api/v1/pokja/{pokja_id}/anggota", "DELETE /api/v1/pokja/{pokja_id}/anggota/{nip}",
                  "POST /api/v1/paket/{kode}/hasil-pemilihan", *KEPALA_SAJA):
        assert jalur in dict(OPERASI)


@pytest.mark.parametrize(("nama", "op"), OPERASI, ids=[n for n, _ in OPERASI])
def test_setiap_operasi_berringkasan_menyebut_pasal_dan_berisi_contoh(nama, op):
    assert op["summary"].strip()
    assert "Pasal" in op["description"]
    if "requestBody" in op:
        assert op["requestBody"]["content"]["application/json"]["examples"]
    sukses = op["responses"].get("201") or op["responses"]["200"]
    assert any("example" in isi for isi in sukses["content"].values())


@pytest.mark.parametrize(("nama", "op"), OPERASI, ids=[n for n, _ in OPERASI])
def test_setiap_masalah_yang_mungkin_terdokumentasi_sebagai_problem_json(nama, op):
    kode = set(op["responses"])
    assert {"401", "403", "500", "503"} <= kode
    if "{" in nama:
        assert "404" in kode
    if nama.startswith(("POST", "DELETE")):
        assert {"409", "422"} <= kode
    if "If-Match" in {p["name"] for p in op.get("parameters", [])}:
        assert "412" in kode
    for status in kode - {"200", "201"}:
        assert "application/problem+json" in op["responses"][status]["content"], status


@pytest.mark.parametrize("nama", sorted(KEPALA_SAJA))
def test_operasi_kepala_ukpbj_menyebut_pasal_kewenangannya(nama):
    assert any(p in dict(OPERASI)[nama]["description"] for p in ("Pasal 9", "Pasal 16"))
