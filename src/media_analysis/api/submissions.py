"""Accepting a submission: JSON with a URL or multipart with a file, then a job.

Every pipeline endpoint goes through ``accept_submission``: it validates the body,
streams an upload to disk, creates the job (honouring Idempotency-Key), commits so
workers can see it, optionally waits, and answers 202 with Location.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.api.callback_fields import CallbackFields
from media_analysis.api.clients import ClientIdentity, activity_of
from media_analysis.api.deps import WaitForJob
from media_analysis.api.multipart import UploadedFile, read_multipart
from media_analysis.api.submission_checks import check_upload, check_url_host
from media_analysis.api.urls import HttpUrl, file_name_in_url
from media_analysis.config import Settings
from media_analysis.db.models import Job, MediaAsset
from media_analysis.db.repositories import AssetRepository
from media_analysis.errors import BadRequest, ServiceUnavailable, UnsupportedMediaType
from media_analysis.jobs.job_types import JobSpec
from media_analysis.jobs.submission import JobRequest, submit_job
from media_analysis.media.sniff import sniff_file
from media_analysis.pipelines.job_views import JobOut, job_json
from media_analysis.storage import Storage, StoreUnavailable, incoming_dir
from media_analysis.webhooks.callbacks import register_job_callback, vet_callback

WaitSeconds = Annotated[
    float, Query(ge=0, le=60, description="Hold the request up to N seconds for the outcome.")
]
SUBMITTED: dict[int | str, dict[str, Any]] = {
    202: {"model": JobOut, "description": "Accepted; follow the Location header."},
    200: {"model": JobOut, "description": "Finished within `wait` seconds."},
}
MAX_IDEMPOTENCY_KEY = 200


class MediaSubmission(CallbackFields):
    """Fields shared by every submission; subclasses name their URL field."""

    model_config = ConfigDict(extra="forbid")
    spec: ClassVar[JobSpec[Any, Any]]
    """The job type a submission makes; ``parameters`` returns its parameters model."""
    url_field: ClassVar[str]
    accepted_kinds: ClassVar[frozenset[str]] = frozenset({"video", "audio"})
    """What an uploaded file may be, by its content (media.sniff kinds)."""

    prompt: str | None = Field(None, max_length=20_000, description="What to ask about the media.")

    def source_url(self) -> str | None:
        value = getattr(self, self.url_field)
        return str(value) if value else None

    def parameters(self, settings: Settings) -> BaseModel:
        """The job's parameters, every default resolved from ``settings``."""
        raise NotImplementedError

    def declared_media_type(self) -> str | None:
        return None


MediaUrl = HttpUrl
"""An http(s) URL of media to fetch; empty means "no URL" (the file is uploaded instead)."""


async def accept_submission(
    request: Request,
    schema: type[MediaSubmission],
    settings: Settings,
    storage: Storage,
    wait_for: WaitForJob,
    session: AsyncSession,
    client: ClientIdentity,
    wait: float,
) -> JSONResponse:
    fields, upload = await _read_body(request, settings)
    try:
        submission = _validate(schema, fields)
        _require_one_source(submission, upload)
        media_type = _refuse_what_cannot_work(submission, upload, settings)
        job = await _create(
            session,
            settings,
            storage,
            submission,
            upload,
            client,
            _idempotency_key(request, client),
            media_type,
        )
    finally:
        if upload is not None:
            upload.path.unlink(missing_ok=True)
    return await respond_with_job(wait_for, session, job, wait)


async def respond_with_job(
    wait_for: WaitForJob, session: AsyncSession, job: Job, wait: float
) -> JSONResponse:
    """Commit so workers can see the job, wait if asked, answer 202 (or 200 when done)."""
    await session.commit()
    if wait > 0 and not job.status.finished:
        job = await wait_for(job.id, wait) or job
    status = 200 if job.status.finished else 202
    headers = {"Location": f"/api/media/jobs/{job.id}"}
    return JSONResponse(job_json(job), status_code=status, headers=headers)


