"""A job's transcript as JSON, plain text, SubRip or WebVTT."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Response

from media_analysis.api.audio_schemas import TranscriptFormat, TranscriptOut
from media_analysis.api.deps import Client, DbSession
from media_analysis.api.jobs import load_job
from media_analysis.api.openapi_document import problem_response_doc
from media_analysis.db.models import Transcription
from media_analysis.formats.subtitles import render_srt, render_text, render_vtt
from media_analysis.pipelines.transcripts import stored_transcription, transcript_of
from media_analysis.providers.transcription import Transcript

router = APIRouter(prefix="/api/media/jobs", tags=["jobs"])

MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "txt": "text/plain; charset=utf-8",
    "srt": "application/x-subrip",
    "vtt": "text/vtt; charset=utf-8",
}
RENDERERS: dict[str, Callable[[Transcript], str]] = {
    "txt": render_text,
    "srt": render_srt,
    "vtt": render_vtt,
}
TranscriptFormatQuery = Annotated[
    TranscriptFormat, Query(alias="format", description="json, txt, srt or vtt.")
]


@router.get(
    "/{job_id}/transcript",
    summary="A job's transcript as JSON, text, SRT or WebVTT",
    operation_id="get_job_transcript",
    response_model=TranscriptOut,
    responses={
        200: {"content": {media_type: {} for media_type in MEDIA_TYPES.values()}},
        404: problem_response_doc("Unknown job, or the job ended without a transcript."),
        409: problem_response_doc("The job is still pending or processing: ask again later."),
    },
)
async def get_transcript(
    job_id: uuid.UUID, session: DbSession, client: Client, format_: TranscriptFormatQuery = "json"
) -> Response:
    """`409 transcript_not_ready` while the job runs; `404` once it ended without one."""
    job = await load_job(session, job_id, client)
    row = await stored_transcription(session, job)
    return transcript_response(row, format_)


def transcript_response(row: Transcription, format_: TranscriptFormat) -> Response:
    if format_ == "json":
        body = TranscriptOut.of(row).model_dump_json()
    else:
        body = RENDERERS[format_](transcript_of(row))
    disposition = "inline" if format_ in ("json", "txt") else "attachment"
    filename = f"transcript-{row.job_id}.{format_}"
    return Response(
        body,
        media_type=MEDIA_TYPES[format_],
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )
