"""Vision/language analysers from settings, in the order they are tried."""

from __future__ import annotations

from media_analysis.config import Settings
from media_analysis.providers.minimax import MiniMaxConfig, MiniMaxVision
from media_analysis.providers.openai_vision import OpenAICompatibleVision, OpenAIVisionConfig
from media_analysis.providers.vision import VisionAnalyzer


def build_analyzers(settings: Settings) -> list[VisionAnalyzer]:
    analyzers: list[VisionAnalyzer] = []
    minimax_key = settings.minimax_api_key.get_secret_value()
    if minimax_key:
        config = MiniMaxConfig(
            api_key=minimax_key,
            base_url=settings.minimax_base_url,
            model=settings.minimax_model,
            timeout_seconds=settings.provider_timeout,
        )
        analyzers.append(MiniMaxVision(config))
    if settings.vision_base_url and settings.vision_model:
        compatible = OpenAIVisionConfig(
            base_url=settings.vision_base_url,
            model=settings.vision_model,
            api_key=settings.vision_api_key.get_secret_value(),
            timeout_seconds=settings.provider_timeout,
        )
        analyzers.append(OpenAICompatibleVision(compatible))
    return analyzers
