"""Calculate, Validate and Build claim against a book as xlwings Server receives it."""

from __future__ import annotations

import os
import re
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

from typing import Any

import pytest
import xlwings as xw
from excel_book import AGREEMENT, HEADER, book_json, run, target_rows

import lpsa_xl
from lpsa_xl.excel import macros

try:
    xw.Book(json=book_json()).close()
except Exception as exc:  # pragma: no cover - xlwings without its remote engine
    pytest.skip(f"xlwings' remote book is unavailable: {exc}", allow_module_level=True)


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
    for header, fld in macros.COMPUTED_COLUMNS[:7]:
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
    # the checker reports every problem: the row without stretch and the wrong reward alike
    assert [(p.cell, p.rule, p.severity) for p in problems] == [
        ("E7", "LPSA004", "error"),
        ("L5", "LPSA007", "error"),
    ]
    assert "no stretch" in problems[0].message and "T3" in problems[0].message
    rows[2][4] = rows[2][3] + 10
    problems, actions = run(macros.validate, book_json(rows))
    assert [(p.sheet, p.cell, p.rule, p.severity) for p in problems] == [
        ("Targets", "L5", "LPSA007", "error")
    ]
    assert actions[0]["func"] == "addSheet" and actions[0]["args"][1] == "Findings"
    written = next(a for a in actions if a["func"] == "setValues")["values"]
    assert written[0] == ["Severity", "Sheet", "Cell", "Rule", "Finding"]
    assert written[1][:4] == ["error", "Targets", "L5", "LPSA007"]
    assert "claimed reward £5" in written[1][4]


def test_calculate_with_a_bad_row_writes_findings_instead() -> None:
    rows = target_rows(2)
    rows[1][5] = "n/a"
    problems, actions = run(macros.calculate, book_json(rows))
    # as lpsa-xl compute says it: the cell, and what it should hold
    assert [(p.sheet, p.cell) for p in problems] == [("Targets", "F6")]
    assert "actual" in problems[0].field and "n/a" in problems[0].message
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


def with_formulas(payload: dict[str, Any], sheet: int, cells: list[tuple[int, int]]) -> None:
    """Mark cells (1-based row, column) of a sheet as formulas, as lpsa-xl's task pane sends
    them (a ``formulas`` grid anchored at A1 next to ``values``)."""
    values = payload["sheets"][sheet]["values"]
    grid = [[None] * len(values[0]) for _ in values]
    for r, c in cells:
        grid[r - 1][c - 1] = f"=LPSA_CELL({r},{c})"
    payload["sheets"][sheet]["formulas"] = grid


def test_calculate_never_replaces_formulas_and_recalculates_them() -> None:
    rows = target_rows(4)
    payload = book_json(rows)
    reward_col = HEADER.index("Reward £") + 1
    status_col = HEADER.index("Status") + 1
    with_formulas(payload, 1, [(r, reward_col) for r in range(5, 9)] + [(6, status_col)])
    problems, actions = run(macros.calculate, payload)
    assert problems == []
    targets = [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == 1]
    assert not [a for a in targets if a["start_column"] == reward_col - 1]
    status = sorted((a["start_row"], a["values"]) for a in targets
                    if a["start_column"] == status_col - 1)  # fmt: skip
    lines = core_lines(rows)
    assert status == [(4, [[lines[0].status]]), (6, [[lines[2].status], [lines[3].status]])]
    assert actions[-1]["func"] == "calculate"


def test_a_target_split_into_sub_targets_keeps_a_row_without_figures() -> None:
    rows = target_rows(3)
    parent = ["T0", None, "Split target", None, None, None, None] + [None] * 7
    rows[0][1] = rows[1][1] = "T0"
    problems, actions = run(macros.validate, book_json([parent, *rows]))
    assert [p.severity for p in problems] == []
    _, actions = run(macros.calculate, book_json([parent, *rows]))
    potentials = column(actions, 1, HEADER.index("Potential £"))
    assert potentials[0] in (None, "")  # the split target itself: no figures
    assert potentials[1] + potentials[2] == potentials[3]  # its two halves, one whole target


def test_build_claim_leaves_a_formula_plan_to_excel() -> None:
    payload = book_json()
    payload["sheets"][2]["values"].append(["2006/07", "instalment 1", 1.0, 0.5, 0.5])
    with_formulas(payload, 2, [(6, 1), (6, 3)])
    problems, actions = run(macros.build_claim, payload)
    assert problems == [] and [a["func"] for a in actions] == ["calculate"]


def test_the_task_pane_applies_every_action_the_scripts_produce() -> None:
    """Excel on the web applies the scripts' actions through lpsa-xl's own task pane code."""
    js = (Path(macros.__file__).with_name("static") / "taskpane.js").read_text(encoding="utf-8")
    handled = set(re.findall(r'a\.func === "(\w+)"', js))
    bad = target_rows(2)
    bad[0][3] = None
    formulas = book_json()
    with_formulas(formulas, 1, [(5, HEADER.index("Reward £") + 1)])
    produced = set()
    for script in (macros.calculate, macros.validate, macros.build_claim):
        for payload in (book_json(), book_json(bad), formulas):
            produced |= {a["func"] for a in run(script, payload)[1]}
    assert produced <= handled, produced - handled
    assert {"setValues", "addSheet", "activateSheet", "calculate"} <= produced


def test_build_claim_replaces_an_older_plan_but_not_the_total_row() -> None:
    payload = book_json()
    claim = payload["sheets"][2]["values"]
    claim += [["2005/06", "on account", 1.0, 0.5, 0.5], ["2006/07", "instalment 1", 2.0, 1, 1],
              ["2007/08", "instalment 2", 2.0, 1, 1], [None, "Total", 5.0, 2.5, 2.5]]  # fmt: skip
    for row in claim:
        row += [None] * (5 - len(row))
    problems, actions = run(macros.build_claim, payload)
    assert problems == []
    cleared = {
        (a["start_row"], a["row_count"]) for a in actions if a["func"] == "rangeClearContents"
    }
    assert cleared == {(7, 1)}  # 0-based row 7 is sheet row 8: the third old payment only


def test_an_empty_targets_table_is_a_finding() -> None:
    problems, _ = run(macros.calculate, book_json([]))
    assert [(p.cell, p.message) for p in problems] == [
        ("A5", "no targets yet: the table under the header is empty")
    ]
