"""PostgreSQL access: engine and sessions, models, repositories."""
