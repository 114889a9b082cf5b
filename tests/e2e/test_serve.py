"""The real `media-analysis` process: serving, refusing bad settings, embedded database."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import psutil

from tests.e2e.server import CLI, running_server, service_env
from tests.paths import REPO_ROOT


def test_serve_answers_on_loopback_with_the_database_ready(tmp_path: Path, db_url: str) -> None:
    env = service_env(tmp_path, DATABASE_URL=db_url, MEDIA_ANALYSIS_API_KEY="e2e-key-1234567")
    with running_server(env) as base_url:
        assert httpx.get(f"{base_url}/health").json() == {"status": "ok"}
        assert httpx.get(f"{base_url}/api/media/health").status_code == 401
        ready = httpx.get(f"{base_url}/api/media/health", headers={"X-API-Key": "e2e-key-1234567"})
        assert ready.status_code == 200
        assert ready.json()["checks"]["database"]["status"] == "ok"


def _run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )


def test_a_bad_setting_stops_startup_with_one_line_naming_it(tmp_path: Path) -> None:
    cases = {
        "MEDIA_ANALYSIS_CONTACT_SHEET_GRID": "2y3",
        "DATABASE_URL": "nonsense",
        "MEDIA_ANALYSIS_FPS": "-1",
        "MEDIA_ANALYSIS_FRAME_FORMAT": "gif",
    }
    for variable, value in cases.items():
        result = _run_cli(service_env(tmp_path, **{variable: value}), "serve")
        assert result.returncode == 2, variable
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert variable in lines[0]
        assert "Traceback" not in result.stderr


def test_serving_anonymously_on_a_public_address_is_refused(tmp_path: Path) -> None:
    result = _run_cli(service_env(tmp_path), "serve", "--host", "0.0.0.0")
    assert result.returncode == 2
    assert "MEDIA_ANALYSIS_API_KEY" in result.stderr


def test_embedded_postgres_starts_migrates_and_stops_with_the_server(tmp_path: Path) -> None:
    env = service_env(tmp_path)
    with running_server(env, "--workers", "0", startup_timeout=120) as base_url:
        ready = httpx.get(f"{base_url}/api/media/health").json()
        assert ready["checks"]["database"]["status"] == "ok"
        pgdata = str((tmp_path / "var" / "postgres").resolve())
        assert _postgres_running(pgdata)
    assert not _postgres_running(pgdata)


def _postgres_running(pgdata: str) -> bool:
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info.get("cmdline") or []
        if process.info.get("name") == "postgres" and pgdata in cmdline:
            return True
    return False


def test_config_hides_credentials_paths_and_tells_the_real_port(
    tmp_path: Path, db_url: str
) -> None:
    env = service_env(
        tmp_path,
        DATABASE_URL=db_url,
        MEDIA_ANALYSIS_API_KEY="e2e-key-1234567",
        MEDIA_ANALYSIS_GROQ_BASE_URL="http://proxy-user:proxy-pass@proxy.internal:3128/v1?token=t0k3n",
        MEDIA_ANALYSIS_METRICS_TOKEN="metrics-secret-99",
    )
    with running_server(env) as base_url:
        response = httpx.get(
            f"{base_url}/api/media/config", headers={"X-API-Key": "e2e-key-1234567"}
        )
    body = response.json()
    text = response.text
    for secret in (
        "proxy-user",
        "proxy-pass",
        "t0k3n",
        "metrics-secret-99",
        "e2e-key",
        str(tmp_path),
    ):
        assert secret not in text, secret
    assert body["groq_base_url"] == "http://proxy.internal:3128/v1"
    assert body["api_port"] == int(base_url.rsplit(":", 1)[1])
    assert "metrics_token" not in body and "upload_dir" not in body
