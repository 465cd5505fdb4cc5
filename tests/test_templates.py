"""The returns workbooks: layout, formulas, validation, formatting, chart; committed books up to
date; examples compute to the core's figures; LibreOffice opens them."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from lpsa_xl import assess
from lpsa_xl.demo import load_example
from lpsa_xl.returns import layout as L
from lpsa_xl.returns.compute import compute_book
from lpsa_xl.returns.read import read_return
from lpsa_xl.returns.templates import EXAMPLES, build_all
from lpsa_xl.returns.writers.formulas import target_formulas

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "workbooks"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("books")
    build_all(out)
    return out


def _cells(path: Path) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(path)
    return {
        (ws.title, c.coordinate): c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


def test_committed_workbooks_are_what_the_script_builds(built: Path) -> None:
    names = ["lpsa_return.xlsx", "laa_return.xlsx", "lpsa_return_web.xlsx",
             "laa_return_web.xlsx", *(f"examples/{n}" for n in EXAMPLES)]
    for name in names:
        assert _cells(COMMITTED / name) == _cells(built / name), (
            f"{name} is stale: run python -m lpsa_xl.returns.templates"
        )


def test_lpsa_template_layout(built: Path) -> None:
    wb = openpyxl.load_workbook(built / "lpsa_return.xlsx")
    assert wb.sheetnames == [L.AGREEMENT_SHEET, L.TARGETS_SHEET, L.CLAIM_SHEET, L.PUMP_SHEET]
    for name, _field, _label in (*L.AGREEMENT_NAMES, *L.COMPUTED_NAMES):
        assert name in wb.defined_names
    assert dict(wb.defined_names["Scheme"].destinations) == {"Agreement": "$B$5"}
    ws = wb[L.TARGETS_SHEET]
    table = ws.tables[L.TARGETS_TABLE]
    assert table.ref.startswith(f"A{L.TABLE_HEADER_ROW}:")
    names = [c.name for c in table.tableColumns]
    assert names == [c.header for c in L.TARGET_COLUMNS]
    assert names == [ws.cell(row=L.TABLE_HEADER_ROW, column=j + 1).value for j in range(len(names))]
    formulas = target_formulas()
    for col in table.tableColumns:
        spec = next(c for c in L.TARGET_COLUMNS if c.header == col.name)
        if spec.input:
            assert col.calculatedColumnFormula is None
        else:
            assert col.calculatedColumnFormula.attr_text == formulas[col.name]
            j = names.index(col.name) + 1
            assert ws.cell(row=L.TABLE_HEADER_ROW + 1, column=j).value == "=" + formulas[col.name]
    assert "LPSA_REWARD(Targets[[#This Row],[Expected]]" in formulas["Reward £"]
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"higher,lower"' in lists
    agreement_lists = {dv.formula1 for dv in wb[L.AGREEMENT_SHEET].data_validations.dataValidation}
    assert any("LPSA1" in f and "LAA2006" in f for f in agreement_lists)
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert sorted(r.formula[0] for r in rules) == ['"Amber"', '"Green"', '"Red"']
    assert len(ws._charts) == 1
    claim = wb[L.CLAIM_SHEET]
    assert (
        "LPSA_INSTALMENTS(Total_Reward,End_Year,Scheme,On_Account)"
        in claim.cell(row=L.CLAIM_FIRST_ROW, column=1).value
    )


def test_laa_template_has_blocks_designated_and_funding(built: Path) -> None:
    wb = openpyxl.load_workbook(built / "laa_return.xlsx")
    assert {"Designated", "Funding"} <= set(wb.sheetnames)
    targets = [c.name for c in wb[L.TARGETS_SHEET].tables[L.TARGETS_TABLE].tableColumns]
    assert targets[2:7] == [c.header for c in L.LAA_EXTRA_COLUMNS]
    funding = wb["Funding"]
    assert [c.name for c in funding.tables["Funding"].tableColumns] == list(L.FUNDING_COLUMNS)
    assert any("Pooled,Aligned" in dv.formula1 for dv in funding.data_validations.dataValidation)
    designated = wb["Designated"]
    assert "Children and Young People" in designated["A2"].value


def test_figures_are_numbers_and_refs_text(built: Path) -> None:
    ws = openpyxl.load_workbook(built / "examples" / "northshire_lpsa1.xlsx")[L.TARGETS_SHEET]
    assert ws["A5"].value == "1" and ws["I5"].value == 40.1 and ws["M5"].value == 40.16


@pytest.mark.parametrize("book, source", sorted(EXAMPLES.items()))
def test_examples_compute_to_the_core_figures(built: Path, book: str, source: str) -> None:
    done = compute_book(read_return(built / "examples" / book))
    core = assess(load_example(source))
    assert done.result.lines == core.lines
    assert done.result.payments == core.payments
    assert done.result.partner_shares == core.partner_shares


def test_examples_exercise_every_branch(built: Path) -> None:
    lines, kinds, schemes, stated = [], set(), set(), set()
    for book in EXAMPLES:
        result = compute_book(read_return(built / "examples" / book)).result
        lines += result.lines
        kinds |= {p.kind for p in result.payments}
        schemes.add(result.agreement.scheme_obj.name)
        a = result.agreement
        if a.stated_potential is not None and a.nbr is not None:
            stated.add(a.stated_potential != a.nbr * a.scheme_obj.nbr_rate)
    ach = [ln.achievement for ln in lines]
    assert any(a < 0 for a in ach), "worse than expected"
    assert any(0 <= a < Decimal("0.6") for a in ach), "below 60%"
    assert any(a == Decimal("0.6") for a in ach), "exactly 60%"
    assert any(Decimal("0.6") < a < 1 for a in ach), "between"
    assert any(a == 1 for a in ach), "exactly 100%"
    assert any(a > 1 for a in ach), "over 100%"
    assert any(ln.direction == "lower" for ln in lines)
    assert any(ln.parent for ln in lines)
    assert {"on account", "recovery", "instalment 1", "instalment 2"} <= kinds
    assert schemes == {"LPSA1", "LPSA2", "LAA2006"}
    assert True in stated
    # the float-hostile figures: binary floating point would miss the 60% floor
    assert (40.16 - 40.1) / (40.2 - 40.1) < 0.6


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not on PATH: cannot check the books open in it")
    return exe


@pytest.mark.libreoffice
def test_libreoffice_opens_every_book_and_computes_the_standard_parts(
    built: Path, tmp_path: Path
) -> None:
    exe = _soffice()
    books = [
        built / "lpsa_return.xlsx",
        built / "laa_return.xlsx",
        *(built / "examples" / n for n in EXAMPLES),
    ]
    profile = tmp_path / "profile"
    cmd = [
        exe,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1",
        "--outdir",
        str(tmp_path),
        *map(str, books),
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    for book in books:
        assert (tmp_path / f"{book.stem}-Targets.csv").exists(), (
            f"LibreOffice could not open {book.name}"
        )
    rows = list(csv.reader((tmp_path / "northshire_lpsa1-Agreement.csv").open(encoding="utf-8")))
    values = {r[0]: r[1] for r in rows if len(r) > 1}
    assert values["Number of targets"] == "5"  # COUNTIFS over the table's structured references
    assert values["Agreement ends 31 March of"] == "2006"
    targets = list(csv.reader((tmp_path / "northshire_lpsa1-Targets.csv").open(encoding="utf-8")))
    header = targets[L.TABLE_HEADER_ROW - 1]
    subs = header.index("Sub-targets")
    assert [r[subs] for r in targets[L.TABLE_HEADER_ROW : L.TABLE_HEADER_ROW + 6]] == [
        "1",
        "1",
        "2",
        "2",
        "2",
        "1",
    ]


def test_the_documented_coordinates_hold(built: Path) -> None:
    """The coordinates the templates docstring promises to the checker and add-in helpers."""
    wb = openpyxl.load_workbook(built / "lpsa_return.xlsx")
    where = {
        n: dict(wb.defined_names[n].destinations)
        for n, _f, _l in (*L.AGREEMENT_NAMES, *L.COMPUTED_NAMES)
    }
    cells = [d["Agreement"] for d in where.values()]
    assert cells == [f"$B${r}" for r in (*range(4, 12), *range(13, 18))]
    agreement = wb[L.AGREEMENT_SHEET]
    assert agreement.tables[L.PARTNER_TABLE].ref.startswith("A20:")
    assert wb[L.PUMP_SHEET].tables[L.PUMP_TABLE].ref.startswith("A9:")
    claim = wb[L.CLAIM_SHEET]
    assert [claim.cell(row=L.CLAIM_FIRST_ROW - 1, column=j).value for j in range(1, 6)] == [
        h for h, _f in L.CLAIM_COLUMNS
    ]


def test_the_web_editions_differ_only_in_the_function_names(built: Path) -> None:
    """The web edition of each template is the desktop one with =LPSA.X for =LPSA_X (saved as
    _xldudf_LPSA_X): converting it back gives the desktop book's parts byte for byte."""
    import zipfile

    from lpsa_xl.returns.convert import convert_file

    for name in ("lpsa_return", "laa_return"):
        web = built / f"{name}_web.xlsx"
        back = built / f"{name}_back.xlsx"
        convert_file(web, back, "desktop")
        with zipfile.ZipFile(built / f"{name}.xlsx") as a, zipfile.ZipFile(back) as b:
            assert a.namelist() == b.namelist()
            assert all(a.read(n) == b.read(n) for n in a.namelist())
        with zipfile.ZipFile(web) as w:
            sheets = "".join(w.read(n).decode() for n in w.namelist() if "worksheets/" in n)
        assert "_xldudf_LPSA_REWARD(" in sheets
        assert not re.search(r"(?<![\w.])LPSA_[A-Z_]+\(", sheets)  # no desktop name is left
