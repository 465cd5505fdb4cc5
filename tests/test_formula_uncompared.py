"""Cells whose values are not Excel's to compare: volatile functions (the clock, chance), Excel's
surroundings (CELL, INFO), cells reading a declined cell, and books saved with iterative
calculation on. ``recalc --check`` and check's stale rule report them as such, never as stale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from formula_util import book, evaluate, value
from test_formula_workbook import rewrite_member

from lpsa_xl.check.run import stale_findings
from lpsa_xl.cli import main
from lpsa_xl.files.errors import FormulaError
from lpsa_xl.returns.recalc import not_compared, stale_cells
from lpsa_xl.values import ExcelError


def _check(path: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["recalc", str(path), "--check"])
    return result.exit_code, result.stdout, result.stderr


def _cached(path: Path, ref: str, number: str) -> None:
    """Give cell ``ref`` of the first sheet the cached number ``number``."""

    def edit(xml: str) -> str:
        pattern = rf'(<c r="{ref}"[^>]*>(?:<f>[^<]*</f>)?)<v>[^<]*</v>'
        out, n = re.subn(pattern, rf"\g<1><v>{number}</v>", xml)
        assert n == 1, xml
        return out

    rewrite_member(path, "xl/worksheets/sheet1.xml", edit)


def _recalculated(tmp_path: Path, cells: dict[str, object]) -> Path:
    source = book(tmp_path / "in.xlsx", {"S": cells})
    out = tmp_path / "book.xlsx"
    result = CliRunner().invoke(main, ["recalc", str(source), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    return out


def test_volatile_cells_and_their_dependants_are_noted_not_compared(tmp_path: Path) -> None:
    path = _recalculated(
        tmp_path,
        {"A1": "=TODAY()", "A2": "=A1+30", "A3": "=SUM(A1:A2)", "A4": 7, "B1": "=A4*2",
         "B2": "=SUM(A1:A2)", "B3": "=RAND()", "B4": "=IF(FALSE,NOW(),A4)"},
    )  # fmt: skip
    _cached(path, "A1", "40000")  # saved on another day
    _cached(path, "A2", "40030")
    _cached(path, "B1", "15")  # truly stale
    code, stdout, stderr = _check(path)
    assert code == 1
    assert stdout.splitlines() == ["S\tB1\tcached 15\tcomputed 14"]
    assert re.search(r"note: 5 formula cells \(S!A1, S!A2, S!B2, S!A3, S!B3\) depend on the "
                     r"clock or chance \(RAND, TODAY\)", stderr), stderr  # fmt: skip
    assert "1 of 7 formula cells differ from the cached values (5 not compared)" in stderr
    # B4 never called NOW: it is compared like any cell
    findings = stale_findings(path, stale_cells)
    assert [(f.rule, f.severity, f.sheet, f.cell) for f in findings] == [
        ("LPSA016", "error", "S", "B1"),
        ("LPSA106", "info", "S", "A1"),
    ]
    assert "TODAY" in findings[1].message and "not compared" in findings[1].message


def test_a_cached_range_read_again_passes_the_mark_on(tmp_path: Path) -> None:
    path = book(tmp_path / "t.xlsx", {"S": {"A1": "=NOW()", "A2": 1, "B1": "=SUM(A1:A2)",
                                            "C1": "=SUM(A1:A2)", "D1": "=MAX(C1,0)"}})  # fmt: skip
    package, engine = evaluate(path)
    (entry,) = not_compared(package, engine)
    assert entry.kind == "volatile"
    assert [c for _, c in entry.cells] == ["A1", "B1", "C1", "D1"]


def test_environment_functions_are_named_and_not_compared(tmp_path: Path) -> None:
    cells = {"A1": '=CELL("filename",B1)', "A2": '=LEN(A1)', "A3": '=INFO("osversion")',
             "A4": '=CELL("address",B7)', "A5": '=CELL("row",B7)', "A6": '=CELL("type",A4)',
             "A7": 2, "A8": "=A7*3"}  # fmt: skip
    path = _recalculated(tmp_path, cells)
    _, engine = evaluate(path)
    assert [value(engine, f"S!A{r}") for r in (4, 5, 6)] == ["$B$7", 7.0, "l"]
    assert isinstance(value(engine, "S!A1"), ExcelError)
    named = {c for p in engine.problems() if p.kind == "environment" for c in p.cells}
    assert named == {"S!A1", "S!A3"} and len(engine.problems()) == 2
    code, stdout, stderr = _check(path)
    assert code == 0 and stdout == "", (stdout, stderr)
    assert "note: 3 formula cells (S!A1, S!A2, S!A3) depend on Excel's surroundings" in stderr
    # check's stale rule: a note, not a failed recalculation
    findings = stale_findings(path, stale_cells)
    assert [(f.rule, f.cell) for f in findings] == [("LPSA106", "A1")]
    # writing a copy cannot give these cells a value: refused without --force
    result = CliRunner().invoke(main, ["recalc", str(path), "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 2 and "depends on Excel's surroundings" in result.stderr


def test_cells_reading_a_declined_cell_are_not_compared(tmp_path: Path) -> None:
    path = _recalculated(tmp_path, {"A1": "=IFERROR(NOSUCHFN(1),0)", "A2": "=A1+1", "A3": "=2"})
    _cached(path, "A1", "5")  # what Excel (with the function) gave
    _cached(path, "A2", "6")
    code, stdout, stderr = _check(path)
    assert code == 0 and stdout == ""
    assert "warning: unknown function or name NOSUCHFN in S!A1" in stderr
    assert "2 formula cells (S!A1, S!A2) depend on cells not computed as Excel would" in stderr


@pytest.mark.parametrize("flag", ['iterate="1"', "iterate='true'"])
def test_iterative_calculation_declines_the_whole_book(tmp_path: Path, flag: str) -> None:
    path = _recalculated(tmp_path, {"A1": 1, "A2": "=A1*2"})
    rewrite_member(path, "xl/workbook.xml", lambda x: x.replace("<calcPr ", f"<calcPr {flag} "))
    code, stdout, stderr = _check(path)
    assert code == 2 and stdout == ""
    assert "saved with iterative calculation on" in stderr and "Traceback" not in stderr
    with pytest.raises(FormulaError, match="iterative calculation"):
        stale_cells(path)
    (finding,) = stale_findings(path, stale_cells)
    assert finding.rule == "LPSA104" and "iterative calculation" in finding.message
    result = CliRunner().invoke(main, ["recalc", str(path), "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 2 and "iterative calculation" in result.stderr
    package, engine = evaluate(path)
    (entry,) = not_compared(package, engine)
    assert entry.kind == "declined" and entry.what == ("iterative calculation",)


def test_formulatext_gives_the_formula_or_declines(tmp_path: Path) -> None:
    cells = {"A1": "=SUM(B1:B3)", "A2": "=FORMULATEXT(A1)", "A3": "=FORMULATEXT(B1)", "B1": 4}
    path = book(tmp_path / "t.xlsx", {"S": cells})
    _, engine = evaluate(path)
    assert value(engine, "S!A2") == "=SUM(B1:B3)"
    assert value(engine, "S!A3") == "#N/A"


@pytest.mark.parametrize(
    "formula",
    ["=VLOOKUP(2.5,A1:B4,2)", "=MATCH(2.5,A1:A4,1)", "=HLOOKUP(2.5,C1:F2,2)", "=MATCH(2,A1:A4,-1)"],
)
def test_an_approximate_match_over_unsorted_data_is_declined(tmp_path: Path, formula: str) -> None:
    """Excel halves the range; on unsorted data its answer depends on that order."""
    cells = {"A1": 1, "A2": 3, "A3": 2, "A4": 4, "B1": "a", "B2": "b", "B3": "c", "B4": "d",
             "C1": 1, "D1": 3, "E1": 2, "F1": 4, "Z1": formula}  # fmt: skip
    _, engine = evaluate(book(tmp_path / "t.xlsx", {"S": cells}))
    (problem,) = engine.problems()
    assert problem.kind == "failed" and "not sorted" in problem.what and problem.cells == ("S!Z1",)


def test_an_approximate_match_over_sorted_data_is_computed(tmp_path: Path) -> None:
    cells = {"A1": 1, "A2": 2, "A3": "x", "A4": 4, "Z1": "=MATCH(2.5,A1:A4,1)",
             "Z2": "=MATCH(9,A1:A4)"}  # fmt: skip
    _, engine = evaluate(book(tmp_path / "t.xlsx", {"S": cells}))
    assert engine.problems() == [] and value(engine, "S!Z1") == 2.0 and value(engine, "S!Z2") == 4.0


@pytest.mark.parametrize(
    ("formula", "why"),
    [('=TEXT(1.5,"[h]:mm")', "elapsed time"), ('=TEXT(0.75,"# ?/?")', "fraction"),
     ('=TEXT(5,";;;")', "empty format section"), ('=TEXT(-5,"0.00;;0")', "empty format section"),
     ('=TEXT(5,"[>10]0;0.00")', "condition"), ('=TEXT(45000,"e")', "format letters"),
     ('=TEXT(0.5,"ss.00")', "fractions of a second")],
)  # fmt: skip
def test_text_formats_not_rendered_as_excel_are_declined(
    tmp_path: Path, formula: str, why: str
) -> None:
    cells = {"A1": formula, "A2": '=TEXT(5,"0.00;;0")'}
    _, engine = evaluate(book(tmp_path / "t.xlsx", {"S": cells}))
    (problem,) = engine.problems()
    assert why in problem.what and problem.cells == ("S!A1",)
    assert value(engine, "S!A2") == "5.00"


def test_the_range_operator_between_computed_references(tmp_path: Path) -> None:
    cells = {"A2": 23, "A3": 45, "A4": 12, "A5": 10, "B1": "=SUM(INDEX(A2:A5,2):A5)",
             "B2": "=SUM(A2:INDEX(A2:A5,3))", "B3": "=SUM(A2:OFFSET(A2,2,0))",
             "B4": "=SUM(A2:IF(A2>5,A4,A5))", "B5": "=SUM(A2:(A3+1))"}  # fmt: skip
    _, engine = evaluate(book(tmp_path / "t.xlsx", {"S": cells}))
    assert [value(engine, f"S!B{r}") for r in (1, 2, 3, 4)] == [67.0, 80.0, 80.0, 80.0]
    (problem,) = engine.problems()
    assert problem.kind == "syntax" and problem.cells == ("S!B5",)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [("=XMATCH(25,A1:A5,-1)", 2.0), ("=XMATCH(25,A1:A5,1)", 3.0), ("=XMATCH(20,A1:A5,0,-1)", 4.0),
     ("=XMATCH(20,A1:A5)", 2.0), ("=XMATCH(5,A1:A5,-1)", "#N/A"), ("=XMATCH(5,A1:A5,3)", "#VALUE!"),
     ('=XLOOKUP(25,A1:A5,B1:B5,"none",1)', "c"), ('=XLOOKUP(99,A1:A5,B1:B5,"none")', "none"),
     ("=XLOOKUP(30,C1:C4,D1:D4,,0,2)", "y"), ("=XLOOKUP(30,E1:E4,F1:F4,,0,-2)", "q")],
)  # fmt: skip
def test_xlookup_and_xmatch_modes(tmp_path: Path, formula: str, expected: object) -> None:
    cells = {"A1": 10, "A2": 20, "A3": 30, "A4": 20, "A5": 40, "B1": "a", "B2": "b", "B3": "c",
             "B4": "d", "B5": "e", "C1": 10, "C2": 20, "C3": 30, "C4": 40, "D1": "w", "D2": "x",
             "D3": "y", "D4": "z", "E1": 40, "E2": 30, "E3": 20, "E4": 10, "F1": "p", "F2": "q",
             "F3": "r", "F4": "s", "Z1": formula}  # fmt: skip
    _, engine = evaluate(book(tmp_path / "t.xlsx", {"S": cells}))
    got = value(engine, "S!Z1")
    assert (str(got) if isinstance(got, ExcelError) else got) == expected, got


def test_a_binary_search_over_unsorted_data_is_declined(tmp_path: Path) -> None:
    cells = {"A1": 10, "A2": 30, "A3": 20, "Z1": "=XMATCH(20,A1:A3,0,2)"}
    _, engine = evaluate(book(tmp_path / "t.xlsx", {"S": cells}))
    (problem,) = engine.problems()
    assert "binary search" in problem.what and problem.cells == ("S!Z1",)
