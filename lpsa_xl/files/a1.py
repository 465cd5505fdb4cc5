"""A1 cell addresses: column letters and numbers, cells and ranges (``"$B$7"``, ``"A4:AA20"``).

Kept apart from openpyxl's equivalents so that reading a return in the template layout needs no
openpyxl at all: importing it costs 0.15 s a process (benchmarks/README.md, "check").
"""

from __future__ import annotations

import re

__all__ = ["MAX_COL", "MAX_ROW", "col_letters", "col_number", "parse_a1", "range_bounds"]

MAX_ROW = 1_048_576
MAX_COL = 16_384

_COLS: dict[str, int] = {}


def col_number(letters: str) -> int:
    """``"A"`` -> 1, ``"AB"`` -> 28."""
    n = _COLS.get(letters)
    if n is None:
        n = 0
        for ch in letters.upper():
            n = n * 26 + ord(ch) - 64
        _COLS[letters] = n
    return n


def col_letters(n: int) -> str:
    """1 -> ``"A"``, 28 -> ``"AB"``."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def parse_a1(ref: str) -> tuple[int, int]:
    """``"$B$7"`` -> (7, 2)."""
    m = _A1.fullmatch(ref)
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), col_number(m.group(1))


def range_bounds(ref: str) -> tuple[int, int, int, int]:
    """``"A4:AA20"`` -> (min column, min row, max column, max row) = (1, 4, 27, 20); a single
    cell is a range of one (as openpyxl's ``range_boundaries`` for cell ranges)."""
    first, _, last = ref.partition(":")
    r1, c1 = parse_a1(first)
    r2, c2 = parse_a1(last) if last else (r1, c1)
    return min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)
