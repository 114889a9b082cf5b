"""The durable job engine: PostgreSQL queue, workers, progress events, SSE."""
