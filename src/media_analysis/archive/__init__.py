"""The archive of finished jobs, searchable by what was said, written or concluded."""
