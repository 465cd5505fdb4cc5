"""``--annotate OUTDIR``: a copy of each return with every finding as a cell comment and highlight.

The input is never touched: the copy is saved to a temporary file in OUTDIR and moved into place.
A return holding content an openpyxl save would drop or alter (charts, images, shapes, form
controls, pivot caches...; see :mod:`lpsa_xl.files.inspect`) is not copied unless ``force``:
that is a finding (LPSA103), not a crash. An .xlsm keeps its VBA project.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from lpsa_xl.check.findings import SEVERITIES, FileResult, Finding
from lpsa_xl.check.registry import RULES
from lpsa_xl.files.safe import write_atomic

__all__ = ["FINDINGS_SHEET", "annotate", "annotate_into", "copy_names"]

#: Highlight fill by the worst severity at a cell.
FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
FINDINGS_SHEET = "lpsa-xl findings"
AUTHOR = "lpsa-xl check"


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
    """Write the annotated copy to ``target``; a refusal or failure becomes a finding (LPSA103)
    on ``result``, never an exception."""
    try:
        outcome = annotate(result, target, force=force)
    except Exception as exc:  # a copy that cannot be written is a finding on that file
        outcome = RULES["LPSA103"].at(None, f"no annotated copy: {type(exc).__name__}: {exc}")
    if isinstance(outcome, Finding):
        result.findings.append(outcome)


def annotate(result: FileResult, target: Path, *, force: bool = False) -> Path | Finding | None:
    """Write the annotated copy of ``result``'s file to ``target``: its path, or a finding saying
    why it was not written; None for an unusable file (there is nothing to annotate)."""
    if result.unusable:
        return None
    if result.lossy and not force:
        lost = ", ".join(x.replace("-", " ") for x in result.lossy)
        return RULES["LPSA103"].at(
            None,
            f"no annotated copy: openpyxl would drop or alter {lost}; "
            "use --force to write it anyway",
        )
    if Path(target).resolve() == result.path.resolve():
        return RULES["LPSA103"].at(
            None, "no annotated copy: it would overwrite the input; choose another folder"
        )
    import openpyxl

    wb = openpyxl.load_workbook(
        result.path, keep_vba=result.path.suffix.lower() == ".xlsm", keep_links=True, rich_text=True
    )
    _mark_cells(wb, result.findings)
    _findings_sheet(wb, result)
    write_atomic(target, wb.save, make_folder=True)
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
