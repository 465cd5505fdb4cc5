"""Financial functions as Excel computes them: PV, FV, PMT, NPER, RATE, NPV, IRR, XNPV, XIRR,
SLN, DB and DDB, in binary double like Excel.

The iterative ones follow Excel's documented limits: RATE and IRR try at most 20 Newton steps
(RATE to within 1E-7, IRR to within 1E-5 percent), XIRR at most 100 (to within 1E-6 percent),
and give ``#NUM!`` when they do not converge, as Excel does. Cash flows in references take
numbers only (text, logicals and blanks there are skipped, as Excel's NPV and IRR skip them).
A form whose Excel result is not documented (DDB of a fractional period) is declined, never
guessed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from lpsa_xl.formula.functions.common import (
    Decline,
    Fail,
    arg_num,
    collect,
    guard,
    is_ref,
)
from lpsa_xl.formula.values import checked, flat
from lpsa_xl.values import NUM, VALUE, ExcelError

__all__ = ["FUNCTIONS", "REF_FUNCTIONS"]


def _opt(v: Any, default: float = 0.0) -> float:
    return default if v is None else arg_num(v)


def _kind(v: Any) -> float:
    """The ``type`` argument: payments at the end (0) or the beginning (other) of a period."""
    return 0.0 if v is None else (1.0 if arg_num(v) != 0 else 0.0)


@guard
def PV(rate: Any, nper: Any, pmt: Any, fv: Any = None, type_: Any = None) -> Any:
    r, n, p, f, t = arg_num(rate), arg_num(nper), arg_num(pmt), _opt(fv), _kind(type_)
    if r == 0:
        return checked(-(p * n + f))
    g = (1 + r) ** n
    return checked(-(f + p * (1 + r * t) * (g - 1) / r) / g)


@guard
def FV(rate: Any, nper: Any, pmt: Any, pv: Any = None, type_: Any = None) -> Any:
    r, n, p, v, t = arg_num(rate), arg_num(nper), arg_num(pmt), _opt(pv), _kind(type_)
    if r == 0:
        return checked(-(v + p * n))
    g = (1 + r) ** n
    return checked(-(v * g + p * (1 + r * t) * (g - 1) / r))


@guard
def PMT(rate: Any, nper: Any, pv: Any, fv: Any = None, type_: Any = None) -> Any:
    r, n, v, f, t = arg_num(rate), arg_num(nper), arg_num(pv), _opt(fv), _kind(type_)
    if n == 0:
        return NUM
    if r == 0:
        return checked(-(v + f) / n)
    g = (1 + r) ** n
    return checked(-(v * g + f) * r / ((1 + r * t) * (g - 1)))


@guard
def NPER(rate: Any, pmt: Any, pv: Any, fv: Any = None, type_: Any = None) -> Any:
    r, p, v, f, t = arg_num(rate), arg_num(pmt), arg_num(pv), _opt(fv), _kind(type_)
    if r == 0:
        return NUM if p == 0 else checked(-(v + f) / p)
    num, den = p * (1 + r * t) - f * r, p * (1 + r * t) + v * r
    if den == 0 or num / den <= 0 or r <= -1:
        return NUM
    return checked(math.log(num / den) / math.log(1 + r))


def _newton(
    f: Callable[[float], float],
    df: Callable[[float], float],
    guess: float,
    steps: int,
    tolerance: float,
    relative: bool = False,
) -> Any:
    x = guess
    for _ in range(steps):
        d = df(x)
        if d == 0 or not math.isfinite(d):
            return NUM
        step = f(x) / d
        x_new = x - step
        if not math.isfinite(x_new) or x_new <= -1:
            return NUM
        close = abs(x_new - x) <= tolerance * (abs(x_new) if relative else 1)
        x = x_new
        if close:
            return x
    return NUM


@guard
def RATE(nper: Any, pmt: Any, pv: Any, fv: Any = None, type_: Any = None, guess: Any = None) -> Any:
    n, p, v, f, t = arg_num(nper), arg_num(pmt), arg_num(pv), _opt(fv), _kind(type_)
    if n <= 0:
        return NUM

    def y(r: float) -> float:
        if abs(r) < 1e-12:
            return v + p * n + f
        g = (1 + r) ** n
        return v * g + p * (1 + r * t) * (g - 1) / r + f

    def dy(r: float) -> float:
        h = max(abs(r) * 1e-6, 1e-10)
        return (y(r + h) - y(r - h)) / (2 * h)

    return _newton(y, dy, _opt(guess, 0.1), 20, 1e-7)


def _flows(values: Any) -> list[float]:
    if is_ref(values):
        out = []
        for v in flat(values):
            if type(v) is ExcelError:
                raise Fail(v)
            if type(v) is float or type(v) is int:
                out.append(float(v))
        return out
    return [arg_num(values)]


@guard
def NPV(rate: Any, *values: Any) -> Any:
    r = arg_num(rate)
    if r == -1:
        return VALUE
    flows = collect(values)
    return checked(sum(v / (1 + r) ** (i + 1) for i, v in enumerate(flows)))


@guard
def IRR(values: Any, guess: Any = None) -> Any:
    flows = _flows(values)
    if not any(v > 0 for v in flows) or not any(v < 0 for v in flows):
        return NUM

    def f(r: float) -> float:
        return sum(v / (1 + r) ** i for i, v in enumerate(flows))

    def df(r: float) -> float:
        return sum(-i * v / (1 + r) ** (i + 1) for i, v in enumerate(flows))

    return _newton(f, df, _opt(guess, 0.1), 20, 1e-7, relative=True)


def _dated(values: Any, dates: Any) -> tuple[list[float], list[float]]:
    flows = [v for v in flat(values)] if is_ref(values) else [values]
    days = [v for v in flat(dates)] if is_ref(dates) else [dates]
    if len(flows) != len(days):
        raise Fail(NUM.with_reason("as many values as dates are needed"))
    out_v, out_d = [], []
    for v, d in zip(flows, days, strict=True):
        for x in (v, d):
            if type(x) is ExcelError:
                raise Fail(x)
        if not isinstance(v, float | int) or isinstance(v, bool):
            raise Fail(VALUE.with_reason("a value that is not a number"))
        if not isinstance(d, float | int) or isinstance(d, bool):
            raise Fail(VALUE.with_reason("a date that is not a number"))
        out_v.append(float(v))
        out_d.append(float(math.floor(d)))
    if any(d < out_d[0] for d in out_d[1:]):
        raise Fail(NUM.with_reason("a date before the first"))
    return out_v, out_d


@guard
def XNPV(rate: Any, values: Any, dates: Any) -> Any:
    r = arg_num(rate)
    flows, days = _dated(values, dates)
    if r <= -1:
        return NUM
    return checked(sum(v / (1 + r) ** ((d - days[0]) / 365) for v, d in zip(flows, days)))


@guard
def XIRR(values: Any, dates: Any, guess: Any = None) -> Any:
    flows, days = _dated(values, dates)
    if not any(v > 0 for v in flows) or not any(v < 0 for v in flows):
        return NUM
    years = [(d - days[0]) / 365 for d in days]

    def f(r: float) -> float:
        return sum(v / (1 + r) ** y for v, y in zip(flows, years))

    def df(r: float) -> float:
        return sum(-y * v / (1 + r) ** (y + 1) for v, y in zip(flows, years))

    return _newton(f, df, _opt(guess, 0.1), 100, 1e-8, relative=True)


@guard
def SLN(cost: Any, salvage: Any, life: Any) -> Any:
    life_ = arg_num(life)
    if life_ == 0:
        return ExcelError("#DIV/0!")
    return checked((arg_num(cost) - arg_num(salvage)) / life_)


@guard
def DB(cost: Any, salvage: Any, life: Any, period: Any, month: Any = None) -> Any:
    c, s, n, p, m = arg_num(cost), arg_num(salvage), arg_num(life), arg_num(period), _opt(month, 12)
    if c < 0 or s < 0 or n <= 0 or p <= 0 or not 1 <= m <= 12 or p > n + (m < 12) or c == 0:
        return NUM
    if p != int(p) or n != int(n):
        raise Decline("DB of a fractional life or period")
    rate = round(1 - (s / c) ** (1 / n), 3)
    total = 0.0
    dep = 0.0
    for i in range(1, int(p) + 1):
        if i == 1:
            dep = c * rate * m / 12
        elif i == int(n) + 1:
            dep = (c - total) * rate * (12 - m) / 12
        else:
            dep = (c - total) * rate
        total += dep
    return checked(dep)


@guard
def DDB(cost: Any, salvage: Any, life: Any, period: Any, factor: Any = None) -> Any:
    c, s, n, p, f = arg_num(cost), arg_num(salvage), arg_num(life), arg_num(period), _opt(factor, 2)
    if c < 0 or s < 0 or n <= 0 or p <= 0 or f <= 0 or p > n:
        return NUM
    if p != int(p):
        raise Decline("DDB of a fractional period")
    total = 0.0
    dep = 0.0
    for _ in range(int(p)):
        dep = max(0.0, min((c - total) * (f / n), c - s - total))
        total += dep
    return checked(dep)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    f.__name__: f for f in (PV, FV, PMT, NPER, RATE, NPV, IRR, XNPV, XIRR, SLN, DB, DDB)
}
#: IRR, XNPV and XIRR tell cash flows in references from typed ones.
REF_FUNCTIONS = frozenset({"IRR", "XNPV", "XIRR", "NPV"})
