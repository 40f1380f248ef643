"""One error hierarchy for every service, mapped to RFC 9457 problem details in one place.

Domain code raises these (they import nothing but the standard library); `shared.problems`
turns them into `application/problem+json` responses. Route code never builds error bodies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One wrong field: the path a caller can find in its request and what is wrong with it."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class DomainError(Exception):
    """Base of every error a caller can act on. `slug` names the problem type."""

    status: int = 400
    slug: str = "permintaan-tidak-valid"
    title: str = "Permintaan tidak valid"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors or [])
        self.extra = dict(extra or {})


class ValidationFailed(DomainError):
    """The input has the right shape but wrong values (an invalid NIK, an end before a start)."""

    status = 422
    slug = "validasi-gagal"
    title = "Data tidak valid"


class RuleViolation(DomainError):
    """A rule of the regulation is broken; `rule` names the article (e.g. 'Pasal 15 ayat 1')."""

    status = 422
    slug = "aturan-dilanggar"
    title = "Melanggar ketentuan"

    def __init__(self, detail: str, *, rule: str, errors: list[FieldError] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail, errors=errors, extra={"rule": rule, **(extra or {})})
        self.rule = rule


class NotFound(DomainError):
    status = 404
    slug = "tidak-ditemukan"
    title = "Tidak ditemukan"


class Conflict(DomainError):
    """The request clashes with the current state (a duplicate NPWP, a decision already made)."""

    status = 409
    slug = "konflik"
    title = "Konflik dengan data yang ada"


class InvalidState(Conflict):
    """The resource is not in a state that allows this action."""

    slug = "status-tidak-sesuai"
    title = "Status tidak mengizinkan tindakan ini"


class Unauthorized(DomainError):
    status = 401
    slug = "tidak-terautentikasi"
    title = "Autentikasi diperlukan"


class Forbidden(DomainError):
    status = 403
    slug = "akses-ditolak"
    title = "Akses ditolak"


class PreconditionFailed(DomainError):
    """`If-Match` named a version that is no longer current."""

    status = 412
    slug = "versi-usang"
    title = "Versi data sudah berubah"


class PayloadTooLarge(DomainError):
    status = 413
    slug = "ukuran-terlalu-besar"
    title = "Ukuran data terlalu besar"


class UnsupportedMediaType(DomainError):
    status = 415
    slug = "jenis-berkas-tidak-didukung"
    title = "Jenis berkas tidak didukung"


class TooManyRequests(DomainError):
    status = 429
    slug = "terlalu-banyak-permintaan"
    title = "Terlalu banyak permintaan"


class ServiceUnavailable(DomainError):
    """A dependency (database, broker) is unreachable; the caller may retry."""

    status = 503
    slug = "layanan-tidak-tersedia"
    title = "Layanan sementara tidak tersedia"


@dataclass
class ErrorCollector:
    """Gathers field errors so a caller hears about every wrong field at once."""

    errors: list[FieldError] = field(default_factory=list)

    def add(self, field_name: str, message: str) -> None:
        self.errors.append(FieldError(field_name, message))

    def raise_if_any(self, detail: str = "Beberapa isian tidak valid.") -> None:
        if self.errors:
            first = self.errors[0]
            text = detail if len(self.errors) > 1 else f"{first.field}: {first.message}"
            raise ValidationFailed(text, errors=self.errors)
