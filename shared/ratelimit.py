"""Rate limiting for public endpoints (self-registration, public tickets): one client cannot flood them.

A sliding window per (bucket, caller) kept in process memory, the caller being the token's subject
when there is one (a ministry office may share one NAT address) and the client address otherwise: with N replicas the effective
limit is N times the configured one, which is acceptable for flood protection; a shared store
(Redis) would make it exact. Over the limit: 429 problem with `Retry-After`.
"""

from __future__ import annotations

import time
from collections import deque

from fastapi import Request

from shared.auth import optional_principal
from shared.errors import TooManyRequests


class SlidingWindow:
    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str, now: float | None = None) -> float | None:
        """Record a hit; return None when allowed, else the seconds until the next one is."""
        now = time.monotonic() if now is None else now
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.window_s:
            hits.popleft()
        if len(hits) >= self.limit:
            return self.window_s - (now - hits[0])
        hits.append(now)
        if len(self._hits) > 50_000:
            self._hits = {k: v for k, v in self._hits.items() if v and now - v[-1] < self.window_s}
        return None


def rate_limit(bucket: str, *, per_minute: int):  # type: ignore[no-untyped-def]
    """A dependency allowing `per_minute` requests per caller to this bucket (the service's
    `rate_limit_public_per_minute` setting overrides it). Windows belong to the app instance."""

    async def dependency(request: Request) -> None:
        principal = await optional_principal(request)
        client = f"sub:{principal.sub}" if principal else f"ip:{request.client.host if request.client else '?'}"
        limit = getattr(request.app.state.settings, "rate_limit_public_per_minute", per_minute)
        if not hasattr(request.app.state, "rate_windows"):
            request.app.state.rate_windows = {}
        window = request.app.state.rate_windows.setdefault(bucket, SlidingWindow(limit, 60.0))
        wait = window.hit(f"{bucket}:{client}")
        if wait is not None:
            raise TooManyRequests(
                f"Terlalu banyak permintaan ke {bucket} dari alamat ini (batas {limit} per menit); "
                f"coba lagi dalam {int(wait) + 1} detik.", extra={"retry_after": int(wait) + 1})

    dependency.openapi_security = "optional"  # type: ignore[attr-defined]
    return dependency
