"""Stream incoming bytes to disk with a size cap, hashing as they pass."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterable
from dataclasses import dataclass
from pathlib import Path

import anyio

from media_analysis.errors import PayloadTooLarge


@dataclass(frozen=True)
class StoredFile:
    path: Path
    size: int
    sha256: str


async def save_upload(chunks: AsyncIterable[bytes], dest: Path, *, max_bytes: int) -> StoredFile:
    """Write ``chunks`` to ``dest``; over ``max_bytes`` nothing is left behind."""
    try:
        return await write_capped(chunks, dest, max_bytes)
    except BaseException:
        remove_partial(dest)
        raise


async def write_capped(chunks: AsyncIterable[bytes], dest: Path, max_bytes: int) -> StoredFile:
    """Like ``save_upload`` but leaves clean-up of a partial file to the caller."""
    digest = hashlib.sha256()
    size = 0
    async with await anyio.open_file(dest, "wb") as file:
        async for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise PayloadTooLarge(too_large_message(max_bytes))
            digest.update(chunk)
            await file.write(chunk)
    return StoredFile(dest, size, digest.hexdigest())


def too_large_message(max_bytes: int) -> str:
    if max_bytes >= 1_000_000:
        return f"The file is larger than the limit of {max_bytes / 1_000_000:g} MB."
    return f"The file is larger than the limit of {max_bytes} bytes."


def remove_partial(path: Path) -> None:
    path.unlink(missing_ok=True)
