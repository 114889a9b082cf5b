"""Files go after the rows that name them, and a crash between the two loses nothing.

Whoever deletes a job, or only its files, records what must go in the same transaction
(``record_job_folders``, ``record_removals``); a job that fails or is cancelled does the
same with its files. After the commit ``sweep_file_deletions`` removes the files, then
forgets the records. Records a crash left behind are swept by the worker at start-up
and then periodically (``run_file_sweeper``), which also removes job folders that no
job row owns: what a crash left before deletions were recorded.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media_analysis.db.repositories import FileDeletionRepository
from media_analysis.storage import Storage, job_locations

logger = logging.getLogger(__name__)

SWEEP_BATCH = 100
ORPHAN_BATCH = 1000
SWEEP_INTERVAL_SECONDS = 900.0
ORPHAN_MIN_AGE = timedelta(hours=24)
"""How long a job folder stays untouched before it may be an orphan.

A folder can exist before its job row is visible to anyone else: a submission moves
the upload into the job's folder before its transaction commits, and a legacy import
copies a job's files before writing its row. No query can see an uncommitted row, so
only a folder older than any such transaction can be judged by the absence of a row.
"""


@dataclass(frozen=True)
class SweepResult:
    removed: int
    failed: int


async def record_job_folders(session: AsyncSession, job_ids: Iterable[uuid.UUID]) -> list[str]:
    """Record that these jobs' folders must go; in the transaction that deletes their rows."""
    locations = [location for job_id in job_ids for location in job_locations(job_id)]
    await FileDeletionRepository(session).record(locations)
    return locations


async def record_removals(session: AsyncSession, locations: Sequence[str]) -> None:
    """Record that these stored locations must go, in the transaction at hand."""
    await FileDeletionRepository(session).record(locations)


async def sweep_file_deletions(
    session: AsyncSession, storage: Storage, locations: Sequence[str] | None = None
) -> SweepResult:
    """Remove recorded files (only ``locations``, if given), then forget them; commits.

    The files go in one batch through the store. A file already gone counts as removed;
    one that cannot be removed keeps its record, with the error, for a later sweep.
    """
    repository = FileDeletionRepository(session)
    limit = SWEEP_BATCH if locations is None else len(locations)
    claimed = await repository.claim(limit, locations)
    failures = await _remove(storage, [deletion.location for deletion in claimed])
    for deletion in claimed:
        if deletion.location in failures:
            await repository.note_failure(deletion.id, failures[deletion.location])
    await repository.forget([d.id for d in claimed if d.location not in failures])
    await session.commit()
    return SweepResult(len(claimed) - len(failures), len(failures))


async def sweep_after_commit(
    session: AsyncSession, storage: Storage, locations: Sequence[str]
) -> None:
    """Sweep what the committed transaction recorded, at once if possible.

    The rows are already gone, so a failure here must not fail the caller: whatever is
    left stays recorded, and the worker's sweeper removes it later.
    """
    try:
        await sweep_file_deletions(session, storage, locations)
    except (SQLAlchemyError, OSError) as exc:
        await session.rollback()
        logger.warning("left %d deletions to the sweeper: %s", len(locations), exc)


async def _remove(storage: Storage, locations: list[str]) -> dict[str, str]:
    """Remove every location in one batch; when the batch fails, one at a time, to know
    which failed. Returns the error of each location that could not be removed."""
    try:
        await storage.delete_many(locations)
        return {}
    except (OSError, ValueError):
        pass
    failures: dict[str, str] = {}
    for location in locations:
        try:
            await storage.delete_many([location])
        except (OSError, ValueError) as exc:
            logger.warning("could not remove %s: %s", location, exc)
            failures[location] = str(exc)
    return failures


async def sweep_all_file_deletions(
    session_factory: async_sessionmaker[AsyncSession], storage: Storage
) -> int:
    """Sweep every recorded deletion, a batch at a time, until one removes nothing."""
    total = 0
    while True:
        async with session_factory() as session:
            result = await sweep_file_deletions(session, storage)
        total += result.removed
        if result.removed == 0 or result.removed + result.failed < SWEEP_BATCH:
            break
    if total:
        logger.info("removed %d files or folders whose deletion was left unfinished", total)
    return total


async def sweep_orphan_folders(
    session_factory: async_sessionmaker[AsyncSession],
    storage: Storage,
    min_age: timedelta = ORPHAN_MIN_AGE,
) -> list[str]:
    """Record and remove job folders untouched for ``min_age`` whose job has no row."""
    cutoff = time.time() - min_age.total_seconds()
    folders = [
        (folder.job_id, folder.location)
        for folder in await storage.list_job_folders()
        if folder.modified_at < cutoff
    ]
    orphans: list[str] = []
    for start in range(0, len(folders), ORPHAN_BATCH):
        batch = folders[start : start + ORPHAN_BATCH]
        async with session_factory() as session:
            found = await FileDeletionRepository(session).record_unowned(batch)
            await session.commit()
            if found:
                await sweep_file_deletions(session, storage, found)
        orphans.extend(found)
    if orphans:
        logger.info("removed %d job folders whose jobs no longer exist", len(orphans))
    return orphans


async def run_file_sweeper(
    session_factory: async_sessionmaker[AsyncSession], storage: Storage
) -> None:
    """At start-up and then periodically: finish recorded deletions, then remove orphans."""
    while True:
        try:
            await sweep_all_file_deletions(session_factory, storage)
            await sweep_orphan_folders(session_factory, storage)
        except Exception:
            logger.warning("file sweep failed; will try again", exc_info=True)
        await asyncio.sleep(SWEEP_INTERVAL_SECONDS)
