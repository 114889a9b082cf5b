"""Jobs: list, read, cancel or delete, and follow with Server-Sent Events."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status
from fastapi.responses import JSONResponse

from media_analysis.api.clients import ClientIdentity
from media_analysis.api.deps import Broker, Client, DbSession, StorageDep
from media_analysis.api.job_schemas import IncludeQuery, JobPageOut, job_view
from media_analysis.api.job_stream import JobEventResponse
from media_analysis.api.openapi_document import problem_responses
from media_analysis.db.models import Job
from media_analysis.db.repositories import EventRepository, JobRepository
from media_analysis.errors import NotFound
from media_analysis.jobs.file_deletions import sweep_after_commit
from media_analysis.jobs.lifecycle import DeleteOutcome, cancel_or_delete
from media_analysis.jobs.stream import parse_last_event_id
from media_analysis.pipelines.job_views import JobOut, JobStatusName, job_json, job_out
from media_analysis.storage import job_locations

router = APIRouter(prefix="/api/media/jobs", tags=["jobs"])

KEEPALIVE_SECONDS = 15


async def load_job(session: DbSession, job_id: uuid.UUID, client: ClientIdentity) -> Job:
    """The job, when the caller's key may see it; another key's job is as good as missing."""
    job = await JobRepository(session).get_owned(job_id, client.owner_scope)
    if job is None:
        raise NotFound(f"No job with id {job_id}.")
    return job


@router.get(
    "", response_model=JobPageOut, summary="List jobs, newest first", operation_id="list_jobs"
)
async def list_jobs(
    session: DbSession,
    client: Client,
    status: JobStatusName | None = None,
    job_type: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
    include: IncludeQuery = None,
) -> JobPageOut:
    page = await JobRepository(session).list(
        status=status, job_type=job_type, limit=limit, cursor=cursor, owner=client.owner_scope
    )
    items = [job_view(job, include) for job in page.items]
    return JobPageOut(items=items, next_cursor=page.next_cursor)


@router.get(
    "/{job_id}",
    response_model=JobOut,
    summary="One job",
    operation_id="get_job",
    responses=problem_responses(404),
)
async def get_job(job_id: uuid.UUID, session: DbSession, client: Client) -> JSONResponse:
    # The view is built and checked once; validating it again against every
    # variant of the JobOut union would cost more than the read on large results.
    return JSONResponse(job_json(await load_job(session, job_id, client)))


@router.delete(
    "/{job_id}",
    summary="Cancel a pending or running job; delete a finished one",
    operation_id="delete_job",
    responses={
        202: {"model": JobOut, "description": "Cancelled, or its worker was told to stop."},
        204: {"description": "The finished job, its rows and its files were deleted."},
        **problem_responses(404),
    },
    status_code=status.HTTP_202_ACCEPTED,
)
async def delete_job(
    job_id: uuid.UUID,
    session: DbSession,
    storage: StorageDep,
    client: Client,
) -> Response:
    job = await load_job(session, job_id, client)
    outcome = await cancel_or_delete(session, job)
    if outcome == DeleteOutcome.DELETED:
        # The files go only once the deletion is committed; a crash before the sweep
        # leaves the recorded deletion for the worker's sweeper.
        await session.commit()
        await sweep_after_commit(session, storage, job_locations(job_id))
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    body = job_out(job).model_dump_json()
    return Response(body, status_code=status.HTTP_202_ACCEPTED, media_type="application/json")


@router.get(
    "/{job_id}/events",
    summary="Follow a job with Server-Sent Events",
    operation_id="follow_job_events",
    response_class=JobEventResponse,
    status_code=status.HTTP_200_OK,
    responses={200: {"content": {"text/event-stream": {}}}, **problem_responses(404)},
)
async def follow_job(
    job_id: uuid.UUID,
    session: DbSession,
    broker: Broker,
    client: Client,
    last_event_id: Annotated[str | None, Header()] = None,
) -> JobEventResponse:
    """`progress` events, then one `completed`, `failed` or `cancelled`; then the stream closes.

    Every event has an `id`. Reconnect with `Last-Event-ID` to receive only what was
    missed; a job that has ended replays what is left and closes at once (nothing, when
    the id is at or past its last event). An id that is not a whole number from 0 to
    2147483647 replays from the start. Keep-alive comments are sent while idle. A client
    that falls too far behind is disconnected with a `retry` hint and resumes with
    `Last-Event-ID`.
    """
    await load_job(session, job_id, client)
    after_sequence = parse_last_event_id(last_event_id)
    snapshot = await EventRepository(session).snapshot_after(job_id, after_sequence)
    if snapshot is None:
        raise NotFound(f"No job with id {job_id}.")
    watcher = broker.watcher(job_id, after_sequence, first_snapshot=snapshot)
    return JobEventResponse(watcher, KEEPALIVE_SECONDS)
