"""The macros on lpsa-xl's own return template and its filled examples (issue 3's workbooks),
read as Excel on the web sends them: the template layout (lpsa_xl/workbook/layout.py, as the macros look it up) must find every
agreement cell, target row and computed column, and never touch a formula."""

from __future__ import annotations

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

from pathlib import Path

import pytest
import xlwings as xw
from excel_book import book_json_from_xlsx, run

from lpsa_xl.excel import macros

ROOT = Path(__file__).resolve().parents[1]
BOOKS = sorted((ROOT / "workbooks" / "examples").glob("*lpsa*.xlsx"))


@pytest.mark.skipif(not BOOKS, reason="the example returns of the workbooks issue are not here")
@pytest.mark.parametrize("path", BOOKS, ids=[p.stem for p in BOOKS])
def test_macros_read_the_example_returns(path: Path) -> None:
    payload = book_json_from_xlsx(path)
    sheets = macros.ReturnSheets.read(xw.Book(json=payload))
    assert {"authority", "scheme", "period_end"} <= set(sheets.agreement)
    assert sheets.header_row == 4 and len(sheets.rows) >= 3
    assert {"reward", "status", "potential", "trigger"} <= set(sheets.computed)
    result, problems = macros.compute(sheets)
    assert problems == [] and result is not None and result.total_reward > 0
    for script in (macros.calculate, macros.build_claim):
        problems, actions = run(script, payload)
        assert problems == []
        # the template computes with LPSA_* formulas: nothing is overwritten, Excel recalculates
        assert [a["func"] for a in actions] == ["calculate"]
    problems, _ = run(macros.validate, payload)
    assert [p for p in problems if p.severity == "error"] == []
