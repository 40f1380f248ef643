"""Route matching without FastAPI's per-candidate work for routes whose path cannot match.

FastAPI 0.165 matches a request against an included router's routes one by one, and for every
API route it saves and restores a scope key around the route's own `matches()`, whatever the path:
about 1.5 us per route, and our services have 30-60 routes, so matching was half the CPU of a
route that does no database work (cProfile of `GET /api/v1/ambang-nilai`; issue 9). Even a regex
pre-check on every route was still ~20% of such a route (57 `re.match` calls a request).

`install()` replaces `_IncludedRouter._match` with the same loop over a narrowed list of
candidates. Routes are indexed once by their number of path segments and their leading literal
segments (at most `_PREFIX`); a request looks up the candidates its own segments can match and goes
through them in the original order. An API route left out could not have matched (its regex needs
that many segments and those literals), which is what its `matches()` would answer (`Match.NONE`);
one kept still has its path regex checked before FastAPI's own `matches()`. Other kinds of
candidate (nested routers, mounts, frontend groups) and routes with a `:path` parameter are always
kept and left to FastAPI. The patch is applied only to the FastAPI version it was written against:
with another version the original matching stays (slower, same behaviour).
"""

from __future__ import annotations

import email.message
import inspect
import json
import re
from typing import Any

import fastapi
import fastapi.params
import orjson
from fastapi import routing
from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies import utils as _dependency_utils
from fastapi.exceptions import HTTPException, RequestValidationError
from starlette._utils import get_route_path
from starlette.datastructures import FormData, Headers, ImmutableMultiDict
from starlette.routing import Match

PATCHED_VERSION = "0.165.0"
_REQUEST_PARAMS_TO_ARGS = _dependency_utils.request_params_to_args  # FastAPI's own, before `install()`
_GET_CACHE_KEY = _dependency_utils._get_cache_key
_VALIDATE = _dependency_utils._validate_value_with_model_field
_UNDEFINED = _dependency_utils.Undefined
_LONG_DIGITS = re.compile(rb"\d{19}")
try:  # FastAPI 0.165's body limit, for `_json_body` (another version keeps FastAPI's own handler anyway)
    from fastapi._body_limit import MAX_BODY_SIZE_SCOPE_KEY, get_body_limit_error
except ImportError:  # pragma: no cover - not the version LeanRoute serves
    MAX_BODY_SIZE_SCOPE_KEY, get_body_limit_error = None, None  # type: ignore[assignment]
_PREFIX = 4  # leading literal segments an index key holds (the first is the empty one before "/")
_CACHE_LIMIT = 4096  # narrowed candidate lists remembered per router, by (segments, leading segments)
_installed = False
ORIGINAL_MATCH: Any = None  # FastAPI's own `_IncludedRouter._match` (for the equivalence test)


def _segments(path: str) -> list[str]:
    return path.split("/")


def _route_key(path: str) -> tuple[int, tuple[str, ...]] | None:
    """(segment count, leading literal segments) of a route path; None when it cannot be indexed."""
    if ":path}" in path:
        return None  # a parameter spanning segments
    segments = _segments(path)
    literal: list[str] = []
    for segment in segments[:_PREFIX]:
        if "{" in segment:
            break
        literal.append(segment)
    return len(segments), tuple(literal)


class _Index:
    """The candidates of one router, narrowed per request path; rebuilt when the routes change."""

    def __init__(self, candidates: list[Any], included: type) -> None:
        self.candidates = candidates
        self.buckets: dict[tuple[int, tuple[str, ...]], list[int]] = {}
        self.always: list[int] = []
        self.cache: dict[tuple[int, tuple[str, ...]], list[Any]] = {}
        for i, candidate in enumerate(candidates):
            key = None
            if not isinstance(candidate, included) and isinstance(candidate.original_route, routing.APIRoute):
                key = _route_key(candidate.path)
            if key is None:
                self.always.append(i)
            else:
                self.buckets.setdefault(key, []).append(i)

    def narrowed(self, route_path: str) -> list[Any]:
        segments = _segments(route_path)
        n = len(segments)
        head = tuple(segments[:_PREFIX])
        found = self.cache.get((n, head))
        if found is None:
            picked = list(self.always)
            for k in range(len(head) + 1):
                picked.extend(self.buckets.get((n, head[:k]), ()))
            found = [self.candidates[i] for i in sorted(picked)]
            if len(self.cache) >= _CACHE_LIMIT:
                self.cache.clear()
            self.cache[(n, head)] = found
        return found


