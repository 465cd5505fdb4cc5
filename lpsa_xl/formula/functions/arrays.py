"""Array and aggregation functions: LOOKUP, TRANSPOSE, MMULT, SUBTOTAL.

LOOKUP searches approximately (as VLOOKUP with TRUE: sorted data, else declined). TRANSPOSE and
MMULT return arrays; in a cell that is not an array formula Excel shows the first item, and an
array formula spreads them over its range (see the engine). SUBTOTAL leaves out the cells of its
ranges that are themselves SUBTOTALs, as Excel does; rows hidden by hand or by a filter are left
out by Excel too, so a range on a sheet with any hidden row is declined (the evaluator does not
read which rows a filter hides).
"""

from __future__ import annotations

import math
import re
from typing import Any

from lpsa_xl.formula.functions.common import Decline, Fail, add_up, arg_int, grid, guard
from lpsa_xl.formula.functions.lookup import _approx, _blank0, _key
from lpsa_xl.formula.values import Range, checked
from lpsa_xl.values import DIV0, NA, VALUE, ExcelError

__all__ = ["FUNCTIONS", "REF_FUNCTIONS"]


@guard
def LOOKUP(key: Any, look: Any, result: Any = None) -> Any:
    k, g = _key(key), grid(look)
    if not g or not g[0]:
        return NA.with_reason("LOOKUP in an empty range")
    rows, cols = len(g), len(g[0])
    if result is None:  # the array form: the first row or column, by the shape
        if cols > rows:
            i = _approx(k, g[0])
            return NA.with_reason(f"{k!r} not found") if i < 0 else _blank0(g[-1][i])
        i = _approx(k, [r[0] for r in g])
        return NA.with_reason(f"{k!r} not found") if i < 0 else _blank0(g[i][-1])
    if rows != 1 and cols != 1:
        return NA.with_reason("LOOKUP vector must be one row or one column")
    items = g[0] if rows == 1 else [r[0] for r in g]
    i = _approx(k, items)
    if i < 0:
        return NA.with_reason(f"{k!r} not found")
    out = grid(result)
    flat = out[0] if len(out) == 1 else [r[0] for r in out]
    if len(out) != 1 and out and len(out[0]) != 1:
        return NA.with_reason("LOOKUP result must be one row or one column")
    if i >= len(flat):
        raise Decline("LOOKUP with a result vector shorter than the lookup vector")
    return _blank0(flat[i])


def TRANSPOSE(a: Any) -> Any:
    g = grid(a)
    if not g:
        return VALUE
    return [[_blank0(g[i][j]) for i in range(len(g))] for j in range(len(g[0]))]


@guard
def MMULT(a: Any, b: Any) -> Any:
    x, y = grid(a), grid(b)
    if not x or not y or len(x[0]) != len(y):
        return VALUE.with_reason("MMULT: the first array's columns must equal the second's rows")
    for m in (x, y):
        for row in m:
            for v in row:
                if type(v) is ExcelError:
                    return v
                if type(v) not in (float, int):
                    return VALUE.with_reason("MMULT of a cell that is not a number")
    n = len(y[0])
    return [
        [checked(add_up([row[k] * y[k][j] for k in range(len(y))])) for j in range(n)] for row in x
    ]


_HIDDEN_ROW = re.compile(r"""<(?:\w+:)?row\b[^>]*\bhidden\s*=\s*["'](?:1|true)["']""")


def _subtotal_values(refs: tuple[Any, ...]) -> list[Any]:
    out: list[Any] = []
    for ref in refs:
        if not isinstance(ref, Range):
            raise Fail(VALUE.with_reason("SUBTOTAL takes references"))
        book = ref.book
        if _HIDDEN_ROW.search(book.package.sheets[ref.sheet].xml):
            raise Decline("SUBTOTAL on a sheet with hidden or filtered rows")
        r1, c1, r2, c2 = ref.clipped()
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                f = book.formula_at(ref.sheet, r, c)
                if f is not None and re.search(r"\b(SUBTOTAL|AGGREGATE)\(", f.original, re.I):
                    if re.match(r"\s*(_xlfn\.)?SUBTOTAL\(", f.original, re.I):
                        continue  # nested subtotals are left out, as Excel does
                    raise Decline("SUBTOTAL over a formula using SUBTOTAL inside another")
                out.append(book.cell(ref.sheet, r, c))
    return out


def _variance(xs: list[float], sample: bool) -> Any:
    n = len(xs)
    if n < (2 if sample else 1):
        return DIV0.with_reason("too few numbers")
    mean = add_up(xs) / n
    return add_up([(x - mean) ** 2 for x in xs]) / (n - 1 if sample else n)


@guard
def SUBTOTAL(function_num: Any, *refs: Any) -> Any:
    code = arg_int(function_num)
    kind = code - 100 if code > 100 else code
    if not 1 <= kind <= 11 or not refs:
        return VALUE.with_reason("SUBTOTAL function number must be 1-11 or 101-111")
    values = _subtotal_values(refs)
    for v in values:
        if type(v) is ExcelError:
            return v
    nums = [float(v) for v in values if type(v) in (float, int)]
    if kind == 2:
        return float(len(nums))
    if kind == 3:
        return float(sum(1 for v in values if v is not None))
    if kind == 9:
        return checked(add_up(nums))
    if kind == 6:
        return checked(math.prod(nums))
    if kind in (4, 5):
        return (max(nums) if kind == 4 else min(nums)) if nums else 0.0
    if kind == 1:
        return checked(add_up(nums) / len(nums)) if nums else DIV0.with_reason("no numbers")
    var = _variance(nums, sample=kind in (7, 10))
    if type(var) is ExcelError or kind in (10, 11):
        return var
    return math.sqrt(var)


FUNCTIONS = {f.__name__: f for f in (LOOKUP, TRANSPOSE, MMULT, SUBTOTAL)}
REF_FUNCTIONS = {"SUBTOTAL"}
