"""Reading a return in a council's own layout (docs/rules.md#return): the targets table found by its
headers (:mod:`lpsa_xl.returns.headers`), wherever and however it is laid out.

Layouts read:

* one row per target, the header anywhere, on one or two rows, merged cells spread over their
  span; several tables on one sheet, each under its own header (a block per theme);
* targets as columns, the labels down one column (the sheet is read transposed when no
  row-wise table is found);
* totals and subtotals rows skipped, notes and section headings skipped, columns that match no
  field (notes, comments, totals) left out;
* sub-targets under a parent ref: "3a"/"3b", "3.1"/"3.2", or "a"/"b" under a row "3";
* the outturn on another sheet (or another table), joined by ref, and a year-by-year outturn
  (:mod:`lpsa_xl.returns.outturn`);
* agreement figures by their labels, authority and scheme from labels, titles or document
  properties (:mod:`lpsa_xl.returns.labels`).

Every value keeps the cell it came from; what was matched, joined and assumed is in
``book.notes``; what could not be placed is in ``book.problems`` (errors) and
``book.warnings``, each at its cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lpsa_xl.files.a1 import col_letters
from lpsa_xl.files.errors import LayoutError
from lpsa_xl.returns.figures import lower_is_better
from lpsa_xl.returns.headers import (
    HeaderMatch,
    Synonyms,
    find_header,
    find_pump_priming,
    find_table,
)
from lpsa_xl.returns.labels import fill_identity, read_labels
from lpsa_xl.returns.model import Cell, ReturnBook, TargetRow
from lpsa_xl.returns.outturn import join_outturn, latest_year_columns
from lpsa_xl.returns.synonyms import normalise, score

__all__ = ["View", "read_council", "sheet_grid"]

_TOTAL = re.compile(r"^\s*(grand\s+|overall\s+)?totals?\b", re.I)
_SUBTOTAL = re.compile(r"^\s*sub[-\s]?totals?\b", re.I)
_NOTE = re.compile(r"^\s*(notes?\b|source\b|\*|n\.?b\.?\b|key\b)", re.I)
_SUB = re.compile(
    r"^\s*(\d+)\s*(?:\.\s*\d+|[.(]?\s*(?:[a-z]|i{1,3}|iv|vi{0,3}|ix|x)\s*\)?)\s*$", re.I
)
_SUB_ONLY = re.compile(r"^\s*\(?\s*([a-h]|i{1,3}|iv|vi{0,3}|ix|x)\s*[.)]?\s*$", re.I)
_REF_LIKE = re.compile(r"^\s*[\w.()/-]{1,12}\s*$")


def sheet_grid(ws: Any) -> list[list[object]]:
    """The values of a worksheet as rows (from row 1, column 1), with each merged range's value
    spread over its span (so a merged header reads as the same text in every column)."""
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    for rng in getattr(ws, "merged_cells", None) or []:
        min_col, min_row, max_col, max_row = rng.bounds
        value = grid[min_row - 1][min_col - 1] if min_row - 1 < len(grid) else None
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                    grid[r - 1][c - 1] = value
    return grid


def _transpose(grid: list[list[object]]) -> list[list[object]]:
    width = max((len(r) for r in grid), default=0)
    return [[row[c] if c < len(row) else None for row in grid] for c in range(width)]


@dataclass
class View:
    """A sheet as the table reader sees it: its grid, transposed when the targets run across
    (then a view row is a sheet column); :meth:`cell` gives the sheet's own cell."""

    ws: Any
    grid: list[list[object]]
    transposed: bool = False

    @property
    def title(self) -> str:
        return str(self.ws.title)

    def value(self, r: int, c: int) -> object:
        row = self.grid[r - 1] if 0 < r <= len(self.grid) else []
        return row[c - 1] if 0 < c <= len(row) else None

    def where(self, r: int, c: int) -> tuple[int, int]:
        """The sheet's (row, column) of the view's (r, c)."""
        return (c, r) if self.transposed else (r, c)

    def cell(self, r: int, c: int) -> Cell:
        row, col = self.where(r, c)
        fmt = self.ws.cell(row=row, column=col).number_format
        return Cell(self.title, f"{col_letters(col)}{row}", self.value(r, c), fmt or "General")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def read_council(path: Path, wb: Any, synonyms: Synonyms) -> ReturnBook:
    """A return in any council layout (see the module); raises :class:`LayoutError` naming
    the nearest candidate when no targets table is found either way round."""
    grids = {ws.title: sheet_grid(ws) for ws in wb.worksheets}
    views = {t: View(wb[t], g) for t, g in grids.items()}
    try:
        match = find_header(grids, synonyms, workbook=path)
    except LayoutError as across:
        turned = {t: View(wb[t], _transpose(g), True) for t, g in grids.items()}
        try:
            match = find_header({t: v.grid for t, v in turned.items()}, synonyms, workbook=path)
        except LayoutError:
            raise across from None
        views[match.sheet] = turned[match.sheet]
    view = views[match.sheet]
    book = ReturnBook(path=path, layout="council")
    book.notes.append(match.describe(across=view.transposed))
    merged = _merged_in_header(view, match)
    if merged:
        book.notes.append(
            f"merged header cells {', '.join(merged)} were read as one header over their columns"
        )
    pump = None if view.transposed else find_pump_priming(grids, synonyms, match)
    end = _last_row(view.grid, match, pump)
    tables = [match]
    if not view.transposed:  # other tables on the sheet, each under its own header
        tables = [
            *_tables_in(view, synonyms, 1, match.first_row - 1, [match]),
            match,
            *_tables_in(view, synonyms, match.last_row + 1, end, [match]),
        ]
    for i, table in enumerate(tables):
        stop = tables[i + 1].first_row - 1 if i + 1 < len(tables) else end
        if table is not match:
            book.notes.append(table.describe())
        _read_table(book, view, table, stop, synonyms)
    _infer_parents(book)
    if not any("actual" in t.columns for t in tables):
        join_outturn(book, grids, views, synonyms, tables)
    if pump is not None:
        book.notes.append(pump.describe())
        book.pump_priming = _pump_rows(views[pump.sheet], pump, match)

    def inside(sheet: str, r: int, c: int) -> bool:
        if sheet != match.sheet:
            return False
        if view.transposed:
            return c >= match.first_row and r in match.columns.values()
        return r >= tables[0].first_row

    read_labels(book, grids, synonyms, inside)
    titles = [(grids[match.sheet], match.sheet, _title_limit(view, match))]
    titles += [(g, t, 6) for t, g in grids.items() if t != match.sheet]
    fill_identity(book, wb, titles)
    return book


