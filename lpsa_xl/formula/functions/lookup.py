"""Lookup and reference: VLOOKUP, HLOOKUP, MATCH, INDEX, XLOOKUP, XMATCH, ROWS, COLUMNS, ROW,
COLUMN.

Exact matching is case-insensitive with wildcards for text; approximate matching finds the
last item not greater than the key among items of the key's type, which is what Excel's binary
search returns on sorted data."""

from __future__ import annotations

from typing import Any

from lpsa_xl.formula.functions.common import (
    Decline,
    Fail,
    arg_bool,
    arg_int,
    arg_num,
    grid,
    guard,
    has_wild,
    wildcard,
)
from lpsa_xl.formula.index import match_key
from lpsa_xl.formula.values import Range, compare, scalar
from lpsa_xl.values import NA, REF, VALUE, ExcelError

__all__ = ["FUNCTIONS", "REF_FUNCTIONS"]


def _key(v: Any) -> Any:
    k = scalar(v)
    if type(k) is ExcelError:
        raise Fail(k)
    return 0.0 if k is None else k


def _same_kind(a: Any, b: Any) -> bool:
    ta = float if type(a) is int else type(a)
    tb = float if type(b) is int else type(b)
    return ta is tb


def _exact(
    key: Any,
    items: list[Any],
    reverse: bool = False,
    wild: bool = True,
    src: tuple[Any, str, int] | None = None,
) -> int:
    """First (or last) position of ``key``; ``src`` = (range, axis, k) names where ``items``
    came from, so a range searched again is looked up in its hash index."""
    if src is not None and not reverse and not (type(key) is str and wild and has_wild(key)):
        rng, axis, k = src
        if isinstance(rng, Range):
            idx = rng.book.ranges.first(rng.bounds(), axis, k)
            if idx is not None:
                mk = match_key(key)
                return -1 if mk is None else idx.get(mk, -1)
    order = range(len(items) - 1, -1, -1) if reverse else range(len(items))
    if type(key) is str and wild and has_wild(key):
        rx = wildcard(key)
        for i in order:
            v = items[i]
            if type(v) is str and rx.fullmatch(v):
                return i
        return -1
    for i in order:
        v = items[i]
        if v is not None and _same_kind(v, key) and compare(v, key) == 0:
            return i
    return -1


def _approx(key: Any, items: list[Any], descending: bool = False) -> int:
    """The last item not greater (``descending``: not less) than ``key`` among the items of its
    type. Excel searches by halving, which gives that answer only on sorted data: items of the
    key's type out of order are declined, never answered by a guess."""
    found = -1
    prev: Any = None
    for i, v in enumerate(items):
        if v is None or not _same_kind(v, key):
            continue
        if prev is not None and compare(v, prev) * (-1 if descending else 1) < 0:
            raise Decline(
                "an approximate match over data not sorted: Excel's answer depends on its "
                "search order"
            )
        prev = v
        c = compare(v, key)
        if (c <= 0) if not descending else (c >= 0):
            found = i
    return found


class _LazyColumn:
    """The first column of a grid, built only if the hash index cannot answer."""

    def __init__(self, g: list[list[Any]]) -> None:
        self.g = g
        self.items: list[Any] | None = None

    def _get(self) -> list[Any]:
        if self.items is None:
            self.items = _column(self.g, 0)
        return self.items

    def __len__(self) -> int:
        return len(self.g)

    def __getitem__(self, i: int) -> Any:
        return self._get()[i]


def _column(g: list[list[Any]], j: int) -> list[Any]:
    return [row[j] for row in g]


@guard
def VLOOKUP(key: Any, table: Any, col: Any, approx: Any = True) -> Any:
    k, g, j = _key(key), grid(table), arg_int(col)
    if j < 1:
        return VALUE
    if not g or j > len(g[0]):
        return REF.with_reason("VLOOKUP column outside the table")
    if arg_bool(approx):
        i = _approx(k, _column(g, 0))
    else:
        i = _exact(k, _LazyColumn(g), src=(table, "col", 0))
    return NA.with_reason(f"{k!r} not found") if i < 0 else _blank0(g[i][j - 1])


@guard
def HLOOKUP(key: Any, table: Any, row: Any, approx: Any = True) -> Any:
    k, g, i = _key(key), grid(table), arg_int(row)
    if i < 1:
        return VALUE
    if i > len(g):
        return REF.with_reason("HLOOKUP row outside the table")
    j = _approx(k, g[0]) if arg_bool(approx) else _exact(k, g[0], src=(table, "row", 0))
    return NA.with_reason(f"{k!r} not found") if j < 0 else _blank0(g[i - 1][j])


def _blank0(v: Any) -> Any:
    return 0.0 if v is None else v


def _vector_src(a: Any) -> tuple[Any, str, int] | None:
    if not isinstance(a, Range):
        return None
    g = a.rows()
    if len(g) == 1:
        return (a, "row", 0)
    return (a, "col", 0) if g and len(g[0]) == 1 else None


def _vector(a: Any) -> list[Any]:
    g = grid(a)
    if len(g) == 1:
        return list(g[0])
    if g and len(g[0]) == 1:
        return [row[0] for row in g]
    raise Fail(NA.with_reason("lookup array must be one row or one column"))


@guard
def MATCH(key: Any, array: Any, kind: Any = 1.0) -> Any:
    k, items, t = _key(key), _vector(array), arg_num(kind)
    if t == 0:
        i = _exact(k, items, src=_vector_src(array))
    elif t > 0:
        i = _approx(k, items)
    else:
        i = _approx(k, items, descending=True)
    return NA.with_reason(f"{k!r} not found") if i < 0 else float(i + 1)


