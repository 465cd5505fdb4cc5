"""What the store commands share (``register``, ``history`` and ``check --register``): the
``--db URL`` option, opening the database with its errors as one line, finding an authority by
the start of its name, and exact figures as the commands print them (money through
:func:`lpsa_xl.display.money`, as people read it).

The database is ``--db URL``, else ``LPSA_XL_DB``, else an SQLite file in the user's data
directory (see :func:`lpsa_xl.store.db.open_store`). A database that cannot be used is one line
on stderr and exit code 2.
"""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, NoReturn, TypeVar

import click

from lpsa_xl.store import Store, StoreError, authority_key, open_store

__all__ = ["db_option", "fail", "fig", "find_authority", "parse_date", "store_at"]

_F = TypeVar("_F", bound=Callable[..., Any])


def db_option(func: _F) -> _F:
    """``--db URL``: the database (default: ``LPSA_XL_DB``, then the user's SQLite file)."""
    return click.option(
        "--db",
        "db",
        metavar="URL",
        default=None,
        help="Database URL: sqlite:///path/file.db or postgresql://user@host/db (default: "
        "$LPSA_XL_DB, else lpsa-xl.db in your data directory).",
    )(func)


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@contextmanager
def store_at(url: str | None) -> Iterator[Store]:
    try:
        store = open_store(url)
    except StoreError as exc:
        fail(str(exc))
    try:
        yield store
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()


def find_authority(known: dict[str, str], name: str, where: str) -> str:
    """The authority ``name`` means: its exact name (case and spaces aside), or the one
    authority whose name begins with it (``northshire`` for Northshire County Council)."""
    key = authority_key(name)
    if key in known:
        return known[key]
    found = sorted(n for k, n in known.items() if k.startswith(key))
    if len(found) == 1:
        return found[0]
    if found:
        fail(f"{name!r} could be any of {'; '.join(found)}: give more of the name")
    fail(f"{name!r} is not {where}")


def fig(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def parse_date(value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date such as 2006-04-01") from None
