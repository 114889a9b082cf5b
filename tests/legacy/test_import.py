"""`import_legacy`: rows, files, checksums, broken entries, idempotence, dry run."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from media_analysis.config import Settings
from media_analysis.legacy import ImportReport, import_legacy, render_text
from media_analysis.storage import resolve_stored
from tests.legacy.conftest import job_uuid
from tests.legacy.database_rows import job_rows, row_counts
from tests.legacy.legacy_tree import LegacyIds, sha256_of, tree_state


def outcome_of(report: ImportReport, legacy_id: str) -> str:
    return next(job.outcome for job in report.jobs if job.legacy_id == legacy_id)


def problem_places(report: ImportReport) -> set[str]:
    return {finding.where for finding in report.errors}


def service_files(settings: Settings) -> dict[str, int]:
    return {
        path.as_posix(): path.stat().st_mtime_ns
        for folder in (settings.upload_dir, settings.output_dir)
        if folder.exists()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


async def test_import_writes_rows_and_copies(
    service_settings: Settings, db_url: str, legacy_root: Path, ids: LegacyIds
) -> None:
    before = tree_state(legacy_root)

    report = await import_legacy(service_settings, db_url, legacy_root)

    assert tree_state(legacy_root) == before
    assert {outcome_of(report, i) for i in ids.importable} == {"imported"}
    assert outcome_of(report, ids.malformed) == outcome_of(report, ids.orphan) == "failed"
    assert not report.ok
    assert report.unverified == []
    checked = [check for job in report.jobs for check in job.files]
    assert len(checked) == 12
    assert all(check.verified and check.action == "new" for check in checked)

    rows = await job_rows(db_url, job_uuid(ids.video))
    assert rows.job is not None
    assert str(rows.job.id) == ids.video
    assert rows.job.job_type == "video"
    assert rows.job.status == "completed"
    assert rows.job.media_type == "video"
    assert rows.job.media_url == "https://media.example.com/talk.mp4"
    assert rows.job.prompt == "What is on the whiteboard?"
    assert rows.job.created_at == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert rows.job.completed_at == datetime(2024, 3, 1, 10, 1, 5, tzinfo=UTC)
    assert rows.job.processing_time_ms == 60000
    assert rows.job.parameters["fps"] == 2
    assert rows.job.parameters["legacy_fields"] == {"worker_host": "gpu-box-2"}
    assert "legacy_job_id" not in rows.job.parameters
    assert rows.job.error is None
    assert [event.event_type for event in rows.events] == ["completed"]

    original = legacy_root / "uploads" / ids.video / "original.mp4"
    [stored_original] = rows.of_type("original")
    assert stored_original.mime_type == "video/mp4"
    assert stored_original.sha256 == sha256_of(original)
    assert stored_original.file_size_bytes == original.stat().st_size
    copy = resolve_stored(service_settings, stored_original.file_path)
    assert copy == service_settings.upload_dir.resolve() / ids.video / "original"
    assert sha256_of(copy) == sha256_of(original)

    frames = rows.of_type("frame")
    assert [f.frame_index for f in frames] == [0, 1, 2, 3]
    assert [f.timestamp_seconds for f in frames] == [0.0, 0.5, 1.0, 1.5]
    assert {(f.width, f.height, f.mime_type) for f in frames} == {(64, 36, "image/jpeg")}
    for number, frame in enumerate(frames, start=1):
        source = legacy_root / "uploads" / ids.video / "frames" / f"frame_{number:03d}.jpg"
        assert frame.sha256 == sha256_of(source)
        assert frame.file_path == f"output:{ids.video}/frames/frame_{number - 1:06d}.jpg"
        assert sha256_of(resolve_stored(service_settings, frame.file_path)) == frame.sha256

    [sheet] = rows.of_type("contact_sheet")
    assert (sheet.width, sheet.height, sheet.mime_type) == (192, 72, "image/png")
    assert sheet.metadata_["tiles"] == []
    assert rows.job.result is not None
    assert rows.job.result["frame_count"] == 4
    assert rows.job.result["contact_sheet_path"] == f"/api/media/assets/{sheet.id}/content"

    [transcription] = rows.transcriptions
    assert (transcription.provider, transcription.text_content) == (
        "legacy",
        "Hello and welcome to the talk.",
    )
    [analysis] = rows.analyses
    assert analysis.summary == "A speaker in front of a whiteboard."
    assert analysis.model_used == "MiniMax-VL-01"
    assert analysis.confidence_score == 0.82
    assert analysis.detailed_analysis["objects"] == ["whiteboard", "person"]
    assert rows.job.result["analysis_result"]["summary"] == analysis.summary


async def test_statuses_ids_and_timestamps_are_mapped(
    service_settings: Settings, db_url: str, legacy_root: Path, ids: LegacyIds
) -> None:
    await import_legacy(service_settings, db_url, legacy_root)

    audio = await job_rows(db_url, job_uuid(ids.audio))
    assert audio.job is not None
    assert audio.job.id == job_uuid(ids.audio) != ids.audio
    assert audio.job.parameters["legacy_job_id"] == ids.audio
    assert audio.job.job_type == "audio.transcribe"
    assert audio.job.status == "completed"
    assert audio.job.created_at == datetime(2024, 3, 1, 10, tzinfo=UTC)
    [original] = audio.of_type("original")
    assert (original.mime_type, audio.job.media_type) == ("audio/wav", "audio")
    assert audio.transcriptions[0].text_content == "one two three"
    assert audio.transcriptions[0].language == "en"

    failed = await job_rows(db_url, job_uuid(ids.failed))
    assert failed.job is not None
    assert failed.job.status == "failed"
    assert failed.job.job_type == "video.contact_sheet"
    assert failed.job.error == {
        "code": "legacy_error",
        "message": "ffmpeg exited with code 1: moov atom not found",
    }
    assert failed.job.created_at == datetime(2024, 3, 1, 11, tzinfo=UTC)
    assert failed.analyses == []
    assert sorted(a.asset_type for a in failed.assets) == ["analysis_json", "original"]
    assert [event.event_type for event in failed.events] == ["failed"]

    unfinished = await job_rows(db_url, job_uuid(ids.unfinished))
    assert unfinished.job is not None
    assert unfinished.job.status == "failed"
    assert unfinished.job.job_type == "video.extract_frames"
    assert unfinished.job.error is not None
    assert unfinished.job.error["code"] == "legacy_incomplete"
    assert unfinished.assets == []


async def test_broken_entries_are_reported_without_stopping(
    service_settings: Settings, db_url: str, legacy_root: Path, ids: LegacyIds
) -> None:
    report = await import_legacy(service_settings, db_url, legacy_root)

    assert problem_places(report) == {
        f"data/jobs/{ids.malformed}.json",
        f"uploads/{ids.orphan}/",
        f"uploads/{ids.unfinished}/",
        f"outputs/{ids.failed}/analysis_result.json",
    }
    assert (await job_rows(db_url, job_uuid(ids.malformed))).job is None
    assert (await job_rows(db_url, job_uuid(ids.orphan))).job is None
    warnings = {(f.where, f.message) for job in report.jobs for f in job.findings}
    assert (f"uploads/{ids.video}/notes.txt", "unrecognised file ignored") in warnings
    counts = report.counts()
    assert counts["jobs"] == {"imported": 4, "updated": 0, "skipped": 0, "failed": 2}
    assert counts["analyses"] == {"imported": 1, "updated": 0, "skipped": 0, "failed": 1}
    assert counts["transcriptions"]["imported"] == 2
    assert counts["assets"]["imported"] == 12

    text = render_text(report)
    assert "is not valid JSON" in text
    assert f"no data/jobs/{ids.orphan}.json describes this folder" in text
    assert "original file is missing" in text
    assert "Result: INCOMPLETE" in text


async def test_second_run_changes_nothing(
    service_settings: Settings, db_url: str, legacy_root: Path, ids: LegacyIds
) -> None:
    job_ids = [job_uuid(legacy_id) for legacy_id in ids.importable]
    await import_legacy(service_settings, db_url, legacy_root)
    counts, files = await row_counts(db_url, job_ids), service_files(service_settings)

    again = await import_legacy(service_settings, db_url, legacy_root)

    assert {outcome_of(again, i) for i in ids.importable} == {"skipped"}
    assert await row_counts(db_url, job_ids) == counts
    assert service_files(service_settings) == files
    checks = [check for job in again.jobs for check in job.files]
    assert {check.action for check in checks} == {"unchanged"}
    assert all(check.verified for check in checks)
    assert again.counts()["jobs"]["skipped"] == 4


async def test_rerun_repairs_missing_or_altered_copies(
    service_settings: Settings, db_url: str, legacy_root: Path, ids: LegacyIds
) -> None:
    await import_legacy(service_settings, db_url, legacy_root)
    frames = service_settings.output_dir / ids.video / "frames"
    (frames / "frame_000000.jpg").unlink()
    (frames / "frame_000001.jpg").write_bytes(b"not the frame")

    again = await import_legacy(service_settings, db_url, legacy_root)

    video = next(job for job in again.jobs if job.legacy_id == ids.video)
    actions = {check.stored.rsplit("/", 1)[-1]: check.action for check in video.files}
    assert actions["frame_000000.jpg"] == "new"
    assert actions["frame_000001.jpg"] == "replaced"
    assert actions["frame_000002.jpg"] == "unchanged"
    assert video.outcome == "skipped"
    assert all(check.verified for check in video.files)


async def test_changed_legacy_job_is_updated_in_place(
    service_settings: Settings, db_url: str, legacy_root: Path, ids: LegacyIds
) -> None:
    await import_legacy(service_settings, db_url, legacy_root)
    (legacy_root / "uploads" / ids.video / "frames" / "frame_004.jpg").unlink()
    (legacy_root / "outputs" / ids.audio / "transcription.txt").write_text("four five six")

    again = await import_legacy(service_settings, db_url, legacy_root)

    assert outcome_of(again, ids.video) == outcome_of(again, ids.audio) == "updated"
    video = await job_rows(db_url, job_uuid(ids.video))
    assert [f.frame_index for f in video.of_type("frame")] == [0, 1, 2]
    assert not (service_settings.output_dir / ids.video / "frames" / "frame_000003.jpg").exists()
    assert [event.event_type for event in video.events] == ["completed"]
    audio = await job_rows(db_url, job_uuid(ids.audio))
    assert [t.text_content for t in audio.transcriptions] == ["four five six"]


async def test_dry_run_writes_nothing(
    service_settings: Settings, db_url: str, legacy_root: Path, ids: LegacyIds
) -> None:
    before = tree_state(legacy_root)

    report = await import_legacy(service_settings, db_url, legacy_root, dry_run=True)

    assert report.dry_run
    assert {outcome_of(report, i) for i in ids.importable} == {"imported"}
    assert problem_places(report) >= {f"data/jobs/{ids.malformed}.json", f"uploads/{ids.orphan}/"}
    assert {check.action for job in report.jobs for check in job.files} == {"new"}
    for legacy_id in ids.importable:
        assert (await job_rows(db_url, job_uuid(legacy_id))).job is None
    assert service_files(service_settings) == {}
    assert not service_settings.upload_dir.exists()
    assert tree_state(legacy_root) == before
    assert "dry run: nothing was written" in render_text(report)
