from __future__ import annotations

import re

import pytest

from services.helpdesk.api import router
from services.helpdesk.config import Settings
from services.helpdesk.main import create_app

ARTIKEL = re.compile(r"Pasal \d+|Lampiran [\d.]+|Kep\. Kepala LKPP|Perlem LKPP")


@pytest.fixture(scope="module")
def spec() -> dict:
    return create_app(Settings()).openapi()


def operasi(spec: dict) -> list[tuple[str, str, dict]]:
    milik_helpdesk = {route.path for route in router.routes}
    return [(path, method, op) for path, item in spec["paths"].items() if path in milik_helpdesk
            for method, op in item.items()]


def test_every_route_of_the_contract_is_there(spec):
    diperiksa = {(method, path) for path, method, _ in operasi(spec)}
    kontrak = {("post", "/api/v1/tiket"), ("get", "/api/v1/tiket"), ("get", "/api/v1/tiket/{tiket_id}"),
               ("get", "/api/v1/pengumuman"), ("post", "/api/v1/pengumuman"), ("post", "/api/v1/berita-acara")}
    kontrak |= {("post", f"/api/v1/tiket/{{tiket_id}}/{aksi}") for aksi in (
        "tanggapan", "eskalasi", "selesaikan", "konfirmasi", "buka-kembali", "tugaskan", "tunggu-pelapor",
        "penilaian", "lampiran")}
    kontrak |= {("get", "/api/v1/berita-acara/{berita_acara_id}.pdf"),
                ("patch", "/api/v1/berita-acara/{berita_acara_id}"),
                ("post", "/api/v1/berita-acara/{berita_acara_id}/tandatangani")}
    assert kontrak <= diperiksa


def skema(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_every_helpdesk_operation_has_a_summary_and_a_description_naming_its_article(spec):
    for path, method, op in operasi(spec):
        assert op.get("summary"), (method, path)
        assert ARTIKEL.search(op.get("description", "")), (method, path)


def test_every_request_body_and_success_response_has_an_example(spec):
    for path, method, op in operasi(spec):
        for media, isi in op.get("requestBody", {}).get("content", {}).items():
            assert "example" in isi or skema(spec, isi["schema"]).get("examples"), (method, path, media)
        sukses = [isi for kode, jawab in op["responses"].items() if kode.startswith("2")
                  for isi in jawab.get("content", {}).values()]
        assert sukses, (method, path)
        for isi in sukses:
            assert "example" in isi or skema(spec, isi.get("schema", {})).get("examples"), (method, path)


@pytest.mark.parametrize(("path", "method", "kode"), [
    ("/api/v1/tiket/{tiket_id}/eskalasi", "post", {"401", "403", "404", "409", "412", "422"}),
    ("/api/v1/tiket/{tiket_id}/tanggapan", "post", {"401", "403", "404", "409", "412", "422"}),
    ("/api/v1/tiket/{tiket_id}/konfirmasi", "post", {"401", "403", "404", "409", "412"}),
    ("/api/v1/pengumuman", "post", {"401", "403", "422"}),
    ("/api/v1/berita-acara/{berita_acara_id}", "patch", {"401", "403", "404", "409", "412", "422"}),
    ("/api/v1/tiket/{tiket_id}/lampiran", "post", {"413", "415"}),
])
def test_the_errors_a_route_can_return_are_documented_as_problem_details(spec, path, method, kode):
    jawaban = spec["paths"][path][method]["responses"]
    assert kode | {"400", "500", "503"} <= set(jawaban)
    assert all("application/problem+json" in jawaban[k]["content"] for k in kode)


def test_the_reporter_token_is_a_documented_security_scheme(spec):
    assert spec["components"]["securitySchemes"]["TokenPelapor"]["name"] == "X-Token-Pelapor"
