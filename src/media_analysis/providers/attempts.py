"""The record of each provider tried for one transcription, stored with the job."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from media_analysis.providers.failures import ProviderFailure
from media_analysis.providers.transcription import Transcriber, Transcript

AttemptOutcome = Literal["success", "failed", "skipped"]
SkipReason = Literal["not_configured", "too_large", "circuit_open"]


@dataclass(frozen=True)
class ProviderAttempt:
    provider: str
    model: str
    outcome: AttemptOutcome
    latency_ms: int
    error_code: str | None = None
    error_message: str | None = None
    status: int | None = None

    @classmethod
    def succeeded(cls, transcriber: Transcriber, latency_ms: int) -> ProviderAttempt:
        return cls(transcriber.name, transcriber.model, "success", latency_ms)

    @classmethod
    def failed(
        cls, transcriber: Transcriber, failure: ProviderFailure, latency_ms: int
    ) -> ProviderAttempt:
        message = failure.message
        if failure.provider_code:
            message = f"{message} ({failure.provider_code})"
        return cls(
            transcriber.name,
            transcriber.model,
            "failed",
            latency_ms,
            error_code=failure.kind,
            error_message=message,
            status=failure.status,
        )

    @classmethod
    def skipped(cls, transcriber: Transcriber, reason: SkipReason, why: str) -> ProviderAttempt:
        return cls(
            transcriber.name, transcriber.model, "skipped", 0, error_code=reason, error_message=why
        )

    def summary(self) -> str:
        if self.outcome == "success":
            return f"{self.provider} succeeded"
        status = f", HTTP {self.status}" if self.status is not None else ""
        return f"{self.provider} {self.outcome} ({self.error_code}{status})"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FallbackOutcome:
    transcript: Transcript
    attempts: tuple[ProviderAttempt, ...]
