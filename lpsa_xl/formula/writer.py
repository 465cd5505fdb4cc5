"""Write computed values into a copy of the package as cached values.

Only the ``<c>`` elements of formula cells change (their ``t`` attribute and ``<v>``), plus
``fullCalcOnLoad="1"`` in the workbook's ``<calcPr>``; every other zip member is copied with its
bytes, name, date and compression unchanged, so charts, images, VBA projects, pivot caches and
anything openpyxl does not model survive. The file is written to a temporary file beside the
target and moved over it with :func:`os.replace`, so a reader never sees half a file.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lpsa_xl.files import safe
from lpsa_xl.files.scan import KEY, FormulaCell, Package
from lpsa_xl.formula.engine import Engine
from lpsa_xl.values import ExcelError

__all__ = ["patched_parts", "write_atomic"]

_T_ATTR = re.compile(r"""\s+t\s*=\s*(?:"[^"]*"|'[^']*')""")
_V_OR_IS = re.compile(
    r"<(?:\w+:)?v>.*?</(?:\w+:)?v>|<(?:\w+:)?v\s*/>|<(?:\w+:)?is>.*?</(?:\w+:)?is>", re.S
)
_F_END = re.compile(r"<(?:\w+:)?f\b[^>]*?(?:/>|>.*?</(?:\w+:)?f>)", re.S)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def number_text(x: float) -> str:
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def _typed(value: Any) -> tuple[str, str]:
    """The ``t`` attribute (or "") and ``<v>`` text for a value."""
    t = type(value)
    if t is ExcelError:
        return ' t="e"', str(value)
    if t is bool:
        return ' t="b"', "1" if value else "0"
    if t is str:
        text = _ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)
        return ' t="str"', escape(text)
    if t is float or t is int:
        return "", number_text(float(value))
    return ' t="str"', escape(str(value))


def _cell_xml(f: FormulaCell, value: Any) -> str:
    t, v = _typed(value)
    attrs = _T_ATTR.sub("", f.attrs).rstrip("/").rstrip()
    inner = _V_OR_IS.sub("", f.inner)
    p = f.prefix
    velem = f"<{p}v>{v}</{p}v>"
    m = _F_END.search(inner)
    inner = inner[: m.end()] + velem + inner[m.end() :] if m else velem + inner
    return f"<{p}c{attrs}{t}>{inner}</{p}c>"


def patched_sheet(xml: str, formulas: list[FormulaCell], values: dict[int, Any]) -> str:
    pieces = []
    pos = 0
    for f in sorted(formulas, key=lambda f: f.span[0]):
        start, end = f.span
        pieces.append(xml[pos:start])
        pieces.append(_cell_xml(f, values.get(f.row * KEY + f.col)))
        pos = end
    pieces.append(xml[pos:])
    return "".join(pieces)


_CALCPR = re.compile(r"<(?P<p>\w+:)?calcPr\b(?P<a>[^>]*?)(?P<end>/?>)")


def full_calc_on_load(wb_xml: str) -> str:
    """``fullCalcOnLoad="1"`` on the workbook's ``<calcPr>`` (adding the element if missing)."""
    m = _CALCPR.search(wb_xml)
    if m:
        a = re.sub(r"""\s+fullCalcOnLoad\s*=\s*(?:"[^"]*"|'[^']*')""", "", m.group("a"))
        a = a.rstrip("/").rstrip()
        return (
            wb_xml[: m.start()]
            + f'<{m.group("p") or ""}calcPr{a} fullCalcOnLoad="1"{m.group("end")}'
            + wb_xml[m.end() :]
        )
    prefix = re.match(r"(?s).*?<(\w+:)?workbook\b", wb_xml)
    p = prefix.group(1) or "" if prefix else ""
    for anchor in (f"</{p}definedNames>", f"</{p}sheets>"):
        i = wb_xml.find(anchor)
        if i >= 0:
            i += len(anchor)
            return wb_xml[:i] + f'<{p}calcPr fullCalcOnLoad="1"/>' + wb_xml[i:]
    return wb_xml


def patched_parts(package: Package, engine: Engine) -> dict[str, bytes]:
    """New bytes for each changed part: the worksheets holding formulas and the workbook."""
    out: dict[str, bytes] = {}
    for s, sheet in enumerate(package.sheets):
        if sheet.part is None or not sheet.formulas:
            continue
        out[sheet.part] = patched_sheet(sheet.xml, sheet.formulas, engine.vals[s]).encode("utf-8")
    out[package.workbook_part] = full_calc_on_load(package.workbook_xml).encode("utf-8")
    return out


def write_atomic(source: Path, target: Path, replacements: dict[str, bytes]) -> None:
    """Copy the zip ``source`` to ``target`` with ``replacements`` (part -> bytes), atomically
    (:func:`lpsa_xl.files.safe.write_atomic`)."""

    def copy(tmp: Path) -> None:
        with zipfile.ZipFile(source) as zin, zipfile.ZipFile(tmp, "w") as zout:
            for info in zin.infolist():
                data = replacements.get(info.filename)
                if data is None:
                    data = zin.read(info.filename)
                zout.writestr(
                    info,
                    data,
                    compress_type=info.compress_type,
                    compresslevel=1 if info.filename in replacements else None,
                )

    safe.write_atomic(target, copy)
