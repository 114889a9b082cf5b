"""``media-analysis backup DIR`` and ``media-analysis restore DIR [--force]``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

PgBinOption = Annotated[
    Path | None,
    typer.Option(
        "--pg-bin",
        help="Folder holding pg_dump and pg_restore (default: the best one found).",
        file_okay=False,
        exists=True,
    ),
]


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)


def backup(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="New folder to write the backup into.")
    ],
    pg_bin: PgBinOption = None,
) -> None:
    """Back up the database (pg_dump) and the upload and output folders."""
    from media_analysis.backup.archive import create_backup
    from media_analysis.backup.pg_client import BackupError
    from media_analysis.startup import database, fail, load_settings

    settings = load_settings()
    with database(settings, migrate=False) as url:
        try:
            manifest = asyncio.run(create_backup(settings, url, directory, pg_bin=pg_bin))
        except BackupError as exc:
            fail(exc.detail)
    rows = sum(manifest.tables.values())
    typer.echo(
        f"backup written to {directory}: {rows} rows in {len(manifest.tables)} tables, "
        f"{len(manifest.files) - 1} files, revision {manifest.alembic_revision or 'none'}"
    )


def restore(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder written by 'media-analysis backup'.")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace the data already in the database and folders.")
    ] = False,
    pg_bin: PgBinOption = None,
) -> None:
    """Restore a backup into an empty database and empty upload/output folders."""
    from media_analysis.backup.archive import restore_backup
    from media_analysis.backup.pg_client import BackupError
    from media_analysis.startup import database, fail, load_settings

    settings = load_settings()
    with database(settings, migrate=False) as url:
        try:
            report = asyncio.run(
                restore_backup(settings, url, directory, force=force, pg_bin=pg_bin)
            )
        except BackupError as exc:
            fail(exc.detail)
    rows = sum(report.manifest.tables.values())
    typer.echo(
        f"restored {rows} rows and {report.files} files from {directory} "
        f"(revision {report.manifest.alembic_revision or 'none'}); "
        "run 'media-analysis migrate' if this release has newer migrations"
    )
