from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel

from media_analysis.db.models import MediaAsset


class AssetOut(BaseModel):
    id: uuid.UUID
    asset_type: str
    mime_type: str | None
    file_size_bytes: int | None
    frame_index: int | None
    timestamp_seconds: float | None
    width: int | None
    height: int | None
    metadata: dict[str, Any]
    url: str

    @classmethod
    def of(cls, asset: MediaAsset) -> AssetOut:
        return cls(
            id=asset.id,
            asset_type=asset.asset_type,
            mime_type=asset.mime_type,
            file_size_bytes=asset.file_size_bytes,
            frame_index=asset.frame_index,
            timestamp_seconds=asset.timestamp_seconds,
            width=asset.width,
            height=asset.height,
            metadata=asset.metadata_ or {},
            url=f"/api/media/assets/{asset.id}/content",
        )
