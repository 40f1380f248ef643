"""The console table and docs/PERFORMANCE.md, both generated from one run's results."""

from __future__ import annotations

import math
import os
import platform
from pathlib import Path
from typing import Any

from bench.targets import TARGET_TEXT, evaluate, evaluate_memory, evaluate_report, ratio

UNITS = {"wrk": "req/s", "produce": "msg/s", "relay": "events/s", "e2e": "creates/s"}


def _n(v: Any, digits: int = 0, unit: str = "") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if isinstance(v, (int, float)):
        return f"{v:,.{digits}f}{unit}"
    return str(v)


def _row_values(case: Any) -> dict[str, str]:
    if case.kind == "wrk":
        rps, p50, p99 = case.median("rps"), case.median("p50_ms"), case.median("p99_ms")
    elif case.kind in ("produce", "relay"):
        rps, p50, p99 = case.median("rate"), None, None
    elif case.kind == "e2e":
        rps, p50, p99 = case.median("rate_achieved"), case.median("lag_p50_ms"), case.median("lag_p99_ms")
    else:
        rps = p50 = p99 = None
    errors = sum(r.get("errors", 0) or 0 for r in case.rounds) if case.rounds else None
    return {"rate": _n(rps), "unit": UNITS.get(case.kind, ""), "p50": _n(p50, 1), "p99": _n(p99, 1),
            "errors": _n(errors), "cpu": _n(case.median("cpu"), 0, "%"),
            "wait": _n(case.median("wait"), 0, "%"), "others": _n(case.median("others"), 0, "%"),
            "rss": _n(case.median("peak_rss"), 0)}


def _checks_text(checks: list[tuple[str, bool, str]]) -> str:
    return "; ".join(f"{'✓' if ok else '✗'} {label} ({measured})" for label, ok, measured in checks) or "–"


def rows(h: Any) -> list[dict[str, str]]:
    out = []
    for case in h.cases:
        if case.kind == "report":
            continue
        row = {"case": case.title, "key": case.key}
        if case.unavailable:
            row.update({"na": case.unavailable})
            out.append(row)
            continue
        row.update(_row_values(case))
        base = h.by_key.get(case.baseline) if case.baseline else None
        if base is not None and base.rounds:
            b = _row_values(base)
            row.update({"base": base.key.replace("_", " "), "b_rate": b["rate"], "b_p50": b["p50"], "b_p99": b["p99"]})
            metric = "rate" if case.kind in ("relay", "produce") else "rps"
            r = ratio(case, h.by_key, metric)
            row["ratio"] = _n(100 * r, 0, "%") if r is not None else "–"
        row["targets"] = _checks_text(evaluate(case, h.by_key))
        out.append(row)
    return out


def _machine(r: dict) -> float | None:
    """The whole machine's CPU over an e2e round: pelaporan's own plus the rest (% of one core)."""
    return None if r.get("others") is None or r.get("cpu") is None else r["cpu"] + r["others"]


def details(h: Any) -> list[str]:
    """What the table cannot show: per-case notes and the e2e and relay particulars, per round."""
    out = []
    for case in h.cases:
        if case.unavailable or case.kind == "report":
            continue
        text = f"**{case.title}**: {case.note}" if case.note else ""
        errors = [e for r in case.rounds for e in r.get("first_errors") or []]
        if errors:
            text += f"{'; ' if text else ''}first error answers: " + " / ".join(
                f"`{e[:160].replace('|', '/').replace('`', '')}`" for e in errors[:3])
        if case.kind == "e2e":
            for i, r in enumerate(case.rounds, 1):
                text += (f"{'; ' if text else ''}round {i}: sent {r.get('sent')}, skipped {r.get('skipped')} "
                         f"(client at 256 in flight), acknowledged {r.get('acked')}, failed {r.get('failed') or 0}, "
                         f"visible {r.get('visible')}, lost {r.get('lost')}; create p50/p99 "
                         f"{_n(r.get('create_p50_ms'), 1)}/{_n(r.get('create_p99_ms'), 1)} ms; poll every "
                         f"{_n(r.get('poll_interval_ms'), 1)} ms; CPU pelaporan {_n(r.get('cpu'), 0)}%, registrasi "
                         f"{_n(r.get('cpu_registrasi'), 0)}%, the client {_n(r.get('client_cpu'), 0)}%, the whole "
                         f"machine {_n(_machine(r), 0)}% of {100 * (os.cpu_count() or 1)}%")
        if case.kind == "relay":
            for i, r in enumerate(case.rounds, 1):
                text += (f"; round {i}: {r.get('published'):,} of {r.get('backlog'):,} published in "
                         f"{_n(r.get('seconds'), 2)} s, batch {r.get('batch_size')}, "
                         f"COPY took {_n(r.get('fill_s'), 1)} s")
        if text:
            out.append(text)
    return out


