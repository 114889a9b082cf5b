from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, Field

from media_analysis.db.models import Job

JobStatusName = Literal["pending", "processing", "completed", "failed", "cancelled"]
Include = Literal["result"]
IncludeQuery = Annotated[
    Include | None, Query(description="`result` returns full jobs instead of summaries.")
]
EXCERPT_CHARS = 200


class JobProgress(BaseModel):
    stage: str = "queued"
    percent: float = 0.0


class JobError(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. invalid_media.")
    message: str = Field(description="What went wrong, for a person.")
    details: dict[str, Any] | None = Field(
        None, description="More about the failure, e.g. every provider attempt."
    )


class JobLinks(BaseModel):
    self: str
    events: str
    assets: str


class JobBase(BaseModel):
    """What every view of a job says: what it is, what it was given, how it went."""

    id: uuid.UUID
    job_type: str
    status: JobStatusName
    media_url: str | None
    media_type: str | None
    original_filename: str | None = Field(description="The uploaded file's name, if uploaded.")
    progress: JobProgress
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    processing_time_ms: int | None
    links: JobLinks

    @staticmethod
    def common_fields(job: Job) -> dict[str, Any]:
        base = f"/api/media/jobs/{job.id}"
        progress = job.progress or {}
        return {
            "id": job.id,
            "job_type": job.job_type,
            "status": job.status,
            "media_url": job.media_url,
            "media_type": job.media_type,
            "original_filename": job.original_filename,
            "progress": JobProgress(
                **{k: v for k, v in progress.items() if k in ("stage", "percent")}
            ),
            "created_at": job.created_at,
            "started_at": job.started_at,
            "completed_at": job.completed_at,
            "processing_time_ms": job.processing_time_ms,
            "links": JobLinks(self=base, events=f"{base}/events", assets=f"{base}/assets"),
        }


class JobOut(JobBase):
    prompt: str | None
    parameters: dict[str, Any]
    result: dict[str, Any] | None
    error: JobError | None
    attempts: int

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls(
            **cls.common_fields(job),
            prompt=job.prompt,
            parameters=job.parameters or {},
            result=job.result,
            error=JobError(**job.error) if job.error else None,
            attempts=job.attempts,
        )


class JobSummaryOut(JobBase):
    """A job in a list: what it is and how it went, without its full result."""

    error_code: str | None = Field(description="The failure's code, when the job failed.")
    answer_excerpt: str | None = Field(
        description="The start of the answer, summary or transcript, when there is one."
    )

    @classmethod
    def of(cls, job: Job) -> JobSummaryOut:
        return cls(
            **cls.common_fields(job),
            error_code=str(job.error.get("code")) if job.error else None,
            answer_excerpt=answer_excerpt(job.result),
        )


def answer_excerpt(result: dict[str, Any] | None, limit: int = EXCERPT_CHARS) -> str | None:
    """The first words of what the job found: the answer, else the summary, else speech."""
    if not result:
        return None
    analysis = result.get("analysis_result") or {}
    transcript = result.get("transcript") or {}
    for candidate in (analysis.get("answer"), analysis.get("summary"), transcript.get("text")):
        if isinstance(candidate, str) and candidate.strip():
            text = " ".join(candidate.split())
            return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
    return None


def job_view(job: Job, include: Include | None) -> JobOut | JobSummaryOut:
    return JobOut.of(job) if include == "result" else JobSummaryOut.of(job)


class JobPageOut(BaseModel):
    items: list[JobSummaryOut | JobOut] = Field(
        description="Summaries; the full jobs with `include=result`."
    )
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page.")
