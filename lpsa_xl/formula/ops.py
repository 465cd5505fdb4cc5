"""Excel's operators on values, element by element over arrays (``(A1:A5>2)*B1:B5``)."""

from __future__ import annotations

from typing import Any

from lpsa_xl.formula.values import Range, checked, compare, to_num, to_text
from lpsa_xl.values import DIV0, NUM, ExcelError

__all__ = ["OPS", "neg", "pct"]


def _add(a: float, b: float) -> Any:
    return checked(a + b)


def _sub(a: float, b: float) -> Any:
    return checked(a - b)


def _mul(a: float, b: float) -> Any:
    return checked(a * b)


def _div(a: float, b: float) -> Any:
    if b == 0:
        return DIV0.with_reason("division by zero")
    return checked(a / b)


def _pow(a: float, b: float) -> Any:
    if a == 0 and b <= 0:
        return NUM if b == 0 else DIV0
    if a < 0 and b != int(b):
        return NUM.with_reason("a negative number to a fractional power")
    try:
        return checked(float(a**b))
    except OverflowError:
        return NUM.with_reason("the result is too large")


def _arith(fn: Any) -> Any:
    def op(a: Any, b: Any) -> Any:
        a = to_num(a)
        if type(a) is ExcelError:
            return a
        b = to_num(b)
        if type(b) is ExcelError:
            return b
        return fn(a, b)

    return op


def _concat(a: Any, b: Any) -> Any:
    a = to_text(a)
    if type(a) is ExcelError:
        return a
    b = to_text(b)
    if type(b) is ExcelError:
        return b
    return a + b


def _cmp(test: Any) -> Any:
    def op(a: Any, b: Any) -> Any:
        r = compare(a, b)
        if type(r) is ExcelError:
            return r
        return test(r)

    return op


_SCALAR = {
    "+": _arith(_add),
    "-": _arith(_sub),
    "*": _arith(_mul),
    "/": _arith(_div),
    "^": _arith(_pow),
    "&": _concat,
    "=": _cmp(lambda r: r == 0),
    "<>": _cmp(lambda r: r != 0),
    "<": _cmp(lambda r: r < 0),
    ">": _cmp(lambda r: r > 0),
    "<=": _cmp(lambda r: r <= 0),
    ">=": _cmp(lambda r: r >= 0),
}


def _grid(v: Any) -> Any:
    return v.rows() if isinstance(v, Range) else v


def _broadcast(fn: Any) -> Any:
    """Apply a scalar operator element-wise when either side is an array, as Excel does
    (a 1-wide side is stretched; cells outside the smaller array are ``#N/A``)."""

    def op(a: Any, b: Any) -> Any:
        if (
            type(a) is not list
            and type(b) is not list
            and not isinstance(a, Range)
            and not isinstance(b, Range)
        ):
            return fn(a, b)
        a, b = _grid(a), _grid(b)
        if type(a) is not list:
            return [[fn(a, y) for y in row] for row in b]
        if type(b) is not list:
            return [[fn(x, b) for x in row] for row in a]
        ra, ca, rb, cb = len(a), len(a[0]), len(b), len(b[0])
        rows, cols = max(ra, rb), max(ca, cb)
        from lpsa_xl.values import NA

        def get(g: list[list[Any]], r: int, c: int, nr: int, nc: int) -> Any:
            if nr == 1:
                r = 0
            if nc == 1:
                c = 0
            return g[r][c] if r < nr and c < nc else NA

        return [
            [fn(get(a, i, j, ra, ca), get(b, i, j, rb, cb)) for j in range(cols)]
            for i in range(rows)
        ]

    return op


OPS = {k: _broadcast(f) for k, f in _SCALAR.items()}


def neg(a: Any) -> Any:
    if type(a) is list or isinstance(a, Range):
        return [[neg(x) for x in row] for row in _grid(a)]
    a = to_num(a)
    return a if type(a) is ExcelError else -a


def pct(a: Any) -> Any:
    if type(a) is list or isinstance(a, Range):
        return [[pct(x) for x in row] for row in _grid(a)]
    a = to_num(a)
    return a if type(a) is ExcelError else a / 100


def plus(a: Any) -> Any:
    return a
