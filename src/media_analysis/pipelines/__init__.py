"""Pipelines: plain async functions composing media/ and providers/, run as jobs."""

from __future__ import annotations

from media_analysis.config import Settings
from media_analysis.jobs.registry import HandlerRegistry


def build_registry(settings: Settings) -> HandlerRegistry:
    """Every job type this service runs, plus any plug-in handler modules."""
    registry = HandlerRegistry()
    registry.load_modules(settings.handler_module_names)
    return registry
