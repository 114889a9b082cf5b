"""Bytes moved to and from the store, and how long each kind of operation takes."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)


class StorageMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.bytes = Counter(
            "media_analysis_storage_bytes",
            "Bytes written to (direction=in) and read from (direction=out) the file store.",
            ["backend", "direction"],
            registry=registry,
        )
        self.latency = Histogram(
            "media_analysis_storage_operation_duration_seconds",
            "Time one file-store operation took (put, fetch, read, stat, delete, presign, list).",
            ["backend", "operation"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )

    def observe(self, backend: str, operation: str, seconds: float) -> None:
        self.latency.labels(backend, operation).observe(seconds)

    def count_bytes(self, backend: str, direction: str, count: int) -> None:
        self.bytes.labels(backend, direction).inc(count)
