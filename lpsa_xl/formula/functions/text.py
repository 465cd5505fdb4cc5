"""Text functions: CONCATENATE, CONCAT, TEXTJOIN, TEXT, VALUE, LEFT, RIGHT, MID, LEN, UPPER,
LOWER, PROPER, TRIM, SUBSTITUTE, REPT, FIND, SEARCH, EXACT."""

from __future__ import annotations

import re
from typing import Any

from lpsa_xl.formula.functions.common import (
    Decline,
    Fail,
    arg_bool,
    arg_int,
    arg_num,
    arg_text,
    guard,
    is_ref,
    wildcard,
)
from lpsa_xl.formula.functions.numfmt import DateOutOfRange, format_value, unsupported
from lpsa_xl.formula.values import MAX_TEXT, flat, scalar, text_to_num, to_text
from lpsa_xl.values import VALUE, ExcelError

__all__ = ["FUNCTIONS", "REF_FUNCTIONS"]


@guard
def CONCATENATE(*args: Any) -> Any:
    return "".join(arg_text(a) for a in args)


def _texts(a: Any) -> list[str]:
    out = []
    for v in flat(a) if is_ref(a) else [a]:
        s = to_text(v)
        if type(s) is ExcelError:
            raise Fail(s)
        out.append(s)
    return out


@guard
def CONCAT(*args: Any) -> Any:
    return "".join(s for a in args for s in _texts(a))


@guard
def TEXTJOIN(delim: Any, ignore_empty: Any, *args: Any) -> Any:
    d, skip = arg_text(delim), arg_bool(ignore_empty)
    parts = [s for a in args for s in _texts(a)]
    return d.join(s for s in parts if s or not skip)


@guard
def TEXT(v: Any, fmt: Any, date_offset: int = 0) -> Any:
    x = scalar(v)
    if type(x) is ExcelError:
        return x
    f = arg_text(fmt)
    if x is None:
        x = 0.0
    if type(x) is bool:
        return "TRUE" if x else "FALSE"
    if type(x) is str:
        n = text_to_num(x)
        if n is None:
            return format_value(x, f)
        x = n
    why = unsupported(f, float(x))
    if why is not None:
        raise Decline(why)
    try:
        return format_value(float(x), f, date_offset)
    except DateOutOfRange:
        return VALUE.with_reason("TEXT: not a date Excel can show")


@guard
def VALUE_(v: Any) -> Any:
    x = scalar(v)
    if type(x) in (float, int):
        return float(x)
    if type(x) is ExcelError:
        return x
    if x is None:
        return 0.0
    if type(x) is bool:
        return VALUE
    n = text_to_num(str(x))
    return VALUE.with_reason(f"{x!r} is not a number") if n is None else n


VALUE_.__name__ = "VALUE"


@guard
def LEFT(t: Any, n: Any = 1.0) -> Any:
    k = arg_int(n)
    if k < 0:
        return VALUE
    return arg_text(t)[:k]


@guard
def RIGHT(t: Any, n: Any = 1.0) -> Any:
    k = arg_int(n)
    if k < 0:
        return VALUE
    s = arg_text(t)
    return s[max(0, len(s) - k) :] if k else ""


@guard
def MID(t: Any, start: Any, n: Any) -> Any:
    s, i, k = arg_text(t), arg_int(start), arg_int(n)
    if i < 1 or k < 0:
        return VALUE
    return s[i - 1 : i - 1 + k]


@guard
def LEN(t: Any) -> Any:
    return float(len(arg_text(t)))


@guard
def UPPER(t: Any) -> Any:
    return arg_text(t).upper()


@guard
def LOWER(t: Any) -> Any:
    return arg_text(t).lower()


@guard
def PROPER(t: Any) -> Any:
    return re.sub(r"[A-Za-z]+", lambda m: m.group(0).capitalize(), arg_text(t))


@guard
def TRIM(t: Any) -> Any:
    return " ".join(s for s in arg_text(t).split(" ") if s)


@guard
def SUBSTITUTE(t: Any, old: Any, new: Any, nth: Any = None) -> Any:
    s, o, n = arg_text(t), arg_text(old), arg_text(new)
    if not o:
        return s
    if nth is None:
        return s.replace(o, n)
    k = arg_int(nth)
    if k < 1:
        return VALUE
    pos = -1
    for _ in range(k):
        pos = s.find(o, pos + 1)
        if pos < 0:
            return s
    return s[:pos] + n + s[pos + len(o) :]


@guard
def REPT(t: Any, n: Any) -> Any:
    k, s = arg_int(n), arg_text(t)
    if k < 0 or len(s) * k > MAX_TEXT:  # Excel's limit for a cell's text
        return VALUE
    return s * k


@guard
def FIND(needle: Any, hay: Any, start: Any = 1.0) -> Any:
    n, h, i = arg_text(needle), arg_text(hay), arg_int(start)
    if i < 1 or i > len(h) + 1:
        return VALUE
    pos = h.find(n, i - 1)
    return VALUE.with_reason("text not found") if pos < 0 else float(pos + 1)


@guard
def SEARCH(needle: Any, hay: Any, start: Any = 1.0) -> Any:
    n, h, i = arg_text(needle), arg_text(hay), arg_int(start)
    if i < 1 or i > len(h) + 1:
        return VALUE
    m = wildcard(n).search(h, i - 1)
    return VALUE.with_reason("text not found") if m is None else float(m.start() + 1)


@guard
def EXACT(a: Any, b: Any) -> Any:
    return arg_text(a) == arg_text(b)


@guard
def FIXED(x: Any, decimals: Any = 2.0, no_commas: Any = False) -> Any:
    d = arg_int(decimals)
    if d > 127:  # Excel's limit
        return VALUE
    fmt = ("0" if arg_bool(no_commas) else "#,##0") + ("." + "0" * d if d > 0 else "")
    return format_value(arg_num(x), fmt)


FUNCTIONS = {
    f.__name__: f
    for f in (
        CONCATENATE,
        CONCAT,
        TEXTJOIN,
        TEXT,
        VALUE_,
        LEFT,
        RIGHT,
        MID,
        LEN,
        UPPER,
        LOWER,
        PROPER,
        TRIM,
        SUBSTITUTE,
        REPT,
        FIND,
        SEARCH,
        EXACT,
        FIXED,
    )
}
REF_FUNCTIONS = {"CONCAT", "TEXTJOIN"}
