"""Where the suite's files are: everything it reads lives inside the repository."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA = REPO_ROOT / "tests" / "data"
"""Real media with known content; see tests/data/SOURCES.md for origins and licences."""
