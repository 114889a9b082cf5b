"""Pieces that several job results share: media facts, sheets, transcripts, attempts."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, JsonValue


def _as_json(value: object) -> object:
    """Tuples become lists, as they would on their way into the JSON column."""
    return json.loads(json.dumps(value))


ImageFormat = Literal["jpg", "png", "webp"]
AnalysisType = Literal["summary", "extract", "qa"]
JsonObject = Annotated[dict[str, JsonValue], BeforeValidator(_as_json)]
AnalysisJson = JsonObject
"""An analysis as its maker wrote it: a model's answer, or the local analysis."""


class SpecModel(BaseModel):
    """Parameters and results: exactly these fields, every one of them always written."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class MediaFacts(SpecModel):
    media_type: Literal["video", "audio"]
    duration_seconds: float
    container: str
    size_bytes: int
    has_video: bool
    has_audio: bool
    video_codec: str | None
    frame_rate: float | None
    width: int | None
    height: int | None
    rotation: int
    streams: list[dict[str, str | int | float]] = Field(
        description="Each audio and video stream: kind, codec and what else is known."
    )


class ImageFacts(SpecModel):
    media_type: Literal["image"] = "image"
    format: str | None
    width: int
    height: int
    size_bytes: int


class Tile(SpecModel):
    position: int
    frame_index: int
    timestamp: float
    box: list[int] = Field(description="left, top, right, bottom in the sheet's pixels.")


class SheetSummary(SpecModel):
    index: int | None
    asset_id: str
    url: str
    width: int | None
    height: int | None
    tiles: list[Tile]


class TranscriptSummary(SpecModel):
    """What a result says about its transcript; the whole one is at /transcript."""

    text: str
    language: str | None
    confidence: float | None
    duration_seconds: float | None
    word_count: int
    provider: str
    model: str | None


class ProblemNote(SpecModel):
    code: str
    message: str


class ProviderAttemptOut(BaseModel):
    """One provider tried: transcription attempts also carry ``status`` and ``chunk``."""

    model_config = ConfigDict(extra="allow")

    provider: str
    model: str | None
    outcome: str = Field(description="success, failed or skipped.")
    latency_ms: int
    error_code: str | None
    error_message: str | None


class FrameSummary(SpecModel):
    frame_count: int
    first_timestamp: float | None
    last_timestamp: float | None


class AnalyzeResponse(SpecModel):
    """The seed's AnalyzeResponse fields, whatever understanding pipeline answered."""

    status: Literal["completed"] = "completed"
    frame_count: int = 0
    contact_sheet_path: str | None = Field(None, description="Download URL of the first sheet.")
    contact_sheets: list[SheetSummary] = []
    transcript: TranscriptSummary | None = None
    providers: list[ProviderAttemptOut]
    analysis_result: AnalysisJson
    processing_time_ms: int
