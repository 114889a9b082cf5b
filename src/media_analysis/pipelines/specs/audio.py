"""The audio job types: the transcript alone, and the transcript with an answer."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from media_analysis.jobs.job_types import JobSpec, JobType
from media_analysis.pipelines.specs.parts import (
    AnalyzeResponse,
    MediaFacts,
    ProviderAttemptOut,
    SpecModel,
    TranscriptSummary,
)


class SpeechParameters(SpecModel):
    provider: str | None = Field(description="Only this provider; null tries them in order.")
    language: str | None = Field(description="ISO-639-1 code; null lets the provider detect.")
    normalize: bool = Field(description="Loudness normalised before transcribing.")


class TranscribeResult(SpecModel):
    transcript: TranscriptSummary
    providers: list[ProviderAttemptOut]
    media: MediaFacts


class AudioResult(AnalyzeResponse):
    media_type: Literal["audio"] = "audio"
    media: MediaFacts


TRANSCRIBE = JobSpec(JobType.TRANSCRIBE, SpeechParameters, TranscribeResult)
AUDIO = JobSpec(JobType.AUDIO, SpeechParameters, AudioResult)
