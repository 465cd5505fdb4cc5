"""Helpers shared by the workbook tests: building small council-style returns with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook


def council_book(
    path: Path,
    rows: list[list[Any]],
    *,
    header: list[str] | None = None,
    top: int = 6,
    left: int = 3,
    title_rows: dict[str, Any] | None = None,
    sheet: str = "LPSA monitoring",
    formats: dict[str, str] | None = None,
) -> Path:
    """A return in a layout lpsa-xl has never seen: a cover sheet, then the table at (top, left)
    under council-style headers; agreement labels above it. ``formats``: coord -> number format."""
    wb = Workbook()
    wb.active.title = "Cover"
    wb.active["A1"] = "Quarterly performance report - not the return"
    ws = wb.create_sheet(sheet)
    ws["A1"] = "Northmoor County Council (fictional) - Local PSA monitoring"
    r = 2
    for label, value in (title_rows or {}).items():
        ws.cell(row=r, column=1, value=label)
        ws.cell(row=r, column=2, value=value)
        r += 1
    header = header or [
        "Target ref",
        "Indicator",
        "Lower is better",
        "Expected performance @31/03/06 without PSA",
        "PSA stretch target 2005-6",
        "05/06 Actual",
        "Reward available (£)",
        "Reward (£)",
    ]
    for j, text in enumerate(header):
        ws.cell(row=top, column=left + j, value=text)
    for i, values in enumerate(rows, start=1):
        for j, value in enumerate(values):
            ws.cell(row=top + i, column=left + j, value=value)
    for coord, fmt in (formats or {}).items():
        ws[coord].number_format = fmt
    wb.save(path)
    return path
