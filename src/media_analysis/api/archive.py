"""The archive: finished jobs, browsable and searchable by what was said or found."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import AfterValidator, BaseModel, Field

from media_analysis.api.deps import Client, DbSession
from media_analysis.api.job_schemas import IncludeQuery, JobView, job_view
from media_analysis.archive.search import ArchiveFilters, search_archive

router = APIRouter(prefix="/api/media", tags=["archive"])


def _within_calendar(value: datetime | None) -> datetime | None:
    """The time in UTC, as PostgreSQL compares it; near year 1 or 9999 that can overflow."""
    if value is None or value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is outside the range of dates the archive holds") from None


ArchiveTime = Annotated[datetime | None, AfterValidator(_within_calendar)]


class ArchiveMatch(BaseModel):
    source: Literal["transcript", "analysis", "document"]
    snippet: str = Field(description="The matching passage, terms wrapped in <mark>.")
    rank: float
    timestamp: float | None = Field(None, description="Seconds into the media (transcripts).")
    section: int | None = Field(None, description="Page, slide or section (documents).")


class ArchiveItem(BaseModel):
    job: JobView = Field(description="A summary; the full job with `include=result`.")
    rank: float = Field(description="Relevance; 0 when browsing without `q`.")
    matches: list[ArchiveMatch]


class ArchivePageOut(BaseModel):
    items: list[ArchiveItem]
    next_cursor: str | None


@router.get(
    "/archive",
    response_model=ArchivePageOut,
    summary="Search finished jobs",
    operation_id="search_archive",
)
async def archive(
    session: DbSession,
    client: Client,
    q: Annotated[str | None, Query(max_length=500, description="Words to find.")] = None,
    media_type: Annotated[str | None, Query(description="video, audio, document, image")] = None,
    since: Annotated[ArchiveTime, Query(alias="from", description="Created at or after.")] = None,
    until: Annotated[ArchiveTime, Query(alias="to", description="Created before.")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: str | None = None,
    include: IncludeQuery = None,
) -> ArchivePageOut:
    filters = ArchiveFilters(
        q=q, media_type=media_type, since=since, until=until, owner=client.owner_scope
    )
    page = await search_archive(session, filters, limit, cursor)
    items: list[Any] = [
        ArchiveItem(job=job_view(hit.job, include), rank=hit.rank, matches=hit.matches)
        for hit in page.items
    ]
    return ArchivePageOut(items=items, next_cursor=page.next_cursor)
