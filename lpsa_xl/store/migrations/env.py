"""Alembic's entry point for the store: it runs on the connection the store passes in
``config.attributes["connection"]`` (the migrations never open a database of their own), in
batch mode so the same scripts can alter tables on SQLite."""

from __future__ import annotations

from alembic import context

from lpsa_xl.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the store runs these scripts
    raise RuntimeError("the store's migrations run through lpsa_xl.store.db.open_store")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
