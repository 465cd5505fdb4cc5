"""Caches that keep repeated lookups linear: the values of a range read once, and hash indexes
of a range's values for exact matching (SUMIF/COUNTIFS criteria, VLOOKUP/MATCH/XLOOKUP).

A national summary with one SUMIF per authority over a 2,100-row column would otherwise scan the
column 150 times; with the index each SUMIF touches only its own rows. Values never change once
computed within one recalculation, so a range read without meeting a circular reference can be
cached for the rest of the run. An index is built the second time the same range is asked for
(a range used once, like ``SUMIF($A$2:A7, ...)`` growing down a column, is just scanned).
"""

from __future__ import annotations

from typing import Any

from lpsa_xl.formula.values import text_to_num

__all__ = ["RangeCache", "match_key"]

Bounds = tuple[int, int, int, int, int]


def match_key(v: Any) -> Any:
    """The key under which ``v`` is equal to others for exact matching (case-insensitive text;
    ``None`` for blanks and errors, which are never indexed)."""
    t = type(v)
    if t is float or t is int:
        return float(v)
    if t is str:
        return ("s", v.lower())
    if t is bool:
        return ("b", v)
    return None


class RangeCache:
    def __init__(self, book: Any) -> None:
        self.book = book
        self.grids: dict[Bounds, list[list[Any]]] = {}
        self.asked: dict[Any, int] = {}
        self.positions_: dict[Bounds, dict[Any, list[tuple[int, int]]]] = {}
        self.firsts: dict[tuple[Bounds, str, int], dict[Any, int]] = {}

    def grid(self, b: Bounds) -> list[list[Any]]:
        g = self.grids.get(b)
        if g is not None:
            if self.book.tainted:  # a marked cell inside passes its mark on (formula/taint.py)
                self.book.taint_range(b)
            return g
        s, r1, c1, r2, c2 = b
        cell = self.book.cell
        cycles = self.book.cycle_count()
        g = [[cell(s, r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
        if self.book.cycle_count() == cycles:
            self.grids[b] = g
        return g

    def _second(self, key: Any) -> bool:
        n = self.asked.get(key, 0) + 1
        self.asked[key] = n
        return n >= 2

    def positions(self, b: Bounds) -> dict[Any, list[tuple[int, int]]] | None:
        """Value key -> positions (row-major order) in the range, or ``None`` the first time.
        Text that reads as a number is also filed under that number (criteria match it)."""
        idx = self.positions_.get(b)
        if idx is not None:
            return idx
        if not self._second(("p", b)) or b not in self.grids:
            return None
        idx = {}
        for i, row in enumerate(self.grids[b]):
            for j, v in enumerate(row):
                k = match_key(v)
                if k is None:
                    continue
                idx.setdefault(k, []).append((i, j))
                if type(v) is str:
                    n = text_to_num(v)
                    if n is not None:
                        idx.setdefault(n, []).append((i, j))
        for lst in idx.values():
            lst.sort()
        self.positions_[b] = idx
        return idx

    def first(self, b: Bounds, axis: str, k: int) -> dict[Any, int] | None:
        """Value key -> first index along column ``k`` (axis "col") or row ``k`` (axis "row")."""
        key = (b, axis, k)
        idx = self.firsts.get(key)
        if idx is not None:
            return idx
        if not self._second(key) or b not in self.grids:
            return None
        g = self.grids[b]
        items = [row[k] for row in g] if axis == "col" else g[k]
        idx = {}
        for i, v in enumerate(items):
            mk = match_key(v)
            if mk is not None and mk not in idx:
                idx[mk] = i
        self.firsts[key] = idx
        return idx
