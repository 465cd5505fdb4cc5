"""Counting and statistics: COUNT, COUNTA, COUNTBLANK, AVERAGE, MIN, MAX, MEDIAN, LARGE, SMALL,
and the conditional family SUMIF(S), COUNTIF(S), AVERAGEIF(S)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from lpsa_xl.formula.functions.common import (
    Fail,
    add_up,
    arg_int,
    collect,
    criterion,
    grid,
    guard,
    is_ref,
)
from lpsa_xl.formula.values import Range, checked, flat, text_to_num
from lpsa_xl.values import DIV0, NUM, VALUE, ExcelError

__all__ = ["FUNCTIONS", "REF_FUNCTIONS"]


@guard
def COUNT(*args: Any) -> Any:
    n = 0
    for a in args:
        if is_ref(a):
            n += sum(1 for v in flat(a) if type(v) in (float, int))
        elif type(a) in (float, int, bool) or (type(a) is str and text_to_num(a) is not None):
            n += 1
    return float(n)


@guard
def COUNTA(*args: Any) -> Any:
    n = 0
    for a in args:
        if is_ref(a):
            n += sum(1 for v in flat(a) if v is not None)
        else:
            n += 1
    return float(n)


@guard
def COUNTBLANK(r: Any) -> Any:
    if not isinstance(r, Range):
        return VALUE.with_reason("COUNTBLANK needs a range")
    rows, cols = r.shape
    filled = sum(1 for v in r.values() if v is not None and v != "")
    return float(rows * cols - filled)


@guard
def AVERAGE(*args: Any) -> Any:
    xs = collect(args)
    if not xs:
        return DIV0.with_reason("AVERAGE of no numbers")
    return checked(add_up(xs) / len(xs))


@guard
def MIN(*args: Any) -> Any:
    xs = collect(args)
    return min(xs) if xs else 0.0


@guard
def MAX(*args: Any) -> Any:
    xs = collect(args)
    return max(xs) if xs else 0.0


@guard
def MEDIAN(*args: Any) -> Any:
    xs = sorted(collect(args))
    if not xs:
        return NUM
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


@guard
def LARGE(a: Any, k: Any) -> Any:
    xs = sorted(collect((a,)), reverse=True)
    i = arg_int(k)
    return xs[i - 1] if 1 <= i <= len(xs) else NUM


@guard
def SMALL(a: Any, k: Any) -> Any:
    xs = sorted(collect((a,)))
    i = arg_int(k)
    return xs[i - 1] if 1 <= i <= len(xs) else NUM


Pair = tuple[Any, list[list[Any]], Callable[[Any], bool]]


def _pairs(ranges_and_criteria: tuple[Any, ...]) -> list[Pair]:
    if len(ranges_and_criteria) % 2:
        raise Fail(VALUE.with_reason("criteria ranges and criteria must come in pairs"))
    out = []
    shape = None
    for rng, crit in zip(ranges_and_criteria[::2], ranges_and_criteria[1::2], strict=True):
        g = rng.full_rows() if isinstance(rng, Range) else grid(rng)
        if shape is None:
            shape = (len(g), len(g[0]) if g else 0)
        elif (len(g), len(g[0]) if g else 0) != shape:
            raise Fail(VALUE.with_reason("criteria ranges of different sizes"))
        out.append((rng, g, criterion(crit)))
    return out


def _matches(pairs: list[Pair]) -> Iterator[tuple[int, int]]:
    """Positions (row-major) where every criterion holds; an equality criterion on a range
    asked for before uses its hash index instead of scanning."""
    for n, (rng, _, test) in enumerate(pairs):
        key = getattr(test, "eq_key", None)
        if key is None or not isinstance(rng, Range):
            continue
        full = rng.shape[0] * rng.shape[1] <= 1_000_000
        idx = rng.book.ranges.positions(rng.bounds(clip=not full))
        if idx is None:
            break
        rest = pairs[:n] + pairs[n + 1 :]
        for i, j in idx.get(key, ()):
            if all(t(g[i][j]) for _, g, t in rest):
                yield i, j
        return
    g0 = pairs[0][1]
    for i, row in enumerate(g0):
        for j in range(len(row)):
            if all(test(g[i][j]) for _, g, test in pairs):
                yield i, j


def _values_at(target: Any, cells: Iterator[tuple[int, int]]) -> list[float]:
    """Numbers of ``target`` at the matching positions (a sum range is sized like the first
    criteria range, from its top-left cell, as Excel does)."""
    out = []
    for i, j in cells:
        v = target.at(i, j) if isinstance(target, Range) else _grid_at(target, i, j)
        t = type(v)
        if t is float or t is int:
            out.append(v)
        elif t is ExcelError:
            raise Fail(v)
    return out


def _grid_at(g: Any, i: int, j: int) -> Any:
    g = grid(g)
    return g[i][j] if i < len(g) and j < len(g[i]) else None


@guard
def SUMIF(rng: Any, crit: Any, sum_range: Any = None) -> Any:
    pairs = _pairs((rng, crit))
    return checked(add_up(_values_at(sum_range if sum_range is not None else rng, _matches(pairs))))


@guard
def SUMIFS(sum_range: Any, *rest: Any) -> Any:
    return checked(add_up(_values_at(sum_range, _matches(_pairs(rest)))))


@guard
def COUNTIF(rng: Any, crit: Any) -> Any:
    return float(sum(1 for _ in _matches(_pairs((rng, crit)))))


@guard
def COUNTIFS(*rest: Any) -> Any:
    return float(sum(1 for _ in _matches(_pairs(rest))))


@guard
def AVERAGEIF(rng: Any, crit: Any, avg_range: Any = None) -> Any:
    xs = _values_at(avg_range if avg_range is not None else rng, _matches(_pairs((rng, crit))))
    return checked(add_up(xs) / len(xs)) if xs else DIV0


@guard
def AVERAGEIFS(avg_range: Any, *rest: Any) -> Any:
    xs = _values_at(avg_range, _matches(_pairs(rest)))
    return checked(add_up(xs) / len(xs)) if xs else DIV0


FUNCTIONS = {
    f.__name__: f
    for f in (
        COUNT,
        COUNTA,
        COUNTBLANK,
        AVERAGE,
        MIN,
        MAX,
        MEDIAN,
        LARGE,
        SMALL,
        SUMIF,
        SUMIFS,
        COUNTIF,
        COUNTIFS,
        AVERAGEIF,
        AVERAGEIFS,
    )
}
REF_FUNCTIONS = set(FUNCTIONS)