def _tables_in(
    view: View, synonyms: Synonyms, first: int, last: int, taken: list[HeaderMatch]
) -> list[HeaderMatch]:
    """Further targets tables on ``view``'s sheet with their header within rows
    ``first``..``last``, in row order."""
    out: list[HeaderMatch] = []
    while first <= last and len(out) < 50:
        table = find_table(view.grid, view.title, synonyms, first, last, skip=[*taken, *out])
        if table is None:
            break
        out.append(table)
    return sorted(out, key=lambda t: t.first_row)


def _title_limit(view: View, match: HeaderMatch) -> int:
    """The first sheet row of the table: title rows are above it."""
    if view.transposed:
        return min(match.columns.values())
    return match.first_row


def _read_table(
    book: ReturnBook, view: View, match: HeaderMatch, end: int, synonyms: Synonyms
) -> None:
    """The target rows of one table (header ``match``, rows up to ``end``) into ``book``."""
    input_fields = set(synonyms.fields)
    years = latest_year_columns(view, match, synonyms)
    blanks = 0
    for r in range(match.last_row + 1, end + 1):
        values = view.grid[r - 1] if r - 1 < len(view.grid) else []
        cells = {name: view.cell(r, col) for name, col in match.columns.items()}
        if all(_blank(c.value) for c in cells.values()):
            blanks += 1
            if blanks >= 3:
                break
            continue
        blanks = 0
        first_text = str(next((v for v in values if isinstance(v, str) and v.strip()), ""))
        if _TOTAL.match(first_text):
            break
        if _SUBTOTAL.match(first_text) or _NOTE.match(first_text):
            continue
        if _repeated_header(cells, synonyms):
            break  # another table's header: that table is read on its own
        ref = cells.get("ref")
        if all(_blank(cells[f].value) for f in ("expected", "target", "actual") if f in cells) and (
            ref is None or _blank(ref.value) or not _REF_LIKE.match(str(ref.value))
        ):
            continue  # a section heading such as "Block: Children and Young People"
        row = TargetRow(sheet=view.title, row=r)  # a sheet column when the targets run across
        for name, cell in cells.items():
            (row.fields if name in input_fields else row.claimed)[name] = cell
        if years is not None:
            years.take(view, r, row, book)
        flag = row.fields.pop("lower_is_better", None)
        if flag is not None and "direction" not in row.fields and not _blank(flag.value):
            value = lower_is_better(flag.value)  # a canonical direction, read from that cell
            row.fields["direction"] = Cell(flag.sheet, flag.coord, value, flag.number_format)
        book.targets.append(row)
    if years is not None:
        book.notes.append(years.describe(view.title))