async def _read_body(
    request: Request, settings: Settings
) -> tuple[dict[str, Any], UploadedFile | None]:
    # The body's size is capped before it gets here, by BodyLimitMiddleware.
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        fields, upload = await read_multipart(
            request, incoming_dir(settings), settings.max_upload_bytes
        )
        return dict(fields), upload
    if content_type in ("application/json", ""):
        return _json_object(await request.body()), None
    raise UnsupportedMediaType(
        "Send application/json with a URL, or multipart/form-data with the file in 'file'."
    )


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body or b"{}")
    except (ValueError, RecursionError) as exc:
        raise RequestValidationError(
            [
                {
                    "loc": ("body",),
                    "msg": "the body is not valid JSON (or nests too deeply)",
                    "type": "json_invalid",
                }
            ]
        ) from exc
    if not isinstance(value, dict):
        raise RequestValidationError(
            [{"loc": ("body",), "msg": "the body must be a JSON object", "type": "dict_type"}]
        )
    return value


def _validate(schema: type[MediaSubmission], fields: dict[str, Any]) -> MediaSubmission:
    try:
        return schema.model_validate(fields)
    except ValidationError as exc:
        errors = [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        raise RequestValidationError(errors) from None


def _require_one_source(submission: MediaSubmission, upload: UploadedFile | None) -> None:
    url = submission.source_url()
    if (url is None) == (upload is None):
        message = f"give either '{submission.url_field}' or an uploaded 'file', not both"
        if url is None:
            message = f"give '{submission.url_field}' or upload the media as 'file'"
        raise RequestValidationError(
            [{"loc": ("body", submission.url_field), "msg": message, "type": "missing"}]
        )


def _refuse_what_cannot_work(
    submission: MediaSubmission, upload: UploadedFile | None, settings: Settings
) -> str | None:
    """Refuse at once what can never succeed; the media type found in an upload."""
    url = submission.source_url()
    if url is not None:
        check_url_host(url, allow_private=settings.allow_private_urls)
        return submission.declared_media_type()
    assert upload is not None
    sniffed = sniff_file(upload.path)
    check_upload(upload.size, sniffed, submission.accepted_kinds)
    upload.kind = sniffed.kind
    upload.mime_type = sniffed.mime_type
    return sniffed.kind


def _idempotency_key(request: Request, client: ClientIdentity) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY:
        raise BadRequest("Idempotency-Key must be 1 to 200 characters.")
    return f"{client.idempotency_scope}:{key}"


async def _create(
    session: AsyncSession,
    settings: Settings,
    storage: Storage,
    submission: MediaSubmission,
    upload: UploadedFile | None,
    client: ClientIdentity,
    idempotency_key: str | None,
    media_type: str | None,
) -> Job:
    url = submission.source_url()
    job_request = JobRequest(
        job_type=submission.spec.job_type,
        parameters=submission.spec.parameters_json(submission.parameters(settings)),
        media_url=url,
        media_type=media_type,
        prompt=submission.prompt,
        original_filename=upload.filename if upload else file_name_in_url(url or ""),
        max_attempts=settings.job_max_attempts,
        fingerprint_extra={"upload_sha256": upload.sha256} if upload else {},
    )
    callback = await vet_callback(settings, submission.callback_request())
    submitted = await submit_job(session, job_request, activity_of(client), idempotency_key)
    if submitted.created:
        await register_job_callback(session, submitted.job.id, callback)
    if submitted.created and upload is not None:
        await _store_original(session, storage, submitted.job, upload)
    return submitted.job


async def _store_original(
    session: AsyncSession, storage: Storage, job: Job, upload: UploadedFile
) -> None:
    """The upload goes to the store (in parts when large) before the job is committed."""
    location = f"upload:{job.id}/original"
    try:
        await storage.put_file(location, upload.path, upload.mime_type)
    except StoreUnavailable as exc:
        raise ServiceUnavailable("The file store is not reachable; try again shortly.") from exc
    asset = MediaAsset(
        job_id=job.id,
        asset_type="original",
        file_path=location,
        mime_type=upload.mime_type,
        file_size_bytes=upload.size,
        sha256=upload.sha256,
        metadata_={"filename": upload.filename, "kind": upload.kind},
    )
    await AssetRepository(session).add_all([asset])
