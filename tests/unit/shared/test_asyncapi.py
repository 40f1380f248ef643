import json
from pathlib import Path

import jsonschema

from shared.asyncapi import build, render
from shared.events import REGISTRY, load_contracts

ROOT = Path(__file__).resolve().parents[3]


def test_the_committed_asyncapi_document_matches_the_code():
    committed = (ROOT / "docs" / "asyncapi.json").read_text()
    assert committed == render(), "docs/asyncapi.json is stale: run `python -m shared.asyncapi > docs/asyncapi.json`"


def test_the_asyncapi_document_is_valid_asyncapi_3():
    schema = json.loads((ROOT / "tests" / "data" / "asyncapi-3.0.0.schema.json").read_text())
    jsonschema.validate(build(), schema)


def test_every_event_type_has_a_message_on_its_topic():
    load_contracts()
    document = build()
    for event_type, spec in REGISTRY.items():
        channel = document["channels"][spec.topic.replace(".", "_")]
        assert any(m["$ref"].endswith("/" + name) for name, m in channel["messages"].items()
                   if document["components"]["messages"][name]["name"] == event_type)
