"""``media-analysis analyze | jobs | job | search``: the client's commands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from media_analysis.client.errors import ClientError, JobNotDone
from media_analysis.client.follow import Interrupted, follow_to_end
from media_analysis.client.http import DEFAULT_SERVER, ApiClient
from media_analysis.client.models import Job
from media_analysis.client.outputs import save_outputs
from media_analysis.client.render import (
    deliveries_table,
    jobs_table,
    print_answer,
    print_hits,
    print_job,
    seconds,
)
from media_analysis.client.submit import submit

INTERRUPTED = 130
# Pipes and CI logs have no width; keep table rows and ids on one line there.
PLAIN_WIDTH = 160


class Kind(StrEnum):
    auto = "auto"
    video = "video"
    audio = "audio"
    document = "document"


class TranscriptFormat(StrEnum):
    json = "json"
    txt = "txt"
    srt = "srt"
    vtt = "vtt"


ServerOption = Annotated[
    str,
    typer.Option(
        "--server", envvar="MEDIA_ANALYSIS_SERVER", help="Base URL of the Media Analysis API."
    ),
]
ApiKeyOption = Annotated[
    str | None,
    typer.Option(
        "--api-key",
        envvar="MEDIA_ANALYSIS_API_KEY",
        show_default=False,
        help="Sent as 'Authorization: Bearer'; the first of a comma-separated list is used.",
    ),
]


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
    app.command("jobs")(jobs)
    app.command("job")(job)
    app.command("search")(search)


def analyze(
    source: Annotated[str, typer.Argument(metavar="PATH_OR_URL", help="A local file or a URL.")],
    prompt: Annotated[str | None, typer.Option(help="What to ask about the media.")] = None,
    kind: Annotated[Kind, typer.Option(help="Which pipeline; auto detects it.")] = Kind.auto,
    server: ServerOption = DEFAULT_SERVER,
    api_key: ApiKeyOption = None,
    out: Annotated[
        Path | None,
        typer.Option(file_okay=False, help="Write result.json, transcript, contact sheets here."),
    ] = None,
    format_: Annotated[
        TranscriptFormat | None,
        typer.Option("--format", help="Transcript format written to --out (default srt)."),
    ] = None,
    no_wait: Annotated[bool, typer.Option("--no-wait", help="Print the job id and exit.")] = False,
) -> None:
    """Analyse a file or URL: upload, follow the job's progress, print the answer."""
    stdout, stderr = consoles()
    with stops_on_client_errors(), connected(server, api_key) as api:
        _check_combination(out, format_, no_wait)
        submitted = submit(api, stderr, source, kind.value, prompt)
        if no_wait:
            stdout.print(submitted.id, highlight=False)
            return
        stderr.print(Text(f"job {submitted.id} ({submitted.job_type}) submitted"))
        finished = _follow(api, stdout, stderr, submitted)
        _report(finished, stdout, stderr)
        if out is not None:
            save_outputs(api, stderr, finished, out, (format_ or TranscriptFormat.srt).value)


def jobs(
    status: Annotated[str | None, typer.Option(help="pending, processing, completed…")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Job type, e.g. video.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="How many.")] = 20,
    server: ServerOption = DEFAULT_SERVER,
    api_key: ApiKeyOption = None,
) -> None:
    """List jobs, newest first."""
    stdout, _ = consoles()
    with stops_on_client_errors(), connected(server, api_key) as api:
        listed = api.jobs(status, type_, limit)
    if listed:
        stdout.print(jobs_table(listed))
    else:
        stdout.print(Text("No jobs."))


def job(
    job_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: Annotated[bool, typer.Option("--json", help="The job as the API returns it.")] = False,
    server: ServerOption = DEFAULT_SERVER,
    api_key: ApiKeyOption = None,
) -> None:
    """Show one job."""
    stdout, _ = consoles()
    with stops_on_client_errors(), connected(server, api_key) as api:
        raw = api.raw_job(job_id)
        deliveries = [] if as_json else api.deliveries(job_id)
    if as_json:
        typer.echo(json.dumps(raw, indent=2, ensure_ascii=False))
        return
    print_job(stdout, Job.model_validate(raw))
    if deliveries:
        stdout.print()
        stdout.print(deliveries_table(deliveries))


def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Words to find.")],
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many jobs.")] = 20,
    server: ServerOption = DEFAULT_SERVER,
    api_key: ApiKeyOption = None,
) -> None:
    """Search finished jobs' transcripts, analyses and documents."""
    stdout, _ = consoles()
    with stops_on_client_errors(), connected(server, api_key) as api:
        hits = api.archive(text, limit)
    print_hits(stdout, hits)


def consoles() -> tuple[Console, Console]:
    """Results go to stdout, progress and notes to stderr, so results can be piped."""
    return _console(stderr=False), _console(stderr=True)


def _console(*, stderr: bool) -> Console:
    console = Console(stderr=stderr, soft_wrap=True)
    if not console.is_terminal:
        console = Console(stderr=stderr, soft_wrap=True, width=PLAIN_WIDTH)
    return console


@contextmanager
def connected(server: str, api_key: str | None) -> Iterator[ApiClient]:
    key = next((part.strip() for part in (api_key or "").split(",") if part.strip()), None)
    with ApiClient(server, key) as api:
        yield api


@contextmanager
def stops_on_client_errors() -> Iterator[None]:
    """One line and an exit code instead of a traceback."""
    try:
        yield
    except ClientError as exc:
        typer.echo(f"media-analysis: {exc.message}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("media-analysis: interrupted", err=True)
        raise typer.Exit(INTERRUPTED) from None


def _check_combination(out: Path | None, format_: TranscriptFormat | None, no_wait: bool) -> None:
    if format_ is not None and out is None:
        raise ClientError("--format chooses the transcript written to --out; give --out too")
    if no_wait and out is not None:
        raise ClientError("--out needs the job's outcome; drop --no-wait")


def _follow(api: ApiClient, stdout: Console, stderr: Console, submitted: Job) -> Job:
    try:
        return follow_to_end(api, stderr, submitted)
    except Interrupted as stop:
        if stop.cancelled:
            stderr.print(Text(f"job {stop.job_id} cancelled"))
        else:
            stderr.print(
                Text(f"stopped following; the job goes on: media-analysis job {stop.job_id}")
            )
            stdout.print(stop.job_id, highlight=False)
        raise typer.Exit(INTERRUPTED) from None


def _report(finished: Job, stdout: Console, stderr: Console) -> None:
    if finished.status == "completed":
        stderr.print(Text(f"job {finished.id} completed in {seconds(finished.processing_time_ms)}"))
        print_answer(stdout, finished)
        return
    if finished.error is not None:
        raise JobNotDone(
            f"job {finished.id} failed: {finished.error.code}: {finished.error.message}"
        )
    raise JobNotDone(f"job {finished.id} ended {finished.status}")
