"""``--report report.xlsx``: the findings, a summary row per authority, success rates by theme."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from lpsa_xl.check.findings import FileResult
from lpsa_xl.files.safe import write_atomic

__all__ = ["rates", "write_report"]

FINDING_HEADERS = ("File", "Authority", "Status", "Severity", "Rule", "Sheet", "Cell", "Message")
SUMMARY_HEADERS = (
    "Authority",
    "File",
    "Scheme",
    "Potential £",
    "Recomputed reward £",
    "Claimed reward £",
    "Difference £",
    "% of potential earned",
    "Mean % of stretch achieved (uncapped)",
    "Errors",
    "Warnings",
    "Status",
)
THEME_HEADERS = (
    "Authority",
    "Theme",
    "Lines with an actual",
    "Green",
    "Amber",
    "Red",
    "Stretch achieved (Green) %",
    "Rewarded (Green or Amber) %",
)


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def rates(green: int, amber: int, lines: int) -> tuple[Decimal | None, Decimal | None]:
    """Success rates of a theme: stretch achieved, and at least the floor achieved."""
    if not lines:
        return None, None
    return Decimal(green) / lines, Decimal(green + amber) / lines


def write_report(path: Path, results: Sequence[FileResult]) -> Path:
    """Write the report workbook atomically."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    findings = wb.active
    findings.title = "Findings"
    findings.append(FINDING_HEADERS)
    for r in results:
        for f in r.findings:
            findings.append(
                (str(r.path), r.authority, r.status, f.severity, f.rule, f.sheet, f.cell, f.message)
            )
    summary = wb.create_sheet("Summary")
    summary.append(SUMMARY_HEADERS)
    themes = wb.create_sheet("Themes")
    themes.append(THEME_HEADERS)
    for r in results:
        s = r.summary
        earned = s.reward / s.potential if s and s.reward is not None and s.potential else None
        summary.append(
            (
                r.authority or r.path.name,
                str(r.path),
                s.scheme if s else None,
                _num(s.potential) if s else None,
                _num(s.reward) if s else None,
                _num(s.claimed_reward) if s else None,
                _num(s.difference) if s else None,
                _num(earned),
                _num(s.achievement) if s else None,
                r.count("error"),
                r.count("warning"),
                r.status,
            )
        )
        for theme, count in sorted((s.themes if s else {}).items()):
            achieved, rewarded = rates(count.green, count.amber, count.lines)
            themes.append(
                (
                    r.authority or r.path.name,
                    theme,
                    count.lines,
                    count.green,
                    count.amber,
                    count.red,
                    _num(achieved),
                    _num(rewarded),
                )
            )
    for ws, money, pct in ((summary, "DEFG", "HI"), (themes, "", "GH")):
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.column_letter in money:
                    cell.number_format = "£#,##0.00"
                elif cell.column_letter in pct:
                    cell.number_format = "0.0%"
    for ws in (findings, summary, themes):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    return write_atomic(path, wb.save, make_folder=True)
