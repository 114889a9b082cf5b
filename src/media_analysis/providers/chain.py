"""Try providers in order until one answers (CONTRACT.md §6, PROVIDERS.md §6).

One chain for every kind of provider. Unconfigured providers, providers that cannot
take the input and providers whose circuit is open are skipped; an explicit choice
tries only that provider. A throttled provider is asked once more when its retry hint
fits in what is left of the time budget. A failure that is the caller's fault stops
the search. Every call and every skip becomes a :class:`ProviderAttempt`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from media_analysis.errors import MediaAnalysisError, ProviderUnavailable
from media_analysis.providers.attempts import Provider, ProviderAttempt
from media_analysis.providers.circuit_breaker import CircuitBreaker, Clock
from media_analysis.providers.failures import (
    ProviderFailure,
    ProviderNotConfigured,
    UnknownProvider,
    caller_error,
)

P = TypeVar("P", bound=Provider)
R = TypeVar("R")
Sleep = Callable[[float], Awaitable[None]]
# Whether a ``caller`` failure really is the caller's (e.g. our own probe disagrees).
BlameCaller = Callable[[ProviderFailure], Awaitable[bool]]
Skip = Callable[[P], ProviderAttempt | None]
BREAKER_KINDS = frozenset({"auth", "throttled", "server", "timeout", "misconfigured"})


@dataclass(frozen=True)
class ChainOutcome(Generic[R]):
    """The first answer (None when nobody answered) and every attempt on the way.

    ``refusal`` is the caller's-fault failure that stopped the search, if one did.
    """

    answer: R | None
    attempts: tuple[ProviderAttempt, ...]
    refusal: ProviderFailure | None = None

    def answer_or_raise(self, service: str) -> R:
        """The answer, else the caller's error or ProviderUnavailable, carrying the attempts."""
        if self.answer is not None:
            return self.answer
        error: MediaAnalysisError
        if self.refusal is not None:
            error = caller_error(self.refusal)
        else:
            outcomes = "; ".join(a.summary() for a in self.attempts) or "none enabled"
            error = ProviderUnavailable(f"no {service} provider succeeded: {outcomes}")
        error.extra["attempts"] = [attempt.to_dict() for attempt in self.attempts]
        raise error


@dataclass(frozen=True)
class FallbackChain:
    """The rules of fallback; the breaker is the process's, shared by every chain."""

    breaker: CircuitBreaker
    budget_seconds: float
    clock: Clock = time.monotonic
    sleep: Sleep = asyncio.sleep

    async def run(
        self,
        providers: Sequence[P],
        call: Callable[[P], Awaitable[R]],
        *,
        service: str,
        explicit: str | None = None,
        skip: Skip[P] | None = None,
        blame_caller: BlameCaller | None = None,
        calls_share_budget: bool = False,
    ) -> ChainOutcome[R]:
        """Ask ``providers`` in order with ``call``.

        ``calls_share_budget`` cuts each call off when the budget runs out and skips the
        providers left after that (for answers that have a local fallback).
        """
        run = _Run(self, call, blame_caller, calls_share_budget, self.clock() + self.budget_seconds)
        for provider in candidates(providers, explicit, service):
            skipped = run.skip(provider, skip)
            if skipped is not None:
                run.attempts.append(skipped)
                continue
            try:
                answer = await run.attempt(provider)
            except _CallersFault as stop:
                return ChainOutcome(None, tuple(run.attempts), stop.failure)
            if answer is not None:
                return ChainOutcome(answer, tuple(run.attempts))
        return ChainOutcome(None, tuple(run.attempts))


def candidates(providers: Sequence[P], explicit: str | None, service: str) -> list[P]:
    """All of ``providers``, or only the one a caller asked for (raising when it is unusable)."""
    if explicit is None:
        return list(providers)
    wanted = explicit.strip().lower()
    matches = [p for p in providers if p.name == wanted]
    if not matches:
        enabled = ", ".join(p.name for p in providers) or "none"
        raise UnknownProvider(
            f"{explicit!r} is not an enabled {service} provider (enabled: {enabled})"
        )
    if not matches[0].configured:
        raise ProviderNotConfigured(f"{service} provider {wanted!r} has no API key configured")
    return matches[:1]


class _CallersFault(Exception):
    def __init__(self, failure: ProviderFailure) -> None:
        super().__init__(failure.describe())
        self.failure = failure


@dataclass
class _Run(Generic[P, R]):
    chain: FallbackChain
    call: Callable[[P], Awaitable[R]]
    blame_caller: BlameCaller | None
    calls_share_budget: bool
    deadline: float
    attempts: list[ProviderAttempt] = field(default_factory=list)

    def skip(self, provider: P, skip: Skip[P] | None) -> ProviderAttempt | None:
        if not provider.configured:
            return ProviderAttempt.skipped(provider, "not_configured", "no API key configured")
        unfit = skip(provider) if skip is not None else None
        if unfit is not None:
            return unfit
        breaker = self.chain.breaker
        if not breaker.allows(provider.name):
            wait = breaker.seconds_until_retry(provider.name)
            why = f"failing repeatedly; next try in {wait:.0f} s"
            return ProviderAttempt.skipped(provider, "circuit_open", why)
        if self.calls_share_budget and self._remaining() <= 0:
            return ProviderAttempt.skipped(
                provider, "budget_exhausted", "the time budget is used up"
            )
        return None

    async def attempt(self, provider: P) -> R | None:
        """One call, plus one retry after a throttling hint that fits the budget."""
        for retry in (False, True):
            try:
                return await self._call(provider)
            except ProviderFailure as failure:
                await self._stop_if_callers_fault(failure)
                if retry or not self._can_wait_for(failure):
                    return None
                await self.chain.sleep(failure.retry_after or 0.0)
        return None

    async def _call(self, provider: P) -> R:
        started = self.chain.clock()
        try:
            answer = await self._bounded_call(provider)
        except ProviderFailure as failure:
            self.attempts.append(ProviderAttempt.failed(provider, failure, self._ms(started)))
            if failure.kind in BREAKER_KINDS:
                self.chain.breaker.record_failure(provider.name)
            raise
        self.attempts.append(ProviderAttempt.succeeded(provider, self._ms(started)))
        self.chain.breaker.record_success(provider.name)
        return answer

    async def _bounded_call(self, provider: P) -> R:
        if not self.calls_share_budget:
            return await self.call(provider)
        try:
            async with asyncio.timeout(self._remaining()):
                return await self.call(provider)
        except TimeoutError:
            raise ProviderFailure(
                provider.name, "timeout", "no answer within the time budget"
            ) from None

    async def _stop_if_callers_fault(self, failure: ProviderFailure) -> None:
        if failure.kind != "caller":
            return
        if self.blame_caller is None or await self.blame_caller(failure):
            raise _CallersFault(failure) from None

    def _can_wait_for(self, failure: ProviderFailure) -> bool:
        if failure.kind != "throttled" or failure.retry_after is None:
            return False
        return failure.retry_after <= self._remaining()

    def _remaining(self) -> float:
        return self.deadline - self.chain.clock()

    def _ms(self, started: float) -> int:
        return round((self.chain.clock() - started) * 1000)
