"""Writing a planned legacy job to the database, inside the caller's transaction.

Only rows the import made are ever replaced: their ids are derived from the job id,
so rows the new service added later (a re-analysis, say) are left alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import AnalysisResult, Job, JobEvent, MediaAsset, Transcription
from media_analysis.db.repositories.events import EventRepository
from media_analysis.legacy.assets import is_imported_asset
from media_analysis.legacy.plan import JobPlan
from media_analysis.legacy.texts import analysis_id, transcription_id

State = Literal["absent", "same", "changed", "foreign"]


@dataclass
class Existing:
    """What the database already holds for a planned job."""

    job: Job | None
    assets: dict[str, MediaAsset] = field(default_factory=dict)
    transcription: bool = False
    analysis: bool = False

    def state(self, plan: JobPlan) -> State:
        if self.job is None:
            return "absent"
        marker = (self.job.parameters or {}).get("legacy_import")
        if not isinstance(marker, dict):
            return "foreign"
        same = (
            marker.get("fingerprint") == plan.fingerprint
            and self.assets.keys() == {asset.stored for asset in plan.assets}
            and self.transcription == (plan.transcription is not None)
            and self.analysis == (plan.analysis is not None)
        )
        return "same" if same else "changed"


async def load_existing(session: AsyncSession, job_id: uuid.UUID, *, lock: bool) -> Existing:
    job = await session.get(Job, job_id, with_for_update=lock)
    if job is None:
        return Existing(None)
    rows = (await session.execute(select(MediaAsset).where(MediaAsset.job_id == job_id))).scalars()
    assets = {
        row.file_path: row for row in rows if is_imported_asset(job_id, row.id, row.file_path)
    }
    return Existing(
        job,
        assets,
        transcription=await session.get(Transcription, transcription_id(job_id)) is not None,
        analysis=await session.get(AnalysisResult, analysis_id(job_id)) is not None,
    )


async def insert_job(session: AsyncSession, plan: JobPlan) -> None:
    session.add(Job(**plan.job))
    await session.flush()
    await _insert_children(session, plan)


async def replace_job(session: AsyncSession, plan: JobPlan, existing: Existing) -> list[str]:
    """Bring an earlier import up to date; returns the stored paths no longer used."""
    assert existing.job is not None
    job_id = plan.job_id
    await session.execute(
        delete(MediaAsset).where(MediaAsset.id.in_([row.id for row in existing.assets.values()]))
    )
    await session.execute(delete(Transcription).where(Transcription.id == transcription_id(job_id)))
    await session.execute(delete(AnalysisResult).where(AnalysisResult.id == analysis_id(job_id)))
    await session.execute(delete(JobEvent).where(JobEvent.job_id == job_id))
    for name, value in plan.job.items():
        setattr(existing.job, name, value)
    await session.flush()
    await _insert_children(session, plan)
    planned = {asset.stored for asset in plan.assets}
    return [stored for stored in existing.assets if stored not in planned]


async def _insert_children(session: AsyncSession, plan: JobPlan) -> None:
    session.add_all(MediaAsset(**asset.row) for asset in plan.assets)
    if plan.transcription is not None:
        session.add(Transcription(**plan.transcription))
    if plan.analysis is not None:
        session.add(AnalysisResult(**plan.analysis))
    await session.flush()
    # A finished job replays its terminal event to SSE clients, then the stream closes.
    await EventRepository(session).append(plan.job_id, plan.job["status"], _event_data(plan.job))


def _event_data(job: dict[str, Any]) -> dict[str, Any]:
    if job["error"] is not None:
        return dict(job["error"])
    return {"reason": "cancelled"} if job["status"] == "cancelled" else {"legacy_import": True}
