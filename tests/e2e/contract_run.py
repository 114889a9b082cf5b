"""Inside an isolated network namespace: serve the API and run schemathesis against it.

Started by tests/e2e/test_contract.py as `python -m tests.e2e.contract_run`, with the
service's settings (DATABASE_URL included) in the environment. Exits with
schemathesis's own status: 0 when every generated case kept the contract.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.server import running_server
from tests.paths import REPO_ROOT

HOOKS = REPO_ROOT / "tests" / "e2e" / "contract_hooks.py"

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
SCHEMATHESIS = [
    str(Path(sys.executable).parent / "schemathesis"),
    "--no-color",
    "run",
    "--checks",
    ",".join(CHECKS),
    "--phases",
    "fuzzing",
    # An event stream of a pending job stays open by design: its own tests cover it.
    "--exclude-operation-id",
    "follow_job_events",
    "--max-examples",
    "15",
    # One worker: CPython 3.11's ast.parse is not safe in threads, and hypothesis uses it.
    "--workers",
    "1",
    "--request-timeout",
    "20",
    "--suppress-health-check",
    "all",
]


def main() -> int:
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)}
    # Schemathesis keeps a cache of failures in its working folder: not in the repository.
    workdir = Path(env["MEDIA_ANALYSIS_DATA_DIR"]).parent
    with running_server(env, "--workers", "0") as base_url:
        command = [*SCHEMATHESIS, f"{base_url}/openapi.json"]
        return subprocess.run(command, env=env, cwd=workdir, timeout=240).returncode


if __name__ == "__main__":
    sys.exit(main())
