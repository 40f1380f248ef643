"""`make seed`: realistic demo data through the public APIs of a running stack, with a progress bar.

Each service contributes `services/<svc>/seed.py` with `STEPS` (how many requests it will make) and
`async def seed(ctx)`; they run in dependency order (registrasi, pokja, helpdesk), then the runner
waits for pelaporan to have consumed the events.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from typing import Any

import httpx
from tqdm import tqdm

from shared.auth import mint_token
from shared.cli import SERVICES
from shared.config import DEV_JWT_SECRET

ORDER = ("registrasi", "pokja", "helpdesk", "pelaporan")


@dataclass
class SeedContext:
    """What a service's seed needs: a client per service, tokens, a progress bar, shared facts."""

    clients: dict[str, httpx.AsyncClient]
    progress: Any
    shared: dict[str, Any] = field(default_factory=dict)

    def token(self, *roles: str, sub: str | None = None, nip: str | None = None) -> dict[str, str]:
        secret = os.environ.get("UKPBJ_JWT_SECRET", DEV_JWT_SECRET)
        value = mint_token(secret, roles=list(roles), sub=sub or nip or f"seed-{roles[0]}", nip=nip)
        return {"Authorization": f"Bearer {value}"}

    async def call(self, service: str, method: str, path: str, *, expect: tuple[int, ...] = (200, 201),
                   **kwargs: Any) -> httpx.Response:
        """One API call; a 409 (already seeded) is tolerated so `make seed` can be run twice."""
        response = await self.clients[service].request(method, path, **kwargs)
        self.progress.update(1)
        if response.status_code not in expect and response.status_code != 409:
            raise RuntimeError(f"{service} {method} {path}: {response.status_code} {response.text[:300]}")
        return response


async def run_seed(base_host: str = "http://127.0.0.1") -> None:
    modules = []
    for name in ORDER:
        try:
            modules.append((name, importlib.import_module(f"services.{name}.seed")))
        except ModuleNotFoundError:
            continue
    total = sum(getattr(m, "STEPS", 0) for _, m in modules)
    clients = {name: httpx.AsyncClient(base_url=f"{base_host}:{info.port}", timeout=30)
               for name, info in SERVICES.items()}
    try:
        with tqdm(total=total, desc="seed", unit="req") as progress:
            ctx = SeedContext(clients=clients, progress=progress)
            for name, module in modules:
                progress.set_description(f"seed {name}")
                await module.seed(ctx)
    finally:
        for client in clients.values():
            await client.aclose()
    print("Data demo selesai dimuat / demo data loaded.")


__all__ = ["SeedContext", "run_seed"]
