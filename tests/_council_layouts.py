"""Small council-style returns for the reading tests, each in one of the layouts councils used
in their committee-report monitoring tables: built with openpyxl, figures chosen so a person
can work the reward out by hand (the expected answers sit in the tests beside them)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook


def _put(ws: Any, top: int, left: int, rows: Sequence[Sequence[object]]) -> None:
    for i, values in enumerate(rows):
        for j, value in enumerate(values):
            if value is not None:
                ws.cell(row=top + i, column=left + j, value=value)


def rows_book(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    title: str | None = "Fictional Clean Borough \u2013 Local PSA final outturn",
    header: Sequence[str] = (
        "Ref",
        "Measure",
        "Performance expected without the Local PSA",
        "Performance target with the Local PSA",
        "Outturn",
        "Reward available (\u00a3)",
    ),
    labels: Sequence[Sequence[object]] = (),
    formats: dict[str, str] | None = None,
    sheet: str = "Targets",
    top: int = 4,
) -> Path:
    """One row per target under ``header`` at row ``top``, the ``title`` in A1 and ``labels``
    (label, value) from row 2."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws["A1"] = title
    _put(ws, 2, 1, labels)
    _put(ws, top, 1, [list(header), *rows])
    for coord, fmt in (formats or {}).items():
        ws[coord].number_format = fmt
    wb.save(path)
    return path


def columns_book(path: Path, labels: Sequence[str], targets: Sequence[Sequence[object]]) -> Path:
    """Targets as columns: ``labels`` down column A from row 3, one target per column from B."""
    wb = Workbook()
    ws = wb.active
    ws.title = "LPSA summary"
    ws["A1"] = "Fictional Clean Borough \u2013 LPSA2 stretch targets, final position"
    for i, label in enumerate(labels):
        ws.cell(row=3 + i, column=1, value=label)
        for j, target in enumerate(targets):
            ws.cell(row=3 + i, column=2 + j, value=target[i])
    wb.save(path)
    return path


def split_book(
    path: Path,
    agreed: Sequence[Sequence[object]],
    outturn: Sequence[Sequence[object]],
    *,
    outturn_first: bool = False,
) -> Path:
    """Agreed figures (ref, measure, expected, target, reward available) on one sheet and the
    outturn (ref, outturn) on another, joined by ref."""
    wb = Workbook()
    first = wb.active
    sheets = (
        ("Outturn 2005-06", "Agreed targets")
        if outturn_first
        else ("Agreed targets", "Outturn 2005-06")
    )
    first.title = sheets[0]
    wb.create_sheet(sheets[1])
    ag, out = wb["Agreed targets"], wb["Outturn 2005-06"]
    ag["A1"] = "Fictional Clean Borough \u2013 Local PSA: targets as agreed"
    _put(ag, 3, 1, [["Target ref", "Indicator", "Expected without PSA", "Stretch target",
                     "Reward available (\u00a3)"], *agreed])  # fmt: skip
    out["A1"] = "Fictional Clean Borough \u2013 outturn reported to Cabinet"
    _put(out, 3, 1, [["Target ref", "Final outturn"], *outturn])
    wb.save(path)
    return path


def sheet_book(path: Path, cells: Sequence[Sequence[object]], **properties: str) -> Path:
    """A one-sheet return given as its rows from A1 (None for a blank cell), with document
    properties (title, subject, keywords...) where given."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Monitoring"
    _put(ws, 1, 1, cells)
    for name, value in properties.items():
        setattr(wb.properties, name, value)
    wb.save(path)
    return path
