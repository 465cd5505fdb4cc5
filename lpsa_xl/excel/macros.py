"""The three buttons of a return: Calculate, Validate and Build claim.

Each takes an ``xw.Book``-like object and uses only what classic xlwings (desktop Excel) and
xlwings Server (a book sent as JSON from Excel on the web or Mac) both provide: ``book.sheets``,
``book.names``, ``sheet.used_range``, ``sheet.range(...).value`` and ``clear_contents``. So the
same code runs behind the classic VBA Subs (:mod:`lpsa_xl.excel.udfs`) and the xlwings Server
scripts (:mod:`lpsa_xl.excel.server`). Where things are comes from the template layout,
:mod:`lpsa_xl.returns.layout` (the same names the template builder and the readers use).

The live book is read by the same code that reads return files (:mod:`lpsa_xl.returns.read`
through :class:`~lpsa_xl.excel.livebook.LiveBook`): Calculate and Build claim take their
figures from :func:`lpsa_xl.returns.compute.compute_book` (as ``lpsa-xl compute`` does),
Validate its findings from :func:`lpsa_xl.check.checks.check_book` (as ``lpsa-xl check``).
A problem never raises into Excel: it is written to the Findings sheet, naming sheet, cell and
what was expected, and that sheet is shown. What the macros read of a return (layout, cells,
target rows) is :mod:`lpsa_xl.excel.returnsheets`.
"""


from __future__ import annotations

from decimal import Decimal
from typing import Any

from lpsa_xl import rules
from lpsa_xl.check.checks import check_book, check_return
from lpsa_xl.check.findings import Finding as CheckFinding
from lpsa_xl.check.registry import RULES
from lpsa_xl.excel.livebook import LiveBook
from lpsa_xl.excel.notloaded import not_loaded
from lpsa_xl.excel.returnsheets import (
    CLAIM_COLUMNS,
    CLAIM_HEADERS,
    COMPUTED_COLUMNS,
    FINDINGS_HEADER,
    FINDINGS_SHEET,
    INPUT_COLUMNS,
    TOTAL_FIELDS,
    Finding,
    ReturnSheets,
    header_key,
)
from lpsa_xl.excel.returnsheets import blank as _blank
from lpsa_xl.excel.returnsheets import formula_cells as _formula_cells
from lpsa_xl.excel.returnsheets import sheet_grid as _grid
from lpsa_xl.files.a1 import parse_a1
from lpsa_xl.files.errors import WorkbookError
from lpsa_xl.returns import layout as L
from lpsa_xl.returns.compute import compute_book
from lpsa_xl.returns.figures import ReturnProblemsError
from lpsa_xl.returns.model import Cell
from lpsa_xl.returns.read import read_workbook
from lpsa_xl.rules.errors import LpsaError

__all__ = ["CLAIM_COLUMNS", "COMPUTED_COLUMNS", "FINDINGS_HEADER", "FINDINGS_SHEET",
           "INPUT_COLUMNS", "Finding", "ReturnSheets", "build_claim", "calculate", "compute",
           "find_problems", "header_key", "validate"]


def _write_column(sheet: Any, formulas: set[tuple[int, int]], top: int, col: int,
                  values: list[object]) -> int:  # fmt: skip
    """Write ``values`` down column ``col`` from row ``top``, one write per run of cells that
    hold no formula: a formula (the template's LPSA_* calculated columns) is never replaced.
    Returns how many formula cells were left."""
    run: list[list[object]] = []
    for r in range(top, top + len(values) + 1):
        if r < top + len(values) and (r, col) not in formulas:
            run.append([values[r - top]])
            continue
        if run:
            sheet.range((r - len(run), col)).value = run
            run = []
    return sum((r, col) in formulas for r in range(top, top + len(values)))


def _problem(exc: LpsaError) -> Finding:
    """A problem compute_book or the reader found, as a finding at its cell."""
    sheet = getattr(exc, "sheet", None) or L.TARGETS_SHEET
    cell = getattr(exc, "cell", None) or ""
    return Finding(sheet, cell, exc.ref or "", exc.field or "", "error", exc.reason)


