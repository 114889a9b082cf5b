"""The archive: finished jobs ranked by where their text matched, or browsed newest first."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import Job, JobStatus
from media_analysis.db.repositories import JobRepository, SearchRepository, TextMatch
from media_analysis.db.repositories.cursors import offset_cursor, read_offset_cursor


@dataclass
class ArchiveHit:
    job: Job
    rank: float = 0.0
    matches: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ArchiveFilters:
    q: str | None = None
    media_type: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    owner: str | None = None
    """Only jobs of this key fingerprint; None for every job."""


@dataclass(frozen=True)
class ArchivePage:
    items: list[ArchiveHit]
    next_cursor: str | None


async def search_archive(
    session: AsyncSession, filters: ArchiveFilters, limit: int, cursor: str | None
) -> ArchivePage:
    if not (filters.q or "").strip():
        return await _browse(session, filters, limit, cursor)
    offset = read_offset_cursor(cursor)
    hits = await _ranked_hits(session, filters)
    page = hits[offset : offset + limit]
    next_cursor = offset_cursor(offset + limit) if len(hits) > offset + limit else None
    return ArchivePage(page, next_cursor)


async def _ranked_hits(session: AsyncSession, filters: ArchiveFilters) -> list[ArchiveHit]:
    every_match = await SearchRepository(session).matches(
        filters.q or "",
        media_type=filters.media_type,
        since=filters.since,
        until=filters.until,
        owner=filters.owner,
    )
    matches: dict[uuid.UUID, list[TextMatch]] = defaultdict(list)
    for match in every_match:
        matches[match.job_id].append(match)
    jobs = await JobRepository(session).get_many(list(matches))
    hits = [_hit(jobs[job_id], found) for job_id, found in matches.items() if job_id in jobs]
    return sorted(hits, key=lambda hit: (-hit.rank, -hit.job.created_at.timestamp()))


def _hit(job: Job, matches: Sequence[TextMatch]) -> ArchiveHit:
    shown = [
        {
            "source": match.source,
            "snippet": match.snippet,
            "rank": round(float(match.rank), 4),
            **({"timestamp": round(match.at_seconds, 2)} if match.at_seconds is not None else {}),
            **({"section": match.section} if match.section is not None else {}),
        }
        for match in matches[:5]
    ]
    return ArchiveHit(job, max(float(match.rank) for match in matches), shown)


async def _browse(
    session: AsyncSession, filters: ArchiveFilters, limit: int, cursor: str | None
) -> ArchivePage:
    page = await JobRepository(session).list(
        status=JobStatus.COMPLETED,
        media_type=filters.media_type,
        since=filters.since,
        until=filters.until,
        limit=limit,
        cursor=cursor,
        owner=filters.owner,
    )
    return ArchivePage([ArchiveHit(job) for job in page.items], page.next_cursor)
