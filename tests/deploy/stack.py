"""The fixed layout and conventions the deployment is built against, shared by the deploy tests."""

from __future__ import annotations

import shutil

import pytest

from tests.deploy.promql import DEPLOY

COMPOSE_FILE = DEPLOY / "docker-compose.yml"
PROMETHEUS_DIR = DEPLOY / "prometheus"
GRAFANA_DIR = DEPLOY / "grafana"

# The fixed conventions the services are built against.
SERVICE_PORTS = {"registrasi": 8001, "pokja": 8002, "helpdesk": 8003, "pelaporan": 8004}
SERVICES_WITH_DOCUMENTS = ("registrasi", "helpdesk")
TOPIC_PARTITIONS = {
    "registrasi.pendaftaran.v1": 3,
    "registrasi.pengguna.v1": 3,
    "registrasi.daftar_hitam.v1": 3,
    "pokja.pegawai.v1": 3,
    "pokja.paket.v1": 3,
    "pokja.pokja.v1": 3,
    "pokja.pejabat_pengadaan.v1": 3,
    "helpdesk.tiket.v1": 3,
    "helpdesk.pengumuman.v1": 3,
    "helpdesk.berita_acara.v1": 3,
    "pokja.dlq": 3,
    "pelaporan.dlq": 3,
}


def promtool() -> str:
    """Path of promtool; the calling test fails (does not skip) when it is missing."""
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool is not installed: apt-get install -y prometheus")
    return path
