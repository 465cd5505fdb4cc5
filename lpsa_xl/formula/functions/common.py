"""Helpers shared by the function modules: argument coercion, numbers from ranges, criteria."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lpsa_xl.formula.index import match_key
from lpsa_xl.formula.values import (
    Range,
    compare,
    flat,
    scalar,
    text_to_num,
    to_bool,
    to_num,
    to_text,
)
from lpsa_xl.values import VALUE, ExcelError

__all__ = ["Decline", "Environment", "Fail", "arg_num", "collect", "criterion", "wildcard"]


class Fail(Exception):
    """Raised inside a function to return an error value (caught by :func:`guard`)."""

    def __init__(self, error: ExcelError) -> None:
        self.error = error


class Decline(Exception):
    """Raised inside a function for a form whose Excel result it does not know: the engine
    declines the cell with this reason (never a guessed value)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Environment(Decline):
    """Raised for a result that depends on Excel's surroundings (the file's path, the operating
    system, the window): not computed, and the cell is reported as such, not as an error."""


def guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(*args: Any) -> Any:
        try:
            return fn(*args)
        except Fail as f:
            return f.error

    wrapped.__name__ = fn.__name__
    wrapped.__doc__ = fn.__doc__
    return wrapped


def arg_num(v: Any) -> float:
    x = to_num(scalar(v))
    if type(x) is ExcelError:
        raise Fail(x)
    return x


def arg_int(v: Any) -> int:
    return int(arg_num(v))


def arg_text(v: Any) -> str:
    s = to_text(scalar(v))
    if type(s) is ExcelError:
        raise Fail(s)
    return s


def arg_bool(v: Any) -> bool:
    b = to_bool(scalar(v))
    if type(b) is ExcelError:
        raise Fail(b)
    return b


def is_ref(v: Any) -> bool:
    return isinstance(v, (Range, list))


def collect(args: tuple[Any, ...], *, text_args: bool = True) -> list[float]:
    """The numbers SUM/AVERAGE/MIN/MAX use: numbers in references and arrays (text, logicals and
    blanks there are skipped); direct arguments coerced (``"5"`` and TRUE count); the first error
    anywhere is returned."""
    out: list[float] = []
    for a in args:
        if is_ref(a):
            for v in flat(a):
                t = type(v)
                if t is float or t is int:
                    out.append(v)
                elif t is ExcelError:
                    raise Fail(v)
        elif a is None:
            continue
        else:
            if type(a) is str and not text_args:
                continue
            x = to_num(a)
            if type(x) is ExcelError:
                raise Fail(x)
            out.append(x)
    return out


def add_up(xs: list[float]) -> float:
    """Left-to-right double addition as Excel does it (Python 3.12's ``sum`` compensates)."""
    t = 0.0
    for x in xs:
        t += x
    return t


_WILD: dict[str, re.Pattern[str]] = {}


def wildcard(pattern: str) -> re.Pattern[str]:
    """Excel's ``*``, ``?`` and ``~`` wildcards as a case-insensitive regular expression."""
    rx = _WILD.get(pattern)
    if rx is None:
        parts = []
        i = 0
        while i < len(pattern):
            ch = pattern[i]
            if ch == "~" and i + 1 < len(pattern):
                parts.append(re.escape(pattern[i + 1]))
                i += 2
                continue
            parts.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
            i += 1
        rx = re.compile("".join(parts), re.IGNORECASE | re.DOTALL)
        _WILD[pattern] = rx
    return rx


def has_wild(s: str) -> bool:
    return "*" in s or "?" in s or "~" in s


_OPS = ("<=", ">=", "<>", "=", "<", ">")


def criterion(c: Any) -> Callable[[Any], bool]:
    """The cell test of a SUMIF/COUNTIF criterion: ``5``, ``">=5"``, ``"<>x"``, ``"a*"``, ``""``."""
    c = scalar(c)
    if type(c) is ExcelError:
        return lambda v: type(v) is ExcelError and v == c
    if type(c) is bool:
        return lambda v: type(v) is bool and v == c
    if type(c) in (float, int):
        x = float(c)
        return lambda v: (
            (type(v) in (float, int) and v == x) or (type(v) is str and text_to_num(v) == x)
        )
    if c is None:
        c = ""
    s = str(c)
    op = "="
    for o in _OPS:
        if s.startswith(o):
            op, s = o, s[len(o) :]
            break
    if s == "" and op in ("=", "<>"):
        if op == "=":
            return lambda v: v is None or v == ""
        return lambda v: not (v is None or v == "")
    num = text_to_num(s)
    if num is not None:
        rhs: Any = num
    elif s.upper() in ("TRUE", "FALSE"):
        rhs = s.upper() == "TRUE"
    elif s.startswith("#") and s.upper() in _ERROR_CODES:
        rhs = ExcelError(s.upper())
    else:
        rhs = s
    if op == "=" and not (type(rhs) is str and has_wild(rhs)):
        pred = _equal(rhs)
        pred.eq_key = match_key(rhs)  # type: ignore[attr-defined]
        return pred
    if type(rhs) is str and op in ("=", "<>") and has_wild(rhs):
        rx = wildcard(rhs)
        if op == "=":
            return lambda v: type(v) is str and rx.fullmatch(v) is not None
        return lambda v: not (type(v) is str and rx.fullmatch(v) is not None)

    def same_kind(v: Any) -> bool:
        if type(rhs) is float:
            return type(v) in (float, int)
        return type(v) is type(rhs)

    tests: dict[str, Callable[[int], bool]] = {
        "=": lambda r: r == 0,
        "<>": lambda r: r != 0,
        "<": lambda r: r < 0,
        ">": lambda r: r > 0,
        "<=": lambda r: r <= 0,
        ">=": lambda r: r >= 0,
    }
    test = tests[op]
    if op == "<>":
        return lambda v: not same_kind(v) or compare(v, rhs) != 0
    if op == "=" and type(rhs) is float:
        return lambda v: (same_kind(v) and v == rhs) or (type(v) is str and text_to_num(v) == rhs)
    return lambda v: same_kind(v) and test(compare(v, rhs))


def _equal(rhs: Any) -> Callable[[Any], bool]:
    if type(rhs) is float:
        return lambda v: (
            (type(v) in (float, int) and v == rhs) or (type(v) is str and text_to_num(v) == rhs)
        )
    if type(rhs) is str:
        low = rhs.lower()
        return lambda v: type(v) is str and v.lower() == low
    return lambda v: type(v) is type(rhs) and v == rhs


_ERROR_CODES = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}


def grid(v: Any) -> list[list[Any]]:
    if isinstance(v, Range):
        return v.rows()
    if type(v) is list:
        return v
    return [[v]]


def need(cond: bool, why: str) -> None:
    if not cond:
        raise Fail(VALUE.with_reason(why))
