from services.pelaporan.api import router
from services.pelaporan.main import create_app


def test_every_operation_has_a_summary_a_description_examples_and_its_errors_documented():
    spec = create_app().openapi()
    milik = {r.path for r in router.routes}

    assert len(milik) == 8
    for path in milik:
        for method, op in spec["paths"][path].items():
            nama = f"{method.upper()} {path}"
            assert op.get("summary") and op.get("description"), nama
            sukses = next(v for k, v in op["responses"].items() if k.startswith("2"))
            assert any("example" in c or "examples" in c for c in sukses.get("content", {}).values()), nama
            for kode in ("400", "422", "500", "503"):
                assert kode in op["responses"], (nama, kode)
            if path != "/api/v1/data-terbuka/ocds":
                assert {"401", "403"} <= set(op["responses"]), nama
            for kode, respons in op["responses"].items():
                if kode.startswith(("4", "5")):
                    assert "application/problem+json" in respons["content"], (nama, kode)


def test_the_report_routes_name_the_article_they_implement():
    spec = create_app().openapi()

    for path, item in spec["paths"].items():
        for op in item.values():
            if path.startswith("/api/v1/laporan/"):
                assert "Pasal 26" in op["description"], path
            if path == "/api/v1/indikator":
                assert "Pasal 5 huruf g" in op["description"] and "Pasal 7 ayat (1) huruf d" in op["description"]
