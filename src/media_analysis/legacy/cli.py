"""``media-analysis import-legacy DIR [--dry-run] [--json] [--report PATH]``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("import-legacy")(import_legacy_command)


def import_legacy_command(
    directory: Annotated[
        Path,
        typer.Argument(help="The old service's folder holding data/jobs/, uploads/, outputs/."),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Plan and report only: write no rows, no files.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    report_path: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Also write the report to this file (JSON when it ends in .json, else text).",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Import the old service's jobs and files; exit 1 unless all of it was verified."""
    from media_analysis.legacy import ImportRefused, import_legacy, render_json, render_text
    from media_analysis.startup import database, fail, load_settings

    settings = load_settings()
    # A dry run must not change the database, not even its schema.
    with database(settings, migrate=not dry_run) as url:
        try:
            report = asyncio.run(import_legacy(settings, url, directory, dry_run=dry_run))
        except ImportRefused as exc:
            fail(str(exc))
    typer.echo(render_json(report) if as_json else render_text(report))
    if report_path is not None:
        as_file = (
            render_json(report) if report_path.suffix.lower() == ".json" else render_text(report)
        )
        try:
            report_path.write_text(as_file + "\n", encoding="utf-8")
        except OSError as exc:
            fail(f"--report: cannot write {report_path} ({exc.strerror or exc})")
    raise typer.Exit(0 if report.ok else 1)
