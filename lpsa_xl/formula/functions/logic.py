"""Logical and information functions: AND, OR, XOR, NOT, TRUE, FALSE, the IS* family, N, NA.
(IF, IFS, IFERROR, IFNA, CHOOSE and SWITCH are compiled inline: see :mod:`..compiler`.)"""

from __future__ import annotations

from typing import Any

from lpsa_xl.formula.functions.common import Fail, arg_bool, guard, is_ref
from lpsa_xl.formula.values import Range, flat, scalar, to_bool
from lpsa_xl.values import NA, VALUE, ExcelError

__all__ = ["FUNCTIONS", "REF_FUNCTIONS"]


def _logicals(args: tuple[Any, ...]) -> list[bool]:
    out: list[bool] = []
    for a in args:
        if is_ref(a):
            for v in flat(a):
                t = type(v)
                if t is bool:
                    out.append(v)
                elif t is float or t is int:
                    out.append(v != 0)
                elif t is ExcelError:
                    raise Fail(v)
        elif a is not None:
            b = to_bool(a)
            if type(b) is ExcelError:
                raise Fail(b)
            out.append(b)
    if not out:
        raise Fail(VALUE.with_reason("no logical values"))
    return out


@guard
def AND(*args: Any) -> Any:
    return all(_logicals(args))


@guard
def OR(*args: Any) -> Any:
    return any(_logicals(args))


@guard
def XOR(*args: Any) -> Any:
    return sum(_logicals(args)) % 2 == 1


@guard
def NOT(x: Any) -> Any:
    return not arg_bool(x)


def TRUE() -> Any:
    return True


def FALSE() -> Any:
    return False


def _value(x: Any) -> Any:
    return scalar(x) if isinstance(x, (Range, list)) else x


def ISERROR(x: Any) -> Any:
    return type(_value(x)) is ExcelError


def ISERR(x: Any) -> Any:
    v = _value(x)
    return type(v) is ExcelError and v != NA


def ISNA(x: Any) -> Any:
    v = _value(x)
    return type(v) is ExcelError and v == NA


def ISNUMBER(x: Any) -> Any:
    return type(_value(x)) in (float, int)


def ISTEXT(x: Any) -> Any:
    return type(_value(x)) is str


def ISNONTEXT(x: Any) -> Any:
    return type(_value(x)) is not str


def ISLOGICAL(x: Any) -> Any:
    return type(_value(x)) is bool


def ISBLANK(x: Any) -> Any:
    return _value(x) is None


def ISREF(x: Any) -> Any:
    return isinstance(x, Range)


def N(x: Any) -> Any:
    v = _value(x)
    t = type(v)
    if t is float or t is int:
        return float(v)
    if t is bool:
        return 1.0 if v else 0.0
    if t is ExcelError:
        return v
    return 0.0


def NA_() -> Any:
    return NA


NA_.__name__ = "NA"

FUNCTIONS = {
    f.__name__: f
    for f in (
        AND,
        OR,
        XOR,
        NOT,
        TRUE,
        FALSE,
        ISERROR,
        ISERR,
        ISNA,
        ISNUMBER,
        ISTEXT,
        ISNONTEXT,
        ISLOGICAL,
        ISBLANK,
        ISREF,
        N,
        NA_,
    )
}
REF_FUNCTIONS = {"AND", "OR", "XOR", "ISREF", "N"}
