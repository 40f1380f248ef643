import asyncio
import json
import shutil
import subprocess
import time
import urllib.request

import httpx
import pytest

from shared.cli import SERVICES
from shared.devstack import free_port
from tests.conftest import auth
from tests.deploy import promql
from tests.support.data import penyedia_unik

pytestmark = pytest.mark.e2e


def rules_for_test(rules_dir, out_dir):
    """The repo's rule files with every group evaluated each second, so a short test sees them all."""
    import re

    out_dir.mkdir()
    for path in sorted(rules_dir.glob("*.yml")):
        (out_dir / path.name).write_text(re.sub(r"(?m)^(\s+)interval: .*$", r"\1interval: 1s", path.read_text()))
    return out_dir


def prometheus_config(stack, rules_dir) -> str:
    jobs = "\n".join(
        f"  - job_name: {name}\n    metrics_path: /metrics\n    static_configs:\n"
        f"      - targets: ['127.0.0.1:{stack.ports[name]}']" for name in SERVICES)
    rules = "\n".join(f"  - {path}" for path in sorted(rules_dir.glob("*.yml")))
    return (f"global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n{rules}\n"
            f"scrape_configs:\n{jobs}\n")


async def serve_traffic(stack, seconds: float) -> None:
    staff = auth("kepala_ukpbj", "admin_ukpbj", "verifikator", "helpdesk", "kasubbag_lpse")
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(timeout=10) as client:
        for i in range(3):
            created = await client.post(stack.base("registrasi") + "/api/v1/pendaftaran",
                                        json=penyedia_unik())
            assert created.status_code == 201, created.text
        while time.monotonic() < deadline:
            for name in SERVICES:
                base = stack.base(name)
                await client.get(base + "/openapi.json")
                await client.get(base + "/api/v1/tidak-ada", headers=staff)
                spec = (await client.get(base + "/openapi.json")).json()
                for path, item in list(spec["paths"].items())[:12]:
                    if "get" in item and "{" not in path:
                        await client.get(base + path, headers=staff)
            await asyncio.sleep(0.2)


@pytest.fixture(scope="module")
def prometheus_binary():
    binary = shutil.which("prometheus")
    assert binary, "Debian's prometheus package is required (scripts/system-deps.sh installs it)"
    return binary


async def test_every_dashboard_and_rule_expression_returns_data_from_a_real_prometheus(
        fullstack, prometheus_binary, tmp_path):
    config = tmp_path / "prometheus.yml"
    config.write_text(prometheus_config(fullstack, rules_for_test(promql.RULES_DIR, tmp_path / "rules")))
    port = free_port()
    proc = subprocess.Popen([prometheus_binary, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
                             f"--web.listen-address=127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=open(tmp_path / "prometheus.log", "wb"))
    url = f"http://127.0.0.1:{port}"
    try:
        await serve_traffic(fullstack, 25)
        expressions = promql.all_expressions()
        empty = promql.empty_expressions(url, expressions)
        assert not empty, "expressions returning no data:\n" + "\n".join(
            f"{e.source} [{e.where}]: {e.expr}" for e in empty)
        for expression in (e for e in expressions if e.kind == "alert"):
            promql.query(url, expression.expr)
            for metric in promql.metric_names(expression.expr):
                if ":" not in metric:
                    assert promql.query(url, f"count({metric})"), f"{expression.where} reads {metric}: no series"
    finally:
        proc.terminate()
        proc.wait(10)


def read_netlog(path) -> dict:
    """Chromium's net log; a log cut off at exit lacks its closing brackets."""
    text = path.read_text().rstrip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return json.loads(text.rstrip(",") + "]}")


def page_requests(log: dict, origin: str) -> list[str]:
    """URLs of every request made by the loaders the page used (Chromium's own update and account
    checks use other traffic annotations and are not the page's)."""
    alive = [(e["params"]["traffic_annotation"], e["params"]["url"]) for e in log.get("events", [])
             if "traffic_annotation" in (e.get("params") or {}) and "url" in e["params"]]
    page_loaders = {annotation for annotation, url in alive if url.startswith(origin)}
    return [url for annotation, url in alive if annotation in page_loaders]


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError("Debian's chromium package is required (scripts/system-deps.sh installs it)")


@pytest.mark.parametrize("service", list(SERVICES))
def test_the_docs_render_every_operation_offline_and_nothing_leaves_localhost(fullstack, tmp_path, service):
    netlog = tmp_path / "netlog.json"
    url = fullstack.base(service) + "/docs"
    result = subprocess.run(
        [chromium_binary(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profil'}", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
         "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1",
         f"--log-net-log={netlog}", "--virtual-time-budget=15000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120)
    dom = result.stdout
    spec = json.load(urllib.request.urlopen(fullstack.base(service) + "/openapi.json"))
    operations = [(method, path) for path, item in spec["paths"].items() for method in item]
    assert "swagger-ui" in dom and 'class="opblock' in dom, dom[:2000]
    for method, path in operations:
        assert f'data-path="{path}"' in dom, f"{method.upper()} {path} not rendered"
    requests = page_requests(read_netlog(netlog), origin=fullstack.base(service))
    assert any(u.endswith("/openapi.json") for u in requests) and any("swagger-ui-bundle" in u for u in requests)
    outside = [u for u in requests if not u.startswith("http://127.0.0.1:")]
    assert not outside, outside
