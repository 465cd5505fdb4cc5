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
    return _clipped_pairs(ranges_and_criteria)[0]


def _clipped_pairs(ranges_and_criteria: tuple[Any, ...]) -> tuple[list[Pair], int]:
    """The criteria pairs, and how many cells of the ranges lie beyond what is read of them.

    Ranges too large to read whole (whole columns) are read over one common box, the largest
    used area among them, so ranges on different sheets still line up; the cells beyond it are
    blank, and COUNTIF/COUNTIFS count them where every criterion accepts a blank, as Excel does."""
    if len(ranges_and_criteria) % 2:
        raise Fail(VALUE.with_reason("criteria ranges and criteria must come in pairs"))
    ranges = ranges_and_criteria[::2]
    shapes = {r.shape for r in ranges if isinstance(r, Range)}
    big = [r for r in ranges if isinstance(r, Range) and r.shape[0] * r.shape[1] > 1_000_000]
    box = None
    if big and len(shapes) == 1 and all(isinstance(r, Range) for r in ranges):
        rows = max(r.clipped()[2] - r.r1 + 1 for r in ranges)
        cols = max(r.clipped()[3] - r.c1 + 1 for r in ranges)
        box = (rows, cols)
    out = []
    shape = None
    for rng, crit in zip(ranges, ranges_and_criteria[1::2], strict=True):
        if box is not None:
            b = (rng.sheet, rng.r1, rng.c1, rng.r1 + box[0] - 1, rng.c1 + box[1] - 1)
            g = rng.book.ranges.grid(b)
        else:
            g = rng.full_rows() if isinstance(rng, Range) else grid(rng)
        if shape is None:
            shape = (len(g), len(g[0]) if g else 0)
        elif (len(g), len(g[0]) if g else 0) != shape:
            raise Fail(VALUE.with_reason("criteria ranges of different sizes"))
        out.append((rng, g, criterion(crit)))
    beyond = 0
    if box is not None:
        full = next(iter(shapes))
        beyond = full[0] * full[1] - box[0] * box[1]
    return out, beyond


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
    return COUNTIFS(rng, crit)


@guard
def COUNTIFS(*rest: Any) -> Any:
    pairs, beyond = _clipped_pairs(rest)
    blanks = beyond if beyond and all(test(None) for _, _, test in pairs) else 0
    return float(sum(1 for _ in _matches(pairs)) + blanks)


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
