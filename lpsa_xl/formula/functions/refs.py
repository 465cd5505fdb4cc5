"""References computed at run time: OFFSET and INDIRECT (A1 text within the book).

Excel marks both volatile (it recalculates them at every change) but their value is fixed by the
book's own cells, so they are computed and compared like any other function; what they read is
evaluated on demand, so the order of evaluation stays right. INDIRECT reads A1 references to this
book (``"B3"``, ``"Sheet 2!A1:C4"``, ``"'My sheet'!$B$2"``); R1C1 text, defined names, tables and
other workbooks are declined by name, never guessed.
"""

from __future__ import annotations

import re
from typing import Any

from lpsa_xl.files.a1 import MAX_COL, MAX_ROW, col_number
from lpsa_xl.formula.functions.common import Decline, arg_bool, arg_int, arg_text, guard
from lpsa_xl.formula.values import Range
from lpsa_xl.values import REF, VALUE, ExcelError

__all__ = ["BOOK_FUNCTIONS", "FUNCTIONS", "REF_FUNCTIONS"]


@guard
def OFFSET(ref: Any, rows: Any, cols: Any, height: Any = None, width: Any = None) -> Any:
    if not isinstance(ref, Range):
        return VALUE.with_reason("OFFSET needs a reference")
    dr, dc = arg_int(rows), arg_int(cols)
    h = ref.shape[0] if height is None else arg_int(height)
    w = ref.shape[1] if width is None else arg_int(width)
    if h == 0 or w == 0:
        return REF.with_reason("OFFSET of height or width 0")
    r1, c1 = ref.r1 + dr, ref.c1 + dc
    r2 = r1 + h - 1 if h > 0 else r1 + h + 1
    c2 = c1 + w - 1 if w > 0 else c1 + w + 1
    if min(r1, r2) < 1 or min(c1, c2) < 1 or max(r1, r2) > MAX_ROW or max(c1, c2) > MAX_COL:
        return REF.with_reason("OFFSET outside the sheet")
    return Range(ref.book, ref.sheet, r1, c1, r2, c2)


_CELL = r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})"
_A1_REF = re.compile(rf"(?:(?:'((?:[^']|'')+)'|([^'!:]+))!)?{_CELL}(?::{_CELL})?")


@guard
def INDIRECT(book: Any, text: Any, a1: Any = True) -> Any:
    """``book`` is handed in by the compiler (see :data:`BOOK_FUNCTIONS`)."""
    s = arg_text(text).strip()
    if a1 is not None and not arg_bool(a1):
        raise Decline("INDIRECT of R1C1 text")
    m = _A1_REF.fullmatch(s)
    if m is None:
        if "[" in s or re.fullmatch(r"[A-Za-z_\\][\w.]*", s):
            raise Decline("INDIRECT of a defined name, table or another workbook")
        return REF.with_reason(f"INDIRECT of {s!r}, which is no reference")
    quoted, bare, ca, ra, cb, rb = m.groups()
    here = book.current
    if quoted is None and bare is None:
        if here is None:
            return REF
        sheet = here[0]
    else:
        name = (quoted.replace("''", "'") if quoted is not None else bare).upper()
        found = book.compiler.sheet_index.get(name)
        if found is None:
            return REF.with_reason(f"INDIRECT: no sheet {name!r} in this workbook")
        sheet = found
    r1, c1 = int(ra), col_number(ca)
    r2, c2 = (int(rb), col_number(cb)) if cb else (r1, c1)
    if max(r1, r2) > MAX_ROW or max(c1, c2) > MAX_COL or min(r1, r2) < 1:
        return REF.with_reason("INDIRECT outside the sheet")
    return Range(book, sheet, r1, c1, r2, c2)


def range_between(a: Any, b: Any) -> Any:
    """The range operator between computed references (``A2:INDEX(A2:A9, 3)``): the smallest
    area holding both, on one sheet."""
    for v in (a, b):
        if isinstance(v, ExcelError):
            return v
    if not isinstance(a, Range) or not isinstance(b, Range) or a.sheet != b.sheet:
        return VALUE.with_reason("the range operator ':' needs two references on one sheet")
    return Range(
        a.book, a.sheet, min(a.r1, b.r1), min(a.c1, b.c1), max(a.r2, b.r2), max(a.c2, b.c2)
    )


@guard
def index_ref(array: Any, row: Any, col: Any = None, area: Any = None) -> Any:
    """INDEX where a reference is wanted (beside ':'): the cell, row or column as a range."""
    if not isinstance(array, Range):
        return VALUE.with_reason("INDEX of an array gives no reference")
    if area is not None and arg_int(area) != 1:
        return REF.with_reason("INDEX: no such area")
    rows, cols = array.shape
    r = arg_int(row)
    c = arg_int(col) if col is not None else 0
    if col is None and rows == 1:
        r, c = 1, r
    elif col is None and cols == 1:
        c = 1
    if r < 0 or c < 0 or r > rows or c > cols:
        return REF.with_reason("INDEX outside the range")
    r1, r2 = (array.r1, array.r2) if r == 0 else (array.r1 + r - 1, array.r1 + r - 1)
    c1, c2 = (array.c1, array.c2) if c == 0 else (array.c1 + c - 1, array.c1 + c - 1)
    return Range(array.book, array.sheet, r1, c1, r2, c2)


FUNCTIONS = {f.__name__: f for f in (OFFSET, INDIRECT)}
REF_FUNCTIONS = {"OFFSET", "INDIRECT"}
#: Functions called with the evaluating book as their first argument.
BOOK_FUNCTIONS = {"INDIRECT"}
