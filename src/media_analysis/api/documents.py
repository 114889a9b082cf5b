"""Document submissions: text extraction and analysis."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from media_analysis.api.deps import Client, DbSession, RuntimeDep
from media_analysis.api.document_schemas import DocumentRequest
from media_analysis.api.openapi_bodies import json_or_upload
from media_analysis.api.submissions import SUBMITTED, WaitSeconds, accept_submission

router = APIRouter(prefix="/api/media", tags=["documents"])


@router.post(
    "/documents",
    status_code=202,
    responses=SUBMITTED,
    summary="Extract a document's text and summarise, extract from or answer questions on it",
    openapi_extra=json_or_upload(DocumentRequest),
)
async def submit_document(
    request: Request,
    runtime: RuntimeDep,
    session: DbSession,
    client: Client,
    wait: WaitSeconds = 0,
) -> JSONResponse:
    return await accept_submission(request, DocumentRequest, runtime, session, client, wait)
