"""What the one scan of a workbook package holds: the package with its workbook part, sheets,
defined names, tables and shared strings, and in each sheet its cells' values, its formula
cells and every ``<c>`` element as written (:mod:`lpsa_xl.files.scan` fills these in).

Plain data; imports nothing of lpsa-xl.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["KEY", "FormulaCell", "Package", "Sheet", "Table"]

KEY = 20_000  # cell key = row * KEY + column


@dataclass
class FormulaCell:
    """A formula cell: its position-independent text (``None`` for an array formula's other
    cells), where its ``<c>`` element lies in the sheet XML, and the value Excel cached."""

    row: int
    col: int
    text: str | None
    kind: str = "normal"  # normal | array | array-child | dataTable
    ref: str | None = None  # array formula range
    span: tuple[int, int] = (0, 0)
    prefix: str = ""  # namespace prefix of the element, e.g. "x:"
    attrs: str = ""
    inner: str = ""
    cached: Any = None
    original: str = ""  # the A1 text as written in the file


@dataclass
class Table:
    name: str
    ref: str
    sheet: int
    r1: int
    c1: int
    r2: int
    c2: int
    header_rows: int
    totals_rows: int
    columns: list[str]


@dataclass
class Sheet:
    name: str
    part: str | None  # zip member; None for chart sheets
    xml: str = ""
    values: dict[int, Any] = field(default_factory=dict)
    formulas: list[FormulaCell] = field(default_factory=list)
    max_row: int = 0
    max_col: int = 0
    #: Every ``<c>`` element, by cell key, as written: its type (``t``, "n" if none), style index
    #: (``s``, 0 if none) and content (the raw text of its ``<v>``, or an inline string's text;
    #: None if none). The template reader's view (:mod:`lpsa_xl.files.fastread`) converts
    #: the cells it asks for as openpyxl does.
    raw: dict[int, tuple[str, int, str | None]] = field(default_factory=dict)


@dataclass
class Package:
    path: Path
    workbook_part: str
    workbook_xml: str
    sheets: list[Sheet]
    names: list[tuple[str, int | None, str]]  # (name, local sheet index or None, formula text)
    tables: list[Table]
    date1904: bool = False
    strings: list[str] = field(default_factory=list)  # the shared strings
    styles_xml: str = ""  # the styles part (number formats), for the template reader's view
