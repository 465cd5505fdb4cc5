"""A quick read of a workbook's parts for lpsa-xl's own template layout (issue 5, item 5: the
checker must read 150 returns within 1.5x of openpyxl merely opening them).

openpyxl's full load (needed for tables and defined names) builds every cell and style of every
sheet: about two thirds of the time the checker spends per return. :func:`load` instead parses,
with expat, only the parts the template reader asks for, when it asks: the workbook's sheet list
and defined names, each sheet's tables, and the cells of the sheets it reads. Values are
converted as openpyxl converts them (numbers, shared and inline strings, booleans, error codes,
dates by their number format), so :func:`lpsa_xl.workbook.read._read_template` runs unchanged on
the result. It is used only after the package inspection has passed the file
(:func:`lpsa_xl.workbook.package.inspect_package`: no bombs, no DOCTYPE); anything unexpected
raises, and the reader then falls back to openpyxl.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
from openpyxl.workbook.defined_name import DefinedName

__all__ = ["QuickBook", "load"]

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


class _Value:
    __slots__ = ("number_format", "value")

    def __init__(self, value: object, number_format: str) -> None:
        self.value = value
        self.number_format = number_format


_BLANK = _Value(None, "General")


class _Table:
    __slots__ = ("ref",)

    def __init__(self, ref: str) -> None:
        self.ref = ref


def _parse(
    data: bytes,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None],
    chars: Callable[[str], None] | None = None,
) -> None:
    """Run expat over ``data`` with these handlers (names as "namespace local-name")."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
    parser.Parse(data, True)


