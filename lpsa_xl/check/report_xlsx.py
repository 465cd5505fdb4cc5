"""``--report report.xlsx``: the workbook a returns-team lead opens.

Summary first (one row per return: authority, status, counts by severity, potential, recomputed
and claimed reward, difference, the reason an unusable file was not read, a link to its
findings), then Findings (the most serious first within each return) and Themes (success rates).
Each sheet is an Excel Table with a filter, its header row frozen and repeated on every printed
page, columns as wide as their contents, £ and % number formats, status and severity coloured by
conditional formatting (so a re-sorted or filtered sheet stays coloured), and a page set-up that
prints landscape, one page wide. Written with openpyxl to a temporary file and moved into place.
Checked against the agreements register, the Summary gains a "Changed since last round" column
and a "Missing returns" sheet lists the authorities in the register with no return.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from lpsa_xl.check.findings import FileResult
from lpsa_xl.check.overview import Overview, overview, sorted_findings
from lpsa_xl.files.safe import write_atomic

__all__ = ["COLOURS", "rates", "write_report"]

MONEY = "£#,##0.00;-£#,##0.00;£0.00"
PERCENT = "0.00%"
#: Fill and font colour of each status and severity (Excel's own good/neutral/bad styles).
COLOURS = {
    "errors": ("FFC7CE", "9C0006"),
    "error": ("FFC7CE", "9C0006"),
    "warnings": ("FFEB9C", "9C5700"),
    "warning": ("FFEB9C", "9C5700"),
    "ok": ("C6EFCE", "006100"),
    "info": ("DDEBF7", "1F4E78"),
    "unusable": ("D9D9D9", "404040"),
}

#: (header, number format or None, widest a column may grow)
SUMMARY = (
    ("Authority", None, 45),
    ("File", None, 40),
    ("Status", None, 12),
    ("Errors", "0", 8),
    ("Warnings", "0", 10),
    ("Info", "0", 6),
    ("Scheme", None, 10),
    ("Potential £", MONEY, 18),
    ("Recomputed reward £", MONEY, 18),
    ("Claimed reward £", MONEY, 18),
    ("Difference £", MONEY, 18),
    ("% of potential earned", PERCENT, 12),
    ("Mean % of stretch achieved (uncapped)", PERCENT, 14),
    ("Findings", None, 22),
    ("Reason or note", None, 70),
)
#: With a register: the Summary's last column, and the sheet of missing returns.
CHANGED = ("Changed since last round", None, 60)
MISSING = (("Authority in the register with no return among those checked", None, 60),)
FINDINGS = (
    ("Authority", None, 40),
    ("File", None, 30),
    ("Severity", None, 10),
    ("Rule", None, 9),
    ("Sheet", None, 16),
    ("Cell", None, 8),
    ("Message", None, 100),
)
THEMES = (
    ("Authority", None, 45),
    ("Theme", None, 30),
    ("Lines with an actual", "0", 10),
    ("Green", "0", 8),
    ("Amber", "0", 8),
    ("Red", "0", 8),
    ("Stretch achieved (Green) %", PERCENT, 14),
    ("Rewarded (Green or Amber) %", PERCENT, 14),
)


def rates(green: int, amber: int, lines: int) -> tuple[Decimal | None, Decimal | None]:
    """Success rates of a theme: stretch achieved, and at least the floor achieved."""
    if not lines:
        return None, None
    return Decimal(green) / lines, Decimal(green + amber) / lines


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def write_report(
    path: Path, results: Sequence[FileResult], *, missing: Sequence[str] | None = None
) -> Path:
    """Write the report workbook atomically. ``missing`` (with a register): the authorities in
    the register with no return, on a "Missing returns" sheet; the Summary then ends with a
    "Changed since last round" column."""
    import openpyxl

    rows = overview(results)
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = "Summary"
    findings = wb.create_sheet("Findings")
    themes = wb.create_sheet("Themes")
    here = Path(path).resolve().parent
    first_row = _findings(findings, rows, here)
    changed = missing is not None
    _summary(summary, rows, first_row, changed)
    _themes(themes, rows)
    sheets = [
        (summary, (*SUMMARY, CHANGED) if changed else SUMMARY, "ReturnsSummary", "C"),
        (findings, FINDINGS, "ReturnsFindings", "C"),
        (themes, THEMES, "ReturnsThemes", ""),
    ]
    if missing is not None:
        absent = wb.create_sheet("Missing returns")
        absent.append([MISSING[0][0]])
        for name in missing:
            absent.append([name])
        sheets.append((absent, MISSING, "ReturnsMissing", ""))
    for ws, columns, table, coloured in sheets:
        _finish(ws, columns, table, coloured)
    return write_atomic(path, wb.save, make_folder=True)


def _changes(row: Overview) -> str | None:
    changes = row.result.changes
    if changes is None:  # not compared: unusable, or no authority
        return None
    return "\n".join(changes) if changes else "no change"


def _summary(ws: Any, rows: list[Overview], first_row: dict[int, int], changed: bool) -> None:
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws.append([c[0] for c in (*SUMMARY, CHANGED)] if changed else [c[0] for c in SUMMARY])
    for i, row in enumerate(rows):
        s = row.result.summary
        note = row.reason
        if not row.result.unusable and s is not None and not row.assessed:
            note = "no actual figures yet: the reward is not assessed"
        count = len(row.result.findings)
        ws.append(
            [
                row.name,
                str(row.result.path),
                row.status,
                row.errors,
                row.warnings,
                row.infos,
                s.scheme if s else None,
                _num(row.potential),
                _num(row.reward),
                _num(row.claimed),
                _num(row.difference),
                _num(row.earned),
                _num(s.achievement) if s else None,
                f"{_plural(count, 'finding')} →" if count else "none",
                note or None,
                *([_changes(row)] if changed else []),
            ]
        )
        if count:
            cell = ws.cell(ws.max_row, 14)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"Findings!A{first_row[i]}")
            cell.style = "Hyperlink"


def _findings(ws: Any, rows: list[Overview], here: Path) -> dict[int, int]:
    """Fill the Findings sheet; the row of each return's first finding, by its index."""
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws.append([c[0] for c in FINDINGS])
    first: dict[int, int] = {}
    for i, row in enumerate(rows):
        r = row.result
        for f in sorted_findings(r.findings):
            first.setdefault(i, ws.max_row + 1)
            ws.append([row.name, r.path.name, f.severity, f.rule, f.sheet, f.cell, f.message])
            if f.sheet and f.cell:  # a link that opens the return at the cell
                cell = ws.cell(ws.max_row, 6)
                target = os.path.relpath(r.path.resolve(), here)
                quoted = "'" + f.sheet.replace("'", "''") + "'"
                cell.hyperlink = Hyperlink(
                    ref=cell.coordinate, target=target, location=f"{quoted}!{f.cell}"
                )
                cell.style = "Hyperlink"
    return first


