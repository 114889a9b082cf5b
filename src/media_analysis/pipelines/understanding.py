"""Answering the prompt: a vision/language model when one answers, else local analysis.

Whatever answers, the outcome is an ``analysis_results`` row staged with the job and a
dict for the job's result. Local analysis never pretends to have understood the prompt.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from media_analysis.analysis.frames import FrameRef, format_timestamp
from media_analysis.analysis.local_answer import build_local_analysis
from media_analysis.analysis.measure import FrameMeasurements, measure_in_child
from media_analysis.config import Settings
from media_analysis.db.models import AnalysisResult
from media_analysis.pipelines.specs.parts import SheetSummary
from media_analysis.providers.factory import Providers, build_analyzers
from media_analysis.providers.vision import VisionAnswer, VisionImage, VisionRequest
from media_analysis.providers.vision_fallback import analyze_with_fallback
from media_analysis.sandbox.pool import Sandbox

DEFAULT_PROMPT = "Describe what this media shows and what happens in it."
MAX_IMAGES = 8
MAX_TRANSCRIPT_CHARS = 12_000


@dataclass
class Evidence:
    """What the model (or local analysis) gets to look at."""

    facts: dict[str, Any]
    images: list[VisionImage] = field(default_factory=list)
    frames: list[FrameRef] = field(default_factory=list)
    transcript: str | None = None
    extra_context: str = ""


@dataclass(frozen=True)
class Analysis:
    result: dict[str, Any]
    attempts: list[dict[str, Any]]
    row: AnalysisResult


async def answer_prompt(
    providers: Providers,
    job_id: uuid.UUID,
    prompt: str | None,
    evidence: Evidence,
    measured: FrameMeasurements | None = None,
) -> Analysis:
    """A model's answer, else local analysis (from ``measured`` when already measured)."""
    question = (prompt or "").strip() or DEFAULT_PROMPT
    request = VisionRequest(question, _spread(evidence.images), _context(evidence))
    outcome = await analyze_with_fallback(providers.chain, providers.analyzers(), request)
    answer, attempts = outcome.answer, [attempt.to_dict() for attempt in outcome.attempts]
    if answer is not None:
        result = _model_result(answer, question)
    else:
        found = measured or await measure_in_frames(providers.settings, evidence.frames)
        result = build_local_analysis(
            question, evidence.frames, found, evidence.facts, evidence.transcript
        )
    kind = "qa" if (prompt or "").strip() else "summary"
    return Analysis(result, attempts, analysis_row(job_id, question, result, attempts, kind))


def answered_locally(settings: Settings) -> bool:
    """No model is configured, so local analysis will answer whatever happens."""
    return not build_analyzers(settings)


async def measure_in_frames(settings: Settings, frames: Sequence[FrameRef]) -> FrameMeasurements:
    """Text, scene changes and colours of ``frames``, in one pass in a child process."""
    return await measure_in_child(
        frames, max_pixels=settings.max_image_pixels, sandbox=Sandbox.from_settings(settings)
    )


def analysis_message(settings: Settings) -> str:
    """What the analysing stage will do, for a person watching progress."""
    names = [analyzer.name for analyzer in build_analyzers(settings)]
    if names:
        return f"asking {' then '.join(names)} for an answer to the prompt"
    return "describing the media locally: no language model is configured"


def sheet_images(sheets: Sequence[SheetSummary], paths: Sequence[Any]) -> list[VisionImage]:
    """Contact sheets with captions mapping each tile to its frame and timestamp."""
    images = []
    for sheet, path in zip(sheets, paths, strict=True):
        tiles = ", ".join(
            f"tile {tile.position + 1} = frame {tile.frame_index} @ "
            f"{format_timestamp(tile.timestamp)}"
            for tile in sheet.tiles
        )
        images.append(VisionImage(path, _mime(path), f"sheet {(sheet.index or 0) + 1}: {tiles}"))
    return images


def _spread(images: list[VisionImage]) -> list[VisionImage]:
    if len(images) <= MAX_IMAGES:
        return images
    step = len(images) / MAX_IMAGES
    return [images[int(i * step)] for i in range(MAX_IMAGES)]


def _context(evidence: Evidence) -> str:
    parts = [f"Media: {_facts_line(evidence.facts)}"]
    captions = [image.caption for image in _spread(evidence.images) if image.caption]
    if captions:
        parts.append("Contact sheet tiles:\n" + "\n".join(captions))
    if evidence.transcript:
        parts.append("Transcript:\n" + evidence.transcript[:MAX_TRANSCRIPT_CHARS])
    if evidence.extra_context:
        parts.append(evidence.extra_context)
    return "\n\n".join(parts)


def _facts_line(facts: dict[str, Any]) -> str:
    keys = ("duration_seconds", "width", "height", "container", "has_audio")
    return ", ".join(f"{key}={facts[key]}" for key in keys if facts.get(key) is not None)


def _model_result(answer: VisionAnswer, prompt: str) -> dict[str, Any]:
    return {
        "provider": answer.provider,
        "model": answer.model,
        "language_model_used": True,
        "prompt": prompt,
        "answer": answer.text,
        "summary": answer.text.strip().split("\n\n")[0][:1000],
        "usage": answer.usage,
    }


def analysis_row(
    job_id: uuid.UUID,
    prompt: str | None,
    result: dict[str, Any],
    attempts: list[dict[str, Any]],
    analysis_type: str,
) -> AnalysisResult:
    """The ``analysis_results`` row of one analysis (``summary``, ``extract`` or ``qa``)."""
    return AnalysisResult(
        id=uuid.uuid4(),
        job_id=job_id,
        analysis_type=analysis_type,
        provider=str(result.get("provider", "local")),
        model_used=result.get("model"),
        prompt_used=prompt,
        summary=_summary_text(result.get("summary")),
        detailed_analysis=result,
        token_usage=result.get("usage") or {},
        attempts=attempts,
    )


def _summary_text(summary: Any) -> str | None:
    if summary is None or isinstance(summary, str):
        return summary
    return json.dumps(summary)[:2000]


def _mime(path: Any) -> str:
    suffix = str(path).rsplit(".", 1)[-1].lower()
    return {"png": "image/png", "webp": "image/webp"}.get(suffix, "image/jpeg")