def console_table(h: Any) -> str:
    header = (f"{'case':<38} {'rate':>9} {'unit':<9} {'p50ms':>7} {'p99ms':>7} {'err':>5} {'CPU':>5} {'wait':>5} {'rest':>5} {'RSS':>5}  "
              f"{'baseline':<11} {'b.rate':>9} {'b.p50':>6} {'b.p99':>6} {'ratio':>6}  targets")
    lines = ["", "=" * len(header), header, "-" * len(header)]
    for row in rows(h):
        if "na" in row:
            lines.append(f"{row['case']:<38} not available: {row['na'][:150]}")
            continue
        lines.append(f"{row['case']:<38} {row['rate']:>9} {row['unit']:<9} {row['p50']:>7} {row['p99']:>7} "
                     f"{row['errors']:>5} {row['cpu']:>5} {row['wait']:>5} {row['others']:>5} {row['rss']:>5}  {row.get('base', ''):<11} "
                     f"{row.get('b_rate', ''):>9} {row.get('b_p50', ''):>6} {row.get('b_p99', ''):>6} "
                     f"{row.get('ratio', ''):>6}  {row['targets']}")
    report = h.by_key.get("report")
    if report is not None:
        if report.unavailable:
            lines.append(f"{report.title:<38} not available: {report.unavailable[:150]}")
        else:
            for e in h.report.get("sizes", []):
                lines.append(f"annual report {e['events']:>11,} events    JSON {_sec(e.get('json'))}  "
                             f"PDF {_sec(e.get('pdf'))}")
            lines.append(f"{'':<38} {_checks_text(evaluate_report(h.report))}")
    lines.append("-" * len(header))
    for service, m in h.memory.items():
        checks = [c for s, c in evaluate_memory(h.memory) if s == service]
        lines.append(f"memory {service:<31} idle {_n(m.get('idle_start'), 0)} MB, after load "
                     f"{_n(m.get('idle_loaded'), 0)} MB, peak {_n(m.get('peak'), 0)} MB   {_checks_text(checks)}")
    lines.append("=" * len(header))
    lines += [line.replace("**", "") for line in details(h) if "round" in line]
    return "\n".join(lines)


def _sec(entry: dict | None) -> str:
    if not entry:
        return "–"
    if entry.get("error"):
        return f"error {entry['error'][:60]}"
    return f"cold {_n(entry.get('cold_s'), 3)} s / warm {_n(entry.get('warm_s'), 3)} s ({_n(entry.get('bytes'))} B)"


# ---------------------------------------------------------------------------------------------- the document

