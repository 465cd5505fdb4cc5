"""``--annotate OUTDIR``: a copy of each return with every finding as a cell comment and a
highlight, and a Findings sheet listing them with links to the cells.

The copy is made by patching the package (:mod:`.package_edit`), as ``recalc`` writes values:
comments and their note shapes are added as new parts (or appended to a sheet's own), the fills
as new cell formats, the Findings sheet as a new worksheet; charts, drawings, tables, VBA and
every other part are copied byte for byte, so any .xlsx or .xlsm can be annotated. The input is
never touched, and the copy is written to a temporary file and moved into place.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lpsa_xl.check.annotate_cells import STYLES_XML, Styles, highlight_cells, merged_anchor
from lpsa_xl.check.annotate_notes import add_notes
from lpsa_xl.check.findings import SEVERITIES, FileResult, Finding
from lpsa_xl.check.overview import sorted_findings
from lpsa_xl.check.registry import RULES
from lpsa_xl.files.a1 import parse_a1
from lpsa_xl.files.package_edit import NS_MAIN, NS_R, PackageEdit, insert_before_end
from lpsa_xl.files.parts import attrs_of

__all__ = ["FILLS", "FINDINGS_SHEET", "annotate", "annotate_into", "copy_names"]

#: Highlight fill by the worst severity at a cell.
FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
FINDINGS_SHEET = "lpsa-xl findings"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"


def copy_names(files: Sequence[Path], outdir: Path) -> dict[Path, Path]:
    """Where the annotated copy of each file goes in ``outdir``: its own name, with `` (2)``...
    added where two inputs share a name."""
    out: dict[Path, Path] = {}
    taken: set[Path] = set()
    for path in files:
        target = Path(outdir) / path.name
        n = 2
        while target in taken:
            target = Path(outdir) / f"{path.stem} ({n}){path.suffix}"
            n += 1
        taken.add(target)
        out[path] = target
    return out


def annotate_into(result: FileResult, target: Path, *, force: bool = False) -> None:
    """Write the annotated copy to ``target``; a failure becomes a finding (LPSA103) on
    ``result``, never an exception. (``force`` is accepted and has no effect: nothing is lost.)"""
    try:
        outcome = annotate(result, target)
    except OSError as exc:
        why = exc.strerror or "it could not be written"
        outcome = RULES["LPSA103"].at(None, f"no annotated copy was written to {target}: {why}")
    except Exception:  # a package this editor cannot patch: said plainly, the check stands
        outcome = RULES["LPSA103"].at(
            None, "no annotated copy: the workbook's parts could not be patched"
        )
    if isinstance(outcome, Finding):
        result.findings.append(outcome)


def annotate(result: FileResult, target: Path, *, force: bool = False) -> Path | Finding | None:
    """Write the annotated copy of ``result``'s file to ``target``: its path, or a finding saying
    why it was not written; None for an unusable file (there is nothing to annotate)."""
    if result.unusable:
        return None
    if Path(target).resolve() == result.path.resolve():
        return RULES["LPSA103"].at(
            None, "no annotated copy: it would overwrite the input; choose another folder"
        )
    edit = PackageEdit(result.path)
    workbook = edit.related("", "officeDocument") or "xl/workbook.xml"
    sheets = _sheets(edit, workbook)
    styles_part = edit.related(workbook, "styles")
    if styles_part is None:
        styles_part = edit.new_part("xl/styles{}.xml")
        edit.put(styles_part, STYLES_XML)
        edit.add_rel(workbook, "styles", styles_part)
        edit.add_content_type(styles_part, CT_STYLES)
    styles = Styles(edit.text(styles_part))
    fills = {severity: styles.fill(rgb) for severity, rgb in FILLS.items()}
    at: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in result.findings:
        if f.sheet in sheets and f.cell:
            part = sheets[f.sheet]
            at[part][merged_anchor(edit.text(part), f.cell.replace("$", ""))].append(f)
    for part, cells in at.items():
        worst = {
            parse_a1(coord): fills[min((f.severity for f in found), key=SEVERITIES.index)]
            for coord, found in cells.items()
        }
        edit.put(part, highlight_cells(edit.text(part), worst, styles))
        notes = {coord: _note_text(found) for coord, found in cells.items()}
        add_notes(edit, part, notes)
    _findings_sheet(edit, workbook, result, styles, set(sheets))
    edit.put(styles_part, styles.xml)
    return edit.write(target)


def _note_text(found: list[Finding]) -> str:
    return "\n".join(f"{f.severity.upper()} {f.rule}: {f.message}" for f in found)


def _sheets(edit: PackageEdit, workbook: str) -> dict[str, str]:
    """Worksheet name -> part."""
    parts = {rid: target for rid, typ, target in edit.rels(workbook) if typ.endswith("/worksheet")}
    out = {}
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*?)/?>", edit.text(workbook)):
        a = attrs_of(m.group(1))
        rid = next((v for k, v in a.items() if k == "id" or k.endswith(":id")), "")
        if rid in parts:
            out[a.get("name", "")] = parts[rid]
    return out


def _inline(ref: str, text: str, s: int | None = None) -> str:
    style = f' s="{s}"' if s is not None else ""
    body = f'<is><t xml:space="preserve">{escape(text)}</t></is>'
    return f'<c r="{ref}" t="inlineStr"{style}>{body}</c>'


def _findings_sheet(
    edit: PackageEdit, workbook: str, result: FileResult, styles: Styles, names: set[str]
) -> None:
    """A new last sheet listing every finding, the most serious first, each linked to its cell;
    header frozen and bold, messages wrapped."""
    name, n = FINDINGS_SHEET, 2
    while name in names:
        name, n = f"{FINDINGS_SHEET} {n}", n + 1
    bold = styles.xf(0, fontId=str(styles.font('<b/><sz val="11"/>')), applyFont="1")
    link = styles.xf(0, fontId=str(styles.font('<u/><sz val="11"/><color rgb="FF0563C1"/>')),
                     applyFont="1")  # fmt: skip
    wrap = styles.xf(0, applyAlignment="1", inner='<alignment wrapText="1" vertical="top"/>')
    heads = ("Severity", "Rule", "Sheet", "Cell", "Message")
    rows = ['<row r="1">' + "".join(_inline(f"{c}1", h, bold) for c, h in zip("ABCDE", heads))
            + "</row>"]  # fmt: skip
    links = []
    for i, f in enumerate(sorted_findings(result.findings), start=2):
        cells = [_inline(f"A{i}", f.severity), _inline(f"B{i}", f.rule)]
        cells.append(_inline(f"C{i}", f.sheet or ""))
        if f.sheet and f.cell:
            cells.append(_inline(f"D{i}", f.cell, link))
            where = "'" + f.sheet.replace("'", "''") + "'!" + f.cell
            links.append(f'<hyperlink ref="D{i}" location={quoteattr(where)}/>')
        else:
            cells.append(_inline(f"D{i}", f.cell or ""))
        cells.append(_inline(f"E{i}", f.message, wrap))
        rows.append(f'<row r="{i}">{"".join(cells)}</row>')
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView>'
        '</sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>'
        '<col min="1" max="1" width="10" customWidth="1"/><col min="2" max="2" width="10" '
        'customWidth="1"/><col min="3" max="3" width="16" customWidth="1"/><col min="4" max="4" '
        'width="8" customWidth="1"/><col min="5" max="5" width="100" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rows)}</sheetData>"
        + (f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else "")
        + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
        'footer="0.3"/><pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        "</worksheet>"
    )
    part = edit.new_part("xl/worksheets/sheet{}.xml")
    edit.put(part, xml)
    edit.add_content_type(part, CT_SHEET)
    rid = edit.add_rel(workbook, "worksheet", part)
    wb_xml = edit.text(workbook)
    ids = [int(x) for x in re.findall(r"""\bsheetId\s*=\s*["'](\d+)["']""", wb_xml)]
    prefix = re.match(r"(?s).*?<(\w+:)?workbook\b", wb_xml)
    p = prefix.group(1) or "" if prefix else ""
    r = _prefix_for(wb_xml, NS_R)
    declare = "" if r else f' xmlns:r="{NS_R}"'
    sheet = (f"<{p}sheet name={quoteattr(name)} sheetId=\"{max(ids, default=0) + 1}\"{declare} "
             f"{r or 'r'}:id=\"{rid}\"/>")  # fmt: skip
    edit.put(workbook, insert_before_end(wb_xml, "sheets", sheet))


def _prefix_for(xml: str, namespace: str) -> str | None:
    """The prefix the root element declares for ``namespace``, if any."""
    root = re.search(r"<(?!\?)[^>]*>", xml)
    found = re.search(rf"""xmlns:(\w+)\s*=\s*["']{re.escape(namespace)}["']""", root.group(0)) \
        if root else None  # fmt: skip
    return found.group(1) if found else None
