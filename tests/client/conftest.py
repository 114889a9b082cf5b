"""A real `media-analysis serve` on its own database, and the client run as a process."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.database import database_url, drop_database, recreate_database
from tests.e2e.server import CLI, running_server, service_env
from tests.paths import DATA, REPO_ROOT

API_KEY = "cli-test-key-4821"


@dataclass(frozen=True)
class Server:
    url: str
    workdir: Path


@dataclass(frozen=True)
class Analysed:
    run: subprocess.CompletedProcess[str]
    out: Path


@pytest.fixture(scope="session")
def api_server(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Its own database: the jobs it runs must not show up in other tests' listings."""
    name = f"media_analysis_cli_{os.getpid()}"
    asyncio.run(recreate_database(pg_server, name))
    workdir = tmp_path_factory.mktemp("cli-server")
    env = service_env(
        workdir, DATABASE_URL=database_url(pg_server, name), MEDIA_ANALYSIS_API_KEY=API_KEY
    )
    try:
        with running_server(env, startup_timeout=120) as url:
            yield Server(url, workdir)
    finally:
        asyncio.run(drop_database(pg_server, name))


def client_env(server_url: str, api_key: str = API_KEY) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_ANALYSIS_")}
    env.pop("COLUMNS", None)
    env.update({"MEDIA_ANALYSIS_SERVER": server_url, "MEDIA_ANALYSIS_API_KEY": api_key})
    return env


def run_client(server_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        env={**client_env(server_url), **env},
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.fixture(scope="session")
def analysed_speech(api_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Analysed:
    out = tmp_path_factory.mktemp("speech") / "out"
    run = run_client(
        api_server.url, "analyze", str(DATA / "jfk.wav"), "--kind", "audio", "--out", str(out)
    )
    return Analysed(run, out)


@pytest.fixture(scope="session")
def analysed_video(api_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Analysed:
    out = tmp_path_factory.mktemp("video") / "out"
    run = run_client(
        api_server.url,
        "analyze",
        str(DATA / "bigbuckbunny.mp4"),
        "--prompt",
        "What happens?",
        "--out",
        str(out),
    )
    return Analysed(run, out)
