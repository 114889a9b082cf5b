from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from media_analysis.api.submissions import MediaSubmission, MediaUrl
from media_analysis.config import Settings, parse_grid

FrameFormat = Literal["jpg", "png", "webp"]


def grid_value(value: str | None) -> str | None:
    if value is None:
        return None
    rows, cols = parse_grid(value)
    return f"{rows}x{cols}"


class ExtractFramesRequest(MediaSubmission):
    job_type = "video.extract_frames"
    url_field = "video_url"
    accepted_kinds = frozenset({"video"})

    video_url: MediaUrl = Field(None, description="http(s) URL of the video.")
    fps: float | None = Field(None, gt=0, le=30, description="Frames per second (default 3).")
    output_format: FrameFormat | None = Field(None, description="jpg, png or webp.")

    def parameters(self, settings: Settings) -> dict[str, Any]:
        return {
            "fps": self.fps or settings.fps,
            "output_format": self.output_format or settings.frame_format,
        }


class ContactSheetRequest(ExtractFramesRequest):
    job_type = "video.contact_sheet"

    grid: str | None = Field(None, description="Rows x columns, e.g. 2x3 (the default).")

    @field_validator("grid")
    @classmethod
    def _grid(cls, value: str | None) -> str | None:
        return grid_value(value)

    def parameters(self, settings: Settings) -> dict[str, Any]:
        return {**super().parameters(settings), "grid": self.grid or settings.contact_sheet_grid}
