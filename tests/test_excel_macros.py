"""Calculate, Validate and Build claim against a book as xlwings Server receives it (issue 4)."""

from __future__ import annotations

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

from typing import Any

import pytest
import xlwings as xw
from excel_book import AGREEMENT, HEADER, book_json, target_rows

import lpsa_xl
from lpsa_xl.excel import layout, macros

try:
    xw.Book(json=book_json()).close()
except Exception as exc:  # pragma: no cover - xlwings without its remote engine
    pytest.skip(f"xlwings' remote book is unavailable: {exc}", allow_module_level=True)


def run(script: Any, payload: dict[str, Any]) -> tuple[list[macros.Finding], list[dict[str, Any]]]:
    book = xw.Book(json=payload)
    try:
        return script(book), book.json()["actions"]
    finally:
        book.close()


def column(actions: list[dict[str, Any]], sheet: int, col: int) -> list[object]:
    [values] = [
        a["values"]
        for a in actions
        if a["func"] == "setValues" and a["sheet_position"] == sheet and a["start_column"] == col
    ]
    return [v for [v] in values]


def core_lines(rows: list[list[object]]) -> list[lpsa_xl.Line]:
    targets = lpsa_xl.targets_from_rows(
        [dict(ref=r[0], expected=r[3], target=r[4], actual=r[5]) for r in rows]
    )
    return list(
        lpsa_xl.assess(
            lpsa_xl.Agreement("", "LPSA1", targets=targets, stated_potential=3578000)
        ).lines
    )


def test_calculate_fills_every_computed_column_with_the_core_figures() -> None:
    rows = target_rows(5)
    problems, actions = run(macros.calculate, book_json(rows))
    assert problems == []
    lines = core_lines(rows)
    for header, fld in layout.COMPUTED_COLUMNS[:7]:
        got = column(actions, 1, HEADER.index(header))
        want = [getattr(ln, fld) for ln in lines]
        assert got == [w if isinstance(w, str) else float(w) for w in want], header
    starts = {a["start_row"] for a in actions if a["sheet_position"] == 1}
    assert starts == {4}  # the first row under the header (row 4), 0-based


def test_calculate_fills_the_named_agreement_totals() -> None:
    rows = target_rows(5)
    _, actions = run(macros.calculate, book_json(rows))
    totals = {a["start_row"]: a["values"] for a in actions if a["sheet_position"] == 0}
    reward = float(sum(ln.reward for ln in core_lines(rows)))
    assert totals == {4: [[3578000.0]], 5: [[reward]]}  # B5 Total_Potential, B6 Total_Reward


def test_agreement_cells_are_found_by_label_without_defined_names() -> None:
    problems, actions = run(macros.calculate, book_json(names=False))
    assert problems == [] and actions
    assert not [a for a in actions if a["sheet_position"] == 0]  # no names: no totals cells


def test_a_used_range_that_does_not_start_at_a1() -> None:
    """Excel on the web sends the used range's address; values stay anchored at A1."""
    payload = book_json()
    targets = payload["sheets"][1]
    targets["values"][0][0] = None  # the title row is empty: the used range starts on row 4
    targets["used_range_address"] = f"A4:N{len(targets['values'])}"
    problems, actions = run(macros.calculate, payload)
    assert problems == []
    assert column(actions, 1, HEADER.index("Status")) == ["Red", "Amber", "Green"]


def test_validate_reports_mismatches_and_bad_rows_with_their_cells() -> None:
    rows = target_rows(3)
    rows[0][HEADER.index("Reward £")] = 5  # stated, wrong
    rows[1][HEADER.index("Status")] = "amber"  # right, in other case
    rows[2][4] = rows[2][3]  # target equal to expected: no stretch
    problems, actions = run(macros.validate, book_json(rows))
    assert [(p.cell, p.field, p.severity) for p in problems] == [("E7", "target", "error")]
    assert "no stretch" in problems[0].message and problems[0].ref == "T3"
    rows[2][4] = rows[2][3] + 10
    problems, actions = run(macros.validate, book_json(rows))
    assert [(p.sheet, p.cell, p.ref, p.field, p.severity) for p in problems] == [
        ("Targets", "L5", "T1", "reward", "mismatch")
    ]
    assert actions[0]["func"] == "addSheet" and actions[0]["args"][1] == "Findings"
    written = next(a for a in actions if a["func"] == "setValues")["values"]
    assert written[0] == ["Sheet", "Cell", "Ref", "Field", "Severity", "Finding"]
    assert written[1][:2] == ["Targets", "L5"] and "states 5" in written[1][5]


def test_calculate_with_a_bad_row_writes_findings_instead() -> None:
    rows = target_rows(2)
    rows[1][5] = "n/a"
    problems, actions = run(macros.calculate, book_json(rows))
    assert [(p.cell, p.field) for p in problems] == [("F6", "actual")]
    assert {a["sheet_position"] for a in actions if a["func"] == "setValues"} == {3}  # Findings


def test_build_claim_writes_the_payment_plan_under_the_claim_header() -> None:
    rows = target_rows(4)
    problems, actions = run(macros.build_claim, book_json(rows))
    assert problems == []
    total = sum(ln.reward for ln in core_lines(rows))
    plan = lpsa_xl.instalments(total, 2006, "LPSA1")
    assert column(actions, 2, 0) == [p.year for p in plan]
    assert column(actions, 2, 2) == [float(p.paid) for p in plan]
    assert column(actions, 2, 3) == [float(p.capital) for p in plan]
    assert {a["start_row"] for a in actions} == {5}


def test_build_claim_without_period_end_says_which_cell() -> None:
    agreement = [r for r in AGREEMENT if r[0] != "Period_End"]
    problems, _ = run(macros.build_claim, book_json(agreement=agreement))
    assert [(p.field, p.severity) for p in problems] == [("period_end", "error")]
    assert "Period end is blank" in problems[0].message
