import base64
import asyncio
import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth import mint_token
from shared.config import DEV_JWT_SECRET
from shared.devstack import free_port
from tests.conftest import auth
from tests.support import app_uji

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"


@contextlib.asynccontextmanager
async def uji_client(infra, **overrides):
    values = dict(database_url=infra.url("registrasi"), kafka_bootstrap=infra.broker.bootstrap,
                  relay_enabled=False, max_body_bytes=2048)
    values.update(overrides)
    app = app_uji.create_app(app_uji.Settings(**values))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://uji.test") as client:
            yield client


@pytest.fixture
async def client(migrated):
    async with uji_client(migrated) as c:
        yield c


def assert_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["type"].startswith("urn:ukpbj:masalah:")
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(
    ("content", "status", "field", "words"),
    [
        (b'{"nama": "abc", ', 400, "body", "JSON"),
        (json.dumps({"nama": "abc", "jumlah": "banyak", "jenis": "barang"}).encode(), 422, "jumlah", "integer"),
        (json.dumps({"nama": "abc", "jenis": "barang"}).encode(), 422, "jumlah", "wajib diisi"),
        (json.dumps({"nama": "abc", "jumlah": 1, "jenis": "emas"}).encode(), 422, "jenis", "pilih salah satu"),
        (json.dumps({"nama": "abc", "jumlah": 1, "jenis": "barang", "x": 1}).encode(), 422, "x", "tidak dikenal"),
        (json.dumps({"nama": "a" * 21, "jumlah": 1, "jenis": "barang"}).encode(), 422, "nama", "terlalu panjang"),
    ],
)
async def test_bad_input_gets_a_problem_naming_the_field_and_what_is_wrong(client, content, status, field, words):
    response = await client.post("/api/v1/barang", content=content, headers={"content-type": "application/json"})
    body = assert_problem(response, status)
    assert any(e["field"] == field and words in e["message"] for e in body["errors"]), body


async def test_a_body_over_the_limit_is_refused_with_413(client):
    response = await client.post("/api/v1/barang", content=b'{"nama": "' + b"x" * 5000 + b'"}',
                                 headers={"content-type": "application/json"})
    assert_problem(response, 413)


async def test_an_unknown_path_is_a_404_problem(client):
    assert_problem(await client.get("/api/v1/tidak-ada"), 404)


async def test_an_unhandled_error_is_a_500_problem_without_internals(client):
    response = await client.get("/api/v1/meledak")
    body = assert_problem(response, 500)
    assert "hunter2" not in response.text and "Traceback" not in response.text
    assert body["request_id"] == response.headers["x-request-id"]


async def test_a_request_that_fails_leaves_neither_state_nor_outbox_rows(client, migrated):
    response = await client.post("/api/v1/gagal-setengah-jalan")
    body = assert_problem(response, 422)
    assert body["rule"] == "Pasal 0 uji"
    marker = body["marker"]
    assert (await migrated.fetch("registrasi", "SELECT 1 FROM riwayat WHERE aggregate_id = $1", marker)) == []
    assert (await migrated.fetch("registrasi", "SELECT 1 FROM outbox WHERE aggregate_id = $1", marker)) == []


async def test_every_response_carries_a_request_id_and_security_headers(client):
    response = await client.get("/api/v1/barang-tidak-ada", headers={"x-request-id": "abc123"})
    assert response.headers["x-request-id"] == "abc123"
    for header in ("x-content-type-options", "x-frame-options", "content-security-policy", "referrer-policy"):
        assert header in response.headers


