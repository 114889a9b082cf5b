"""Audio submissions and the transcript resource."""

from __future__ import annotations

import re
import uuid
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field, field_validator

from media_analysis.api.submissions import MediaSubmission, MediaUrl
from media_analysis.config import Settings
from media_analysis.db.models import Transcription
from media_analysis.jobs.job_types import JobSpec
from media_analysis.pipelines.specs.audio import TRANSCRIBE, SpeechParameters
from media_analysis.providers.factory import enabled_transcriber

ProviderName = Literal["groq", "deepgram", "openai", "gemini", "local"]
TranscriptFormat = Literal["json", "txt", "srt", "vtt"]
ISO_639_1 = re.compile(r"^[a-z]{2}$")


def language_code(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    code = value.strip().lower()
    if not ISO_639_1.match(code):
        raise ValueError("must be a two-letter ISO-639-1 code such as en or fr")
    return code


class SpeechOptions(BaseModel):
    """How speech is transcribed; shared by every submission that transcribes."""

    provider: ProviderName | None = Field(
        None, description="Use only this provider; by default the configured order is tried."
    )
    language: str | None = Field(
        None, description="ISO-639-1 code of the spoken language, e.g. en; detected if omitted."
    )
    normalize: bool | None = Field(
        None, description="Normalise loudness before transcribing (default true)."
    )

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return language_code(value)

    def speech_parameters(self, settings: Settings) -> SpeechParameters:
        if self.provider is not None:
            enabled_transcriber(settings, self.provider)
        return SpeechParameters(
            provider=self.provider,
            language=self.language,
            normalize=True if self.normalize is None else self.normalize,
        )


class TranscribeRequest(SpeechOptions, MediaSubmission):
    spec: ClassVar[JobSpec[Any, Any]] = TRANSCRIBE
    url_field = "audio_url"

    audio_url: MediaUrl = Field(None, description="http(s) URL of the audio (or a video).")

    def parameters(self, settings: Settings) -> SpeechParameters:
        return self.speech_parameters(settings)


class WordOut(BaseModel):
    text: str
    start: float
    end: float
    confidence: float | None = None


class SegmentOut(BaseModel):
    start: float
    end: float
    text: str


class TranscriptOut(BaseModel):
    job_id: uuid.UUID
    text: str
    language: str | None
    confidence: float | None
    duration_seconds: float | None
    provider: str
    model: str | None
    words: list[WordOut] = Field(description="Word timings in seconds; empty when not given.")
    segments: list[SegmentOut]
    providers: list[dict[str, Any]] = Field(description="Every provider attempt, in order.")

    @classmethod
    def of(cls, row: Transcription) -> TranscriptOut:
        return cls(
            job_id=row.job_id,
            text=row.text_content,
            language=row.language,
            confidence=row.confidence_score,
            duration_seconds=row.duration_seconds,
            provider=row.provider,
            model=row.model,
            words=[WordOut.model_validate(word) for word in row.word_timestamps],
            segments=[SegmentOut.model_validate(segment) for segment in row.segments],
            providers=list(row.attempts),
        )
