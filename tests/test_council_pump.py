"""A council layout's pump-priming table, found by its headers like the targets table, so the
pump-priming rule (LPSA014) reaches council returns too: on a sheet of its own, or below the
targets table on the same sheet (where it also ends the targets table)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from test_check_e2e import _council

from lpsa_xl.cli import main
from lpsa_xl.returns.read import read_return

PUMP_HEADER = ["Pump priming item", "Financial year", "PPG allocation £", "Actual spend £"]
PUMP_ROWS = [
    ["1", "2003/04", 100_000, 90_000],
    ["Children's services", None, None, None],  # a heading inside the table
    ["2", "2003/04", 150_000, 162_500],  # overspent
    ["Total", None, 250_000, 252_500],
]


def _with_pump(path: Path, sheet: str | None, top: int) -> Path:
    """The council return with a pump-priming table at (top, column B) of ``sheet`` (None: a
    new sheet "PPG")."""
    _council(path)
    wb = load_workbook(path)
    ws = wb.create_sheet("PPG") if sheet is None else wb[sheet]
    for j, text in enumerate(PUMP_HEADER):
        ws.cell(row=top, column=2 + j, value=text)
    for i, values in enumerate(PUMP_ROWS, start=1):
        for j, value in enumerate(values):
            ws.cell(row=top + i, column=2 + j, value=value)
    wb.save(path)
    return path


def _check(path: Path) -> list[tuple[str, str, str]]:
    result = CliRunner().invoke(main, ["check", "--json", "--no-recalc", str(path)])
    findings = json.loads(result.stdout)["files"][0]["findings"]
    return [(f["rule"], f["sheet"], f["cell"]) for f in findings]


def test_pump_priming_table_on_its_own_sheet(tmp_path: Path) -> None:
    path = _with_pump(tmp_path / "council.xlsx", None, top=3)
    book = read_return(path)
    assert [line["ref"].value for line in book.pump_priming] == ["1", "2"]
    assert book.pump_priming[1]["spend"].coord == "E6"
    assert any("pump-priming table on sheet 'PPG'" in note for note in book.notes)
    assert len(book.targets) == 4  # the targets, untouched
    assert _check(path) == [("LPSA014", "PPG", "E6")]


def test_pump_priming_table_below_the_targets(tmp_path: Path) -> None:
    sheet = "Stretch targets 05-06"
    path = _with_pump(tmp_path / "council.xlsx", sheet, top=16)  # targets end at row 13
    book = read_return(path)
    assert [t.value("ref") for t in book.targets] == ["1", "2", "3", "4"]
    assert [line["budget"].coord for line in book.pump_priming] == ["D17", "D19"]
    assert _check(path) == [("LPSA014", sheet, "E19")]


def test_no_pump_priming_table_reads_none(tmp_path: Path) -> None:
    path = _council(tmp_path / "council.xlsx")
    assert read_return(path).pump_priming == []
    assert _check(path) == []
