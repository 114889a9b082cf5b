"""One POST route per submission schema: JSON with a URL, or a multipart upload."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from media_analysis.api.deps import Client, DbSession, JobWaiter, SettingsDep, StorageDep
from media_analysis.api.openapi_bodies import json_or_upload
from media_analysis.api.openapi_document import problem_responses
from media_analysis.api.submissions import (
    SUBMITTED,
    MediaSubmission,
    WaitSeconds,
    accept_submission,
)


def add_submission_route(
    router: APIRouter,
    path: str,
    schema: type[MediaSubmission],
    operation_id: str,
    summary: str,
    description: str | None = None,
) -> None:
    async def submit(
        request: Request,
        settings: SettingsDep,
        storage: StorageDep,
        wait_for: JobWaiter,
        session: DbSession,
        client: Client,
        wait: WaitSeconds = 0,
    ) -> JSONResponse:
        return await accept_submission(
            request, schema, settings, storage, wait_for, session, client, wait
        )

    router.add_api_route(
        path,
        submit,
        methods=["POST"],
        status_code=202,
        responses={**SUBMITTED, **problem_responses(409, 415)},
        summary=summary,
        description=description or "",
        name=operation_id,
        operation_id=operation_id,
        openapi_extra=json_or_upload(schema),
    )
