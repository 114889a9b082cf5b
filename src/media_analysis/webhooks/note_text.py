"""The text of the Kommo note that tells a lead what came out of a job."""

from __future__ import annotations

from typing import Any

from media_analysis.config import Settings
from media_analysis.db.models import Job

ANSWER_CHARS = 1500
EXCERPT_CHARS = 500
ANSWER_FIELDS = ("answer", "summary", "description", "text")


def note_text(job: Job, settings: Settings) -> str:
    lines = [f"Media analysis {job.status}: {media_name(job)}"]
    result = job.result or {}
    answer = _answer(result.get("analysis_result"))
    if answer:
        lines.append(f"Answer: {_shorten(answer, ANSWER_CHARS)}")
    transcript = _transcript_text(result.get("transcript"))
    if transcript:
        lines.append(f"Transcript: {_shorten(transcript, EXCERPT_CHARS)}")
    if job.error:
        lines.append(f"Error: {job.error.get('message', job.error.get('code', ''))}")
    lines.append(f"Job: {job_link(job, settings)}")
    return "\n".join(lines)


def media_name(job: Job) -> str:
    if job.original_filename:
        return job.original_filename
    if job.media_url:
        return job.media_url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or job.media_url
    return job.job_type


def job_link(job: Job, settings: Settings) -> str:
    return f"{public_base_url(settings)}/api/media/jobs/{job.id}"


def public_base_url(settings: Settings) -> str:
    """Where people reach this service: Caddy serves MEDIA_ANALYSIS_DOMAIN over HTTPS."""
    if settings.domain in ("localhost", "127.0.0.1"):
        return f"http://{settings.domain}:{settings.api_port}"
    return f"https://{settings.domain}"


def _answer(analysis: Any) -> str | None:
    if isinstance(analysis, str):
        return analysis
    if not isinstance(analysis, dict):
        return None
    for field in ANSWER_FIELDS:
        value = analysis.get(field)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _transcript_text(transcript: Any) -> str | None:
    if isinstance(transcript, dict):
        transcript = transcript.get("text")
    return transcript.strip() if isinstance(transcript, str) and transcript.strip() else None


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
