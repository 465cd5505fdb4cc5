"""What a column of a council's table holds below its header: figures, short text (like a
reference), descriptions, or nothing clear.

The header matcher (:mod:`lpsa_xl.returns.headers`) asks this so the data have a say in which
field a column is: a column of text under "Stretch target" is not the target. A text counts as
a figure exactly when the one conversion of typed text
(:func:`lpsa_xl.rules.convert.read_number_text`) reads it; dates and placeholders such as
"n/a" or "tbc" say nothing of a column and are passed over.

Imports only the rules core; it knows nothing of workbooks (it is handed rows of values).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from lpsa_xl.rules import InputError
from lpsa_xl.rules.convert import read_number_text

__all__ = ["PLACEHOLDERS", "column_kinds", "figure_text", "kinds_once"]

#: What councils type in a figure's cell for "no figure yet" (neither a figure nor text).
PLACEHOLDERS = frozenset({"n/a", "na", "n.a.", "-", "\u2013", "tbc", "tba", "nil", "not available"})


def figure_text(text: str) -> bool:
    """Whether text is a figure as the reader takes it ("(1,200)", "£29,816", "49 %")."""
    if not any(ch.isdigit() for ch in text):
        return False  # the quick answer for words
    try:
        read_number_text(text)
    except InputError:
        return False
    return True


def kinds_once(
    grid: Sequence[Sequence[object]],
    below: int,
    cols: Iterable[int],
    seen: dict[tuple[int, int], str],
) -> dict[int, str]:
    """:func:`column_kinds`, each column below each row of a sheet judged once (``seen``)."""
    cols = list(cols)
    todo = [c for c in cols if (below, c) not in seen]
    if todo:
        seen.update({(below, c): k for c, k in column_kinds(grid, below, todo).items()})
    return {c: seen[(below, c)] for c in cols if (below, c) in seen}


def column_kinds(
    grid: Sequence[Sequence[object]], below: int, cols: Iterable[int]
) -> dict[int, str]:
    """For each column, what its first run of values (up to 12 rows) below row ``below`` mostly
    holds:
    "figure", "text" (short, like a reference), "longtext" (a description) or "" (unclear)."""
    out = {}
    for col in cols:
        texts = figures = long = 0
        for r in range(below, min(below + 12, len(grid))):
            row = grid[r]
            v = row[col - 1] if col - 1 < len(row) else None
            if v is None or (isinstance(v, str) and not v.strip()):
                if texts + figures:
                    break  # the column's run of values below the header has ended
                continue
            if isinstance(v, (dt.date, dt.time)) or (
                isinstance(v, str) and v.strip().lower() in PLACEHOLDERS
            ):
                continue  # says nothing of the column: a date, or "n/a" for "no figure yet"
            if (isinstance(v, (int, float)) and not isinstance(v, bool)) or (
                isinstance(v, str) and figure_text(v)
            ):
                figures += 1
            else:
                texts += 1
                long += len(str(v).strip()) > 12
        if texts > figures:
            out[col] = "longtext" if long * 2 > texts else "text"
        else:
            out[col] = "figure" if figures > texts else ""
    return out
