import json
import subprocess

import pytest

from tests.deploy.promql import (
    DASHBOARDS_DIR,
    dashboard_expressions,
    iter_panels,
    load_yaml,
    metric_names,
    rule_expressions,
    runnable,
)
from tests.deploy.stack import GRAFANA_DIR, promtool

DASHBOARD_FILES = sorted(DASHBOARDS_DIR.glob("*.json"))
# What the services expose (the metrics convention) plus Prometheus' own `up`.
SERVICE_METRICS = {
    "up",
    "starlette_requests_total",
    "starlette_request_duration_seconds_bucket",
    "starlette_request_duration_seconds_sum",
    "starlette_request_duration_seconds_count",
    "starlette_requests_in_progress",
    "ukpbj_dependency_ready",
    "ukpbj_outbox_backlog",
    "ukpbj_outbox_oldest_unpublished_age_seconds",
    "ukpbj_events_published_total",
    "ukpbj_outbox_publish_failures_total",
    "ukpbj_events_consumed_total",
    "ukpbj_events_dead_lettered_total",
    "ukpbj_consumer_lag",
    "ukpbj_consumer_last_poll_age_seconds",
    "ukpbj_registrasi_antrean_verifikasi",
    "ukpbj_registrasi_antrean_tertua_detik",
    "ukpbj_pokja_aktif",
    "ukpbj_pokja_dibentuk_total",
    "ukpbj_helpdesk_tiket_terbuka",
    "ukpbj_helpdesk_sla_terlampaui_total",
    "ukpbj_helpdesk_sla_kepatuhan_rasio",
    "ukpbj_helpdesk_eskalasi_total",
}
# Each dashboard and the series it must show.
DASHBOARD_CONTENT = {
    "ukpbj-availability": {
        "up",
        "slo:sli_error:ratio_rate30d",
        "slo:period_error_budget_remaining:ratio",
        "starlette_request_duration_seconds_bucket",
        "ukpbj_dependency_ready",
    },
    "ukpbj-event-pipeline": {
        "ukpbj_outbox_backlog",
        "ukpbj_outbox_oldest_unpublished_age_seconds",
        "ukpbj_events_published_total",
        "ukpbj_events_consumed_total",
        "ukpbj_consumer_lag",
        "ukpbj_events_dead_lettered_total",
    },
    "ukpbj-operations": {
        "ukpbj_registrasi_antrean_verifikasi",
        "ukpbj_registrasi_antrean_tertua_detik",
        "ukpbj_pokja_aktif",
        "ukpbj_pokja_dibentuk_total",
        "ukpbj_helpdesk_tiket_terbuka",
        "ukpbj_helpdesk_sla_kepatuhan_rasio",
        "ukpbj_helpdesk_sla_terlampaui_total",
        "ukpbj_helpdesk_eskalasi_total",
    },
}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def provisioned_datasource_uids() -> set[str]:
    uids = set()
    for path in (GRAFANA_DIR / "provisioning" / "datasources").glob("*.yml"):
        uids |= {ds["uid"] for ds in load_yaml(path)["datasources"]}
    return uids


def datasource_references(node):
    """Every `datasource` value anywhere in a dashboard."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "datasource":
                yield value
            else:
                yield from datasource_references(value)
    elif isinstance(node, list):
        for item in node:
            yield from datasource_references(item)


def test_the_three_dashboards_exist_with_unique_uids():
    uids = [load(path)["uid"] for path in DASHBOARD_FILES]
    assert sorted(uids) == sorted(DASHBOARD_CONTENT)
    for path in DASHBOARD_FILES:
        assert path.stem == load(path)["uid"]


@pytest.mark.parametrize("path", DASHBOARD_FILES, ids=lambda p: p.stem)
def test_every_panel_has_a_prometheus_query(path):
    for panel in iter_panels(load(path)["panels"]):
        if panel["type"] == "row":
            continue
        exprs = [t.get("expr", "").strip() for t in panel.get("targets", [])]
        assert any(exprs), f"panel {panel.get('title')!r} has no query"
        assert all(exprs), f"panel {panel.get('title')!r} has an empty query"


@pytest.mark.parametrize("path", DASHBOARD_FILES, ids=lambda p: p.stem)
def test_every_datasource_reference_is_the_provisioned_one(path):
    uids = provisioned_datasource_uids()
    references = list(datasource_references(load(path)))
    assert references
    for reference in references:
        assert isinstance(reference, dict), f"datasource by name: {reference!r}"
        assert reference["type"] == "prometheus"
        assert reference["uid"] in uids


@pytest.mark.parametrize("uid", sorted(DASHBOARD_CONTENT))
def test_dashboard_shows_what_it_is_for(uid):
    shown = set().union(*(metric_names(e.expr) for e in dashboard_expressions() if e.where.startswith(uid + " ")))
    assert DASHBOARD_CONTENT[uid] <= shown


def test_every_expression_reads_only_exposed_or_recorded_series():
    known = SERVICE_METRICS | {e.where for e in rule_expressions() if e.kind == "record"}
    for expression in dashboard_expressions() + rule_expressions():
        unknown = metric_names(expression.expr) - known
        assert not unknown, f"{expression.source} [{expression.where}] reads unknown {sorted(unknown)}"


def test_every_dashboard_expression_is_valid_promql(tmp_path):
    expressions = dashboard_expressions()
    rules = [{"record": f"dashboard:check_{i}", "expr": runnable(e.expr)} for i, e in enumerate(expressions)]
    rule_file = tmp_path / "dashboards.yml"  # JSON is YAML
    rule_file.write_text(json.dumps({"groups": [{"name": "dashboards", "rules": rules}]}), encoding="utf-8")
    result = subprocess.run([promtool(), "check", "rules", str(rule_file)], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(expressions)} rules found" in result.stdout
