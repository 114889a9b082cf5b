"""The jobs list: summaries, or full jobs with ``include=result``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, Field

from media_analysis.db.models import Job
from media_analysis.pipelines.job_views import JobOut, JobSummaryOut, job_out

Include = Literal["result"]
IncludeQuery = Annotated[
    Include | None, Query(description="`result` returns full jobs instead of summaries.")
]
JobView = JobSummaryOut | JobOut


def job_view(job: Job, include: Include | None) -> JobView:
    return job_out(job) if include == "result" else JobSummaryOut.of(job)


class JobPageOut(BaseModel):
    items: list[JobView] = Field(description="Summaries; the full jobs with `include=result`.")
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page.")
