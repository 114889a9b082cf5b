"""The reanalyze job type: a new prompt answered from a finished job's stored material."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import Field

from media_analysis.jobs.job_types import JobSpec, JobType
from media_analysis.pipelines.specs.parts import (
    AnalysisJson,
    AnalysisType,
    ProviderAttemptOut,
    SpecModel,
)


class ReanalyzeParameters(SpecModel):
    source_job_id: uuid.UUID
    analysis_type: AnalysisType | None = Field(description="null: qa.")

    @property
    def analysis(self) -> AnalysisType:
        return self.analysis_type or "qa"


class ReanalyzeResult(SpecModel):
    status: Literal["completed"] = "completed"
    source_job_id: uuid.UUID
    analysis_result: AnalysisJson
    providers: list[ProviderAttemptOut]


REANALYZE = JobSpec(JobType.REANALYZE, ReanalyzeParameters, ReanalyzeResult)
