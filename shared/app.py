"""The composition root every service uses: `create_service_app(spec)`.

Builds the FastAPI app (problems, middleware, metrics, docs, health) and, in the lifespan only,
the engine, the outbox relay, the consumers and the periodic jobs. Nothing connects at import.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.datastructures import Default
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import ORJSONResponse
from sqlalchemy import text
from starlette.responses import JSONResponse

from shared import routing
from shared.audit import router as audit_router
from shared.auth import Authenticator
from shared.config import ServiceSettings
from shared.consumer import ConsumerSpec, EventConsumer
from shared.db import make_engine, make_session_factory
from shared.docs import install_docs
from shared.events import dead_letter_topic
from shared.http import PlatformMiddleware
from shared.kafka import BrokerProbe
from shared.kripto import kripto
from shared.logging import configure_logging, get_logger
from shared.metrics import DEPENDENCY_READY, init_service_metrics, metrics_endpoint
from shared.outbox import OutboxRelay, OutboxSignal, register_signal, report_outbox_metrics, unregister_signal
from shared.pg import create_pool
from shared.problems import COMMON_PROBLEMS, PROBLEM_JSON, install_problem_handlers
from shared.responses import FragmentCache
from shared.uow import AuditWriter

log = get_logger(__name__)

Job = Callable[[FastAPI], Awaitable[None]]


@dataclass
class PeriodicJob:
    """A scheduled job run every `interval` seconds in each replica (it must be idempotent)."""

    name: str
    interval: float
    run: Job


@dataclass
class ServiceSpec:
    name: str
    title: str
    description: str
    settings: ServiceSettings
    routers: list[APIRouter]
    version: str = "1.0.0"
    consumers: list[ConsumerSpec] = field(default_factory=list)
    jobs: list[PeriodicJob] = field(default_factory=list)
    openapi_tags: list[dict[str, Any]] = field(default_factory=list)
    on_startup: list[Job] = field(default_factory=list)


async def _every(job: PeriodicJob, app: FastAPI) -> None:
    while True:
        try:
            await job.run(app)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a job failure must not kill the service
            log.warning("periodic job failed", job=job.name, error=repr(exc))
        await asyncio.sleep(job.interval)


def create_service_app(spec: ServiceSpec) -> FastAPI:
    """Build a service's app from its spec."""
    settings = spec.settings
    configure_logging(spec.name, level=settings.log_level, json=settings.log_json)
    routing.install()
    init_service_metrics(spec.name, [c.name for c in spec.consumers])

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url, pool_size=settings.db_pool_size,
                             statement_timeout_ms=settings.db_statement_timeout_ms)
        app.state.engine = engine
        app.state.session_factory = make_session_factory(engine)
        app.state.pg = await create_pool(settings.asyncpg_dsn, size=settings.asyncpg_pool_size,
                                         statement_timeout_ms=settings.db_statement_timeout_ms)
        # the audit entries of reads, committed in groups
        app.state.audit = AuditWriter(settings.asyncpg_dsn, statement_timeout_ms=settings.db_statement_timeout_ms)
        app.state.broker = BrokerProbe(settings.kafka_bootstrap)
        tasks: list[asyncio.Task[None]] = []
        app.state.consumers = []
        app.state.relay = None
        for hook in spec.on_startup:
            await hook(app)
        tasks.append(asyncio.create_task(report_outbox_metrics(spec.name, settings.asyncpg_dsn)))
        if settings.relay_enabled:
            relay = OutboxRelay(service=spec.name, dsn=settings.asyncpg_dsn, bootstrap=settings.kafka_bootstrap,
                                idempotent=settings.kafka_enable_idempotence, batch_size=settings.relay_batch_size,
                                poll_interval=settings.relay_poll_interval_s,
                                send_timeout=settings.kafka_send_timeout_s)
            app.state.relay = relay
            tasks.append(asyncio.create_task(relay.run(), name=f"relay:{spec.name}"))
        app.state.outbox_signal = OutboxSignal(pool=app.state.pg, relay=app.state.relay)
        register_signal(spec.name, app.state.outbox_signal)
        if settings.consumers_enabled:
            for consumer_spec in spec.consumers:
                consumer = EventConsumer(consumer_spec, service=spec.name, bootstrap=settings.kafka_bootstrap,
                                         session_factory=app.state.session_factory,
                                         dead_letter_topic=dead_letter_topic(spec.name),
                                         fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,
                                         idle_fetch_max_wait_ms=settings.consumer_fetch_idle_wait_ms)
                app.state.consumers.append(consumer)
                tasks.append(asyncio.create_task(consumer.run(), name=f"consumer:{consumer_spec.name}"))
        for job in [*spec.jobs, PeriodicJob("purge-idempotency-keys", 3600, _purge_idempotency_keys)]:
            tasks.append(asyncio.create_task(_every(job, app), name=f"job:{job.name}"))
        # Everything made so far (modules, routes, models, pools) lives as long as the process: out of
        # the collector's sight, a full collection under load walks only request garbage (issue 9:
        # long gen-2 pauses showed as p99 outliers).
        gc.collect()
        gc.freeze()
        # A young-generation collection every 700 allocations ran every few requests (a request
        # allocates hundreds of objects); every 50,000 it is rare and still bounds cyclic garbage to
        # a few MB. Full collections stay rare too (memory targets: docs/PERFORMANCE.md).
        gc.set_threshold(50_000, 20, 100)
        log.info("service started", version=spec.version)
        try:
            yield
        finally:
            unregister_signal(spec.name, app.state.outbox_signal)
            await app.state.outbox_signal.close()
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(BaseException):
                    await asyncio.wait_for(task, 10)
            await app.state.audit.close()
            await engine.dispose()
            await app.state.pg.close()
            log.info("service stopped")

    app = FastAPI(
        title=spec.title,
        description=spec.description,
        version=spec.version,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_tags=spec.openapi_tags + [
            {"name": "audit", "description": "Log audit / audit log (Kepala UKPBJ, Administrator Sistem)"},
            {"name": "platform", "description": "Kesehatan dan metrik / health and metrics"}],
        # a placeholder, not the class: routes with a response model then serialise straight to JSON
        # bytes in pydantic-core (FastAPI's fast path) instead of model -> dict -> orjson (issue 9);
        # routes without one still answer through ORJSONResponse
        default_response_class=Default(ORJSONResponse),
        responses=COMMON_PROBLEMS,
        # FastAPI's own OpenTelemetry instrumentation: unused here (Prometheus, `shared.metrics`), and
        # it cost ~7% of a read's CPU resolving providers on every request (issue 9)
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.settings = settings
    app.state.service = spec.name
    app.state.authenticator = Authenticator(settings)
    app.state.kripto = kripto(settings.kunci_data.get_secret_value())
    app.state.tampilan = FragmentCache(settings.cache_tampilan_baris)  # list rows rendered (shared.pagination)
    install_problem_handlers(app)
    for router in spec.routers:
        app.include_router(router)
    app.include_router(audit_router)
    _install_platform_routes(app, spec.name)
    for _ in iter_api_routes(app):
        pass  # builds every route's handler now: a `@lean` endpoint LeanRoute cannot serve stops the start
    install_docs(app, spec.title)
    _document_problems_as_problem_json(app)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"],
                           allow_headers=["*"], expose_headers=["Location", "ETag", "X-Request-ID", "Idempotency-Replayed", "Retry-After",
                                           "X-Laporan-Final", "X-Hash-Konten", "Link", "Content-Disposition"])
    app.add_middleware(PlatformMiddleware, service=spec.name, max_body_bytes=settings.max_body_bytes,
                       max_upload_bytes=settings.max_upload_bytes)
    return app


