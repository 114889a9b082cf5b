from __future__ import annotations

import wave
from array import array
from itertools import pairwise
from pathlib import Path

import pytest

from media_analysis.errors import NoAudio
from media_analysis.media.audio import compress_for_upload, prepare_audio
from media_analysis.media.audio_chunks import choose_cut_points, split_at_silences
from media_analysis.media.probe import probe_media
from tests.media import clips


def wav_params(path: Path) -> tuple[int, int, int, float]:
    with wave.open(str(path)) as reader:
        return (
            reader.getframerate(),
            reader.getnchannels(),
            reader.getsampwidth(),
            reader.getnframes() / reader.getframerate(),
        )


@pytest.mark.parametrize("normalize", [False, True])
async def test_prepare_audio_gives_16k_mono_pcm(tmp_path: Path, normalize: bool) -> None:
    prepared = await prepare_audio(clips.JFK_FLAC, tmp_path, normalize=normalize)

    rate, channels, width, duration = wav_params(prepared.path)
    assert (rate, channels, width) == (16000, 1, 2)
    assert duration == pytest.approx(11.0, abs=0.05) == pytest.approx(prepared.duration)


async def test_prepare_audio_from_video(tmp_path: Path) -> None:
    prepared = await prepare_audio(clips.BIG_BUCK_BUNNY, tmp_path, normalize=False)

    assert wav_params(prepared.path)[:2] == (16000, 1)
    assert prepared.duration == pytest.approx(5.3, abs=0.1)


async def test_video_without_audio_raises_no_audio(tmp_path: Path, small_video: Path) -> None:
    with pytest.raises(NoAudio):
        await prepare_audio(small_video, tmp_path, normalize=False)


async def test_pure_silence_still_gives_a_wav(tmp_path: Path) -> None:
    quiet = clips.silence(tmp_path / "quiet.wav", seconds=2)

    prepared = await prepare_audio(quiet, tmp_path / "out", normalize=True)

    assert wav_params(prepared.path)[:2] == (16000, 1)
    assert prepared.duration == pytest.approx(2.0, abs=0.05)


@pytest.mark.parametrize(("suffix", "codec"), [(".flac", "flac"), (".ogg", "opus")])
async def test_compress_for_upload(tmp_path: Path, suffix: str, codec: str) -> None:
    compressed = await compress_for_upload(clips.JFK_WAV, tmp_path / f"speech{suffix}")

    info = await probe_media(compressed)
    assert info.streams[0].codec == codec
    assert info.duration == pytest.approx(11.0, abs=0.1)
    assert compressed.stat().st_size < clips.JFK_WAV.stat().st_size


async def test_compress_rejects_unknown_type(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        await compress_for_upload(clips.JFK_WAV, tmp_path / "speech.xyz")


async def test_split_cuts_inside_silences(tmp_path: Path) -> None:
    source = clips.tone(tmp_path / "gated.wav", "-ar", "16000", seconds=20, gated=True)

    chunks = await split_at_silences(
        source, tmp_path / "chunks", max_chunk_seconds=5, max_chunk_bytes=10**9
    )

    assert len(chunks) >= 4
    assert chunks[0].start == 0 and chunks[-1].end == pytest.approx(20, abs=0.01)
    for earlier, later in pairwise(chunks):
        assert later.start == earlier.end
        assert 2.0 <= later.start % 3 <= 3.0, "cut outside a silent second"
    for chunk in chunks:
        assert chunk.end - chunk.start <= 5
        assert wav_params(chunk.path)[3] == pytest.approx(chunk.end - chunk.start, abs=0.001)


async def test_split_without_silence_makes_hard_cuts(tmp_path: Path) -> None:
    source = clips.tone(tmp_path / "tone.wav", "-ar", "16000", seconds=12)

    chunks = await split_at_silences(
        source, tmp_path / "chunks", max_chunk_seconds=5, max_chunk_bytes=10**9
    )

    assert [(c.start, c.end) for c in chunks] == [(0, 5), (5, 10), (10, pytest.approx(12))]


async def test_split_respects_byte_limit(tmp_path: Path) -> None:
    chunks = await split_at_silences(
        clips.JFK_WAV, tmp_path, max_chunk_seconds=600, max_chunk_bytes=3 * 32000 + 44
    )

    assert len(chunks) >= 4
    assert all(chunk.path.stat().st_size <= 3 * 32000 + 44 + 200 for chunk in chunks)


async def test_short_audio_is_one_chunk(tmp_path: Path) -> None:
    chunks = await split_at_silences(
        clips.JFK_WAV, tmp_path, max_chunk_seconds=60, max_chunk_bytes=10**9
    )

    assert len(chunks) == 1
    assert chunks[0].start == 0
    assert chunks[0].end == pytest.approx(11.0)


def test_choose_cut_points_prefers_latest_silence() -> None:
    silences = [(1.0, 1.5), (3.0, 3.4), (4.2, 4.6), (9.0, 12.0)]

    cuts = choose_cut_points(silences, duration=14, max_length=5)

    # (1.0, 1.5) is too early; the long silence is cut where the limit falls.
    assert cuts == [pytest.approx(4.4), pytest.approx(9.4)]


def test_choose_cut_points_without_silence() -> None:
    assert choose_cut_points([], duration=11, max_length=5) == [5, 10]
    assert choose_cut_points([(0.5, 1.0)], duration=4, max_length=5) == []


async def test_speech_already_at_the_target_level_is_left_as_converted(tmp_path: Path) -> None:
    plain = await prepare_audio(clips.JFK_WAV, tmp_path / "plain", normalize=False)
    normalized = await prepare_audio(clips.JFK_WAV, tmp_path / "normalized", normalize=True)

    assert pcm_samples(normalized.path) == pcm_samples(plain.path)


async def test_quiet_speech_is_raised_towards_the_target(tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.flac"
    clips.ffmpeg("-i", str(clips.JFK_FLAC), "-af", "volume=-20dB", str(quiet))

    plain = await prepare_audio(quiet, tmp_path / "plain", normalize=False)
    normalized = await prepare_audio(quiet, tmp_path / "normalized", normalize=True)

    assert wav_params(normalized.path) == wav_params(plain.path)
    louder = max(abs(s) for s in array("h", pcm_samples(normalized.path)))
    assert louder > 8 * max(abs(s) for s in array("h", pcm_samples(plain.path)))


def pcm_samples(path: Path) -> bytes:
    with wave.open(str(path)) as reader:
        return reader.readframes(reader.getnframes())
