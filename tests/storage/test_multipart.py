"""A large stream goes up in parts, and the uploading process's memory stays flat."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from media_analysis.storage import open_storage
from tests.paths import REPO_ROOT
from tests.s3_server import S3Bucket

MIB = 1024 * 1024
STREAM_MIB = 128

# Runs in a child so its peak memory is its own, not the S3 server's in this process.
UPLOADER = """
import asyncio, json, resource, sys
from media_analysis.config import Settings
from media_analysis.storage import open_storage

async def chunks(count):
    for index in range(count):
        yield bytes([index % 256]) * (1024 * 1024)

async def main():
    storage = open_storage(Settings(_env_file=None))
    await storage.put_stream("upload:warm-up/original", chunks(6), None)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = await storage.put_stream("upload:big/original", chunks(int(sys.argv[1])), None)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"size": size, "peak_growth_kib": after - before}))

asyncio.run(main())
"""


async def test_a_large_stream_is_uploaded_in_parts_with_flat_memory(
    s3_bucket: S3Bucket, tmp_path: Path
) -> None:
    env = {**os.environ, **s3_bucket.env()}
    env.update(
        {
            "MEDIA_ANALYSIS_UPLOAD_DIR": str(tmp_path / "uploads"),
            "MEDIA_ANALYSIS_OUTPUT_DIR": str(tmp_path / "outputs"),
            "MEDIA_ANALYSIS_STORAGE_PART_BYTES": str(5 * MIB),
            "MEDIA_ANALYSIS_STORAGE_CONCURRENCY": "2",
        }
    )
    done = subprocess.run(
        [sys.executable, "-c", UPLOADER, str(STREAM_MIB)],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["size"] == STREAM_MIB * MIB
    assert report["peak_growth_kib"] * 1024 < STREAM_MIB * MIB / 2

    stored = await open_storage(s3_bucket.settings(tmp_path)).stat("upload:big/original")
    assert stored is not None and stored.size == STREAM_MIB * MIB
    # S3 gives a multipart object the ETag "<md5 of part md5s>-<part count>".
    assert stored.etag is not None and stored.etag.strip('"').endswith(f"-{STREAM_MIB // 5 + 1}")
