"""shared.routing: the narrowed route matching and the lean handler answer exactly as FastAPI does."""

from __future__ import annotations

import os
import re
from importlib import import_module
from typing import Annotated, Any, Literal

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request, Response
from fastapi import routing as fastapi_routing
from fastapi.security import APIKeyHeader
from pydantic import AliasChoices, BaseModel, Field

from shared import routing
from shared.app import iter_api_routes
from shared.errors import Unauthorized
from shared.problems import install_problem_handlers
from shared.responses import json_response

# --- route matching --------------------------------------------------------------------------------


def _concrete(path: str) -> list[str]:
    """Request paths a route template can meet: its parameters filled, and near misses."""
    filled = re.sub(r"\{[^}:]+:path\}", "a/b", path)
    filled = re.sub(r"\{[^}]+\}", "X-1", filled)
    return [filled, filled + "/", filled + "/lagi", filled.rsplit("/", 1)[0] or "/", filled.replace("X-1", "")]


def _scope(path: str, method: str) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": [], "query_string": b""}


@pytest.mark.parametrize("service", ["registrasi", "pokja", "helpdesk", "pelaporan"])
def test_narrowed_matching_finds_what_fastapis_own_matching_finds_for_every_route(service, monkeypatch):
    monkeypatch.setenv("UKPBJ_ENVIRONMENT", "development")
    assert routing.install() is True
    app = import_module(f"services.{service}.main").create_app()
    included = [r for r in app.router.routes if isinstance(r, fastapi_routing._IncludedRouter)]
    paths = {"/", "/api", "/api/v1", "/api/v1/", "/api/v1/tidak-ada", "/api/v2/paket", "//api/v1"}
    for router in included:
        for candidate in router.effective_candidates():
            paths.update(_concrete(getattr(candidate, "path", "") or "/"))
    checked = found = 0
    for router in included:
        for path in sorted(paths):
            for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                expected = routing.ORIGINAL_MATCH(router, _scope(path, method))
                got = fastapi_routing._IncludedRouter._match(router, _scope(path, method))
                assert got[0] == expected[0] and got[2] is expected[2] and got[3] is expected[3], (path, method)
                assert got[1] == expected[1], (path, method)
                checked += 1
                found += expected[0] != routing.Match.NONE
    assert checked > 500 and found > 50  # the sample reached real routes, not only misses


def test_a_route_with_a_path_parameter_spanning_segments_is_always_a_candidate():
    assert routing._route_key("/berkas/{nama:path}") is None
    assert routing._route_key("/api/v1/paket/{kode}") == (5, ("", "api", "v1", "paket"))
    assert routing._route_key("/api/v1/{jenis}/x") == (5, ("", "api", "v1"))


# --- the lean handler ------------------------------------------------------------------------------

calls: dict[str, int] = {}
token = APIKeyHeader(name="X-Token", auto_error=False, description="token uji")


async def pemanggil(request: Request, t: Annotated[str | None, Depends(token)]) -> str:
    calls["pemanggil"] = calls.get("pemanggil", 0) + 1
    if t is None and "authorization" not in request.headers:
        raise Unauthorized("Sertakan X-Token.")
    return t or "bearer"


async def konteks(siapa: Annotated[str, Depends(pemanggil)]) -> dict[str, str]:
    return {"siapa": siapa}


async def juga_pemanggil(siapa: Annotated[str, Depends(pemanggil)]) -> str:  # pemanggil again: solved once
    return siapa.upper()


def _routes(router: APIRouter, mark: Any) -> None:
    @router.get("/barang/{kode}")
    @mark
    async def baca(kode: Annotated[str, routing_path(r"^[A-Z]{2}-\d+$")],
                   k: Annotated[dict, Depends(konteks)], besar: Annotated[str, Depends(juga_pemanggil)],
                   request: Request) -> Response:
        return json_response({"kode": kode, **k, "besar": besar, "jalur": request.url.path},
                             headers={"ETag": '"1"'})

    @router.get("/barang")
    @mark
    async def daftar(k: Annotated[dict, Depends(konteks)],
                     limit: Annotated[int, Query(ge=1, le=200)] = 50,
                     status: Annotated[list[Literal["baru", "lama"]] | None, Query()] = None,
                     cari: Annotated[str | None, Query(max_length=5)] = None,
                     urut: Annotated[str | None, Query(validation_alias=AliasChoices("urut", "sort"),
                                                       max_length=3)] = None) -> Response:
        return json_response({"limit": limit, "status": status, "cari": cari, "urut": urut, **k})


    @router.post("/barang", status_code=201)
    @mark
    async def catat(k: Annotated[dict, Depends(konteks)], barang: Barang,
                    dry: Annotated[bool, Query()] = False) -> Response:
        return json_response({**k, "barang": barang.model_dump(), "dry": dry}, status_code=201)


    @router.post("/kiriman", status_code=201)
    @mark
    async def kirim(k: Annotated[dict, Depends(konteks)],
                    kiriman: Annotated[Darat | Laut, Field(discriminator="jenis")]) -> Response:
        return json_response(kiriman.model_dump(), status_code=201)