def machine() -> dict[str, str]:
    info = {"cores": str(os.cpu_count()), "kernel": platform.release()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory"] = f"{int(line.split()[1]) / 1_048_576:.1f} GiB"
        info["load average at the end"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        pass
    return info


def write_doc(h: Any, path: Path) -> None:
    s = h.s
    out: list[str] = []
    w = out.append
    w("# Performance")
    w("")
    w("<!-- Generated by `python -m bench.run`; do not edit by hand: run the harness again. -->")
    w("")
    if s.quick or s.only:
        w(f"> **{'Quick run' if s.quick else 'Partial run'}** ({'1 round, short durations' if s.quick else ''}"
          f"{', only: ' + ' '.join(s.only) if s.only else ''}): it proves the harness, the figures are not the "
          "ones to judge by. The full run is the command below without `--quick`.")
        w("")
    w("## How to run")
    w("")
    w("```")
    w("bash scripts/system-deps.sh                    # wrk etc. (Debian), installed only when missing")
    w(".venv/bin/python -m bench.run                  # full run: 5 interleaved rounds, 10 s per case (~35 min)")
    w(".venv/bin/python -m bench.run --quick          # 1 round, 3 s per case, small data (~5 min)")
    w(".venv/bin/python -m bench.run --only 'registrasi.*' e2e --rounds 3   # some cases (--help lists all)")
    w("```")
    w("")
    w("Case keys: `bare`, `raw_read`, `raw_write`, `raw_produce`, `<service>.read`, `<service>.list`, "
      "`<service>.create`, `pokja.formation`, `relay`, `e2e`, `report` (a case brings its baseline along). "
      "`--json FILE` also writes the raw figures; `BENCH_KEEP=1` keeps the work directory, the logs and the raw py-spy stacks.")
    w("")
    w(f"This document came from: `{s.command}`  ")
    w(f"Started {h.started:%Y-%m-%d %H:%M} UTC, finished {h.finished:%H:%M} UTC; {s.rounds} round(s), "
      f"{s.duration:g} s per wrk run, {s.connections} connections, {s.threads} wrk threads.")
    w("")
    w("## Machine and versions")
    w("")
    w("| | |")
    w("|---|---|")
    for k, v in machine().items():
        w(f"| {k} | {v} |")
    for k, v in h.versions.items():
        w(f"| {k} | {v} |")
    w("")
    w("Everything runs on this one machine: PostgreSQL, the broker, the four services (one uvicorn worker each), "
      "the baseline app, wrk and the harness share its cores. Only figures from the same run are comparable: "
      "the ratios are the point, the absolute numbers move with the machine's other load.")
    w("")
    w("## Results, baselines side by side")
    w("")
    w("Medians over the rounds. Rate: requests/s (wrk), messages/s (raw produce), events/s (relay), creates/s "
      "achieved (e2e, where p50/p99 are the lag). CPU: of the process under test, % of one core, over the run. "
      "Wait: how long its threads were ready to run but waited for a core (the kernel's schedstat), % of the run: "
      "while its one event loop waits, every request in flight waits with it. Rest: the CPU of everything else "
      "on the machine over the same run (PostgreSQL, the broker, the other services and their consumers, wrk), "
      "% of one core, from /proc/stat: of the machine's 200%, what the process under test did not have. "
      "RSS: its peak during the run, MB. Errors: non-2xx answers and socket errors, all rounds.")
    w("")
    w("| Case | Rate | p50 ms | p99 ms | Errors | CPU | Wait | Rest | Peak RSS | Baseline | Baseline rate | "
      "Baseline p50 | Baseline p99 | Ratio | Targets |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|")
    for row in rows(h):
        if "na" in row:
            w(f"| {row['case']} | not available: {row['na'].replace('|', '/')} | | | | | | | | | | | | | |")
            continue
        w(f"| {row['case']} | {row['rate']} {row['unit']} | {row['p50']} | {row['p99']} | {row['errors']} | "
          f"{row['cpu']} | {row['wait']} | {row['others']} | {row['rss']} MB | {row.get('base', '–')} | "
          f"{row.get('b_rate', '–')} | "
          f"{row.get('b_p50', '–')} | {row.get('b_p99', '–')} | {row.get('ratio', '–')} | {row['targets']} |")
    w("")
    for line in details(h):
        w(f"- {line}")
    w("")
    _report_section(h, w)
    _memory_section(h, w)
    _targets_section(h, w)
    _profiles_section(h, w)
    _method_section(h, w)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n")


def _report_section(h: Any, w: Any) -> None:
    case = h.by_key.get("report")
    if case is None:
        return
    w("## Annual report: time against size")
    w("")
    if case.unavailable:
        w(f"Not available: {case.unavailable}")
        w("")
        return
    load = h.report.get("load", {})
    w(f"{case.note}. Consumers applied {load.get('events', 0):,} events at {load.get('rate', 0):,.0f} events/s "
      f"(outcomes {load.get('outcomes')}).")
    w("")
    if h.report.get("warning"):
        w(f"**Warning**: {h.report['warning']}.")
        w("")
    w("| Events | Read-model rows | Fill (s) | JSON cold (s) | JSON warm (s) | JSON bytes | PDF cold (s) | "
      "PDF warm (s) | PDF bytes | Peak RSS (MB) |")
    w("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for e in h.report.get("sizes", []):
        j, p = e.get("json") or {}, e.get("pdf") or {}
        w(f"| {e['events']:,} | {sum(e['rows'].values()):,} | {e['fill_s']:.1f} | {_n(j.get('cold_s'), 3)} | "
          f"{_n(j.get('warm_s'), 3)} | {_n(j.get('bytes'))} | {_n(p.get('cold_s'), 3)} | {_n(p.get('warm_s'), 3)} | "
          f"{_n(p.get('bytes'))} | {_n(max(j.get('peak_rss') or 0, p.get('peak_rss') or 0), 0)} |")
        for fmt, entry in (("JSON", j), ("PDF", p)):
            if entry.get("error"):
                w(f"|  | {fmt} error: {entry['error'].replace('|', '/')[:200]} |||||||||")
    w("")
    w(_checks_text(evaluate_report(h.report)))
    w("")


def _memory_section(h: Any, w: Any) -> None:
    w("## Memory (RSS) of each service")
    w("")
    w("| Service | Idle after start (MB) | Idle after data load (MB) | Peak under load (MB) | Targets |")
    w("|---|---:|---:|---:|---|")
    checks = evaluate_memory(h.memory)
    for service, m in h.memory.items():
        w(f"| {service} | {_n(m.get('idle_start'), 0)} | {_n(m.get('idle_loaded'), 0)} | {_n(m.get('peak'), 0)} | "
          f"{_checks_text([c for s, c in checks if s == service])} |")
    w("")


def _targets_section(h: Any, w: Any) -> None:
    w("## Targets (issue 9)")
    w("")
    w("| Target | Case | Met | Measured |")
    w("|---|---|:---:|---|")
    for case in h.cases:
        if case.kind == "report" or case.key in ("bare", "raw_read", "raw_write", "raw_produce"):
            continue
        if case.unavailable:
            w(f"| {TARGET_TEXT.get(case.key.split('.')[-1], '–')} | {case.title} | – | not available |")
            continue
        for label, ok, measured in evaluate(case, h.by_key):
            w(f"| {label} | {case.title} | {'✓' if ok else '✗'} | {measured} |")
    for label, ok, measured in evaluate_report(h.report):
        w(f"| {label} | annual report | {'✓' if ok else '✗'} | {measured} |")
    for service, (label, ok, measured) in evaluate_memory(h.memory):
        w(f"| {label} | memory: {service} | {'✓' if ok else '✗'} | {measured} |")
    w("")


def _profiles_section(h: Any, w: Any) -> None:
    w("## Profile hints for the cases that miss a target")
    w("")
    if not h.s.profile:
        w("Profiling was switched off (`--no-profile`).")
        w("")
        return
    if not h.profiles:
        w("No wrk case missed a target, or none was measured, so nothing was profiled.")
        w("")
        return
    w("py-spy sampled the service process (200 Hz, non-blocking, only while it held the GIL, i.e. ran Python) "
      "while wrk ran the same load again. *Self*: where the sample was taken (the leaf), by library or module and "
      "by function. *Inclusive*: the share of samples with that library, module or own function anywhere on the "
      "stack (leaving out what is on every request's stack: the event loop, uvicorn, FastAPI/Starlette routing, "
      "the platform middleware).")
    w("")
    for key, prof in h.profiles.items():
        title = h.by_key[key].title
        w(f"### {title}")
        w("")
        if prof.get("error") or not prof.get("samples"):
            w(f"No profile: {prof.get('error') or 'no samples'}")
            w("")
            continue
        w(f"{prof['samples']:,} samples.")
        w("")
        w("- self, by library or module: " + ", ".join(f"{m} {p:.0f}%" for m, p in prof.get("self_lib", [])))
        w("- self, hottest functions: " + ", ".join(f"`{m}` {p:.0f}%" for m, p in prof["self"]))
        w("- inclusive, by library or module: " + ", ".join(f"{m} {p:.0f}%" for m, p in prof["modules"]))
        w("- inclusive, own functions: " + (", ".join(f"`{m}` {p:.0f}%" for m, p in prof["own"]) or "–"))
        w("")


def _method_section(h: Any, w: Any) -> None:
    w("## What each case measures, and how")
    w("")
    w("- **Stack**: embedded PostgreSQL 18 in a temporary directory, Tansu on a free loopback port, every "
      "service's migrations, every contract topic (3 partitions), then each service started with "
      "`ukpbj serve <svc> --port <free port>` (the containers' command: migrations, then uvicorn with one "
      "worker, uvloop, httptools) with all its middleware (auth, metrics, request log, security headers).")
    w("- **Baselines** (`bench/baselines.py`, its own uvicorn process, same uvicorn/uvloop/httptools, database "
      "`bench_baseline` with the platform's outbox table and index as the migrations leave them): *bare* returns a constant "
      "JSON; *raw read* reads one row of 10 columns by primary key through an asyncpg pool of 10; *raw write* "
      "inserts a row and an outbox row in one transaction; *raw produce* (`bench/produce.py`, a process of its "
      "own) sends 1 KB messages with the relay's own producer settings (acks=all) in batches of 500.")
    w("- **HTTP cases**: wrk (Debian) with `bench/wrk/bench.lua`: bearer token of the role the contract names, "
      "POST bodies rendered per request with unique valid data (NPWP with Luhn digit, NIB, NIK, NIP per "
      "DOMAIN.md), latency percentiles from wrk's `done()`. A case whose route is missing or whose probe request "
      "fails is reported as *not available* with the reason, and the run goes on.")
    w("- **Rounds**: each round runs every baseline and case once, the order reversed every other round; before "
      "each run the harness waits until every outbox is drained and pelaporan's inbox stops growing.")
    w("- **An empty broker for the cases that write events**: each create case and the e2e case start on a "
      "restarted, empty Tansu (`BenchStack.restart_broker`), then wait until a short run of the case itself (e2e: "
      "a few creates) went all the way into pelaporan and everything settled. Tansu's memory storage walks a "
      "partition's stored batches on every fetch, so without it the broker's and pelaporan's CPU per event grew "
      "with whatever earlier cases had left (for a helpdesk create 307 + 263 us, against 147 + 176 us on an "
      "empty broker), on the two cores the service itself needs; Apache Kafka finds an offset through its index.")
    w("- **Outbox relay**: see its note in the table; the relay's batch size is the services' `relay_batch_size`.")
    w("- **End-to-end lag** (`bench/e2e.py`, a process of its own): creates at a fixed rate, open loop; the "
      "k-th acknowledged create counts as visible at the end of the first poll of pelaporan's indicator whose "
      "count reached baseline + k (FIFO matching by count; the poll interval bounds the resolution). Lost = "
      "acknowledged creates not counted after a 30 s drain. Each round's note gives the CPU of pelaporan, "
      "registrasi, the client and the whole machine: every hop of an event (the create's commit, the relay, the "
      "broker, pelaporan's consumer, the poll) waits for a core, so the lag follows how busy the cores are as much "
      "as the code; the client (`bench/httpmini.py`) builds its requests before the clock starts.")
    w("- **Annual report**: see its section; data goes in through pelaporan's own consumer code, then SQL.")
    w("- **Memory**: RSS of each service 2 s after it became ready, again after the data load, and the peak seen "
      "(sampled every 0.2 s) over all cases.")
    w("")
    w("Data loaded before the cases: through each service's public API (POST, 16 concurrent clients), except "
      "pelaporan, which has no create and gets its data as in production, from events on the broker; the outbox "
      "backlog and the annual report's read models go in by SQL (COPY / INSERT ... SELECT), as said above. The "
      "create cases add their own rows on top:")
    w("")
    for note in h.load_notes or ["nothing (no selected case needed data)"]:
        w(f"- {note}")
    w("")
    if h.failures:
        w("Harness errors (a case failed; the others ran):")
        w("")
        w("```")
        for f in h.failures:
            w(f)
        w("```")
        w("")
