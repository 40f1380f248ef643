import json
import re

import pytest

from tests.deploy.promql import DEPLOY
from tests.deploy.stack import SERVICE_PORTS

DOCKERFILE = DEPLOY / "Dockerfile"


def stages() -> dict[str, list[tuple[str, str]]]:
    """Stage name -> its instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    result: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            match = re.match(r"(\S+)(?:\s+AS\s+(\S+))?", arguments.strip(), re.IGNORECASE)
            current = []
            result[match.group(2) or match.group(1)] = current
        current.append((keyword, arguments.strip()))
    return result


def instruction(stage: str, keyword: str) -> str:
    found = [arguments for kw, arguments in stages()[stage] if kw == keyword]
    assert found, f"stage {stage} has no {keyword}"
    return found[-1]


def exec_form(arguments: str) -> list[str]:
    value = json.loads(arguments)
    assert isinstance(value, list), f"not exec form: {arguments}"
    return value


@pytest.mark.parametrize("name", list(SERVICE_PORTS))
def test_service_stage_runs_exactly_the_dev_runner_command(name):
    from shared.cli import serve_command

    assert exec_form(instruction(name, "CMD")) == serve_command(name)


@pytest.mark.parametrize("name", list(SERVICE_PORTS))
def test_service_stage_serves_on_its_port_from_the_shared_base(name):
    port = SERVICE_PORTS[name]
    assert stages()[name][0] == ("FROM", f"base AS {name}")
    assert exec_form(instruction(name, "CMD")) == ["ukpbj", "serve", name, "--host", "0.0.0.0", "--port", str(port)]
    assert instruction(name, "EXPOSE") == str(port)
    assert not any(kw == "ENTRYPOINT" for stage in stages().values() for kw, _ in stage)


@pytest.mark.parametrize("name", list(SERVICE_PORTS))
def test_service_health_check_probes_readiness_with_python_only(name):
    healthcheck = instruction(name, "HEALTHCHECK")
    command = exec_form(healthcheck[healthcheck.index("CMD") + len("CMD") :].strip())
    assert command[:2] == ["python", "-c"]
    assert f"http://127.0.0.1:{SERVICE_PORTS[name]}/health/ready" in command[2]


def test_image_installs_the_lock_then_the_project_without_resolving_dependencies():
    runs = [arguments for kw, arguments in stages()["base"] if kw == "RUN"]
    lock = next(i for i, r in enumerate(runs) if "pip install --no-deps -r" in r and "requirements.lock" in r)
    project = next(i for i, r in enumerate(runs) if re.search(r"pip install --no-deps (?!-r)\S+", r))
    assert lock < project


def test_image_runs_as_an_unprivileged_user():
    user = instruction("base", "USER").split(":")[0]
    assert user not in ("root", "0")
