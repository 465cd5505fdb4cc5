"""Golden values for the financial and calendar functions: the worked examples of Microsoft's
Excel function reference (each example's data, formula and the result the reference states,
to the digits it shows), evaluated in a workbook through the real evaluator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lpsa_xl.formula.functions.dates import date_serial
from lpsa_xl.values import ExcelError
from tests.formula_util import results


def _d(y: int, m: int, d: int) -> float:
    return date_serial(dt.date(y, m, d))


#: (cells of the example's data, formula, the result Microsoft's reference states, places)
EXAMPLES = [
    # PMT: monthly payment on 10,000 at 8% a year over 10 months
    ({}, "=PMT(0.08/12,10,10000)", -1037.03, 2),
    ({}, "=PMT(0.08/12,10,10000,0,1)", -1030.16, 2),
    # FV: 6% a year, 10 payments of 200 at the start of each month, 500 present value
    ({}, "=FV(0.06/12,10,-200,-500,1)", 2581.40, 2),
    # PV: an annuity paying 500 a month for 20 years at 8%
    ({}, "=PV(0.08/12,12*20,500,,0)", -59777.15, 2),
    # NPV: 10% discount, investment 10,000 a year from today, returns 3,000, 4,200, 6,800
    ({"A2": 0.1, "A3": -10000.0, "A4": 3000.0, "A5": 4200.0, "A6": 6800.0},
     "=NPV(A2,A3,A4,A5,A6)", 1188.44, 2),
    # IRR: an investment of 70,000 and five years of income
    ({"A2": -70000.0, "A3": 12000.0, "A4": 15000.0, "A5": 18000.0, "A6": 21000.0,
      "A7": 26000.0}, "=IRR(A2:A6)", -0.021, 3),
    ({"A2": -70000.0, "A3": 12000.0, "A4": 15000.0, "A5": 18000.0, "A6": 21000.0,
      "A7": 26000.0}, "=IRR(A2:A7)", 0.087, 3),
    ({"A2": -70000.0, "A3": 12000.0, "A4": 15000.0}, "=IRR(A2:A4,-10%)", -0.444, 3),
    # NPER
    ({}, "=NPER(0.12/12,-100,-1000,10000,1)", 59.6738657, 7),
    ({}, "=NPER(0.12/12,-100,-1000,10000)", 60.0821229, 7),
    ({}, "=NPER(0.12/12,-100,-1000)", -9.57859404, 8),
    # RATE: a four-year loan of 8,000 paid 200 a month
    ({}, "=RATE(4*12,-200,8000)", 0.0077014725, 10),
    ({}, "=RATE(4*12,-200,8000)*12", 0.09241767, 8),
    # SLN
    ({}, "=SLN(30000,7500,10)", 2250.0, 2),
    # DB: 1,000,000 cost, 100,000 salvage, 6 years, 7 months in the first year
    *[({"A2": 1000000.0, "A3": 100000.0, "A4": 6.0}, f"=DB(A2,A3,A4,{p},7)", v, 2)
      for p, v in [(1, 186083.33), (2, 259639.42), (3, 176814.44), (4, 120410.64),
                   (5, 81999.64), (6, 55841.76), (7, 15845.10)]],
    # DDB: 2,400 cost, 300 salvage, 10 years
    ({"A2": 2400.0, "A3": 300.0, "A4": 10.0}, "=DDB(A2,A3,A4*365,1)", 1.32, 2),
    ({"A2": 2400.0, "A3": 300.0, "A4": 10.0}, "=DDB(A2,A3,A4*12,1,2)", 40.00, 2),
    ({"A2": 2400.0, "A3": 300.0, "A4": 10.0}, "=DDB(A2,A3,A4,1,2)", 480.00, 2),
    ({"A2": 2400.0, "A3": 300.0, "A4": 10.0}, "=DDB(A2,A3,A4,2,1.5)", 306.00, 2),
    ({"A2": 2400.0, "A3": 300.0, "A4": 10.0}, "=DDB(A2,A3,A4,10)", 22.12, 2),
    # XNPV and XIRR: five dated cash flows at 9%
    ({"A3": -10000.0, "A4": 2750.0, "A5": 4250.0, "A6": 3250.0, "A7": 2750.0,
      "B3": _d(2008, 1, 1), "B4": _d(2008, 3, 1), "B5": _d(2008, 10, 30),
      "B6": _d(2009, 2, 15), "B7": _d(2009, 4, 1)}, "=XNPV(0.09,A3:A7,B3:B7)", 2086.65, 2),
    ({"A3": -10000.0, "A4": 2750.0, "A5": 4250.0, "A6": 3250.0, "A7": 2750.0,
      "B3": _d(2008, 1, 1), "B4": _d(2008, 3, 1), "B5": _d(2008, 10, 30),
      "B6": _d(2009, 2, 15), "B7": _d(2009, 4, 1)}, "=XIRR(A3:A7,B3:B7,0.1)", 0.373362535, 8),
    # YEARFRAC from 1 January 2012 to 30 July 2012
    ({"A2": _d(2012, 1, 1), "A3": _d(2012, 7, 30)}, "=YEARFRAC(A2,A3)", 0.58055556, 8),
    ({"A2": _d(2012, 1, 1), "A3": _d(2012, 7, 30)}, "=YEARFRAC(A2,A3,1)", 0.57650273, 8),
    ({"A2": _d(2012, 1, 1), "A3": _d(2012, 7, 30)}, "=YEARFRAC(A2,A3,3)", 0.57808219, 8),
    # NETWORKDAYS from 1 October 2012 to 1 March 2013, with holidays
    *[({"A2": _d(2012, 10, 1), "A3": _d(2013, 3, 1), "A4": _d(2012, 11, 22),
        "A5": _d(2012, 12, 4), "A6": _d(2013, 1, 21)}, f, v, 0)
      for f, v in [("=NETWORKDAYS(A2,A3)", 110), ("=NETWORKDAYS(A2,A3,A4)", 109),
                   ("=NETWORKDAYS(A2,A3,A4:A6)", 107)]],
    # WORKDAY: 151 working days from 1 October 2008
    ({"A2": _d(2008, 10, 1), "A3": 151.0, "A4": _d(2008, 11, 26), "A5": _d(2008, 12, 4),
      "A6": _d(2009, 1, 21)}, "=WORKDAY(A2,A3)", _d(2009, 4, 30), 0),
    ({"A2": _d(2008, 10, 1), "A3": 151.0, "A4": _d(2008, 11, 26), "A5": _d(2008, 12, 4),
      "A6": _d(2009, 1, 21)}, "=WORKDAY(A2,A3,A4:A6)", _d(2009, 5, 5), 0),
    # WEEKDAY of 14 February 2008, WEEKNUM of 9 March 2012
    ({"A2": _d(2008, 2, 14)}, "=WEEKDAY(A2)", 5, 0),
    ({"A2": _d(2008, 2, 14)}, "=WEEKDAY(A2,2)", 4, 0),
    ({"A2": _d(2008, 2, 14)}, "=WEEKDAY(A2,3)", 3, 0),
    ({"A2": _d(2012, 3, 9)}, "=WEEKNUM(A2)", 10, 0),
    ({"A2": _d(2012, 3, 9)}, "=WEEKNUM(A2,2)", 11, 0),
    # DATEDIF
    ({"A2": _d(2001, 1, 1), "A3": _d(2003, 1, 1)}, '=DATEDIF(A2,A3,"Y")', 2, 0),
    ({"A2": _d(2001, 6, 1), "A3": _d(2002, 8, 15)}, '=DATEDIF(A2,A3,"D")', 440, 0),
    ({"A2": _d(2001, 6, 1), "A3": _d(2002, 8, 15)}, '=DATEDIF(A2,A3,"YD")', 75, 0),
]


@pytest.mark.parametrize(("data", "formula", "expected", "places"), EXAMPLES)
def test_microsofts_worked_example(
    tmp_path: Path, data: dict[str, float], formula: str, expected: float, places: int
) -> None:
    got = results(tmp_path, {**data, "Z1": formula})["Z1"]
    assert not isinstance(got, ExcelError), got
    # the reference shows results rounded to its digits
    assert abs(got - expected) <= 0.5 * 10**-places + 1e-12, (formula, got)


@pytest.mark.parametrize(
    ("formula", "code"),
    [
        ("=IRR({1,2,3})", "#NUM!"),  # no sign change
        ("=RATE(0,-200,8000)", "#NUM!"),
        ("=DB(-1,0,5,1)", "#NUM!"),
        ("=SLN(1,0,0)", "#DIV/0!"),
        ("=WEEKDAY(1,9)", "#NUM!"),
        ('=DATEDIF(10,5,"D")', "#NUM!"),
        ("=YEARFRAC(1,2,5)", "#NUM!"),
    ],
)
def test_excels_errors(tmp_path: Path, formula: str, code: str) -> None:
    got = results(tmp_path, {"A1": formula})["A1"]
    assert isinstance(got, ExcelError) and str(got) == code, got


def test_a_fractional_ddb_period_is_declined(tmp_path: Path) -> None:
    from tests.formula_util import book, evaluate

    path = book(tmp_path / "t.xlsx", {"S": {"A1": "=DDB(2400,300,10,1.5)"}})
    _, engine = evaluate(path)
    (problem,) = engine.problems()
    assert problem.kind == "failed" and "DDB of a fractional period" in problem.describe()
