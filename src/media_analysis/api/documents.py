"""Document submissions: text extraction and analysis."""

from __future__ import annotations

from fastapi import APIRouter

from media_analysis.api.document_schemas import DocumentRequest
from media_analysis.api.submission_routes import add_submission_route

router = APIRouter(prefix="/api/media", tags=["documents"])

add_submission_route(
    router,
    "/documents",
    DocumentRequest,
    "submit_document",
    "Extract a document's text and summarise, extract from or answer questions on it",
)
