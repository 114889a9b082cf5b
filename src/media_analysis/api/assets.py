"""A job's files: listing and downloading (Range and ETag aware)."""

from __future__ import annotations

import uuid
from pathlib import Path, PurePosixPath
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response

from media_analysis.api.asset_schemas import AssetOut
from media_analysis.api.deps import Client, DbSession, SettingsDep, StorageDep
from media_analysis.api.file_responses import RangeAwareFileResponse
from media_analysis.api.jobs import load_job
from media_analysis.api.openapi_document import problem_responses
from media_analysis.api.stored_downloads import stored_download
from media_analysis.db.repositories import AssetRepository
from media_analysis.errors import NotFound
from media_analysis.storage import Storage

router = APIRouter(prefix="/api/media", tags=["assets"])


@router.get(
    "/jobs/{job_id}/assets",
    response_model=list[AssetOut],
    summary="A job's files",
    operation_id="list_job_assets",
    responses=problem_responses(404),
)
async def list_assets(
    job_id: uuid.UUID,
    session: DbSession,
    client: Client,
    asset_type: Annotated[str | None, Query(description="e.g. frame, contact_sheet")] = None,
) -> list[AssetOut]:
    await load_job(session, job_id, client)
    assets = await AssetRepository(session).list_for_job(job_id, asset_type)
    return [AssetOut.of(asset) for asset in assets]


@router.get(
    "/assets/{asset_id}/content",
    summary="Download a file (supports Range and If-None-Match)",
    operation_id="download_asset",
    response_class=RangeAwareFileResponse,
    responses={
        200: {"description": "The file.", "content": {"*/*": {}}},
        206: {"description": "The requested range of the file.", "content": {"*/*": {}}},
        304: {"description": "Not modified since the ETag in If-None-Match."},
        307: {"description": "With object storage and presigned downloads: fetch it here."},
        **problem_responses(404, 416),
    },
)
async def asset_content(
    asset_id: uuid.UUID,
    session: DbSession,
    settings: SettingsDep,
    storage: StorageDep,
    client: Client,
    if_none_match: Annotated[str | None, Header()] = None,
    range_: Annotated[str | None, Header(alias="range", include_in_schema=False)] = None,
) -> Response:
    asset = await AssetRepository(session).get_owned(asset_id, client.owner_scope)
    if asset is None:
        raise NotFound(f"No file for asset {asset_id}.")
    path = _local_file(storage, asset.file_path) if storage.keeps_files_locally else None
    if storage.keeps_files_locally and path is None:
        raise NotFound(f"No file for asset {asset_id}.")
    etag = f'"{asset.sha256 or asset.id.hex + str(asset.file_size_bytes)}"'
    if if_none_match and _matches(if_none_match, etag):
        return Response(status_code=304, headers={"ETag": etag})
    media_type = asset.mime_type or "application/octet-stream"
    filename = f"{asset.asset_type}-{asset.id}{PurePosixPath(asset.file_path).suffix}"
    headers = {
        "ETag": etag,
        "Cache-Control": "private, max-age=3600",
        "Content-Disposition": f'inline; filename="{filename}"',
    }
    if path is None:
        return await stored_download(
            storage, settings, asset.file_path, range_, headers, media_type
        )
    return RangeAwareFileResponse(path, media_type=media_type, headers=headers)


def _matches(if_none_match: str, etag: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


def _local_file(storage: Storage, stored: str) -> Path | None:
    try:
        path = storage.local_path(stored)
    except ValueError:
        return None
    return path if path.is_file() else None
