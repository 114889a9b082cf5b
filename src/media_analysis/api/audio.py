"""Audio submissions: transcription."""

from __future__ import annotations

from fastapi import APIRouter

from media_analysis.api.audio_schemas import TranscribeRequest
from media_analysis.api.submission_routes import add_submission_route

router = APIRouter(prefix="/api/media/audio", tags=["audio"])

add_submission_route(
    router,
    "/transcribe",
    TranscribeRequest,
    "submit_transcription",
    "Transcribe speech, trying the configured providers in order",
    "The job's result carries the transcript text and every provider attempt; "
    "`GET /api/media/jobs/{id}/transcript` gives it with timings as JSON, text, SRT or WebVTT.",
)
