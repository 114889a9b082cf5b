"""Understanding media: /analyze (type detected from content), /video, /audio, re-analysis."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from media_analysis.api.analyze_schemas import (
    AnalyzeRequest,
    AudioAnalysisRequest,
    ReanalyzeRequest,
    VideoAnalysisRequest,
)
from media_analysis.api.clients import activity_of
from media_analysis.api.deps import Client, DbSession, JobWaiter, SettingsDep
from media_analysis.api.jobs import load_job
from media_analysis.api.openapi_document import problem_responses
from media_analysis.api.submission_routes import add_submission_route
from media_analysis.api.submissions import SUBMITTED, WaitSeconds, respond_with_job
from media_analysis.db.models import JobStatus
from media_analysis.errors import Conflict
from media_analysis.jobs.submission import JobRequest, submit_job
from media_analysis.pipelines.specs.reanalysis import REANALYZE, ReanalyzeParameters
from media_analysis.webhooks.callbacks import register_job_callback, vet_callback

router = APIRouter(prefix="/api/media", tags=["analysis"])


class JobNotFinished(Conflict):
    code = "job_not_finished"
    title = "Job Not Finished"


add_submission_route(
    router,
    "/analyze",
    AnalyzeRequest,
    "submit_analysis",
    "Analyse any media: its type is detected from the content",
)
add_submission_route(
    router,
    "/video",
    VideoAnalysisRequest,
    "submit_video",
    "Frames, contact sheets, transcript of the audio track and an answer to the prompt",
)
add_submission_route(
    router, "/audio", AudioAnalysisRequest, "submit_audio", "Transcript and an answer to the prompt"
)


@router.post(
    "/jobs/{job_id}/analyze",
    status_code=202,
    responses={**SUBMITTED, **problem_responses(404, 409)},
    operation_id="reanalyze_job",
    summary="Ask a new question about a finished job, from its stored frames and text",
)
async def reanalyze(
    job_id: uuid.UUID,
    body: ReanalyzeRequest,
    settings: SettingsDep,
    wait_for: JobWaiter,
    session: DbSession,
    client: Client,
    wait: WaitSeconds = 0,
) -> JSONResponse:
    source = await load_job(session, job_id, client)
    if source.status != JobStatus.COMPLETED:
        raise JobNotFinished(
            f"Job {job_id} is {source.status}; only completed jobs can be re-analysed."
        )
    parameters = ReanalyzeParameters(source_job_id=job_id, analysis_type=body.analysis_type)
    job_request = JobRequest(
        REANALYZE.job_type,
        REANALYZE.parameters_json(parameters),
        media_type=source.media_type,
        original_filename=source.original_filename,
        prompt=body.prompt,
        max_attempts=settings.job_max_attempts,
    )
    callback = await vet_callback(settings, body.callback_request())
    submitted = await submit_job(session, job_request, activity_of(client), None)
    await register_job_callback(session, submitted.job.id, callback)
    return await respond_with_job(wait_for, session, submitted.job, wait)
