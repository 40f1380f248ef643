"""Running wrk (Debian) with bench/wrk/bench.lua and reading its done() line."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.template import INVOCATION_STRIDE, THREAD_STRIDE

SCRIPT = Path(__file__).resolve().parent / "wrk" / "bench.lua"
_invocations = itertools.count(1)


@dataclass
class WrkJob:
    """One HTTP load: GET over a list of paths, or POST of a body template."""

    port: int
    method: str = "GET"
    paths: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    pools: dict[str, list[str]] = field(default_factory=dict)
    capture_errors: bool = False  # keep each thread's first non-2xx answer (costs a Lua call per answer)


@dataclass
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    status_errors: int
    socket_errors: int
    raw: dict


def wrk_binary() -> str | None:
    return shutil.which("wrk")


def run_wrk(job: WrkJob, *, duration: float, connections: int = 64, threads: int = 2,
            timeout_s: float = 10.0, workdir: Path | None = None) -> WrkResult:
    """Run one wrk invocation (bounded: duration + 60 s at most) and parse its result."""
    binary = wrk_binary()
    if binary is None:
        raise RuntimeError("wrk is not installed: run `bash scripts/system-deps.sh`")
    tmp = Path(tempfile.mkdtemp(prefix="wrk-", dir=workdir))
    try:
        env = {"BENCH_METHOD": job.method,
               "BENCH_SEQ_BASE": str(next(_invocations) * INVOCATION_STRIDE),
               "BENCH_STRIDE": str(THREAD_STRIDE), "BENCH_THREADS": str(threads)}
        if job.capture_errors:
            env["BENCH_CAPTURE_ERRORS"] = "1"
        (tmp / "paths").write_text("\n".join(job.paths) + "\n")
        env["BENCH_PATHS"] = str(tmp / "paths")
        headers = dict(job.headers)
        if job.body is not None:
            headers.setdefault("Content-Type", "application/json")
            (tmp / "body").write_text(job.body)
            env["BENCH_BODY"] = str(tmp / "body")
        (tmp / "headers").write_text("".join(f"{k}: {v}\n" for k, v in headers.items()))
        env["BENCH_HEADERS"] = str(tmp / "headers")
        for name, values in job.pools.items():
            (tmp / f"pool_{name}").write_text("\n".join(values) + "\n")
            env[f"BENCH_POOL_{name}"] = str(tmp / f"pool_{name}")
        seconds = max(1, round(duration))
        argv = [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout_s:g}s",
                "-s", str(SCRIPT), f"http://127.0.0.1:{job.port}"]
        done = subprocess.run(argv, env={**os.environ, **env}, capture_output=True, text=True,
                              timeout=seconds + 60)
        line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
        if line is None:
            tail = done.stderr[-500:] or done.stdout[-500:]
            raise RuntimeError(f"wrk gave no result (exit {done.returncode}): {tail}")
        raw = json.loads(line.removeprefix("BENCH_JSON "))
        raw["first_errors"] = [ln.removeprefix("BENCH_ERROR ") for ln in done.stdout.splitlines()
                               if ln.startswith("BENCH_ERROR ")]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    secs = raw["duration_us"] / 1e6
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return WrkResult(
        requests=raw["requests"], seconds=secs, rps=raw["requests"] / secs if secs else 0.0,
        p50_ms=raw["p50_us"] / 1000, p90_ms=raw["p90_us"] / 1000, p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000, errors=raw["status"] + socket_errors, status_errors=raw["status"],
        socket_errors=socket_errors, raw=raw,
    )
