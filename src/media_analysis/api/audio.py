"""Audio submissions: transcription."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from media_analysis.api.audio_schemas import TranscribeRequest
from media_analysis.api.deps import Client, DbSession, RuntimeDep
from media_analysis.api.openapi_bodies import json_or_upload
from media_analysis.api.submissions import SUBMITTED, WaitSeconds, accept_submission

router = APIRouter(prefix="/api/media/audio", tags=["audio"])


@router.post(
    "/transcribe",
    status_code=202,
    responses=SUBMITTED,
    summary="Transcribe speech, trying the configured providers in order",
    openapi_extra=json_or_upload(TranscribeRequest),
)
async def transcribe(
    request: Request, runtime: RuntimeDep, session: DbSession, client: Client, wait: WaitSeconds = 0
) -> JSONResponse:
    """The job's result carries the transcript text and every provider attempt;
    `GET /api/media/jobs/{id}/transcript` gives it with timings as JSON, text, SRT or WebVTT.
    """
    return await accept_submission(request, TranscribeRequest, runtime, session, client, wait)
