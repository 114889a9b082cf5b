"""One exception hierarchy for the service.

Every error carries an HTTP status and a stable ``code``; a single handler in
``api/problems.py`` renders them as RFC 9457 problem+json. Job handlers store the
same ``code`` and message on a failed job.
"""

from __future__ import annotations

from typing import Any, ClassVar


class MediaAnalysisError(Exception):
    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    title: ClassVar[str] = "Internal Server Error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def response_headers(self) -> dict[str, str]:
        """Headers the HTTP answer carries besides the problem body."""
        return {}


class BadRequest(MediaAnalysisError):
    status_code = 400
    code = "bad_request"
    title = "Bad Request"


class Unauthorized(MediaAnalysisError):
    status_code = 401
    code = "unauthorized"
    title = "Unauthorized"

    def response_headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class Forbidden(MediaAnalysisError):
    status_code = 403
    code = "forbidden"
    title = "Forbidden"


class NotFound(MediaAnalysisError):
    status_code = 404
    code = "not_found"
    title = "Not Found"


class Conflict(MediaAnalysisError):
    status_code = 409
    code = "conflict"
    title = "Conflict"


class PayloadTooLarge(MediaAnalysisError):
    status_code = 413
    code = "payload_too_large"
    title = "Payload Too Large"


class UnsupportedMediaType(MediaAnalysisError):
    status_code = 415
    code = "unsupported_media_type"
    title = "Unsupported Media Type"


class UnprocessableContent(MediaAnalysisError):
    status_code = 422
    code = "unprocessable"
    title = "Unprocessable Content"


class ServiceUnavailable(MediaAnalysisError):
    status_code = 503
    code = "service_unavailable"
    title = "Service Unavailable"


class EmptyFile(BadRequest):
    code = "empty_file"
    title = "Empty File"

    def __init__(self) -> None:
        super().__init__("The file is empty: it has no bytes to analyse.")


class InvalidCursor(BadRequest):
    code = "invalid_cursor"
    title = "Invalid Cursor"


class UnsafeURL(BadRequest):
    code = "unsafe_url"
    title = "URL Not Allowed"


class FetchFailed(BadRequest):
    code = "fetch_failed"
    title = "Download Failed"


class InvalidMedia(UnprocessableContent):
    code = "invalid_media"
    title = "Invalid Media"


class MediaTooLong(UnprocessableContent):
    code = "media_too_long"
    title = "Media Too Long"


class MediaTooLarge(UnprocessableContent):
    code = "media_too_large"
    title = "Media Too Large"


class ResourceLimit(UnprocessableContent):
    """The work on one file needed more memory than a job may use."""

    code = "resource_limit"
    title = "Resource Limit Exceeded"


class NoAudio(UnprocessableContent):
    code = "no_audio"
    title = "No Audio Stream"


class InvalidDocument(UnprocessableContent):
    code = "invalid_document"
    title = "Invalid Document"


class DocumentTooLarge(UnprocessableContent):
    code = "document_too_large"
    title = "Document Too Large"


class ProcessingTimeout(MediaAnalysisError):
    status_code = 504
    code = "processing_timeout"
    title = "Processing Timed Out"


class ProviderUnavailable(ServiceUnavailable):
    """Every provider that could serve a request failed or was skipped."""

    code = "providers_unavailable"
    title = "No Provider Available"