def _install_platform_routes(app: FastAPI, service: str) -> None:
    router = APIRouter(tags=["platform"])

    @router.get("/health/live", summary="Proses hidup / process is up")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/health/ready", summary="Siap melayani: basis data dan broker / database and broker reachable",
                responses={503: {"description": "Basis data atau broker tidak dapat dihubungi"}})
    async def ready(request: Request) -> JSONResponse:
        database = await _database_ready(request.app)
        broker = await request.app.state.broker.ready()
        DEPENDENCY_READY.labels(service, "database").set(int(database))
        DEPENDENCY_READY.labels(service, "broker").set(int(broker))
        ok = database and broker
        return JSONResponse({"status": "ok" if ok else "unavailable",
                             "database": "ok" if database else "unavailable",
                             "broker": "ok" if broker else "unavailable"}, status_code=200 if ok else 503)

    router.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    app.include_router(router)


def iter_api_routes(app: FastAPI):  # type: ignore[no-untyped-def]
    """Every APIRoute of the app, including those of included routers (as FastAPI's OpenAPI sees them)."""
    from fastapi import routing
    from fastapi.openapi.utils import _get_api_route_for_openapi

    for context in routing.iter_route_contexts(app.routes):
        route = _get_api_route_for_openapi(context)
        if route is not None:
            yield route


def _bearer_routes(app: FastAPI) -> dict[tuple[str, str], bool]:
    """(path, method) -> True when the route demands a bearer token, False when it only takes one.

    The auth dependencies read the header themselves (`shared.auth`), so FastAPI does not see the
    scheme; they say what they need in `openapi_security`."""
    def kinds(dependant) -> set[str]:  # type: ignore[no-untyped-def]
        found = {getattr(dependant.call, "openapi_security", None)}
        for sub in dependant.dependencies:
            found |= kinds(sub)
        return found

    routes: dict[tuple[str, str], bool] = {}
    for route in iter_api_routes(app):
        found = kinds(route.dependant)
        if found & {"required", "optional"}:
            for method in route.methods:
                routes[(route.path_format, method)] = "required" in found
    return routes


async def _purge_idempotency_keys(app: FastAPI) -> None:
    """A retried create is answered from its key for 24 hours; after that the key is forgotten."""
    async with app.state.session_factory() as session:
        await session.execute(text("DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'"))
        await session.commit()


def _document_problems_as_problem_json(app: FastAPI) -> None:
    """Error responses are `application/problem+json` in the spec, as on the wire; routes that only
    take an optional token say so (`security: [{}, ...]`)."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        from shared.auth import bearer

        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes, tags=app.openapi_tags)
        bearer_routes = _bearer_routes(app)
        if bearer_routes:
            schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
            schemes[bearer.scheme_name] = bearer.model.model_dump(mode="json", by_alias=True, exclude_none=True)
        for path, path_item in schema.get("paths", {}).items():
            for method, operation in path_item.items():
                demands = bearer_routes.get((path, method.upper()))
                if demands is not None:
                    operation["security"] = [{bearer.scheme_name: []}, *operation.get("security", [])]
                if demands is False and operation.get("security"):
                    operation["security"] = [{}, *operation["security"]]
                for response in operation.get("responses", {}).values():
                    content = response.get("content", {})
                    if PROBLEM_JSON in content and "application/json" in content:
                        content[PROBLEM_JSON] = content.pop("application/json")
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


async def _database_ready(app: FastAPI) -> bool:
    try:
        async with app.state.engine.connect() as conn:
            await asyncio.wait_for(conn.execute(text("SELECT 1")), 2)
        return True
    except Exception:  # noqa: BLE001 - any failure means not ready
        return False
