"""Transcripts as stored rows: building one for a job, and finding a job's transcript."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import Job, JobStatus, Transcription
from media_analysis.db.repositories import TranscriptionRepository
from media_analysis.errors import Conflict, NotFound
from media_analysis.providers.transcription import Segment, Transcript, Word

PROVIDER_COLUMN_LENGTH = 40
MODEL_COLUMN_LENGTH = 100


class JobFailed(Conflict):
    code = "job_failed"
    title = "Job Failed"


class TranscriptNotReady(Conflict):
    code = "transcript_not_ready"
    title = "Transcript Not Ready"


def transcription_row(
    job_id: uuid.UUID, transcript: Transcript, attempts: Sequence[dict[str, Any]]
) -> Transcription:
    return Transcription(
        id=uuid.uuid4(),
        job_id=job_id,
        provider=transcript.provider[:PROVIDER_COLUMN_LENGTH],
        model=transcript.model[:MODEL_COLUMN_LENGTH] or None,
        language=transcript.language,
        text_content=transcript.text,
        confidence_score=transcript.confidence,
        duration_seconds=transcript.duration,
        word_timestamps=[word.to_dict() for word in transcript.words or ()],
        segments=[segment.to_dict() for segment in transcript.segments],
        attempts=list(attempts),
    )


def transcript_of(row: Transcription) -> Transcript:
    return Transcript(
        text=row.text_content,
        language=row.language,
        confidence=row.confidence_score,
        duration=row.duration_seconds,
        words=tuple(Word.from_dict(word) for word in row.word_timestamps),
        segments=tuple(Segment.from_dict(segment) for segment in row.segments),
        provider=row.provider,
        model=row.model or "",
    )


async def stored_transcription(session: AsyncSession, job: Job) -> Transcription:
    """The job's latest transcript.

    While the job is pending or processing the answer is 409 ``transcript_not_ready``
    (ask again later); a failed job is 409 ``job_failed`` with its error; a job that
    completed or was cancelled without one is 404.
    """
    row = await TranscriptionRepository(session).latest_for_job(job.id)
    if row is not None:
        return row
    status = JobStatus(job.status)
    if status == JobStatus.FAILED:
        error = job.error or {}
        raise JobFailed(
            f"Job {job.id} failed, so it has no transcript: {error.get('message', 'no reason')}",
            error=error,
        )
    if not status.finished:
        raise TranscriptNotReady(
            f"Job {job.id} is {status.value}; its transcript is available once it completes.",
            job_status=status.value,
        )
    raise NotFound(f"Job {job.id} has no transcript (it ended {status.value}).")
