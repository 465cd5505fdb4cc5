"""A live ``xw.Book`` (classic xlwings, or the book JSON xlwings Server receives) seen as the
workbook object :mod:`lpsa_xl.returns.read` reads, so Validate reads a return with the same
code that reads return files (as :mod:`lpsa_xl.files.fastread` does over raw XML).

It offers only what the readers ask for: ``sheetnames``, ``worksheets``, ``defined_names``
(``.get(name).destinations``), ``wb[title]``, and per sheet ``title``, ``tables``
(name -> ``.ref``), ``cell(row, column)`` (``.value``, ``.number_format``), ``iter_rows`` and
``merged_cells``, and the book's ``properties``. Values are the cells' values as Excel hands
them over; Excel on the web sends dates as serial numbers. lpsa-xl's task pane also sends each
cell's number format and the document properties, so a council layout reads as its file does
(a 49%-formatted 0.49, a date typed where a figure goes, the authority named only in the
document title). Without them (classic xlwings, another client) the template's date cells (its
``Period_*`` names) are turned back into dates as openpyxl would read them, and a cell of a
template column of the Targets table gets that column's number format (the checker's tolerance
for a stated figure follows it, as it does for a file).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lpsa_xl.files.a1 import parse_a1, range_bounds
from lpsa_xl.files.fastread import CellValue
from lpsa_xl.files.numformat import date_kind, from_serial
from lpsa_xl.returns import layout as L

__all__ = ["LiveBook"]

_DATE_NAMES = {name for name, fld, _label in L.AGREEMENT_NAMES if fld.startswith("period")}


class _Ref:
    """A table (``.ref``) or a defined name (``.destinations``)."""

    def __init__(self, ref: str = "", destinations: tuple[tuple[str, str], ...] = ()) -> None:
        self.ref = ref
        self.destinations = destinations


class _Properties:
    """The document properties the task pane sent (title, subject, keywords, description,
    category), as openpyxl's ``wb.properties`` offers them; each None where not sent."""

    def __init__(self, sent: dict[str, Any]) -> None:
        for name in ("title", "subject", "keywords", "description", "category"):
            value = sent.get(name)
            setattr(self, name, value if isinstance(value, str) and value.strip() else None)


class _NoMerges:
    """Excel hands over no merged ranges; the readers see none."""

    ranges: tuple[()] = ()

    def __iter__(self) -> Iterator[Any]:
        return iter(())


class LiveSheet:
    """One sheet of a live book, its used range read once."""

    merged_cells = _NoMerges()

    def __init__(self, sheet: Any) -> None:
        self.title: str = sheet.name
        rng = sheet.used_range
        grid = rng.options(ndim=2, err_to_str=True).value or [[]]
        self._r0, self._c0 = rng.row, rng.column
        self._grid = [list(r) for r in grid]
        self.tables = {t.name: _Ref(ref=t.range.address.replace("$", "")) for t in sheet.tables}
        self._dates: set[tuple[int, int]] = set()
        self._formats: dict[int, str] = {}  # column -> number format of its template column
        raw = sheet.api if isinstance(sheet.api, dict) else {}
        # lpsa-xl's task pane sends each cell's number format beside its value (anchored at A1)
        self._cell_formats: list[list[object]] = raw.get("number_formats") or []
        if L.TARGETS_TABLE in self.tables and self.title == L.TARGETS_SHEET:
            formats = {c.header: c.number_format for c in (*L.TARGET_COLUMNS, *L.LAA_EXTRA_COLUMNS)}
            min_col, min_row, max_col, _ = range_bounds(self.tables[L.TARGETS_TABLE].ref)
            for c in range(min_col, max_col + 1):
                header = str(self.cell(min_row, c).value or "").strip()
                if header in formats:
                    self._formats[c] = formats[header]

    def cell(self, row: int, column: int) -> CellValue:
        i, j = row - self._r0, column - self._c0
        if i < 0 or j < 0 or i >= len(self._grid) or j >= len(self._grid[i]):
            return CellValue(None)
        value = self._grid[i][j]
        if (row, column) in self._dates and isinstance(value, (int, float)):
            return CellValue(from_serial(value), "yyyy-mm-dd")
        fmt = self._format(row, column)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and date_kind(fmt):
            return CellValue(from_serial(value), fmt)  # a date Excel sent as its serial number
        return CellValue(value, fmt)

    def _format(self, row: int, column: int) -> str:
        """The cell's number format: as the task pane sent it, else its template column's."""
        grid = self._cell_formats
        if row - 1 < len(grid) and isinstance(grid[row - 1], list):
            cells = grid[row - 1]
            if column - 1 < len(cells) and isinstance(cells[column - 1], str):
                return str(cells[column - 1]) or "General"
        return self._formats.get(column, "General")

    def iter_rows(self, values_only: bool = True) -> Iterator[tuple[object, ...]]:
        width = self._c0 - 1 + max((len(r) for r in self._grid), default=0)
        for r in range(1, self._r0 - 1 + len(self._grid) + 1):
            yield tuple(self.cell(r, c).value for c in range(1, width + 1))


class LiveBook:
    """A live book as the readers see a loaded workbook."""

    def __init__(self, book: Any) -> None:
        self._sheets = {s.name: LiveSheet(s) for s in book.sheets}
        raw = book.api if isinstance(book.api, dict) else {}
        self.properties = _Properties(raw.get("properties") or {})
        self.sheetnames = list(self._sheets)
        self.worksheets = list(self._sheets.values())
        self.defined_names: dict[str, _Ref] = {}
        for name in book.names:
            try:
                rng = name.refers_to_range
                where = (rng.sheet.name, rng.address.replace("$", ""))
            except Exception:  # a name holding a constant or formula rather than a range
                continue
            self.defined_names[name.name] = _Ref(destinations=(where,))
            if name.name in _DATE_NAMES and where[0] in self._sheets:
                self._sheets[where[0]]._dates.add(parse_a1(where[1]))

    def __getitem__(self, title: str) -> LiveSheet:
        return self._sheets[title]

    def close(self) -> None:
        """Nothing to release (the readers' interface)."""
