import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def test_the_harness_measures_one_case_and_its_baseline_end_to_end(tmp_path):
    assert shutil.which("wrk"), "wrk is required: bash scripts/system-deps.sh"
    doc, raw = tmp_path / "PERFORMANCE.md", tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--only", "registrasi.read", "--duration", "2",
         "--no-profile", "--output", str(doc), "--json", str(raw)],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads(raw.read_text())
    cases = {c["key"]: c for c in results["cases"]}
    assert set(cases) == {"raw_read", "registrasi.read"}
    for key, case in cases.items():
        assert case["unavailable"] is None, (key, case["unavailable"])
        (measured,) = case["rounds"]
        assert measured["requests"] > 0 and measured["rps"] > 0, (key, measured)
        assert measured["p50_ms"] > 0 and measured["p99_ms"] >= measured["p50_ms"], (key, measured)
        assert measured["errors"] == 0, (key, measured)
        assert measured["peak_rss"] > 0, (key, measured)
        # wrk and PostgreSQL ran beside it: the rest of the machine was busy too, within its cores
        assert 0 < measured["others"] <= 100 * (os.cpu_count() or 1), (key, measured)
    assert results["failures"] == []
    text = doc.read_text()
    assert "| registrasi: read by id |" in text and "| raw read (asyncpg, by PK) |" in text
    assert "| CPU | Wait | Rest | Peak RSS |" in text
    assert "not available:" not in text
