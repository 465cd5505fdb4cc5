"""The store: the agreements register and the returns history, in SQLite or PostgreSQL.

One small data-access layer over SQLAlchemy Core, above :mod:`lpsa_xl.returns` (agreements are
read from returns through the same reading as ``lpsa-xl compute``) and :mod:`lpsa_xl.rules`,
below the checker's register rules and the CLI:

* :mod:`.db`: which database (``--db`` URL, ``LPSA_XL_DB``, or an SQLite file in the user's
  data directory), its schema brought up to date by the packaged Alembic migrations on open,
  transactions, one-line errors.
* :mod:`.types`: the exact decimal column (``NUMERIC`` on PostgreSQL, text on SQLite).
* :mod:`.schema`: the tables; :mod:`.migrations`: how they are made.
* :mod:`.records`: what is stored, as values (:class:`Agreed`, :class:`AgreedLine`, :class:`Round`).
* :mod:`.sources`: agreements from a return or an agreements table (.xlsx, .csv).
* :mod:`.register`: add (new versions, never overwrites), list, in force on a date, remove.
* :mod:`.history`: rounds of checked returns and what changed between them.
"""

from __future__ import annotations

import importlib
from typing import Any

from lpsa_xl.store.records import Agreed, AgreedLine, Round, authority_key

#: Loaded when first used, so that what imports the records (the checker's workers) does not
#: pay for importing SQLAlchemy.
_FROM_DB = ("ENV", "Store", "StoreError", "default_url", "open_store")

__all__ = [
    "ENV",
    "Agreed",
    "AgreedLine",
    "Round",
    "Store",
    "StoreError",
    "authority_key",
    "default_url",
    "open_store",
]


def __getattr__(name: str) -> Any:
    if name in _FROM_DB:
        return getattr(importlib.import_module(".db", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
