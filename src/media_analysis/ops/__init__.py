"""Retention of old finished jobs: their files and, if configured, their rows."""
