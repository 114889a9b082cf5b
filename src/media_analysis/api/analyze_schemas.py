from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, field_validator

from media_analysis.api.audio_schemas import SpeechOptions, TranscribeRequest
from media_analysis.api.callback_fields import CallbackFields
from media_analysis.api.submissions import MediaSubmission, MediaUrl
from media_analysis.api.video_schemas import ContactSheetRequest, grid_value
from media_analysis.config import Settings
from media_analysis.jobs.job_types import JobSpec
from media_analysis.pipelines.specs.analyze import ANALYZE, AnalyzeParameters, MediaKind
from media_analysis.pipelines.specs.audio import AUDIO
from media_analysis.pipelines.specs.parts import AnalysisType, ImageFormat
from media_analysis.pipelines.specs.video import VIDEO, VideoParameters


class AnalyzeRequest(SpeechOptions, MediaSubmission):
    spec: ClassVar[JobSpec[Any, Any]] = ANALYZE
    url_field = "media_url"
    accepted_kinds = frozenset({"video", "audio", "image", "document"})

    media_url: MediaUrl = Field(None, description="http(s) URL of the media.")
    media_type: MediaKind | None = Field(
        None, description="Detected from the content (not the name) when omitted."
    )
    fps: float | None = Field(None, gt=0, le=30)
    grid: str | None = Field(None, description="Contact-sheet grid, rows x columns.")
    output_format: ImageFormat | None = None
    analysis_type: AnalysisType = Field("summary", description="For documents.")

    @field_validator("grid")
    @classmethod
    def _grid(cls, value: str | None) -> str | None:
        return grid_value(value)

    def parameters(self, settings: Settings) -> AnalyzeParameters:
        return AnalyzeParameters(
            fps=self.fps or settings.fps,
            grid=self.grid or settings.contact_sheet_grid,
            output_format=self.output_format or settings.frame_format,
            analysis_type=self.analysis_type,
            media_type=self.media_type,
            **self.speech_parameters(settings).model_dump(),
        )

    def declared_media_type(self) -> str | None:
        return self.media_type


class ReanalyzeRequest(CallbackFields):
    prompt: str = Field(min_length=1, max_length=20_000, description="The new question.")
    analysis_type: AnalysisType | None = Field(None, description="For documents (default qa).")


class VideoAnalysisRequest(SpeechOptions, ContactSheetRequest):
    spec: ClassVar[JobSpec[Any, Any]] = VIDEO

    def parameters(self, settings: Settings) -> VideoParameters:
        return VideoParameters(
            **super().parameters(settings).model_dump(),
            **self.speech_parameters(settings).model_dump(),
        )


class AudioAnalysisRequest(TranscribeRequest):
    spec: ClassVar[JobSpec[Any, Any]] = AUDIO
