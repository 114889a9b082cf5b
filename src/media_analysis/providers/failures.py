"""The one way a provider fails, and the caller-facing errors a failure can become.

Every provider (transcription or vision) raises :class:`ProviderFailure`; its ``kind``
tells the fallback chain whether the next provider may succeed where this one did not.
"""

from __future__ import annotations

from typing import Literal

from media_analysis.errors import BadRequest, InvalidMedia, MediaAnalysisError, UnprocessableContent
from media_analysis.providers.redaction import redact

FailureKind = Literal[
    "auth", "throttled", "server", "timeout", "too_large", "misconfigured", "unsupported", "caller"
]
CallerFault = Literal["unsupported_language", "invalid_media", "content_refused"]

MAX_FAILURE_MESSAGE = 300


class ProviderFailure(Exception):
    """A provider could not answer; ``kind`` decides whether fallback moves on.

    ``caller_fault`` is set only for kind ``caller``. The message never holds a secret:
    providers pass their API key as ``secret`` and it is redacted.
    """

    def __init__(
        self,
        provider: str,
        kind: FailureKind,
        message: str,
        *,
        status: int | None = None,
        provider_code: str | None = None,
        retry_after: float | None = None,
        caller_fault: CallerFault | None = None,
        secret: str | None = None,
    ) -> None:
        self.provider = provider
        self.kind: FailureKind = kind
        self.message = redact(message, secret)[:MAX_FAILURE_MESSAGE]
        self.status = status
        self.provider_code = provider_code
        self.retry_after = retry_after
        self.caller_fault: CallerFault | None = caller_fault
        super().__init__(self.describe())

    def describe(self) -> str:
        answered = f" (HTTP {self.status})" if self.status is not None else ""
        code = f" [{self.provider_code}]" if self.provider_code else ""
        return f"{self.provider} {self.kind}{answered}{code}: {self.message}"

    def __repr__(self) -> str:
        return f"ProviderFailure({self.describe()!r})"


class UnknownProvider(BadRequest):
    code = "unknown_provider"
    title = "Unknown Provider"


class ProviderNotConfigured(BadRequest):
    code = "provider_not_configured"
    title = "Provider Not Configured"


class UnsupportedLanguage(BadRequest):
    code = "unsupported_language"
    title = "Unsupported Language"


class ContentRefused(UnprocessableContent):
    code = "content_refused"
    title = "Content Refused"


def caller_error(failure: ProviderFailure) -> MediaAnalysisError:
    """The domain error for a failure that is the caller's fault (kind ``caller``)."""
    detail = f"{failure.provider}: {failure.message}"
    if failure.caller_fault == "unsupported_language":
        return UnsupportedLanguage(detail)
    if failure.caller_fault == "content_refused":
        return ContentRefused(detail)
    return InvalidMedia(detail)
