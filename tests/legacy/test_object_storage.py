"""The legacy import writes to the local folders only: object storage is refused up front."""

from __future__ import annotations

from pathlib import Path

import pytest

from media_analysis.legacy import ImportRefused, import_legacy
from tests.conftest import make_settings


async def test_an_import_into_object_storage_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path / "service", storage_url="s3://media/jobs")
    (tmp_path / "legacy").mkdir()
    with pytest.raises(ImportRefused, match="MEDIA_ANALYSIS_STORAGE_URL"):
        await import_legacy(
            settings, "postgresql+asyncpg://nobody@127.0.0.1:9/none", tmp_path / "legacy"
        )
    assert not (tmp_path / "service" / "uploads").exists()
