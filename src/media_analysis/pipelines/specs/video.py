"""The video job types: frames, frames with contact sheets, and the whole analysis."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from media_analysis.config import parse_grid
from media_analysis.jobs.job_types import JobSpec, JobType
from media_analysis.pipelines.specs.audio import SpeechParameters
from media_analysis.pipelines.specs.parts import (
    AnalyzeResponse,
    FrameSummary,
    ImageFormat,
    MediaFacts,
    ProblemNote,
    SheetSummary,
    SpecModel,
)


class FramesParameters(SpecModel):
    fps: float = Field(gt=0, description="Frames sampled per second.")
    output_format: ImageFormat


class ContactSheetParameters(FramesParameters):
    grid: str = Field(description="Rows x columns of each contact sheet, e.g. 2x3.")

    @property
    def rows_and_columns(self) -> tuple[int, int]:
        return parse_grid(self.grid)


class VideoParameters(SpeechParameters, ContactSheetParameters):
    pass


class FramesResult(FrameSummary):
    fps: float
    output_format: ImageFormat
    warnings: list[ProblemNote] = Field(description="What was partial, e.g. a truncated file.")


class ExtractFramesResult(FramesResult):
    media: MediaFacts


class SheetsResult(FramesResult):
    grid: str
    contact_sheet_count: int
    contact_sheet_path: str | None = Field(description="Download URL of the first sheet.")
    contact_sheets: list[SheetSummary]


class ContactSheetResult(SheetsResult):
    media: MediaFacts


class VideoResult(AnalyzeResponse, SheetsResult):
    media_type: Literal["video"] = "video"
    media: MediaFacts
    transcript_error: ProblemNote | None = Field(
        description="Why the audio track has no transcript, when transcription failed."
    )


EXTRACT_FRAMES = JobSpec(JobType.EXTRACT_FRAMES, FramesParameters, ExtractFramesResult)
CONTACT_SHEET = JobSpec(JobType.CONTACT_SHEET, ContactSheetParameters, ContactSheetResult)
VIDEO = JobSpec(JobType.VIDEO, VideoParameters, VideoResult)
