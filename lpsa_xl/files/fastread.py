"""The readers' quick view of a workbook, so that the checker reads 150 returns in little more
time than openpyxl takes merely to open them (benchmarks/README.md, "check" and "check,
council layouts"): the template layout and councils' own layouts alike.

openpyxl's full load (needed for tables and defined names) builds every cell and style of every
sheet. :func:`load` instead takes the cells the evaluator's reader already scanned
(:func:`lpsa_xl.files.scan.read_package`, which remembers the last file read, so
``lpsa-xl check`` reads a return's XML once for the template reader and the stale-cache rule)
and converts the ones the template reader asks for as openpyxl converts them (numbers, shared
and inline strings, booleans, error codes, dates by their number format), so
:func:`lpsa_xl.returns.read._read_template` runs unchanged on the result. It is used only after
the package inspection has passed the file (:func:`lpsa_xl.files.inspect.inspect_package`: no
bombs, no DOCTYPE); anything unexpected raises, and the reader then falls back to openpyxl.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.parsers import expat

from lpsa_xl.files.a1 import parse_a1
from lpsa_xl.files.numformat import BUILTIN_FORMATS, date_kind, from_serial
from lpsa_xl.files.parts import read_part
from lpsa_xl.files.scan import KEY, Package, Sheet, Table, read_package, xml_text

__all__ = ["CellValue", "QuickBook", "load"]


class CellValue:
    """What the readers ask of a cell: its value and its number format (openpyxl's ``Cell``)."""

    __slots__ = ("number_format", "value")

    def __init__(self, value: object, number_format: str = "General") -> None:
        self.value = value
        self.number_format = number_format


_BLANK = CellValue(None, "General")


class _Name:
    """A defined name as the template reader asks of it (openpyxl's ``DefinedName``): the
    (sheet, cell or range) pairs its references name."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    @property
    def destinations(self) -> Iterator[tuple[str, str]]:
        """("Sheet", "$B$4") for each reference in the name's text (a union is several); a
        name holding anything else (a constant, a formula) raises ValueError, as openpyxl's."""
        text, pos = self.text, 0
        while True:
            m = _REFERENCE.match(text, pos)
            if m is None:
                raise ValueError(f"not a list of references: {text!r}")
            quoted, plain, ref = m.groups()
            yield (quoted.replace("''", "'") if quoted is not None else plain), ref
            pos = m.end()
            if pos == len(text):
                return
            if text[pos] != ",":
                raise ValueError(f"not a list of references: {text!r}")
            pos += 1


# One sheet reference of a name's text: 'Quoted sheet'!$A$1 or Sheet!$A$1:$B$2.
_REFERENCE = re.compile(
    r"(?:'((?:[^']|'')+)'|([^'!\[\]:*?/\\,]+))!(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)"
)


def _parse(
    data: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None],
) -> None:
    """Run expat over ``data`` with these handlers (names as "namespace local-name")."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.Parse(data, True)


class _Merged:
    """A merged range as the council reader asks of it (openpyxl's ``CellRange``)."""

    __slots__ = ("bounds", "coord")

    def __init__(self, coord: str) -> None:
        first, _, last = coord.partition(":")
        r1, c1 = parse_a1(first)
        r2, c2 = parse_a1(last or first)
        self.coord = coord
        self.bounds = (c1, r1, c2, r2)


class _MergedCells:
    """A sheet's merged ranges: iterable, and as ``.ranges`` (openpyxl's ``MultiCellRange``)."""

    def __init__(self, xml: str) -> None:
        self.ranges = [_Merged(m[1]) for m in _MERGE.finditer(xml)]

    def __iter__(self) -> Iterator[_Merged]:
        return iter(self.ranges)


_MERGE = re.compile(
    r"""<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*["']([A-Z]+\d+(?::[A-Z]+\d+)?)["']"""
)


class QuickSheet:
    """What the readers ask of a worksheet: title, tables, ``cell(row, column)``, and for the
    council reader ``iter_rows(values_only=True)`` and ``merged_cells``."""

    def __init__(self, book: QuickBook, sheet: Sheet, tables: dict[str, Table]) -> None:
        self.title = sheet.name
        self.tables = tables
        self._book = book
        self._raw = sheet.raw
        self._cells: dict[int, CellValue] = {}
        self._sheet = sheet
        self._merged: _MergedCells | None = None

    @property
    def merged_cells(self) -> _MergedCells:
        if self._merged is None:
            self._merged = _MergedCells(self._sheet.xml)
        return self._merged

    def iter_rows(self, values_only: bool = True) -> Iterator[tuple[object, ...]]:
        """Every row's values from A1 to the last cell written, as openpyxl gives them (the
        cells of a merged range other than its first read blank)."""
        hidden = {
            (r, c)
            for rng in self.merged_cells
            for r in range(rng.bounds[1], rng.bounds[3] + 1)
            for c in range(rng.bounds[0], rng.bounds[2] + 1)
            if (r, c) != (rng.bounds[1], rng.bounds[0])
        }
        rows = max((k // KEY for k in self._raw), default=0)
        cols = max((k % KEY for k in self._raw), default=0)
        for r in range(1, rows + 1):
            yield tuple(
                None if (r, c) in hidden else self.cell(r, c).value for c in range(1, cols + 1)
            )

    def cell(self, row: int, column: int) -> CellValue:
        key = row * KEY + column
        got = self._cells.get(key)
        if got is None:
            raw = self._raw.get(key)
            got = _BLANK if raw is None else self._book.convert(*raw)
            self._cells[key] = got
        return got


class QuickBook:
    """What the template reader asks of a workbook: sheet names, defined names, sheets."""

    def __init__(self, package: Package) -> None:
        self.defined_names: dict[str, _Name] = {
            name: _Name(text) for name, local, text in package.names if local is None
        }
        self.date1904 = package.date1904
        self._path = package.path
        self._properties: _Properties | None = None
        self._strings = package.strings
        self._styles_xml = package.styles_xml
        self._styles: list[tuple[str, bool | None]] | None = None
        self._sheets = {}
        for index, sheet in enumerate(package.sheets):
            if sheet.part is None:  # a chart sheet
                continue
            tables = {t.name: t for t in package.tables if t.sheet == index}
            self._sheets[sheet.name] = QuickSheet(self, sheet, tables)
        self.sheetnames = list(self._sheets)

    def close(self) -> None:
        """Nothing to close: the package was read whole (kept for openpyxl's interface)."""

    @property
    def worksheets(self) -> list[QuickSheet]:
        return list(self._sheets.values())

    @property
    def properties(self) -> _Properties:
        """The document properties (docProps/core.xml), as openpyxl's ``wb.properties``."""
        if self._properties is None:
            self._properties = _Properties(self._part("docProps/core.xml"))
        return self._properties

    @property
    def custom_doc_props(self) -> _CustomProperties:
        """The custom document properties (docProps/custom.xml), as openpyxl's."""
        return _CustomProperties(self._part("docProps/custom.xml"))

    def _part(self, name: str) -> str:
        with zipfile.ZipFile(self._path) as z:
            return read_part(z, name, self._path) if name in z.NameToInfo else ""

    def __getitem__(self, name: str) -> QuickSheet:
        return self._sheets[name]

    def _style_formats(self) -> list[tuple[str, bool | None]]:
        """Number format code and whether it is a date, per cell style index (cellXfs)."""
        if self._styles is None:
            self._styles = _cell_formats(self._styles_xml) if self._styles_xml else []
        return self._styles

    def convert(self, kind: str, style: int, text: str | None) -> CellValue:
        """A cell (its type, style index and content, as the package scan recorded them) as
        openpyxl reads it, cached values standing for formulas (``data_only``)."""
        styles = self._style_formats()
        fmt, is_date = styles[style] if style < len(styles) else ("General", False)
        value: object = None
        if kind == "inlineStr":
            value = text or None  # as openpyxl: an empty string reads as blank
        elif text:
            if kind == "n":
                value = _number(text)
                if is_date is not False:
                    with contextlib.suppress(OverflowError):  # past 9999: keep the number
                        value = from_serial(value, date1904=self.date1904, duration=is_date is None)
            elif kind == "s":
                value = self._strings[int(text)]
            elif kind == "b":
                value = bool(int(text))
            elif kind in ("str", "e"):
                value = xml_text(text)
            else:  # "d" (ISO dates) and anything else: let openpyxl read the file
                raise ValueError(f"cell of type {kind!r}")
        return CellValue(value, fmt)


class _Properties:
    """The core document properties the council reader asks for; None where absent."""

    def __init__(self, xml: str) -> None:
        for name in ("title", "subject", "keywords", "description", "category"):
            m = re.search(rf"<(?:\w+:)?{name}\b[^>]*>(.*?)</(?:\w+:)?{name}>", xml, re.S)
            setattr(self, name, xml_text(m[1]) if m and m[1].strip() else None)


class _Property:
    __slots__ = ("name", "value")

    def __init__(self, name: str, value: str) -> None:
        self.name, self.value = name, value


class _CustomProperties:
    """Custom document properties of text (``.props``, each ``.name`` and ``.value``)."""

    def __init__(self, xml: str) -> None:
        found = re.finditer(
            r"""<(?:\w+:)?property\b[^>]*?\bname\s*=\s*["']([^"']*)["'][^>]*>\s*"""
            r"<(?:\w+:)?lpwstr>(.*?)</(?:\w+:)?lpwstr>",
            xml,
            re.S,
        )
        self.props = [_Property(xml_text(m[1]), xml_text(m[2])) for m in found]


def _cell_formats(data: str) -> list[tuple[str, bool | None]]:
    """(format code, date?) per cellXfs index: True a date, None a duration, False neither."""
    custom: dict[int, str] = {}
    ids: list[int] = []
    inside = {"cellXfs": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition(" ")[2]
        if tag == "numFmt":
            custom[int(attrs["numFmtId"])] = attrs["formatCode"]
        elif tag == "cellXfs":
            inside["cellXfs"] = True
        elif tag == "xf" and inside["cellXfs"]:
            ids.append(int(attrs.get("numFmtId", 0)))

    def end(name: str) -> None:
        if name.rpartition(" ")[2] == "cellXfs":
            inside["cellXfs"] = False

    _parse(data, start, end)
    out = []
    for fmt_id in ids:
        code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General")
        out.append((code, date_kind(code)))
    return out


def _number(text: str) -> int | float:
    """As openpyxl casts a number cell: an int unless it has a point or an exponent."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def load(path: str | Path) -> QuickBook:
    """The quick view of the workbook at ``path`` (already passed by the package inspection)."""
    return QuickBook(read_package(path))
