"""AsyncAPI 3.0 document of every topic, event type and payload, generated from the event registry.

The payload schemas come from the same pydantic models the services publish and consume with, so
the document cannot drift from the code. `python -m shared.asyncapi > docs/asyncapi.json`
regenerates the committed copy (a test fails when it is stale).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from shared.events import REGISTRY, Envelope, dead_letter_topic, load_contracts

CONSUMERS = {"pokja": ["registrasi"], "pelaporan": ["registrasi", "pokja", "helpdesk"]}


def _message_name(event_type: str) -> str:
    return "".join(part.title() for part in event_type.replace(".", "_").split("_"))


def build() -> dict[str, Any]:
    """The AsyncAPI 3.0 document as a dict (stable key order)."""
    load_contracts()
    envelope_schema = Envelope.model_json_schema()
    envelope_schema["properties"].pop("data", None)
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for event_type in sorted(REGISTRY):
        spec = REGISTRY[event_type]
        name = _message_name(event_type)
        payload = spec.payload.model_json_schema(ref_template="#/components/schemas/{model}")
        defs = payload.pop("$defs", {})
        messages[name] = {
            "name": event_type,
            "title": event_type,
            "summary": spec.description,
            "contentType": "application/cloudevents+json",
            "headers": {"type": "object", "properties": {
                "ce_id": {"type": "string"}, "ce_type": {"type": "string", "const": event_type},
                "aggregate_version": {"type": "string"}}},
            "payload": {"allOf": [{"$ref": "#/components/schemas/CloudEvent"},
                                  {"type": "object", "properties": {
                                      "type": {"const": event_type}, "data": payload}}]},
            "bindings": {"kafka": {"key": {"type": "string", "description": "aggregate id"}}},
        }
        for def_name, schema in defs.items():
            messages.setdefault("__defs__", {})[def_name] = schema
        channel = channels.setdefault(spec.topic, {
            "address": spec.topic,
            "description": f"Events of {spec.service}'s {spec.aggregate} aggregate, keyed by its id, ordered per key.",
            "messages": {},
        })
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
    defs = messages.pop("__defs__", {})
    for topic, channel in channels.items():
        service = topic.split(".", 1)[0]
        operations[f"publish_{topic.replace('.', '_')}"] = {
            "action": "send", "channel": {"$ref": f"#/channels/{_escape(topic)}"},
            "summary": f"{service} publishes through its transactional outbox (at least once).",
        }
        for consumer, sources in CONSUMERS.items():
            if service in sources:
                operations[f"{consumer}_consume_{topic.replace('.', '_')}"] = {
                    "action": "receive", "channel": {"$ref": f"#/channels/{_escape(topic)}"},
                    "summary": f"{consumer} consumes idempotently (inbox by event id).",
                }
    for consumer in CONSUMERS:
        dlq = dead_letter_topic(consumer)
        channels[dlq] = {"address": dlq, "description": (
            f"Messages {consumer} could not apply, unchanged, with headers dlq_reason, dlq_detail, "
            "dlq_consumer, dlq_original_topic, dlq_original_partition, dlq_original_offset."), "messages": {}}
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "UKPBJ Kemendagri — event domain",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 (structured mode) published by registrasi, pokja and helpdesk. "
            "Type is `<service>.<aggregate>.<past-tense verb>`, the record key is the aggregate id, one topic "
            "per service and aggregate. Delivery is at least once; every consumer dedupes by event id.",
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": {_escape(k): v for k, v in sorted(channels.items())},
        "operations": dict(sorted(operations.items())),
        "components": {"messages": messages, "schemas": {"CloudEvent": envelope_schema, **defs}},
    }


def _escape(topic: str) -> str:
    return topic.replace(".", "_")


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
