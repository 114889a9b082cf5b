"""``transcription.txt`` and ``analysis_result.json`` as ``transcriptions`` and
``analysis_results`` rows (ids derived from the job id, like the asset rows)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from media_analysis.legacy.mapping import positive_number
from media_analysis.legacy.record import UnreadableFile, read_json

LEGACY_PROVIDER = "legacy"
PROVIDER_LENGTH = 40
MODEL_LENGTH = 100
SUMMARY_FIELDS = ("summary", "description", "answer", "analysis")
MODEL_FIELDS = ("model", "model_used")
CONFIDENCE_FIELDS = ("confidence", "confidence_score")


def transcription_id(job_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(job_id, "transcription")


def analysis_id(job_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(job_id, "analysis")


def read_transcript(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise UnreadableFile("is not UTF-8 text") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror or exc})") from None


def transcription_row(job_id: uuid.UUID, text: str, language: str | None) -> dict[str, Any]:
    return {
        "id": transcription_id(job_id),
        "job_id": job_id,
        "provider": LEGACY_PROVIDER,
        "model": None,
        "language": language[:20] if language else None,
        "text_content": text,
        "word_timestamps": [],
        "segments": [],
        "attempts": [],
    }


def read_analysis(path: Path) -> dict[str, Any]:
    """The analysis as an object; any other JSON value is kept under ``legacy_value``."""
    value = read_json(path)
    return value if isinstance(value, dict) else {"legacy_value": value}


def analysis_row(job_id: uuid.UUID, analysis: dict[str, Any], prompt: str | None) -> dict[str, Any]:
    provider = _first_text(analysis, ("provider",)) or LEGACY_PROVIDER
    model = _first_text(analysis, MODEL_FIELDS)
    return {
        "id": analysis_id(job_id),
        "job_id": job_id,
        "analysis_type": (_first_text(analysis, ("analysis_type", "type")) or "summary")[:30],
        "provider": provider[:PROVIDER_LENGTH],
        "model_used": model[:MODEL_LENGTH] if model else None,
        "prompt_used": _first_text(analysis, ("prompt",)) or prompt,
        "summary": _summary(analysis),
        "detailed_analysis": analysis,
        "confidence_score": _confidence(analysis),
        "token_usage": analysis.get("usage") if isinstance(analysis.get("usage"), dict) else {},
        "attempts": [],
    }


def _first_text(analysis: dict[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = analysis.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _summary(analysis: dict[str, Any]) -> str | None:
    for name in SUMMARY_FIELDS:
        value = analysis.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, dict | list) and value:
            return json.dumps(value, ensure_ascii=False)[:2000]
    return None


def _confidence(analysis: dict[str, Any]) -> float | None:
    value = next((analysis[name] for name in CONFIDENCE_FIELDS if name in analysis), None)
    number = positive_number(value)
    # Old results used both 0–1 and percentages.
    if number is not None and number > 1:
        number = number / 100 if number <= 100 else None
    return number
