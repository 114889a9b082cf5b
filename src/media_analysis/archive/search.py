"""Full-text search over transcripts, analyses and document text (PostgreSQL tsvector)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.db.models import Job, JobStatus
from media_analysis.db.repositories import JobRepository
from media_analysis.db.repositories.cursors import offset_cursor, read_offset_cursor

HEADLINE = "StartSel=<mark>, StopSel=</mark>, MaxWords=24, MinWords=8, MaxFragments=1"
MATCHES_SQL = """
WITH query AS (
    SELECT websearch_to_tsquery('english', :q) AS q,
           tsvector_to_array(to_tsvector('english', :q)) AS lexemes
),
hits AS (
    SELECT t.job_id, 'transcript' AS source, ts_rank(t.search_vector, query.q) AS rank,
           ts_headline('english', t.text_content, query.q, :headline) AS snippet,
           (SELECT (w ->> 'start')::float FROM jsonb_array_elements(t.word_timestamps) w
             WHERE tsvector_to_array(to_tsvector('english', coalesce(w ->> 'text', '')))
                   && query.lexemes
             ORDER BY (w ->> 'start')::float LIMIT 1) AS at_seconds,
           NULL::int AS section
    FROM transcriptions t, query WHERE t.search_vector @@ query.q
    UNION ALL
    SELECT a.job_id, 'analysis', ts_rank(a.search_vector, query.q),
           ts_headline('english', coalesce(a.summary, '') || ' ' ||
                       coalesce(a.detailed_analysis ->> 'answer', ''), query.q, :headline),
           NULL, NULL
    FROM analysis_results a, query WHERE a.search_vector @@ query.q
    UNION ALL
    SELECT d.job_id, 'document', ts_rank(d.search_vector, query.q),
           ts_headline('english', d.text, query.q, :headline), NULL, d.section_index
    FROM document_texts d, query WHERE d.search_vector @@ query.q
)
SELECT h.job_id, h.source, h.rank, h.snippet, h.at_seconds, h.section
FROM hits h JOIN jobs j ON j.id = h.job_id
WHERE j.status = 'completed'
  AND (CAST(:media_type AS text) IS NULL OR j.media_type = :media_type
       OR j.job_type = :media_type OR j.job_type LIKE :media_type || '.%')
  AND (CAST(:since AS timestamptz) IS NULL OR j.created_at >= :since)
  AND (CAST(:until AS timestamptz) IS NULL OR j.created_at < :until)
  AND (CAST(:owner AS text) IS NULL OR j.owner_key_fingerprint = :owner)
ORDER BY h.rank DESC, j.created_at DESC
LIMIT 2000
"""


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
    rows = (
        await session.execute(
            text(MATCHES_SQL),
            {
                "q": filters.q,
                "headline": HEADLINE,
                "media_type": filters.media_type,
                "since": filters.since,
                "until": filters.until,
                "owner": filters.owner,
            },
        )
    ).all()
    matches: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in rows:
        matches[row.job_id].append(row)
    jobs = await _jobs_by_id(session, list(matches))
    hits = [_hit(jobs[job_id], found) for job_id, found in matches.items() if job_id in jobs]
    return sorted(hits, key=lambda hit: (-hit.rank, -hit.job.created_at.timestamp()))


def _hit(job: Job, rows: Sequence[Any]) -> ArchiveHit:
    matches = [
        {
            "source": row.source,
            "snippet": row.snippet,
            "rank": round(float(row.rank), 4),
            **({"timestamp": round(row.at_seconds, 2)} if row.at_seconds is not None else {}),
            **({"section": row.section} if row.section is not None else {}),
        }
        for row in rows[:5]
    ]
    return ArchiveHit(job, max(float(row.rank) for row in rows), matches)


async def _jobs_by_id(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Job]:
    if not ids:
        return {}
    found = (await session.execute(select(Job).where(Job.id.in_(ids)))).scalars()
    return {job.id: job for job in found}


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
