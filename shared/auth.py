"""JWT authentication with PyJWT and one FastAPI dependency per role requirement.

Development: HS256 with `UKPBJ_JWT_SECRET`. Production: RS256 with the issuer's JWKS
(`UKPBJ_JWT_JWKS_URL`, e.g. Keycloak). Roles come from a `roles` claim or `realm_access.roles`.
No token or a bad one: 401 with `WWW-Authenticate: Bearer`; a valid token without the role: 403.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Annotated, Any

import anyio
import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPBearer

from shared.config import DEV_AUDIENCE, DEV_ISSUER, ServiceSettings
from shared.errors import Forbidden, Unauthorized

ROLES = (
    "kepala_ukpbj", "admin_ukpbj", "kasubbag_lpse", "admin_sistem", "verifikator", "helpdesk", "pokja",
    "pejabat_pengadaan", "ppk", "kpa", "penyedia", "pimpinan", "layanan",
)
STAFF_ROLES = ("kepala_ukpbj", "admin_ukpbj", "kasubbag_lpse", "admin_sistem", "verifikator", "helpdesk")

VERIFIED_CACHE_SIZE = 4096

bearer = HTTPBearer(auto_error=False, description="JWT dari penerbit token (Keycloak) atau `make token`.")


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    sub: str
    roles: frozenset[str]
    nip: str | None = None
    name: str | None = None
    claims: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def has_any(self, roles: tuple[str, ...] | frozenset[str]) -> bool:
        return bool(self.roles.intersection(roles))


class Authenticator:
    """Verifies bearer tokens against the configured key material, issuer and audience."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self._secret = settings.jwt_secret.get_secret_value()
        self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url, cache_keys=True, lifespan=3600) \
            if settings.jwt_jwks_url else None
        # token -> (principal, exp): PyJWT's decode was ~6% of a read's CPU (issue 9)
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    async def verify(self, token: str) -> Principal:
        """The token's principal; a verified token is remembered until its `exp` (failures never are)."""
        cached = self._verified.get(token)
        if cached is not None:
            principal, expires = cached
            if time.time() < expires:
                self._verified.move_to_end(token)
                return principal
            del self._verified[token]
        principal = await self._verify(token)
        exp = principal.claims.get("exp")
        if isinstance(exp, (int, float)) and not isinstance(exp, bool):
            self._verified[token] = (principal, float(exp))
            if len(self._verified) > VERIFIED_CACHE_SIZE:
                self._verified.popitem(last=False)
        return principal

    async def _verify(self, token: str) -> Principal:
        try:
            if self._jwks is not None:
                signing_key = await anyio.to_thread.run_sync(self._jwks.get_signing_key_from_jwt, token)
                key: Any = signing_key.key
                algorithms = ["RS256"]
            else:
                key, algorithms = self._secret, ["HS256"]
            claims = jwt.decode(
                token, key, algorithms=algorithms, audience=self.audience, issuer=self.issuer,
                options={"require": ["exp", "sub", "iss", "aud"]}, leeway=30,
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("Token sudah kedaluwarsa; minta token baru.") from exc
        except jwt.InvalidAudienceError as exc:
            raise Unauthorized(f"Token bukan untuk layanan ini (aud harus '{self.audience}').") from exc
        except jwt.InvalidIssuerError as exc:
            raise Unauthorized(f"Penerbit token tidak dikenal (iss harus '{self.issuer}').") from exc
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthorized("Token tidak valid: tanda tangan, format atau klaimnya salah.") from exc
        return principal_from_claims(claims)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    roles = claims.get("roles")
    if roles is None:
        roles = (claims.get("realm_access") or {}).get("roles", [])
    if not isinstance(roles, list):
        raise Unauthorized("Klaim 'roles' harus berupa daftar.")
    return Principal(
        sub=str(claims["sub"]),
        roles=frozenset(str(r) for r in roles),
        nip=claims.get("nip"),
        name=claims.get("name"),
        claims=claims,
    )


def mint_token(
    secret: str,
    *,
    roles: list[str],
    sub: str,
    nip: str | None = None,
    name: str | None = None,
    ttl_s: int = 8 * 3600,
    issuer: str = DEV_ISSUER,
    audience: str = DEV_AUDIENCE,
    **extra: Any,
) -> str:
    """A development token (HS256), as `make token` prints."""
    now = int(time.time())
    claims: dict[str, Any] = {"sub": sub, "roles": roles, "iat": now, "exp": now + ttl_s, "iss": issuer,
                              "aud": audience, **extra}
    if nip:
        claims["nip"] = nip
    if name:
        claims["name"] = name
    return jwt.encode(claims, secret, algorithm="HS256")


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, as `HTTPBearer(auto_error=False)` reads it."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials:
        return None
    return credentials


# The dependencies below read the header themselves instead of depending on `bearer`: FastAPI's
# dependency solving costs per level on every request (a third of a trivial route's CPU with the
# chain bearer -> optional -> current -> roles; issue 9). `shared.app` puts the `bearer` scheme
# into the OpenAPI document for every route whose dependencies carry `openapi_security`.


async def optional_principal(request: Request) -> Principal | None:
    """The caller if a token was sent (a bad token is still a 401), else None. Cached per request."""
    state = request.state
    if hasattr(state, "principal"):
        return state.principal
    principal = None
    token = bearer_token(request)
    if token is not None:
        principal = await request.app.state.authenticator.verify(token)
    state.principal = principal
    return principal


async def current_principal(request: Request) -> Principal:
    principal = await optional_principal(request)
    if principal is None:
        raise Unauthorized("Sertakan header 'Authorization: Bearer <token>'.")
    return principal


optional_principal.openapi_security = "optional"  # type: ignore[attr-defined]
current_principal.openapi_security = "required"  # type: ignore[attr-defined]
current_principal.demands_token = True  # type: ignore[attr-defined]


def require_roles(*roles: str):  # type: ignore[no-untyped-def]
    """A dependency admitting callers holding any of `roles` (401 without a valid token, 403 without the role)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")
    allowed = frozenset(roles)

    async def dependency(request: Request) -> Principal:
        principal = await optional_principal(request)
        if principal is None:
            raise Unauthorized("Sertakan header 'Authorization: Bearer <token>'.")
        if principal.roles.isdisjoint(allowed):
            raise Forbidden(f"Tindakan ini hanya untuk peran: {', '.join(roles)}.", extra={"peran_diizinkan": list(roles)})
        return principal

    dependency.allowed_roles = roles  # type: ignore[attr-defined]
    dependency.demands_token = True  # type: ignore[attr-defined]
    dependency.openapi_security = "required"  # type: ignore[attr-defined]
    return dependency


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