def _formulas_in(book: Any, cells: list[Cell]) -> set[tuple[str, str]]:
    """Which of ``cells`` hold a formula in the live book (compute_book explains a blank one)."""
    out, by_sheet = set(), {s.name: s for s in book.sheets}
    for sheet in {c.sheet for c in cells}:
        if sheet in by_sheet:
            found = _formula_cells(by_sheet[sheet])
            out |= {(c.sheet, c.coord) for c in cells
                    if c.sheet == sheet and parse_a1(c.coord) in found}  # fmt: skip
    return out


def compute(sheets: ReturnSheets) -> tuple[rules.Result | None, list[Finding]]:
    """The core's result for a return as ``lpsa-xl compute`` gets it (the live book read as a
    file is, then :func:`lpsa_xl.returns.compute.compute_book`), or the problems that stop it
    being computed, each at its cell."""
    if sheets.problems:
        return None, sheets.problems
    book = sheets.book
    try:
        read = read_workbook(str(getattr(book, "name", "") or "workbook"), LiveBook(book))
        done = compute_book(read, formulas=lambda cells: _formulas_in(book, cells))
    except ReturnProblemsError as exc:
        return None, [_problem(p) for p in exc.problems]
    except LpsaError as exc:
        return None, [_problem(exc)]
    return done.result, []


