"""Run a coroutine on uvloop, as the services' uvicorn does."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


def arun(coro: Coroutine[Any, Any, Any]) -> Any:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)
