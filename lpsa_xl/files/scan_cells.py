"""The cells of one sheet's XML, taken apart in one pass of regular expressions: each cell's
type, style and content as written, the evaluator's value of it, and its formula (normal,
shared, array or data table) with where its element lies, so a writer can patch the cached
value in place. The other cells of an array formula's range become formula cells of its master.

Part of the one scan (:mod:`lpsa_xl.files.scan`); imports the files layer's A1, formula-text and
part helpers and the Excel error values.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lpsa_xl.files.a1 import _COLS, col_number, parse_a1
from lpsa_xl.files.errors import UnreadableWorkbookError
from lpsa_xl.files.formulatext import ColumnNormaliser, normalise
from lpsa_xl.files.parts import attrs_of, xml_text
from lpsa_xl.files.scanned import KEY, FormulaCell, Sheet
from lpsa_xl.values import ERRORS, VALUE

__all__ = ["rich_text", "scan_cells"]

_T = re.compile(
    r"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>|<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S
)


def rich_text(inner: str) -> str:
    return "".join(xml_text(m.group(1)) for m in _T.finditer(inner) if m.group(1) is not None)


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
        return rich_text(m.group(1)) if m else ""
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


def scan_cells(sheet: Sheet, sst: list[str], where: Path) -> None:
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
