"""Monitoring periods on one time axis: financial years, quarters, calendar years, dates.

Councils monitored each target by financial year (``"2003/04"``) and by quarter (``"2004 Q3"``,
``"2004/05 Q3"``), and a series may mix them (a baseline year, then quarterly figures). Every
label is placed on one axis counted in quarters, at the **end** of the period it names, since a
figure for a period is its outturn when the period closes:

* ``"2003/04"`` (or ``"2003-04"``, ``"2003/2004"``): the financial year to 31 March 2004, the
  quarter January-March 2004;
* ``"2004/05 Q3"`` (or ``"Q3 2004/05"``): the third quarter of that financial year,
  October-December 2004;
* ``"2004 Q3"`` (or ``"Q3 2004"``, ``"2004-Q3"``): the third calendar quarter, July-September;
* ``2004`` (a number or text): the calendar year, ending in its October-December quarter;
* a date: the calendar quarter containing it.

The axis position is an integer, so a straight line through the points stays exact in Decimal.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal

from .convert import to_decimal
from .errors import SeriesError

__all__ = ["period_position", "period_text"]

_FY = r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})"
_FY_ONLY = re.compile(rf"^{_FY}$")
_FY_QUARTER = re.compile(rf"^(?:{_FY}\s*[-,]?\s*Q([1-4])|Q([1-4])\s*[-,]?\s*{_FY})$", re.I)
_QUARTER = re.compile(r"^(?:(\d{4})\s*[-,]?\s*Q([1-4])|Q([1-4])\s*[-,]?\s*(\d{4}))$", re.I)
_YEAR = re.compile(r"^\d{4}$")


def period_text(value: object) -> str:
    """A period as people read it: ``2004.0`` from Excel shows as ``"2004"``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return "" if value is None else str(value).strip()


def _financial_start(start: str, end: str, label: object, field: str) -> int:
    first = int(start)
    if int(end) % 100 != (first + 1) % 100:
        raise SeriesError(f"{label!r} is not a financial year (such as 2003/04)", field=field)
    return first


def period_position(value: object, field: str = "periods") -> int:
    """The position of a period label on the quarter axis (the quarter it ends in, counted from
    year 0); see the module text for the labels understood. Raises :class:`SeriesError` for a
    label that is none of them."""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.year * 4 + (value.month - 1) // 3
    if isinstance(value, bool):
        raise SeriesError(
            f"expected a period such as 2003/04 or 2004 Q3, got {value!r}", field=field
        )
    if isinstance(value, (int, float, Decimal)):
        number = to_decimal(value, field)
        if number == number.to_integral_value() and 1900 <= number <= 2200:
            return int(number) * 4 + 3
        raise SeriesError(
            f"expected a period such as 2003/04 or 2004 Q3, got {value!r}", field=field
        )
    text = " ".join(str(value or "").split())
    if match := _FY_ONLY.match(text):
        return _financial_start(match[1], match[2], value, field) * 4 + 4
    if match := _FY_QUARTER.match(text):
        if match[1]:
            start, end, quarter = match[1], match[2], match[3]
        else:
            quarter, start, end = match[4], match[5], match[6]
        return _financial_start(start, end, value, field) * 4 + int(quarter)
    if match := _QUARTER.match(text):
        year, quarter = (match[1], match[2]) if match[1] else (match[4], match[3])
        return int(year) * 4 + int(quarter) - 1
    if _YEAR.match(text):
        return int(text) * 4 + 3
    shown = "a blank" if not text else repr(value)
    raise SeriesError(
        f"expected a period such as 2003/04, 2004/05 Q3 or 2004 Q3, got {shown}", field=field
    )
