"""Pipelines: plain async functions composing media/ and providers/, run as jobs."""

from __future__ import annotations

from media_analysis.config import Settings
from media_analysis.jobs.registry import HandlerRegistry
from media_analysis.pipelines import documents, video


def build_registry(settings: Settings) -> HandlerRegistry:
    """Every job type this service runs, plus any plug-in handler modules."""
    registry = HandlerRegistry()
    registry.register("video.extract_frames", video.run_extract_frames)
    registry.register("video.contact_sheet", video.run_contact_sheet)
    registry.register("document", documents.run_document)
    registry.load_modules(settings.handler_module_names)
    return registry
