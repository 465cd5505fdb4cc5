"""What the generated code of :mod:`lpsa_xl.formula.compiler` calls at run time besides the
standard functions: the lazy forms of IF, IFERROR, IFNA, IFS, CHOOSE and SWITCH (only the
branch taken is evaluated, as in Excel, so an error in the other branch never shows), and the
binding of a handed-in function (an ``LPSA_*`` function of the registry) as a formula function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lpsa_xl.formula.values import Range, scalar, to_bool
from lpsa_xl.values import ERRORS, VALUE, ExcelError

__all__ = [
    "bind_function",
    "lazy_choose",
    "lazy_if",
    "lazy_iferror",
    "lazy_ifna",
    "lazy_ifs",
    "lazy_switch",
]


def lazy_if(c: Any, yes: Callable[[], Any], no: Callable[[], Any] | None) -> Any:
    t = to_bool(scalar(c))
    if type(t) is ExcelError:
        return t
    if t:
        return yes()
    return no() if no is not None else False


def lazy_iferror(v: Any, alt: Callable[[], Any]) -> Any:
    v = scalar(v) if isinstance(v, Range) else v
    if type(v) is list:
        return [[alt() if type(x) is ExcelError else x for x in row] for row in v]
    return alt() if type(v) is ExcelError else v


def lazy_ifna(v: Any, alt: Callable[[], Any]) -> Any:
    v = scalar(v) if isinstance(v, Range) else v
    return alt() if type(v) is ExcelError and v == "#N/A" else v


def lazy_ifs(*pairs: Callable[[], Any]) -> Any:
    for i in range(0, len(pairs) - 1, 2):
        t = to_bool(scalar(pairs[i]()))
        if type(t) is ExcelError:
            return t
        if t:
            return pairs[i + 1]()
    return ERRORS["#N/A"]


def lazy_choose(i: Any, *options: Callable[[], Any]) -> Any:
    from lpsa_xl.formula.values import to_num

    n = to_num(scalar(i))
    if type(n) is ExcelError:
        return n
    k = int(n)
    if not 1 <= k <= len(options):
        return VALUE.with_reason("CHOOSE index out of range")
    return options[k - 1]()


def lazy_switch(v: Any, *rest: Callable[[], Any]) -> Any:
    from lpsa_xl.formula.values import compare

    v = scalar(v)
    if type(v) is ExcelError:
        return v
    pairs = len(rest) // 2
    for i in range(pairs):
        c = scalar(rest[2 * i]())
        if type(c) is not ExcelError and compare(v, c) == 0:
            return rest[2 * i + 1]()
    return rest[-1]() if len(rest) % 2 else ERRORS["#N/A"]


def bind_function(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    """Bind a registry function: ranges arrive as 2-D lists, results come back as Excel values,
    and an exception inside becomes ``#VALUE!`` carrying its message (never a crash)."""

    def call(*args: Any) -> Any:
        vals = []
        for a in args:
            if isinstance(a, Range):
                a = a.at(0, 0) if a.shape == (1, 1) else a.rows()
            vals.append(a)
        try:
            out = fn(*vals)
        except Exception as e:  # a bug in a bound function must not stop the recalculation
            return VALUE.with_reason(f"{name}: {e}")
        if type(out) is int:
            return float(out)
        if out is not None and not isinstance(out, (float, str, bool, list)):
            try:
                return float(out)
            except (TypeError, ValueError):
                return VALUE.with_reason(f"{name} returned {type(out).__name__}")
        return out

    return call
