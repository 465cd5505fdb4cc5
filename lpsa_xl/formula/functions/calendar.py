"""Calendar functions of finance workbooks: WEEKDAY, WEEKNUM, NETWORKDAYS, WORKDAY, YEARFRAC
and DATEDIF, on serials of the 1900 date system as Excel computes them.

WEEKDAY takes return types 1, 2, 3 and 11-17; WEEKNUM types 1, 2, 11-17 and 21 (ISO);
YEARFRAC the five day-count bases (0 US 30/360, 1 actual/actual, 2 actual/360, 3 actual/365,
4 European 30/360); DATEDIF the units Y, M, D, MD, YM and YD. A serial outside Excel's dates
is ``#NUM!``.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from collections.abc import Callable
from typing import Any

from lpsa_xl.formula.functions.common import Fail, arg_int, arg_num, arg_text, guard, is_ref
from lpsa_xl.formula.functions.dates import date_serial
from lpsa_xl.formula.functions.numfmt import DateOutOfRange, serial_to_datetime
from lpsa_xl.formula.values import flat
from lpsa_xl.values import NUM, VALUE, ExcelError

__all__ = ["FUNCTIONS", "REF_FUNCTIONS"]


def _day(v: Any) -> tuple[int, dt.date]:
    """An argument as (whole serial, date)."""
    x = arg_num(v)
    try:
        return int(x), serial_to_datetime(float(int(x))).date()
    except DateOutOfRange:
        raise Fail(NUM.with_reason("not a date Excel can show")) from None


_WEEKDAY_START = {1: 6, 2: 0, 3: 0, 11: 0, 12: 1, 13: 2, 14: 3, 15: 4, 16: 5, 17: 6}


@guard
def WEEKDAY(serial: Any, return_type: Any = None) -> Any:
    kind = 1 if return_type is None else arg_int(return_type)
    if kind not in _WEEKDAY_START:
        return NUM
    _, d = _day(serial)
    n = (d.weekday() - _WEEKDAY_START[kind]) % 7  # 0 on the first day of the week
    return float(n if kind == 3 else n + 1)


_WEEKNUM_START = {1: 6, 2: 0, 11: 0, 12: 1, 13: 2, 14: 3, 15: 4, 16: 5, 17: 6}


@guard
def WEEKNUM(serial: Any, return_type: Any = None) -> Any:
    kind = 1 if return_type is None else arg_int(return_type)
    _, d = _day(serial)
    if kind == 21:
        return float(d.isocalendar()[1])
    if kind not in _WEEKNUM_START:
        return NUM
    jan1 = dt.date(d.year, 1, 1)
    offset = (jan1.weekday() - _WEEKNUM_START[kind]) % 7  # days of week 1 before 1 January
    return float((d - jan1).days + offset) // 7 + 1


def _holidays(v: Any) -> set[int]:
    if v is None:
        return set()
    out = set()
    for x in flat(v) if is_ref(v) else [v]:
        if x is None:
            continue
        if type(x) is ExcelError:
            raise Fail(x)
        if not isinstance(x, float | int) or isinstance(x, bool):
            raise Fail(VALUE.with_reason("a holiday that is not a date"))
        out.add(int(x))
    return out


def _workday(serial: int) -> bool:
    return serial_to_datetime(float(serial)).weekday() < 5


def _weekdays(lo: int, hi: int) -> int:
    """Monday-to-Friday days from serial ``lo`` to ``hi``, both included."""
    weeks, rest = divmod(hi - lo + 1, 7)
    return weeks * 5 + sum(1 for s in range(hi - rest + 1, hi + 1) if _workday(s))


@guard
def NETWORKDAYS(start: Any, end: Any, holidays: Any = None) -> Any:
    (a, _), (b, _) = _day(start), _day(end)
    lo, hi = min(a, b), max(a, b)
    off = {s for s in _holidays(holidays) if lo <= s <= hi and _workday(s)}
    n = _weekdays(lo, hi) - len(off)
    return float(n if a <= b else -n)


@guard
def WORKDAY(start: Any, days: Any, holidays: Any = None) -> Any:
    s, _ = _day(start)
    n = arg_int(days)
    off = _holidays(holidays)
    if abs(n) > 1_000_000:
        return NUM
    step = 1 if n >= 0 else -1
    left = abs(n)
    while left:
        s += step
        try:
            if _workday(s) and s not in off:
                left -= 1
        except DateOutOfRange:
            return NUM
    return float(s)


def _last_of_feb(d: dt.date) -> bool:
    return d.month == 2 and d.day == _cal.monthrange(d.year, 2)[1]


def _us_30_360(a: dt.date, b: dt.date) -> float:
    """Excel's US (NASD) 30/360 as YEARFRAC applies it, end-of-February rules included."""
    d1, d2 = a.day, b.day
    if d1 == 31 and d2 == 31:
        d1 = d2 = 30
    elif d1 == 31:
        d1 = 30
    elif d1 == 30 and d2 == 31:
        d2 = 30
    elif _last_of_feb(a) and _last_of_feb(b):
        d1 = d2 = 30
    elif _last_of_feb(a):
        d1 = 30
    return ((b.year - a.year) * 360 + (b.month - a.month) * 30 + (d2 - d1)) / 360


