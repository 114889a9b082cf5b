"""The served API keeps its OpenAPI contract under schemathesis's generated requests.

The server and schemathesis run together in a network namespace of their own, with
only a loopback: no generated URL can reach an address off this machine. The server
runs no workers and takes tiny uploads, so the jobs that generated bodies create stay
pending and cost nothing.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.database import database_url, drop_database, recreate_database
from tests.e2e.server import service_env
from tests.paths import REPO_ROOT
from tests.support.socket_relay import unix_socket_relay

IN_ISOLATED_NETWORK = ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]


def _network_namespaces_unavailable() -> str | None:
    if not (shutil.which("unshare") and shutil.which("ip")):
        return "the unshare and ip commands are needed to isolate the network"
    probe = subprocess.run([*IN_ISOLATED_NETWORK, "true"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        return "no network namespace could be made here: " + probe.stderr.decode().strip()
    return None


@contextmanager
def _contract_database(pg_server: str) -> Iterator[str]:
    """A database of its own, reachable from inside the namespace through a Unix socket."""
    name = f"media_analysis_contract_{os.getpid()}"
    asyncio.run(recreate_database(pg_server, name))
    server = make_url(database_url(pg_server, name))
    try:
        if not server.host or server.host.startswith("/"):
            yield server.render_as_string(hide_password=False)
            return
        with tempfile.TemporaryDirectory(prefix="pg-relay-") as folder:
            socket = Path(folder) / ".s.PGSQL.5432"
            with unix_socket_relay(socket, (server.host, server.port or 5432)):
                through_socket = server.set(host=None, port=None, query={"host": folder})
                yield through_socket.render_as_string(hide_password=False)
    finally:
        asyncio.run(drop_database(pg_server, name))


def test_the_served_api_keeps_its_openapi_contract(tmp_path: Path, pg_server: str) -> None:
    if reason := _network_namespaces_unavailable():
        pytest.skip(reason)
    with _contract_database(pg_server) as db_url:
        env = service_env(
            tmp_path,
            DATABASE_URL=db_url,
            MEDIA_ANALYSIS_MAX_UPLOAD_BYTES="65536",
            MEDIA_ANALYSIS_ALLOW_PRIVATE_URLS="false",
        )
        run = subprocess.run(
            [*IN_ISOLATED_NETWORK, sys.executable, "-m", "tests.e2e.contract_run"],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-4000:]
    assert "passed" in run.stdout
