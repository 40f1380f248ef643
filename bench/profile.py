"""Profile hints for cases that miss their targets: py-spy sampling the service process under the same load."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent) + "/"
OWN_CODE = (ROOT + "services/", ROOT + "shared/")
# on (nearly) every request's stack, so their inclusive share says nothing
PLUMBING = {"uvicorn", "stdlib:asyncio", "fastapi", "starlette", "entry", "shared/cli.py", "shared/http.py",
            "stdlib:threading", "uvloop", "other"}
ENTRY = ("shared/cli.py", "PlatformMiddleware.__call__ (")


def py_spy() -> str | None:
    local = Path(sys.executable).parent / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


def record(pid: int, seconds: float, rate: int = 200) -> tuple[Path | None, str]:
    """Sample `pid` for `seconds`; returns (collapsed stacks file, error)."""
    binary = py_spy()
    if binary is None:
        return None, "py-spy not installed (`.venv/bin/pip install py-spy==0.4.3`)"
    out = Path(tempfile.mkstemp(prefix="pyspy-", suffix=".txt")[1])
    done = subprocess.run([binary, "record", "--pid", str(pid), "--duration", str(max(1, round(seconds))),
                           "--rate", str(rate), "--format", "raw", "--nonblocking", "--gil", "--full-filenames",
                           "-o", str(out)],
                          capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        return None, (done.stderr or done.stdout).strip().splitlines()[0][:200] if (done.stderr or done.stdout) \
            else f"py-spy exited {done.returncode}"
    return out, ""


def _frame_module(frame: str) -> str:
    # "function (/full/path/to/file.py:123)"
    inside = frame[frame.rfind("(") + 1: frame.rfind(")")] if "(" in frame else frame
    path = inside.rsplit(":", 1)[0]
    if ".py" not in path:
        return "other"  # generated code, <string>, C wrappers
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if path.startswith(ROOT):
        rel = path[len(ROOT):]
        return "entry" if rel.startswith(".venv/") else rel
    if "/lib/python3" in path:
        rest = path.split("/lib/python3", 1)[1].split("/", 1)
        return "stdlib:" + (rest[1].split("/", 1)[0].removesuffix(".py") if len(rest) > 1 else "?")
    return path or frame


def _short(frame: str) -> str:
    return frame.split(" (")[0] + " (" + _frame_module(frame) + ")"


def summarise(collapsed: Path, top: int = 8) -> dict:
    """Share of the samples (taken while the process held the GIL, i.e. ran Python):

    - self: the leaf function; self_lib: the library or own module the leaf belongs to;
    - modules: libraries and own modules anywhere on the stack, leaving out those on (nearly) every
      stack (the event loop, uvicorn, the outermost middleware): they say nothing;
    - own: own functions (services/, shared/) anywhere on the stack.
    """
    self_time: Counter[str] = Counter()
    self_lib: Counter[str] = Counter()
    inclusive_module: Counter[str] = Counter()
    own_inclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        try:
            count = int(count_text)
        except ValueError:
            continue
        frames = [f for f in stack.split(";") if f]
        if not frames:
            continue
        total += count
        self_time[_short(frames[-1])] += count
        self_lib[_frame_module(frames[-1])] += count
        for module in {_frame_module(f) for f in frames}:
            inclusive_module[module] += count
        for frame in {f for f in frames if any(m in f for m in OWN_CODE) and not any(e in f for e in ENTRY)}:
            own_inclusive[_short(frame)] += count
    if not total:
        return {"samples": 0}

    def share(counter: Counter[str], n: int) -> list[tuple[str, float]]:
        return [(k, 100.0 * v / total) for k, v in counter.most_common(n)]

    libs = Counter({k: v for k, v in inclusive_module.items() if k not in PLUMBING})
    own = own_inclusive
    return {"samples": total, "self": share(self_time, top), "self_lib": share(self_lib, top),
            "modules": share(libs, top + 4), "own": share(own, top)}
