"""Service endpoints: liveness, readiness, status, effective configuration, metrics."""
