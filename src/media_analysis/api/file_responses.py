"""File downloads whose Range errors are problem+json like every other error."""

from __future__ import annotations

from starlette.responses import FileResponse, MalformedRangeHeader, RangeNotSatisfiable

from media_analysis.errors import BadRequest, MediaAnalysisError


class InvalidRange(BadRequest):
    code = "invalid_range"
    title = "Invalid Range"


class RangeOutsideFile(MediaAnalysisError):
    status_code = 416
    code = "range_not_satisfiable"
    title = "Range Not Satisfiable"

    def __init__(self, file_size: int) -> None:
        super().__init__(f"The requested range starts beyond the file's {file_size} bytes.")
        self.file_size = file_size

    def response_headers(self) -> dict[str, str]:
        return {"Content-Range": f"bytes */{self.file_size}"}


class RangeAwareFileResponse(FileResponse):
    """Starlette answers a bad Range in text/plain; this raises the service's errors instead.

    The response runs inside the route's error handling, so they become problem+json.
    """

    @classmethod
    def _parse_range_header(cls, http_range: str, file_size: int) -> list[tuple[int, int]]:
        try:
            return super()._parse_range_header(http_range, file_size)
        except MalformedRangeHeader as exc:
            raise InvalidRange("The Range header is not valid; send bytes=START-END.") from exc
        except RangeNotSatisfiable as exc:
            raise RangeOutsideFile(exc.max_size) from None
