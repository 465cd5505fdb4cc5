"""Validate on a live book says what ``lpsa-xl check`` says of the same return saved as a file:
the same findings (rule, severity, sheet, cell, message), for every example return, every
planted fault of the checker's end-to-end folder, error values typed into input and computed
cells, and the returns' blank templates. Each return goes through Validate the way Excel on
the web sends it, with and without the formulas grid and with dates as serial numbers and as
ISO text.

Rules that only a file has are left out of the comparison: the package rules (LPSA101-LPSA104:
VBA, charts an openpyxl copy would lose, ...) and the stale-cache rule LPSA016 (Excel has just
recalculated a live book, so its values are never stale)."""

from __future__ import annotations

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

from pathlib import Path

import pytest
from excel_book import book_json_from_xlsx, run

from lpsa_xl.check.run import check_file
from lpsa_xl.check.wiring import READER
from lpsa_xl.excel import macros
from lpsa_xl.values import ERRORS
from tests.check_returns import good_return
from tests.test_check_e2e import DATA, FAULTS, LAA2008, NATURAL, NORTH, _council, example_data

ROOT = Path(__file__).resolve().parents[1]
FILE_ONLY = {"LPSA016", "LPSA101", "LPSA102", "LPSA103", "LPSA104", "LPSA106"}
T = "Targets"

#: Error values where a council return can hold them: an input cell and a computed cell.
ERROR_FAULTS = {
    "e01_na_actual.xlsx": {(T, "M10"): ERRORS["#N/A"]},
    "e02_ref_expected.xlsx": {(T, "I6"): ERRORS["#REF!"]},
    "e03_div0_reward.xlsx": {(T, "V5"): ERRORS["#DIV/0!"]},
    "e04_value_status.xlsx": {(T, "W9"): ERRORS["#VALUE!"]},
}


def _returns(root: Path) -> list[Path]:
    paths = sorted((ROOT / "workbooks" / "examples").glob("*.xlsx"))
    paths += sorted((ROOT / "workbooks").glob("*_return*.xlsx"))
    paths.append(good_return(root / "good_northshire_lpsa1.xlsx", NORTH))
    for name, (cells, _) in FAULTS.items():
        paths.append(good_return(root / name, DATA.get(name, NORTH), claims=cells))
    for name, cells in ERROR_FAULTS.items():
        paths.append(good_return(root / name, NORTH, claims=cells))
    for name, (source, _) in NATURAL.items():
        paths.append(good_return(root / name, example_data(source)))
    paths.append(good_return(root / "f12_laa2008.xlsx", LAA2008, figures=False))
    # a council's own layout, found by its headers, with and without a wrong claim
    paths.append(_council(root / "council_good.xlsx"))
    paths.append(_council(root / "council_fault.xlsx", reward_typo=-1000))
    return paths


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _returns(tmp_path_factory.mktemp("parity"))


def findings_of_file(path: Path) -> list[tuple[str, str, str | None, str | None, str]]:
    return [(f.rule, f.severity, f.sheet, f.cell, f.message)
            for f in check_file(path, READER).findings if f.rule not in FILE_ONLY]  # fmt: skip


def findings_of_live(payload: dict) -> list[tuple[str, str, str | None, str | None, str]]:
    problems, _ = run(macros.validate, payload)
    return [(p.rule, p.severity, p.sheet, p.cell, p.message) for p in problems]


@pytest.mark.parametrize(("formulas", "dates"), [(True, "serial"), (False, "serial"),
                                                 (True, "iso")])  # fmt: skip
def test_validate_equals_check_on_every_return(
    returns: list[Path], formulas: bool, dates: str
) -> None:
    assert len(returns) >= 25
    differ = {}
    for path in returns:
        expected = findings_of_file(path)
        got = findings_of_live(book_json_from_xlsx(path, formulas=formulas, dates=dates))
        if got != expected:
            differ[path.name] = {"check": expected, "validate": got}
    assert differ == {}


def test_an_error_input_is_the_non_numeric_rule_on_both_paths(returns: list[Path]) -> None:
    """#N/A in an input cell is LPSA002 (an error value, not a number), not LPSA001 (missing)."""
    path = next(p for p in returns if p.name == "e01_na_actual.xlsx")
    rules = {(rule, sheet, cell) for rule, _, sheet, cell, _ in findings_of_file(path)}
    assert ("LPSA002", T, "M10") in rules
    live = findings_of_live(book_json_from_xlsx(path))
    assert ("LPSA002", T, "M10") in {(r, s, c) for r, _, s, c, _ in live}


def test_a_computed_cell_showing_an_error_is_reported(returns: list[Path]) -> None:
    path = next(p for p in returns if p.name == "e03_div0_reward.xlsx")
    live = findings_of_live(book_json_from_xlsx(path))
    assert any(cell == "V5" for _, _, _, cell, _ in live), live


def _all_lpsa_cells_show_name_error(payload: dict, web: bool = False) -> dict:
    """The book as Excel shows it when the add-in is not loaded: #NAME? in every LPSA cell."""
    from lpsa_xl.excel.notloaded import LPSA_CALL

    for sheet in payload["sheets"]:
        for i, row in enumerate(sheet.get("formulas") or []):
            for j, f in enumerate(row):
                if isinstance(f, str) and LPSA_CALL.search(f):
                    sheet["values"][i][j] = "#NAME?"
                    if web:  # as Office.js reads the formulas of the web edition
                        row[j] = f.replace("LPSA_", "LPSA.", 1) if f.startswith("=LPSA_") else f
    return payload


@pytest.mark.parametrize("web", [False, True])
def test_functions_not_loaded_is_one_finding_saying_how_to_load_them(web: bool) -> None:
    path = ROOT / "workbooks" / "examples" / "northshire_lpsa1.xlsx"
    payload = _all_lpsa_cells_show_name_error(book_json_from_xlsx(path), web)
    [(rule, severity, _, _, message)] = findings_of_live(payload)
    assert (rule, severity) == ("LPSA105", "error")
    assert "not loaded" in message and "Import functions" in message and "add-in" in message
    # without the formulas grid: the targets table's computed cells tell the same
    for s in payload["sheets"]:
        s.pop("formulas", None)
    [(rule, *_)] = findings_of_live(payload)
    assert rule == "LPSA105"


def test_one_name_error_among_working_cells_is_not_that_finding() -> None:
    path = ROOT / "workbooks" / "examples" / "northshire_lpsa1.xlsx"
    payload = book_json_from_xlsx(path)
    targets = next(s for s in payload["sheets"] if s["name"] == T)
    from lpsa_xl.excel.notloaded import LPSA_CALL

    i, j = next((i, j) for i, row in enumerate(targets["formulas"]) for j, f in enumerate(row)
                if isinstance(f, str) and LPSA_CALL.search(f))  # fmt: skip
    targets["values"][i][j] = "#NAME?"
    assert "LPSA105" not in {rule for rule, *_ in findings_of_live(payload)}
