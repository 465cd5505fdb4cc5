"""Opening the store: which database, bringing its schema up to date, and transactions.

The database is, in order: the URL given (``--db`` / ``--register URL``), the ``LPSA_XL_DB``
environment variable, or an SQLite file in the user's data directory (``platformdirs``), created
on first use. ``postgresql://`` URLs use psycopg (version 3). Opening runs the packaged Alembic
migrations up to the newest schema version, so a database is always at the schema this
lpsa-xl knows; one written by a newer lpsa-xl is refused rather than misread.

Every write is one transaction (:meth:`Store.writing`): an error anywhere in an import, a lost
connection included, rolls all of it back. Database errors reach users as one-line
:class:`StoreError` messages naming the database (password hidden), never a traceback.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Table, create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

__all__ = [
    "ENV",
    "HEAD",
    "Store",
    "StoreError",
    "default_url",
    "open_store",
    "resolve_url",
]

#: The environment variable naming the database.
ENV = "LPSA_XL_DB"
#: The newest schema version (the last migration's revision): a test checks it is the head.
HEAD = "0001"
#: Every schema version this lpsa-xl knows, oldest first.
KNOWN = ("0001",)


class StoreError(Exception):
    """The store cannot do what was asked: the message is for users, one line."""


def default_url() -> str:
    """The SQLite file in the user's data directory (``lpsa-xl.db``)."""
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('lpsa-xl', appauthor=False)) / 'lpsa-xl.db'}"


def resolve_url(url: str | None = None) -> URL:
    """The database URL to use (see the module docstring), with psycopg for PostgreSQL."""
    raw = url or os.environ.get(ENV) or default_url()
    try:
        parsed = make_url(raw)
    except ArgumentError:
        raise StoreError(
            f"{raw!r} is not a database URL (sqlite:///path/to/file.db or "
            "postgresql://user@host/dbname)"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if not parsed.drivername.startswith(("sqlite", "postgresql")):
        raise StoreError(f"{shown(parsed)}: only SQLite and PostgreSQL databases are supported")
    return parsed


def shown(url: URL) -> str:
    """A URL as messages show it: without the password."""
    return url.render_as_string(hide_password=True)


def reason(exc: BaseException) -> str:
    """What a database error says, in one line, without the library's wrapping."""
    inner = getattr(exc, "orig", None) or exc
    lines = [ln.strip() for ln in str(inner).splitlines() if ln.strip()]
    return lines[0] if lines else type(inner).__name__


class Store:
    """An open store: an engine on one database, its schema up to date."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self.engine = engine
        self.url = url

    @property
    def name(self) -> str:
        return shown(self.url)

    def error(self, exc: BaseException, doing: str) -> StoreError:
        return StoreError(f"the database {self.name}: {doing} failed ({reason(exc)})")

    @contextlib.contextmanager
    def writing(self, doing: str = "writing") -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back (nothing written) when
        anything raises; database errors become :class:`StoreError`."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except StoreError:
            raise
        except SQLAlchemyError as exc:
            raise self.error(exc, doing) from None

    def insert_many(
        self, conn: Connection, table: Table, rows: list[dict[str, Any]], doing: str = "writing"
    ) -> None:
        """Insert ``rows`` into ``table`` within ``conn``'s transaction: on PostgreSQL by
        ``COPY`` (a run's thousands of figures in one stream, not batches of INSERTs), elsewhere
        by an executemany INSERT. Every value goes through its column's type first, so an
        :class:`~lpsa_xl.store.types.Exact` column still refuses a float."""
        if not rows:
            return
        if conn.dialect.name != "postgresql":
            conn.execute(table.insert(), rows)
            return
        columns = list(rows[0])
        binds = [table.c[name].type.bind_processor(conn.dialect) for name in columns]
        names = ", ".join(f'"{name}"' for name in columns)
        driver = conn.connection.driver_connection
        try:
            with (
                driver.cursor() as cur,
                cur.copy(  # type: ignore[union-attr]
                    f'COPY "{table.name}" ({names}) FROM STDIN'
                ) as copy,
            ):
                for row in rows:
                    copy.write_row(
                        [v if b is None else b(v) for b, v in zip(binds, row.values(), strict=True)]
                    )
        except Exception as exc:  # a refused figure or the driver's error: all is rolled back
            raise self.error(exc, doing) from None

    @contextlib.contextmanager
    def reading(self, doing: str = "reading") -> Iterator[Connection]:
        """A connection for queries; database errors become :class:`StoreError`."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except StoreError:
            raise
        except SQLAlchemyError as exc:
            raise self.error(exc, doing) from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (default: ``LPSA_XL_DB``, then the user's SQLite file), its schema
    migrated to :data:`HEAD`. Raises :class:`StoreError` when it cannot be reached."""
    parsed = resolve_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.drivername.startswith("sqlite"):
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                message = f"cannot create the folder {folder} for the database: {exc}"
                raise StoreError(message) from None
    else:
        kwargs["pool_pre_ping"] = True
        kwargs["connect_args"] = {"connect_timeout": 10}
    engine = create_engine(parsed, **kwargs)
    if parsed.drivername.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(engine, parsed)
    try:
        migrate(store)
    except BaseException:
        engine.dispose()
        raise
    return store


def current_version(conn: Connection) -> str | None:
    """The schema version a database is at (None: no lpsa-xl tables yet)."""
    from sqlalchemy import inspect

    if not inspect(conn).has_table("alembic_version"):
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def migrate(store: Store) -> None:
    """Bring the schema to :data:`HEAD` with the packaged migrations (one transaction)."""
    with store.writing("opening") as conn:
        version = current_version(conn)
        if version == HEAD:
            return
        if version is not None and version not in KNOWN:
            raise StoreError(
                f"the database {store.name} is at schema version {version}, written by a newer "
                "lpsa-xl: upgrade lpsa-xl to use it"
            )
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", "lpsa_xl.store:migrations")
        config.attributes["connection"] = conn
        command.upgrade(config, HEAD)
