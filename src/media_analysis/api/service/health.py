"""Readiness checks: database, ffmpeg, storage and providers."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from media_analysis.api.service.settings_view import provider_configuration
from media_analysis.config import Settings
from media_analysis.media.binaries import ffmpeg_path, ffprobe_path
from media_analysis.storage import Storage

DATABASE_CHECK_TIMEOUT = 3.0


async def readiness(engine: AsyncEngine, settings: Settings, storage: Storage) -> dict[str, Any]:
    checks = {
        "database": await check_database(engine),
        "ffmpeg": check_ffmpeg(),
        "storage": await storage.check(),
        "providers": {"status": "ok", **provider_configuration(settings)},
    }
    healthy = all(check["status"] == "ok" for check in checks.values())
    return {"status": "ok" if healthy else "degraded", "checks": checks}


async def check_database(engine: AsyncEngine) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(DATABASE_CHECK_TIMEOUT):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except Exception as exc:
        return {"status": "error", "error": _describe_database_error(exc)}
    return {"status": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def check_ffmpeg() -> dict[str, Any]:
    binary = ffmpeg_path()
    if not Path(binary).exists() and shutil.which(binary) is None:
        return {"status": "error", "error": "ffmpeg executable not found"}
    source = "system" if shutil.which("ffmpeg") == binary else "bundled"
    return {"status": "ok", "source": source, "ffprobe": ffprobe_path() is not None}


def _describe_database_error(exc: Exception) -> str:
    if isinstance(exc, TimeoutError):
        return "database did not answer in time"
    return f"database unreachable ({type(exc).__name__})"
