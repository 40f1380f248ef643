import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.deploy.promql import DEPLOY, REPO, load_yaml
from tests.deploy.stack import (
    COMPOSE_FILE,
    GRAFANA_DIR,
    PROMETHEUS_DIR,
    SERVICE_PORTS,
    SERVICES_WITH_DOCUMENTS,
    TOPIC_PARTITIONS,
)

SERVICES = list(SERVICE_PORTS)
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?+][^}]*)?\}")


def volumes_of(service: dict) -> list[dict]:
    """A service's volumes in long form: {type, source, target}."""
    out = []
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            out.append(volume)
            continue
        source, target = volume.split(":")[:2]
        kind = "bind" if source.startswith((".", "/", "~")) else "volume"
        out.append({"type": kind, "source": source, "target": target})
    return out


def env_files_of(service: dict) -> list[str]:
    env_file = service.get("env_file", [])
    entries = [env_file] if isinstance(env_file, str) else env_file
    return [e if isinstance(e, str) else e["path"] for e in entries]


def environment_of(service: dict) -> dict:
    """A service's environment with every ${VARIABLE} replaced by a sample value."""
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: INTERPOLATION.sub("sample", str(value)) for key, value in environment.items()}


def env_example_keys() -> set[str]:
    lines = (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines()
    return {line.split("=", 1)[0].strip() for line in lines if "=" in line and not line.lstrip().startswith("#")}


def mount_target(service: dict, source: str) -> str:
    """Where a bind-mounted repository path appears inside the container."""
    for volume in volumes_of(service):
        if volume["type"] == "bind" and (COMPOSE_FILE.parent / volume["source"]).resolve() == source:
            return volume["target"]
    raise AssertionError(f"{source} is not mounted")


def test_compose_file_validates_against_the_compose_specification():
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_depends_on_target_is_a_service(compose):
    for name, service in compose["services"].items():
        for target in service.get("depends_on", []):
            assert target in compose["services"], f"{name} depends on unknown service {target}"


def test_every_named_volume_is_declared(compose):
    declared = set(compose.get("volumes") or {})
    for name, service in compose["services"].items():
        for volume in volumes_of(service):
            if volume["type"] == "volume":
                assert volume["source"] in declared, f"{name} uses undeclared volume {volume['source']}"


def test_every_bind_mounted_path_exists_in_the_repository(compose):
    for name, service in compose["services"].items():
        for volume in volumes_of(service):
            if volume["type"] == "bind":
                path = (COMPOSE_FILE.parent / volume["source"]).resolve()
                assert path.exists(), f"{name} mounts missing {volume['source']}"
                assert path.is_relative_to(REPO), f"{name} mounts {volume['source']} from outside the repository"


def test_every_env_file_exists_or_is_made_from_a_committed_example(compose):
    ignored = (DEPLOY / ".gitignore").read_text(encoding="utf-8").splitlines()
    for name, service in compose["services"].items():
        for env_file in env_files_of(service):
            path = COMPOSE_FILE.parent / env_file
            if path.resolve() == (DEPLOY / ".env").resolve():
                assert (DEPLOY / ".env.example").is_file(), "deploy/.env needs deploy/.env.example"
                assert ".env" in ignored, "deploy/.env must be git-ignored"
            else:
                assert path.is_file(), f"{name} reads missing env_file {env_file}"


def test_every_interpolated_variable_is_documented_in_the_env_example():
    variables = set(INTERPOLATION.findall(COMPOSE_FILE.read_text(encoding="utf-8")))
    missing = variables - env_example_keys()
    assert not missing, f"not in deploy/.env.example: {sorted(missing)}"


def test_env_example_commits_no_secret():
    lines = (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines()
    for line in lines:
        key, _, value = line.partition("=")
        if "PASSWORD" in key and not key.lstrip().startswith("#"):
            assert value.strip() == "", f"{key} has a value in the example"


def test_every_build_context_dockerfile_and_target_exist(compose):
    for name, service in compose["services"].items():
        build = service.get("build")
        if build is None:
            continue
        context = (COMPOSE_FILE.parent / build["context"]).resolve()
        assert context.is_dir(), f"{name}: build context {build['context']} is missing"
        dockerfile = context / build.get("dockerfile", "Dockerfile")
        assert dockerfile.is_file(), f"{name}: {dockerfile} is missing"
        stages = re.findall(
            r"^FROM\s+\S+\s+AS\s+(\S+)", dockerfile.read_text(encoding="utf-8"), re.IGNORECASE | re.MULTILINE
        )
        assert build.get("target") in stages, f"{name}: no stage {build.get('target')} in {dockerfile}"


def test_every_image_is_pinned_to_a_version(compose):
    for name, service in compose["services"].items():
        if "image" not in service:
            continue
        _, _, tag = service["image"].rpartition(":")
        assert tag and tag != "latest" and re.search(r"\d+\.\d+", tag), f"{name}: {service['image']} is not pinned"


def test_topic_init_creates_every_topic_with_its_partition_count(compose):
    init = compose["services"]["kafka-init"]
    entries = environment_of(init)["KAFKA_TOPICS"].split()
    created = {name: int(partitions) for name, partitions in (entry.split(":") for entry in entries)}
    assert created == TOPIC_PARTITIONS
    assert environment_of(init)["KAFKA_REPLICATION_FACTOR"] == "1"


def test_every_topic_the_code_uses_is_created_with_the_code_partition_count(compose):
    from shared.devrunner import all_topics
    from shared.kafka import DEFAULT_PARTITIONS

    entries = environment_of(compose["services"]["kafka-init"])["KAFKA_TOPICS"].split()
    created = {name: int(partitions) for name, partitions in (entry.split(":") for entry in entries)}
    for topic in all_topics():
        assert created.get(topic) == DEFAULT_PARTITIONS, f"{topic} is not created with {DEFAULT_PARTITIONS} partitions"


def test_topics_are_created_only_after_the_broker_is_healthy_and_never_auto_created(compose):
    kafka = environment_of(compose["services"]["kafka"])
    assert kafka["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert compose["services"]["kafka-init"]["depends_on"]["kafka"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", SERVICES)
def test_service_runs_its_image_target_with_health_check_restart_and_ordered_start(compose, name):
    service = compose["services"][name]
    port = SERVICE_PORTS[name]
    assert service["build"]["context"] == ".."
    assert service["build"]["target"] == name
    assert service["restart"] == "unless-stopped"
    assert any(f"127.0.0.1:{port}/health/ready" in part for part in service["healthcheck"]["test"])
    assert any(str(mapping).endswith(f":{port}:{port}") for mapping in service["ports"])
    assert service["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "kafka": {"condition": "service_healthy"},
        "kafka-init": {"condition": "service_completed_successfully"},
    }


@pytest.mark.parametrize("name", SERVICES)
def test_service_environment_follows_the_settings_conventions(compose, name):
    service = compose["services"][name]
    environment = environment_of(service)
    kafka = environment_of(compose["services"]["kafka"])
    assert environment["UKPBJ_ENV"] == "production"
    assert environment["UKPBJ_KAFKA_ENABLE_IDEMPOTENCE"] == "true"
    assert f"PLAINTEXT://{environment['UKPBJ_KAFKA_BOOTSTRAP']}" in kafka["KAFKA_ADVERTISED_LISTENERS"]
    assert "UKPBJ_JWT_SECRET" not in environment
    for key in ("UKPBJ_JWT_JWKS_URL", "UKPBJ_JWT_ISSUER", "UKPBJ_JWT_AUDIENCE"):
        assert key in environment
    url = urlsplit(environment[f"{name.upper()}_DATABASE_URL"])
    assert (url.scheme, url.username, url.hostname, url.port, url.path) == (
        "postgresql+asyncpg",
        name,
        "postgres",
        5432,
        f"/{name}",
    )
    storage = environment.get(f"{name.upper()}_STORAGE_DIR")
    if name in SERVICES_WITH_DOCUMENTS:
        targets = {v["target"]: v for v in volumes_of(service)}
        assert storage in targets and targets[storage]["type"] == "volume", f"{name}: documents are not on a volume"
    else:
        assert storage is None


def test_postgres_init_script_creates_one_database_and_login_per_service(compose):
    postgres = compose["services"]["postgres"]
    script = DEPLOY / "postgres" / "init-databases.sh"
    assert mount_target(postgres, script.resolve()).startswith("/docker-entrypoint-initdb.d/")
    loop = re.search(r"^for service in (.+); do$", script.read_text(encoding="utf-8"), re.MULTILINE)
    assert loop and loop.group(1).split() == SERVICES
    assert {f"{name.upper()}_DB_PASSWORD" for name in SERVICES} <= env_example_keys()
    assert "POSTGRES_PASSWORD" in env_example_keys()
    assert env_files_of(postgres) == [".env"]
    assert any(v["target"] == "/var/lib/postgresql" for v in volumes_of(postgres)), "PostgreSQL 18+ data path"


def test_prometheus_scrapes_every_service_at_its_compose_address(compose):
    config = load_yaml(PROMETHEUS_DIR / "prometheus.yml")
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    for name, port in SERVICE_PORTS.items():
        assert name in compose["services"]
        targets = [t for sc in jobs[name]["static_configs"] for t in sc["targets"]]
        assert targets == [f"{name}:{port}"]
        assert jobs[name].get("metrics_path", "/metrics") == "/metrics"
    assert "prometheus" in jobs


def test_prometheus_loads_the_repository_config_and_rules_and_keeps_a_full_slo_window(compose):
    prometheus = compose["services"]["prometheus"]
    config_target = mount_target(prometheus, (PROMETHEUS_DIR / "prometheus.yml").resolve())
    rules_target = mount_target(prometheus, (PROMETHEUS_DIR / "rules").resolve())
    config = load_yaml(PROMETHEUS_DIR / "prometheus.yml")
    assert f"--config.file={config_target}" in prometheus["command"]
    for pattern in config["rule_files"]:
        assert str(Path(config_target).parent / pattern).startswith(rules_target + "/")
    retention = next(a for a in prometheus["command"] if a.startswith("--storage.tsdb.retention.time="))
    assert int(retention.split("=")[1].rstrip("d")) > 30


def test_grafana_provisioning_and_dashboards_are_mounted_where_the_provider_looks(compose):
    grafana = compose["services"]["grafana"]
    assert mount_target(grafana, (GRAFANA_DIR / "provisioning").resolve()) == "/etc/grafana/provisioning"
    dashboards_target = mount_target(grafana, (GRAFANA_DIR / "dashboards").resolve())
    for path in (GRAFANA_DIR / "provisioning" / "dashboards").glob("*.yml"):
        for provider in load_yaml(path)["providers"]:
            assert provider["options"]["path"] == dashboards_target
    home = environment_of(grafana)["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert home.startswith(dashboards_target + "/")
    assert (GRAFANA_DIR / "dashboards" / Path(home).name).is_file()
