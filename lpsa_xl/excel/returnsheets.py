"""What the macros read from a live return: the template layout as they look it up (headers
matched by text, never by position), the agreement cells, the target rows with their cells,
and the problems that stop a return being computed (:class:`Finding`, at its cell). Used by
:mod:`lpsa_xl.excel.macros` (Calculate, Validate, Build claim).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from lpsa_xl import rules
from lpsa_xl.excel.notloaded import formula_grid
from lpsa_xl.files.a1 import col_letters
from lpsa_xl.returns import layout as L
from lpsa_xl.returns.model import Cell

__all__ = ["CLAIM_COLUMNS", "CLAIM_HEADERS", "COMPUTED_COLUMNS", "FINDINGS_HEADER",
           "FINDINGS_SHEET", "INPUT_COLUMNS", "TOTAL_FIELDS", "Finding", "ReturnSheets",
           "blank", "formula_cells", "header_key", "sheet_grid"]

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
#: Input columns of the targets table: header, canonical field (docs/rules.md#return).
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


def formula_cells(sheet: Any) -> set[tuple[int, int]]:
    """(row, column) of every cell holding a formula (none when the client sent no formulas)."""
    cells, r0, c0 = formula_grid(sheet)
    return {(r0 + i, c0 + j) for i, row in enumerate(cells or [])
            for j, f in enumerate(row) if isinstance(f, str) and f.startswith("=")}  # fmt: skip




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


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def sheet_grid(sheet: Any) -> tuple[int, int, list[list[object]]]:
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
        r0, c0, grid = sheet_grid(sheet)
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
        r0, c0, grid = sheet_grid(sheet)
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
            if all(blank(c.value) for c in inputs.values()):
                break  # the end of the table
            self.rows.append(inputs)
            self.stated.append(_cells(sheet.name, r, c0, row, self.computed))
        if not self.rows:
            coord = f"{col_letters(self.columns['ref'])}{self.header_row + 1}"
            empty = "no targets yet: the table under the header is empty"
            self.problems.append(Finding(sheet.name, coord, "", "ref", "error", empty))