@guard
def INDEX(array: Any, row: Any, col: Any = None, area: Any = None) -> Any:
    if area is not None and arg_int(area) != 1:  # one range given: only area 1 exists
        return REF.with_reason("INDEX: no such area")
    r = arg_int(row)
    c = arg_int(col) if col is not None else 0
    if isinstance(array, Range):
        rows, cols = array.shape
        if col is None and rows == 1:
            r, c = 1, r
        if r < 0 or c < 0 or r > rows or c > cols:
            return REF.with_reason("INDEX outside the range")
        if r == 0 and c == 0:
            return array
        if r == 0:
            return Range(
                array.book, array.sheet, array.r1, array.c1 + c - 1, array.r2, array.c1 + c - 1
            )
        if c == 0:
            if cols == 1:
                return array.at(r - 1, 0)
            return Range(
                array.book, array.sheet, array.r1 + r - 1, array.c1, array.r1 + r - 1, array.c2
            )
        return _blank0(array.at(r - 1, c - 1))
    g = grid(array)
    if col is None and len(g) == 1:
        r, c = 1, r
    if col is None and g and len(g[0]) == 1:
        c = 1
    if r < 1 or c < 1 or r > len(g) or c > len(g[0]):
        return REF.with_reason("INDEX outside the array")
    return g[r - 1][c - 1]


def _sorted_for_halving(key: Any, items: list[Any], descending: bool) -> None:
    """Excel's binary search modes answer as a scan does only on sorted data without repeats of
    the key's type: anything else is declined."""
    prev: Any = None
    for v in items:
        if v is None or not _same_kind(v, key):
            continue
        if prev is not None and compare(v, prev) * (-1 if descending else 1) <= 0:
            raise Decline("a binary search over data not sorted (or with repeats)")
        prev = v


def find(key: Any, items: list[Any], mode: int, search: int, src: Any = None) -> int:
    """XLOOKUP and XMATCH: the position of ``key`` by ``mode`` (0 exact, -1 exact or next
    smaller, 1 exact or next larger, 2 wildcard) and ``search`` (1 first to last, -1 last to
    first, 2 and -2 binary over ascending and descending data), or -1."""
    if mode not in (-1, 0, 1, 2) or search not in (-2, -1, 1, 2):
        raise Fail(VALUE.with_reason("no such match or search mode"))
    if search in (2, -2):
        if mode == 2:
            raise Decline("a wildcard match with a binary search")
        _sorted_for_halving(key, items, search == -2)
    reverse = search == -1
    i = _exact(key, items, reverse=reverse, wild=mode == 2, src=src)
    if i >= 0 or mode in (0, 2):
        return i
    best = -1
    order = range(len(items) - 1, -1, -1) if reverse else range(len(items))
    for idx in order:
        v = items[idx]
        if v is None or not _same_kind(v, key):
            continue
        c = compare(v, key)
        beyond = (mode == -1 and c < 0) or (mode == 1 and c > 0)
        if beyond and (best < 0 or compare(v, items[best]) * mode < 0):
            best = idx
    return best


def _mode(v: Any, default: int) -> int:
    return default if v is None else arg_int(v)


@guard
def XLOOKUP(
    key: Any, look: Any, ret: Any, if_not_found: Any = None, mode: Any = 0.0, search: Any = 1.0
) -> Any:
    k, items = _key(key), _vector(look)
    i = find(k, items, _mode(mode, 0), _mode(search, 1), _vector_src(look))
    if i < 0:
        if if_not_found is not None:
            return scalar(if_not_found)
        return NA.with_reason(f"{k!r} not found")
    g = grid(ret)
    if len(g) == len(items) and (len(g) > 1 or len(items) == 1):
        row = g[i]
        return _blank0(row[0]) if len(row) == 1 else [row]
    if g and len(g[0]) == len(items):
        col = [[r[i]] for r in g]
        return _blank0(col[0][0]) if len(col) == 1 else col
    return VALUE.with_reason("XLOOKUP return array does not match the lookup array")


@guard
def XMATCH(key: Any, look: Any, mode: Any = 0.0, search: Any = 1.0) -> Any:
    k, items = _key(key), _vector(look)
    i = find(k, items, _mode(mode, 0), _mode(search, 1), _vector_src(look))
    return NA.with_reason(f"{k!r} not found") if i < 0 else float(i + 1)


def ROWS(a: Any) -> Any:
    if isinstance(a, Range):
        return float(a.shape[0])
    return float(len(grid(a)))


def COLUMNS(a: Any) -> Any:
    if isinstance(a, Range):
        return float(a.shape[1])
    g = grid(a)
    return float(len(g[0]) if g else 0)


def ROW(a: Any = None) -> Any:
    if isinstance(a, Range):
        return float(a.r1)
    return VALUE


def COLUMN(a: Any = None) -> Any:
    if isinstance(a, Range):
        return float(a.c1)
    return VALUE


def SINGLE(a: Any) -> Any:
    """Excel 365's ``@`` (stored as ``_xlfn.SINGLE``): implicit intersection."""
    return scalar(a)


FUNCTIONS = {
    f.__name__: f
    for f in (VLOOKUP, HLOOKUP, MATCH, INDEX, XLOOKUP, XMATCH, ROWS, COLUMNS, ROW, COLUMN, SINGLE)
}
REF_FUNCTIONS = set(FUNCTIONS)
