"""HTTP request counts and latencies by route template."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import Scope

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class HttpMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "media_analysis_http_requests",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "media_analysis_http_request_duration_seconds",
            "Time to answer an HTTP request (to the last byte for streamed bodies).",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )

        # Label lookups take a lock; the children are cached so a request pays once.
        self._counters: dict[tuple[str, str, int], Any] = {}
        self._timers: dict[tuple[str, str], Any] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        counter = self._counters.get((method, route, status))
        if counter is None:
            counter = self.requests.labels(method, route, str(status))
            self._counters[(method, route, status)] = counter
        counter.inc()
        timer = self._timers.get((method, route))
        if timer is None:
            timer = self._timers[(method, route)] = self.latency.labels(method, route)
        timer.observe(seconds)


def route_template(scope: Scope) -> str:
    """The matched route's path template, so ids don't explode the label set."""
    path = getattr(scope.get("route"), "path", None)
    if isinstance(path, str):
        return path
    # Plain Starlette routes (the liveness probe) record only their endpoint; they
    # have no path parameters, so the path is the template.
    return str(scope["path"]) if scope.get("endpoint") is not None else "unmatched"
