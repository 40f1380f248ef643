"""Every PromQL expression of the deployment: dashboard targets and rule-file expressions.

Used by the deploy tests (syntax, known metric names) and, against a running stack, to check
that each expression returns data:

    python -m tests.deploy.promql                                # list them, one JSON per line
    python -m tests.deploy.promql --prometheus http://127.0.0.1:9090   # evaluate; exit 1 if any is empty
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
DASHBOARDS_DIR = DEPLOY / "grafana" / "dashboards"
RULES_DIR = DEPLOY / "prometheus" / "rules"

# Grafana's built-in interval variables, should a dashboard use them: replaced by fixed
# windows so the expression can be sent to Prometheus as it is.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h"}

_METRIC = re.compile(r"(?<![\w:\"'])((?:ukpbj|starlette)_[a-z0-9_]+|(?:slo|ukpbj):[a-z0-9_:]+|up)(?![\w:(])")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"' r"|'(?:[^'\\]|\\.)*'")


@dataclass(frozen=True)
class Expression:
    """One PromQL expression and where it lives."""

    kind: str  # "dashboard", "record" or "alert"
    source: str  # file path relative to the repository root
    where: str  # panel/target, or rule name
    expr: str


def load_yaml(path: Path) -> Any:
    """Parse a YAML file with ruamel.yaml (locked already, as check-jsonschema's YAML parser)."""
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def iter_panels(panels: Iterable[dict]) -> Iterator[dict]:
    """Yield every panel, including those nested in rows."""
    for panel in panels:
        yield panel
        yield from iter_panels(panel.get("panels", []))


def dashboard_expressions(directory: Path = DASHBOARDS_DIR) -> list[Expression]:
    """The `expr` of every target of every panel of every dashboard JSON file."""
    found = []
    for path in sorted(directory.glob("*.json")):
        dashboard = json.loads(path.read_text(encoding="utf-8"))
        for panel in iter_panels(dashboard.get("panels", [])):
            for target in panel.get("targets", []):
                if target.get("expr", "").strip():
                    where = f"{dashboard.get('uid')} / {panel.get('title')} / {target.get('refId')}"
                    found.append(Expression("dashboard", _relative(path), where, target["expr"].strip()))
    return found


def rule_expressions(directory: Path = RULES_DIR) -> list[Expression]:
    """The `expr` of every recording and alerting rule of every rule file."""
    found = []
    for path in sorted(directory.glob("*.yml")):
        for group in load_yaml(path)["groups"]:
            for rule in group["rules"]:
                kind = "alert" if "alert" in rule else "record"
                found.append(Expression(kind, _relative(path), rule[kind], str(rule["expr"]).strip()))
    return found


def all_expressions() -> list[Expression]:
    """Dashboard expressions first, then rule expressions."""
    return dashboard_expressions() + rule_expressions()


def runnable(expr: str) -> str:
    """The expression with Grafana variables replaced, ready for the Prometheus query API."""
    for variable, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(variable, value)
    return expr


def metric_names(expr: str) -> set[str]:
    """Names of the UKPBJ, starlette, SLO and `up` series an expression reads."""
    return set(_METRIC.findall(_STRING.sub('""', expr)))


def query(prometheus_url: str, expr: str, timeout: float = 30.0) -> list[dict]:
    """Evaluate an instant query; return Prometheus' result list (raises on an API error)."""
    data = urllib.parse.urlencode({"query": runnable(expr)}).encode()
    url = prometheus_url.rstrip("/") + "/api/v1/query"
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=timeout) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"{expr!r}: {body}")
    return body["data"]["result"]


def empty_expressions(prometheus_url: str, expressions: Iterable[Expression]) -> list[Expression]:
    """The expressions that return no series (alert expressions are expected to be empty)."""
    return [e for e in expressions if e.kind != "alert" and not query(prometheus_url, e.expr)]


def _relative(path: Path) -> str:
    return str(path.resolve().relative_to(REPO))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prometheus", help="base URL of a Prometheus that scrapes a running stack")
    args = parser.parse_args(argv)
    expressions = all_expressions()
    if not args.prometheus:
        for expression in expressions:
            print(json.dumps(asdict(expression), ensure_ascii=False))
        return 0
    empty = empty_expressions(args.prometheus, expressions)
    for expression in empty:
        print(f"EMPTY {expression.source} [{expression.where}]: {expression.expr}")
    checked = sum(1 for e in expressions if e.kind != "alert")
    print(f"{checked - len(empty)} of {checked} expressions returned data")
    return 1 if empty else 0


if __name__ == "__main__":
    sys.exit(main())
