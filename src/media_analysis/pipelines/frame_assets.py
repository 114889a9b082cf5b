"""Frames and contact sheets as asset rows and as the summaries a job's result carries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from media_analysis.db.models import MediaAsset
from media_analysis.media.contact_sheet import ContactSheet
from media_analysis.media.frames import Frame
from media_analysis.pipelines.specs.parts import FrameSummary, SheetSummary
from media_analysis.storage import JobFiles

MIME_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def content_url(asset_id: uuid.UUID) -> str:
    return f"/api/media/assets/{asset_id}/content"


def frame_assets(files: JobFiles, frames: Sequence[Frame], image_format: str) -> list[MediaAsset]:
    return [
        MediaAsset(
            id=uuid.uuid4(),
            job_id=files.job_id,
            asset_type="frame",
            file_path=files.stored(frame.path),
            mime_type=MIME_TYPES[image_format],
            file_size_bytes=frame.path.stat().st_size,
            frame_index=frame.index,
            timestamp_seconds=round(frame.timestamp, 3),
            width=frame.width,
            height=frame.height,
            metadata_={},
        )
        for frame in frames
    ]


def sheet_assets(
    files: JobFiles, sheets: Sequence[ContactSheet], image_format: str, grid: tuple[int, int]
) -> list[MediaAsset]:
    return [
        MediaAsset(
            id=uuid.uuid4(),
            job_id=files.job_id,
            asset_type="contact_sheet",
            file_path=files.stored(sheet.path),
            mime_type=MIME_TYPES[image_format],
            file_size_bytes=sheet.path.stat().st_size,
            frame_index=sheet.index,
            width=sheet.width,
            height=sheet.height,
            metadata_={"grid": f"{grid[0]}x{grid[1]}", "tiles": tile_map(sheet)},
        )
        for sheet in sheets
    ]


def tile_map(sheet: ContactSheet) -> list[dict[str, Any]]:
    return [
        {
            "position": position,
            "frame_index": tile.frame_index,
            "timestamp": round(tile.timestamp, 3),
            "box": list(tile.box),
        }
        for position, tile in enumerate(sheet.tiles)
    ]


def sheet_summaries(assets: Sequence[MediaAsset]) -> list[SheetSummary]:
    return [
        SheetSummary(
            index=asset.frame_index,
            asset_id=str(asset.id),
            url=content_url(asset.id),
            width=asset.width,
            height=asset.height,
            tiles=asset.metadata_["tiles"],
        )
        for asset in assets
    ]


def frame_summary(assets: Sequence[MediaAsset]) -> FrameSummary:
    timestamps = [asset.timestamp_seconds or 0.0 for asset in assets]
    return FrameSummary(
        frame_count=len(assets),
        first_timestamp=timestamps[0] if timestamps else None,
        last_timestamp=timestamps[-1] if timestamps else None,
    )
