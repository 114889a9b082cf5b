from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, model_validator

from media_analysis.api.submissions import MediaSubmission, MediaUrl
from media_analysis.config import Settings
from media_analysis.jobs.job_types import JobSpec
from media_analysis.pipelines.specs.documents import DOCUMENT, DocumentParameters
from media_analysis.pipelines.specs.parts import AnalysisType


class DocumentRequest(MediaSubmission):
    spec: ClassVar[JobSpec[Any, Any]] = DOCUMENT
    url_field = "document_url"
    accepted_kinds = frozenset({"document", "image"})

    document_url: MediaUrl = Field(None, description="http(s) URL of the document.")
    analysis_type: AnalysisType = Field("summary", description="summary, extract or qa.")

    @model_validator(mode="after")
    def _question_for_qa(self) -> DocumentRequest:
        if self.analysis_type == "qa" and not (self.prompt or "").strip():
            raise ValueError("analysis_type 'qa' needs the question in 'prompt'")
        return self

    def parameters(self, settings: Settings) -> DocumentParameters:
        return DocumentParameters(analysis_type=self.analysis_type)
