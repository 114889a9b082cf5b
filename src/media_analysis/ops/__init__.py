"""Operational views of the service: readiness, status, effective configuration."""
