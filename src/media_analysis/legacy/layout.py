"""The old service's folders: which legacy job owns which file.

```
data/jobs/{job_id}.json
uploads/{job_id}/original.{ext}    uploads/{job_id}/frames/frame_NNN.jpg
outputs/{job_id}/contact_sheet.png outputs/{job_id}/transcription.txt
outputs/{job_id}/analysis_result.json
```
Names starting with a dot (editor and OS litter) are passed over without a word;
every other file the layout does not explain is reported as ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

JOBS_FOLDER = Path("data") / "jobs"
UPLOADS_FOLDER = Path("uploads")
OUTPUTS_FOLDER = Path("outputs")

ORIGINAL_NAME = re.compile(r"^original(\.[A-Za-z0-9]{1,10})?$")
FRAME_NAME = re.compile(r"^frame_(\d{1,9})\.(jpe?g|png|webp)$", re.IGNORECASE)
SHEET_NAME = re.compile(r"^contact_sheet(?:_(\d{1,6}))?\.(png|jpe?g|webp)$", re.IGNORECASE)
TRANSCRIPT_NAME = "transcription.txt"
ANALYSIS_NAME = "analysis_result.json"


class ImportRefused(Exception):
    """The import cannot start at all; nothing was written."""


@dataclass(frozen=True)
class LegacyEntry:
    """Everything found under one legacy job id; any part may be missing."""

    legacy_id: str
    record: Path | None
    upload_dir: Path | None
    output_dir: Path | None


@dataclass(frozen=True)
class NumberedFile:
    number: int
    path: Path


@dataclass
class LegacyFiles:
    originals: list[Path] = field(default_factory=list)
    frames: list[NumberedFile] = field(default_factory=list)
    sheets: list[NumberedFile] = field(default_factory=list)
    transcript: Path | None = None
    analysis: Path | None = None
    ignored: list[Path] = field(default_factory=list)


@dataclass
class LegacyTree:
    root: Path
    entries: list[LegacyEntry]
    stray: list[Path]

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def read_tree(root: Path) -> LegacyTree:
    if not root.is_dir():
        raise ImportRefused(f"{root} is not a folder")
    folders = [root / JOBS_FOLDER, root / UPLOADS_FOLDER, root / OUTPUTS_FOLDER]
    if not any(folder.is_dir() for folder in folders):
        raise ImportRefused(
            f"{root} holds none of data/jobs/, uploads/, outputs/: not a legacy data folder"
        )
    records, stray = _job_records(folders[0])
    uploads, stray_uploads = _job_folders(folders[1])
    outputs, stray_outputs = _job_folders(folders[2])
    entries = [
        LegacyEntry(
            legacy_id, records.get(legacy_id), uploads.get(legacy_id), outputs.get(legacy_id)
        )
        for legacy_id in sorted(records.keys() | uploads.keys() | outputs.keys())
    ]
    return LegacyTree(root, entries, [*stray, *stray_uploads, *stray_outputs])


def _visible(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _job_records(folder: Path) -> tuple[dict[str, Path], list[Path]]:
    records: dict[str, Path] = {}
    stray: list[Path] = []
    for path in _visible(folder):
        if path.is_file() and path.suffix.lower() == ".json" and path.stem:
            records[path.stem] = path
        else:
            stray.append(path)
    return records, stray


def _job_folders(folder: Path) -> tuple[dict[str, Path], list[Path]]:
    found: dict[str, Path] = {}
    stray: list[Path] = []
    for path in _visible(folder):
        if path.is_dir():
            found[path.name] = path
        else:
            stray.append(path)
    return found, stray


def classify_files(entry: LegacyEntry) -> LegacyFiles:
    files = LegacyFiles()
    for path in _files_under(entry.upload_dir):
        _classify_upload(files, entry.upload_dir, path)
    for path in _files_under(entry.output_dir):
        _classify_output(files, entry.output_dir, path)
    files.frames.sort(key=lambda frame: frame.number)
    files.sheets.sort(key=lambda sheet: sheet.number)
    return files


def _files_under(folder: Path | None) -> Iterator[Path]:
    if folder is None:
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            yield path


def _classify_upload(files: LegacyFiles, folder: Path | None, path: Path) -> None:
    assert folder is not None
    parts = path.relative_to(folder).parts
    if len(parts) == 1 and ORIGINAL_NAME.match(path.name):
        files.originals.append(path)
    elif not _is_frame(files, parts, path):
        files.ignored.append(path)


def _classify_output(files: LegacyFiles, folder: Path | None, path: Path) -> None:
    assert folder is not None
    parts = path.relative_to(folder).parts
    sheet = SHEET_NAME.match(path.name)
    if len(parts) == 1 and sheet:
        files.sheets.append(NumberedFile(int(sheet[1] or 0), path))
    elif parts == (TRANSCRIPT_NAME,):
        files.transcript = path
    elif parts == (ANALYSIS_NAME,):
        files.analysis = path
    elif not _is_frame(files, parts, path):
        files.ignored.append(path)


def _is_frame(files: LegacyFiles, parts: tuple[str, ...], path: Path) -> bool:
    """Frames were kept under uploads/; a copy under outputs/frames/ is accepted too."""
    match = FRAME_NAME.match(path.name)
    if len(parts) != 2 or parts[0] != "frames" or match is None:
        return False
    files.frames.append(NumberedFile(int(match[1]), path))
    return True
