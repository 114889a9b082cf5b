"""A job as clients see it: through the API and in webhook payloads.

There is one full view per job type, with that type's parameters and result models,
so ``/openapi.json`` documents every result shape. A job of a plug-in or imported
type, or one whose stored parameters or result an earlier version wrote in another
shape, is shown exactly as stored through ``StoredJobOut``: reading an old row never fails.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, JsonValue, ValidationError

from media_analysis.db.models import Job
from media_analysis.jobs.job_types import JobType
from media_analysis.pipelines.specs.analyze import AnalyzeParameters, AnalyzeResult
from media_analysis.pipelines.specs.audio import AudioResult, SpeechParameters, TranscribeResult
from media_analysis.pipelines.specs.benchmark import BenchmarkParameters, BenchmarkResult
from media_analysis.pipelines.specs.documents import DocumentParameters, DocumentResult
from media_analysis.pipelines.specs.reanalysis import ReanalyzeParameters, ReanalyzeResult
from media_analysis.pipelines.specs.video import (
    ContactSheetParameters,
    ContactSheetResult,
    ExtractFramesResult,
    FramesParameters,
    VideoParameters,
    VideoResult,
)

logger = logging.getLogger(__name__)

JobStatusName = Literal["pending", "processing", "completed", "failed", "cancelled"]
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
    original_filename: str | None = Field(
        description="The uploaded file's name, or the last part of the media URL's path."
    )
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


class JobDetail(JobBase):
    prompt: str | None
    error: JobError | None
    attempts: int


class ExtractFramesJobOut(JobDetail):
    job_type: Literal["video.extract_frames"]
    parameters: FramesParameters
    result: ExtractFramesResult | None


class ContactSheetJobOut(JobDetail):
    job_type: Literal["video.contact_sheet"]
    parameters: ContactSheetParameters
    result: ContactSheetResult | None


class VideoJobOut(JobDetail):
    job_type: Literal["video"]
    parameters: VideoParameters
    result: VideoResult | None


class TranscribeJobOut(JobDetail):
    job_type: Literal["audio.transcribe"]
    parameters: SpeechParameters
    result: TranscribeResult | None


class AudioJobOut(JobDetail):
    job_type: Literal["audio"]
    parameters: SpeechParameters
    result: AudioResult | None


class AnalyzeJobOut(JobDetail):
    job_type: Literal["analyze"]
    parameters: AnalyzeParameters
    result: AnalyzeResult | None


class DocumentJobOut(JobDetail):
    job_type: Literal["document"]
    parameters: DocumentParameters
    result: DocumentResult | None


class ReanalyzeJobOut(JobDetail):
    job_type: Literal["reanalyze"]
    parameters: ReanalyzeParameters
    result: ReanalyzeResult | None


class BenchmarkJobOut(JobDetail):
    job_type: Literal["benchmark"]
    parameters: BenchmarkParameters
    result: BenchmarkResult | None


class StoredJobOut(JobDetail):
    """A job shown as stored: a plug-in or imported type, or a shape an earlier
    version wrote that the typed views do not read."""

    parameters: dict[str, JsonValue]
    result: dict[str, JsonValue] | None


TypedJobOut = (
    ExtractFramesJobOut
    | ContactSheetJobOut
    | VideoJobOut
    | TranscribeJobOut
    | AudioJobOut
    | AnalyzeJobOut
    | DocumentJobOut
    | ReanalyzeJobOut
    | BenchmarkJobOut
)
JobOut = Annotated[
    TypedJobOut | StoredJobOut,
    Field(description="A job with its parameters and result, typed by `job_type`."),
]
TYPED_VIEWS: dict[str, type[TypedJobOut]] = {
    JobType.EXTRACT_FRAMES: ExtractFramesJobOut,
    JobType.CONTACT_SHEET: ContactSheetJobOut,
    JobType.VIDEO: VideoJobOut,
    JobType.TRANSCRIBE: TranscribeJobOut,
    JobType.AUDIO: AudioJobOut,
    JobType.ANALYZE: AnalyzeJobOut,
    JobType.DOCUMENT: DocumentJobOut,
    JobType.REANALYZE: ReanalyzeJobOut,
    JobType.BENCHMARK: BenchmarkJobOut,
}


def job_out(job: Job) -> TypedJobOut | StoredJobOut:
    """The job's typed view; the stored one when its row does not read as its type."""
    fields = {
        **JobBase.common_fields(job),
        "prompt": job.prompt,
        "error": JobError(**job.error) if job.error else None,
        "attempts": job.attempts,
    }
    stored = {"parameters": job.parameters or {}, "result": job.result}
    view = TYPED_VIEWS.get(job.job_type)
    if view is not None:
        try:
            return view(**fields, **stored)
        except ValidationError as exc:
            # Imported legacy jobs land here every time they are read: not worth a warning.
            logger.info(
                "job %s: stored %s job does not read as one (%d problems); shown as stored",
                job.id,
                job.job_type,
                exc.error_count(),
            )
    return StoredJobOut(**fields, **stored)


def job_json(job: Job) -> dict[str, Any]:
    """The job's view as JSON, as the API returns it."""
    dumped: dict[str, Any] = job_out(job).model_dump(mode="json")
    return dumped


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
