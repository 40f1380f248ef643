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
    # time its threads were runnable but waited for a core (/proc/<pid>/task/*/schedstat), % of the run:
    # on a shared 2-core machine, every request in flight stalls while the one event loop waits
    wait_percent: float | None = None
    # CPU of everything else on the machine over the same run (PostgreSQL, the broker, the other services and
    # their consumers, wrk, the harness), % of one core: what the process under test shared the cores with
    others_percent: float | None = None


def rss_mb(pid: int) -> float:
    try:
        return psutil.Process(pid).memory_info().rss / 1_048_576
    except psutil.Error:
        return float("nan")


def machine_busy_s() -> float | None:
    """Seconds of CPU the whole machine has spent busy since boot, all cores (/proc/stat: every field but
    idle and iowait); None where there is no /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    ticks = [int(x) for x in fields[1:9]]  # user nice system idle iowait irq softirq steal
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def sched_wait_s(pid: int) -> float | None:
    """Seconds the process's threads have spent runnable and waiting for a core, since they started
    (the second field of the kernel's per-task `schedstat`); None where the kernel does not say."""
    total, seen = 0, False
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[1])
                seen = True
        except (OSError, IndexError, ValueError):
            continue  # a thread that ended meanwhile
    return total / 1e9 if seen else None


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
        self._wait0 = sched_wait_s(self.pid)
        self._busy0 = machine_busy_s()
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
        wait1 = sched_wait_s(self.pid)
        busy1 = machine_busy_s()
        others = None if self._busy0 is None or busy1 is None or wall <= 0 else \
            max(0.0, 100.0 * (busy1 - self._busy0 - cpu) / wall)
        waited = None if self._wait0 is None or wait1 is None or wall <= 0 else 100.0 * (wait1 - self._wait0) / wall
        self.usage = Usage(cpu_percent=100.0 * cpu / wall if wall > 0 else 0.0, peak_rss_mb=self._peak, wall_s=wall,
                           wait_percent=waited, others_percent=others)
