"""Standard functions and operators computed as Excel computes them (values checked against
Excel's documented results)."""

from __future__ import annotations

import pytest
from formula_util import results

from lpsa_xl.values import ExcelError

CASES = [
    # arithmetic, precedence, blanks, coercion
    ("=1+2*3", 7.0),
    ("=-2^2", 4.0),
    ("=2^-1", 0.5),
    ("=10%", 0.1),
    ("=Z1+1", 1.0),
    ('=Z1&"x"', "x"),
    ('="3"+4', 7.0),
    ('="1,000"*2', 2000.0),
    ('="abc"+1', ExcelError("#VALUE!")),
    ("=TRUE+1", 2.0),
    ("=1/0", ExcelError("#DIV/0!")),
    ("=(1/0)+#N/A", ExcelError("#DIV/0!")),
    ("=0^0", ExcelError("#NUM!")),
    ("=(-8)^(1/3)", ExcelError("#NUM!")),
    ('="a"&1.5&TRUE', "a1.5TRUE"),
    ('="x"&(0.1+0.2)', "x0.3"),
    # comparisons: case-insensitive text; numbers < text < logicals; blank
    ('="abc"="ABC"', True),
    ('=1<"a"', True),
    ('="z"<TRUE', True),
    ('=Z1=""', True),
    ("=Z1=0", True),
    ('="b">"a"', True),
    # rounding on the displayed decimal value, half away from zero
    ("=ROUND(2.675,2)", 2.68),
    ("=ROUND(-2.5,0)", -3.0),
    ("=ROUND(1234.5,-2)", 1200.0),
    ("=ROUNDUP(1.21,1)", 1.3),
    ("=ROUNDDOWN(-1.29,1)", -1.2),
    ("=INT(-1.5)", -2.0),
    ("=MOD(-7,3)", 2.0),
    ("=MOD(7,-3)", -2.0),
    ("=MOD(1,0)", ExcelError("#DIV/0!")),
    ("=ABS(-3)", 3.0),
    # aggregates: text in ranges ignored, direct text coerced
    ("=SUM(A1:A4)", 6.0),
    ('=SUM("5",1)', 6.0),
    ("=COUNT(A1:A4)", 3.0),
    ("=COUNTA(A1:A4)", 4.0),
    ("=AVERAGE(A1:A4)", 2.0),
    ("=MIN(A1:A4)", 1.0),
    ("=MAX(A1:A4)", 3.0),
    ("=AVERAGE(Z1:Z3)", ExcelError("#DIV/0!")),
    ("=SUMPRODUCT(A1:A3,B1:B3)", 1 * 10 + 2 * 20 + 3 * 30.0),
    ("=SUMPRODUCT((A1:A3>1)*B1:B3)", 50.0),
    ('=SUMIF(A1:A3,">1",B1:B3)', 50.0),
    ('=SUMIFS(B1:B3,A1:A3,">=2",B1:B3,"<30")', 20.0),
    ('=COUNTIF(C1:C4,"a*")', 2.0),
    ('=COUNTIF(C1:C4,"apple")', 1.0),
    ('=COUNTIFS(A1:A3,">1",C1:C3,"<>pear")', 1.0),
    ('=AVERAGEIF(A1:A3,"<>2")', 2.0),
    # logic and information
    ('=IF(A1>0,"pos","neg")', "pos"),
    ("=IF(FALSE,1)", False),
    ("=IFS(A1>5,1,A1>0,2)", 2.0),
    ("=IFERROR(1/0,9)", 9.0),
    ("=IFNA(NA(),7)", 7.0),
    ("=IFNA(1/0,7)", ExcelError("#DIV/0!")),
    ("=ISERROR(1/0)", True),
    ("=ISNUMBER(A4)", False),
    ("=ISBLANK(Z9)", True),
    ("=AND(TRUE,1,A1:A3)", True),
    ("=OR(FALSE,0)", False),
    ("=NOT(0)", True),
    ('=AND("x")', ExcelError("#VALUE!")),
    ("=N(TRUE)", 1.0),
    ('=N("7")', 0.0),
    ('=VALUE("12.5%")', 0.125),
    ('=CHOOSE(2,"a","b","c")', "b"),
    # text
    ('=CONCATENATE("a",1,TRUE)', "a1TRUE"),
    ("=CONCAT(C1:C2)", "applepear"),
    ('=LEFT("hello",2)&RIGHT("hello",2)&MID("hello",2,3)', "heloell"),
    ('=LEN("  a  b ")', 7.0),
    ('=TRIM("  a   b ")', "a b"),
    ('=UPPER("abc")&LOWER("DEF")', "ABCdef"),
    ('=TEXT(1234.567,"#,##0.00")', "1,234.57"),
    ('=TEXT(0.256,"0.0%")', "25.6%"),
    ('=TEXT(-5,"0;(0)")', "(5)"),
    ('=TEXT(42,"£#,##0")', "£42"),
    ('=TEXT(45292,"yyyy-mm-dd")', "2024-01-01"),
    ('=TEXT(45292,"dd/mm/yyyy")', "01/01/2024"),
    ('=TEXT(2.5,"0")', "3"),
    # lookups
    ("=VLOOKUP(2,A1:B3,2,FALSE)", 20.0),
    ("=VLOOKUP(2.5,A1:B3,2,TRUE)", 20.0),
    ("=VLOOKUP(9,A1:B3,2,FALSE)", ExcelError("#N/A")),
    ('=VLOOKUP("PE*",C1:D4,2,FALSE)', 2.0),
    ('=HLOOKUP("k2",F1:H2,2,FALSE)', 200.0),
    ("=INDEX(A1:B3,3,2)", 30.0),
    ("=INDEX(A1:A3,2)", 2.0),
    ('=MATCH("pear",C1:C4,0)', 2.0),
    ("=MATCH(2.5,A1:A3,1)", 2.0),
    ("=XLOOKUP(3,A1:A3,B1:B3)", 30.0),
    ('=XLOOKUP(7,A1:A3,B1:B3,"none")', "none"),
    ("=XLOOKUP(2.5,A1:A3,B1:B3,,-1)", 20.0),
    ("=_xlfn.XLOOKUP(2.5,A1:A3,B1:B3,,1)", 30.0),
    ("=_xlfn.SINGLE(J1:L1)*2", 14.0),  # Excel 365 @: intersects column K, K1 = 1+2*3
    # dates (1900 system)
    ("=DATE(2024,1,1)", 45292.0),
    ("=DATE(2024,14,1)", 45689.0),
    ("=YEAR(45292)", 2024.0),
    ("=MONTH(45292)+DAY(45292)", 2.0),
]

DATA = {"A1": 1, "A2": 2, "A3": 3, "A4": "text", "B1": 10, "B2": 20, "B3": 30,
        "C1": "apple", "C2": "pear", "C3": "avocado", "C4": "plum",
        "D1": 1, "D2": 2, "D3": 3, "D4": 4,
        "F1": "k1", "G1": "k2", "H1": "k3", "F2": 100, "G2": 200, "H2": 300}  # fmt: skip


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    cells = dict(DATA)
    for i, (formula, _) in enumerate(CASES):
        cells[f"K{i + 1}"] = formula
    return results(tmp_path_factory.mktemp("f"), cells)


@pytest.mark.parametrize(
    ("i", "formula", "expected"), [(i, f, e) for i, (f, e) in enumerate(CASES)]
)
def test_function(computed: dict, i: int, formula: str, expected: object) -> None:
    got = computed[f"K{i + 1}"]
    if isinstance(expected, ExcelError):
        assert isinstance(got, ExcelError) and str(got) == str(expected), (formula, got)
    elif isinstance(expected, float):
        assert type(got) is float and got == pytest.approx(expected, rel=1e-12), (formula, got)
    else:
        assert type(got) is type(expected) and got == expected, (formula, got)
