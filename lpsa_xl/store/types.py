"""An exact decimal column: figures and money go in and come out as the same
:class:`~decimal.Decimal`, never through binary floating point.

PostgreSQL keeps them in ``NUMERIC`` (no precision given, so any number of digits, and the scale
as written: ``40.18`` stays ``40.18``). SQLite has no decimal type (its ``NUMERIC`` affinity
turns ``40.18`` into a double), so there the decimal is stored as its text, which round-trips
exactly. Floats are refused on the way in: a float reaching the store is a bug upstream.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

__all__ = ["Exact"]


class Exact(TypeDecorator[Decimal]):
    """A decimal stored exactly: ``NUMERIC`` on PostgreSQL, text elsewhere."""

    impl = String(60)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(asdecimal=True))
        return dialect.type_descriptor(String(60))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float) or not isinstance(value, (Decimal, int)):
            raise TypeError(f"an exact figure must be a Decimal or int, not {type(value).__name__}")
        number = Decimal(value)
        if not number.is_finite():
            raise ValueError(f"an exact figure must be finite, not {number}")
        return number if dialect.name == "postgresql" else f"{number:f}"

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, float):  # never written by this type: a column typed by hand
            raise TypeError("the database returned a float for an exact figure")
        return value if isinstance(value, Decimal) else Decimal(str(value))
