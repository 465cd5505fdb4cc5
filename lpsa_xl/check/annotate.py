"""``--annotate OUTDIR``: a copy of each return with every finding as a cell comment and highlight.

The input is never touched: the copy is saved to a temporary file in OUTDIR and moved into place.
A return holding content an openpyxl save would drop or alter (charts, images, shapes, form
controls, pivot caches...; see :mod:`lpsa_xl.workbook.package`) is not copied unless ``force``:
that is a finding (LPSA103), not a crash. An .xlsm keeps its VBA project.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .atomic import write_atomic
from .findings import SEVERITIES, FileResult, Finding
from .registry import RULES

__all__ = ["FINDINGS_SHEET", "annotate"]

#: Highlight fill by the worst severity at a cell.
FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
FINDINGS_SHEET = "lpsa-xl findings"
AUTHOR = "lpsa-xl check"


def _target(result: FileResult, outdir: Path, taken: set[Path]) -> Path:
    target = outdir / result.path.name
    n = 2
    while target in taken:
        target = outdir / f"{result.path.stem} ({n}){result.path.suffix}"
        n += 1
    taken.add(target)
    return target


def annotate(
    result: FileResult, outdir: Path, *, force: bool = False, taken: set[Path] | None = None
) -> Path | Finding | None:
    """Write the annotated copy of ``result``'s file into ``outdir``: its path, or a finding
    saying why it was not written; None for an unusable file (there is nothing to annotate)."""
    if result.unusable:
        return None
    if result.lossy and not force:
        lost = ", ".join(x.replace("-", " ") for x in result.lossy)
        return RULES["LPSA103"].at(
            None,
            f"no annotated copy: openpyxl would drop or alter {lost}; "
            "use --force to write it anyway",
        )
    target = _target(result, Path(outdir), taken if taken is not None else set())
    if target.resolve() == result.path.resolve():
        return RULES["LPSA103"].at(
            None, "no annotated copy: it would overwrite the input; choose another folder"
        )
    import openpyxl

    wb = openpyxl.load_workbook(
        result.path, keep_vba=result.path.suffix.lower() == ".xlsm", keep_links=True, rich_text=True
    )
    _mark_cells(wb, result.findings)
    _findings_sheet(wb, result)
    write_atomic(target, lambda tmp: wb.save(tmp))
    wb.close()
    return target


def _mark_cells(wb: object, findings: list[Finding]) -> None:
    from openpyxl.cell.cell import MergedCell
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    at: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.sheet and f.cell and f.sheet in wb.sheetnames:  # type: ignore[attr-defined]
            at[(f.sheet, f.cell)].append(f)
    for (sheet, coord), found in at.items():
        ws = wb[sheet]  # type: ignore[index]
        cell = ws[coord]
        if isinstance(cell, MergedCell):
            merged = next(r for r in ws.merged_cells.ranges if coord in r)
            cell = ws.cell(merged.min_row, merged.min_col)
        text = "\n".join(f"{f.severity.upper()} {f.rule}: {f.message}" for f in found)
        if cell.comment is not None:
            text = f"{cell.comment.text}\n\n{text}"
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 320, min(60 + 15 * text.count("\n") + len(text) // 3, 600)
        cell.comment = comment
        worst = min(found, key=lambda f: SEVERITIES.index(f.severity)).severity
        cell.fill = PatternFill(fill_type="solid", fgColor=FILLS[worst])


def _findings_sheet(wb: object, result: FileResult) -> None:
    from openpyxl.styles import Font

    name, n = FINDINGS_SHEET, 2
    while name in wb.sheetnames:  # type: ignore[attr-defined]
        name, n = f"{FINDINGS_SHEET} {n}", n + 1
    ws = wb.create_sheet(name)  # type: ignore[attr-defined]
    ws.append(("Severity", "Rule", "Sheet", "Cell", "Message"))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for f in result.findings:
        ws.append((f.severity, f.rule, f.sheet, f.cell, f.message))
    ws.column_dimensions["E"].width = 100