class Barang(BaseModel):
    nama: str = Field(max_length=5)
    jumlah: int
    harga: float | None = None


class Darat(BaseModel):
    jenis: Literal["darat"]
    plat: str = Field(max_length=9)


class Laut(BaseModel):
    jenis: Literal["laut"]
    kapal: str


def routing_path(pattern: str) -> Any:
    from fastapi import Path

    return Path(pattern=pattern)


def _app(lean: bool) -> FastAPI:
    app = FastAPI()
    router = APIRouter(prefix="/api/v1", route_class=routing.LeanRoute if lean else fastapi_routing.APIRoute)
    _routes(router, routing.lean if lean else (lambda f: f))
    app.include_router(router)
    install_problem_handlers(app)
    return app


async def _get(app: FastAPI, url: str, headers: dict[str, str],
               content: bytes | None = None) -> tuple[int, bytes, dict[str, str]]:
    """GET, or POST when there is `content` (b"" posts an empty body)."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://uji") as client:
        if content is None:
            r = await client.get(url, headers=headers)
        else:
            r = await client.post(url, headers=headers, content=content)
    return r.status_code, r.content, {k: v for k, v in r.headers.items() if k != "date"}


REQUESTS = [
    ("/api/v1/barang/AB-12", {"X-Token": "t1"}),
    ("/api/v1/barang/AB-12", {"Authorization": "Bearer x"}),
    ("/api/v1/barang/AB-12", {}),  # 401 from the dependency, before any parameter error
    ("/api/v1/barang/ab", {}),  # 401 still comes first
    ("/api/v1/barang/ab", {"X-Token": "t1"}),  # 422 on the path parameter
    ("/api/v1/barang?limit=0&cari=panjang-sekali&status=baru&status=x", {"X-Token": "t1"}),  # three errors
    ("/api/v1/barang?limit=7&status=baru&status=lama&lain=abaikan", {"X-Token": "t1"}),
    ("/api/v1/barang?limit=abc", {"X-Token": "t1"}),
    ("/api/v1/barang?sort=panjang", {"X-Token": "t1"}),  # the error names the alias the request used
    ("/api/v1/barang?sort=asc&urut=des", {"X-Token": "t1"}),
    ("/api/v1/barang", {"X-Token": "t1"}),
]
JSON = {"X-Token": "t1", "Content-Type": "application/json"}
POSTS = [
    (JSON, b'{"nama": "meja", "jumlah": 2, "harga": 1.5}'),
    (JSON, b'{"nama": "meja", "jumlah": 2, "lain": [1]}'),  # an unknown field is ignored
    (JSON, b'{"nama": "lemari", "jumlah": "dua"}'),  # two errors in the body
    (JSON, b'{"jumlah": 2}'),  # a missing field
    (JSON, b'[1, 2]'),  # not an object
    (JSON, b'{"nama": "meja", "jumlah": 2,'),  # invalid JSON: 422 json_invalid with its position
    ({"Content-Type": "application/json"}, b'{"nama": '),  # invalid JSON answers before the 401
    ({"Content-Type": "application/json"}, b'{"nama": "meja", "jumlah": 2}'),  # 401 before any body error
    (JSON, b''),  # no body: the field is missing
    (JSON, b'{"nama": "meja", "jumlah": 123456789012345678901234567890}'),  # an integer beyond 64 bits
    (JSON, b'{"nama": "meja", "jumlah": 2, "harga": NaN}'),  # the stdlib's JSON accepts NaN
    (JSON, b'\xef\xbb\xbf{"nama": "meja", "jumlah": 2}'),  # and a byte order mark
    (JSON, b'{"nama": "\\ud800", "jumlah": 2}'),  # and a lone surrogate
    ({"X-Token": "t1", "Content-Type": "application/json; charset=utf-8"}, b'{"nama": "meja", "jumlah": 2}'),
    ({"X-Token": "t1", "Content-Type": "application/vnd.barang+json"}, b'{"nama": "meja", "jumlah": 2}'),
    ({"X-Token": "t1", "Content-Type": "text/plain"}, b'{"nama": "meja", "jumlah": 2}'),  # not read as JSON
    ({"X-Token": "t1"}, b'{"nama": "meja", "jumlah": 2}'),  # no content type: strict, not read as JSON
]
POSTS = [("/api/v1/barang?dry=1", *p) for p in POSTS] + [
    # a discriminated union: the problem names the field without the tag (problems.py reads the body)
    ("/api/v1/kiriman", JSON, b'{"jenis": "darat", "plat": "B 1234 XYZ 99"}'),
    ("/api/v1/kiriman", JSON, b'{"jenis": "udara"}'),
    ("/api/v1/kiriman", JSON, b'{"plat": "B 1"}'),
    ("/api/v1/kiriman", JSON, b'{"jenis": "laut", "kapal": "Pelni"}'),
]


@pytest.mark.parametrize(("url", "headers"), REQUESTS)
async def test_a_lean_endpoint_answers_byte_for_byte_as_fastapi_does(url, headers, monkeypatch):
    """FastAPI's own handler with its own solver functions is the reference; the lean handler and FastAPI's
    handler with the solver functions `install()` sets (`_request_params_to_args`, `_get_cache_key`) must
    answer the same bytes and run the dependencies as often."""
    from fastapi.dependencies import utils

    assert routing.install() is True
    calls.clear()
    with monkeypatch.context() as m:
        m.setattr(utils, "request_params_to_args", routing._REQUEST_PARAMS_TO_ARGS)
        m.setattr(utils, "_get_cache_key", routing._GET_CACHE_KEY)
        expected = await _get(_app(lean=False), url, headers)
    fastapi_calls = dict(calls)
    for lean in (True, False):
        calls.clear()
        got = await _get(_app(lean=lean), url, headers)
        assert got == expected, lean
        assert calls == fastapi_calls, lean  # dependencies run as often (a dependency used twice runs once)
    assert calls.get("pemanggil") == 1
    assert utils.request_params_to_args is routing._request_params_to_args  # the patched solver was used


@pytest.mark.parametrize(("url", "headers", "content"), POSTS)
async def test_a_lean_endpoint_reads_and_validates_a_json_body_byte_for_byte_as_fastapi_does(url, headers, content):
    assert routing.install() is True
    calls.clear()
    expected = await _get(_app(lean=False), url, headers, content)
    fastapi_calls = dict(calls)
    calls.clear()
    got = await _get(_app(lean=True), url, headers, content)
    assert got == expected
    assert calls == fastapi_calls
    if "dry" in url:  # a bad query parameter and a bad body: one problem naming both, in FastAPI's order
        bad_query = url.replace("dry=1", "dry=mungkin")
        assert await _get(_app(lean=True), bad_query, headers, content) == \
            await _get(_app(lean=False), bad_query, headers, content)


async def uses_a_body(barang: Barang) -> str:
    return barang.nama


def sync_dependency() -> int:
    return 1


async def generator_dependency():  # type: ignore[no-untyped-def]
    yield 1


def test_an_endpoint_lean_cannot_serve_is_refused_when_the_app_is_built():
    def built(declare: Any) -> None:
        router = APIRouter(route_class=routing.LeanRoute)
        declare(router)
        app = FastAPI()
        app.include_router(router)
        list(iter_api_routes(app))  # what create_service_app does when it builds a service

    def a(router: APIRouter) -> None:
        @router.post("/a")
        @routing.lean
        async def a(nama: Annotated[str, Depends(uses_a_body)]) -> Response:
            return Response()

    def e(router: APIRouter) -> None:
        @router.post("/e")
        @routing.lean
        async def e(nama: Annotated[str, Form()]) -> Response:
            return Response()

    def b(router: APIRouter) -> None:
        @router.get("/b")
        @routing.lean
        async def b(x: Annotated[int, Depends(sync_dependency)]) -> Response:
            return Response()

    def c(router: APIRouter) -> None:
        @router.get("/c")
        @routing.lean
        async def c(x: Annotated[int, Depends(generator_dependency)]) -> Response:
            return Response()

    def d(router: APIRouter) -> None:
        @router.get("/d")
        @routing.lean
        async def d(response: Response) -> Response:
            return response

    for declare, why in ((a, "reads a body"), (b, "thread pool"), (c, "generator"), (d, "takes a Response"),
                        (e, "form")):
        with pytest.raises(TypeError, match=why):
            built(declare)


async def test_a_lean_endpoint_that_returns_no_response_is_a_500_not_a_silent_reshaping():
    app = FastAPI()
    router = APIRouter(route_class=routing.LeanRoute)

    @router.get("/x")
    @routing.lean
    async def x() -> dict:
        return {"a": 1}

    app.include_router(router)
    status, _, _ = await _get(app, "/x", {})
    assert status == 500


async def test_dependency_overrides_are_honoured_through_fastapis_own_handler():
    app = _app(lean=True)

    async def palsu() -> str:
        return "palsu"

    app.dependency_overrides[pemanggil] = palsu
    status, body, _ = await _get(app, "/api/v1/barang/AB-12", {})
    assert status == 200 and b'"siapa":"palsu"' in body


def test_the_hot_routes_of_the_services_are_lean():
    os.environ.setdefault("UKPBJ_ENVIRONMENT", "development")
    hot = {"registrasi": {"/api/v1/pendaftaran", "/api/v1/pendaftaran/{pendaftaran_id}"},
           "pokja": {"/api/v1/paket", "/api/v1/paket/{kode}"},
           "helpdesk": {"/api/v1/tiket", "/api/v1/tiket/{tiket_id}"},
           "pelaporan": {"/api/v1/indikator", "/api/v1/data-terbuka/ocds"}}
    creates = {"registrasi": {"/api/v1/pendaftaran"}, "pokja": {"/api/v1/paket"}, "helpdesk": {"/api/v1/tiket"},
               "pelaporan": set()}
    for service, paths in hot.items():
        app = import_module(f"services.{service}.main").create_app()
        lean = {r.path for r in iter_api_routes(app)
                if "GET" in r.methods and getattr(r.endpoint, routing.LEAN_ATTRIBUTE, False)}
        assert lean == paths, service
        lean_posts = {r.path for r in iter_api_routes(app)
                      if "POST" in r.methods and getattr(r.endpoint, routing.LEAN_ATTRIBUTE, False)}
        assert lean_posts == creates[service], service


def _parameter_lists(dependant: Any) -> list[tuple[str, list[Any]]]:
    found = [(source, fields) for source, fields in (("path", dependant.path_params), ("query", dependant.query_params),
                                                     ("header", dependant.header_params)) if fields]
    for sub in dependant.dependencies:
        found += _parameter_lists(sub)
    return found


def _received(source: str, pairs: list[tuple[str, str]]) -> Any:
    from starlette.datastructures import Headers, QueryParams

    if source == "path":
        return dict(pairs)
    if source == "header":
        return Headers(raw=[(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in pairs])
    return QueryParams(pairs)


@pytest.mark.parametrize("service", ["registrasi", "pokja", "helpdesk", "pelaporan"])
def test_precomputed_parameters_read_a_request_as_fastapi_does_for_every_route(service, monkeypatch):
    """issue 9: `_Params` (the lean handler's parameter reading) gives FastAPI's `request_params_to_args`
    values and errors for every parameter list of every route, with each parameter absent, empty, valid-looking,
    wrong and repeated."""
    from fastapi.dependencies.utils import get_validation_alias

    request_params_to_args = routing._REQUEST_PARAMS_TO_ARGS  # FastAPI's own, not the one install() sets

    monkeypatch.setenv("UKPBJ_ENVIRONMENT", "development")
    app = import_module(f"services.{service}.main").create_app()
    samples = ["", "1", "50", "0", "abc", "true", "2026", "diajukan", "3201011708800001", "x" * 300,
               "3f629d16-419e-4771-8518-54ebf7b9d72e", "2026-01-31"]
    checked = invalid = 0
    for route in iter_api_routes(app):
        for source, fields in _parameter_lists(route.dependant):
            params = routing._Params(fields)
            aliases = [get_validation_alias(f) for f in fields]
            cases: list[list[tuple[str, str]]] = [[]]
            for alias in aliases:
                cases += [[(alias, value)] for value in samples]
                cases.append([(alias, "1"), (alias, "abc")])
            cases.append([(alias, "1") for alias in aliases])
            for pairs in cases:
                received = _received(source, pairs)
                expected = request_params_to_args(fields, received)
                got = params(received)
                assert got[0] == expected[0] and repr(got[1]) == repr(expected[1]), (route.path, source, pairs)
                checked += 1
                invalid += bool(expected[1])
    assert checked > 200 and invalid > 50  # the sample met real parameters, valid and not


@pytest.mark.parametrize("service", ["registrasi", "pokja", "helpdesk", "pelaporan"])
def test_the_remembered_cache_key_of_every_dependency_is_fastapis(service, monkeypatch):
    monkeypatch.setenv("UKPBJ_ENVIRONMENT", "development")
    app = import_module(f"services.{service}.main").create_app()

    def dependants(dependant: Any) -> list[Any]:
        return [dependant] + [d for sub in dependant.dependencies for d in dependants(sub)]

    checked = 0
    for route in iter_api_routes(app):
        for dependant in dependants(route.dependant):
            for _ in range(2):  # computed, then remembered
                assert routing._get_cache_key(dependant=dependant) == routing._GET_CACHE_KEY(dependant=dependant)
            checked += 1
    assert checked > 10
