"""The documents pipeline: extract text with structure, then answer the request."""

from __future__ import annotations

import json
import uuid
from typing import Any

from media_analysis.db.models import DocumentText, MediaAsset
from media_analysis.documents.extract import extract_document
from media_analysis.documents.limits import DocumentLimits
from media_analysis.documents.model import ExtractedDocument
from media_analysis.jobs.registry import JobContext
from media_analysis.pipelines.document_analysis import analyze_document
from media_analysis.pipelines.ingest import obtain_original
from media_analysis.pipelines.specs.documents import (
    DOCUMENT,
    DocumentResult,
    DocumentSummary,
    SectionSummary,
)
from media_analysis.pipelines.specs.parts import AnalysisType
from media_analysis.pipelines.understanding import analysis_row
from media_analysis.sandbox.pool import Sandbox
from media_analysis.storage import JobFiles

SEARCH_ROW_CHARS = 100_000


async def run_document(context: JobContext) -> DocumentResult:
    parameters = DOCUMENT.read_parameters(context.job.parameters)
    return await extract_and_analyze(context, parameters.analysis_type)


async def extract_and_analyze(context: JobContext, analysis_type: AnalysisType) -> DocumentResult:
    """The document's text with its structure, then the analysis of ``analysis_type``."""
    original = await obtain_original(context)
    await context.progress.report("extracting_text", 0, "reading the document")
    document = await extract_document(
        original.path,
        original.mime_type,
        limits=DocumentLimits.from_settings(context.settings),
        sandbox=Sandbox.from_settings(context.settings),
    )
    context.stage(_text_asset(context, document), *_searchable_sections(context, document))
    await context.progress.report("analyzing", 50, f"{len(document.sections)} {document.unit}s")
    result, attempts = await analyze_document(
        context.providers, document, analysis_type, context.job.prompt
    )
    context.stage(analysis_row(context.job.id, context.job.prompt, result, attempts, analysis_type))
    return DocumentResult(
        document=describe_document(document),
        analysis_result=result,
        providers=attempts,
        warnings=_warnings(result),
    )


def _warnings(result: dict[str, Any]) -> list[str]:
    truncated = result.get("truncated")
    return [str(truncated["note"])] if isinstance(truncated, dict) else []


def describe_document(document: ExtractedDocument) -> DocumentSummary:
    return DocumentSummary(
        kind=document.kind,
        unit=document.unit,
        section_count=len(document.sections),
        character_count=len(document.text),
        ocr_used=document.ocr_used,
        metadata=document.metadata,
        sections=[
            SectionSummary(index=s.index, title=s.title, characters=len(s.text))
            for s in document.sections[:200]
        ],
    )


def _searchable_sections(context: JobContext, document: ExtractedDocument) -> list[DocumentText]:
    """One row per piece of a section: PostgreSQL cannot index a tsvector over 1 MB."""
    return [
        DocumentText(
            job_id=context.job.id,
            section_index=section.index,
            title=section.title,
            text=piece,
        )
        for section in document.sections
        if section.text.strip()
        for piece in _pieces(section.text)
    ]


def _pieces(text: str) -> list[str]:
    return [
        text[start : start + SEARCH_ROW_CHARS] for start in range(0, len(text), SEARCH_ROW_CHARS)
    ]


def _text_asset(context: JobContext, document: ExtractedDocument) -> MediaAsset:
    """The extracted text, kept for re-analysis and search."""
    files = JobFiles(context.settings, context.job.id)
    files.output_dir.mkdir(parents=True, exist_ok=True)
    path = files.output_dir / "document.json"
    sections = [{"index": s.index, "title": s.title, "text": s.text} for s in document.sections]
    path.write_text(
        json.dumps({"kind": document.kind, "unit": document.unit, "sections": sections})
    )
    return MediaAsset(
        id=uuid.uuid4(),
        job_id=context.job.id,
        asset_type="document_text",
        file_path=files.stored(path),
        mime_type="application/json",
        file_size_bytes=path.stat().st_size,
        metadata_={"kind": document.kind, "sections": len(document.sections)},
    )
