"""Workbook features: defined names, tables and structured references, shared and array
formulas, _xludf./_xlfn. prefixes, circular references, unknown functions, errors as values."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from formula_util import book, evaluate, value
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table

from lpsa_xl.values import ExcelError


def rewrite_member(path: Path, member: str, edit) -> None:
    """Replace zip member ``member`` by ``edit(text)`` (to craft XML openpyxl does not write)."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == member:
                data = edit(data.decode()).encode()
            z.writestr(info, data)


def test_defined_names_workbook_and_sheet_scope(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Agreement"
    ws["B1"] = 275227
    ws["B2"] = "=Potential*2"
    other = wb.create_sheet("Other")
    other["A1"] = 5
    other["A2"] = "=Potential+Rate"
    wb.defined_names["Potential"] = DefinedName("Potential", attr_text="Agreement!$B$1")
    other.defined_names["Rate"] = DefinedName("Rate", attr_text="Other!$A$1")
    wb.defined_names["Band"] = DefinedName("Band", attr_text="Agreement!$B$1:$B$2")
    ws["B3"] = "=SUM(Band)"
    path = tmp_path / "n.xlsx"
    wb.save(path)
    _, engine = evaluate(path)
    assert value(engine, "Agreement!B2") == 550454.0
    assert value(engine, "Other!A2") == 275232.0
    assert value(engine, "Agreement!B3") == 275227.0 * 3
    assert engine.problems() == []


def _table_book(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Targets"
    ws.append(["Ref", "Expected", "Target", "Stretch", "Double stretch"])
    for i, (e, t) in enumerate([(40.1, 40.2), (10, 14), (30, 27)], start=2):
        ws.append([f"T{i - 1}", e, t, "=[@Target]-[@Expected]",
                   "=Targets[[#This Row],[Stretch]]*2"])  # fmt: skip
    ws.add_table(Table(displayName="Targets", ref="A1:E4"))
    ws["G1"] = "=SUM(Targets[Stretch])"
    ws["G2"] = "=ROWS(Targets[#Data])"
    ws["G3"] = "=COUNTA(Targets[#Headers])"
    ws["G4"] = "=INDEX(Targets[Ref],2)"
    ws["G5"] = "=SUM(Targets[@Expected])"
    wb.save(path)
    return path


def test_structured_references(tmp_path: Path) -> None:
    _, engine = evaluate(_table_book(tmp_path / "t.xlsx"))
    assert value(engine, "Targets!D2") == 40.2 - 40.1  # binary double, as Excel computes it
    assert value(engine, "Targets!E3") == 8.0
    assert value(engine, "Targets!G1") == (40.2 - 40.1) + 4.0 + -3.0
    assert value(engine, "Targets!G2") == 3.0
    assert value(engine, "Targets!G3") == 5.0
    assert value(engine, "Targets!G4") == "T2"
    assert isinstance(value(engine, "Targets!G5"), ExcelError)  # @ outside the table's rows


def test_shared_and_array_formulas(tmp_path: Path) -> None:
    path = book(tmp_path / "s.xlsx", {"S": {"A1": 1, "A2": 2, "A3": 3, "B1": "=A1*10",
                                            "C1": 0, "C2": 0, "C3": 0}})  # fmt: skip

    def edit(xml: str) -> str:
        xml = xml.replace("<f>A1*10</f>", '<f t="shared" ref="B1:B3" si="0">A1*10</f>')
        for r in (2, 3):
            xml = re.sub(rf'<c r="C{r}"[^>]*>.*?</c>',
                         f'<c r="B{r}"><f t="shared" si="0"/><v>0</v></c><c r="C{r}"><v>0</v></c>',
                         xml)  # fmt: skip
        return re.sub(
            r'<c r="C1"[^>]*>.*?</c>',
            '<c r="C1"><f t="array" ref="C1:C3">A1:A3*2+B1:B3</f><v>0</v></c>',
            xml,
        )

    rewrite_member(path, "xl/worksheets/sheet1.xml", edit)
    package, engine = evaluate(path)
    assert [value(engine, f"S!B{r}") for r in (1, 2, 3)] == [10.0, 20.0, 30.0]
    assert [value(engine, f"S!C{r}") for r in (1, 2, 3)] == [12.0, 24.0, 36.0]
    kinds = sorted(f.kind for f in package.sheets[0].formulas)
    assert kinds == ["array", "array-child", "array-child", "normal", "normal", "normal"]
    from lpsa_xl.returns.recalc import differences

    cached = {(d.cell, d.cached, d.computed) for d in differences(package, engine)}
    assert ("C2", 0.0, 24.0) in cached  # an array formula's other cells keep their cached values
    assert ("B1", None, 10.0) in cached  # openpyxl wrote <v/>: no cached value


def test_prefixed_registry_functions_are_bound(tmp_path: Path) -> None:
    calls = []

    def reward(expected, target, actual, potential):
        calls.append((expected, target, actual, potential))
        return potential * (actual - expected) / (target - expected)

    def total(grid):
        return float(sum(v for row in grid for v in row if isinstance(v, float)))

    cells = {"A1": 10, "A2": 14, "A3": 13, "A4": 1000,
             "B1": "=_xludf.LPSA_REWARD(A1,A2,A3,A4)",
             "B2": "=lpsa_reward(A1,A2,A3,A4)",
             "B3": "=_xludf.LPSA_TOTAL(A1:A4)",
             "B4": "=IFERROR(LPSA_REWARD(A1,A1,A3,A4),-1)"}  # fmt: skip
    path = book(tmp_path / "p.xlsx", {"S": cells})
    funcs = {"LPSA_REWARD": reward, "LPSA_TOTAL": total}
    _, engine = evaluate(path, funcs)
    assert value(engine, "S!B1") == 750.0
    assert value(engine, "S!B2") == 750.0
    assert value(engine, "S!B3") == 1037.0
    assert value(engine, "S!B4") == -1.0  # the exception became #VALUE!, caught by IFERROR
    assert calls[0] == (10.0, 14.0, 13.0, 1000.0)
    assert engine.problems() == []


def test_unknown_functions_name_every_cell(tmp_path: Path) -> None:
    cells = {"A1": 1, "A2": "=NOSUCH(A1)", "A3": "=NOSUCH(A2)+1", "A4": "=A2*2",
             "B1": "=missing_name+1"}  # fmt: skip
    path = book(tmp_path / "u.xlsx", {"Data": cells})
    _, engine = evaluate(path)
    problems = {p.what: p for p in engine.problems()}
    assert problems["NOSUCH"].cells == ("Data!A2", "Data!A3")
    assert problems["missing_name"].cells == ("Data!B1",)
    assert "Data!A2, Data!A3" in problems["NOSUCH"].describe()
    assert value(engine, "Data!A2") == ExcelError("#NAME?")
    assert value(engine, "Data!A4") == ExcelError("#NAME?")  # errors propagate as values


def test_circular_references_are_reported_with_their_cells(tmp_path: Path) -> None:
    path = book(tmp_path / "c.xlsx", {"S": {"A1": "=B1+1", "B1": "=C1+1", "C1": "=A1+1",
                                            "D1": "=D1", "E1": 5, "E2": "=E1*2"}})  # fmt: skip
    _, engine = evaluate(path)
    cycles = [p for p in engine.problems() if p.kind == "circular"]
    assert sorted(sorted(p.cells) for p in cycles) == [["S!A1", "S!B1", "S!C1"], ["S!D1"]]
    assert isinstance(value(engine, "S!A1"), ExcelError)
    assert value(engine, "S!E2") == 10.0


def test_error_values_propagate_and_never_raise(tmp_path: Path) -> None:
    cells = {"A1": "#N/A", "A2": "=A1+1", "A3": "=SUM(A1:A2)", "A4": "=ISNA(A3)",
             "A5": "=SUM(1,", "A6": "=COUNTIF(A1:A3,\"#N/A\")", "A7": "=A99/0"}  # fmt: skip
    path = book(tmp_path / "e.xlsx", {"S": cells})
    _, engine = evaluate(path)
    assert value(engine, "S!A2") == ExcelError("#N/A")
    assert value(engine, "S!A3") == ExcelError("#N/A")
    assert value(engine, "S!A4") is True
    assert value(engine, "S!A6") == 3.0
    assert value(engine, "S!A7") == ExcelError("#DIV/0!")
    assert [p.kind for p in engine.problems()] == ["syntax"]


def test_whole_column_and_cross_sheet_references(tmp_path: Path) -> None:
    path = book(tmp_path / "w.xlsx", {"Data": {"A1": 1, "A2": 2, "A3": 3},
                                      "My Sheet": {"A1": "=SUM(Data!A:A)", "A2": "=SUM(Data!1:2)",
                                                   "A3": "='My Sheet'!A1*2"}})  # fmt: skip
    _, engine = evaluate(path)
    assert value(engine, "'My Sheet'!A1") == 6.0
    assert value(engine, "'My Sheet'!A2") == 3.0
    assert value(engine, "'My Sheet'!A3") == 12.0


def test_long_reference_chains_do_not_overflow_the_stack(tmp_path: Path) -> None:
    n = 20_000  # each cell refers to the one below: evaluated top-down, 20,000 deep
    cells: dict[str, object] = {f"A{i}": f"=A{i + 1}+1" for i in range(1, n)}
    cells[f"A{n}"] = 1
    cells["B1"] = f"=SUM(A1:A{n})"
    _, engine = evaluate(book(tmp_path / "deep.xlsx", {"S": cells}))
    assert value(engine, "S!A1") == float(n)
    assert value(engine, "S!B1") == n * (n + 1) / 2


def test_1904_date_system(tmp_path: Path) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "S"
    cells = {"A1": "=DATE(2024,1,1)", "A2": "=YEAR(A1)*100+MONTH(A1)",
             "A3": '=TEXT(A1,"yyyy-mm-dd")', "A4": "=EDATE(A1,1)", "A5": '=TEXT(1.25,"0.0")',
             "A6": "=DAY(EOMONTH(A1,1))"}  # fmt: skip
    for ref, formula in cells.items():
        ws[ref] = formula
    path = tmp_path / "mac.xlsx"
    wb.save(path)
    package, engine = evaluate(path)
    assert package.date1904
    assert value(engine, "S!A1") == 45292.0 - 1462
    assert value(engine, "S!A2") == 202401.0
    assert value(engine, "S!A3") == "2024-01-01"
    assert value(engine, "S!A4") == 45323.0 - 1462
    assert value(engine, "S!A5") == "1.3"
    assert value(engine, "S!A6") == 29.0