async def test_cors_is_closed_by_default(client):
    response = await client.options("/api/v1/barang", headers={"origin": "https://jahat.example",
                                                               "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in response.headers


def now() -> int:
    return int(time.time())


def claims(**overrides) -> dict:
    base = {"sub": "198001012005011001", "roles": ["verifikator"], "iss": "ukpbj-dev", "aud": "ukpbj",
            "iat": now(), "exp": now() + 600}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


@pytest.mark.parametrize(
    "token",
    [
        jwt.encode(claims(exp=now() - 3600), DEV_JWT_SECRET, algorithm="HS256"),
        jwt.encode(claims(aud="lain"), DEV_JWT_SECRET, algorithm="HS256"),
        jwt.encode(claims(iss="penerbit-lain"), DEV_JWT_SECRET, algorithm="HS256"),
        jwt.encode(claims(), "rahasia-lain-yang-salah-sekali-0123456789", algorithm="HS256"),
        jwt.encode(claims(), DEV_JWT_SECRET, algorithm="HS256")[:-3] + "abc",
        jwt.encode(claims(), None, algorithm="none"),
        jwt.encode(claims(sub=None), DEV_JWT_SECRET, algorithm="HS256"),
        "bukan.sebuah.token",
    ],
    ids=["expired", "wrong-audience", "wrong-issuer", "wrong-key", "tampered", "alg-none", "no-sub", "garbage"],
)
async def test_a_bad_token_is_refused_with_401_and_a_bearer_challenge(client, token):
    response = await client.get("/api/v1/rahasia", headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_no_token_is_401_with_a_bearer_challenge(client):
    response = await client.get("/api/v1/rahasia")
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_a_valid_token_without_the_role_is_403(client):
    assert_problem(await client.get("/api/v1/rahasia", headers=auth("helpdesk")), 403)


async def test_roles_are_read_from_a_roles_claim_or_from_keycloak_realm_access(client):
    direct = await client.get("/api/v1/rahasia", headers=auth("verifikator", sub="a"))
    keycloak = jwt.encode(claims(roles=None, realm_access={"roles": ["verifikator", "offline_access"]}),
                          DEV_JWT_SECRET, algorithm="HS256")
    via_realm = await client.get("/api/v1/rahasia", headers={"Authorization": f"Bearer {keycloak}"})
    assert direct.status_code == 200 and via_realm.status_code == 200
    assert "verifikator" in via_realm.json()["roles"]


@contextlib.contextmanager
def jwks_server(jwks: dict):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = json.dumps(jwks).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/realms/kemendagri/protocol/openid-connect/certs"
    finally:
        server.shutdown()


async def test_in_production_tokens_are_rs256_verified_against_the_issuers_jwks(migrated):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    public_jwk.update(kid="kunci-1", use="sig", alg="RS256")
    issuer = "https://sso.kemendagri.go.id/realms/kemendagri"
    with jwks_server({"keys": [public_jwk]}) as url:
        async with uji_client(migrated, env="production", jwt_jwks_url=url, jwt_issuer=issuer,
                              jwt_audience="ukpbj", kunci_data=base64.b64encode(b"k" * 32).decode()) as client:
            good = jwt.encode(claims(iss=issuer, roles=None, realm_access={"roles": ["verifikator"]}), key,
                              algorithm="RS256", headers={"kid": "kunci-1"})
            response = await client.get("/api/v1/rahasia", headers={"Authorization": f"Bearer {good}"})
            assert response.status_code == 200, response.text
            dev = mint_token(DEV_JWT_SECRET, roles=["verifikator"], sub="x", issuer=issuer)
            assert_problem(await client.get("/api/v1/rahasia", headers={"Authorization": f"Bearer {dev}"}), 401)


async def test_the_docs_page_loads_swagger_ui_from_the_service_itself(client):
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "/static/docs/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text and "unpkg" not in page.text
    asset = await client.get("/static/docs/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 500_000


async def test_every_operation_documents_its_problems_as_problem_json(client):
    spec = (await client.get("/openapi.json")).json()
    operation = spec["paths"]["/api/v1/barang"]["post"]
    for status in ("400", "413", "422", "500", "503"):
        assert "application/problem+json" in operation["responses"][status]["content"]


async def test_readiness_is_503_when_the_database_is_unreachable(migrated):
    async with uji_client(migrated, database_url="postgresql+asyncpg://postgres@/tidakada?host=/tmp/tidak-ada") as c:
        response = await c.get("/health/ready")
        assert response.status_code == 503
        assert response.json()["database"] == "unavailable" and response.json()["broker"] == "ok"
        live = await c.get("/health/live")
        assert live.status_code == 200


async def test_readiness_is_503_when_the_broker_is_unreachable(migrated):
    async with uji_client(migrated, kafka_bootstrap=f"127.0.0.1:{free_port()}") as c:
        started = asyncio.get_running_loop().time()
        response = await c.get("/health/ready")
        assert response.status_code == 503 and response.json()["broker"] == "unavailable"
        assert asyncio.get_running_loop().time() - started < 5


async def test_each_service_serves_the_event_contract_and_a_docs_index(client):
    contract = await client.get("/asyncapi.json")
    assert contract.status_code == 200 and contract.json()["asyncapi"] == "3.0.0"
    index = await client.get("/docs/layanan")
    assert index.status_code == 200
    for port in (8001, 8002, 8003, 8004):
        assert f":{port}/docs" in index.text


async def test_the_request_id_travels_from_http_into_the_events_headers(client, migrated):
    response = await client.post("/api/v1/catat", headers={"x-request-id": "permintaan-42"})
    marker = response.json()["id"]
    rows = await migrated.fetch("registrasi", "SELECT headers, payload FROM outbox WHERE aggregate_id = $1", marker)
    assert json.loads(rows[0]["headers"])["request_id"] == "permintaan-42"
    assert json.loads(rows[0]["payload"])["requestid"] == "permintaan-42"


async def test_the_audit_log_shows_who_did_what_from_where_and_only_to_the_head_and_the_admin(client):
    marker = (await client.post("/api/v1/catat", headers={**auth("verifikator", sub="pak-verif"),
                                                           "x-request-id": "audit-1"})).json()["id"]
    await client.post("/api/v1/catat")
    assert_problem(await client.get("/api/v1/audit", headers=auth("verifikator")), 403)
    assert_problem(await client.get("/api/v1/audit"), 401)
    response = await client.get("/api/v1/audit", params={"jenis": "daftar_hitam", "objek": marker},
                                headers=auth("admin_sistem"))
    assert response.status_code == 200, response.text
    [entry] = response.json()["data"]
    assert (entry["aktor"], entry["peran"], entry["request_id"]) == ("pak-verif", "verifikator", "audit-1")
    assert entry["alamat_ip"]


async def test_the_audit_log_cannot_be_changed_or_deleted_by_the_service(migrated):
    import asyncpg

    conn = await asyncpg.connect(migrated.dsn("registrasi"))
    try:
        for statement in ("UPDATE riwayat SET aktor = 'x'", "DELETE FROM riwayat", "TRUNCATE riwayat"):
            with pytest.raises(asyncpg.RaiseError, match="append-only"):
                await conn.execute(statement)
    finally:
        await conn.close()


async def test_a_retried_create_returns_the_first_result_but_the_database_never_holds_it_in_clear(client, migrated):
    key = {"Idempotency-Key": f"kunci-{time.time_ns()}"}
    first = await client.post("/api/v1/rahasia-sekali", headers=key)
    again = await client.post("/api/v1/rahasia-sekali", headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotency-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    rows = await migrated.fetch("registrasi", "SELECT body FROM idempotency_keys WHERE key = $1", key["Idempotency-Key"])
    assert first.json()["token_akses"] not in rows[0]["body"] and first.json()["id"] not in rows[0]["body"]
    other = await client.post("/api/v1/rahasia-sekali", headers={"Idempotency-Key": f"lain-{time.time_ns()}"})
    assert other.json()["id"] != first.json()["id"]


async def test_a_nul_character_in_a_parameter_is_a_400_problem_not_a_server_error(client):
    response = await client.get("/api/v1/audit?jenis=a%00b", headers=auth("admin_sistem"))
    assert_problem(response, 400)
    assert "NUL" in response.json()["detail"]


async def test_http_metrics_count_each_request_by_route_template_and_skip_unmatched_and_quiet_paths(client):
    from prometheus_client.parser import text_string_to_metric_families

    def count(path: str, status: str) -> float:
        families = text_string_to_metric_families(metrics_text)
        return sum(s.value for f in families if f.name == "starlette_requests" for s in f.samples
                   if s.name == "starlette_requests_total" and s.labels.get("path") == path
                   and s.labels.get("status_code") == status and s.labels.get("app_name") == "uji")

    metrics_text = (await client.get("/metrics")).text
    before_ok, before_denied = count("/api/v1/rahasia", "200"), count("/api/v1/rahasia", "401")
    before_unknown = count("/api/v1/tidak-ada-di-sini", "404")
    for _ in range(3):
        assert (await client.get("/api/v1/rahasia", headers=auth("verifikator"))).status_code == 200
    assert (await client.get("/api/v1/rahasia")).status_code == 401
    assert (await client.get("/api/v1/tidak-ada-di-sini")).status_code == 404
    await client.get("/health/live")
    metrics_text = (await client.get("/metrics")).text
    assert count("/api/v1/rahasia", "200") == before_ok + 3
    assert count("/api/v1/rahasia", "401") == before_denied + 1
    assert count("/api/v1/tidak-ada-di-sini", "404") == before_unknown == 0
    assert 'path="/health/live"' not in metrics_text and 'path="/metrics"' not in metrics_text
    assert 'starlette_request_duration_seconds_bucket{app_name="uji",le="0.005",method="GET",path="/api/v1/rahasia"' \
        in metrics_text
    assert 'starlette_requests_in_progress{app_name="uji",method="GET"} 0.0' in metrics_text


async def test_a_path_with_the_wrong_method_is_a_405_problem_naming_the_allowed_ones(client):
    # route matching skips API routes whose path cannot match (shared.routing): a path that does match
    # with another method must still be found and answered 405, not 404
    r = await client.delete("/api/v1/rahasia", headers=auth("verifikator"))
    assert r.status_code == 405 and r.headers["content-type"] == "application/problem+json"
    assert r.headers["allow"] == "GET"
    assert (await client.get("/api/v1/rahasia/lebih", headers=auth("verifikator"))).status_code == 404


def test_the_route_matching_pre_check_is_installed_on_the_pinned_fastapi():
    import fastapi

    from shared import routing

    assert fastapi.__version__ == routing.PATCHED_VERSION  # requirements.lock pins it; a bump must re-check the patch
    assert routing.install() is True
