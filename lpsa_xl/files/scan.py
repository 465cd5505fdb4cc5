"""Read an .xlsx/.xlsm package for evaluation without openpyxl: the workbook part, its sheets,
shared strings, defined names, tables, and every cell of every worksheet.

Sheet XML is scanned with regular expressions over the raw text rather than a DOM: it is several
times faster than building a tree, and it records where each formula cell's element lies so
:mod:`lpsa_xl.formula.writer` can patch cached values in without touching a byte of anything
else. Shared formulas (``<f t="shared" si=..>``) are expanded by position-independent text (see
:mod:`lpsa_xl.files.formulatext`); array formulas (``<f t="array" ref=..>``) keep their range.

The package's types are in :mod:`lpsa_xl.files.scanned`, the pass over a sheet's cells in
:mod:`lpsa_xl.files.scan_cells`. Hostile files are refused by the package inspection
(:mod:`lpsa_xl.files.inspect`) before anything here parses them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lpsa_xl.files.a1 import parse_a1
from lpsa_xl.files.inspect import inspect_package
from lpsa_xl.files.parts import attrs_of, local_attr, read_part, rels_of, xml_text
from lpsa_xl.files.recent import Recent
from lpsa_xl.files.scan_cells import rich_text, scan_cells
from lpsa_xl.files.scanned import KEY, FormulaCell, Package, Sheet, Table

__all__ = [
    "KEY",
    "FormulaCell",
    "Package",
    "Sheet",
    "Table",
    "read_package",
    "xml_text",
]

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
            scan_cells(sheet, sst, where)
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
        out.append(rich_text(m.group(1) or ""))
    return out


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
