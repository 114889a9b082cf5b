"""Importing a legacy data folder: one transaction per job, files copied, then verified.

Per job: plan (read only), then in one transaction: lock the job id, copy the files
into the new layout, write the rows, commit; then check what landed. A job that
fails rolls back alone and removes the files it had just created.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.config import Settings
from media_analysis.db.engine import create_engine, create_session_factory
from media_analysis.legacy.files import CopyMismatch, copy_verified, remove_files
from media_analysis.legacy.layout import ImportRefused, LegacyEntry, LegacyTree, read_tree
from media_analysis.legacy.plan import JobPlan, plan_job
from media_analysis.legacy.record import UnreadableFile
from media_analysis.legacy.report import (
    FileAction,
    Finding,
    ImportReport,
    JobOutcome,
    Outcome,
)
from media_analysis.legacy.store import Existing, State, insert_job, load_existing, replace_job
from media_analysis.legacy.verify import check_files, check_rows, planned_action
from media_analysis.storage import resolve_stored

logger = logging.getLogger("media_analysis.legacy")

OUTCOMES: dict[State, Outcome] = {"absent": "imported", "changed": "updated", "same": "skipped"}
JOBS_TABLE = text("SELECT to_regclass('jobs') IS NOT NULL")


class JobIdTaken(Exception):
    """A job with this id exists and did not come from the legacy import."""


async def import_legacy(
    settings: Settings, database_url: str, root: Path, *, dry_run: bool = False
) -> ImportReport:
    """Import (or with ``dry_run`` only plan) every job under ``root``."""
    _refuse_object_storage(settings)
    _refuse_overlap(settings, root)
    tree = await asyncio.to_thread(read_tree, root)
    report = ImportReport(str(root), dry_run)
    report.findings.extend(
        Finding("warning", tree.relative(path), "not part of the legacy layout; ignored")
        for path in tree.stray
    )
    engine = create_engine(settings, database_url)
    try:
        importer = JobImporter(settings, tree, create_session_factory(engine), dry_run)
        await importer.ensure_schema()
        for entry in tree.entries:
            report.jobs.append(await importer.run(entry))
    finally:
        await engine.dispose()
    return report


def _refuse_object_storage(settings: Settings) -> None:
    """The import copies and verifies files on local disk, which object storage is not."""
    if not settings.storage_url.startswith("file://"):
        raise ImportRefused(
            "MEDIA_ANALYSIS_STORAGE_URL: import-legacy imports into the upload and output "
            "folders (file://); import there, then copy the folders to the bucket's "
            "uploads/ and outputs/ (see Scaling out in README.md)"
        )


def _refuse_overlap(settings: Settings, root: Path) -> None:
    """Writing into the legacy folder would modify the source; refuse it outright."""
    legacy = root.resolve()
    for name, folder in (("UPLOAD_DIR", settings.upload_dir), ("OUTPUT_DIR", settings.output_dir)):
        target = folder.resolve()
        if target.is_relative_to(legacy) or legacy.is_relative_to(target):
            raise ImportRefused(
                f"MEDIA_ANALYSIS_{name} ({folder}) overlaps the legacy folder {root}; "
                "import into folders outside it"
            )


@dataclass
class JobImporter:
    settings: Settings
    tree: LegacyTree
    sessions: async_sessionmaker[AsyncSession]
    dry_run: bool

    async def ensure_schema(self) -> None:
        async with self.sessions() as session:
            if not await session.scalar(JOBS_TABLE):
                raise ImportRefused(
                    "the database has no jobs table yet; run 'media-analysis migrate' first"
                )

    async def run(self, entry: LegacyEntry) -> JobOutcome:
        if entry.record is None:
            return self._orphan(entry)
        try:
            plan = await asyncio.to_thread(plan_job, self.settings, self.tree, entry)
        except (UnreadableFile, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            message = f"job file {reason}; job not imported"
            finding = Finding("error", self.tree.relative(entry.record), message)
            return JobOutcome(entry.legacy_id, None, "failed", findings=[finding])
        outcome = JobOutcome(
            entry.legacy_id,
            str(plan.job_id),
            "failed",
            status=plan.job["status"],
            rows=plan.rows(),
            unreadable=plan.unreadable,
            findings=plan.findings,
        )
        await self._settle(plan, outcome)
        logger.info("legacy job %s: %s", entry.legacy_id, outcome.outcome)
        return outcome

    def _orphan(self, entry: LegacyEntry) -> JobOutcome:
        folders = [folder for folder in (entry.upload_dir, entry.output_dir) if folder]
        findings = [
            Finding(
                "error",
                f"{self.tree.relative(folder)}/",
                f"no data/jobs/{entry.legacy_id}.json describes this folder; not imported",
            )
            for folder in folders
        ]
        return JobOutcome(entry.legacy_id, None, "failed", findings=findings)

    async def _settle(self, plan: JobPlan, outcome: JobOutcome) -> None:
        where = f"job {plan.legacy_id}"
        try:
            if self.dry_run:
                await self._preview(plan, outcome)
            else:
                await self._import(plan, outcome)
        except JobIdTaken:
            message = f"job {plan.job_id} already exists and was not imported; left as it is"
            outcome.findings.append(Finding("error", where, message))
        except (SQLAlchemyError, OSError, CopyMismatch) as exc:
            outcome.outcome = "failed"
            outcome.findings.append(Finding("error", where, f"not imported: {_describe(exc)}"))

    async def _preview(self, plan: JobPlan, outcome: JobOutcome) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(text("SET TRANSACTION READ ONLY"))
            existing = await load_existing(session, plan.job_id, lock=False)
            state = _usable_state(existing, plan)
            actions = {
                asset.stored: await asyncio.to_thread(planned_action, asset)
                for asset in plan.assets
            }
            outcome.files = await check_files(session, plan, actions)
        outcome.outcome = OUTCOMES[state]

    async def _import(self, plan: JobPlan, outcome: JobOutcome) -> None:
        actions: dict[str, FileAction] = {}
        try:
            state, stale = await self._write(plan, actions)
        except BaseException:
            created = [a.destination for a in plan.assets if actions.get(a.stored) == "new"]
            await asyncio.to_thread(remove_files, created)
            raise
        outcome.outcome = OUTCOMES[state]
        await asyncio.to_thread(remove_files, [resolve_stored(self.settings, s) for s in stale])
        async with self.sessions() as session:
            outcome.files = await check_files(session, plan, actions)
            outcome.findings.extend(await check_rows(session, plan))

    async def _write(
        self, plan: JobPlan, actions: dict[str, FileAction]
    ) -> tuple[State, list[str]]:
        async with self.sessions() as session, session.begin():
            existing = await load_existing(session, plan.job_id, lock=True)
            state = _usable_state(existing, plan)
            await asyncio.to_thread(_copy_files, plan, actions)
            stale: list[str] = []
            if state == "absent":
                await insert_job(session, plan)
            elif state == "changed":
                stale = await replace_job(session, plan, existing)
        return state, stale


def _usable_state(existing: Existing, plan: JobPlan) -> State:
    state = existing.state(plan)
    if state == "foreign":
        raise JobIdTaken(str(plan.job_id))
    return state


def _copy_files(plan: JobPlan, actions: dict[str, FileAction]) -> None:
    """Copy what is missing or different; ``actions`` records each file as it goes."""
    for asset in plan.assets:
        existed = asset.destination.exists()
        if not copy_verified(asset.source, asset.destination, asset.sha256):
            actions[asset.stored] = "unchanged"
        else:
            actions[asset.stored] = "replaced" if existed else "new"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SQLAlchemyError):
        original = getattr(exc, "orig", None)
        return f"database error ({type(original or exc).__name__}: {original or exc})"
    if isinstance(exc, OSError):
        return f"file error ({exc.strerror or exc}: {exc.filename or ''})"
    return str(exc)
