"""``LPSA_*`` formulas are bound to the rules core through the function registry: a recalculated
workbook carries the figures the core gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from formula_util import book, value

import lpsa_xl
from lpsa_xl.returns.recalc import recalculate, registry_functions
from lpsa_xl.values import ExcelError

pytestmark = pytest.mark.skipif(not registry_functions(), reason="no function registry")


def test_lpsa_formulas_give_the_core_figures(tmp_path: Path) -> None:
    cells = {"A1": 40.1, "A2": 40.2, "A3": 40.16, "A4": 275227,
             "B1": "=LPSA_REWARD(A1,A2,A3,A4)",
             "B2": "=_xludf.LPSA_REWARD(A1,A2,A3,A4)",
             "B3": "=LPSA_ACHIEVEMENT(A1,A2,A3)",
             "B4": '=IFERROR(LPSA_REWARD(A1,A1,A3,A4),"invalid")',
             "B5": "=LPSA_REWARD(A1,A1,A3,A4)"}  # fmt: skip
    _, engine = recalculate(book(tmp_path / "r.xlsx", {"S": cells}))
    assert engine.problems() == []
    assert value(engine, "S!B1") == float(lpsa_xl.reward(40.1, 40.2, 40.16, 275227)) == 165136.0
    assert value(engine, "S!B2") == 165136.0
    assert value(engine, "S!B3") == float(lpsa_xl.achievement(40.1, 40.2, 40.16)) == 0.6
    assert value(engine, "S!B4") == "invalid"
    assert isinstance(value(engine, "S!B5"), ExcelError)


def test_benchmark_authority_book_recalculates_without_problems(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.make_books import make

    path = tmp_path / "authority.xlsx"
    make(path, 1, claim=True)
    package, engine = recalculate(path)
    assert engine.problems() == []
    targets = package.sheets[[s.name for s in package.sheets].index("Targets")]
    for f in targets.formulas:
        if f.original.startswith("LPSA_REWARD("):
            e, t, a = (value(engine, f"Targets!{c}{f.row}") for c in "EFG")
            potential = value(engine, f"Targets!I{f.row}")
            got = value(engine, f"Targets!M{f.row}")
            expected = lpsa_xl.reward(e, t, a, potential)
            assert got == float(expected), (f.row, got, expected)


def test_recompute_gives_every_formula_cell_for_the_checker(tmp_path: Path) -> None:
    from lpsa_xl.files.errors import FormulaError
    from lpsa_xl.returns.recalc import recompute

    path = book(tmp_path / "c.xlsx", {"S": {"A1": 2, "B1": "=A1*3", "B2": '="x"&A1'}})
    assert recompute(path) == {("S", "B1"): 6.0, ("S", "B2"): "x2"}
    bad = book(tmp_path / "u.xlsx", {"Data": {"A1": "=NOSUCH(1)"}})
    with pytest.raises(FormulaError) as info:
        recompute(bad)
    assert (info.value.sheet, info.value.cell) == ("Data", "A1")
    assert "NOSUCH in Data!A1" in str(info.value)
