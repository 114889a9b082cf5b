"""Video submissions: frames, contact sheets."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from media_analysis.api.deps import Client, DbSession, RuntimeDep
from media_analysis.api.openapi_bodies import json_or_upload
from media_analysis.api.submissions import SUBMITTED, WaitSeconds, accept_submission
from media_analysis.api.video_schemas import ContactSheetRequest, ExtractFramesRequest

router = APIRouter(prefix="/api/media/video", tags=["video"])


@router.post(
    "/extract-frames",
    status_code=202,
    responses=SUBMITTED,
    summary="Extract frames at `fps` (default 3)",
    openapi_extra=json_or_upload(ExtractFramesRequest),
)
async def extract_frames(
    request: Request, runtime: RuntimeDep, session: DbSession, client: Client, wait: WaitSeconds = 0
) -> JSONResponse:
    return await accept_submission(request, ExtractFramesRequest, runtime, session, client, wait)


@router.post(
    "/contact-sheet",
    status_code=202,
    responses=SUBMITTED,
    summary="Extract frames and lay them out on contact sheets (default 2x3)",
    openapi_extra=json_or_upload(ContactSheetRequest),
)
async def contact_sheet(
    request: Request, runtime: RuntimeDep, session: DbSession, client: Client, wait: WaitSeconds = 0
) -> JSONResponse:
    return await accept_submission(request, ContactSheetRequest, runtime, session, client, wait)
