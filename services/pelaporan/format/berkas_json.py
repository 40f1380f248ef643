"""The report as JSON: `Laporan.ke_dict()`, UTF-8, keys in the model's order."""

from __future__ import annotations

import json

from services.pelaporan.laporan import Laporan


def ke_json(laporan: Laporan) -> bytes:
    """UTF-8 JSON of the report; insertion-ordered keys make the bytes deterministic."""
    return (json.dumps(laporan.ke_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
