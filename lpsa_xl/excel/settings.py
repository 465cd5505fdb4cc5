"""Where Validate finds the agreements register (see :mod:`lpsa_xl.store`).

In desktop Excel (the classic macros, Python on the user's own machine) the book's
``xlwings.conf`` sheet may give ``LPSA_XL_REGISTER`` in column A and the register's database URL
in column B (``sqlite:///C:/returns/register.db``, ``postgresql://user@host/db``, or ``default``
for ``LPSA_XL_DB`` or the user's own register); failing that, the ``LPSA_XL_REGISTER``
environment variable. On xlwings Server only the server's ``LPSA_XL_REGISTER`` environment
variable counts: a book sent from a browser does not choose which database the server opens.
Without either, Validate checks the return on its own, as before.
"""

from __future__ import annotations

import os
from typing import Any

from lpsa_xl.excel.xlsm import CONFIG_SHEET

__all__ = ["CONF_SHEET", "DEFAULT", "REGISTER_KEY", "conf_value", "register_url"]

#: The key (in the xlwings.conf sheet, and as an environment variable) naming the register.
REGISTER_KEY = "LPSA_XL_REGISTER"
#: The settings sheet xlwings itself reads (key in column A, value in column B).
CONF_SHEET = CONFIG_SHEET
#: The value meaning "the default database": ``LPSA_XL_DB``, else the user's own register.
DEFAULT = "default"


def _rows(value: Any) -> list[list[Any]]:
    """A range's value as rows, whatever its shape (one cell, one row, a block)."""
    if not isinstance(value, list):
        return [[value]]
    if value and not isinstance(value[0], list):
        return [value]
    return value


def conf_value(book: Any, key: str) -> str | None:
    """The value of ``key`` in the book's xlwings.conf sheet (the key's case ignored), or None
    when there is no such sheet or key, or its value is blank."""
    for sheet in book.sheets:
        if str(sheet.name).strip().lower() != CONF_SHEET.lower():
            continue
        for row in _rows(sheet.used_range.value):
            if len(row) >= 2 and str(row[0] or "").strip().upper() == key.upper():
                value = str(row[1] or "").strip()
                return value or None
    return None


def register_url(book: Any, *, server: bool) -> str | None:
    """The register Validate checks against (a URL, or :data:`DEFAULT`), or None for none.
    ``server``: running on xlwings Server, where only the environment variable counts."""
    env = os.environ.get(REGISTER_KEY, "").strip() or None
    if server:
        return env
    return conf_value(book, REGISTER_KEY) or env
