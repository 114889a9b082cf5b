from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, field_validator

from media_analysis.api.submissions import MediaSubmission, MediaUrl
from media_analysis.config import Settings, parse_grid
from media_analysis.jobs.job_types import JobSpec
from media_analysis.pipelines.specs.parts import ImageFormat
from media_analysis.pipelines.specs.video import (
    CONTACT_SHEET,
    EXTRACT_FRAMES,
    ContactSheetParameters,
    FramesParameters,
)


def grid_value(value: str | None) -> str | None:
    if value is None:
        return None
    rows, cols = parse_grid(value)
    return f"{rows}x{cols}"


class ExtractFramesRequest(MediaSubmission):
    spec: ClassVar[JobSpec[Any, Any]] = EXTRACT_FRAMES
    url_field = "video_url"
    accepted_kinds = frozenset({"video"})

    video_url: MediaUrl = Field(None, description="http(s) URL of the video.")
    fps: float | None = Field(None, gt=0, le=30, description="Frames per second (default 3).")
    output_format: ImageFormat | None = Field(None, description="jpg, png or webp.")

    def parameters(self, settings: Settings) -> FramesParameters:
        return FramesParameters(
            fps=self.fps or settings.fps,
            output_format=self.output_format or settings.frame_format,
        )


class ContactSheetRequest(ExtractFramesRequest):
    spec: ClassVar[JobSpec[Any, Any]] = CONTACT_SHEET

    grid: str | None = Field(None, description="Rows x columns, e.g. 2x3 (the default).")

    @field_validator("grid")
    @classmethod
    def _grid(cls, value: str | None) -> str | None:
        return grid_value(value)

    def parameters(self, settings: Settings) -> ContactSheetParameters:
        return ContactSheetParameters(
            **super().parameters(settings).model_dump(),
            grid=self.grid or settings.contact_sheet_grid,
        )
