"""The authorization matrix, derived from every service's routes (not a hand-kept list):
no token -> 401; expired, tampered, wrong-audience, wrong-issuer and `alg: none` tokens -> 401;
each role not allowed -> 403; each allowed role -> neither 401 nor 403."""

import re
import time
import uuid
from collections import Counter

import jwt
import pytest

from shared.app import iter_api_routes
from shared.auth import ROLES
from shared.cli import SERVICES
from shared.config import DEV_JWT_SECRET
from tests.conftest import auth, running_app
from tests.support import tally

pytestmark = pytest.mark.integration

# Open to anyone by the contract: self-registration, public tickets, active announcements, open data.
PUBLIC = {
    ("registrasi", "POST", "/api/v1/pendaftaran"),
    ("helpdesk", "POST", "/api/v1/tiket"),
    ("helpdesk", "GET", "/api/v1/pengumuman"),
}
PUBLIC_PATTERNS = [("pelaporan", "GET", re.compile(r"^/api/v1/data-terbuka")),
                   ("helpdesk", "GET", re.compile(r"^/api/v1/pengumuman/"))]
TALLY: Counter = Counter()


def is_public(service: str, method: str, path: str) -> bool:
    return (service, method, path) in PUBLIC or any(
        s == service and m == method and p.match(path) for s, m, p in PUBLIC_PATTERNS)


def allowed_roles(dependant) -> tuple[str, ...] | None:
    roles = getattr(dependant.call, "allowed_roles", None)
    if roles is not None:
        return tuple(roles)
    for sub in dependant.dependencies:
        found = allowed_roles(sub)
        if found is not None:
            return found
    return None


def demands_principal(dependant) -> bool:
    return getattr(dependant.call, "demands_token", False) or any(demands_principal(d) for d in dependant.dependencies)


def concrete(path: str) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name in ("tahun",):
            return "2099"  # a period not ended yet: allowed roles are refused a freeze, nothing is frozen
        if name in ("n", "semester"):
            return "1"
        if "nip" in name:
            return "198001012005011001"
        if "kode" in name:
            return "KODE-TIDAK-ADA"
        return str(uuid.uuid4())
    return re.sub(r"\{([^}:]+)(?::[^}]*)?\}", value, path)


def bad_tokens() -> dict[str, str]:
    now = int(time.time())
    good = {"sub": "198001012005011001", "roles": list(ROLES), "iss": "ukpbj-dev", "aud": "ukpbj",
            "iat": now, "exp": now + 600}
    signed = jwt.encode(good, DEV_JWT_SECRET, algorithm="HS256")
    return {
        "expired": jwt.encode({**good, "exp": now - 3600}, DEV_JWT_SECRET, algorithm="HS256"),
        "tampered": signed[:-4] + ("AAAA" if not signed.endswith("AAAA") else "BBBB"),
        "wrong-audience": jwt.encode({**good, "aud": "sistem-lain"}, DEV_JWT_SECRET, algorithm="HS256"),
        "wrong-issuer": jwt.encode({**good, "iss": "penerbit-lain"}, DEV_JWT_SECRET, algorithm="HS256"),
        "alg-none": jwt.encode(good, None, algorithm="none"),
    }


async def send(client, method: str, path: str, headers: dict, suite: str | None = None) -> int:
    kwargs = {"headers": headers}
    if method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = {}
    response = await client.request(method, path, **kwargs)
    TALLY[response.status_code // 100] += 1
    if suite:
        tally.count(suite, response.status_code,
                    response.headers.get("content-type") == "application/problem+json")
    if response.status_code in (401, 403):
        assert response.headers["content-type"] == "application/problem+json"
    return response.status_code


@pytest.mark.parametrize("service", list(SERVICES))
async def test_every_operation_enforces_authentication_and_roles(migrated, service):
    problems: list[str] = []
    checked = 0
    events_before = await outbox_rows(migrated, service)
    async with running_app(migrated, service, relay_enabled=False, consumers_enabled=False) as client:
        routes = [r for r in iter_api_routes(client.app) if r.path_format.startswith("/api/v1")]
        for route in routes:
            for method in sorted(route.methods):
                path = concrete(route.path_format)
                label = f"{method} {route.path_format}"
                roles = allowed_roles(route.dependant)
                public = is_public(service, method, route.path_format)
                checked += 1
                status = await send(client, method, path, {}, None if public else "tanpa token / no token")
                if not public and status != 401:
                    problems.append(f"{label}: no token gave {status}, not 401")
                for name, value in bad_tokens().items():
                    status = await send(client, method, path, {"Authorization": f"Bearer {value}"},
                                        "token rusak / bad token")
                    if status != 401:
                        problems.append(f"{label}: {name} token gave {status}, not 401")
                if roles is None:
                    if demands_principal(route.dependant):
                        status = await send(client, method, path, auth(*ROLES))
                        if status in (401, 403):
                            problems.append(f"{label}: a token with every role gave {status}")
                    continue
                for role in ROLES:
                    status = await send(client, method, path, auth(role, sub="198001012005011001",
                                                                   nip="198001012005011001"),
                                        None if role in roles else "di luar peran / out of role")
                    if role in roles and status in (401, 403):
                        problems.append(f"{label}: allowed role {role} got {status}")
                    if role not in roles and status != 403:
                        problems.append(f"{label}: role {role} (not allowed) got {status}, not 403")
    print(f"\n{service}: {checked} operations; responses by class {dict(sorted(TALLY.items()))}")
    assert checked > 0
    assert await outbox_rows(migrated, service) == events_before, "a refused request changed state"
    assert not problems, "\n".join(problems)


async def outbox_rows(infra, service: str) -> int:
    return (await infra.fetch(service, "SELECT count(*) AS n FROM outbox"))[0]["n"]
