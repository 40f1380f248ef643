"""The issue's targets, as ratios to the same run's baselines (issue 9, "The targets")."""

from __future__ import annotations

import math
import statistics
from typing import Any

Check = tuple[str, bool, str]  # (target, met, measured)

READ_RATIO, LIST_RATIO, CREATE_RATIO = 0.70, 0.40, 0.60
READ_P99_MS, CREATE_P99_MS = 50.0, 100.0
RELAY_MIN_RATE, RELAY_RATIO = 10_000.0, 0.33
LAG_P50_MS, LAG_P99_MS = 25.0, 100.0
REPORT_JSON_S, REPORT_PDF_S = 1.0, 5.0
RSS_IDLE_MB, RSS_LOAD_MB = 150.0, 300.0

TARGET_TEXT = {
    "read": f"≥ {READ_RATIO:.0%} of raw read req/s; p99 ≤ {READ_P99_MS:.0f} ms",
    "list": f"≥ {LIST_RATIO:.0%} of raw read req/s",
    "create": f"≥ {CREATE_RATIO:.0%} of raw write req/s; p99 ≤ {CREATE_P99_MS:.0f} ms",
    "relay": f"≥ {RELAY_MIN_RATE:,.0f} events/s and ≥ {RELAY_RATIO:.0%} of raw produce",
    "e2e": f"lag p50 ≤ {LAG_P50_MS:.0f} ms, p99 ≤ {LAG_P99_MS:.0f} ms, zero lost",
    "report": f"1M events: JSON ≤ {REPORT_JSON_S:.0f} s, PDF ≤ {REPORT_PDF_S:.0f} s; growth ≤ linear 10k → 1M",
    "memory": f"≤ {RSS_IDLE_MB:.0f} MB RSS idle, ≤ {RSS_LOAD_MB:.0f} MB under load",
}


def ratio(case: Any, by_key: dict[str, Any], metric: str = "rps") -> float | None:
    """Median over the rounds of case/baseline measured in the same round (ratio of medians otherwise)."""
    base = by_key.get(case.baseline) if case.baseline else None
    if base is None:
        return None
    pairs = [(c.get(metric), b.get(metric)) for c, b in zip(case.rounds, base.rounds)]
    if len(case.rounds) == len(base.rounds) and pairs and all(c is not None and b for c, b in pairs):
        return statistics.median(c / b for c, b in pairs)
    a, b = case.median(metric), base.median(metric)
    if a is None or not b:
        return None
    return a / b


def evaluate(case: Any, by_key: dict[str, Any]) -> list[Check]:
    """The targets of one case with what was measured; [] when the case has none or was not measured."""
    if case.unavailable or not case.rounds:
        return []
    action = case.key.split(".", 1)[1] if "." in case.key else case.key
    checks: list[Check] = []
    if action in ("read", "list", "create"):
        r = ratio(case, by_key)
        need = {"read": READ_RATIO, "list": LIST_RATIO, "create": CREATE_RATIO}[action]
        if r is not None:
            checks.append((f"≥ {need:.0%} of {case.baseline.replace('_', ' ')}", r >= need, f"{r:.0%}"))
        limit = {"read": READ_P99_MS, "create": CREATE_P99_MS}.get(action)
        p99 = case.median("p99_ms")
        if limit is not None and p99 is not None:
            checks.append((f"p99 ≤ {limit:.0f} ms", p99 <= limit, f"{p99:.1f} ms"))
        errors = sum(r.get("errors", 0) for r in case.rounds)
        if errors:
            checks.append(("no errors", False, f"{errors} errors"))
    elif action == "relay":
        rate = case.median("rate")
        if rate is not None:
            checks.append((f"≥ {RELAY_MIN_RATE:,.0f} events/s", rate >= RELAY_MIN_RATE, f"{rate:,.0f}/s"))
        r = ratio(case, by_key, "rate")
        if r is not None:
            checks.append((f"≥ {RELAY_RATIO:.0%} of raw produce", r >= RELAY_RATIO, f"{r:.0%}"))
    elif action == "e2e":
        p50, p99 = case.median("lag_p50_ms"), case.median("lag_p99_ms")
        lost = sum(r.get("lost", 0) for r in case.rounds)
        if p50 is not None and not math.isnan(p50):
            checks.append((f"lag p50 ≤ {LAG_P50_MS:.0f} ms", p50 <= LAG_P50_MS, f"{p50:.1f} ms"))
        if p99 is not None and not math.isnan(p99):
            checks.append((f"lag p99 ≤ {LAG_P99_MS:.0f} ms", p99 <= LAG_P99_MS, f"{p99:.1f} ms"))
        checks.append(("zero lost", lost == 0, f"{lost} lost"))
        rate = case.median("rate_achieved")
        target = case.rounds[0].get("rate_target")
        if rate is not None and target:
            checks.append((f"sustains {target:.0f} creates/s", rate >= 0.95 * target, f"{rate:.0f}/s"))
    return checks


def evaluate_report(report: dict) -> list[Check]:
    sizes = report.get("sizes") or []
    if not sizes:
        return []
    checks: list[Check] = []
    largest, smallest = sizes[-1], sizes[0]
    for fmt, limit in (("json", REPORT_JSON_S), ("pdf", REPORT_PDF_S)):
        t = (largest.get(fmt) or {}).get("cold_s")
        if t is None:
            checks.append((f"{fmt.upper()} ≤ {limit:.0f} s at {largest['events']:,} events", False,
                           (largest.get(fmt) or {}).get("error") or "no answer"))
            continue
        checks.append((f"{fmt.upper()} ≤ {limit:.0f} s at {largest['events']:,} events", t <= limit, f"{t:.2f} s"))
        t0 = (smallest.get(fmt) or {}).get("cold_s")
        if t0 and len(sizes) > 1:
            growth = t / t0
            size_ratio = largest["events"] / smallest["events"]
            checks.append((f"{fmt.upper()} grows ≤ linearly ({size_ratio:.0f}× events)", growth <= size_ratio,
                           f"{growth:.1f}× time"))
    return checks


def evaluate_memory(memory: dict[str, dict[str, float]]) -> list[tuple[str, Check]]:
    out = []
    for service, m in memory.items():
        idle = m.get("idle_loaded", m.get("idle_start"))
        if idle is not None and not math.isnan(idle):
            out.append((service, (f"idle ≤ {RSS_IDLE_MB:.0f} MB", idle <= RSS_IDLE_MB, f"{idle:.0f} MB")))
        peak = m.get("peak")
        if peak is not None and not math.isnan(peak):
            out.append((service, (f"under load ≤ {RSS_LOAD_MB:.0f} MB", peak <= RSS_LOAD_MB, f"{peak:.0f} MB")))
    return out
