"""A clone of the repository on its own must pass: nothing may reach outside it."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import DATA, REPO_ROOT

# A path that climbs out of the repository ("../x"), or the sibling folder of shared
# material that only a developer's checkout has beside it.
OUTSIDE = re.compile(r"""(\.\./|["']shared["'])""")
# A test that feeds the service a path escaping its folders on purpose says so.
ESCAPE_ATTEMPT = "# escape attempt"


def _tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [REPO_ROOT / name for name in listed.split("\0") if name]


def test_no_source_or_test_reaches_outside_the_repository() -> None:
    offenders = []
    for path in _tracked_files():
        if path.suffix != ".py" or not path.is_file():
            continue
        if path.is_relative_to(REPO_ROOT / "tests") or path.is_relative_to(REPO_ROOT / "src"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if line.lstrip().startswith("#") or ESCAPE_ATTEMPT in line:
                    continue
                if OUTSIDE.search(line):
                    offenders.append(f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}")
    # This file names the pattern it looks for.
    offenders = [o for o in offenders if not o.startswith("tests/test_self_contained.py")]
    assert offenders == []


def test_media_match_their_recorded_checksums() -> None:
    table = (DATA / "SOURCES.md").read_text()
    rows = re.findall(r"\| `([^`]+)` \| [\d,]+ \| `([0-9a-f]{64})` \|", table)
    assert len(rows) >= 6
    for name, digest in rows:
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name


def test_a_copy_without_sibling_folders_collects_the_whole_suite(tmp_path: Path) -> None:
    """The suite collects from a lone copy exactly as it does here (no errors, same tests)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    copy = tmp_path / "lone" / "repository"
    for source in _tracked_files():
        if source.is_file():
            target = copy / source.relative_to(REPO_ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)

    def collect(root: Path) -> list[str]:
        completed = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
        return [line for line in completed.stdout.splitlines() if "::" in line]

    here, there = collect(REPO_ROOT), collect(copy)
    assert len(there) > 100
    assert there == here
