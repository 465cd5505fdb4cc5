"""Reading a return into a :class:`~lpsa_xl.returns.model.ReturnBook` (issue 3, items 3 and 6).

Two layouts:

* ``template``: lpsa-xl's own (:mod:`lpsa_xl.returns.templates`), found by its defined names
  and its ``Targets`` table; columns are read by their table header.
* ``council``: any layout; the targets table is found by its headers
  (:mod:`lpsa_xl.returns.headers`), agreement figures by their labels (a label cell with the
  value to its right or below).

Values are raw, with the cell they came from; formula cells give their cached values (a
formula never calculated reads as blank, and :func:`formula_cells` says which cells those are).
The template layout is read through :mod:`.fastread` (expat over only the parts needed: the
checker reads whole folders); council layouts, and any template the quick read does not handle,
through openpyxl in normal (not read-only) mode, because tables and merged cells are not
available in read-only mode.

Files that are not workbooks are refused with a clear message: a password-protected workbook
(an OLE compound file holding an ``EncryptedPackage``), an old binary .xls, a corrupt zip.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lpsa_xl.files.a1 import col_letters, parse_a1, range_bounds
from lpsa_xl.files.errors import LayoutError, UnreadableWorkbookError, WorkbookError
from lpsa_xl.files.inspect import inspect_package
from lpsa_xl.files.openbook import open_workbook
from lpsa_xl.returns import layout as L
from lpsa_xl.returns.figures import lower_is_better
from lpsa_xl.returns.headers import (
    HeaderMatch,
    Synonyms,
    find_header,
    find_pump_priming,
    load_synonyms,
    normalise,
    score,
)
from lpsa_xl.returns.model import Cell, ReturnBook, TargetRow

__all__ = ["formula_cells", "open_workbook", "read_return", "read_workbook", "sheet_grid"]


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


def formula_cells(path: str | Path, cells: Iterable[Cell]) -> set[tuple[str, str]]:
    """Which of ``cells`` hold a formula (to explain a blank: never calculated)."""
    wanted = {(c.sheet, c.coord) for c in cells}
    if not wanted:
        return set()
    wb = open_workbook(path, data_only=False, read_only=False)
    out = set()
    for sheet, coord in wanted:
        if (
            sheet in wb.sheetnames
            and isinstance(wb[sheet][coord].value, str)
            and str(wb[sheet][coord].value).startswith("=")
        ):
            out.add((sheet, coord))
    return out


def read_return(
    path: str | Path, *, headers: Iterable[str | Path] = (), synonyms: Synonyms | None = None
) -> ReturnBook:
    """Read a return in lpsa-xl's template layout or, failing that, a council layout found by
    its headers (``headers``: extra synonym files)."""
    p = Path(path)
    report = inspect_package(p)
    if not report.usable:  # not a workbook, encrypted, an old .xls, corrupt, a zip bomb...
        raise report.error()
    quick = _read_template_quickly(p)
    if quick is not None:
        return quick
    wb = open_workbook(p, data_only=True, read_only=False, report=report)
    try:
        return read_workbook(p, wb, synonyms or load_synonyms(headers))
    except WorkbookError:
        raise
    except Exception as exc:  # a workbook shaped in a way no reader foresaw: say so, no traceback
        raise UnreadableWorkbookError(
            f"could not be read as a return ({type(exc).__name__}: {exc}); please report this "
            "with the file",
            workbook=p,
        ) from exc


def read_workbook(path: str | Path, wb: Any, synonyms: Synonyms | None = None) -> ReturnBook:
    """A loaded workbook read as a return, in the template layout or a council layout:
    openpyxl's, or anything offering what they read (the Excel add-in's live book,
    :class:`lpsa_xl.excel.livebook.LiveBook`). ``path`` names it in messages."""
    p = Path(path)
    if _is_template(wb):
        return _read_template(p, wb)
    return _read_council(p, wb, synonyms or load_synonyms(()))


# --- lpsa-xl's own layout ------------------------------------------------------------------


def _read_template_quickly(path: Path) -> ReturnBook | None:
    """The template layout read through :mod:`.fastread` (the parts it needs, parsed with
    expat: a third of openpyxl's full load); None when the file is not in the template layout
    or holds anything the quick read does not handle, and openpyxl reads it instead. Both
    readings run the same :func:`_read_template`, so they give the same book."""
    from lpsa_xl.files import fastread

    try:
        wb = fastread.load(path)
    except Exception:
        return None
    try:
        return _read_template(path, wb) if _is_template(wb) else None
    except WorkbookError:
        raise  # a layout problem: openpyxl's reading would find the same
    except Exception:
        return None
    finally:
        wb.close()


def _is_template(wb: Any) -> bool:
    if L.TARGETS_SHEET not in wb.sheetnames or "Scheme" not in wb.defined_names:
        return False
    return L.TARGETS_TABLE in wb[L.TARGETS_SHEET].tables


def _named(wb: Any, name: str) -> Cell | None:
    dn = wb.defined_names.get(name)
    if dn is None:
        return None
    try:
        destinations = list(dn.destinations)
    except Exception:  # a name holding a constant or formula rather than a range
        return None
    for sheet, coord in destinations:
        coord = coord.replace("$", "")
        if sheet in wb.sheetnames and ":" not in coord:
            return _cell(wb[sheet], *parse_a1(coord))
    return None


def _cell(ws: Any, row: int, col: int, spread: list[object] | None = None) -> Cell:
    """The cell at (row, col); ``spread``: that row of :func:`sheet_grid`, whose value is taken
    where the cell is blank because it lies inside a merged range."""
    c = ws.cell(row=row, column=col)
    value = c.value
    if value is None and spread is not None and col - 1 < len(spread):
        value = spread[col - 1]
    return Cell(ws.title, f"{col_letters(col)}{row}", value, c.number_format or "General")


def _table_rows(ws: Any, name: str) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    table = ws.tables[name]
    min_col, min_row, max_col, max_row = range_bounds(table.ref)
    headers = [
        str(ws.cell(row=min_row, column=c).value or "").strip() for c in range(min_col, max_col + 1)
    ]
    rows = []
    for r in range(min_row + 1, max_row + 1):
        rows.append((r, [_cell(ws, r, c) for c in range(min_col, max_col + 1)]))
    return headers, rows


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_template(path: Path, wb: Any) -> ReturnBook:
    book = ReturnBook(path=path, layout="template")
    if L.AGREEMENT_SHEET not in wb.sheetnames:
        raise LayoutError(
            f"the {L.AGREEMENT_SHEET!r} sheet is missing (the template keeps the authority, "
            "scheme and potential there)",
            workbook=path,
        )
    for name, fld, _label in L.AGREEMENT_NAMES:
        cell = _named(wb, name)
        if cell is None:
            raise LayoutError(
                f"the defined name {name} (the {fld.replace('_', ' ')} cell) is missing or "
                "points nowhere",
                workbook=path,
                sheet=L.AGREEMENT_SHEET,
            )
        book.agreement[fld] = cell
    for name, fld, _label in L.COMPUTED_NAMES:
        cell = _named(wb, name)
        if cell is not None and fld in ("total_potential", "total_reward", "on_account"):
            book.totals[fld] = cell
    by_header = {c.header: c for c in (*L.TARGET_COLUMNS, *L.LAA_EXTRA_COLUMNS)}
    ws = wb[L.TARGETS_SHEET]
    headers, rows = _table_rows(ws, L.TARGETS_TABLE)
    missing = [c.header for c in L.TARGET_COLUMNS if c.input and c.header not in headers]
    if missing:
        raise LayoutError(
            f"the Targets table has no column {', '.join(map(repr, missing))}",
            workbook=path,
            sheet=ws.title,
        )
    for r, cells in rows:
        target = TargetRow(sheet=ws.title, row=r)
        for header, cell in zip(headers, cells, strict=True):
            col = by_header.get(header)
            if col is None:
                continue
            if col.input:
                target.fields[col.field] = cell
            else:
                target.claimed["potential" if col.field == "line_potential" else col.field] = cell
        if all(_blank(c.value) for c in target.fields.values()):
            continue
        book.targets.append(target)
    if L.PUMP_SHEET in wb.sheetnames and L.PUMP_TABLE in wb[L.PUMP_SHEET].tables:
        headers, rows = _table_rows(wb[L.PUMP_SHEET], L.PUMP_TABLE)
        fields = dict(L.PUMP_COLUMNS)
        for _r, cells in rows:
            line = {fields[h]: c for h, c in zip(headers, cells, strict=True) if h in fields}
            if not all(
                _blank(line[f].value) for f in ("ref", "year", "budget", "spend") if f in line
            ):
                book.pump_priming.append(line)
    if L.AGREEMENT_SHEET in wb.sheetnames and L.PARTNER_TABLE in wb[L.AGREEMENT_SHEET].tables:
        headers, rows = _table_rows(wb[L.AGREEMENT_SHEET], L.PARTNER_TABLE)
        for _r, cells in rows:
            line = {
                f: c
                for (h, f) in L.PARTNER_COLUMNS
                for hh, c in zip(headers, cells, strict=True)
                if hh == h
            }
            if not all(_blank(c.value) for c in line.values()):
                book.partners.append(line)
    if L.CLAIM_SHEET in wb.sheetnames:
        ws = wb[L.CLAIM_SHEET]
        for i in range(L.CLAIM_ROWS):
            r = L.CLAIM_FIRST_ROW + i
            line = {f: _cell(ws, r, j) for j, (_h, f) in enumerate(L.CLAIM_COLUMNS, start=1)}
            if not all(_blank(c.value) for c in line.values()):
                book.claim.append(line)
    return book


# --- any council's layout ------------------------------------------------------------------

_STOP = re.compile(r"^\s*(grand\s+)?totals?\b|^\s*sub-?total", re.I)
_SUB = re.compile(
    r"^\s*(\d+)\s*(?:\.\s*\d+|[.(]?\s*(?:[a-z]|i{1,3}|iv|vi{0,3}|ix|x)\s*\)?)\s*$", re.I
)


def _read_council(path: Path, wb: Any, synonyms: Synonyms) -> ReturnBook:
    grids = {ws.title: sheet_grid(ws) for ws in wb.worksheets}
    match = find_header(grids, synonyms, workbook=path)
    book = ReturnBook(path=path, layout="council")
    book.notes.append(match.describe())
    grid = grids[match.sheet]
    ws = wb[match.sheet]
    merged_header = _merged_in_header(ws, match)
    if merged_header:
        book.notes.append(
            f"merged header cells {', '.join(merged_header)} were read as one "
            "header over their columns"
        )
    pump = find_pump_priming(grids, synonyms, match)
    end = _last_row(grid, match, pump)
    input_fields = set(synonyms.fields)
    blanks = 0
    for r in range(match.last_row + 1, end + 1):
        values = grid[r - 1]
        cells = {name: _cell(ws, r, col, values) for name, col in match.columns.items()}
        if all(_blank(c.value) for c in cells.values()):
            blanks += 1
            if blanks >= 3:
                break
            continue
        blanks = 0
        first_text = next((v for v in values if isinstance(v, str) and v.strip()), "")
        if _STOP.match(str(first_text)):
            break
        figures = [cells[f].value for f in ("expected", "target", "actual") if f in cells]
        ref = cells.get("ref")
        if all(_blank(v) for v in figures) and (ref is None or _blank(ref.value)):
            continue  # a section heading such as "Block: Children and Young People"
        row = TargetRow(sheet=match.sheet, row=r)
        for name, cell in cells.items():
            (row.fields if name in input_fields else row.claimed)[name] = cell
        flag = row.fields.pop("lower_is_better", None)
        if flag is not None and "direction" not in row.fields and not _blank(flag.value):
            value = lower_is_better(flag.value)  # a canonical direction, read from that cell
            row.fields["direction"] = Cell(flag.sheet, flag.coord, value, flag.number_format)
        book.targets.append(row)
    _infer_parents(book)
    if pump is not None:
        book.notes.append(pump.describe())
        book.pump_priming = _pump_rows(wb[pump.sheet], grids[pump.sheet], pump, match)
    _read_agreement_labels(book, wb, grids, synonyms, match)
    return book


def _pump_rows(
    ws: Any, grid: list[list[object]], pump: HeaderMatch, targets: HeaderMatch
) -> list[dict[str, Cell]]:
    """The lines of a council's pump-priming table: every row below its header with a budget
    or a spend, up to a total row, three blank rows, or the targets table's header."""
    end = _last_row(grid, pump, targets)
    lines: list[dict[str, Cell]] = []
    blanks = 0
    for r in range(pump.last_row + 1, end + 1):
        values = grid[r - 1]
        line = {name: _cell(ws, r, col, values) for name, col in pump.columns.items()}
        first_text = next((v for v in values if isinstance(v, str) and v.strip()), "")
        if _STOP.match(str(first_text)):
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


def _merged_in_header(ws: Any, match: HeaderMatch) -> list[str]:
    cols = set(match.columns.values())
    out = []
    for rng in ws.merged_cells.ranges:
        min_col, min_row, max_col, max_row = rng.bounds
        if (
            min_row <= match.last_row
            and max_row >= match.first_row
            and any(min_col <= c <= max_col for c in cols)
        ):
            out.append(str(rng.coord))
    return out


def _infer_parents(book: ReturnBook) -> None:
    """Sub-targets in council layouts: refs like ``3a``/``3b`` (or ``3(i)``) under target ``3``.
    A row of that ref without figures becomes the parent's own row."""
    if any("parent" in t.fields for t in book.targets):
        return
    refs = [str(t.value("ref") or "").strip() for t in book.targets]
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


def _read_agreement_labels(
    book: ReturnBook,
    wb: Any,
    grids: dict[str, list[list[object]]],
    synonyms: Synonyms,
    match: HeaderMatch,
) -> None:
    """Agreement figures outside the table: a cell whose text matches a label, its value the
    first non-blank cell to the right (up to 3 columns) or just below. The table itself and
    text values that should be figures are skipped."""
    numeric = {"nbr", "stated_potential", "pump_priming_grant"}
    found: dict[str, tuple[float, Cell]] = {}
    for sheet, grid in grids.items():
        for r, values in enumerate(grid[:200], start=1):
            if sheet == match.sheet and r >= match.first_row:
                break
            for c, value in enumerate(values[:30], start=1):
                if not isinstance(value, str) or len(value) > 80 or not value.strip():
                    continue
                norm = normalise(value)
                if not norm:
                    continue
                for name, phrases in synonyms.agreement.items():
                    s, _phrase = score(norm, phrases)
                    if s <= 0 or s < len(norm.split()) * 0.5:  # the label must be mostly the phrase
                        continue
                    cell = _value_near(grid, sheet, r, c)
                    if cell is None:
                        continue
                    if name in numeric and not _looks_numeric(cell.value):
                        continue
                    if name not in found or s > found[name][0]:
                        found[name] = (s, cell)
    for name, (_s, cell) in found.items():
        book.agreement[name] = cell


def _looks_numeric(value: object) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and bool(
        re.fullmatch(r"\s*£?\s*[\d,]+(\.\d+)?\s*[mk]?\s*", value, re.I)
    )


def _value_near(grid: list[list[object]], sheet: str, r: int, c: int) -> Cell | None:
    row = grid[r - 1]
    for cc in range(c + 1, min(c + 4, len(row) + 1)):
        v = row[cc - 1]
        if not _blank(v):
            return Cell(sheet, f"{col_letters(cc)}{r}", v)
    if (
        r < len(grid)
        and c - 1 < len(grid[r])
        and not _blank(grid[r][c - 1])
        and not isinstance(grid[r][c - 1], str)
    ):
        return Cell(sheet, f"{col_letters(c)}{r + 1}", grid[r][c - 1])
    return None
