"""Read an .xlsx/.xlsm package for evaluation without openpyxl: the workbook part, its sheets,
shared strings, defined names, tables, and every cell of every worksheet.

Sheet XML is scanned with regular expressions over the raw text rather than a DOM: it is several
times faster than building a tree, and it records where each formula cell's element lies so
:mod:`lpsa_xl.formula.writer` can patch cached values in without touching a byte of anything
else. Shared formulas (``<f t="shared" si=..>``) are expanded by position-independent text (see
:mod:`lpsa_xl.files.formulatext`); array formulas (``<f t="array" ref=..>``) keep their range.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lpsa_xl.files.a1 import _COLS, col_number, parse_a1
from lpsa_xl.files.errors import UnreadableWorkbookError
from lpsa_xl.files.formulatext import ColumnNormaliser, normalise
from lpsa_xl.files.inspect import inspect_package
from lpsa_xl.files.parts import attrs_of, local_attr, read_part, rels_of, xml_text
from lpsa_xl.files.recent import Recent
from lpsa_xl.values import ERRORS, VALUE

__all__ = [
    "FormulaCell",
    "Package",
    "Sheet",
    "Table",
    "read_package",
    "xml_text",
]

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


#: The last package read, by file identity: ``lpsa-xl check`` reads a template return's cells
#: once for both the template reader's view and the stale-cache rule.
_RECENT: Recent[Package] = Recent(1)


def read_package(path: str | Path) -> Package:
    """Read every sheet, name and table of the workbook at ``path``.

    The package of an unchanged file is remembered (the last one): treat it as read-only (the
    :class:`~.engine.Engine` evaluates into copies of its values)."""
    return _RECENT.get(path, lambda: _read_package(Path(path)))


def _read_package(where: Path) -> Package:
    # Hostile files (zip and entity bombs, encryption, an .xls, a corrupt zip...) are refused
    # by the one package inspection, before anything is parsed; remembered, so ``lpsa-xl
    # check``, which has just inspected the file, does not pay for it twice.
    report = inspect_package(where)
    if not report.usable:
        raise report.error()
    with zipfile.ZipFile(where) as z:
        top = rels_of(z, "", where) if "_rels/.rels" in z.NameToInfo else {}
        wb_part = next(
            (t for typ, t in top.values() if typ.endswith("/officeDocument")), "xl/workbook.xml"
        )
        wb_xml = read_part(z, wb_part, where)
        rels = rels_of(z, wb_part, where)
        sheets: list[Sheet] = []
        for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*?)/?>", wb_xml):
            a = attrs_of(m.group(1))
            typ, target = rels.get(local_attr(a, "id") or "", ("", ""))
            part = target if typ.endswith("/worksheet") else None
            sheets.append(Sheet(name=a.get("name", ""), part=part))
        names = []
        for m in re.finditer(
            r"<(?:\w+:)?definedName\b([^>]*)>(.*?)</(?:\w+:)?definedName>", wb_xml, re.S
        ):
            a = attrs_of(m.group(1))
            local = a.get("localSheetId")
            names.append(
                (a.get("name", ""), int(local) if local is not None else None, xml_text(m.group(2)))
            )
        date1904 = bool(re.search(r"""date1904\s*=\s*["'](1|true)["']""", wb_xml))
        sst = _shared_strings(z, wb_part, rels, where)
        styles = next((t for typ, t in rels.values() if typ.endswith("/styles")), None)
        styles_xml = read_part(z, styles, where) if styles and styles in z.NameToInfo else ""
        tables: list[Table] = []
        for index, sheet in enumerate(sheets):
            if sheet.part is None:
                continue
            sheet.xml = read_part(z, sheet.part, where)
            _scan_cells(sheet, sst, where)
            for typ, target in rels_of(z, sheet.part, where).values():
                if typ.endswith("/table"):
                    tables.append(_table(read_part(z, target, where), index))
    return Package(where, wb_part, wb_xml, sheets, names, tables, date1904, sst, styles_xml)


def _shared_strings(
    z: zipfile.ZipFile, wb_part: str, rels: dict[str, tuple[str, str]], where: Path
) -> list[str]:
    part = next((t for typ, t in rels.values() if typ.endswith("/sharedStrings")), None)
    if part is None or part not in z.NameToInfo:
        return []
    xml = read_part(z, part, where)
    out = []
    for m in re.finditer(r"<(?:\w+:)?si>(.*?)</(?:\w+:)?si>|<(?:\w+:)?si/>", xml, re.S):
        out.append(_rich_text(m.group(1) or ""))
    return out


_T = re.compile(
    r"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>|<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S
)


def _rich_text(inner: str) -> str:
    return "".join(xml_text(m.group(1)) for m in _T.finditer(inner) if m.group(1) is not None)


def _table(xml: str, sheet: int) -> Table:
    m = re.search(r"<(?:\w+:)?table\b([^>]*)>", xml)
    a = attrs_of(m.group(1) if m else "")
    ref = a.get("ref", "A1:A1")
    first, _, last = ref.partition(":")
    r1, c1 = parse_a1(first)
    r2, c2 = parse_a1(last or first)
    cols = [
        xml_text(attrs_of(c.group(1)).get("name", ""))
        for c in re.finditer(r"<(?:\w+:)?tableColumn\b([^>]*?)/?>", xml)
    ]
    return Table(
        name=a.get("displayName") or a.get("name", ""),
        ref=ref,
        sheet=sheet,
        r1=r1,
        c1=c1,
        r2=r2,
        c2=c2,
        header_rows=int(a.get("headerRowCount", "1")),
        totals_rows=int(a.get("totalsRowCount", "0")),
        columns=cols,
    )


# A row's start tag, or a whole cell element, in one match. The usual shapes are taken apart by
# the expression itself, so most cells cost the loop no further search:
# * attributes as Excel writes them (r, s, t, in that order); anything else in the tag
#   (``rest``) sends the cell to the general attribute parse;
# * content that is a plain formula, a value and/or an inline string (``fast``: ``f``, ``v``,
#   ``is``); anything else (shared and array formulas, rich text, a prefix) is matched whole
#   (``in``) as "text, then any tag but the closing </c>, then text..." (an unrolled loop,
#   twice as fast as a lazy ``.*?``) and taken apart by the searches below.
_CELL = re.compile(
    r"<(?P<p>\w+:)?(?:row\b(?P<row>[^>]*)>"
    r"|c\b(?P<a>"
    r"""(?:\s+r="(?P<col>[A-Z]{1,3})(?P<rn>\d+)")?(?:\s+s="(?P<s>\d+)")?(?:\s+t="(?P<t>\w+)")?"""
    r"(?P<rest>[^>]*?))"
    r"(?:/>"
    r"|>(?P<fast>(?:<f>(?P<f>[^<]*)</f>)?(?:<v>(?P<v>[^<]*)</v>|<v\s*/>)?"
    r"""(?:<is><t(?:\s+xml:space="preserve")?>(?P<is>[^<]*)</t></is>)?)</c>"""
    r"|>(?P<in>[^<]*(?:<(?!/(?:\w+:)?c>)[^<]*)*)</(?:\w+:)?c>))"
)
_F = re.compile(r"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
# <v>..</v>, <v xml:space="preserve"> </v> and an empty <v/> (a formula's cached empty text)
_V = re.compile(r"<(?:\w+:)?v(?:\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?v>)", re.S)
_IS = re.compile(r"<(?:\w+:)?is>(.*?)</(?:\w+:)?is>", re.S)
_R = re.compile(r"""\br\s*=\s*["']\$?([A-Za-z]+)\$?(\d+)["']""")
_TATTR = re.compile(r"""\bt\s*=\s*["'](\w+)["']""")
_STYLE = re.compile(r"""\bs\s*=\s*["'](\d+)["']""")
_ROWNUM = re.compile(r"""\br\s*=\s*["'](\d+)["']""")


def _content(kind: str, inner: str) -> str | None:
    """A cell's content: the raw text of its ``<v>``, or an inline string's text."""
    if kind == "inlineStr":
        m = _IS.search(inner)
        return _rich_text(m.group(1)) if m else ""
    if inner[:3] == "<v>" and inner.find("<", 3) == len(inner) - 4:  # just <v>..</v>
        return inner[3:-4]
    m = _V.search(inner)
    if m is None:
        return None
    return m.group(1) or ""


def _value(kind: str, text: str | None, sst: list[str]) -> Any:
    """The evaluator's value of a cell of this type and content (numbers as floats). An empty
    ``<v>`` is empty text in a text cell (``t="str"``), and no value otherwise."""
    if text is None or (text == "" and kind not in ("str", "inlineStr")):
        return None
    if kind == "n":
        try:
            return float(text)
        except ValueError:
            return VALUE
    if kind == "s":
        try:
            return sst[int(text)]
        except (ValueError, IndexError):
            return VALUE
    if kind == "inlineStr":
        return text
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "e":
        return ERRORS.get(text.strip(), VALUE)
    return xml_text(text)  # "str", and "d" (ISO date text)


def _scan_cells(sheet: Sheet, sst: list[str], where: Path) -> None:
    xml = sheet.xml
    values = sheet.values
    shared: dict[str, tuple[str, int, int]] = {}  # si -> (original text, row, col) of the master
    children: list[tuple[FormulaCell, str]] = []
    arrays: list[FormulaCell] = []
    row = 0
    col = 0
    max_r = max_c = 0
    norm = ColumnNormaliser()
    raw = sheet.raw
    for m in _CELL.finditer(xml):
        prefix, row_attrs, a, letters, digits, style, kind, rest, fast, f, v, istr, inner = (
            m.groups()
        )
        if row_attrs is not None:
            rm = _ROWNUM.search(row_attrs)
            row = int(rm.group(1)) if rm else row + 1
            col = 0
            continue
        if rest and not rest.isspace():  # attributes in another order, or others besides
            rm = _R.search(a)
            letters, digits = (rm.group(1), rm.group(2)) if rm else (None, None)
            sm = _STYLE.search(a)
            style = sm.group(1) if sm else None
            tm = _TATTR.search(a)
            kind = tm.group(1) if tm else None
        if letters:
            col = _COLS.get(letters) or col_number(letters)
            row = int(digits)
        else:
            col += 1
        key = row * KEY + col
        kind = kind or "n"
        if fast is not None:
            inner = fast
            if kind == "inlineStr":
                text = xml_text(istr) if istr is not None else ""
            else:  # an empty <v/> is empty text in a text cell (see _value)
                text = v if v is not None or "<v" not in fast else ""
        elif inner is None:  # <c r=".." s=".."/>: formatted but blank
            raw[key] = (kind, int(style) if style else 0, None)
            continue
        else:
            text = _content(kind, inner)
        raw[key] = (kind, int(style) if style else 0, text)
        if row > max_r:
            max_r = row
        if col > max_c:
            max_c = col
        if fast is not None:
            fa: dict[str, str] = {}
            ftext = f
        else:
            fm = _F.search(inner) if "f>" in inner or "f " in inner else None
            if fm is not None:
                fa = attrs_of(fm.group(1)) if fm.group(1) else {}
                ftext = fm.group(2) or ""
            else:
                ftext = None
        if ftext is None:
            value = _value(kind, text, sst)
            if value is not None:
                values[key] = value
            continue
        ftext = xml_text(ftext)
        if ftext.startswith("="):
            ftext = ftext[1:]
        cell = FormulaCell(
            row,
            col,
            None,
            span=m.span(),
            prefix=prefix or "",
            attrs=a,
            inner=inner,
            cached=_value(kind, text, sst),
            original=ftext,
        )
        ftype = fa.get("t", "normal")
        if ftype == "shared":
            si = fa.get("si", "")
            if ftext:
                shared[si] = (ftext, row, col)
                cell.text = norm(ftext, row, col)
            else:
                children.append((cell, si))
                continue
        elif ftype == "array":
            cell.kind, cell.ref = "array", fa.get("ref")
            cell.text = norm(ftext, row, col)
            arrays.append(cell)
        elif ftype == "dataTable":
            cell.kind = "dataTable"
            if cell.cached is not None:
                values[key] = cell.cached
            continue
        else:
            cell.text = norm(ftext, row, col) if ftext else None
            if cell.text is None:
                if cell.cached is not None:
                    values[key] = cell.cached
                continue
        sheet.formulas.append(cell)
    for cell, si in children:
        master = shared.get(si)
        if master is None:
            raise UnreadableWorkbookError(
                f"shared formula {si} has no master cell", workbook=where, sheet=sheet.name
            )
        text, r, c = master
        cell.text = normalise(text, r, c)
        cell.original = text
        sheet.formulas.append(cell)
    _mark_array_children(sheet, arrays)
    sheet.max_row, sheet.max_col = max_r, max_c


def _mark_array_children(sheet: Sheet, arrays: list[FormulaCell]) -> None:
    """The other cells of an array formula's range hold only cached values: they become formula
    cells whose value comes from the master."""
    if not arrays:
        return
    by_key = {f.row * KEY + f.col: f for f in sheet.formulas}
    for master in arrays:
        if not master.ref or ":" not in master.ref:
            continue
        a, b = master.ref.split(":")
        r1, c1 = parse_a1(a)
        r2, c2 = parse_a1(b)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                key = r * KEY + c
                if (r, c) == (master.row, master.col) or key in by_key:
                    continue
                span = _find_cell(sheet.xml, r, c)
                if span is None:
                    continue
                m = _CELL.match(sheet.xml, span[0])
                assert m is not None
                child = FormulaCell(
                    r,
                    c,
                    None,
                    kind="array-child",
                    ref=master.ref,
                    span=(m.start(), m.end()),
                    prefix=m.group("p") or "",
                    attrs=m.group("a"),
                    inner=m.group("in") or "",
                )
                child.original = f"{{{master.original}}}"
                child.cached = sheet.values.pop(key, None)  # read as a constant until now
                sheet.formulas.append(child)
                by_key[key] = child


def _find_cell(xml: str, row: int, col: int) -> tuple[int, int] | None:
    from lpsa_xl.files.formulatext import col_letters

    m = re.search(rf"""<(?:\w+:)?c\b[^>]*\br\s*=\s*["']{col_letters(col)}{row}["']""", xml)
    return (m.start(), m.end()) if m else None