def _eu_30_360(a: dt.date, b: dt.date) -> float:
    d1, d2 = min(a.day, 30), min(b.day, 30)
    return ((b.year - a.year) * 360 + (b.month - a.month) * 30 + (d2 - d1)) / 360


def _actual_actual(a: dt.date, b: dt.date) -> float:
    days = (b - a).days
    if a.year == b.year:
        return days / (366 if _cal.isleap(a.year) else 365)
    try:
        a_plus_year = a.replace(year=a.year + 1)
    except ValueError:  # 29 February
        a_plus_year = dt.date(a.year + 1, 3, 1)
    if b <= a_plus_year:
        feb29 = any(
            _cal.isleap(y) and a <= dt.date(y, 2, 29) <= b for y in range(a.year, b.year + 1)
        )
        return days / (366 if feb29 else 365)
    years = range(a.year, b.year + 1)
    average = sum(366 if _cal.isleap(y) else 365 for y in years) / len(years)
    return days / average


@guard
def YEARFRAC(start: Any, end: Any, basis: Any = None) -> Any:
    (x, a), (y, b) = _day(start), _day(end)
    base = 0 if basis is None else arg_int(basis)
    if base not in (0, 1, 2, 3, 4):
        return NUM
    if x > y:
        a, b, x, y = b, a, y, x
    if base == 0:
        return _us_30_360(a, b)
    if base == 1:
        return _actual_actual(a, b)
    if base == 2:
        return (y - x) / 360
    if base == 3:
        return (y - x) / 365
    return _eu_30_360(a, b)


def _months(a: dt.date, b: dt.date) -> int:
    m = (b.year - a.year) * 12 + (b.month - a.month)
    return m - 1 if b.day < a.day else m


@guard
def DATEDIF(start: Any, end: Any, unit: Any) -> Any:
    (x, a), (y, b) = _day(start), _day(end)
    u = arg_text(unit).strip().upper()
    if x > y:
        return NUM
    if u == "D":
        return float(y - x)
    if u == "M":
        return float(_months(a, b))
    if u == "Y":
        return float(_months(a, b) // 12)
    if u == "YM":
        return float(_months(a, b) % 12)
    if u == "MD":
        days = b.day - a.day
        if days < 0:
            prev = b.month - 1 or 12
            year = b.year if b.month > 1 else b.year - 1
            days += _cal.monthrange(year, prev)[1]
        return float(days)
    if u == "YD":
        try:
            anniversary = a.replace(year=b.year)
        except ValueError:  # 29 February in a common year
            anniversary = dt.date(b.year, 3, 1)
        if anniversary > b:
            try:
                anniversary = a.replace(year=b.year - 1)
            except ValueError:
                anniversary = dt.date(b.year - 1, 3, 1)
        return float(date_serial(b) - date_serial(anniversary))
    return NUM


FUNCTIONS: dict[str, Callable[..., Any]] = {
    f.__name__: f for f in (WEEKDAY, WEEKNUM, NETWORKDAYS, WORKDAY, YEARFRAC, DATEDIF)
}
#: The holiday lists are references of dates.
REF_FUNCTIONS = frozenset({"NETWORKDAYS", "WORKDAY"})
#: The functions here take and give serials of the 1900 date system.
SERIAL_FUNCTIONS = tuple(FUNCTIONS)
