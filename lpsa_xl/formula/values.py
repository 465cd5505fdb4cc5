"""Excel's value rules: coercion to number, text and logical, comparison order, and the range
(reference) value that functions receive.

Runtime values: ``float`` (numbers; ints are accepted), ``str``, ``bool``, ``None`` (blank),
:class:`ExcelError`, ``list[list]`` (an array), and :class:`Range` (a reference, passed only to
functions). Blank is 0 in arithmetic and "" in text. Text compares case-insensitively, and in
sorting numbers < text < logicals.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from lpsa_xl.values import DIV0, NA, NUM, VALUE, ExcelError

__all__ = [
    "MAX_TEXT",
    "Range",
    "compare",
    "flat",
    "is_num",
    "num_text",
    "scalar",
    "to_array",
    "to_bool",
    "to_num",
    "to_text",
]

#: The longest text a cell holds in Excel.
MAX_TEXT = 32_767


class Range:
    """A rectangular reference into a sheet of a book (see :class:`.engine.Engine`)."""

    __slots__ = ("book", "c1", "c2", "r1", "r2", "sheet")

    def __init__(self, book: Any, sheet: int, r1: int, c1: int, r2: int, c2: int) -> None:
        if r1 > r2:
            r1, r2 = r2, r1
        if c1 > c2:
            c1, c2 = c2, c1
        self.book, self.sheet, self.r1, self.c1, self.r2, self.c2 = book, sheet, r1, c1, r2, c2

    @property
    def shape(self) -> tuple[int, int]:
        return self.r2 - self.r1 + 1, self.c2 - self.c1 + 1

    def clipped(self) -> tuple[int, int, int, int]:
        """The bounds limited to the sheet's used area (whole columns stay cheap)."""
        max_r, max_c = self.book.extent(self.sheet)
        return (
            self.r1,
            self.c1,
            min(self.r2, max(max_r, self.r1)),
            min(self.c2, max(max_c, self.c1)),
        )

    def rows(self) -> list[list[Any]]:
        """The values as a 2-D list (blank cells are ``None``), clipped to the used area."""
        return self.book.ranges.grid(self.bounds())

    def bounds(self, clip: bool = True) -> tuple[int, int, int, int, int]:
        """(sheet, r1, c1, r2, c2), by default clipped to the used area."""
        if clip:
            return (self.sheet, *self.clipped())
        return (self.sheet, self.r1, self.c1, self.r2, self.c2)

    def full_rows(self) -> list[list[Any]]:
        """The values without clipping (so ranges of equal size line up), unless huge."""
        rows, cols = self.shape
        return self.book.ranges.grid(self.bounds(clip=rows * cols > 1_000_000))

    def values(self) -> Iterator[Any]:
        """Every value, row by row (clipped to the used area)."""
        r1, c1, r2, c2 = self.clipped()
        cell = self.book.cell
        s = self.sheet
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                yield cell(s, r, c)

    def at(self, i: int, j: int) -> Any:
        """The value at 0-based (row, column) inside the range."""
        return self.book.cell(self.sheet, self.r1 + i, self.c1 + j)

    def __repr__(self) -> str:
        return f"Range({self.sheet}, {self.r1}, {self.c1}, {self.r2}, {self.c2})"


def to_array(v: Any) -> list[list[Any]]:
    """Any value as a 2-D list (a scalar is 1x1)."""
    if isinstance(v, Range):
        return v.rows()
    if isinstance(v, list):
        return v
    return [[v]]


def flat(v: Any) -> Iterator[Any]:
    if isinstance(v, Range):
        yield from v.values()
    elif isinstance(v, list):
        for row in v:
            yield from row
    else:
        yield v


def scalar(v: Any, book: Any = None) -> Any:
    """A single value from ``v``: a range by implicit intersection with the formula's own row or
    column (as Excel does for a range where one value is expected), an array by its first item."""
    if isinstance(v, Range):
        if v.r1 == v.r2 and v.c1 == v.c2:
            return v.book.cell(v.sheet, v.r1, v.c1)
        here = v.book.current
        if here is not None and here[0] == v.sheet:
            _, r, c = here
            if v.c1 == v.c2 and v.r1 <= r <= v.r2:
                return v.book.cell(v.sheet, r, v.c1)
            if v.r1 == v.r2 and v.c1 <= c <= v.c2:
                return v.book.cell(v.sheet, v.r1, c)
        return VALUE.with_reason("a range where one value is expected")
    if isinstance(v, list):
        return v[0][0] if v and v[0] else VALUE
    return v


