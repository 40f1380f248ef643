"""Fixtures for the deployment tests. None of them needs Docker; promtool must be installed
(Debian package `prometheus`), and its absence is a failure, not a skip."""

from __future__ import annotations

import pytest

from tests.deploy.promql import load_yaml
from tests.deploy.stack import COMPOSE_FILE


@pytest.fixture(scope="session")
def compose() -> dict:
    return load_yaml(COMPOSE_FILE)
