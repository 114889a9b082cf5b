"""docker-compose.yml: valid against the Compose Specification, and wired as intended.

``compose-spec.json`` is the Compose Specification's JSON schema (Apache-2.0, from
github.com/compose-spec/compose-spec), as shipped in the ``dclint`` 3.1.0 npm package.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.paths import REPO_ROOT

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
SCHEMA = Path(__file__).with_name("compose-spec.json")
APP_SERVICES = ("migrate", "api", "worker")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return dict(compose["services"])


def test_the_file_follows_the_compose_specification(compose: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft7Validator(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == []


def test_the_schema_does_catch_mistakes(compose: dict[str, Any]) -> None:
    broken = {**compose, "services": {**compose["services"], "api": {"restrat": "always"}}}
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))
    assert not validator.is_valid(broken)


def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    if (
        docker is None
        or subprocess.run([docker, "compose", "version"], capture_output=True).returncode
    ):
        pytest.skip("the docker compose plugin is not installed")
    env_file = tmp_path / ".env"
    env_file.write_text("POSTGRES_PASSWORD=secret\nMEDIA_ANALYSIS_DOMAIN=media.example.com\n")
    result = subprocess.run(
        [docker, "compose", "--env-file", str(env_file), "-f", str(COMPOSE_FILE), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_only_caddy_publishes_ports(services: dict[str, dict[str, Any]]) -> None:
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"caddy"}
    assert services["caddy"]["ports"] == ["80:80", "443:443", "443:443/udp"]
    assert services["caddy"]["image"] == "caddy:2"
    mounts = services["caddy"]["volumes"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in mounts
    assert {"caddy_data:/data", "caddy_config:/config"} <= set(mounts)


def test_the_worker_can_be_scaled(services: dict[str, dict[str, Any]]) -> None:
    worker = services["worker"]
    assert "container_name" not in worker and "ports" not in worker
    assert worker["command"] == ["media-analysis", "worker", "--concurrency", "2", "--no-migrate"]


def test_start_up_order_waits_for_health_and_migrations(
    services: dict[str, dict[str, Any]],
) -> None:
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["command"] == ["media-analysis", "migrate"]
    for name in ("api", "worker"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"
        assert services[name]["restart"] == "unless-stopped"
    assert services["caddy"]["depends_on"]["api"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])


def test_the_api_serves_without_in_process_workers_and_trusts_caddy(
    services: dict[str, dict[str, Any]],
) -> None:
    api = services["api"]
    assert api["command"][:2] == ["media-analysis", "serve"]
    assert api["command"][api["command"].index("--workers") + 1] == "0"
    assert "--no-migrate" in api["command"]
    assert api["environment"]["FORWARDED_ALLOW_IPS"] == "*"


def test_app_services_share_settings_database_and_files(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    for name in APP_SERVICES:
        service = services[name]
        assert service["env_file"] == "config/.env"
        url = service["environment"]["DATABASE_URL"]
        assert url.startswith("postgresql://") and "@postgres:5432/" in url
        assert "${POSTGRES_PASSWORD" in url
    for name in ("api", "worker"):
        assert {"uploads:/data/uploads", "outputs:/data/outputs"} <= set(services[name]["volumes"])
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD"
    )
    assert {"postgres-data", "uploads", "outputs", "caddy_data", "caddy_config"} <= set(
        compose["volumes"]
    )


def test_every_service_has_limits_and_a_restart_policy(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, service in services.items():
        limits = service["deploy"]["resources"]["limits"]
        assert {"cpus", "memory"} <= set(limits), name
        assert "restart" in service, name


def test_the_s3_profile_runs_minio_and_creates_the_bucket_first(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    minio, bucket = services["minio"], services["minio-bucket"]
    assert minio["profiles"] == bucket["profiles"] == ["s3"]
    assert minio["environment"]["MINIO_ROOT_USER"].startswith("${AWS_ACCESS_KEY_ID")
    assert minio["environment"]["MINIO_ROOT_PASSWORD"].startswith("${AWS_SECRET_ACCESS_KEY")
    assert bucket["depends_on"]["minio"]["condition"] == "service_healthy"
    assert "mc mb --ignore-existing" in bucket["command"][0]
    assert bucket["env_file"] == "config/.env"
    for name in ("api", "worker"):
        waits = services[name]["depends_on"]["minio-bucket"]
        assert waits == {"condition": "service_completed_successfully", "required": False}
    assert "minio-data" in compose["volumes"]
