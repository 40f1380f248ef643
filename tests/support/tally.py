"""What the hostile suites sent and what came back, printed at the end of the test run (issue: every
malformed, hostile or out-of-role request gets a 4xx problem, none a 5xx, none changes state)."""

from __future__ import annotations

from collections import Counter, defaultdict

SENT: dict[str, Counter] = defaultdict(Counter)
TABLES: list[list[str]] = []  # further tables for the end of the run (e.g. the fault-injection table)


def count(suite: str, status: int, problem_json: bool) -> None:
    SENT[suite]["dikirim"] += 1
    SENT[suite][f"{status // 100}xx"] += 1
    if status >= 400 and not problem_json:
        SENT[suite]["4xx tanpa problem+json"] += 1


def lines() -> list[str]:
    out = [line for table in TABLES for line in table]
    if not SENT:
        return out
    out += ["Permintaan rusak, bermusuhan dan di luar peran / malformed, hostile and out-of-role requests:"]
    for suite, counts in sorted(SENT.items()):
        parts = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        out.append(f"  {suite}: {parts}")
    return out
