"""Prometheus metrics: HTTP traffic measured in-process; jobs and providers from PostgreSQL."""
