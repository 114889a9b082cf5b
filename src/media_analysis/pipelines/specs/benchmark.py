"""The benchmark job type: one reference clip through every transcriber, scored by WER."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from media_analysis.jobs.job_types import JobSpec, JobType
from media_analysis.pipelines.specs.parts import MediaFacts, SpecModel


class BenchmarkParameters(SpecModel):
    reference_text: str
    language: str | None


class ProviderScore(SpecModel):
    provider: str
    model: str


class ScoreSkipped(ProviderScore):
    outcome: Literal["skipped"] = "skipped"
    error_code: str


class ScoreFailed(ProviderScore):
    outcome: Literal["failed"] = "failed"
    error_code: str
    error: str


class ScoreSucceeded(ProviderScore):
    outcome: Literal["success"] = "success"
    latency_ms: int
    wer: float = Field(description="Word error rate against the reference text.")
    text: str
    audio_seconds: float | None


Score = Annotated[ScoreSkipped | ScoreFailed | ScoreSucceeded, Field(discriminator="outcome")]


class BenchmarkResult(SpecModel):
    reference_text: str
    results: list[Score] = Field(description="Successes first, best WER first.")
    media: MediaFacts


BENCHMARK = JobSpec(JobType.BENCHMARK, BenchmarkParameters, BenchmarkResult)
