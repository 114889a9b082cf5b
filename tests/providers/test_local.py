"""Offline Whisper (bundled tiny.en) on real speech and on generated silence."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pydantic import ValidationError

from media_analysis.media.binaries import ffmpeg_path
from media_analysis.providers.factory import build_transcribers
from media_analysis.providers.failures import ProviderFailure
from media_analysis.providers.local import (
    LocalWhisperTranscriber,
    bundled_model_dir,
    load_whisper_model,
)
from tests.conftest import make_settings

JFK = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)


def normalized_words(text: str) -> list[str]:
    return re.sub(r"[^\w\s']", " ", text.lower()).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref, hyp = normalized_words(reference), normalized_words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, 1):
        current = [i]
        for j, hyp_word in enumerate(hyp, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word))
            )
        previous = current
    return previous[-1] / len(ref)


@pytest.fixture(scope="module")
def silence_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("audio") / "silence.wav"
    subprocess.run(
        [ffmpeg_path(), "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono",
         "-t", "3", "-y", str(path)],
        check=True,
        timeout=60,
    )  # fmt: skip
    return path


async def test_transcribes_jfk(corpus: Path) -> None:
    transcript = await LocalWhisperTranscriber().transcribe(
        corpus / "jfk.wav", mime_type="audio/wav", language=None
    )
    assert word_error_rate(JFK, transcript.text) <= 0.1
    assert (transcript.provider, transcript.model, transcript.language) == (
        "local",
        "tiny.en",
        "en",
    )
    assert transcript.duration == pytest.approx(11.0, abs=0.1)
    assert transcript.confidence is not None and 0.5 < transcript.confidence <= 1
    assert transcript.words is not None
    americans = next(w for w in transcript.words if w.text.strip(",.").lower() == "americans")
    assert americans.start <= 1.8 + 0.3 and americans.end >= 1.8
    assert americans.confidence is not None
    assert transcript.segments[0].start == pytest.approx(0.0, abs=0.5)


async def test_silence_gives_an_empty_transcript(silence_wav: Path) -> None:
    transcript = await LocalWhisperTranscriber().transcribe(
        silence_wav, mime_type="audio/wav", language="en"
    )
    assert transcript.text == ""
    assert transcript.words == ()
    assert transcript.segments == ()
    assert transcript.duration == pytest.approx(3.0, abs=0.1)


async def test_undecodable_audio_is_the_callers_fault(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.wav"
    bogus.write_text("these are not audio samples")
    with pytest.raises(ProviderFailure) as caught:
        await LocalWhisperTranscriber().transcribe(bogus, mime_type="audio/wav", language=None)
    assert (caught.value.kind, caught.value.caller_fault) == ("caller", "invalid_media")


async def test_other_languages_are_unsupported(corpus: Path) -> None:
    with pytest.raises(ProviderFailure) as caught:
        await LocalWhisperTranscriber().transcribe(
            corpus / "jfk.wav", mime_type="audio/wav", language="fr"
        )
    assert caught.value.kind == "unsupported"


def test_model_is_loaded_once_per_process() -> None:
    assert load_whisper_model(bundled_model_dir(), 0) is load_whisper_model(bundled_model_dir(), 0)
    assert LocalWhisperTranscriber().configured


def test_a_bigger_model_can_be_named_in_the_settings(tmp_path: Path) -> None:
    multilingual = tmp_path / "whisper-small"
    multilingual.symlink_to(bundled_model_dir(), target_is_directory=True)
    settings = make_settings(tmp_path, local_whisper_model_dir=multilingual)
    (local,) = [t for t in build_transcribers(settings) if t.name == "local"]
    assert isinstance(local, LocalWhisperTranscriber)
    assert local.model == "whisper-small" and not local.english_only
    assert LocalWhisperTranscriber().english_only

    with pytest.raises(ValidationError, match="faster-whisper model"):
        make_settings(tmp_path, local_whisper_model_dir=tmp_path / "nothing-here")
