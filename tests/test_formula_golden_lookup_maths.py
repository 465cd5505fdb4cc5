"""Golden values for the lookup, aggregation, text, trigonometry and base-conversion functions:
the worked examples of Microsoft's Excel function reference (each example's data, formula and
the result the reference states, to the digits it shows), evaluated in a workbook through the
real evaluator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lpsa_xl.values import ExcelError
from tests.formula_util import results

_COLOURS = {"A2": 4.14, "A3": 4.19, "A4": 5.17, "A5": 5.77, "A6": 6.39,
            "B2": "red", "B3": "orange", "B4": "yellow", "B5": "green", "B6": "blue"}  # fmt: skip
_OFFSET = {f"{c}{r}": float(10 * r + i) for i, c in enumerate("BCDEF") for r in range(3, 9)}
_INDIRECT = {"A2": "B2", "A3": "B3", "A5": 5.0, "B2": 1.333, "B3": 45.0, "B4": 10.0, "B5": 62.0}
_SUBTOTAL = {"A2": 120.0, "A3": 10.0, "A4": 150.0, "A5": 23.0}

#: (cells of the example's data, formula, the result the reference states, places for numbers)
EXAMPLES: list[tuple[dict[str, Any], str, Any, int]] = [
    # LOOKUP, vector form, and array form
    (_COLOURS, "=LOOKUP(4.19,A2:A6,B2:B6)", "orange", 0),
    (_COLOURS, "=LOOKUP(5.75,A2:A6,B2:B6)", "yellow", 0),
    (_COLOURS, "=LOOKUP(7.66,A2:A6,B2:B6)", "blue", 0),
    (_COLOURS, "=LOOKUP(0,A2:A6,B2:B6)", "#N/A", 0),
    ({}, '=LOOKUP("C",{"a","b","c","d";1,2,3,4})', 3.0, 0),
    ({}, '=LOOKUP("bump",{"a",1;"b",2;"c",3})', 2.0, 0),
    # XMATCH
    ({}, "=XMATCH(4,{5,4,3,2,1})", 2.0, 0),
    ({}, "=XMATCH(4.5,{5,4,3,2,1},1)", 1.0, 0),
    # CHOOSE
    ({"A2": "1st", "A3": "2nd", "A4": "3rd", "A5": "Finished", "B2": "Nails", "B3": "Screws",
      "B4": "Nuts", "B5": "Bolts"}, "=CHOOSE(2,A2,A3,A4,A5)", "2nd", 0),
    ({"B2": "Nails", "B3": "Screws", "B4": "Nuts", "B5": "Bolts"}, "=CHOOSE(4,B2,B3,B4,B5)",
     "Bolts", 0),
    # CHOOSE giving the end of a range
    ({"A2": 23.0, "A3": 45.0, "A4": 12.0, "A5": 10.0}, "=SUM(A2:CHOOSE(2,A3,A4,A5))", 80.0, 0),
    # OFFSET: the cell three rows down and two columns left of D3 is B6
    (_OFFSET, "=OFFSET(D3,3,-2,1,1)", _OFFSET["B6"], 0),
    (_OFFSET, "=SUM(OFFSET(D3:F5,3,-2,3,3))",
     sum(_OFFSET[f"{c}{r}"] for c in "BCD" for r in (6, 7, 8)), 0),
    (_OFFSET, "=OFFSET(D3,-3,-3)", "#REF!", 0),
    # INDIRECT
    (_INDIRECT, "=INDIRECT(A2)", 1.333, 3),
    (_INDIRECT, "=INDIRECT(A3)", 45.0, 0),
    (_INDIRECT, '=INDIRECT("B"&A5)', 62.0, 0),
    # SUBTOTAL
    (_SUBTOTAL, "=SUBTOTAL(9,A2:A5)", 303.0, 0),
    (_SUBTOTAL, "=SUBTOTAL(1,A2:A5)", 75.75, 2),
    # MMULT of {1,3;7,2} and {2,0;0,2}: the first item of {2,6;14,4}
    ({"A2": 1.0, "B2": 3.0, "A3": 7.0, "B3": 2.0, "C2": 2.0, "D2": 0.0, "C3": 0.0, "D3": 2.0},
     "=MMULT(A2:B3,C2:D3)", 2.0, 0),
    # CHAR and CODE
    ({}, "=CHAR(65)", "A", 0),
    ({}, "=CHAR(33)", "!", 0),
    ({}, '=CODE("A")', 65.0, 0),
    ({}, '=CODE("!")', 33.0, 0),
    # trigonometry
    ({}, "=SIN(PI())", 1.22e-16, 18),
    ({}, "=SIN(PI()/2)", 1.0, 0),
    ({}, "=SIN(30*PI()/180)", 0.5, 1),
    ({}, "=SIN(RADIANS(30))", 0.5, 1),
    ({}, "=COS(1.047)", 0.5001711, 7),
    ({}, "=COS(60*PI()/180)", 0.5, 1),
    ({}, "=COS(RADIANS(60))", 0.5, 1),
    ({}, "=TAN(0.785)", 0.99920399, 8),
    ({}, "=TAN(45*PI()/180)", 1.0, 0),
    ({}, "=TAN(RADIANS(45))", 1.0, 0),
    ({}, "=ASIN(-0.5)", -0.523598776, 9),
    ({}, "=ASIN(-0.5)*180/PI()", -30.0, 0),
    ({}, "=DEGREES(ASIN(-0.5))", -30.0, 0),
    ({}, "=ACOS(-0.5)", 2.094395102, 9),
    ({}, "=ACOS(-0.5)*180/PI()", 120.0, 0),
    ({}, "=DEGREES(ACOS(-0.5))", 120.0, 0),
    ({}, "=ATAN(1)", 0.785398163, 9),
    ({}, "=ATAN(1)*180/PI()", 45.0, 0),
    ({}, "=ATAN2(1,1)", 0.785398163, 9),
    ({}, "=ATAN2(-1,-1)", -2.35619449, 8),
    ({}, "=ATAN2(-1,-1)*180/PI()", -135.0, 0),
    ({}, "=DEGREES(ATAN2(-1,-1))", -135.0, 0),
    ({}, "=DEGREES(PI())", 180.0, 0),
    ({}, "=RADIANS(270)", 4.712389, 6),
    ({}, "=SINH(1)", 1.175201194, 9),
    ({}, "=COSH(4)", 27.308233, 6),
    ({}, "=TANH(-2)", -0.96402758, 8),
    ({}, "=TANH(0)", 0.0, 0),
    ({}, "=TANH(0.5)", 0.462117157, 9),
    # base conversions
    ({}, "=DEC2HEX(100,4)", "0064", 0),
    ({}, "=DEC2HEX(-54)", "FFFFFFFFCA", 0),
    ({}, "=DEC2HEX(28)", "1C", 0),
    ({}, "=DEC2HEX(64,1)", "#NUM!", 0),
    ({}, '=HEX2DEC("A5")', 165.0, 0),
    ({}, '=HEX2DEC("FFFFFFFF5B")', -165.0, 0),
    ({}, '=HEX2DEC("3DA408B9")', 1034160313.0, 0),
    ({}, "=DEC2BIN(9,4)", "1001", 0),
    ({}, "=DEC2BIN(-100)", "1110011100", 0),
    ({}, "=BIN2DEC(1100100)", 100.0, 0),
    ({}, "=BIN2DEC(1111111111)", -1.0, 0),
    ({}, "=DEC2OCT(58,3)", "072", 0),
    ({}, "=DEC2OCT(-100)", "7777777634", 0),
    ({}, "=OCT2DEC(54)", 44.0, 0),
    ({}, "=OCT2DEC(7777777533)", -165.0, 0),
    ({}, "=BIN2HEX(11111011,4)", "00FB", 0),
    ({}, "=BIN2HEX(1110)", "E", 0),
    ({}, "=BIN2HEX(1111111111)", "FFFFFFFFFF", 0),
    ({}, '=HEX2BIN("F",8)', "00001111", 0),
    ({}, '=HEX2BIN("B7")', "10110111", 0),
    ({}, '=HEX2BIN("FFFFFFFFFF")', "1111111111", 0),
    ({}, "=BASE(7,2)", "111", 0),
    ({}, "=BASE(100,16)", "64", 0),
    ({}, "=BASE(15,2,10)", "0000001111", 0),
    ({}, '=DECIMAL("FF",16)', 255.0, 0),
    ({}, "=DECIMAL(111,2)", 7.0, 0),
    ({}, '=DECIMAL("zap",36)', 45745.0, 0),
]  # fmt: skip


def golden(formula: str, got: Any, expected: Any, places: int) -> bool:
    """Whether ``got`` is the reference's result: numbers to the digits it shows, text and
    errors exactly (also used by the golden-figures script)."""
    if isinstance(expected, str) and expected.startswith("#"):
        return isinstance(got, ExcelError) and str(got) == expected
    if isinstance(expected, str):
        return got == expected
    if isinstance(got, ExcelError) or not isinstance(got, float):
        return False
    return abs(got - expected) <= 0.5 * 10**-places + 1e-12


@pytest.mark.parametrize(("data", "formula", "expected", "places"), EXAMPLES)
def test_microsofts_worked_example(
    tmp_path: Path, data: dict[str, Any], formula: str, expected: Any, places: int
) -> None:
    got = results(tmp_path, {**data, "Z1": formula})["Z1"]
    assert golden(formula, got, expected, places), (formula, got)


def test_the_golden_workbooks_have_no_different_cell(tmp_path: Path) -> None:
    """The figures ``tests/golden_figures.py`` prints: every example equal, none declined."""
    from tests.golden_figures import figures

    result = figures(tmp_path)
    assert sum(c["compared"] for c in result.values()) == 124
    assert all(c["different"] == 0 and c["declined"] == 0 for c in result.values()), result
