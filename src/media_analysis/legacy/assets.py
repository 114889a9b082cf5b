"""Where each legacy file goes in the new layout, and the ``media_assets`` row it gets.

Asset ids are derived from the job id and the stored path, so a re-import names
the same rows and a row proves it came from the import (see ``is_imported_asset``).
Frames the old service numbered from 1 (ffmpeg's default) are renumbered from 0,
the new service's convention, so that ``timestamp = index / fps`` holds for both.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from media_analysis.legacy.files import checksum, image_size
from media_analysis.legacy.layout import LegacyFiles, LegacyTree, NumberedFile
from media_analysis.media.sniff import sniff_file
from media_analysis.storage import JobFiles

TEXT_MIME = "text/plain; charset=utf-8"
JSON_MIME = "application/json"


@dataclass(frozen=True)
class PlannedAsset:
    source: Path
    source_name: str
    destination: Path
    row: dict[str, Any]

    @property
    def sha256(self) -> str:
        return str(self.row["sha256"])

    @property
    def stored(self) -> str:
        return str(self.row["file_path"])


def asset_id(job_id: uuid.UUID, stored: str) -> uuid.UUID:
    return uuid.uuid5(job_id, f"asset:{stored}")


def is_imported_asset(job_id: uuid.UUID, row_id: uuid.UUID, stored: str) -> bool:
    return row_id == asset_id(job_id, stored)


@dataclass(frozen=True)
class AssetPlanner:
    tree: LegacyTree
    files: JobFiles

    def original(self, source: Path, filename: str | None) -> PlannedAsset:
        sniffed = sniff_file(source)
        metadata = {"kind": sniffed.kind, "filename": filename or source.name}
        destination = self.files.upload_dir / "original"
        return self._planned("original", source, destination, sniffed.mime_type, metadata)

    def frames(self, frames: list[NumberedFile], fps: float) -> list[PlannedAsset]:
        first = 0 if frames and frames[0].number == 0 else 1
        return [self._frame(frame, frame.number - first, fps) for frame in frames]

    def sheets(self, sheets: list[NumberedFile], grid: str | None) -> list[PlannedAsset]:
        metadata: dict[str, Any] = {"tiles": []} | ({"grid": grid} if grid else {})
        return [
            self._sheet(position, sheet.path, metadata) for position, sheet in enumerate(sheets)
        ]

    def texts(self, files: LegacyFiles) -> list[PlannedAsset]:
        planned = []
        if files.transcript is not None:
            destination = self.files.output_dir / files.transcript.name
            planned.append(
                self._planned("transcript_text", files.transcript, destination, TEXT_MIME, {})
            )
        if files.analysis is not None:
            destination = self.files.output_dir / files.analysis.name
            planned.append(
                self._planned("analysis_json", files.analysis, destination, JSON_MIME, {})
            )
        return planned

    def _frame(self, frame: NumberedFile, index: int, fps: float) -> PlannedAsset:
        destination = self.files.output_dir / "frames" / f"frame_{index:06d}{_suffix(frame.path)}"
        planned = self._image("frame", frame.path, destination, {})
        planned.row.update(frame_index=index, timestamp_seconds=round(index / fps, 3))
        return planned

    def _sheet(self, index: int, source: Path, metadata: dict[str, Any]) -> PlannedAsset:
        destination = self.files.output_dir / "sheets" / f"sheet_{index:04d}{_suffix(source)}"
        planned = self._image("contact_sheet", source, destination, dict(metadata))
        planned.row.update(frame_index=index)
        return planned

    def _image(
        self, asset_type: str, source: Path, destination: Path, metadata: dict[str, Any]
    ) -> PlannedAsset:
        planned = self._planned(
            asset_type, source, destination, sniff_file(source).mime_type, metadata
        )
        size = image_size(source)
        if size is not None:
            planned.row.update(width=size[0], height=size[1])
        return planned

    def _planned(
        self,
        asset_type: str,
        source: Path,
        destination: Path,
        mime_type: str,
        metadata: dict[str, Any],
    ) -> PlannedAsset:
        digest = checksum(source)
        stored = self.files.stored(destination)
        source_name = self.tree.relative(source)
        row: dict[str, Any] = {
            "id": asset_id(self.files.job_id, stored),
            "job_id": self.files.job_id,
            "asset_type": asset_type,
            "file_path": stored,
            "mime_type": mime_type,
            "file_size_bytes": digest.size,
            "sha256": digest.sha256,
            "metadata_": {**metadata, "legacy_path": source_name},
        }
        return PlannedAsset(source, source_name, destination, row)


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    return ".jpg" if suffix == ".jpeg" else suffix