def install() -> bool:
    """Install the narrowed matching once per process; False when this FastAPI is not the version it fits."""
    global _installed, ORIGINAL_MATCH
    if _installed:
        return True
    included = getattr(routing, "_IncludedRouter", None)
    context = getattr(routing, "_EffectiveRouteContext", None)
    frontend = getattr(routing, "_FrontendRouteGroup", None)
    if fastapi.__version__ != PATCHED_VERSION or None in (included, context, frontend):
        return False
    original = ORIGINAL_MATCH = included._match

    def _match(self: Any, scope: Any) -> Any:
        if scope["type"] != "http":
            return original(self, scope)
        route_path = get_route_path(scope)
        candidates = self.effective_candidates()
        index = self.__dict__.get("_ukpbj_index")
        if index is None or index.candidates is not candidates:
            index = self.__dict__["_ukpbj_index"] = _Index(candidates, included)
        partial = None
        for candidate in index.narrowed(route_path):
            if isinstance(candidate, included):
                match, child_scope = candidate.matches(scope)
                route, route_context = candidate, None
            elif isinstance(candidate.original_route, routing.APIRoute):
                if not candidate.path_regex.match(route_path):
                    continue  # its matches() would say Match.NONE
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
    _dependency_utils.request_params_to_args = _request_params_to_args
    _dependency_utils._get_cache_key = _get_cache_key
    _installed = True
    return True


# --- FastAPI's own dependency solver (routes that are not @lean: bodies, forms) ----------------------
# `solve_dependencies` asks, for every dependency of every request, what it could know when the app was
# built: each dependency's cache key (OAuth scopes, generator or not: ~70 us of a helpdesk create under
# cProfile) and each parameter's declaration (`_Params`). `install()` points it at these two, which work
# that out once per dependency and per parameter list and answer as FastAPI's own functions do.

_MEMO_LIMIT = 4096  # dependants and parameter lists remembered (a dependency override makes new ones)
_params_memo: dict[int, _Params] = {}
_cache_key_memo: dict[int, tuple[Any, Any]] = {}


def _request_params_to_args(fields: Any, received_params: Any) -> tuple[dict[str, Any], list[Any]]:
    if not fields:
        return {}, []
    params = _params_memo.get(id(fields))
    if params is None or params.fields is not fields:
        if len(_params_memo) >= _MEMO_LIMIT:
            _params_memo.clear()
        params = _params_memo[id(fields)] = _Params(fields)
    return params(received_params)


def _get_cache_key(*, dependant: Any, uses_scopes_cache: Any = None) -> Any:
    found = _cache_key_memo.get(id(dependant))
    if found is not None and found[0] is dependant:
        return found[1]
    key = _GET_CACHE_KEY(dependant=dependant, uses_scopes_cache=uses_scopes_cache)
    if len(_cache_key_memo) >= _MEMO_LIMIT:
        _cache_key_memo.clear()
    _cache_key_memo[id(dependant)] = (dependant, key)
    return key


# --- Lean request handling for hot routes ------------------------------------------------------------

LEAN_ATTRIBUTE = "__ukpbj_lean__"


def lean(endpoint: Any) -> Any:
    """Mark a hot endpoint for `LeanRoute`: its request is handled without FastAPI's generic solver.

    Such an endpoint returns a `Response` itself (a create: `shared.idempotency.idempotent_created`),
    its dependencies each take only the request (e.g. `shared.deps.uow_with_roles`), and only the
    endpoint itself may take a JSON body; `LeanRoute` checks the rest when the app is built."""
    setattr(endpoint, LEAN_ATTRIBUTE, True)
    return endpoint


class LeanRoute(routing.APIRoute):
    """An APIRoute whose `@lean` endpoints skip FastAPI's generic per-request work (issue 9).

    FastAPI's handler solves every request through `solve_dependencies`: a throw-away sub-response,
    the path, query, header and cookie parameters (parsing the cookies) and an endpoint context, for
    every route whatever it declares: ~60 us of a ~120 us route with no database work (cProfile of
    pokja's `GET /api/v1/ambang-nilai`). For an endpoint marked `@lean` the handler below does only
    what its declaration needs, in FastAPI's order and with FastAPI's own parameter validation
    (`_Params`: `request_params_to_args` with its per-field set-up done once; the same
    `RequestValidationError`, so the same 422 problem):
    0. a JSON body, read as FastAPI reads it (`_json_body`: invalid JSON is a 422 before anything else);
    1. each dependency with the request (401/403 come from there, before any parameter error);
    2. path and query parameters, then the body with FastAPI's own `request_body_to_args`;
    3. the endpoint, whose `Response` is sent as it is (as FastAPI does with a returned Response).
    For a create that leaves out FastAPI's validation and dump of the returned model against the
    `response_model` (the endpoint writes the same bytes itself) and its stdlib JSON parse.
    Routing, the OpenAPI document, middleware and exception handlers are FastAPI's, unchanged. When
    the app has dependency overrides (tests), or FastAPI is not the version this was written against,
    FastAPI's own handler runs.
    """

    def get_route_handler(self) -> Any:
        handler = super().get_route_handler()
        if not getattr(self.endpoint, LEAN_ATTRIBUTE, False) or fastapi.__version__ != PATCHED_VERSION:
            return handler
        effective = routing._effective_route_context_var.get()
        route = effective if effective is not None and effective.original_route is self else self
        return _lean_handler(route, handler)


