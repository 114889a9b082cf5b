"""Choosing pg_dump/pg_restore and pointing them at the database without exposing secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from media_analysis.backup import pg_client
from media_analysis.backup.pg_client import BackupError, PgClient, find_client, libpq_environment


def test_a_tcp_url_becomes_libpq_variables_with_the_password_decoded() -> None:
    url = "postgresql+asyncpg://media:p%40ss%2Fword@db.internal:5433/media_analysis?ssl=require"
    assert libpq_environment(url) == {
        "PGHOST": "db.internal",
        "PGPORT": "5433",
        "PGUSER": "media",
        "PGPASSWORD": "p@ss/word",
        "PGDATABASE": "media_analysis",
        "PGSSLMODE": "require",
    }


def test_a_unix_socket_url_keeps_its_socket_folder() -> None:
    url = "postgresql+asyncpg://postgres@/media_analysis?host=%2Fsrv%2Fvar%2Fpostgres"
    assert libpq_environment(url) == {
        "PGHOST": "/srv/var/postgres",
        "PGUSER": "postgres",
        "PGDATABASE": "media_analysis",
    }


async def test_the_oldest_client_not_older_than_wanted_is_chosen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clients = [PgClient(Path(f"/pg{major}/bin"), f"{major}.1") for major in (18, 15, 16)]

    async def installed(bin_dir: Path | None = None) -> list[PgClient]:
        return clients

    monkeypatch.setattr(pg_client, "installed_clients", installed)
    assert (await find_client(15)).major == 15
    assert (await find_client(16)).major == 16
    assert (await find_client(17)).major == 18
    with pytest.raises(BackupError, match="PostgreSQL 19 or newer"):
        await find_client(19)


async def test_the_clients_on_this_machine_report_their_versions() -> None:
    for client in await pg_client.installed_clients():
        assert client.major >= 9
        assert Path(client.program("pg_restore")).is_file()
