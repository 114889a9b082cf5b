"""The archive: finished jobs, browsable and searchable by what was said or found."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from media_analysis.api.deps import Client, DbSession
from media_analysis.api.job_schemas import IncludeQuery, JobOut, JobSummaryOut, job_view
from media_analysis.archive.search import ArchiveFilters, search_archive

router = APIRouter(prefix="/api/media", tags=["archive"])


class ArchiveMatch(BaseModel):
    source: Literal["transcript", "analysis", "document"]
    snippet: str = Field(description="The matching passage, terms wrapped in <mark>.")
    rank: float
    timestamp: float | None = Field(None, description="Seconds into the media (transcripts).")
    section: int | None = Field(None, description="Page, slide or section (documents).")


class ArchiveItem(BaseModel):
    job: JobSummaryOut | JobOut = Field(
        description="A summary; the full job with `include=result`."
    )
    rank: float = Field(description="Relevance; 0 when browsing without `q`.")
    matches: list[ArchiveMatch]


class ArchivePageOut(BaseModel):
    items: list[ArchiveItem]
    next_cursor: str | None


@router.get("/archive", response_model=ArchivePageOut, summary="Search finished jobs")
async def archive(
    session: DbSession,
    client: Client,
    q: Annotated[str | None, Query(max_length=500, description="Words to find.")] = None,
    media_type: Annotated[str | None, Query(description="video, audio, document, image")] = None,
    since: Annotated[
        datetime | None, Query(alias="from", description="Created at or after.")
    ] = None,
    until: Annotated[datetime | None, Query(alias="to", description="Created before.")] = None,
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
