"""Ask vision providers in order until one answers, within one time budget.

Unconfigured providers are skipped. A provider whose failure another provider may not
share (auth, throttling, server trouble, timeouts, size, set-up) is left for the next;
a throttled provider is asked once more when its ``retry_after`` fits the budget. A
caller error (e.g. a content refusal) stops the search. ``None`` as the answer means
nobody answered and the caller should fall back to local analysis.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from media_analysis.providers.failures import ProviderFailure
from media_analysis.providers.vision import VisionAnalyzer, VisionAnswer, VisionRequest

Attempt = dict[str, Any]


async def analyze_with_fallback(
    analyzers: Sequence[VisionAnalyzer],
    request: VisionRequest,
    *,
    budget_seconds: float,
) -> tuple[VisionAnswer | None, list[Attempt]]:
    deadline = time.monotonic() + budget_seconds
    attempts: list[Attempt] = []
    for analyzer in analyzers:
        if not analyzer.configured:
            attempts.append(_skipped(analyzer, "not_configured", "No credentials or endpoint set."))
            continue
        if _remaining(deadline) <= 0:
            attempts.append(_skipped(analyzer, "budget_exhausted", "The time budget was used up."))
            continue
        answer, failure = await _try_with_one_wait(analyzer, request, deadline, attempts)
        if answer is not None:
            return answer, attempts
        if failure is not None and failure.kind == "caller":
            break
    return None, attempts


async def _try_with_one_wait(
    analyzer: VisionAnalyzer,
    request: VisionRequest,
    deadline: float,
    attempts: list[Attempt],
) -> tuple[VisionAnswer | None, ProviderFailure | None]:
    answer, failure = await _attempt(analyzer, request, deadline, attempts)
    wait_seconds = _wait_before_retry(failure, deadline)
    if wait_seconds is None:
        return answer, failure
    await asyncio.sleep(wait_seconds)
    return await _attempt(analyzer, request, deadline, attempts)


def _wait_before_retry(failure: ProviderFailure | None, deadline: float) -> float | None:
    if failure is None or failure.kind != "throttled" or failure.retry_after is None:
        return None
    # Leave at least as long again for the retried call itself.
    fits_budget = 2 * failure.retry_after < _remaining(deadline)
    return failure.retry_after if fits_budget else None


async def _attempt(
    analyzer: VisionAnalyzer,
    request: VisionRequest,
    deadline: float,
    attempts: list[Attempt],
) -> tuple[VisionAnswer | None, ProviderFailure | None]:
    started = time.monotonic()
    try:
        async with asyncio.timeout(_remaining(deadline)):
            answer = await analyzer.analyze(request)
    except ProviderFailure as failure:
        attempts.append(_failed(analyzer, started, failure))
        return None, failure
    except TimeoutError:
        timed_out = ProviderFailure(analyzer.name, "timeout", "no answer within the time budget")
        attempts.append(_failed(analyzer, started, timed_out))
        return None, timed_out
    attempts.append(_record(analyzer, "success", _elapsed_ms(started), None, None))
    return answer, None


def _remaining(deadline: float) -> float:
    return deadline - time.monotonic()


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _failed(analyzer: VisionAnalyzer, started: float, failure: ProviderFailure) -> Attempt:
    code = f" ({failure.provider_code})" if failure.provider_code else ""
    return _record(analyzer, "failed", _elapsed_ms(started), failure.kind, failure.message + code)


def _skipped(analyzer: VisionAnalyzer, code: str, message: str) -> Attempt:
    return _record(analyzer, "skipped", 0, code, message)


def _record(
    analyzer: VisionAnalyzer,
    outcome: str,
    latency_ms: int,
    error_code: str | None,
    error_message: str | None,
) -> Attempt:
    return {
        "provider": analyzer.name,
        "model": analyzer.model,
        "outcome": outcome,
        "latency_ms": latency_ms,
        "error_code": error_code,
        "error_message": error_message,
    }
