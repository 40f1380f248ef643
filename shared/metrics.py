"""Prometheus metrics shared by every service, labelled by `service` so one process may host many apps.

HTTP rate, errors and duration per route template come from starlette-exporter (see `shared.app`).
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge

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
