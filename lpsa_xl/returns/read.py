"""Reading a return into a :class:`~lpsa_xl.returns.model.ReturnBook`.

Two layouts:

* ``template``: lpsa-xl's own (:mod:`lpsa_xl.returns.templates`), found by its defined names
  and its ``Targets`` table; columns are read by their table header.
* ``council``: any layout, read by :mod:`lpsa_xl.returns.council` (the targets table found
  by its headers, however it is laid out; agreement figures by their labels).

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

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from lpsa_xl.files.a1 import col_letters, parse_a1, range_bounds
from lpsa_xl.files.errors import LayoutError, UnreadableWorkbookError, WorkbookError
from lpsa_xl.files.inspect import inspect_package
from lpsa_xl.files.openbook import open_workbook
from lpsa_xl.returns import layout as L
from lpsa_xl.returns.council import read_council, sheet_grid
from lpsa_xl.returns.model import Cell, ReturnBook, TargetRow
from lpsa_xl.returns.synonyms import Synonyms, load_synonyms

__all__ = ["formula_cells", "open_workbook", "read_return", "read_workbook", "sheet_grid"]


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
    quick = _read_quickly(p, lambda: synonyms or load_synonyms(headers))
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
    return read_council(p, wb, synonyms or load_synonyms(()))


# --- lpsa-xl's own layout ------------------------------------------------------------------


def _read_quickly(path: Path, synonyms: Callable[[], Synonyms]) -> ReturnBook | None:
    """The return read through :mod:`.fastread` (the parts it needs, parsed with expat: a third
    of openpyxl's full load), in the template layout or a council's; None when the file holds
    anything the quick read does not handle, and openpyxl reads it instead. Both readings run
    the same :func:`_read_template` and :func:`read_council` (a test holds them to the same
    book over the council corpus)."""
    from lpsa_xl.files import fastread

    try:
        wb = fastread.load(path)
    except Exception:
        return None
    try:
        if _is_template(wb):
            return _read_template(path, wb)
        return read_council(path, wb, synonyms())
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
    _read_monitoring(book, wb)
    if L.CLAIM_SHEET in wb.sheetnames:
        ws = wb[L.CLAIM_SHEET]
        for i in range(L.CLAIM_ROWS):
            r = L.CLAIM_FIRST_ROW + i
            line = {f: _cell(ws, r, j) for j, (_h, f) in enumerate(L.CLAIM_COLUMNS, start=1)}
            if not all(_blank(c.value) for c in line.values()):
                book.claim.append(line)
    return book


def _read_monitoring(book: ReturnBook, wb: Any) -> None:
    """The Monitoring table (ref, period, value: one row per target and period), if any, as
    each target's monitoring series."""
    if L.MONITORING_SHEET not in wb.sheetnames:
        return
    if L.MONITORING_TABLE not in wb[L.MONITORING_SHEET].tables:
        return
    headers, rows = _table_rows(wb[L.MONITORING_SHEET], L.MONITORING_TABLE)
    fields = dict(L.MONITORING_COLUMNS)
    for _r, cells in rows:
        line = {fields[h]: c for h, c in zip(headers, cells, strict=True) if h in fields}
        ref, period = line.get("ref"), line.get("period")
        if ref is None or period is None or "value" not in line or _blank(ref.value):
            continue
        label = ref.value
        key = str(int(label)) if isinstance(label, float) and label.is_integer() else str(label)
        when = period.value
        text = str(int(when)) if isinstance(when, float) and when.is_integer() else str(when or "")
        book.series.setdefault(key.strip(), []).append((text.strip(), line["value"]))
