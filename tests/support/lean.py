"""What FastAPI's own handler would have written for a `@lean` route's result (shared.routing)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.routing import serialize_response

from shared.app import iter_api_routes


async def fastapi_would_write(app: Any, method: str, path: str, result: Any) -> bytes:
    """`result` validated and dumped by the route's `response_model`, as FastAPI's handler does."""
    route = next(r for r in iter_api_routes(app) if r.path == path and method in r.methods)
    return await serialize_response(
        field=route.response_field, response_content=result, include=route.response_model_include,
        exclude=route.response_model_exclude, by_alias=route.response_model_by_alias,
        exclude_unset=route.response_model_exclude_unset, exclude_defaults=route.response_model_exclude_defaults,
        exclude_none=route.response_model_exclude_none, dump_json=True)


def capture(monkeypatch: Any, module: Any, name: str) -> list[Any]:
    """Record what `module.name` (an async use case) returns; the list fills as it is called."""
    results: list[Any] = []
    original: Callable[..., Awaitable[Any]] = getattr(module, name)

    async def recording(*args: Any, **kwargs: Any) -> Any:
        results.append(await original(*args, **kwargs))
        return results[-1]

    monkeypatch.setattr(module, name, recording)
    return results
