import re
import subprocess

import pytest

from tests.deploy.promql import DEPLOY, load_yaml, rule_expressions
from tests.deploy.stack import PROMETHEUS_DIR, promtool

RULE_FILES = sorted((PROMETHEUS_DIR / "rules").glob("*.yml"))
TEST_FILES = sorted((PROMETHEUS_DIR / "tests").glob("*.yml"))
REQUIRED_ALERTS = {
    "ErrorBudgetBurnFast",
    "ErrorBudgetBurnSlow",
    "ServiceDown",
    "ReadinessFailing",
    "OutboxBacklogOld",
    "ConsumerLagHigh",
    "DeadLetters",
    "HelpdeskSlaBreach",
}
# SRE workbook pairs for a 30-day window: (window, burn-rate factor).
BURN_RATE_WINDOWS = {
    "ErrorBudgetBurnFast": {("5m", 14.4), ("1h", 14.4), ("30m", 6.0), ("6h", 6.0)},
    "ErrorBudgetBurnSlow": {("2h", 3.0), ("1d", 3.0), ("6h", 1.0), ("3d", 1.0)},
}


def alerts() -> dict[str, dict]:
    found = {}
    for path in RULE_FILES:
        for group in load_yaml(path)["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    found[rule["alert"]] = rule
    return found


def records() -> set[str]:
    return {e.where for e in rule_expressions() if e.kind == "record"}


def run(*args: str):
    result = subprocess.run([promtool(), *args], check=False, capture_output=True, text=True, cwd=PROMETHEUS_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_promtool_accepts_the_configuration_and_the_rule_files_it_loads():
    output = run("check", "config", "prometheus.yml").stdout
    assert f"{len(RULE_FILES)} rule files found" in output


def test_promtool_accepts_every_rule_file():
    run("check", "rules", *[str(p) for p in RULE_FILES])


def test_promtool_rule_unit_tests_pass():
    assert TEST_FILES
    run("test", "rules", *[str(p) for p in TEST_FILES])


def test_every_required_alert_exists():
    assert REQUIRED_ALERTS <= set(alerts())


def test_every_alert_is_unit_tested_firing_and_silent():
    firing, silent = set(), set()
    for path in TEST_FILES:
        for test in load_yaml(path)["tests"]:
            for case in test.get("alert_rule_test", []):
                (firing if case.get("exp_alerts") else silent).add(case["alertname"])
    for name in alerts():
        assert name in firing, f"no test shows {name} firing"
        assert name in silent, f"no test shows {name} staying silent"


@pytest.mark.parametrize("name", sorted(BURN_RATE_WINDOWS))
def test_burn_rate_alerts_pair_the_workbook_windows_and_factors(name):
    expr = alerts()[name]["expr"]
    pairs = re.findall(r"slo:sli_error:ratio_rate(\w+) > \(([\d.]+) \* 0\.005\)", expr)
    assert {(window, float(factor)) for window, factor in pairs} == BURN_RATE_WINDOWS[name]


def test_every_sli_window_has_a_recording_rule():
    windows = ("5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d")
    assert {f"slo:sli_error:ratio_rate{w}" for w in windows} <= records()
    assert {
        "slo:current_burn_rate:ratio",
        "slo:period_burn_rate:ratio",
        "slo:period_error_budget_remaining:ratio",
    } <= records()


def runbook_anchors() -> set[str]:
    text = (DEPLOY / "README.md").read_text(encoding="utf-8")
    explicit = set(re.findall(r'<a (?:id|name)="([^"]+)"', text))
    headings = {
        re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-")
        for h in re.findall(r"^#+\s+(.+)$", text, re.MULTILINE)
    }
    return explicit | headings


@pytest.mark.parametrize("name", sorted(alerts()))
def test_alert_has_bilingual_annotations_and_a_runbook_in_the_operator_guide(name):
    rule = alerts()[name]
    annotations = rule["annotations"]
    assert " / " in annotations["summary"], "summary: 'Indonesian / English'"
    assert "ID:" in annotations["description"] and "EN:" in annotations["description"]
    path, _, anchor = annotations["runbook_url"].partition("#")
    assert path == "deploy/README.md"
    assert anchor in runbook_anchors(), f"no #{anchor} in deploy/README.md"
    assert rule["labels"]["severity"] in ("page", "ticket")
