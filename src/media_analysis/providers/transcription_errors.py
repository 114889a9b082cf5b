"""Caller-facing errors raised by transcription fallback (rendered by the one error handler)."""

from __future__ import annotations

from media_analysis.errors import BadRequest, InvalidMedia, MediaAnalysisError, UnprocessableContent
from media_analysis.providers.transcription import ProviderFailure


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
