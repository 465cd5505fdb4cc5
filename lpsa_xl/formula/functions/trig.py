"""Trigonometry and the rest of the maths family Excel workbooks use: SIN, COS, TAN, ASIN, ACOS,
ATAN, ATAN2, SINH, COSH, TANH, ASINH, ACOSH, ATANH, RADIANS, DEGREES, LOG, SQRTPI, FACT, GCD, LCM,
EVEN, ODD, MROUND, QUOTIENT, CHAR, CODE.

Binary double as Excel computes; results that are not finite are ``#NUM!``, arguments outside a
function's domain ``#NUM!`` (``#DIV/0!`` for ATAN2(0, 0), as Excel gives). Excel's trigonometry
takes arguments up to 2^27 (134,217,728) and gives ``#NUM!`` beyond. CHAR and CODE are computed for
the ASCII range (1-127); above it the character depends on the computer's code page (Windows-1252
on Windows, Mac Roman on a Mac), so the cell is named as depending on Excel's surroundings.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from lpsa_xl.formula.functions.common import (
    Environment,
    Fail,
    arg_num,
    arg_text,
    collect,
    guard,
)
from lpsa_xl.formula.values import checked
from lpsa_xl.values import DIV0, NUM, VALUE

__all__ = ["FUNCTIONS", "REF_FUNCTIONS"]

_TRIG_LIMIT = 2.0**27


def _unary(name: str, fn: Callable[[float], float], ok: Callable[[float], bool] | None = None,
           limit: float | None = None) -> Callable[[Any], Any]:  # fmt: skip
    @guard
    def f(x: Any) -> Any:
        v = arg_num(x)
        if limit is not None and abs(v) >= limit:
            return NUM.with_reason(f"{name} of a number beyond 2^27")
        if ok is not None and not ok(v):
            return NUM.with_reason(f"{name} of {v} is outside its domain")
        try:
            return checked(fn(v))
        except (OverflowError, ValueError):
            return NUM.with_reason(f"{name} of {v} is outside Excel's range")

    f.__name__ = name
    f.__doc__ = f"Excel's {name}."
    return f


SIN = _unary("SIN", math.sin, limit=_TRIG_LIMIT)
COS = _unary("COS", math.cos, limit=_TRIG_LIMIT)
TAN = _unary("TAN", math.tan, limit=_TRIG_LIMIT)
ASIN = _unary("ASIN", math.asin, lambda v: -1 <= v <= 1)
ACOS = _unary("ACOS", math.acos, lambda v: -1 <= v <= 1)
ATAN = _unary("ATAN", math.atan)
SINH = _unary("SINH", math.sinh)
COSH = _unary("COSH", math.cosh)
TANH = _unary("TANH", math.tanh)
ASINH = _unary("ASINH", math.asinh)
ACOSH = _unary("ACOSH", math.acosh, lambda v: v >= 1)
ATANH = _unary("ATANH", math.atanh, lambda v: -1 < v < 1)
RADIANS = _unary("RADIANS", lambda v: v * math.pi / 180)
DEGREES = _unary("DEGREES", lambda v: v * 180 / math.pi)
SQRTPI = _unary("SQRTPI", lambda v: math.sqrt(v * math.pi), lambda v: v >= 0)


@guard
def ATAN2(x: Any, y: Any) -> Any:
    """ATAN2(x_num, y_num): the angle of the point (x, y); note Excel's argument order."""
    a, b = arg_num(x), arg_num(y)
    if a == 0 and b == 0:
        return DIV0.with_reason("ATAN2 of the origin")
    return math.atan2(b, a)


@guard
def LOG(x: Any, base: Any = 10.0) -> Any:
    v, b = arg_num(x), arg_num(base)
    if v <= 0 or b <= 0:
        return NUM.with_reason("LOG of a number not above 0")
    if b == 1:
        return DIV0.with_reason("LOG to base 1")
    return checked(math.log(v) / math.log(b))


@guard
def FACT(x: Any) -> Any:
    v = arg_num(x)
    if v < 0:
        return NUM.with_reason("FACT of a negative number")
    if v > 170:
        return NUM.with_reason("FACT beyond Excel's range")
    return float(math.factorial(int(v)))


def _integers(args: tuple[Any, ...], name: str) -> list[int]:
    xs = collect(args)
    if any(x < 0 for x in xs):
        raise Fail(NUM.with_reason(f"{name} of a negative number"))
    return [int(x) for x in xs]


@guard
def GCD(*args: Any) -> Any:
    return float(math.gcd(*_integers(args, "GCD")))


@guard
def LCM(*args: Any) -> Any:
    xs = _integers(args, "LCM")
    return 0.0 if 0 in xs else checked(float(math.lcm(*xs)))


@guard
def EVEN(x: Any) -> Any:
    v = arg_num(x)
    n = math.ceil(abs(v) / 2) * 2
    return float(math.copysign(n, v)) if v else 0.0


@guard
def ODD(x: Any) -> Any:
    v = arg_num(x)
    n = math.ceil(abs(v))
    n = n if n % 2 == 1 else n + 1
    return float(math.copysign(n, v)) if v else 1.0


@guard
def QUOTIENT(a: Any, b: Any) -> Any:
    x, y = arg_num(a), arg_num(b)
    if y == 0:
        return DIV0.with_reason("QUOTIENT by 0")
    return float(math.trunc(x / y))


@guard
def MROUND(x: Any, multiple: Any) -> Any:
    from decimal import ROUND_HALF_UP, Decimal

    v, m = arg_num(x), arg_num(multiple)
    if m == 0:
        return 0.0
    if (v > 0 > m) or (v < 0 < m):
        return NUM.with_reason("MROUND of a number and a multiple of different signs")
    q = (Decimal(repr(v)) / Decimal(repr(m))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return float(q * Decimal(repr(m)))


@guard
def CHAR(x: Any) -> Any:
    n = int(arg_num(x))
    if not 1 <= n <= 255:
        return VALUE.with_reason("CHAR of a number outside 1-255")
    if n > 127:
        raise Environment("CHAR above 127 depends on the computer's code page")
    return chr(n)


@guard
def CODE(t: Any) -> Any:
    s = arg_text(t)
    if s == "":
        return VALUE.with_reason("CODE of empty text")
    if ord(s[0]) > 127:
        raise Environment("CODE of a character outside ASCII depends on the computer's code page")
    return float(ord(s[0]))


FUNCTIONS = {
    f.__name__: f
    for f in (SIN, COS, TAN, ASIN, ACOS, ATAN, ATAN2, SINH, COSH, TANH, ASINH, ACOSH, ATANH,
              RADIANS, DEGREES, SQRTPI, LOG, FACT, GCD, LCM, EVEN, ODD, QUOTIENT, MROUND, CHAR,
              CODE)
}  # fmt: skip
REF_FUNCTIONS = {"GCD", "LCM"}
