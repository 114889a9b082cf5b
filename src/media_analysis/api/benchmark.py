"""Provider benchmark: health from recorded attempts, and accuracy runs on a reference clip."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from fastapi import APIRouter
from pydantic import BaseModel, Field, field_validator

from media_analysis.api.audio_schemas import language_code
from media_analysis.api.deps import Client, DbSession
from media_analysis.api.submission_routes import add_submission_route
from media_analysis.api.submissions import (
    MediaSubmission,
    MediaUrl,
)
from media_analysis.benchmark.stats import provider_stats
from media_analysis.config import Settings
from media_analysis.jobs.job_types import JobSpec
from media_analysis.pipelines.specs.benchmark import BENCHMARK, BenchmarkParameters

router = APIRouter(prefix="/api/media", tags=["benchmark"])


class ProviderStats(BaseModel):
    kind: str = Field(description="transcription or analysis")
    provider: str
    model: str | None
    attempts: int = Field(description="Calls made (skips not counted).")
    skipped: int
    success_rate: float | None
    latency_ms: dict[str, float | None] = Field(description="p50 and p95.")
    audio_seconds: float
    cost_usd: float | None = Field(description="From list prices; null when unknown.")


class BenchmarkReport(BaseModel):
    generated_at: datetime
    providers: list[ProviderStats]


class BenchmarkRequest(MediaSubmission):
    spec: ClassVar[JobSpec[Any, Any]] = BENCHMARK
    url_field = "audio_url"

    audio_url: MediaUrl = Field(None, description="http(s) URL of the reference clip.")
    reference_text: str = Field(min_length=1, max_length=100_000, description="What is said.")
    language: str | None = Field(None, description="ISO-639-1 code, e.g. en.")

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return language_code(value)

    def parameters(self, settings: Settings) -> BenchmarkParameters:
        return BenchmarkParameters(reference_text=self.reference_text, language=self.language)


@router.get(
    "/benchmark",
    response_model=BenchmarkReport,
    summary="Provider health at a glance",
    operation_id="get_benchmark",
)
async def benchmark(session: DbSession, _client: Client) -> BenchmarkReport:
    stats = await provider_stats(session)
    return BenchmarkReport(
        generated_at=datetime.now(UTC), providers=[ProviderStats(**entry) for entry in stats]
    )


add_submission_route(
    router,
    "/benchmark",
    BenchmarkRequest,
    "submit_benchmark",
    "Run a reference clip through every configured provider; report WER and latency",
)
