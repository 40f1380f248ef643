"""CloudEvents 1.0 envelope and the registry of every event type with its versioned payload model.

Every service publishes and consumes through these models, so the contract (and the AsyncAPI
document generated from it) cannot drift from the code.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Callable, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/cloudevents+json"


class EventPayload(BaseModel):
    """Base of every event's `data`: frozen, unknown fields ignored (consumers stay forward compatible)."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Envelope(BaseModel):
    """A CloudEvents 1.0 event in structured mode, with the aggregate's id and version as extensions."""

    model_config = ConfigDict(extra="allow")

    specversion: str = SPEC_VERSION
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    subject: str | None = None
    datacontenttype: str = "application/json"
    dataschema: str | None = None
    aggregateid: str
    aggregateversion: int = 1
    requestid: str | None = None
    data: dict[str, Any]

    def to_bytes(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json", exclude_none=True))

    @classmethod
    def from_bytes(cls, raw: bytes) -> "Envelope":
        return cls.model_validate(orjson.loads(raw))


@dataclass(frozen=True)
class EventSpec:
    type: str
    topic: str
    payload: type[EventPayload]
    description: str

    @property
    def service(self) -> str:
        return self.type.split(".", 1)[0]

    @property
    def aggregate(self) -> str:
        return self.type.split(".")[1]


REGISTRY: dict[str, EventSpec] = {}
P = TypeVar("P", bound=type[EventPayload])


def event(type_: str, description: str) -> Callable[[P], P]:
    """Register a payload model as the data of `type_` (`<service>.<aggregate>.<past verb>`)."""
    service, aggregate, _verb = type_.split(".")

    def register(model: P) -> P:
        if type_ in REGISTRY:
            raise ValueError(f"event type {type_} registered twice")
        REGISTRY[type_] = EventSpec(type_, f"{service}.{aggregate}.v1", model, description)
        return model

    return register


def spec_for(type_: str) -> EventSpec:
    load_contracts()
    return REGISTRY[type_]


def topics_of(service: str | None = None) -> list[str]:
    """Every topic in the contract, or those one service publishes."""
    load_contracts()
    return sorted({s.topic for s in REGISTRY.values() if service is None or s.service == service})


def dead_letter_topic(consumer_service: str) -> str:
    return f"{consumer_service}.dlq"


def load_contracts() -> None:
    """Import every contract module so the registry is complete."""
    import shared.contracts  # noqa: F401
