"""The evaluator on formulas at and past Excel's limits: each gets Excel's answer or is declined
with its reason at the cell, never a Python exception (nesting, huge literals, dates outside
Excel's range, over-long text, extra arguments), and cached values Excel writes in unusual but
valid forms (empty text) are read as what they are."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from lpsa_xl.files.scan import read_package
from lpsa_xl.formula.engine import Engine
from lpsa_xl.returns.recalc import differences
from lpsa_xl.values import ExcelError
from tests.formula_util import book, evaluate, results, value


def _error(v: object) -> str:
    assert isinstance(v, ExcelError), v
    return str(v)


def test_if_with_an_empty_third_argument_is_zero(tmp_path: Path) -> None:
    got = results(tmp_path, {"A1": "=IF(1>2,5,)", "A2": "=IF(1>2,5)", "A3": "=IF(1<2,,5)"})
    assert got == {"A1": 0.0, "A2": False, "A3": 0.0}


@pytest.mark.parametrize(
    ("formula", "code"),
    [
        ('=REPT("ab",100000000)', "#VALUE!"),  # past Excel's 32,767 characters a cell
        ('=TEXT(1E10,"yyyy")', "#VALUE!"),
        ("=YEAR(1E10)", "#NUM!"),
        ("=MONTH(-1)", "#NUM!"),
        ("=FIXED(1,200)", "#VALUE!"),
        ("=INDEX(B1:C2,1,1,2)", "#REF!"),
    ],
)
def test_past_excels_limits_gives_excels_error(tmp_path: Path, formula: str, code: str) -> None:
    assert _error(results(tmp_path, {"A1": formula})["A1"]) == code


def test_fixed_with_many_decimals_and_index_area_one(tmp_path: Path) -> None:
    got = results(tmp_path, {"B1": 7.0, "A1": "=FIXED(1.5,100)", "A2": "=INDEX(B1:C2,1,1,1)"})
    assert got["A1"] == "1." + "5" + "0" * 99
    assert got["A2"] == 7.0


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("=" + "(" * 300 + "1" + ")" * 300, "nested more than 64 levels"),
        ("=" + "SUM(" * 70 + "1" + ")" * 70, "nested more than 64 levels"),
        ("=" + "-" * 300 + "1", "signs in a row"),
        ("=" + "9" * 400, "larger than Excel can hold"),
    ],
)
def test_beyond_what_excel_accepts_is_declined_at_the_cell(
    tmp_path: Path, formula: str, reason: str
) -> None:
    path = book(tmp_path / "t.xlsx", {"S": {"A1": formula}})
    _, engine = evaluate(path)
    problems = engine.problems()
    assert len(problems) == 1 and problems[0].cells == ("S!A1",)
    assert reason in problems[0].describe()


def test_sixty_four_levels_are_evaluated(tmp_path: Path) -> None:
    deep = "=" + "SUM(" * 60 + "1" + ")" * 60
    ifs = "=" + "IF(1," * 60 + "2" + ",0)" * 60
    assert results(tmp_path, {"A1": deep, "A2": ifs}) == {"A1": 1.0, "A2": 2.0}


def test_a_handed_in_function_that_raises_gives_value_error(tmp_path: Path) -> None:
    """A handed-in function's exception is that cell's #VALUE!; the other cells still compute."""

    def broken(*_args: object) -> object:
        raise TypeError("unexpected")

    path = book(tmp_path / "t.xlsx", {"S": {"A1": "=BROKEN(1)", "A2": "=A1", "A3": "=1+1"}})
    package = read_package(path)
    eng = Engine(package, {"BROKEN": lambda *a: broken(*a)})
    eng.calculate()
    assert _error(value(eng, "S!A1")) == "#VALUE!"
    assert value(eng, "S!A3") == 2.0


def test_an_exception_inside_evaluation_is_a_failed_problem(tmp_path: Path) -> None:
    """The last line of defence: whatever escapes evaluating a formula becomes a declined cell
    named with a reason in a reader's words (no exception names); the rest still computes."""
    path = book(tmp_path / "t.xlsx", {"S": {"A1": "=1+1", "A2": "=A1*2"}})
    package = read_package(path)
    eng = Engine(package, {})
    original = eng.pending[0]
    key = next(iter(original))

    def explode(R: int, C: int) -> object:
        raise OverflowError("int too large to convert")

    original[key] = explode
    eng.calculate()
    (problem,) = eng.problems()
    assert problem.kind == "failed" and problem.cells == ("S!A1",)
    text = problem.describe()
    assert "outside Excel's range" in text and "OverflowError" not in text
    assert _error(value(eng, "S!A1")) == "#VALUE!"


def _with_cached_text(src: Path, dst: Path, cached_xml: str) -> Path:
    """A copy of ``src`` whose S!A1 formula cell caches text written as ``cached_xml``."""
    shutil.copy(src, dst)
    with zipfile.ZipFile(src) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name].decode()
    start = xml.index('<c r="A1"')
    end = xml.index("</c>", start) + 4
    parts[name] = (
        xml[:start] + f'<c r="A1" t="str"><f>B1&amp;""</f>{cached_xml}</c>' + xml[end:]
    ).encode()
    with zipfile.ZipFile(dst, "w") as zout:
        for n, data in parts.items():
            zout.writestr(n, data)
    return dst


@pytest.mark.parametrize(
    "cached", ["<v></v>", "<v/>", '<v xml:space="preserve"></v>', '<v xml:space="preserve"> </v>']
)
def test_cached_empty_or_spaced_text_is_text_not_missing(tmp_path: Path, cached: str) -> None:
    src = book(tmp_path / "src.xlsx", {"S": {"A1": "=0", "B1": " " if "> <" in cached else None}})
    path = _with_cached_text(src, tmp_path / "t.xlsx", cached)
    package, eng = evaluate(path)
    cell = package.sheets[0].formulas[0]
    assert cell.cached == (" " if "> <" in cached else "")
    assert differences(package, eng) == []


def test_countif_over_whole_columns_counts_the_blank_cells_excel_counts(tmp_path: Path) -> None:
    """A whole column has 1,048,576 cells; those past the used area are blank, and a criterion
    that accepts a blank counts them, as Excel does (COUNTIFS over two sheets lines up)."""
    path = book(
        tmp_path / "t.xlsx",
        {
            "S": {
                "G1": "a",
                "G2": "b",
                "H2": "a",
                "A1": '=COUNTIF($G:$G,CONCAT("<>",H2))',
                "A2": '=COUNTIF(G:G,"")',
                "A3": '=COUNTIF(G:G,"a")',
                "A4": '=COUNTIFS(G:G,"<>a",H:H,"")',
                "A5": '=COUNTIFS(G:G,"",T!A:A,"")',
            },
            "T": {"A1": 1.0, "A2": 2.0, "A3": 3.0, "A4": 4.0, "A5": 5.0, "A6": 6.0, "A7": 7.0},
        },
    )
    _, engine = evaluate(path)
    got = [value(engine, f"S!A{i}") for i in range(1, 6)]
    assert got == [1048575.0, 1048574.0, 1.0, 1048574.0, 1048576.0 - 7]
