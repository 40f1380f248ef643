"""CPU and memory of the processes under test, sampled from /proc (psutil) while a case runs."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

import psutil


@dataclass
class Usage:
    cpu_percent: float  # of one core, over the run (100 = one core busy all the time)
    peak_rss_mb: float
    wall_s: float


def rss_mb(pid: int) -> float:
    try:
        return psutil.Process(pid).memory_info().rss / 1_048_576
    except psutil.Error:
        return float("nan")


class ProcSampler:
    """`with ProcSampler(pid) as s: ...` then `s.usage`: CPU % over the block and the peak RSS seen."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.usage: Usage | None = None
        self._stop = threading.Event()
        self._peak = 0.0
        self._thread: threading.Thread | None = None

    def _cpu(self) -> float:
        try:
            t = psutil.Process(self.pid).cpu_times()
            return t.user + t.system
        except psutil.Error:
            return 0.0

    def _loop(self) -> None:
        while not self._stop.is_set():
            value = rss_mb(self.pid)
            if value == value:  # not NaN
                self._peak = max(self._peak, value)
            self._stop.wait(self.interval)

    def __enter__(self) -> "ProcSampler":
        self._cpu0 = self._cpu()
        self._t0 = time.monotonic()
        self._peak = rss_mb(self.pid) if os.path.exists(f"/proc/{self.pid}") else 0.0
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
        wall = time.monotonic() - self._t0
        cpu = self._cpu() - self._cpu0
        self.usage = Usage(cpu_percent=100.0 * cpu / wall if wall > 0 else 0.0, peak_rss_mb=self._peak, wall_s=wall)
