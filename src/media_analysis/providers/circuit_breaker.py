"""Stop calling a provider that keeps failing, and try it again after a cool-down."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]


@dataclass
class _ProviderCircuit:
    consecutive_failures: int = 0
    opened_at: float | None = None


class CircuitBreaker:
    """In-memory, per process. Open after ``failure_threshold`` consecutive failures.

    Once ``cooldown_seconds`` have passed the circuit is half-open: one caller is let
    through (the cool-down restarts for everyone else); its success closes the circuit,
    its failure keeps it open for another cool-down.
    """

    def __init__(
        self,
        *,
        failure_threshold: int = 3,
        cooldown_seconds: float = 60.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.cooldown_seconds = cooldown_seconds
        self._clock = clock
        self._circuits: dict[str, _ProviderCircuit] = {}

    def allows(self, provider: str) -> bool:
        circuit = self._circuits.get(provider)
        if circuit is None or circuit.opened_at is None:
            return True
        if self._clock() - circuit.opened_at < self.cooldown_seconds:
            return False
        circuit.opened_at = self._clock()
        return True

    def seconds_until_retry(self, provider: str) -> float:
        circuit = self._circuits.get(provider)
        if circuit is None or circuit.opened_at is None:
            return 0.0
        return max(0.0, circuit.opened_at + self.cooldown_seconds - self._clock())

    def record_success(self, provider: str) -> None:
        self._circuits.pop(provider, None)

    def record_failure(self, provider: str) -> None:
        circuit = self._circuits.setdefault(provider, _ProviderCircuit())
        circuit.consecutive_failures += 1
        if circuit.consecutive_failures >= self.failure_threshold:
            circuit.opened_at = self._clock()
