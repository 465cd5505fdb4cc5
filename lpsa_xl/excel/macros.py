"""The three buttons of a return: Calculate, Validate and Build claim (issue 4).

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
what was expected, and that sheet is shown.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lpsa_xl import rules
from lpsa_xl.check.checks import check_book
from lpsa_xl.check.findings import Finding as CheckFinding
from lpsa_xl.check.registry import RULES
from lpsa_xl.excel.livebook import LiveBook
from lpsa_xl.excel.notloaded import formula_grid, not_loaded
from lpsa_xl.files.a1 import col_letters, parse_a1
from lpsa_xl.files.errors import WorkbookError
from lpsa_xl.returns import layout as L
from lpsa_xl.returns.compute import compute_book
from lpsa_xl.returns.figures import ReturnProblemsError
from lpsa_xl.returns.model import Cell
from lpsa_xl.returns.read import read_workbook
from lpsa_xl.rules.errors import LpsaError

__all__ = ["Finding", "ReturnSheets", "build_claim", "calculate", "find_problems", "validate"]

# --- where things are: the template layout, as the macros look it up ------------------------
# Columns are matched by their header text (case, spaces and "_" aside), never by position, so
# a council that moved or added columns is still read; canonical field names are accepted as
# headers too. Only the Findings sheet is the add-in's own.

FINDINGS_SHEET = "Findings"
#: Columns of the findings sheet Validate writes.
FINDINGS_HEADER = ["Severity", "Sheet", "Cell", "Rule", "Finding"]

#: Template field -> the core's field where the names differ (Line.potential, Payment.paid).
_CORE_FIELD = {"line_potential": "potential", "amount": "paid"}
_RESULT_TOTALS = ("total_potential", "total_reward", "on_account")
_LINE_OUT = {f.name for f in dataclasses.fields(rules.Line)}

#: Defined name (also accepted as the label in column A of the Agreement sheet) -> field.
AGREEMENT_FIELDS = {name: fld for name, fld, _label in L.AGREEMENT_NAMES}
#: Defined names of the agreement totals Calculate fills -> figure of the core's Result.
TOTAL_FIELDS = {name: fld for name, fld, _label in L.COMPUTED_NAMES if fld in _RESULT_TOTALS}
#: Input columns of the targets table: header, canonical field (RULES.md §9).
INPUT_COLUMNS = tuple((c.header, c.field) for c in L.TARGET_COLUMNS if c.input)
#: Computed columns Calculate fills and Validate checks: header, field of the core's Line.
COMPUTED_COLUMNS = tuple(
    (c.header, _CORE_FIELD.get(c.field, c.field))
    for c in L.TARGET_COLUMNS
    if not c.input and _CORE_FIELD.get(c.field, c.field) in _LINE_OUT
)
#: The claim's payment plan: header, field of the core's Payment.
CLAIM_COLUMNS = tuple((h, _CORE_FIELD.get(f, f)) for h, f in L.CLAIM_COLUMNS)


def header_key(text: object) -> str:
    """A header as looked up: lower case, single spaces ("_" counts as a space)."""
    return " ".join(str(text or "").replace("_", " ").lower().split())


def _keys(columns: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out = {header_key(h): f for h, f in columns}
    out.update({header_key(f): f for _h, f in columns if header_key(f) not in out})
    return out


INPUT_HEADERS = _keys(INPUT_COLUMNS)
#: The same for computed columns; a bare "potential" is the stated-potential input.
COMPUTED_HEADERS = {k: v for k, v in _keys(COMPUTED_COLUMNS).items() if k != "potential"}
CLAIM_HEADERS = _keys(CLAIM_COLUMNS)


def _formula_cells(sheet: Any) -> set[tuple[int, int]]:
    """(row, column) of every cell holding a formula (none when the client sent no formulas)."""
    grid, r0, c0 = formula_grid(sheet)
    return {(r0 + i, c0 + j) for i, row in enumerate(grid or [])
            for j, f in enumerate(row) if isinstance(f, str) and f.startswith("=")}  # fmt: skip


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


@dataclass(frozen=True)
class Finding:
    """One problem found in a return, and where."""

    sheet: str
    cell: str
    ref: str
    field: str
    severity: str  # "error" (the figures cannot be computed) or "mismatch" (a stated figure)
    message: str

    def row(self) -> list[str]:
        """As a row of the Findings sheet (no checker rule: the figures could not be computed)."""
        return [self.severity, self.sheet, self.cell, "", self.message]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _grid(sheet: Any) -> tuple[int, int, list[list[object]]]:
    """A sheet's used range: first row, first column (1-based) and its rows."""
    rng = sheet.used_range
    values = rng.options(ndim=2, err_to_str=True).value or [[]]  # error cells as "#N/A"
    return rng.row, rng.column, [list(r) for r in values]


def _cells(
    sheet: str, r: int, c0: int, row: list[object], columns: dict[str, int]
) -> dict[str, Cell]:
    """Field -> cell of one table row (``c0`` is the grid's first column)."""
    return {
        f: Cell(sheet, f"{col_letters(c)}{r}", row[c - c0] if c - c0 < len(row) else None)
        for f, c in columns.items()
    }


