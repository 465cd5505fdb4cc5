"""Errors about workbooks, naming the workbook, sheet and cell.

LpsaError
└── WorkbookError              a workbook that cannot be read, evaluated or written
    ├── UnreadableWorkbookError    corrupt, encrypted, not a workbook, or hostile
    ├── LayoutError                missing sheets, headers or named cells
    ├── CellError                  a cell whose content cannot be used
    ├── FormulaError               unknown function, circular reference, bad formula
    └── UnsafeWriteError           writing would lose something the input had
"""

from __future__ import annotations

from pathlib import Path

from lpsa_xl.rules.errors import LpsaError

__all__ = [
    "CellError",
    "FormulaError",
    "LayoutError",
    "UnreadableWorkbookError",
    "UnsafeWriteError",
    "WorkbookError",
    "where",
]


def where(workbook: str | Path | None, sheet: str | None = None, cell: str | None = None) -> str:
    """``book.xlsx, sheet Targets, cell D7``: the place a message names."""
    parts = []
    if workbook is not None:
        parts.append(Path(workbook).name)
    if sheet is not None:
        parts.append(f"sheet {sheet}")
    if cell is not None:
        parts.append(f"cell {cell}")
    return ", ".join(parts)


class WorkbookError(LpsaError):
    """A workbook that cannot be read, evaluated or written; names where."""

    def __init__(
        self,
        message: str,
        *,
        workbook: str | Path | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        field: str | None = None,
        ref: str | None = None,
    ) -> None:
        self.workbook = str(workbook) if workbook is not None else None
        self.sheet = sheet
        self.cell = cell
        super().__init__(message, field=field, ref=ref)

    def _compose(self) -> str:
        place = where(self.workbook, self.sheet, self.cell)
        inner = super()._compose()
        return f"{place}: {inner}" if place else inner


class UnreadableWorkbookError(WorkbookError):
    """Corrupt, password-protected, not an Excel 2007+ workbook, or hostile (zip/XML bombs)."""


class LayoutError(WorkbookError):
    """A missing sheet, header, table or named cell."""


class CellError(WorkbookError):
    """A cell whose content cannot be used (text where a number is needed, an error value...)."""


class FormulaError(WorkbookError):
    """A formula that cannot be evaluated: unknown function, circular reference, syntax."""


class UnsafeWriteError(WorkbookError):
    """Writing would lose something the input had (charts, images, VBA...); use --force."""