def _themes(ws: Any, rows: list[Overview]) -> None:
    ws.append([c[0] for c in THEMES])
    for row in rows:
        s = row.result.summary
        for theme, count in sorted((s.themes if s else {}).items()):
            achieved, rewarded = rates(count.green, count.amber, count.lines)
            ws.append(
                [row.name, theme, count.lines, count.green, count.amber, count.red,
                 _num(achieved), _num(rewarded)]
            )  # fmt: skip


def _finish(ws: Any, columns: tuple[tuple[str, str | None, int], ...], name: str, coloured: str
            ) -> None:  # fmt: skip
    """Table, frozen header, widths, number formats, colours and page set-up of one sheet."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    last = max(ws.max_row, 2)  # a table needs a row under its header
    for j, (header, fmt, widest) in enumerate(columns, start=1):
        letter = get_column_letter(j)
        longest = len(header) * 0.9 + 3  # the filter button takes room beside the header
        for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            if fmt is not None:
                cell.number_format = fmt
            if cell.value is not None:
                longest = max(longest, _shown_width(cell.value, fmt))
        ws.column_dimensions[letter].width = min(widest, round(longest + 2, 1))
        if longest > widest:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ref = f"A1:{get_column_letter(len(columns))}{last}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if coloured:
        area = f"{coloured}2:{coloured}{last}"
        for word, (fill, font) in COLOURS.items():
            ws.conditional_formatting.add(
                area,
                CellIsRule(
                    operator="equal",
                    formula=[f'"{word}"'],
                    fill=PatternFill(start_color=fill, end_color=fill, fill_type="solid"),
                    font=Font(color=font, bold=True),
                ),
            )
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = False


def _shown_width(value: object, fmt: str | None) -> float:
    """About how many character widths Excel needs to show ``value`` in format ``fmt``."""
    if isinstance(value, (int, float)) and fmt == MONEY:
        return len(f"£{value:,.2f}") + 1
    if isinstance(value, (int, float)) and fmt == PERCENT:
        return len(f"{value:.2%}") + 1
    return max((len(line) for line in str(value).splitlines()), default=0) * 1.05