@dataclass
class ReturnSheets:
    """What the macros read from a return: agreement cells, target rows with their cells."""

    book: Any
    agreement: dict[str, Cell] = field(default_factory=dict)
    header_row: int = 0  # 1-based row of the targets table's header, 0 when not found
    columns: dict[str, int] = field(default_factory=dict)  # field -> 1-based column (inputs)
    computed: dict[str, int] = field(default_factory=dict)  # field -> column (computed)
    rows: list[dict[str, Cell]] = field(default_factory=list)
    stated: list[dict[str, Cell]] = field(default_factory=list)  # computed figures as stated
    problems: list[Finding] = field(default_factory=list)

    @classmethod
    def read(cls, book: Any) -> ReturnSheets:
        self = cls(book)
        self._read_agreement()
        self._read_targets()
        return self

    def sheet(self, name: str) -> Any | None:
        return next((s for s in self.book.sheets if s.name == name), None)

    def _read_agreement(self) -> None:
        for name, fld in AGREEMENT_FIELDS.items():
            try:
                rng = self.book.names[name].refers_to_range
                self.agreement[fld] = Cell(rng.sheet.name, rng.address.replace("$", ""), rng.value)
            except Exception:  # no such name: fall back to the labels below
                continue
        sheet = self.sheet(L.AGREEMENT_SHEET)
        if sheet is None:
            return
        r0, c0, grid = _grid(sheet)
        labels = {header_key(n): f for n, f in AGREEMENT_FIELDS.items()}
        for i, row in enumerate(grid):
            for j, label in enumerate(row[:-1]):
                found = labels.get(header_key(label))
                if found and found not in self.agreement:
                    coord = f"{col_letters(c0 + j + 1)}{r0 + i}"
                    self.agreement[found] = Cell(sheet.name, coord, row[j + 1])

    def _read_targets(self) -> None:
        sheet = self.sheet(L.TARGETS_SHEET)
        if sheet is None:
            self.problems.append(
                Finding(
                    L.TARGETS_SHEET,
                    "",
                    "",
                    "",
                    "error",
                    f"no sheet named {L.TARGETS_SHEET!r}",
                )
            )
            return
        r0, c0, grid = _grid(sheet)
        for i, row in enumerate(grid):
            keys = [header_key(v) for v in row]
            if "ref" in keys and any(INPUT_HEADERS.get(k) == "expected" for k in keys):
                self.header_row = r0 + i
                for j, k in enumerate(keys):
                    if k in INPUT_HEADERS:
                        self.columns.setdefault(INPUT_HEADERS[k], c0 + j)
                    elif k in COMPUTED_HEADERS:
                        self.computed.setdefault(COMPUTED_HEADERS[k], c0 + j)
                body = grid[i + 1 :]
                break
        else:
            self.problems.append(
                Finding(
                    sheet.name, "", "", "ref", "error", "no header row with Ref and Expected found"
                )
            )
            return
        for n, row in enumerate(body):
            r = self.header_row + 1 + n
            inputs = _cells(sheet.name, r, c0, row, self.columns)
            if all(_blank(c.value) for c in inputs.values()):
                break  # the end of the table
            self.rows.append(inputs)
            self.stated.append(_cells(sheet.name, r, c0, row, self.computed))
        if not self.rows:
            coord = f"{col_letters(self.columns['ref'])}{self.header_row + 1}"
            empty = "no targets yet: the table under the header is empty"
            self.problems.append(Finding(sheet.name, coord, "", "ref", "error", empty))


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


def find_problems(book: Any) -> list[CheckFinding]:
    """Validate's findings: the returns checker's (:func:`lpsa_xl.check.checks.check_book`, rules
    in :mod:`lpsa_xl.check.registry`) on the book as :mod:`lpsa_xl.returns.read` reads a return
    file, the live book seen through :class:`~lpsa_xl.excel.livebook.LiveBook`."""
    name = str(getattr(book, "name", "") or "workbook")
    sheets = ReturnSheets.read(book)
    computed = [(c.sheet, *parse_a1(c.coord)) for row in sheets.stated for c in row.values()]
    unloaded = not_loaded(book, computed)
    if unloaded:
        where, message = unloaded
        return [RULES["LPSA105"].at(where, message)]
    try:
        read = read_workbook(name, LiveBook(book))
    except WorkbookError as exc:
        return [RULES["LPSA100"].at((exc.sheet, exc.cell), exc.reason)]
    except LpsaError as exc:
        return [RULES["LPSA100"].at(None, str(exc))]
    return check_book(read)[1]


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


def calculate(book: Any) -> list[Finding]:
    """Fill the computed columns of the targets table and the agreement totals."""
    sheets = ReturnSheets.read(book)
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


def validate(book: Any) -> list[CheckFinding]:
    """Write the findings sheet: every problem with the cell it is in."""
    problems = find_problems(book)
    _show_findings(book, problems)
    return problems


def build_claim(book: Any) -> list[Finding]:
    """Fill the Claim sheet's payment plan (RULES.md §5) from the targets."""
    sheets = ReturnSheets.read(book)
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