def _elements(data: bytes, wanted: set[str]) -> list[tuple[str, dict[str, str], str]]:
    """(local tag, attributes, text) of every element named in ``wanted``, in order."""
    out: list[tuple[str, dict[str, str], str]] = []
    stack: list[list[Any]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition(" ")[2]
        stack.append([tag, {k.rpartition(" ")[2]: v for k, v in attrs.items()}, []])

    def end(_name: str) -> None:
        tag, attrs, text = stack.pop()
        if tag in wanted:
            out.append((tag, attrs, "".join(text)))

    def chars(text: str) -> None:
        if stack:
            stack[-1][2].append(text)

    _parse(data, start, end, chars)
    return out


class QuickSheet:
    """What the template reader asks of a worksheet: title, tables, ``cell(row, column)``."""

    def __init__(self, book: QuickBook, title: str, part: str) -> None:
        self.title = title
        self._book = book
        self._part = part
        self._cells: dict[tuple[int, int], _Value] | None = None
        self._tables: dict[str, _Table] | None = None

    @property
    def tables(self) -> dict[str, _Table]:
        if self._tables is None:
            self._tables = {}
            for target in self._book.related(self._part, "/table"):
                for _tag, attrs, _text in _elements(self._book.read(target), {"table"}):
                    self._tables[attrs.get("displayName") or attrs["name"]] = _Table(attrs["ref"])
        return self._tables

    def cell(self, row: int, column: int) -> _Value:
        if self._cells is None:
            self._cells = self._book.parse_sheet(self._part)
        return self._cells.get((row, column), _BLANK)


class QuickBook:
    """What the template reader asks of a workbook: sheet names, defined names, sheets."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._zip = archive
        self._names = set(archive.namelist())
        workbook = self.read("xl/workbook.xml")
        self.defined_names: dict[str, DefinedName] = {}
        sheets: list[tuple[str, str]] = []
        epoch = CALENDAR_WINDOWS_1900
        for tag, attrs, text in _elements(workbook, {"sheet", "definedName", "workbookPr"}):
            if tag == "sheet":
                sheets.append((attrs["name"], attrs["id"]))
            elif tag == "definedName" and "localSheetId" not in attrs:
                self.defined_names[attrs["name"]] = DefinedName(attrs["name"], attr_text=text)
            elif tag == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                epoch = CALENDAR_MAC_1904
        self.epoch = epoch
        rels = self._rels("xl/workbook.xml")
        self._sheets = {
            name: QuickSheet(self, name, rels[rid][1])
            for name, rid in sheets
            if rid in rels and rels[rid][0].endswith("/worksheet")
        }
        self.sheetnames = list(self._sheets)
        self._strings: list[str] | None = None
        self._styles: list[tuple[str, bool | None]] | None = None

    def close(self) -> None:
        self._zip.close()

    def __getitem__(self, name: str) -> QuickSheet:
        return self._sheets[name]

    def read(self, part: str) -> bytes:
        return self._zip.read(part)

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part) of ``part``."""
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels_part not in self._names:
            return {}
        out = {}
        for _tag, attrs, _text in _elements(self.read(rels_part), {"Relationship"}):
            if attrs.get("TargetMode") == "External":
                continue
            target = attrs["Target"]
            target = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            out[attrs["Id"]] = (attrs["Type"], target)
        return out

    def related(self, part: str, kind: str) -> list[str]:
        return [t for typ, t in self._rels(part).values() if typ.endswith(kind)]

    def _shared_strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            part = next(iter(self.related("xl/workbook.xml", "/sharedStrings")), None)
            if part:
                self._strings = _strings(self.read(part))
        return self._strings

    def _style_formats(self) -> list[tuple[str, bool | None]]:
        """Number format code and whether it is a date, per cell style index (cellXfs)."""
        if self._styles is None:
            part = next(iter(self.related("xl/workbook.xml", "/styles")), None)
            self._styles = _cell_formats(self.read(part)) if part else []
        return self._styles

    def parse_sheet(self, part: str) -> dict[tuple[int, int], _Value]:
        cells: dict[tuple[int, int], _Value] = {}
        styles = self._style_formats()
        strings = self._shared_strings()
        current: dict[str, Any] = {}

        def start(name: str, attrs: dict[str, str]) -> None:
            tag = name.rpartition(" ")[2]
            if tag == "c":
                current.clear()
                current.update(attrs=attrs, v=None, t=[], in_t=False, in_v=False)
            elif tag == "v" and current:
                current["in_v"] = True
                current["v"] = ""
            elif tag == "t" and current:
                current["in_t"] = True

        def end(name: str) -> None:
            tag = name.rpartition(" ")[2]
            if tag == "c":
                _store(cells, current, styles, strings, self.epoch)
                current.clear()
            elif tag == "v" and current:
                current["in_v"] = False
            elif tag == "t" and current:
                current["in_t"] = False

        def chars(text: str) -> None:
            if current.get("in_v"):
                current["v"] += text
            elif current.get("in_t"):
                current["t"].append(text)

        _parse(self.read(part), start, end, chars)
        return cells


def _cell_formats(data: bytes) -> list[tuple[str, bool | None]]:
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
        out.append((code, None if is_timedelta_format(code) else is_date_format(code)))
    return out


def _strings(data: bytes) -> list[str]:
    out: list[str] = []
    parts: list[str] = []
    depth = {"t": False}

    def start(name: str, _attrs: dict[str, str]) -> None:
        tag = name.rpartition(" ")[2]
        if tag == "si":
            parts.clear()
        elif tag == "t":
            depth["t"] = True
        elif tag == "rPh":  # phonetic runs are not part of the text
            depth["rPh"] = True

    def end(name: str) -> None:
        tag = name.rpartition(" ")[2]
        if tag == "si":
            out.append("".join(parts))
        elif tag == "t":
            depth["t"] = False
        elif tag == "rPh":
            depth["rPh"] = False

    def chars(text: str) -> None:
        if depth["t"] and not depth.get("rPh"):
            parts.append(text)

    _parse(data, start, end, chars)
    return out


def _number(text: str) -> int | float:
    """As openpyxl casts a number cell: an int unless it has a point or an exponent."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _store(
    cells: dict[tuple[int, int], _Value],
    c: dict[str, Any],
    styles: list[tuple[str, bool | None]],
    strings: list[str],
    epoch: Any,
) -> None:
    attrs = c["attrs"]
    row, column = coordinate_to_tuple(attrs["r"])
    style = int(attrs.get("s", 0) or 0)
    fmt, is_date = styles[style] if style < len(styles) else ("General", False)
    kind = attrs.get("t", "n")
    text = c["v"] or None
    value: object = None
    if kind == "inlineStr":
        value = "".join(c["t"]) or None  # as openpyxl: an empty string reads as blank
    elif text is not None:
        if kind == "n":
            value = _number(text)
            if is_date is not False:
                value = from_excel(value, epoch, timedelta=is_date is None)
        elif kind == "s":
            value = strings[int(text)]
        elif kind == "b":
            value = bool(int(text))
        elif kind in ("str", "e"):
            value = text
        else:  # "d" (ISO dates) and anything else: let openpyxl read the file
            raise ValueError(f"cell {attrs['r']} of type {kind!r}")
    cells[(row, column)] = _Value(value, fmt)


def load(path: str | Path) -> QuickBook:
    """The quick view of the workbook at ``path`` (already passed by the package inspection)."""
    archive = zipfile.ZipFile(path)
    try:
        return QuickBook(archive)
    except BaseException:
        archive.close()
        raise
