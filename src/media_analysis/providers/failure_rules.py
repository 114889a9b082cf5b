"""PROVIDERS.md §6: which answers mean "try the next provider" and which are the caller's fault."""

from __future__ import annotations

from media_analysis.providers.failures import CallerFault, FailureKind

# Phrases providers use when they could not decode the audio we sent.
AUDIO_REJECTION_MARKERS = (
    "corrupt",
    "unsupported data",
    "could not be decoded",
    "could not decode",
    "could not process file",
    "valid media file",
    "failed to process audio",
    "invalid file format",
    "file must be one of",
    "format is not supported",
    "audio file is too short",
)


def kind_for_status(status: int) -> FailureKind:
    """The reading of an HTTP status when the body says nothing more precise.

    The one table for every provider. Groq's 498 (flex tier out of capacity) is
    throttling; Deepgram's 422 (upload interrupted), Groq's 424 (failed dependency) and
    499 (request cancelled upstream) are the provider's trouble, not the request's.
    """
    if status in (401, 402, 403):
        return "auth"
    if status == 408:
        return "timeout"
    if status == 413:
        return "too_large"
    if status in (429, 498):
        return "throttled"
    if status >= 500 or status in (422, 424, 499):
        return "server"
    return "misconfigured"


def classify_bad_request(
    message: str, *, language: str | None
) -> tuple[FailureKind, CallerFault | None]:
    """A 400 is ambiguous: it is ours only for a caller-given language or undecodable audio."""
    lowered = message.lower()
    if language and "language" in lowered:
        return "caller", "unsupported_language"
    if any(marker in lowered for marker in AUDIO_REJECTION_MARKERS):
        return "caller", "invalid_media"
    return "misconfigured", None
