from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from media_analysis.errors import PayloadTooLarge
from media_analysis.media.uploads import save_upload


async def chunks_of(data: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def test_save_upload_streams_and_hashes(tmp_path: Path) -> None:
    data = bytes(range(256)) * 100
    dest = tmp_path / "upload.bin"

    stored = await save_upload(chunks_of(data), dest, max_bytes=len(data))

    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert dest.read_bytes() == data


async def test_over_the_cap_leaves_no_file(tmp_path: Path) -> None:
    dest = tmp_path / "upload.bin"

    with pytest.raises(PayloadTooLarge, match="limit"):
        await save_upload(chunks_of(b"x" * 5001), dest, max_bytes=5000)

    assert not dest.exists()


async def test_failing_stream_leaves_no_file(tmp_path: Path) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"partial"
        raise ConnectionResetError("client went away")

    dest = tmp_path / "upload.bin"
    with pytest.raises(ConnectionResetError):
        await save_upload(broken(), dest, max_bytes=100)

    assert not dest.exists()
