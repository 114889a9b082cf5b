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
from media_analysis.pipelines.specs import analyze as analyze_spec
from media_analysis.pipelines.specs import audio as audio_spec
from media_analysis.pipelines.specs import benchmark as benchmark_spec
from media_analysis.pipelines.specs import documents as documents_spec
from media_analysis.pipelines.specs import reanalysis as reanalysis_spec
from media_analysis.pipelines.specs import video as video_spec
from media_analysis.pipelines.stored_files import keeping_files_in_store as stored


def build_registry(settings: Settings) -> HandlerRegistry:
    """Every job type this service runs, plus any plug-in handler modules."""
    registry = HandlerRegistry()
    # Every handler works on local copies of the job's files; ``stored`` moves them
    # between the configured store and the local folders (see pipelines.stored_files).
    registry.register(video_spec.EXTRACT_FRAMES, stored(video.run_extract_frames))
    registry.register(video_spec.CONTACT_SHEET, stored(video.run_contact_sheet))
    registry.register(documents_spec.DOCUMENT, stored(documents.run_document))
    # Local Whisper takes every core it is given: one at a time leaves room for frames.
    registry.register(audio_spec.TRANSCRIBE, stored(audio.run_transcribe), max_concurrency=1)
    registry.register(video_spec.VIDEO, stored(video_analysis.run_video))
    registry.register(audio_spec.AUDIO, stored(audio_analysis.run_audio))
    registry.register(analyze_spec.ANALYZE, stored(analyze.run_analyze))
    registry.register(reanalysis_spec.REANALYZE, stored(reanalysis.run_reanalysis))
    registry.register(benchmark_spec.BENCHMARK, stored(benchmark.run_benchmark), max_concurrency=1)
    registry.load_modules(settings.handler_module_names)
    return registry
