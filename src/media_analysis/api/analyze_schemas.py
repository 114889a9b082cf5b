from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from media_analysis.api.audio_schemas import SpeechOptions, TranscribeRequest
from media_analysis.api.callback_fields import CallbackFields
from media_analysis.api.document_schemas import AnalysisType
from media_analysis.api.submissions import MediaSubmission, MediaUrl
from media_analysis.api.video_schemas import ContactSheetRequest, FrameFormat, grid_value
from media_analysis.config import Settings

MediaType = Literal["video", "audio", "document", "image"]


class AnalyzeRequest(SpeechOptions, MediaSubmission):
    job_type = "analyze"
    url_field = "media_url"
    accepted_kinds = frozenset({"video", "audio", "image", "document"})

    media_url: MediaUrl = Field(None, description="http(s) URL of the media.")
    media_type: MediaType | None = Field(
        None, description="Detected from the content (not the name) when omitted."
    )
    fps: float | None = Field(None, gt=0, le=30)
    grid: str | None = Field(None, description="Contact-sheet grid, rows x columns.")
    output_format: FrameFormat | None = None
    analysis_type: AnalysisType = Field("summary", description="For documents.")

    @field_validator("grid")
    @classmethod
    def _grid(cls, value: str | None) -> str | None:
        return grid_value(value)

    def parameters(self, settings: Settings) -> dict[str, Any]:
        return {
            "fps": self.fps or settings.fps,
            "grid": self.grid or settings.contact_sheet_grid,
            "output_format": self.output_format or settings.frame_format,
            "analysis_type": self.analysis_type,
            "media_type": self.media_type,
            **self.speech_parameters(settings),
        }

    def declared_media_type(self) -> str | None:
        return self.media_type


class ReanalyzeRequest(CallbackFields):
    prompt: str = Field(min_length=1, max_length=20_000, description="The new question.")
    analysis_type: AnalysisType | None = Field(None, description="For documents (default qa).")


class VideoAnalysisRequest(SpeechOptions, ContactSheetRequest):
    job_type = "video"

    def parameters(self, settings: Settings) -> dict[str, Any]:
        return {**super().parameters(settings), **self.speech_parameters(settings)}


class AudioAnalysisRequest(TranscribeRequest):
    job_type = "audio"
