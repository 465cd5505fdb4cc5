"""The macros on lpsa-xl's own return template and its filled examples (workbooks/),
read as Excel on the web sends them: the template layout (lpsa_xl/returns/layout.py, as the
macros look it up) must find every agreement cell, target row and computed column, and never
touch a formula; Validate must say what ``lpsa-xl check`` says of the same return."""

from __future__ import annotations

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

from pathlib import Path

import pytest
import xlwings as xw
from excel_book import book_json_from_xlsx, run

from lpsa_xl.excel import macros
from lpsa_xl.returns.compute import compute_book
from lpsa_xl.returns.read import read_return

ROOT = Path(__file__).resolve().parents[1]
BOOKS = sorted((ROOT / "workbooks" / "examples").glob("*lpsa*.xlsx"))


@pytest.mark.skipif(not BOOKS, reason="the example returns under workbooks/examples/ are not here")
@pytest.mark.parametrize("path", BOOKS, ids=[p.stem for p in BOOKS])
def test_macros_read_the_example_returns(path: Path) -> None:
    payload = book_json_from_xlsx(path)
    sheets = macros.ReturnSheets.read(xw.Book(json=payload))
    assert {"authority", "scheme", "period_end"} <= set(sheets.agreement)
    assert sheets.header_row == 4 and len(sheets.rows) >= 3
    assert {"reward", "status", "potential", "trigger"} <= set(sheets.computed)
    result, problems = macros.compute(sheets)
    assert problems == [] and result is not None and result.total_reward > 0
    # the figures lpsa-xl compute gives for the file
    assert result == compute_book(read_return(path)).result
    for script in (macros.calculate, macros.build_claim):
        problems, actions = run(script, payload)
        assert problems == []
        # the template computes with LPSA_* formulas: nothing is overwritten, Excel recalculates
        assert [a["func"] for a in actions] == ["calculate"]
    problems, _ = run(macros.validate, payload)
    assert [p for p in problems if p.severity == "error"] == []


def test_validate_on_a_live_book_gives_the_finding_lpsa_xl_check_gives_for_the_file(
    tmp_path: Path,
) -> None:
    """A wrong reward planted in a return: Validate on the book as Excel sends it and the
    checker on the same return saved as a file report the same LPSA007 at the same cell."""
    import openpyxl

    from lpsa_xl.check.run import check_file
    from lpsa_xl.check.wiring import READER

    source = ROOT / "workbooks" / "examples" / "northshire_lpsa1.xlsx"
    if not source.exists():
        pytest.skip("the example returns under workbooks/examples/ are not here")
    wb = openpyxl.load_workbook(source, data_only=True)  # cached values, as Excel holds them
    ws = wb["Targets"]
    [header] = [r for r in ws.iter_rows(min_row=4, max_row=4, values_only=True)]
    coord = f"{openpyxl.utils.get_column_letter(header.index('Reward £') + 1)}6"
    ws[coord] = 12345
    planted = tmp_path / "planted.xlsx"
    wb.save(planted)

    problems, actions = run(macros.validate, book_json_from_xlsx(planted))
    file_findings = check_file(planted, READER).findings
    assert [(p.rule, p.sheet, p.cell) for p in problems] == [("LPSA007", "Targets", coord)]
    assert [(f.rule, f.sheet, f.cell, f.message) for f in file_findings if f.rule == "LPSA007"] == [
        (p.rule, p.sheet, p.cell, p.message) for p in problems
    ]
    written = next(a for a in actions if a["func"] == "setValues")["values"]
    assert written[1][:4] == ["error", "Targets", coord, "LPSA007"]
