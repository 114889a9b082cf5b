"""Vision answers through the fallback chain, each call bounded by the time budget.

A vision answer has a local fallback (local analysis), so the budget bounds the calls
themselves too, and "nobody answered" is an outcome rather than an error.
"""

from __future__ import annotations

from collections.abc import Sequence

from media_analysis.providers.chain import ChainOutcome, FallbackChain
from media_analysis.providers.vision import VisionAnalyzer, VisionAnswer, VisionRequest


async def analyze_with_fallback(
    chain: FallbackChain, analyzers: Sequence[VisionAnalyzer], request: VisionRequest
) -> ChainOutcome[VisionAnswer]:
    """The first answer (None: fall back to local analysis) and every attempt."""

    async def analyze(analyzer: VisionAnalyzer) -> VisionAnswer:
        return await analyzer.analyze(request)

    return await chain.run(analyzers, analyze, service="vision", calls_share_budget=True)
