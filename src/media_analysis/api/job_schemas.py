from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from media_analysis.db.models import Job

JobStatusName = Literal["pending", "processing", "completed", "failed", "cancelled"]


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


class JobOut(BaseModel):
    id: uuid.UUID
    job_type: str
    status: JobStatusName
    media_url: str | None
    media_type: str | None
    prompt: str | None
    parameters: dict[str, Any]
    progress: JobProgress
    result: dict[str, Any] | None
    error: JobError | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    processing_time_ms: int | None
    links: JobLinks

    @classmethod
    def of(cls, job: Job) -> JobOut:
        base = f"/api/media/jobs/{job.id}"
        progress = job.progress or {}
        return cls(
            id=job.id,
            job_type=job.job_type,
            status=job.status,
            media_url=job.media_url,
            media_type=job.media_type,
            prompt=job.prompt,
            parameters=job.parameters or {},
            progress=JobProgress(
                **{k: v for k, v in progress.items() if k in ("stage", "percent")}
            ),
            result=job.result,
            error=JobError(**job.error) if job.error else None,
            attempts=job.attempts,
            created_at=job.created_at,
            started_at=job.started_at,
            completed_at=job.completed_at,
            processing_time_ms=job.processing_time_ms,
            links=JobLinks(self=base, events=f"{base}/events", assets=f"{base}/assets"),
        )


class JobPageOut(BaseModel):
    items: list[JobOut]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page.")