_NUMBER = re.compile(
    r"\s*([-+]?)\s*(\(?)\s*([0-9][0-9,]*\.?[0-9]*|\.[0-9]+)(?:[eE]([-+]?[0-9]+))?\s*(\)?)\s*(%?)\s*"
)


def text_to_num(s: str) -> float | None:
    """Text Excel reads as a number (``" 1,234.5 "``, ``"45%"``, ``"1e3"``), else ``None``."""
    m = _NUMBER.fullmatch(s)
    if not m:
        return None
    sign, lpar, digits, exp, rpar, pct = m.groups()
    if bool(lpar) != bool(rpar):
        return None
    if "," in digits:
        whole = digits.split(".")[0]
        groups = whole.split(",")
        if any(len(g) != 3 for g in groups[1:]):
            return None
    try:
        x = float(digits.replace(",", "") + (f"e{exp}" if exp else ""))
    except ValueError:
        return None
    if sign == "-" or lpar:
        x = -x
    if pct:
        x /= 100
    return x


def to_num(v: Any) -> Any:
    """A float, or the error Excel gives (``#VALUE!`` for text that is not a number)."""
    t = type(v)
    if t is float:
        return v
    if v is None:
        return 0.0
    if t is bool:
        return 1.0 if v else 0.0
    if t is int:
        return float(v)
    if t is ExcelError:
        return v
    if t is str:
        x = text_to_num(v)
        return VALUE.with_reason(f"text {v!r} is not a number") if x is None else x
    if isinstance(v, (Range, list)):
        return to_num(scalar(v))
    if isinstance(v, (int, float)):
        return float(v)
    return VALUE


def num_text(x: float) -> str:
    """A number as Excel's General format shows it in text (15 significant digits)."""
    if x == 0:
        return "0"
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    a = abs(x)
    if 1e-9 <= a < 1e15:
        s = f"{x:.15g}"
        if "e" in s:  # small numbers: write them out positionally as Excel does
            s = f"{x:.{15 - math.floor(math.log10(a))}f}".rstrip("0").rstrip(".")
        return s
    mant, _, exp = f"{x:.14E}".partition("E")
    mant = mant.rstrip("0").rstrip(".")
    e = int(exp)
    return f"{mant}E{'+' if e >= 0 else '-'}{abs(e):02d}"


def to_text(v: Any) -> Any:
    t = type(v)
    if t is str:
        return v
    if v is None:
        return ""
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is ExcelError:
        return v
    if t is float or t is int:
        return num_text(float(v))
    if isinstance(v, (Range, list)):
        return to_text(scalar(v))
    return str(v)


def to_bool(v: Any) -> Any:
    t = type(v)
    if t is bool:
        return v
    if v is None:
        return False
    if t is float or t is int:
        return v != 0
    if t is ExcelError:
        return v
    if t is str:
        u = v.upper()
        if u == "TRUE":
            return True
        if u == "FALSE":
            return False
        return VALUE.with_reason(f"text {v!r} is not TRUE or FALSE")
    if isinstance(v, (Range, list)):
        return to_bool(scalar(v))
    return VALUE


def is_num(v: Any) -> bool:
    t = type(v)
    return t is float or t is int


def _rank(v: Any) -> int:
    t = type(v)
    if t is bool:
        return 2
    if t is str:
        return 1
    return 0


def compare(a: Any, b: Any) -> Any:
    """-1, 0 or 1 as Excel orders ``a`` and ``b`` (blank as 0, "" or FALSE to match the
    other side), or the first error."""
    if type(a) is ExcelError:
        return a
    if type(b) is ExcelError:
        return b
    if a is None:
        a = "" if type(b) is str else False if type(b) is bool else 0.0
    if b is None:
        b = "" if type(a) is str else False if type(a) is bool else 0.0
    ra, rb = _rank(a), _rank(b)
    if ra != rb:
        return -1 if ra < rb else 1
    if ra == 1:
        a, b = a.lower(), b.lower()
    return -1 if a < b else (1 if a > b else 0)


def checked(x: float) -> Any:
    """``#NUM!`` for a result that is not a finite number (Excel has no inf or NaN)."""
    if math.isfinite(x):
        return x
    return NUM.with_reason("the result is not a finite number")


__all__ += ["DIV0", "NA", "checked", "text_to_num"]