def _excel(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def _functions_not_loaded(book: Any, sheets: ReturnSheets) -> list[CheckFinding]:
    """The one finding (LPSA105) of a book in which every LPSA cell shows ``#NAME?`` (the
    functions are not loaded), else none. Every button gives it: recalculating such a book,
    or reading its figures, would only leave the ``#NAME?`` cells as they are."""
    computed = [(c.sheet, *parse_a1(c.coord)) for row in sheets.stated for c in row.values()]
    unloaded = not_loaded(book, computed)
    if not unloaded:
        return []
    where, message = unloaded
    return [RULES["LPSA105"].at(where, message)]


def find_problems(book: Any, register: str | None = None) -> list[CheckFinding]:
    """Validate's findings: the returns checker's (:func:`lpsa_xl.check.checks.check_book`, rules
    in :mod:`lpsa_xl.check.registry`) on the book as :mod:`lpsa_xl.returns.read` reads a return
    file, the live book seen through :class:`~lpsa_xl.excel.livebook.LiveBook`. ``register``
    (a database URL, or ``default``; see :mod:`lpsa_xl.excel.settings`): the return is also
    compared with its agreement in that register, as ``lpsa-xl check --register`` compares it."""
    name = str(getattr(book, "name", "") or "workbook")
    sheets = ReturnSheets.read(book)
    unloaded = _functions_not_loaded(book, sheets)
    if unloaded:
        return unloaded
    try:
        read = read_workbook(name, LiveBook(book))
    except WorkbookError as exc:
        return [RULES["LPSA100"].at((exc.sheet, exc.cell), exc.reason)]
    except LpsaError as exc:
        return [RULES["LPSA100"].at(None, str(exc))]
    if register is None:
        return check_book(read)[1]
    from lpsa_xl.check.rounds import against_register
    from lpsa_xl.excel.settings import DEFAULT

    _authority, findings, _summary, figures = check_return(read)
    return findings + against_register(figures, None if register == DEFAULT else register)


def _row(problem: Finding | CheckFinding) -> list[str]:
    """A finding as a row of the Findings sheet (the columns of ``lpsa-xl check``)."""
    if isinstance(problem, CheckFinding):
        return [problem.severity, problem.sheet or "", problem.cell or "", problem.rule,
                problem.message]  # fmt: skip
    return problem.row()


def _show_findings(book: Any, problems: list[Finding] | list[CheckFinding]) -> None:
    sheets = ReturnSheets(book)
    sheet = sheets.sheet(FINDINGS_SHEET)
    if sheet is None:
        sheet = book.sheets.add(name=FINDINGS_SHEET, after=book.sheets[len(book.sheets) - 1])
    else:
        sheet.clear_contents()
    rows = [FINDINGS_HEADER] + [_row(p) for p in problems]
    if not problems:
        rows.append(["ok", "", "", "", "no problems found"])
    sheet.range("A1").value = rows
    sheet.activate()


def calculate(book: Any) -> list[Finding] | list[CheckFinding]:
    """Fill the computed columns of the targets table and the agreement totals."""
    sheets = ReturnSheets.read(book)
    unloaded = _functions_not_loaded(book, sheets)
    if unloaded:
        _show_findings(book, unloaded)
        return unloaded
    result, problems = compute(sheets)
    if result is None:
        _show_findings(book, problems)
        return problems
    sheet = sheets.sheet(L.TARGETS_SHEET)
    formulas = _formula_cells(sheet)
    by_ref = {line.ref: line for line in result.lines}
    lines = [by_ref.get(str(cells["ref"].value).strip()) for cells in sheets.rows]
    kept = 0
    for fld, col in sheets.computed.items():
        column = [_excel(getattr(ln, fld)) if ln else None for ln in lines]
        kept += _write_column(sheet, formulas, sheets.header_row + 1, col, column)
    for name, fld in TOTAL_FIELDS.items():
        try:
            rng = book.names[name].refers_to_range
        except Exception:  # the template has no such cell
            continue
        kept += _write_column(rng.sheet, _formula_cells(rng.sheet), rng.row, rng.column,
                              [_excel(getattr(result, fld))])  # fmt: skip
    if kept:
        book.app.calculate()  # the formulas left in place compute the same figures
    return []


def validate(book: Any, register: str | None = None) -> list[CheckFinding]:
    """Write the findings sheet: every problem with the cell it is in (``register``: as
    :func:`find_problems`)."""
    problems = find_problems(book, register)
    _show_findings(book, problems)
    return problems


def build_claim(book: Any) -> list[Finding] | list[CheckFinding]:
    """Fill the Claim sheet's payment plan (docs/rules.md#instalments) from the targets."""
    sheets = ReturnSheets.read(book)
    unloaded = _functions_not_loaded(book, sheets)
    if unloaded:
        _show_findings(book, unloaded)
        return unloaded
    result, problems = compute(sheets)
    if result is not None and not result.payments:
        cell = sheets.agreement.get("period_end")
        where = (cell.sheet, cell.coord) if cell else (L.AGREEMENT_SHEET, "")
        problems = [
            Finding(
                *where, "", "period_end", "error", "Period end is blank: the payment plan needs it"
            )
        ]
    if problems or result is None:
        _show_findings(book, problems)
        return problems
    sheet = sheets.sheet(L.CLAIM_SHEET)
    if sheet is None:
        sheet = book.sheets.add(name=L.CLAIM_SHEET, after=book.sheets[len(book.sheets) - 1])
    r0, c0, grid = _grid(sheet)
    header, columns = 0, {}
    for i, row in enumerate(grid):
        keys = [CLAIM_HEADERS.get(header_key(v)) for v in row]
        if "year" in keys and "paid" in keys:
            header = r0 + i
            columns = {k: c0 + j for j, k in enumerate(keys) if k}
            break
    if not header:
        header = 1
        columns = {fld: j for j, (_, fld) in enumerate(CLAIM_COLUMNS, start=1)}
        sheet.range("A1").value = [[h for h, _ in CLAIM_COLUMNS]]
    formulas = _formula_cells(sheet)
    if any(c in columns.values() and r > header for r, c in formulas):
        book.app.calculate()  # the template's plan is LPSA_INSTALMENTS formulas: recalculate
        return []
    # the old plan: the rows under the header whose year cell is filled (a total row below it,
    # whose year cell is blank, is left alone)
    year = columns["year"] - c0
    old = 0
    for row in grid[header - r0 + 1 :]:
        if year >= len(row) or _blank(row[year]):
            break
        old += 1
    old_end = header + old
    for fld, col in columns.items():
        values = [[_excel(getattr(p, fld))] for p in result.payments]
        sheet.range((header + 1, col)).value = values
        first_stale = header + 1 + len(values)
        if old_end >= first_stale:
            sheet.range((first_stale, col), (old_end, col)).clear_contents()
    return []
