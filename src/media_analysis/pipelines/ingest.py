"""Getting a job's original onto local disk: the uploaded file, or a safe download."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from media_analysis.config import Settings
from media_analysis.db.models import MediaAsset
from media_analysis.db.repositories import AssetRepository, JobRepository
from media_analysis.errors import EmptyFile
from media_analysis.jobs.registry import FailureCleanup, JobContext
from media_analysis.media.fetch import fetch_to_file
from media_analysis.media.fetch_pace import FetchPace
from media_analysis.media.info import MediaInfo
from media_analysis.media.sniff import sniff_file
from media_analysis.pipelines.specs.parts import MediaFacts
from media_analysis.storage import JobFiles


@dataclass(frozen=True)
class Original:
    path: Path
    mime_type: str
    kind: str
    size: int
    sha256: str


async def obtain_original(context: JobContext) -> Original:
    """The job's uploaded original, or its URL downloaded (and staged as an asset)."""
    known = context.scratch.get("original")
    if isinstance(known, Original):
        return known
    original = await _fetch_original(context)
    context.scratch["original"] = original
    return original


async def _fetch_original(context: JobContext) -> Original:
    files = JobFiles(context.settings, context.job.id)
    context.remove_on_failure(files.upload_dir, files.output_dir)
    context.on_failure(_forget_assets(context.job.id))
    uploaded = await _uploaded_original(context)
    if uploaded is not None:
        return uploaded
    await context.progress.report("downloading", 0, "fetching the media URL")
    files.upload_dir.mkdir(parents=True, exist_ok=True)
    assert context.job.media_url is not None
    fetched = await fetch_to_file(
        context.job.media_url,
        files.upload_dir / "original",
        max_bytes=context.settings.max_upload_bytes,
        allow_private=context.settings.allow_private_urls,
        pace=fetch_pace(context.settings),
    )
    if fetched.size == 0:
        raise EmptyFile()
    sniffed = await asyncio.to_thread(sniff_file, fetched.path)
    if sniffed.kind != "unknown":
        await record_media_type(context, sniffed.kind)
    context.stage(
        MediaAsset(
            job_id=context.job.id,
            asset_type="original",
            file_path=files.stored(fetched.path),
            mime_type=sniffed.mime_type,
            file_size_bytes=fetched.size,
            sha256=fetched.sha256,
            metadata_={"source_url": context.job.media_url, "kind": sniffed.kind},
        )
    )
    await context.progress.report("downloading", 100, f"downloaded {fetched.size} bytes")
    return Original(fetched.path, sniffed.mime_type, sniffed.kind, fetched.size, fetched.sha256)


async def record_media_type(context: JobContext, kind: str) -> None:
    """Say what the job's media is as soon as its content shows it, whatever happens next."""
    context.job.media_type = kind
    async with context.session_factory() as session:
        await JobRepository(session).set_media_type(context.job.id, kind)
        await session.commit()


def fetch_pace(settings: Settings) -> FetchPace:
    return FetchPace(
        settings.fetch_min_bytes_per_second,
        settings.fetch_rate_window_seconds,
        settings.max_concurrent_fetches,
    )


def _forget_assets(job_id: uuid.UUID) -> FailureCleanup:
    """A failed job keeps no asset rows: their files are removed with it."""

    async def forget(session: AsyncSession) -> None:
        await AssetRepository(session).delete_for_job(job_id)

    return forget


async def _uploaded_original(context: JobContext) -> Original | None:
    async with context.session_factory() as session:
        asset = await AssetRepository(session).original_of(context.job.id)
    if asset is None:
        return None
    return Original(
        await context.storage.fetch(asset.file_path),
        asset.mime_type or "application/octet-stream",
        str((asset.metadata_ or {}).get("kind", "unknown")),
        asset.file_size_bytes or 0,
        asset.sha256 or "",
    )


def media_facts(info: MediaInfo) -> MediaFacts:
    """What probing found, in the shape results and analyses report it."""
    video = info.video
    size = info.display_size
    return MediaFacts(
        media_type="video" if info.has_video else "audio",
        duration_seconds=round(info.duration, 3),
        container=info.format_name,
        size_bytes=info.size,
        has_video=info.has_video,
        has_audio=info.has_audio,
        video_codec=video.codec if video else None,
        frame_rate=video.fps if video else None,
        width=size[0] if size else None,
        height=size[1] if size else None,
        rotation=info.rotation,
        streams=[
            {k: v for k, v in vars(stream).items() if v is not None} for stream in info.streams
        ],
    )
