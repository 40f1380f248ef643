"""Route matching without FastAPI's per-candidate bookkeeping for routes whose path cannot match.

FastAPI 0.165 matches a request against an included router's routes one by one, and for every
API route it saves and restores a scope key around the route's own `matches()`, whatever the path:
about 1.5 us per route, and our services have 30-50 routes, so matching was half the CPU of a
route that does no database work (cProfile of `GET /api/v1/ambang-nilai`; issue 9).

`install()` replaces `_IncludedRouter._match` with the same loop plus one pre-check: an API route
whose (effective, prefixed) path regex does not match the request path is skipped, which is what
its `matches()` would answer anyway (`Match.NONE`). Everything that can match goes through
FastAPI's own code unchanged; other kinds of candidate (nested routers, mounts, frontend groups)
are left to FastAPI. The patch is applied only to the FastAPI version it was written against:
with another version the original matching stays (slower, same behaviour).
"""

from __future__ import annotations

from typing import Any

import fastapi
from fastapi import routing
from starlette._utils import get_route_path
from starlette.routing import Match

PATCHED_VERSION = "0.165.0"
_installed = False


def install() -> bool:
    """Install the pre-check once per process; False when this FastAPI is not the version it fits."""
    global _installed
    if _installed:
        return True
    included = getattr(routing, "_IncludedRouter", None)
    context = getattr(routing, "_EffectiveRouteContext", None)
    frontend = getattr(routing, "_FrontendRouteGroup", None)
    if fastapi.__version__ != PATCHED_VERSION or None in (included, context, frontend):
        return False
    original = included._match

    def _match(self: Any, scope: Any) -> Any:
        if scope["type"] != "http":
            return original(self, scope)
        route_path = get_route_path(scope)
        partial = None
        for candidate in self.effective_candidates():
            if isinstance(candidate, included):
                match, child_scope = candidate.matches(scope)
                route, route_context = candidate, None
            elif isinstance(candidate.original_route, routing.APIRoute):
                if not candidate.path_regex.match(route_path):
                    continue  # the pre-check: its matches() would say Match.NONE
                route_context = candidate
                fastapi_scope = routing._get_fastapi_scope(scope)
                key = routing._FASTAPI_EFFECTIVE_ROUTE_CONTEXT_KEY
                previous = fastapi_scope.get(key, routing._SCOPE_MISSING)
                fastapi_scope[key] = route_context
                try:
                    match, child_scope = candidate.original_route.matches(scope)
                finally:
                    routing._restore_fastapi_scope_key(scope, key, previous)
                route = candidate.original_route
            else:
                route_context = candidate
                match, child_scope = candidate.matches(scope)
                route = candidate.starlette_route or candidate.original_route
            if match == Match.FULL:
                return match, child_scope, route, route_context
            if match == Match.PARTIAL and partial is None:
                partial = (child_scope, route, route_context)
        if partial is not None:
            child_scope, route, route_context = partial
            return Match.PARTIAL, child_scope, route, route_context
        return Match.NONE, {}, None, None

    included._match = _match
    _installed = True
    return True