class _Params:
    """FastAPI's `request_params_to_args` for one list of path, query or header fields, with what that
    function works out from each field's declaration on every request worked out once: whether it is a
    parameter model, its aliases, whether it collects repeated values. Per request there remains the
    lookup (the first alias the request carries), FastAPI's own "missing" rule and FastAPI's own
    validation (`_validate_value_with_model_field`), so values and errors are FastAPI's. That static work
    was most of a list page's parameter handling: 233 of helpdesk's ~1,300 us per page under cProfile,
    for six query parameters (issue 9). Fields with a parameter model, and request data that is not a
    plain mapping, a query string or headers, go to FastAPI's function as before."""

    __slots__ = ("fields", "plan")

    def __init__(self, fields: list[Any]) -> None:
        utils = _dependency_utils
        self.fields = fields
        self.plan: list[tuple[Any, list[str], bool, str]] | None = None
        if any(utils._get_param_model(field) is not None for field in fields):
            return
        self.plan = [(field, [alias for _, alias in utils._get_param_aliases(field)],
                      not utils._is_json_field(field)
                      and utils.field_annotation_is_sequence(field.field_info.annotation),
                      field.field_info.in_.value) for field in fields]

    def __call__(self, received: Any) -> tuple[dict[str, Any], list[Any]]:
        # module-level names only: this runs for every parameter list of every request
        if self.plan is None or isinstance(received, FormData):
            return _REQUEST_PARAMS_TO_ARGS(self.fields, received)
        multi = isinstance(received, (ImmutableMultiDict, Headers))
        values: dict[str, Any] = {}
        errors: list[Any] = []
        for field, aliases, sequence, where in self.plan:
            alias = next((a for a in aliases if a in received), aliases[0])
            if sequence and multi:
                value = received.getlist(alias)
            else:
                value = received.get(alias, None)
            if value is None or (sequence and len(value) == 0):
                value = _UNDEFINED  # FastAPI applies the default during validation
            v_, errors_ = _VALIDATE(field=field, value=value, values=values, loc=(where, alias))
            if errors_:
                errors.extend(errors_)
            else:
                values[field.name] = v_
        return values, errors


class _Node:
    """One dependency (or the endpoint) as the lean handler solves it, checked once at build time."""

    __slots__ = ("body_fields", "call", "dependencies", "embed_body", "name", "params", "request_names", "use_cache")

    def __init__(self, dependant: Any, refuse: Any, *, endpoint: bool = False, embed_body: bool = False) -> None:
        from fastapi.dependencies.utils import _is_coroutine_callable

        what = "it" if endpoint else f"its dependency {getattr(dependant.call, '__qualname__', dependant.call)}"
        if dependant.cookie_params or (dependant.body_params and not endpoint):
            raise refuse(f"{what} reads a body or cookies through FastAPI")
        if any(isinstance(field.field_info, fastapi.params.Form) for field in dependant.body_params):
            raise refuse(f"{what} reads a form or files")
        # the endpoint's JSON body, validated by FastAPI's own `request_body_to_args` after the parameters
        self.body_fields = dependant.body_params
        self.embed_body = embed_body
        if dependant.response_param_name or dependant.background_tasks_param_name or \
                dependant.security_scopes_param_name or dependant.websocket_param_name or dependant.own_oauth_scopes:
            raise refuse(f"{what} takes a Response, BackgroundTasks, security scopes or a websocket")
        if inspect.isgeneratorfunction(dependant.call) or inspect.isasyncgenfunction(dependant.call):
            raise refuse(f"{what} is a generator (yield) dependency")
        if not _is_coroutine_callable(dependant.call):
            raise refuse(f"{what} is not a coroutine function (FastAPI would run it in its thread pool)")
        self.call = dependant.call
        self.name = dependant.name
        self.use_cache = dependant.use_cache
        self.params = [(_Params(fields), source) for fields, source in (
            (dependant.path_params, "path_params"), (dependant.query_params, "query_params"),
            (dependant.header_params, "headers")) if fields]
        # the request under its own name and/or as an HTTPConnection (e.g. fastapi.security's APIKeyHeader)
        self.request_names = [n for n in (dependant.request_param_name, dependant.http_connection_param_name) if n]
        self.dependencies = [_Node(sub, refuse) for sub in dependant.dependencies]

    async def solve(self, request: Any, cache: dict[Any, Any], errors: list[Any],
                    body: Any = _UNDEFINED) -> dict[str, Any] | None:
        """The keyword arguments of this node's call, solving its dependencies first (FastAPI's order:
        dependencies, then path, query and header parameters, then the body); None when one was invalid."""
        values: dict[str, Any] = {}
        failed = False
        for sub in self.dependencies:
            sub_values = await sub.solve(request, cache, errors)
            if sub_values is None:
                failed = True
                continue
            if sub.use_cache and sub.call in cache:
                solved = cache[sub.call]
            else:
                solved = await sub.call(**sub_values)
                cache.setdefault(sub.call, solved)
            if sub.name is not None:
                values[sub.name] = solved
        for params, source in self.params:
            found, field_errors = params(getattr(request, source))
            values.update(found)
            if field_errors:
                errors += field_errors
                failed = True
        if self.body_fields:
            found, body_errors = await _dependency_utils.request_body_to_args(
                body_fields=self.body_fields, received_body=body, embed_body_fields=self.embed_body)
            values.update(found)
            if body_errors:
                errors += body_errors
                failed = True
        if failed:
            return None
        for request_name in self.request_names:
            values[request_name] = request
        return values


