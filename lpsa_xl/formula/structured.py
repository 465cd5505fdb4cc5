"""Structured references (``Table1[Col]``, ``[@Col]``, ``Table1[[#Headers],[A]:[C]]``...)
resolved against a workbook's tables at compile time: which rows and columns a reference's
brackets name. A form not understood raises :class:`Unsupported`, which the compiler turns into
a declined cell with its reason, never a guess."""

from __future__ import annotations

import re
from typing import Any

from lpsa_xl.files.scan import Table

__all__ = ["Unsupported", "resolve_spec"]


class Unsupported(Exception):
    pass


_ITEM = re.compile(r"\[((?:[^\[\]']|'.)*)\]")


def _unescape_col(s: str) -> str:
    return re.sub(r"'(.)", r"\1", s).strip()


def resolve_spec(spec: str, t: Table) -> tuple[Any, tuple[int, int]]:
    """Rows ("this" or (r1, r2)) and columns (c1, c2) of a structured reference's brackets."""
    inner = spec[1:-1]
    items: list[str] = []
    col_span: list[str] = []
    this_row = False
    if inner.startswith("@"):
        this_row = True
        inner = inner[1:]
        if inner.startswith("["):
            inner = inner[1:-1]
        col_span = [_unescape_col(inner)] if inner else []
    elif "[" not in inner:
        if inner.startswith("#"):
            items.append(inner.upper())
        elif inner:
            col_span = [_unescape_col(inner)]
    else:
        parts = _ITEM.findall(inner)
        joined = re.sub(r"\[(?:[^\[\]']|'.)*\]", "", inner)
        is_range = ":" in joined
        for p in parts:
            if p.startswith("#"):
                items.append(p.upper())
            else:
                col_span.append(_unescape_col(p))
        if is_range and len(col_span) != 2:
            raise Unsupported(f"cannot read structured reference {spec}")
    if "#THIS ROW" in items:
        this_row = True
    names = [c.upper() for c in t.columns]

    def col(name: str) -> int:
        try:
            return t.c1 + names.index(name.upper())
        except ValueError:
            raise Unsupported(f"table {t.name} has no column {name!r}") from None

    cols = (col(col_span[0]), col(col_span[-1])) if col_span else (t.c1, t.c2)
    if this_row:
        return "this", cols
    head_end = t.r1 + t.header_rows - 1
    data = (head_end + 1, t.r2 - t.totals_rows)
    if not items or items == ["#DATA"]:
        rows = data
    elif items == ["#ALL"]:
        rows = (t.r1, t.r2)
    elif items == ["#HEADERS"]:
        rows = (t.r1, head_end)
    elif items == ["#TOTALS"]:
        rows = (t.r2 - t.totals_rows + 1, t.r2)
    elif set(items) == {"#HEADERS", "#DATA"}:
        rows = (t.r1, data[1])
    elif set(items) == {"#DATA", "#TOTALS"}:
        rows = (data[0], t.r2)
    else:
        raise Unsupported(f"cannot read structured reference {spec}")
    return rows, cols
