from datetime import date

import pytest
from pydantic import TypeAdapter

from services.registrasi.config import Settings
from services.registrasi.domain import Pendaftaran
from services.registrasi.main import create_app
from services.registrasi.repository import data_dari_json
from services.registrasi.schemas import (
    CONTOH_PENDAFTARAN,
    AlasanStatus,
    DaftarHitamCreate,
    DaftarHitamPublic,
    DokumenPublic,
    PendaftaranCreate,
    PendaftaranPerbaikan,
    PendaftaranPublic,
    PenggunaPublic,
    RiwayatPublic,
    Verifikasi,
)

SPEC = create_app(Settings()).openapi()
TAG_REGISTRASI = {"pendaftaran", "dokumen", "verifikasi", "pengguna", "daftar hitam"}
OPERASI = [(path, method, op) for path, item in SPEC["paths"].items() for method, op in item.items()
           if TAG_REGISTRASI & set(op.get("tags", []))]
PASAL = ("Lampiran angka 2.5.1", "Lampiran angka 2.3 huruf c", "Pasal 78")


def _contoh(skema: dict) -> bool:
    if "$ref" in skema:
        skema = SPEC["components"]["schemas"][skema["$ref"].rsplit("/", 1)[1]]
    if "examples" in skema or "example" in skema:
        return True
    return any(_contoh(s) for s in skema.get("oneOf", []) + skema.get("anyOf", []) + skema.get("allOf", []))


def _nama(op) -> str:
    return op["operationId"]


@pytest.mark.parametrize(("path", "method", "op"), OPERASI, ids=lambda x: x if isinstance(x, str) else _nama(x))
def test_every_operation_has_a_summary_and_a_description_naming_its_article(path, method, op):
    assert op["summary"] and " / " in op["summary"]
    assert any(p in op["description"] for p in PASAL), op["description"]


@pytest.mark.parametrize(("path", "method", "op"), OPERASI, ids=lambda x: x if isinstance(x, str) else _nama(x))
def test_every_error_an_operation_can_return_is_documented_as_problem_json(path, method, op):
    kode = {int(k) for k in op["responses"] if k[0] in "45"}
    assert kode >= {400, 413, 422, 500, 503}
    if path != "/api/v1/pendaftaran" or method != "post":
        assert {401, 403} <= kode
    if "{" in path:
        assert 404 in kode
    for k, jawaban in op["responses"].items():
        if k[0] in "45":
            assert list(jawaban["content"]) == ["application/problem+json"], (k, jawaban)


@pytest.mark.parametrize(("path", "method", "op"), [o for o in OPERASI if "requestBody" in o[2]],
                         ids=lambda x: x if isinstance(x, str) else _nama(x))
def test_every_request_body_has_an_example(path, method, op):
    isi = op["requestBody"]["content"]
    media = isi.get("application/json") or isi["multipart/form-data"]
    assert "examples" in media or _contoh(media["schema"]), (path, method)


@pytest.mark.parametrize(("path", "method", "op"), OPERASI, ids=lambda x: x if isinstance(x, str) else _nama(x))
def test_every_success_response_has_an_example(path, method, op):
    [(kode, jawaban)] = [(k, v) for k, v in op["responses"].items() if k.startswith("2")]
    isi = jawaban["content"]
    if "application/json" not in isi:
        assert set(isi) >= {"application/pdf", "image/jpeg", "image/png"}
        return
    skema = isi["application/json"]["schema"]
    if "$ref" in skema and skema["$ref"].rsplit("/", 1)[1].startswith("Page"):
        skema = SPEC["components"]["schemas"][skema["$ref"].rsplit("/", 1)[1]]["properties"]["data"]["items"]
    assert _contoh(skema), (path, method)


def test_the_state_changing_operations_take_if_match_and_the_creates_idempotency_key():
    for path in ("/api/v1/pendaftaran/{pendaftaran_id}/verifikasi", "/api/v1/pendaftaran/{pendaftaran_id}/ajukan-ulang",
                 "/api/v1/pengguna/{pengguna_id}/nonaktifkan", "/api/v1/pengguna/{pengguna_id}/aktifkan"):
        assert "if-match" in {p["name"].lower() for p in SPEC["paths"][path]["post"]["parameters"]}


def test_the_contracts_paths_all_exist():
    for path, method in [("/api/v1/pendaftaran", "post"), ("/api/v1/pendaftaran", "get"),
                         ("/api/v1/pendaftaran/{pendaftaran_id}", "get"),
                         ("/api/v1/pendaftaran/{pendaftaran_id}/dokumen", "post"),
                         ("/api/v1/pendaftaran/{pendaftaran_id}/verifikasi", "post"),
                         ("/api/v1/pengguna", "get"), ("/api/v1/pengguna/{pengguna_id}", "get"),
                         ("/api/v1/pengguna/{pengguna_id}/nonaktifkan", "post"),
                         ("/api/v1/pengguna/{pengguna_id}/aktifkan", "post"),
                         ("/api/v1/daftar-hitam", "get"), ("/api/v1/daftar-hitam", "post")]:
        assert method in SPEC["paths"][path], (method, path)


def test_every_registrasi_route_is_documented():
    assert len(OPERASI) == 18


def test_no_fee_or_payment_field_exists_anywhere_in_the_api():
    nama = {k.lower() for skema in SPEC["components"]["schemas"].values() for k in skema.get("properties", {})}
    nama |= {p["name"].lower() for _, _, op in OPERASI for p in op.get("parameters", [])}
    assert not [n for n in nama if any(kata in n for kata in ("biaya", "bayar", "tarif", "fee", "payment", "harga"))]


@pytest.mark.parametrize("nama", sorted(CONTOH_PENDAFTARAN))
def test_every_registration_example_passes_the_identifier_rules(nama):
    body = TypeAdapter(PendaftaranCreate).validate_python(CONTOH_PENDAFTARAN[nama]["value"])
    isi = body.model_dump(mode="json")
    Pendaftaran.ajukan("contoh", data_dari_json(isi.pop("jenis"), isi), hari_ini=date(2026, 11, 30))


@pytest.mark.parametrize("model", [PendaftaranPerbaikan, Verifikasi, AlasanStatus, DaftarHitamCreate, DokumenPublic,
                                   PendaftaranPublic, PenggunaPublic, DaftarHitamPublic, RiwayatPublic])
def test_every_schema_example_is_valid_for_its_model(model):
    contoh = model.model_config["json_schema_extra"]["examples"]
    assert contoh
    for isi in contoh:
        model.model_validate(isi)


def test_self_registration_documents_its_rate_limit():
    operasi = SPEC["paths"]["/api/v1/pendaftaran"]["post"]
    assert list(operasi["responses"]["429"]["content"]) == ["application/problem+json"]
    assert "429" in operasi["description"] and "Retry-After" in operasi["description"]
