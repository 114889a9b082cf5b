"""Downloads of files kept in object storage: streamed with Range support, or a redirect.

With ``MEDIA_ANALYSIS_PRESIGNED_DOWNLOADS`` the client is sent (307) to a short-lived
presigned URL, so large files never pass through the API.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi.responses import RedirectResponse, Response, StreamingResponse

from media_analysis.api.file_responses import RangeAwareFileResponse
from media_analysis.config import Settings
from media_analysis.errors import NotFound, ServiceUnavailable
from media_analysis.storage import Storage, StoreUnavailable


async def stored_download(
    storage: Storage,
    settings: Settings,
    location: str,
    http_range: str | None,
    headers: dict[str, str],
    media_type: str,
) -> Response:
    try:
        if settings.presigned_downloads:
            url = await storage.presign(location, timedelta(seconds=settings.presigned_url_seconds))
            if url is not None:
                return RedirectResponse(url, status_code=307, headers=_redirect_headers(headers))
        stored = await storage.stat(location)
    except StoreUnavailable as exc:
        raise ServiceUnavailable("The file store is not reachable; try again shortly.") from exc
    if stored is None:
        raise NotFound("The file is no longer stored.")
    return _streamed(storage, location, stored.size, http_range, headers, media_type)


def _streamed(
    storage: Storage,
    location: str,
    size: int,
    http_range: str | None,
    headers: dict[str, str],
    media_type: str,
) -> Response:
    # One range is answered with 206; several (rare) get the whole file, as RFC 9110 allows.
    ranges = RangeAwareFileResponse._parse_range_header(http_range, size) if http_range else []
    start, end, status = 0, size, 200
    if len(ranges) == 1:
        (start, end), status = ranges[0], 206
        headers = {**headers, "Content-Range": f"bytes {start}-{end - 1}/{size}"}
    headers = {**headers, "Accept-Ranges": "bytes", "Content-Length": str(end - start)}
    body = storage.read_range(location, start, end) if end > start else [b""]
    return StreamingResponse(body, status_code=status, headers=headers, media_type=media_type)


def _redirect_headers(headers: dict[str, str]) -> dict[str, str]:
    # The signed URL expires: a cache must not keep the redirect.
    return {"ETag": headers["ETag"], "Cache-Control": "private, no-store"}
