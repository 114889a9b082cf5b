"""The resources the client reads, as the public API returns them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

TERMINAL_STATUSES = frozenset({"completed", "failed", "cancelled"})


class Resource(BaseModel):
    model_config = ConfigDict(extra="ignore")


class JobProgress(Resource):
    stage: str = "queued"
    percent: float = 0.0


class JobError(Resource):
    code: str
    message: str


class Analysis(Resource):
    """``result.analysis_result``: a model's answer, or a local description (provider local)."""

    provider: str = "local"
    model: str | None = None
    answer: str | None = None
    summary: str | None = None
    note: str | None = None

    @property
    def is_local(self) -> bool:
        return self.provider == "local"

    @property
    def text(self) -> str:
        return (self.answer or self.summary or "").strip()


class Job(Resource):
    id: str
    job_type: str
    status: str
    media_url: str | None = None
    media_type: str | None = None
    prompt: str | None = None
    progress: JobProgress = JobProgress()
    result: dict[str, Any] | None = None
    error: JobError | None = None
    created_at: datetime
    started_at: datetime | None = None
    completed_at: datetime | None = None
    processing_time_ms: int | None = None

    def analysis(self) -> Analysis | None:
        found = (self.result or {}).get("analysis_result")
        return Analysis.model_validate(found) if isinstance(found, dict) else None

    def transcript_text(self) -> str | None:
        transcript = (self.result or {}).get("transcript")
        text = transcript.get("text") if isinstance(transcript, dict) else transcript
        return text.strip() if isinstance(text, str) and text.strip() else None


class Asset(Resource):
    id: str
    asset_type: str
    mime_type: str | None = None
    url: str


class ArchiveMatch(Resource):
    source: str
    snippet: str
    timestamp: float | None = None
    section: int | None = None


class ArchiveHit(Resource):
    job: Job
    matches: list[ArchiveMatch]


class DeliveryAttempt(Resource):
    status_code: int | None = None
    error: str | None = None


class Delivery(Resource):
    """Where a job's outcome was sent (a webhook or a Kommo note), and how it went."""

    target: str
    url: str | None = None
    kommo_lead_id: int | None = None
    event_type: str
    status: str
    attempts: list[DeliveryAttempt] = []
    delivered_at: datetime | None = None


class StageProgress(Resource):
    """The data of one ``progress`` event."""

    stage: str
    percent: float = 0.0
    message: str | None = None
