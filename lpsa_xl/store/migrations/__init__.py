"""The store's Alembic migrations, shipped inside the package and run by
:func:`lpsa_xl.store.db.open_store` when a database is opened (``versions/`` holds one script per
schema version; the first creates every table)."""
