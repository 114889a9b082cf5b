"""Pipelines: plain async functions composing media/ and providers/, run as jobs."""

from __future__ import annotations

from media_analysis.config import Settings
from media_analysis.jobs.registry import HandlerRegistry
from media_analysis.pipelines import (
    analyze,
    audio,
    audio_analysis,
    benchmark,
    documents,
    reanalysis,
    video,
    video_analysis,
)


def build_registry(settings: Settings) -> HandlerRegistry:
    """Every job type this service runs, plus any plug-in handler modules."""
    registry = HandlerRegistry()
    registry.register("video.extract_frames", video.run_extract_frames)
    registry.register("video.contact_sheet", video.run_contact_sheet)
    registry.register("document", documents.run_document)
    # Local Whisper takes every core it is given: one at a time leaves room for frames.
    registry.register("audio.transcribe", audio.run_transcribe, max_concurrency=1)
    registry.register("video", video_analysis.run_video)
    registry.register("audio", audio_analysis.run_audio)
    registry.register("analyze", analyze.run_analyze)
    registry.register("reanalyze", reanalysis.run_reanalysis)
    registry.register("benchmark", benchmark.run_benchmark, max_concurrency=1)
    registry.load_modules(settings.handler_module_names)
    return registry
