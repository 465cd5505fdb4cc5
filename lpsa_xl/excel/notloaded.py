"""Telling that Excel has not loaded the LPSA functions: a live book in which every cell that
calls one shows ``#NAME?``. Validate then gives that one finding, saying how to load them,
instead of reporting each cell (or, worse, "no problems").

A cell calls an LPSA function when its formula names one in any of Excel's spellings: the
desktop name (``LPSA_REWARD``), the web add-in's (``LPSA.REWARD``) or the file form Excel saves
an add-in function in (``_xldudf_LPSA_REWARD``). Without formulas (a client that sends only
values) the computed columns of the targets table stand for them.
"""

from __future__ import annotations

import re
from typing import Any

from lpsa_xl.files.a1 import col_letters

__all__ = ["LPSA_CALL", "MESSAGE", "formula_grid", "not_loaded"]

#: A call of an LPSA function in a formula, in any spelling.
LPSA_CALL = re.compile(r"(?<![\w.])(?:_xldudf_)?LPSA[._][A-Z][A-Z0-9_]*\s*\(", re.IGNORECASE)

MESSAGE = (
    "Excel shows #NAME? in every cell that uses the LPSA functions ({n} cells, first {first}): "
    "the functions are not loaded. In Excel on the web or on a Mac, start the lpsa-xl add-in "
    "(Home > Add-ins) and use the web edition of the return (formulas =LPSA.REWARD(...)); in "
    "desktop Excel on Windows, click Import functions on the Start sheet"
)


def formula_grid(sheet: Any) -> tuple[list[list[object]] | None, int, int]:
    """A sheet's formulas (rows of cells, text starting "=" for a formula), with the 1-based
    row and column of its first cell. Classic xlwings reads formulas from Excel; xlwings Server
    has them only when the client sends them (lpsa-xl's task pane adds a ``formulas`` grid,
    anchored at A1, to each sheet): None when it did not."""
    rng = sheet.used_range
    try:
        grid, r0, c0 = rng.formula, rng.row, rng.column
    except NotImplementedError:
        api = sheet.api
        grid, r0, c0 = (api.get("formulas") if isinstance(api, dict) else None), 1, 1
    if isinstance(grid, str):
        grid = [[grid]]
    return (list(grid) if grid is not None else None), r0, c0


def _values(sheet: Any) -> tuple[list[list[object]], int, int]:
    rng = sheet.used_range
    grid = rng.options(ndim=2, err_to_str=True).value or [[]]
    return [list(r) for r in grid], rng.row, rng.column


def not_loaded(
    book: Any, computed: list[tuple[str, int, int]] | tuple[()] = ()
) -> tuple[tuple[str, str], str] | None:
    """The first such cell (sheet, coordinate) and the finding's message when every LPSA cell
    of ``book`` shows ``#NAME?``, else None.
    ``computed`` lists (sheet, row, column) of the targets table's computed cells, used for a
    sheet whose formulas the client did not send."""
    shown: list[tuple[str, int, int, object]] = []
    without_formulas = set()
    for sheet in book.sheets:
        formulas, fr, fc = formula_grid(sheet)
        values, vr, vc = _values(sheet)
        if formulas is None:
            without_formulas.add(sheet.name)
            continue
        for i, row in enumerate(formulas):
            for j, f in enumerate(row):
                if isinstance(f, str) and f.startswith("=") and LPSA_CALL.search(f):
                    r, c = fr + i, fc + j
                    vi, vj = r - vr, c - vc
                    value = values[vi][vj] if 0 <= vi < len(values) and 0 <= vj < len(
                        values[vi]) else None  # fmt: skip
                    shown.append((sheet.name, r, c, value))
    if without_formulas:
        by_name = {s.name: s for s in book.sheets}
        grids = {name: _values(by_name[name]) for name in without_formulas if name in by_name}
        for name, r, c in computed:
            if name in grids:
                values, vr, vc = grids[name]
                vi, vj = r - vr, c - vc
                inside = 0 <= vi < len(values) and 0 <= vj < len(values[vi])
                if inside and values[vi][vj] not in (None, ""):
                    shown.append((name, r, c, values[vi][vj]))
    if not shown or any(v != "#NAME?" for *_, v in shown):
        return None
    name, r, c, _ = shown[0]
    coord = f"{col_letters(c)}{r}"
    return (name, coord), MESSAGE.format(n=len(shown), first=f"{name}!{coord}")
