"""Jobs, answers and search hits as a person reads them."""

from __future__ import annotations

import re
from datetime import datetime

from rich.console import Console
from rich.table import Table
from rich.text import Text

from media_analysis.client.models import Analysis, ArchiveHit, Delivery, Job

STATUS_STYLES = {
    "completed": "green",
    "failed": "red",
    "cancelled": "yellow",
    "processing": "cyan",
    "pending": "dim",
}
DELIVERY_STYLES = {"delivered": "green", "failed": "red", "stopped": "yellow", "pending": "dim"}
MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)
LOCAL_NOTICE = (
    "Local analysis (provider local): no language model was available, so this describes "
    "the media; it is not a model's answer to the prompt."
)


def print_answer(console: Console, job: Job) -> None:
    analysis = job.analysis()
    transcript = job.transcript_text()
    if analysis is not None and analysis.text:
        console.print(Text(_answer_heading(analysis), style="bold"))
        console.print(Text(analysis.text))
    if transcript:
        console.print(Text("Transcript:", style="bold"))
        console.print(Text(transcript))
    if not transcript and (analysis is None or not analysis.text):
        console.print(Text("The job finished without an answer or a transcript."))


def _answer_heading(analysis: Analysis) -> str:
    if analysis.is_local:
        return LOCAL_NOTICE
    model = f", model {analysis.model}" if analysis.model else ""
    return f"Answer from {analysis.provider}{model}:"


def jobs_table(jobs: list[Job]) -> Table:
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("id", no_wrap=True, min_width=36)
    table.add_column("type", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("progress", no_wrap=True)
    table.add_column("created", no_wrap=True)
    table.add_column("took", justify="right", no_wrap=True)
    for job in jobs:
        table.add_row(
            job.id,
            job.job_type,
            Text(job.status, style=STATUS_STYLES.get(job.status, "")),
            f"{job.progress.stage} {job.progress.percent:.0f}%",
            local_time(job.created_at),
            seconds(job.processing_time_ms),
        )
    return table


def print_job(console: Console, job: Job) -> None:
    rows: list[tuple[str, str | Text | None]] = [
        ("id", job.id),
        ("type", job.job_type),
        ("status", Text(job.status, style=STATUS_STYLES.get(job.status, ""))),
        ("progress", f"{job.progress.stage} {job.progress.percent:.0f}%"),
        ("media", job.media_url),
        ("media type", job.media_type),
        ("prompt", job.prompt),
        ("created", local_time(job.created_at)),
        ("started", local_time(job.started_at)),
        ("finished", local_time(job.completed_at)),
        ("took", seconds(job.processing_time_ms)),
        ("error", f"{job.error.code}: {job.error.message}" if job.error else None),
    ]
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, value in rows:
        if value:
            table.add_row(label, value)
    console.print(table)
    if job.status == "completed":
        console.print()
        print_answer(console, job)


def deliveries_table(deliveries: list[Delivery]) -> Table:
    table = Table(title="Deliveries", title_justify="left")
    for column in ("to", "event", "status", "attempts", "last answer"):
        table.add_column(column)
    for delivery in deliveries:
        where = delivery.url or f"Kommo lead {delivery.kommo_lead_id}"
        last = delivery.attempts[-1] if delivery.attempts else None
        answer = (last.error or str(last.status_code)) if last else ""
        table.add_row(
            where,
            delivery.event_type,
            Text(delivery.status, style=DELIVERY_STYLES.get(delivery.status, "")),
            str(len(delivery.attempts)),
            answer,
        )
    return table


def print_hits(console: Console, hits: list[ArchiveHit]) -> None:
    if not hits:
        console.print(Text("No finished job matches."))
    for hit in hits:
        job = hit.job
        console.print(Text(f"{job.id}  {job.job_type}  {local_time(job.created_at)}", style="bold"))
        for match in hit.matches:
            line = Text(f"  {_where(match.source, match.timestamp, match.section)}: ")
            line.append_text(highlighted(match.snippet))
            console.print(line)


def highlighted(snippet: str) -> Text:
    """The snippet with its <mark>ed terms styled (plain text when there is no colour)."""
    text = Text()
    position = 0
    for found in MARK.finditer(snippet):
        text.append(snippet[position : found.start()])
        text.append(found.group(1), style="bold reverse")
        position = found.end()
    text.append(snippet[position:])
    return text


def _where(source: str, timestamp: float | None, section: int | None) -> str:
    if timestamp is not None:
        return f"{source} at {timestamp:.1f} s"
    if section is not None:
        return f"{source}, section {section}"
    return source


def local_time(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def seconds(milliseconds: int | None) -> str:
    return f"{milliseconds / 1000:.1f} s" if milliseconds is not None else ""
