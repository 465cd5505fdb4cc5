"""Dates in Excel's 1900 system (serial 1 = 1 January 1900, with its fictional 29 February
1900): DATE, YEAR, MONTH, DAY, EDATE, EOMONTH, TODAY, NOW; :func:`for_1904` adapts them (and
TEXT) to a workbook in the 1904 system. TODAY and NOW are volatile: they give
the date the recalculation runs."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from typing import Any

from lpsa_xl.formula.functions.common import Decline, Fail, arg_int, arg_num, guard
from lpsa_xl.formula.functions.numfmt import DateOutOfRange, serial_to_datetime
from lpsa_xl.formula.values import scalar, to_num
from lpsa_xl.values import NUM, ExcelError

__all__ = ["DAYS_1904", "FUNCTIONS", "REF_FUNCTIONS", "date_serial", "for_1904"]

_EPOCH = dt.date(1899, 12, 30)


def date_serial(d: dt.date) -> float:
    serial = (d - _EPOCH).days
    return float(serial if serial >= 61 else serial - 1)


@guard
def DATE(y: Any, m: Any, d: Any) -> Any:
    year, month, day = arg_int(y), arg_int(m), arg_int(d)
    if 0 <= year < 1900:
        year += 1900
    if not 1900 <= year <= 9999:
        return NUM.with_reason("year outside 1900-9999")
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    if not 1900 <= year <= 9999:
        return NUM
    serial = date_serial(dt.date(year, month, 1)) + day - 1
    return NUM if serial < 0 else float(serial)


def _date(x: Any) -> dt.datetime:
    try:
        return serial_to_datetime(arg_num(x))
    except DateOutOfRange:
        raise Fail(NUM.with_reason("not a date Excel can show")) from None


@guard
def YEAR(x: Any) -> Any:
    v = arg_num(x)
    return NUM if v < 0 else float(_date(v).year)


@guard
def MONTH(x: Any) -> Any:
    v = arg_num(x)
    if v < 0:
        return NUM
    return 2.0 if int(v) == 60 else float(_date(v).month)


@guard
def DAY(x: Any) -> Any:
    v = arg_num(x)
    if v < 0:
        return NUM
    return 29.0 if int(v) == 60 else (0.0 if int(v) == 0 else float(_date(v).day))


def _add_months(x: Any, months: Any, end: bool) -> float:
    d = _date(x)
    total = d.year * 12 + d.month - 1 + arg_int(months)
    year, month = divmod(total, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    day = last if end else min(d.day, last)
    return date_serial(dt.date(year, month, day))


@guard
def EDATE(x: Any, months: Any) -> Any:
    return _add_months(x, months, False)


@guard
def EOMONTH(x: Any, months: Any) -> Any:
    return _add_months(x, months, True)


def TODAY() -> Any:
    return date_serial(dt.date.today())


def NOW() -> Any:
    now = dt.datetime.now()
    secs = now.hour * 3600 + now.minute * 60 + now.second
    return date_serial(now.date()) + secs / 86400


FUNCTIONS = {f.__name__: f for f in (DATE, YEAR, MONTH, DAY, EDATE, EOMONTH, TODAY, NOW)}

#: Days from the 1900 system's serial to the 1904 system's (1 January 1904 is 1462 and 0).
DAYS_1904 = 1462


def for_1904(functions: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """Replacements for the date functions of a workbook in the 1904 date system: serials read
    are shifted into the 1900 system and serials returned shifted back."""

    def shift_in(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(x: Any, *rest: Any) -> Any:
            n = to_num(scalar(x))
            return n if type(n) is ExcelError else fn(n + DAYS_1904, *rest)

        return wrapped

    def shift_out(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any) -> Any:
            v = fn(*args)
            return v - DAYS_1904 if type(v) is float else v

        return wrapped

    out = {name: shift_in(functions[name]) for name in ("YEAR", "MONTH", "DAY")}
    out |= {name: shift_out(functions[name]) for name in ("DATE", "TODAY", "NOW")}
    out |= {name: shift_out(shift_in(functions[name])) for name in ("EDATE", "EOMONTH")}
    text = functions["TEXT"]
    out["TEXT"] = lambda v, fmt: text(v, fmt, DAYS_1904)

    def declined(name: str) -> Callable[..., Any]:
        def wrapped(*args: Any) -> Any:
            raise Decline(f"{name} in a workbook of the 1904 date system")

        return wrapped

    from lpsa_xl.formula.functions.calendar import SERIAL_FUNCTIONS

    out |= {name: declined(name) for name in SERIAL_FUNCTIONS}
    return out


REF_FUNCTIONS: set[str] = set()
