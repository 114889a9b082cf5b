"""Full-text search over transcripts, analyses and document text (PostgreSQL tsvector)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from media_analysis.db.repositories.base import Repository

HEADLINE = "StartSel=<mark>, StopSel=</mark>, MaxWords=24, MinWords=8, MaxFragments=1"
MATCHES_SQL = text(
    """
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
)


@dataclass(frozen=True)
class TextMatch:
    """Where a finished job's text matched: its source, rank, snippet and position."""

    job_id: uuid.UUID
    source: str
    rank: float
    snippet: str
    at_seconds: float | None
    section: int | None


class SearchRepository(Repository):
    async def matches(
        self,
        q: str,
        *,
        media_type: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        owner: str | None = None,
    ) -> list[TextMatch]:
        """Matches in completed jobs, best first; ``owner`` limits them to one key's jobs."""
        parameters = {
            "q": q,
            "headline": HEADLINE,
            "media_type": media_type,
            "since": since,
            "until": until,
            "owner": owner,
        }
        rows = (await self.session.execute(MATCHES_SQL, parameters)).all()
        return [TextMatch(*row) for row in rows]