def _repeated_header(cells: dict[str, Cell], synonyms: Synonyms) -> bool:
    """Whether a row repeats a header: its expected and target cells hold header text (not
    "n/a" or a figure typed as text, which the figure rules report at their cells)."""
    phrases = synonyms.columns()
    for name in ("expected", "target"):
        cell = cells.get(name)
        if cell is None or not isinstance(cell.value, str):
            return False
        if score(normalise(cell.value), phrases[name])[0] <= 0:
            return False
    return True


def _pump_rows(view: View, pump: HeaderMatch, targets: HeaderMatch) -> list[dict[str, Cell]]:
    """The lines of a council's pump-priming table: every row below its header with a budget
    or a spend, up to a total row, three blank rows, or the targets table's header."""
    end = _last_row(view.grid, pump, targets)
    lines: list[dict[str, Cell]] = []
    blanks = 0
    for r in range(pump.last_row + 1, end + 1):
        values = view.grid[r - 1]
        line = {name: view.cell(r, col) for name, col in pump.columns.items()}
        first_text = next((v for v in values if isinstance(v, str) and v.strip()), "")
        if _TOTAL.match(str(first_text)) or _SUBTOTAL.match(str(first_text)):
            break
        if _blank(line["budget"].value) and _blank(line["spend"].value):
            blanks = blanks + 1 if all(_blank(c.value) for c in line.values()) else 0
            if blanks >= 3:
                break
            continue  # a heading, or a line not yet costed
        blanks = 0
        lines.append(line)
    return lines


def _last_row(grid: list[list[object]], table: HeaderMatch, other: HeaderMatch | None) -> int:
    """The last row ``table``'s lines may be on: the sheet's last, or the row above ``other``'s
    header where that table lies below it on the same sheet."""
    if other is not None and other.sheet == table.sheet and other.first_row > table.last_row:
        return other.first_row - 1
    return len(grid)


def _merged_in_header(view: View, match: HeaderMatch) -> list[str]:
    if view.transposed:
        return []
    cols = set(match.columns.values())
    out = []
    for rng in getattr(view.ws.merged_cells, "ranges", ()):
        min_col, min_row, max_col, max_row = rng.bounds
        if (
            min_row <= match.last_row
            and max_row >= match.first_row
            and any(min_col <= c <= max_col for c in cols)
        ):
            out.append(str(rng.coord))
    return out


def _infer_parents(book: ReturnBook) -> None:
    """Sub-targets in council layouts: refs like ``3a``/``3b``, ``3.1``/``3.2`` or ``3(i)``
    under target ``3``, and refs ``a``/``b`` (or ``(i)``) on the rows below a row ``3`` (read
    as ``3a``, ``3b``). A row of the parent's ref without figures becomes the parent's own
    row."""
    if any("parent" in t.fields for t in book.targets):
        return
    head = ""
    for target in book.targets:
        src = target.fields.get("ref")
        ref = "" if src is None or src.value is None else _ref_text(src.value)
        m = _SUB_ONLY.match(ref)
        if m and head and src is not None:
            target.fields["ref"] = Cell(src.sheet, src.coord, f"{head}{m[1]}", src.number_format)
        elif re.fullmatch(r"\d+", ref):
            head = ref
    refs = [_ref_text(t.value("ref")) for t in book.targets]
    groups: dict[str, int] = {}
    for ref in refs:
        m = _SUB.match(ref)
        if m:
            groups[m[1]] = groups.get(m[1], 0) + 1
    for target, ref in zip(book.targets, refs, strict=True):
        m = _SUB.match(ref)
        if m and groups.get(m[1], 0) >= 2:
            src = target.fields["ref"]
            target.fields["parent"] = Cell(src.sheet, src.coord, m[1])


def _ref_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()