def _lean_handler(route: Any, fallback: Any) -> Any:
    from starlette.responses import Response

    name = f"{route.path} ({route.dependant.call.__qualname__})"

    def refuse(why: str) -> TypeError:
        return TypeError(f"@lean endpoint {name}: {why}; drop @lean or simplify the declaration")

    root = _Node(route.dependant, refuse, endpoint=True, embed_body=route._embed_body_fields)
    overrides_provider = route.dependency_overrides_provider
    strict = route.strict_content_type
    strict = strict.value if isinstance(strict, DefaultPlaceholder) else strict
    reads_body = bool(root.body_fields)

    async def handler(request: Any) -> Any:
        if overrides_provider is not None and getattr(overrides_provider, "dependency_overrides", None):
            return await fallback(request)
        errors: list[Any] = []
        body = await _json_body(request, strict) if reads_body else _UNDEFINED
        values = await root.solve(request, {}, errors, body)
        if values is None:  # the body goes along as FastAPI's does: problems.py reads union tags from it
            raise RequestValidationError(errors, body=None if body is _UNDEFINED else body)
        response = await root.call(**values)
        if not isinstance(response, Response):
            raise TypeError(f"@lean endpoint {name} returned {type(response).__name__}, not a Response")
        return response

    return handler


async def _json_body(request: Any, strict_content_type: bool) -> Any:
    """The request body as FastAPI 0.165's handler reads it for a JSON body field, before any dependency:
    parsed JSON when the content type is JSON (or absent and not strict), the bytes otherwise (its
    validation then fails as FastAPI's does), Undefined when empty; invalid JSON is FastAPI's 422
    `json_invalid`, a body over the size limit its 413, anything else unreadable its 400. orjson
    parses; what orjson refuses goes to the stdlib's `json.loads` (FastAPI's parser), which either
    accepts it (NaN, a BOM, lone surrogates) or raises the error FastAPI would. A body with a run of 19 or
    more digits goes straight to `json.loads`: orjson reads an integer too big for 64 bits as a float."""
    try:
        raw = await request.body()
        if not raw:
            return _UNDEFINED
        content_type = request.headers.get("content-type")
        if content_type == "application/json":
            is_json = True
        elif not content_type:
            is_json = not strict_content_type
        else:
            message = email.message.Message()
            message["content-type"] = content_type
            subtype = message.get_content_subtype()
            is_json = message.get_content_maintype() == "application" and (
                subtype == "json" or subtype.endswith("+json"))
        if not is_json:
            return raw
        if _LONG_DIGITS.search(raw) is None:  # orjson reads an integer beyond 64 bits as a float
            try:
                return orjson.loads(raw)
            except orjson.JSONDecodeError:
                pass
        return json.loads(raw)
    except json.JSONDecodeError as e:
        raise RequestValidationError(
            [{"type": "json_invalid", "loc": ("body", e.pos), "msg": "JSON decode error", "input": {},
              "ctx": {"error": e.msg}}], body=e.doc) from e
    except HTTPException:
        raise
    except Exception as e:
        if MAX_BODY_SIZE_SCOPE_KEY in request.scope and (error := get_body_limit_error(e)):
            raise error from e
        raise HTTPException(status_code=400, detail="There was an error parsing the body") from e
