"""Running `media-analysis` commands as real processes for the deployment tests."""

from __future__ import annotations

import subprocess
import sys

from tests.paths import REPO_ROOT

# Until cli.py registers them itself, the ops commands are added here the same way.
LAUNCHER = (
    "from media_analysis.cli import app\n"
    "from media_analysis.ops.backup_cli import register\n"
    "if not any(c.name == 'backup' for c in app.registered_commands):\n"
    "    register(app)\n"
    "app(prog_name='media-analysis')\n"
)


def media_analysis(
    env: dict[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LAUNCHER, *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
