"""The service's heavy work happens in the child, under the job's memory limit."""

from __future__ import annotations

import pytest

from media_analysis.errors import ResourceLimit
from media_analysis.providers import local
from media_analysis.providers.local import LocalWhisperSettings, LocalWhisperTranscriber
from media_analysis.sandbox.pool import Sandbox
from tests.paths import DATA

MIB = 1024 * 1024


async def test_local_whisper_runs_in_the_child() -> None:
    loaded_here = dict(local._models)
    transcriber = LocalWhisperTranscriber(
        LocalWhisperSettings(sandbox=Sandbox(memory_limit=1536 * MIB, timeout=300))
    )

    transcript = await transcriber.transcribe(
        DATA / "jfk.wav", mime_type="audio/wav", language=None
    )

    assert "country" in transcript.text.lower()
    assert local._models == loaded_here


async def test_local_whisper_over_the_memory_limit_fails_with_resource_limit() -> None:
    transcriber = LocalWhisperTranscriber(
        LocalWhisperSettings(sandbox=Sandbox(memory_limit=160 * MIB, timeout=300))
    )
    with pytest.raises(ResourceLimit):
        await transcriber.transcribe(DATA / "jfk.wav", mime_type="audio/wav", language=None)
