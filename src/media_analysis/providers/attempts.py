"""The record of each provider tried, stored with the job (``providers`` / ``attempts``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, Protocol

from media_analysis.providers.failures import ProviderFailure

AttemptOutcome = Literal["success", "failed", "skipped"]
SkipReason = Literal["not_configured", "too_large", "circuit_open", "budget_exhausted"]


class Provider(Protocol):
    """What the fallback chain needs of any provider; ``configured`` is False without a key."""

    @property
    def name(self) -> str: ...

    @property
    def model(self) -> str: ...

    @property
    def configured(self) -> bool: ...


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
    def succeeded(cls, provider: Provider, latency_ms: int) -> ProviderAttempt:
        return cls(provider.name, provider.model, "success", latency_ms)

    @classmethod
    def failed(
        cls, provider: Provider, failure: ProviderFailure, latency_ms: int
    ) -> ProviderAttempt:
        message = failure.message
        if failure.provider_code:
            message = f"{message} ({failure.provider_code})"
        return cls(
            provider.name,
            provider.model,
            "failed",
            latency_ms,
            error_code=failure.kind,
            error_message=message,
            status=failure.status,
        )

    @classmethod
    def skipped(cls, provider: Provider, reason: SkipReason, why: str) -> ProviderAttempt:
        return cls(
            provider.name, provider.model, "skipped", 0, error_code=reason, error_message=why
        )

    def summary(self) -> str:
        if self.outcome == "success":
            return f"{self.provider} succeeded"
        status = f", HTTP {self.status}" if self.status is not None else ""
        return f"{self.provider} {self.outcome} ({self.error_code}{status})"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
