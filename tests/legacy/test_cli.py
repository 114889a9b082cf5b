"""`media-analysis import-legacy` as a real process: output, report file, exit codes.

Needs `legacy.cli.register(app)` in media_analysis/cli.py (the import-legacy hook).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.e2e.server import service_env
from tests.legacy.conftest import job_uuid
from tests.legacy.database_rows import delete_jobs, job_rows
from tests.legacy.legacy_tree import LegacyIds, build_audio_job, build_video_job, tree_state
from tests.paths import REPO_ROOT

CLI = [sys.executable, "-m", "media_analysis.cli", "import-legacy"]


def import_legacy_cli(tmp_path: Path, db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        env=service_env(tmp_path / "service", DATABASE_URL=db_url),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_cli_reports_broken_entries_and_exits_1(
    tmp_path: Path, db_url: str, legacy_root: Path, ids: LegacyIds
) -> None:
    before = tree_state(legacy_root)
    report_file = tmp_path / "report.json"

    run = import_legacy_cli(
        tmp_path, db_url, str(legacy_root), "--json", "--report", str(report_file)
    )

    assert run.returncode == 1, run.stderr
    printed = json.loads(run.stdout)
    assert json.loads(report_file.read_text()) == printed
    assert printed["ok"] is False
    assert printed["counts"]["jobs"] == {"imported": 4, "updated": 0, "skipped": 0, "failed": 2}
    places = {f["where"] for job in printed["jobs"] for f in job["findings"]}
    assert f"data/jobs/{ids.malformed}.json" in places
    assert f"uploads/{ids.orphan}/" in places
    assert (await job_rows(db_url, job_uuid(ids.video))).job is not None
    assert tree_state(legacy_root) == before


async def test_cli_exits_0_when_everything_verified(
    tmp_path: Path, db_url: str, legacy_root: Path
) -> None:
    ids = LegacyIds()
    build_video_job(legacy_root, ids.video)
    build_audio_job(legacy_root, ids.audio)
    try:
        dry = import_legacy_cli(tmp_path, db_url, str(legacy_root), "--dry-run")
        assert dry.returncode == 0, dry.stdout + dry.stderr
        assert (await job_rows(db_url, job_uuid(ids.video))).job is None
        assert "jobs:           2 would import, 0 would update" in dry.stdout
        assert "imported" not in dry.stdout

        run = import_legacy_cli(tmp_path, db_url, str(legacy_root))
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Result: OK, every file and row verified" in run.stdout

        again = import_legacy_cli(tmp_path, db_url, str(legacy_root))
        assert again.returncode == 0
        assert "jobs:           0 imported, 0 updated, 2 skipped, 0 failed" in again.stdout
    finally:
        await delete_jobs(db_url, [job_uuid(ids.video), job_uuid(ids.audio)])


def test_cli_refuses_a_folder_that_is_not_legacy_data(tmp_path: Path, db_url: str) -> None:
    (tmp_path / "empty").mkdir()

    run = import_legacy_cli(tmp_path, db_url, str(tmp_path / "empty"))

    assert run.returncode == 2
    assert "not a legacy data folder" in run.stderr
    assert "Traceback" not in run.stderr
