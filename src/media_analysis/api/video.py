"""Video submissions: frames, contact sheets."""

from __future__ import annotations

from fastapi import APIRouter

from media_analysis.api.submission_routes import add_submission_route
from media_analysis.api.video_schemas import ContactSheetRequest, ExtractFramesRequest

router = APIRouter(prefix="/api/media/video", tags=["video"])

add_submission_route(
    router,
    "/extract-frames",
    ExtractFramesRequest,
    "submit_video_frames",
    "Extract frames at `fps` (default 3)",
)
add_submission_route(
    router,
    "/contact-sheet",
    ContactSheetRequest,
    "submit_video_contact_sheet",
    "Extract frames and lay them out on contact sheets (default 2x3)",
)
