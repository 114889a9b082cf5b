"""The document job type: text extraction with structure, then the analysis asked for."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from media_analysis.jobs.job_types import JobSpec, JobType
from media_analysis.pipelines.specs.parts import (
    AnalysisJson,
    AnalysisType,
    JsonObject,
    ProviderAttemptOut,
    SpecModel,
)


class DocumentParameters(SpecModel):
    analysis_type: AnalysisType


class SectionSummary(SpecModel):
    index: int
    title: str | None
    characters: int


class DocumentSummary(SpecModel):
    kind: str
    unit: str = Field(description="What a section is: page, slide, sheet or section.")
    section_count: int
    character_count: int
    ocr_used: bool
    metadata: JsonObject
    sections: list[SectionSummary] = Field(description="The first 200 sections.")


class DocumentResult(SpecModel):
    status: Literal["completed"] = "completed"
    document: DocumentSummary
    analysis_result: AnalysisJson
    providers: list[ProviderAttemptOut]
    warnings: list[str] = Field(description="What was partial, e.g. a truncated text.")


DOCUMENT = JobSpec(JobType.DOCUMENT, DocumentParameters, DocumentResult)
