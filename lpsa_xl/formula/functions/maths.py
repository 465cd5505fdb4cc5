"""Arithmetic functions: SUM, SUMPRODUCT, PRODUCT, ROUND family, INT, ABS, MOD, SQRT, POWER...

ROUND, ROUNDUP and ROUNDDOWN work on the decimal value Excel displays (the float's shortest
repr), so ``ROUND(2.675, 2)`` is 2.68 as in Excel, not 2.67 as binary rounding would give.
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from typing import Any

from lpsa_xl.formula.functions.common import add_up, arg_int, arg_num, collect, grid, guard
from lpsa_xl.formula.values import checked
from lpsa_xl.values import DIV0, NUM, VALUE, ExcelError

__all__ = ["FUNCTIONS", "REF_FUNCTIONS"]


@guard
def SUM(*args: Any) -> Any:
    return checked(add_up(collect(args)))


@guard
def PRODUCT(*args: Any) -> Any:
    return checked(math.prod(collect(args)))


@guard
def SUMPRODUCT(*args: Any) -> Any:
    grids = [grid(a) for a in args]
    shape = (len(grids[0]), len(grids[0][0]) if grids[0] else 0)
    for g in grids:
        if (len(g), len(g[0]) if g else 0) != shape:
            return VALUE.with_reason("SUMPRODUCT arrays of different sizes")
    total = 0.0
    for i in range(shape[0]):
        for j in range(shape[1]):
            p = 1.0
            for g in grids:
                v = g[i][j]
                t = type(v)
                if t is ExcelError:
                    return v
                p *= v if (t is float or t is int) else 0.0
            total += p
    return checked(total)


def _round(x: float, digits: int, mode: str) -> Any:
    try:
        d = Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=mode)
    except InvalidOperation:
        return x
    return float(d)


@guard
def ROUND(x: Any, digits: Any = 0.0) -> Any:
    return _round(arg_num(x), arg_int(digits), ROUND_HALF_UP)


@guard
def ROUNDUP(x: Any, digits: Any = 0.0) -> Any:
    return _round(arg_num(x), arg_int(digits), ROUND_UP)


@guard
def ROUNDDOWN(x: Any, digits: Any = 0.0) -> Any:
    return _round(arg_num(x), arg_int(digits), ROUND_DOWN)


@guard
def TRUNC(x: Any, digits: Any = 0.0) -> Any:
    return _round(arg_num(x), arg_int(digits), ROUND_DOWN)


@guard
def INT(x: Any) -> Any:
    return float(math.floor(arg_num(x)))


@guard
def ABS(x: Any) -> Any:
    return abs(arg_num(x))


@guard
def SIGN(x: Any) -> Any:
    v = arg_num(x)
    return 1.0 if v > 0 else (-1.0 if v < 0 else 0.0)


@guard
def MOD(a: Any, b: Any) -> Any:
    x, y = arg_num(a), arg_num(b)
    if y == 0:
        return DIV0.with_reason("MOD by zero")
    return checked(x - y * math.floor(x / y))


@guard
def SQRT(x: Any) -> Any:
    v = arg_num(x)
    return NUM.with_reason("SQRT of a negative number") if v < 0 else math.sqrt(v)


@guard
def POWER(a: Any, b: Any) -> Any:
    from lpsa_xl.formula.ops import OPS

    return OPS["^"](arg_num(a), arg_num(b))


@guard
def EXP(x: Any) -> Any:
    try:
        return checked(math.exp(arg_num(x)))
    except OverflowError:
        return NUM


@guard
def LN(x: Any) -> Any:
    v = arg_num(x)
    return NUM if v <= 0 else math.log(v)


@guard
def LOG10(x: Any) -> Any:
    v = arg_num(x)
    return NUM if v <= 0 else math.log10(v)


@guard
def PI() -> Any:
    return math.pi


@guard
def CEILING(x: Any, sig: Any = 1.0) -> Any:
    v, s = arg_num(x), arg_num(sig)
    if s == 0:
        return 0.0
    if v > 0 and s < 0:
        return NUM
    return float(Decimal(repr(v / s)).to_integral_value(ROUND_UP if v < 0 else "ROUND_CEILING")) * s


@guard
def FLOOR(x: Any, sig: Any = 1.0) -> Any:
    v, s = arg_num(x), arg_num(sig)
    if s == 0:
        return DIV0
    if v > 0 and s < 0:
        return NUM
    return float(Decimal(repr(v / s)).to_integral_value(ROUND_DOWN if v < 0 else "ROUND_FLOOR")) * s


@guard
def SUMSQ(*args: Any) -> Any:
    return checked(add_up([x * x for x in collect(args)]))


FUNCTIONS = {
    f.__name__: f
    for f in (
        SUM,
        PRODUCT,
        SUMPRODUCT,
        ROUND,
        ROUNDUP,
        ROUNDDOWN,
        TRUNC,
        INT,
        ABS,
        SIGN,
        MOD,
        SQRT,
        POWER,
        EXP,
        LN,
        LOG10,
        PI,
        CEILING,
        FLOOR,
        SUMSQ,
    )
}
REF_FUNCTIONS = {"SUM", "PRODUCT", "SUMPRODUCT", "SUMSQ"}
