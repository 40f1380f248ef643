"""Prometheus metrics shared by every service, labelled by `service` so one process may host many apps.

HTTP rate, errors and duration per route template are recorded by `shared.http.PlatformMiddleware`
under the names starlette-exporter used before it (dashboards, recording rules and alerts read
them): doing it in the one middleware every request passes anyway saved a middleware layer and a
second route match per request (issue 9).
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response

HTTP_LABELS = ["method", "path", "status_code", "app_name"]
HTTP_REQUESTS = Counter("starlette_requests_total", "Total HTTP requests", HTTP_LABELS)
HTTP_DURATION = Histogram("starlette_request_duration_seconds", "HTTP request duration, in seconds", HTTP_LABELS,
                          buckets=[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
HTTP_IN_PROGRESS = Gauge("starlette_requests_in_progress", "Total HTTP requests currently in progress",
                         ["method", "app_name"], multiprocess_mode="livesum")


class HttpMetrics:
    """One service's HTTP series, with the labelled children kept (a `labels()` call per request is
    a lock and a dict lookup on the metric; a tuple lookup here is cheaper)."""

    def __init__(self, service: str) -> None:
        self.service = service
        self._in_progress: dict[str, Any] = {}
        self._done: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def started(self, method: str) -> Any:
        gauge = self._in_progress.get(method)
        if gauge is None:
            gauge = self._in_progress[method] = HTTP_IN_PROGRESS.labels(method, self.service)
        gauge.inc()
        return gauge

    def finished(self, method: str, path: str, status: int, seconds: float) -> None:
        key = (method, path, status)
        children = self._done.get(key)
        if children is None:
            labels = (method, path, str(status), self.service)
            children = self._done[key] = (HTTP_REQUESTS.labels(*labels), HTTP_DURATION.labels(*labels))
        children[0].inc()
        children[1].observe(seconds)


async def metrics_endpoint(_: Request) -> Response:
    """`GET /metrics`: the Prometheus text format."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

DEPENDENCY_READY = Gauge("ukpbj_dependency_ready", "1 when the dependency answered the last readiness check",
                         ["service", "dependency"])
OUTBOX_BACKLOG = Gauge("ukpbj_outbox_backlog", "Outbox rows not yet published", ["service"])
OUTBOX_OLDEST_AGE = Gauge("ukpbj_outbox_oldest_unpublished_age_seconds",
                          "Age of the oldest unpublished outbox row (0 when none)", ["service"])
EVENTS_PUBLISHED = Counter("ukpbj_events_published_total", "Events the relay published", ["service", "topic"])
PUBLISH_FAILURES = Counter("ukpbj_outbox_publish_failures_total", "Outbox rows whose publish failed", ["service"])
EVENTS_CONSUMED = Counter("ukpbj_events_consumed_total", "Events a consumer handled",
                          ["service", "consumer", "outcome"])
EVENTS_DEAD_LETTERED = Counter("ukpbj_events_dead_lettered_total", "Events sent to the dead-letter topic",
                               ["service", "consumer", "reason"])
CONSUMER_LAG = Gauge("ukpbj_consumer_lag", "Messages behind the partition's high watermark",
                     ["service", "consumer", "topic", "partition"])
CONSUMER_LAST_POLL_AGE = Gauge("ukpbj_consumer_last_poll_age_seconds", "Seconds since the consumer last polled",
                               ["service", "consumer"])


DEAD_LETTER_REASONS = ("unparseable", "unknown-type", "invalid-payload", "handler-failed")


def init_service_metrics(service: str, consumers: list[str]) -> None:
    """Create every labelled series up front so dashboards show 0, not 'No data'."""
    for dependency in ("database", "broker"):
        DEPENDENCY_READY.labels(service, dependency)
    OUTBOX_BACKLOG.labels(service)
    OUTBOX_OLDEST_AGE.labels(service)
    PUBLISH_FAILURES.labels(service)
    for consumer in consumers:
        for outcome in ("applied", "duplicate", "ignored"):
            EVENTS_CONSUMED.labels(service, consumer, outcome)
        CONSUMER_LAST_POLL_AGE.labels(service, consumer)
        for reason in DEAD_LETTER_REASONS:
            EVENTS_DEAD_LETTERED.labels(service, consumer, reason)
