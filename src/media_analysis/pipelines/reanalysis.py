"""Re-analysing a finished job with a new prompt, from what it stored: no media processing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from media_analysis.analysis.frames import FrameRef
from media_analysis.db.models import Job, MediaAsset
from media_analysis.db.repositories import AssetRepository, JobRepository, TranscriptionRepository
from media_analysis.documents.model import ExtractedDocument, Section
from media_analysis.errors import NotFound
from media_analysis.jobs.registry import JobContext
from media_analysis.pipelines.document_analysis import analyze_document
from media_analysis.pipelines.frame_assets import sheet_summaries
from media_analysis.pipelines.specs.parts import AnalysisType
from media_analysis.pipelines.specs.reanalysis import REANALYZE, ReanalyzeResult
from media_analysis.pipelines.stored_files import fetch_all
from media_analysis.pipelines.understanding import (
    Evidence,
    analysis_row,
    answer_prompt,
    sheet_images,
)


async def run_reanalysis(context: JobContext) -> ReanalyzeResult:
    parameters = REANALYZE.read_parameters(context.job.parameters)
    source_id = parameters.source_job_id
    source, assets, transcript = await _stored_material(context, source_id)
    await context.progress.report("analyzing", 10, "re-reading the stored frames and text")
    documents = [a for a in assets if a.asset_type == "document_text"]
    if documents:
        result, attempts = await _reanalyze_document(context, documents[0], parameters.analysis)
    else:
        result, attempts = await _reanalyze_media(context, source, assets, transcript)
    context.stage(
        analysis_row(source_id, context.job.prompt, result, attempts, parameters.analysis)
    )
    return ReanalyzeResult(source_job_id=source_id, analysis_result=result, providers=attempts)


async def _stored_material(
    context: JobContext, source_id: uuid.UUID
) -> tuple[Job, Sequence[MediaAsset], str | None]:
    async with context.session_factory() as session:
        source = await JobRepository(session).get(source_id)
        if source is None:
            raise NotFound("The job to re-analyse no longer exists.")
        assets = await AssetRepository(session).list_for_job(source_id)
        transcription = await TranscriptionRepository(session).latest_for_job(source_id)
    return source, assets, transcription.text_content if transcription else None


async def _reanalyze_media(
    context: JobContext, source: Job, assets: Sequence[MediaAsset], transcript: str | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    sheets = sorted((a for a in assets if a.asset_type == "contact_sheet"), key=_index)
    frames = sorted((a for a in assets if a.asset_type == "frame"), key=_index)
    sheet_files = await fetch_all(context, [sheet.file_path for sheet in sheets])
    frame_files = await fetch_all(context, [frame.file_path for frame in frames])
    facts = dict((source.result or {}).get("media") or {})
    evidence = Evidence(
        facts,
        images=sheet_images(sheet_summaries(sheets), sheet_files),
        frames=[
            FrameRef(path, frame.frame_index or 0, frame.timestamp_seconds)
            for path, frame in zip(frame_files, frames, strict=True)
        ],
        transcript=transcript,
    )
    analysis = await answer_prompt(context.providers, source.id, context.job.prompt, evidence)
    return analysis.result, analysis.attempts


async def _reanalyze_document(
    context: JobContext, asset: MediaAsset, analysis_type: AnalysisType
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    (path,) = await fetch_all(context, [asset.file_path])
    stored = json.loads(path.read_text())
    document = ExtractedDocument(
        kind=stored["kind"],
        sections=[Section(s["index"], s["title"], s["text"]) for s in stored["sections"]],
        unit=stored.get("unit", "section"),
    )
    return await analyze_document(context.providers, document, analysis_type, context.job.prompt)


def _index(asset: MediaAsset) -> int:
    return asset.frame_index or 0
