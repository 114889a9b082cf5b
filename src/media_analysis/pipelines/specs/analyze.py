"""The analyze job type: the media's type found from its content, then its pipeline."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, RootModel

from media_analysis.jobs.job_types import JobSpec, JobType
from media_analysis.pipelines.specs.audio import AudioResult, SpeechParameters
from media_analysis.pipelines.specs.documents import DocumentResult
from media_analysis.pipelines.specs.parts import AnalysisType, AnalyzeResponse, ImageFacts
from media_analysis.pipelines.specs.video import ContactSheetParameters, VideoResult

MediaKind = Literal["video", "audio", "image", "document"]


class AnalyzeParameters(SpeechParameters, ContactSheetParameters):
    analysis_type: AnalysisType = Field(description="For documents.")
    media_type: MediaKind | None = Field(description="As declared; null: found from content.")


class ImageResult(AnalyzeResponse):
    media_type: Literal["image"] = "image"
    media: ImageFacts


class AnalyzedDocumentResult(AnalyzeResponse, DocumentResult):
    media_type: Literal["document"] = "document"


class AnalyzeResult(
    RootModel[
        Annotated[
            VideoResult | AudioResult | ImageResult | AnalyzedDocumentResult,
            Field(discriminator="media_type"),
        ]
    ]
):
    """The result of the pipeline the media's type chose."""


ANALYZE = JobSpec(JobType.ANALYZE, AnalyzeParameters, AnalyzeResult)
