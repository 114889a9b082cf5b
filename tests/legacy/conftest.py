from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from media_analysis.config import Settings
from media_analysis.legacy.mapping import job_id_for
from tests.conftest import make_settings
from tests.legacy.database_rows import delete_jobs
from tests.legacy.legacy_tree import LegacyIds, build_tree


@pytest.fixture
def legacy_root(tmp_path: Path) -> Path:
    return tmp_path / "legacy"


@pytest.fixture
def service_settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "service")


@pytest.fixture
async def ids(legacy_root: Path, db_url: str) -> AsyncIterator[LegacyIds]:
    """A fresh legacy tree; every job it could become is deleted afterwards."""
    ids = build_tree(legacy_root)
    yield ids
    legacy_ids = [*ids.importable, ids.malformed, ids.orphan]
    await delete_jobs(db_url, [job_id_for(legacy_id) for legacy_id in legacy_ids])


def job_uuid(legacy_id: str) -> uuid.UUID:
    return job_id_for(legacy_id)
