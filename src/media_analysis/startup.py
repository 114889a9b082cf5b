"""What every command does first: read the settings, set up logging, find the database.

A wrong setting or an unreachable database ends the command with one clear line on
stderr, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from pydantic import ValidationError

from media_analysis.config import Settings, describe_settings_error
from media_analysis.db import migrate as migrations
from media_analysis.db.embedded import EmbeddedPostgres
from media_analysis.logs import setup_logging


def fail(message: str) -> NoReturn:
    typer.echo(f"media-analysis: {message}", err=True)
    raise typer.Exit(2)


def load_settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        fail(describe_settings_error(exc))
    secrets = [
        value.get_secret_value()
        for value in settings.__dict__.values()
        if hasattr(value, "get_secret_value")
    ]
    setup_logging(settings.log_format, settings.log_level, [*secrets, *settings.api_keys])
    return settings


@contextmanager
def database(settings: Settings, *, migrate: bool) -> Iterator[str]:
    """Yield the database URL, starting the embedded server when none is configured."""
    embedded = None if settings.database_url else EmbeddedPostgres(settings.data_dir)
    try:
        url = settings.database_url or _start_embedded(embedded)
        if migrate:
            _migrate(url)
        yield url
    finally:
        if embedded is not None:
            embedded.stop()


def _start_embedded(embedded: EmbeddedPostgres | None) -> str:
    assert embedded is not None
    try:
        return embedded.start()
    except Exception as exc:
        fail(f"could not start the embedded PostgreSQL ({type(exc).__name__}: {exc})")


def _migrate(url: str) -> None:
    try:
        migrations.upgrade(url)
    except (OSError, ConnectionError) as exc:
        fail(f"DATABASE_URL: the database is unreachable ({exc})")
    except Exception as exc:
        fail(f"DATABASE_URL: migrating the database failed ({type(exc).__name__}: {exc})")
