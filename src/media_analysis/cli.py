"""Command line: serve, worker, migrate, and the HTTP client's commands."""

from __future__ import annotations

import asyncio
import ipaddress
import signal
import sys
from typing import Annotated

import typer
import uvicorn

from media_analysis.backup import cli as backup_cli
from media_analysis.client import commands as client_commands
from media_analysis.legacy import cli as legacy_cli
from media_analysis.startup import database, fail, load_settings

app = typer.Typer(help="Media Analysis API.", no_args_is_help=True, add_completion=False)


def exit_cleanly_on_sigterm() -> None:
    """uvicorn re-raises SIGTERM after its shutdown; make that unwind our clean-up too."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    workers: Annotated[int, typer.Option(help="In-process job workers (0 = API only).")] = 2,
    migrate: Annotated[bool, typer.Option(help="Apply migrations before serving.")] = True,
) -> None:
    """Run the API server (with in-process job workers)."""
    settings = load_settings()
    host = host or settings.api_host
    port = port or settings.api_port
    if not settings.api_keys and not is_loopback(host) and not settings.allow_anonymous:
        fail(
            "MEDIA_ANALYSIS_API_KEY: refusing to serve without an API key on a non-loopback "
            f"address ({host}); set a key or MEDIA_ANALYSIS_ALLOW_ANONYMOUS=true"
        )
    from media_analysis.app import create_app

    exit_cleanly_on_sigterm()
    # What /api/media/config reports is where this process really listens.
    settings = settings.model_copy(update={"api_host": host, "api_port": port})
    with database(settings, migrate=migrate) as url:
        application = create_app(settings, url, workers=workers)
        uvicorn.run(
            application,
            host=host,
            port=port,
            proxy_headers=True,
            forwarded_allow_ips=settings.forwarded_allow_ips,
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=30,
        )


@app.command()
def worker(
    concurrency: Annotated[int, typer.Option(min=1, help="Jobs run at the same time.")] = 2,
    migrate: Annotated[bool, typer.Option(help="Apply migrations before starting.")] = True,
) -> None:
    """Run a standalone job worker until SIGTERM (used by docker-compose)."""
    settings = load_settings()
    from media_analysis.assembly import run_worker

    with database(settings, migrate=migrate) as url:
        asyncio.run(run_worker(settings, url, concurrency))


@app.command("migrate")
def migrate_command() -> None:
    """Apply every pending migration (alembic upgrade head)."""
    settings = load_settings()
    with database(settings, migrate=True):
        typer.echo("database is at the latest revision")


@app.command("webhook-secret")
def webhook_secret_command(
    migrate: Annotated[bool, typer.Option(help="Apply migrations first.")] = True,
) -> None:
    """Print the secret that signs per-job callbacks (generated on first use)."""
    settings = load_settings()
    from media_analysis.webhooks.secret_store import read_callback_secret

    with database(settings, migrate=migrate) as url:
        typer.echo(asyncio.run(read_callback_secret(settings, url)))


legacy_cli.register(app)
backup_cli.register(app)
client_commands.register(app)


def main() -> None:
    app(prog_name="media-analysis")


if __name__ == "__main__":
    main()
