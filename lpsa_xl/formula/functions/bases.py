"""Base conversions: DEC2BIN, DEC2OCT, DEC2HEX, BIN2DEC, OCT2DEC, HEX2DEC, the six conversions
between binary, octal and hexadecimal, BASE and DECIMAL.

As Excel: the engineering conversions hold 10 digits, negative numbers in two's complement (10
bits binary, 30 octal, 40 hexadecimal), so DEC2HEX(-54) is FFFFFFFFCA; ``places`` pads with
zeros, is ignored for a negative number, and is ``#NUM!`` when too small, negative or above 10.
A number argument given as a number (BIN2DEC(1100100)) is read as its digits.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from lpsa_xl.formula.functions.common import Fail, arg_num, guard
from lpsa_xl.formula.values import scalar, to_text
from lpsa_xl.values import NUM, VALUE, ExcelError

__all__ = ["FUNCTIONS", "REF_FUNCTIONS"]

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_BITS = {2: 10, 8: 30, 16: 40}


def _digits(n: int, radix: int) -> str:
    if n == 0:
        return "0"
    out = []
    while n:
        n, d = divmod(n, radix)
        out.append(_DIGITS[d])
    return "".join(reversed(out))


def _from_decimal(n: float, radix: int, places: Any) -> str:
    bits = _BITS[radix]
    half = 2 ** (bits - 1)
    v = math.trunc(n)
    if not -half <= v < half:
        raise Fail(NUM.with_reason(f"{n} is outside the range of a 10-digit base-{radix} number"))
    if v < 0:
        return _digits(v + 2**bits, radix)
    s = _digits(v, radix)
    if places is not None:
        p = arg_num(places)
        if p < 0 or p > 10:
            raise Fail(NUM.with_reason("places must be 0 to 10"))
        p = int(p)
        if len(s) > p:
            raise Fail(NUM.with_reason(f"{s} needs more than {p} characters"))
        s = s.rjust(p, "0")
    return s


def _text_arg(v: Any) -> str:
    x = scalar(v)
    if type(x) is ExcelError:
        raise Fail(x)
    if type(x) is bool:
        raise Fail(VALUE.with_reason("a logical is not a number"))
    t = to_text(x)
    assert isinstance(t, str)
    return t.strip() if type(x) is not str else t


def _to_decimal(v: Any, radix: int) -> float:
    s = _text_arg(v).upper()
    if len(s) > 10:
        raise Fail(NUM.with_reason("more than 10 digits"))
    if s == "":
        return 0.0
    if any(ch not in _DIGITS[:radix] for ch in s):
        raise Fail(NUM.with_reason(f"{s!r} is not a base-{radix} number"))
    n = int(s, radix)
    bits = _BITS[radix]
    if len(s) == 10 and n >= 2 ** (bits - 1):
        n -= 2**bits
    return float(n)


def _dec_to(radix: int, name: str) -> Callable[..., Any]:
    @guard
    def f(number: Any, places: Any = None) -> Any:
        return _from_decimal(arg_num(number), radix, places)

    f.__name__ = name
    f.__doc__ = f"Excel's {name}."
    return f


def _to_dec(radix: int, name: str) -> Callable[..., Any]:
    @guard
    def f(number: Any) -> Any:
        return _to_decimal(number, radix)

    f.__name__ = name
    f.__doc__ = f"Excel's {name}."
    return f


def _between(src: int, dst: int, name: str) -> Callable[..., Any]:
    @guard
    def f(number: Any, places: Any = None) -> Any:
        return _from_decimal(_to_decimal(number, src), dst, places)

    f.__name__ = name
    f.__doc__ = f"Excel's {name}."
    return f


@guard
def BASE(number: Any, radix: Any, min_length: Any = None) -> Any:
    n, r = arg_num(number), arg_num(radix)
    if not 0 <= n < 2**53:
        return NUM.with_reason("BASE of a number outside 0 to 2^53")
    if not 2 <= r <= 36:
        return NUM.with_reason("BASE radix outside 2-36")
    s = _digits(int(n), int(r))
    if min_length is not None:
        m = arg_num(min_length)
        if not 0 <= m <= 255:
            return NUM.with_reason("BASE min_length outside 0-255")
        s = s.rjust(int(m), "0")
    return s


@guard
def DECIMAL(text: Any, radix: Any) -> Any:
    s, r = _text_arg(text).upper(), arg_num(radix)
    if not 2 <= r <= 36:
        return NUM.with_reason("DECIMAL radix outside 2-36")
    if len(s) > 255:
        return VALUE.with_reason("DECIMAL of text longer than 255 characters")
    r = int(r)
    if s == "" or any(ch not in _DIGITS[:r] for ch in s):
        return NUM.with_reason(f"{s!r} is not a base-{r} number")
    n = int(s, r)
    return NUM.with_reason("DECIMAL beyond Excel's range") if n >= 2**53 else float(n)


_NAMES = {2: "BIN", 8: "OCT", 16: "HEX"}
FUNCTIONS: dict[str, Callable[..., Any]] = {"BASE": BASE, "DECIMAL": DECIMAL}
for _r, _n in _NAMES.items():
    FUNCTIONS[f"DEC2{_n}"] = _dec_to(_r, f"DEC2{_n}")
    FUNCTIONS[f"{_n}2DEC"] = _to_dec(_r, f"{_n}2DEC")
    for _r2, _n2 in _NAMES.items():
        if _r2 != _r:
            FUNCTIONS[f"{_n}2{_n2}"] = _between(_r, _r2, f"{_n}2{_n2}")
REF_FUNCTIONS: set[str] = set()
