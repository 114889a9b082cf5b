"""Checking a job after it was written: every file's three checksums, every row count.

The copy is hashed again from disk and the row is read again from the database, so
the check proves what is there now, not what the import meant to write.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import AnalysisResult, MediaAsset, Transcription
from media_analysis.legacy.assets import PlannedAsset, is_imported_asset
from media_analysis.legacy.files import checksum_if_present
from media_analysis.legacy.plan import JobPlan
from media_analysis.legacy.report import FileAction, FileCheck, Finding
from media_analysis.legacy.texts import analysis_id, transcription_id


def planned_action(asset: PlannedAsset) -> FileAction:
    """What copying would do to the destination (for a dry run)."""
    current = checksum_if_present(asset.destination)
    if current is None:
        return "new"
    return "unchanged" if current == asset.sha256 else "replaced"


async def check_files(
    session: AsyncSession, plan: JobPlan, actions: dict[str, FileAction]
) -> list[FileCheck]:
    rows = await _imported_row_checksums(session, plan)
    checks = []
    for asset in plan.assets:
        copy_sha256 = await asyncio.to_thread(checksum_if_present, asset.destination)
        checks.append(
            FileCheck(
                source=asset.source_name,
                stored=asset.stored,
                action=actions.get(asset.stored, "failed"),
                source_sha256=asset.sha256,
                copy_sha256=copy_sha256,
                row_sha256=rows.get(asset.stored),
            )
        )
    return checks


async def check_rows(session: AsyncSession, plan: JobPlan) -> list[Finding]:
    where = f"job {plan.job_id}"
    found = {
        "assets": len(await _imported_row_checksums(session, plan)),
        "transcriptions": await _count(session, Transcription, transcription_id(plan.job_id)),
        "analyses": await _count(session, AnalysisResult, analysis_id(plan.job_id)),
    }
    expected = plan.rows()
    return [
        Finding("error", where, f"the database holds {found[kind]} {kind}, expected {count}")
        for kind, count in expected.items()
        if found[kind] != count
    ]


async def _imported_row_checksums(session: AsyncSession, plan: JobPlan) -> dict[str, str | None]:
    query = select(MediaAsset.id, MediaAsset.file_path, MediaAsset.sha256).where(
        MediaAsset.job_id == plan.job_id
    )
    return {
        path: sha256
        for row_id, path, sha256 in await session.execute(query)
        if is_imported_asset(plan.job_id, row_id, path)
    }


async def _count(
    session: AsyncSession, model: type[Transcription] | type[AnalysisResult], row_id: object
) -> int:
    query = select(func.count()).select_from(model).where(model.id == row_id)
    return int(await session.scalar(query) or 0)
