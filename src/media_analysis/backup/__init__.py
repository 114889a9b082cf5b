"""Backups of the database and every job's files, and restoring them."""
