from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from media_analysis.errors import InvalidMedia, MediaTooLarge, MediaTooLong, NoAudio
from media_analysis.media import probe, probe_helper
from media_analysis.media.probe import ensure_audio, ensure_video, probe_media
from tests.media import clips

PIXELS = 4096 * 4096

BACKENDS = ["pyav", pytest.param("ffprobe", marks=pytest.mark.skipif(
    shutil.which("ffprobe") is None, reason="no ffprobe on PATH"))]  # fmt: skip


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "pyav":
        monkeypatch.setattr(probe, "ffprobe_path", lambda: None)
    else:
        monkeypatch.setattr(probe, "ffprobe_path", lambda: shutil.which("ffprobe"))
    return str(request.param)


async def test_probe_reads_real_video(backend: str) -> None:
    info = await probe_media(clips.BIG_BUCK_BUNNY)

    assert info.duration == pytest.approx(5.312, abs=0.05)
    assert info.size == clips.BIG_BUCK_BUNNY.stat().st_size
    assert "mp4" in info.format_name
    assert info.has_video and info.has_audio
    video = info.video
    assert video is not None
    assert (video.codec, video.width, video.height) == ("h264", 1280, 720)
    assert video.fps == pytest.approx(25)
    audio = next(s for s in info.streams if s.kind == "audio")
    assert (audio.sample_rate, audio.channels) == (48000, 6)
    assert info.rotation == 0


async def test_probe_reads_audio_only(backend: str) -> None:
    info = await probe_media(clips.JFK_FLAC)

    assert info.duration == pytest.approx(11.0, abs=0.05)
    assert info.has_audio and not info.has_video


async def test_probe_reports_rotation(backend: str, rotated_video: Path) -> None:
    info = await probe_media(rotated_video)

    assert info.rotation in (90, 270)
    assert info.display_size == (240, 320)


async def test_empty_file_is_invalid(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")

    with pytest.raises(InvalidMedia, match="empty"):
        await probe_media(empty)


async def test_garbage_is_invalid_without_local_paths(backend: str, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(bytes(range(256)) * 40)

    with pytest.raises(InvalidMedia) as caught:
        await probe_media(garbage)
    assert str(tmp_path) not in caught.value.detail


async def test_truncated_mp4_is_invalid(backend: str, tmp_path: Path, small_video: Path) -> None:
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(small_video.read_bytes()[: small_video.stat().st_size // 2])

    with pytest.raises(InvalidMedia):
        await probe_media(truncated)


async def test_document_is_invalid(backend: str) -> None:
    with pytest.raises(InvalidMedia):
        await probe_media(clips.CORPUS / "crazyones.pdf")


async def test_mp3_named_mp4_has_no_video(backend: str, mp3_named_mp4: Path) -> None:
    info = await probe_media(mp3_named_mp4)

    with pytest.raises(InvalidMedia, match="no video stream"):
        ensure_video(info, max_duration=600, max_pixels=PIXELS)
    ensure_audio(info, max_duration=600)


async def test_too_long_names_the_limit() -> None:
    info = await probe_media(clips.BIG_BUCK_BUNNY)

    with pytest.raises(MediaTooLong, match="limit is 3 seconds"):
        ensure_video(info, max_duration=3, max_pixels=PIXELS)
    with pytest.raises(MediaTooLong):
        ensure_audio(info, max_duration=3)
    ensure_video(info, max_duration=6, max_pixels=PIXELS)


async def test_frames_larger_than_the_limit_are_refused_at_probe_time(tmp_path: Path) -> None:
    video = clips.huge_frame_video(tmp_path / "huge.mp4")
    assert video.stat().st_size < 200_000
    info = await probe_media(video)

    with pytest.raises(MediaTooLarge, match="8192×8192") as raised:
        ensure_video(info, max_duration=600, max_pixels=PIXELS)
    assert raised.value.code == "media_too_large"
    ensure_video(info, max_duration=600, max_pixels=8192 * 8192)


async def test_video_without_audio_raises_no_audio(small_video: Path) -> None:
    info = await probe_media(small_video)

    with pytest.raises(NoAudio):
        ensure_audio(info, max_duration=600)


async def test_one_probe_helper_serves_many_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(probe, "ffprobe_path", lambda: None)
    first = await probe_media(clips.JFK_FLAC)
    helper = await probe_helper._running_helper()

    infos = await asyncio.gather(*(probe_media(clips.BIG_BUCK_BUNNY) for _ in range(4)))

    assert first.has_audio and all(info.has_video for info in infos)
    assert await probe_helper._running_helper() is helper


async def test_a_dead_probe_helper_is_replaced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(probe, "ffprobe_path", lambda: None)
    helper = await probe_helper._running_helper()
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(b"\x00garbage" * 400)
    with pytest.raises(InvalidMedia):
        await probe_media(garbage)
    assert helper.alive, "an unreadable file must not cost the helper its life"

    helper.process.kill()  # as if a demuxer had crashed it
    await helper.process.wait()

    info = await probe_media(clips.JFK_FLAC)
    assert info.duration == pytest.approx(11.0, abs=0.05)
    assert (await probe_helper._running_helper()).process.pid != helper.process.pid
