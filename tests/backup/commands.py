"""Running `media-analysis` commands as real processes."""

from __future__ import annotations

import subprocess

from tests.e2e.server import CLI
from tests.paths import REPO_ROOT


def media_analysis(
    env: dict[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout
    )
