"""Backup and restore with object storage: the bucket's objects go into the backup and back."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from media_analysis.backup.files import regular_files
from media_analysis.config import Settings
from media_analysis.db import migrate
from media_analysis.storage import open_storage
from tests.backup.commands import media_analysis
from tests.backup.test_backup import _database_contents, _populate, _recreate
from tests.e2e.server import service_env
from tests.s3_server import S3Bucket


async def _objects(settings: Settings) -> dict[str, bytes]:
    storage = open_storage(settings)
    found = {}
    async for stored in storage.list_prefix(""):
        found[stored.location] = (await storage.fetch(stored.location)).read_bytes()
    return found


async def _into_bucket(settings: Settings, uploads: Path, outputs: Path) -> None:
    storage = open_storage(settings)
    for root, folder in (("upload", uploads), ("output", outputs)):
        for relative in list(regular_files(folder)):
            await storage.put_file(f"{root}:{relative.as_posix()}", folder / relative, None)


def test_backup_and_restore_with_object_storage_give_back_every_object(
    tmp_path: Path, fresh_db: str, s3_bucket: S3Bucket
) -> None:
    migrate.upgrade(fresh_db)
    uploads, outputs = tmp_path / "seed" / "uploads", tmp_path / "seed" / "outputs"
    asyncio.run(_populate(fresh_db, uploads, outputs))
    asyncio.run(_into_bucket(s3_bucket.settings(tmp_path / "seed"), uploads, outputs))
    rows_before = asyncio.run(_database_contents(fresh_db))
    objects_before = asyncio.run(_objects(s3_bucket.settings(tmp_path / "check-1")))
    assert len(objects_before) == 6
    (tmp_path / "host").mkdir()
    env = service_env(tmp_path / "host", DATABASE_URL=fresh_db, **s3_bucket.env())

    backup = tmp_path / "backups" / "first"
    result = media_analysis(env, "backup", str(backup))
    assert result.returncode == 0, result.stderr
    listed = [
        entry["path"] for entry in json.loads((backup / "manifest.json").read_text())["files"]
    ]
    assert len([name for name in listed if name.startswith(("uploads/", "outputs/"))]) == 6

    _recreate(fresh_db)
    asyncio.run(open_storage(s3_bucket.settings(tmp_path)).delete_many(list(objects_before)))
    result = media_analysis(env, "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert asyncio.run(_database_contents(fresh_db)) == rows_before
    assert asyncio.run(_objects(s3_bucket.settings(tmp_path / "check-2"))) == objects_before
    assert [p for p in (tmp_path / "host").rglob("*") if p.is_file() and "uploads" in p.parts] == []

    refused = media_analysis(env, "restore", str(backup))
    assert refused.returncode == 2
    assert "the object store" in refused.stderr and "--force" in refused.stderr
    forced = media_analysis(env, "restore", "--force", str(backup))
    assert forced.returncode == 0, forced.stderr
    assert asyncio.run(_objects(s3_bucket.settings(tmp_path / "check-3"))) == objects_before
