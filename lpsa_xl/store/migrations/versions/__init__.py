"""One migration script per schema version, oldest first (Alembic skips this file)."""
