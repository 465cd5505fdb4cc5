"""One reading, one answer: every fixture (the blank templates, the filled examples, the council
corpus and the council layouts of the reading tests) through ``compute``, ``check`` and the
Excel Validate button (the live book as xlwings Server receives it), compared.

Where compute gives totals, check's JSON gives the same ``total_potential`` and
``total_reward``; where compute refuses the return, check has an error finding and no
recomputed reward. Validate's findings are check's, less the rules that need the file itself
(the package rules and the stale-cache rule)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

import pytest
from _council_layouts import columns_book, rows_book, sheet_book, split_book

from lpsa_xl.check.run import check_file
from lpsa_xl.check.wiring import READER
from lpsa_xl.rules import LpsaError

ROOT = Path(__file__).resolve().parents[1]
#: Rules that look at the file (its package, its cached values), not at what was read.
FILE_RULES = {"LPSA016", "LPSA100", "LPSA101", "LPSA102", "LPSA103", "LPSA104", "LPSA106"}


def _council_fixtures(folder: Path) -> list[Path]:
    """The council layouts of the reading tests, built once."""
    folder.mkdir(parents=True, exist_ok=True)
    head = ["Ref", "Measure", "Expected without the Local PSA", "Stretch target"]
    return [
        rows_book(folder / "fractions.xlsx", [["1", "Rate", 0.40, 0.55, "49%", 29816]]),
        rows_book(folder / "undecided.xlsx", [["1", "Rate", 0.3, 30, "32%", 29816]]),
        rows_book(folder / "slip.xlsx", [["1", "Rate", 40, 55, 4900, 29816]]),
        rows_book(
            folder / "formatted.xlsx",
            [["1", "Rate", 0.40, 0.55, 0.49, 29816]],
            formats={"C5": "0%", "D5": "0%"},
        ),
        columns_book(
            folder / "columns.xlsx",
            [
                "Target ref",
                "Measure",
                "Expected without the Local PSA",
                "Stretch target",
                "Outturn 2005/06",
                "Reward available",
            ],
            [
                ["1", "Recycling %", 30, 40, 36, 100000],
                ["2", "Burglaries", 4200, 3800, 3700, 100000],
            ],
        ),
        split_book(
            folder / "split.xlsx",
            [["1", "Recycling %", 30, 40, 100000], ["2", "Burglaries", 4200, 3800, 100000]],
            [["2", 3700], ["7", 12]],
        ),
        sheet_book(
            folder / "years.xlsx",
            [
                ["Fictional Clean Borough Council - LPSA2 monitoring"],
                [],
                [*head, "Outturn 2003/04", "Outturn 2004/05", "Reward available"],
                ["1", "Recycling %", 30, 40, 31, 36, 100000],
            ],
        ),
    ]


def fixtures() -> list[Path]:
    found = sorted((ROOT / "workbooks").glob("*.xls[xm]"))
    found += sorted((ROOT / "workbooks" / "examples").glob("*.xlsx"))
    corpus = ROOT / "tests" / "council_corpus"
    found += sorted(corpus.rglob("*.xlsx")) if corpus.is_dir() else []
    return found


def _compute(path: Path) -> tuple[str, str] | None:
    from lpsa_xl.returns.compute import compute_book
    from lpsa_xl.returns.read import read_return

    try:
        done = compute_book(read_return(path))
    except LpsaError:
        return None
    return str(done.result.total_potential), str(done.result.total_reward)


def _validate(path: Path) -> list[Any]:
    import xlwings as xw
    from excel_book import book_json_from_xlsx

    from lpsa_xl.excel.macros import find_problems

    book = xw.Book(json=book_json_from_xlsx(path))
    try:
        return find_problems(book)
    finally:
        book.close()


def _agree(path: Path) -> None:
    computed = _compute(path)
    checked = check_file(path, READER).as_json()
    errors = [f for f in checked["findings"] if f["severity"] == "error"]
    if computed is None:
        assert errors, f"{path.name}: compute refuses it, check finds no error"
        assert checked["total_reward"] is None, f"{path.name}: check pays what compute refuses"
    else:
        assert (checked["total_potential"], checked["total_reward"]) == computed, path.name
    ours = sorted(
        (f["rule"], f["sheet"], f["cell"], f["message"])
        for f in checked["findings"]
        if f["rule"] not in FILE_RULES
    )
    live = sorted(
        (f.rule, f.sheet, f.cell, f.message) for f in _validate(path) if f.rule not in FILE_RULES
    )
    assert live == ours, path.name


@pytest.mark.parametrize("path", fixtures(), ids=lambda p: p.name)
def test_compute_check_and_validate_agree_on_every_fixture(path: Path) -> None:
    _agree(path)


def test_compute_check_and_validate_agree_on_council_layouts(tmp_path: Path) -> None:
    for path in _council_fixtures(tmp_path / "council"):
        _agree(path)


def test_compute_check_and_validate_agree_on_the_council_corpus(tmp_path: Path) -> None:
    from council_corpus import CASES

    for case in CASES:
        _agree(case.build(tmp_path))
