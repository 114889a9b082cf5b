"""Everything one legacy job becomes, worked out before anything is written.

The plan's fingerprint hashes every row it would write (file checksums included),
so "already imported with the same content" is one comparison.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from media_analysis.config import Settings
from media_analysis.legacy import record as fields
from media_analysis.legacy.assets import AssetPlanner, PlannedAsset
from media_analysis.legacy.job_row import JobSource, job_row
from media_analysis.legacy.layout import (
    LegacyEntry,
    LegacyFiles,
    LegacyTree,
    NumberedFile,
    classify_files,
)
from media_analysis.legacy.mapping import job_id_for, positive_number
from media_analysis.legacy.record import UnreadableFile, read_record
from media_analysis.legacy.report import Finding
from media_analysis.legacy.texts import (
    analysis_row,
    read_analysis,
    read_transcript,
    transcription_row,
)
from media_analysis.storage import JobFiles

LEGACY_DEFAULT_FPS = 3.0
# Bump when the mapping changes, so already-imported jobs are brought up to date.
MAPPING_VERSION = 1


@dataclass
class JobPlan:
    legacy_id: str
    job_id: uuid.UUID
    job: dict[str, Any]
    assets: list[PlannedAsset]
    transcription: dict[str, Any] | None
    analysis: dict[str, Any] | None
    findings: list[Finding] = field(default_factory=list)
    unreadable: Counter[str] = field(default_factory=Counter)

    @property
    def fingerprint(self) -> str:
        return str(self.job["parameters"]["legacy_import"]["fingerprint"])

    def rows(self) -> Counter[str]:
        return Counter(
            assets=len(self.assets),
            transcriptions=int(self.transcription is not None),
            analyses=int(self.analysis is not None),
        )


def plan_job(settings: Settings, tree: LegacyTree, entry: LegacyEntry) -> JobPlan:
    """Raises UnreadableFile when the job's record cannot be used at all."""
    assert entry.record is not None
    record = read_record(entry.record)
    job_id = job_id_for(entry.legacy_id)
    files = classify_files(entry)
    plan = JobPlan(entry.legacy_id, job_id, {}, [], None, None)
    source = JobSource(
        legacy_id=entry.legacy_id,
        job_id=job_id,
        record=record,
        record_name=tree.relative(entry.record),
        record_mtime=entry.record.stat().st_mtime,
        fps=positive_number(record.get("fps")) or LEGACY_DEFAULT_FPS,
        assets=[],
        transcript=None,
        analysis=None,
        findings=plan.findings,
    )
    _check_layout(tree, entry, record, files, source)
    source.assets = _assets(AssetPlanner(tree, JobFiles(settings, job_id)), files, source, plan)
    source.transcript = _transcript(tree, files, plan)
    source.analysis = _analysis(tree, files, plan)
    _finish(plan, source)
    return plan


def _check_layout(
    tree: LegacyTree,
    entry: LegacyEntry,
    record: dict[str, Any],
    files: LegacyFiles,
    source: JobSource,
) -> None:
    recorded_id = fields.text_of(record, fields.ID_FIELDS)
    if recorded_id is not None and recorded_id != entry.legacy_id:
        source.warn(f"job_id {recorded_id!r} differs from the file name; the file name is used")
    if not files.originals:
        where = f"uploads/{entry.legacy_id}/"
        source.findings.append(Finding("error", where, "original file is missing"))
    for path in files.originals[1:]:
        source.findings.append(Finding("warning", tree.relative(path), "second original ignored"))
    for path in files.ignored:
        source.findings.append(Finding("warning", tree.relative(path), "unrecognised file ignored"))


def _assets(
    planner: AssetPlanner, files: LegacyFiles, source: JobSource, plan: JobPlan
) -> list[PlannedAsset]:
    filename = fields.text_of(source.record, fields.FILENAME_FIELDS)
    grid = fields.text_of(source.record, ("grid", "contact_sheet_grid"))
    originals = [planner.original(files.originals[0], filename)] if files.originals else []
    return [
        *originals,
        *planner.frames(_distinct(files.frames, planner.tree, plan), source.fps),
        *planner.sheets(files.sheets, grid),
        *planner.texts(files),
    ]


def _distinct(frames: list[NumberedFile], tree: LegacyTree, plan: JobPlan) -> list[NumberedFile]:
    """One frame per number (a frame may exist as .jpg and .png, or in both folders)."""
    seen: dict[int, NumberedFile] = {}
    for frame in frames:
        if frame.number in seen:
            message = f"duplicate of {seen[frame.number].path.name}; ignored"
            plan.findings.append(Finding("warning", tree.relative(frame.path), message))
        else:
            seen[frame.number] = frame
    return list(seen.values())


def _transcript(tree: LegacyTree, files: LegacyFiles, plan: JobPlan) -> str | None:
    if files.transcript is None:
        return None
    try:
        return read_transcript(files.transcript)
    except UnreadableFile as exc:
        _unreadable(plan, tree.relative(files.transcript), str(exc), "transcriptions")
        return None


def _analysis(tree: LegacyTree, files: LegacyFiles, plan: JobPlan) -> dict[str, Any] | None:
    if files.analysis is None:
        return None
    try:
        return read_analysis(files.analysis)
    except UnreadableFile as exc:
        _unreadable(plan, tree.relative(files.analysis), str(exc), "analyses")
        return None


def _unreadable(plan: JobPlan, where: str, reason: str, kind: str) -> None:
    row = {"transcriptions": "transcription", "analyses": "analysis"}[kind]
    message = f"{reason}; the file is copied but no {row} row is made"
    plan.findings.append(Finding("error", where, message))
    plan.unreadable[kind] += 1


def _finish(plan: JobPlan, source: JobSource) -> None:
    plan.assets = source.assets
    plan.job = job_row(source)
    language = fields.text_of(source.record, ("language",))
    if source.transcript is not None:
        plan.transcription = transcription_row(plan.job_id, source.transcript, language)
    if source.analysis is not None:
        plan.analysis = analysis_row(plan.job_id, source.analysis, plan.job["prompt"])
    plan.job["parameters"]["legacy_import"] = {
        "source": source.record_name,
        "fingerprint": _fingerprint(plan),
    }


def _fingerprint(plan: JobPlan) -> str:
    content = {
        "version": MAPPING_VERSION,
        "job": plan.job,
        "assets": [asset.row for asset in plan.assets],
        "transcription": plan.transcription,
        "analysis": plan.analysis,
    }
    encoded = json.dumps(content, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()
