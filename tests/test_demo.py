"""``lpsa-xl demo`` (README command 1) recalculates an example return and checks it."""

from __future__ import annotations

import openpyxl
from click.testing import CliRunner

from lpsa_xl.cli import main
from lpsa_xl.demo import disagreements, recalculated_example
from lpsa_xl.returns.recalc import recalc_file


def test_demo_recalculates_the_example_and_agrees_with_the_core():
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert "recalculated 111 formulas headlessly" in result.output
    assert "Total reward £2,075,208" in result.output
    assert "figures the workbook's formulas computed equal the rules core's" in result.output


def test_every_example_can_be_demonstrated():
    for book in ("westbury_lpsa2.xlsx", "eastmoor_laa2006.xlsx", "southdale_lpsa1.xlsx"):
        result = CliRunner().invoke(main, ["demo", "--example", book])
        assert result.exit_code == 0, result.output


def test_a_figure_that_differs_from_the_core_is_reported(tmp_path):
    path, _ = recalculated_example("northshire_lpsa1.xlsx", tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Targets"]
    header = [c.value for c in ws[4]]
    ws.cell(row=5, column=header.index("Reward £") + 1, value=1.0)  # a wrong figure, typed in
    wb.save(path)
    recalc_file(path)  # openpyxl's save dropped the cached values: put them back
    _, wrong, compared = disagreements(path)
    assert compared > 40
    assert len(wrong) == 1 and "reward: workbook 1, core 429353" in wrong[0]


def test_unknown_example_and_command():
    assert CliRunner().invoke(main, ["demo", "--example", "nope.xlsx"]).exit_code == 2
    result = CliRunner().invoke(main, ["frobnicate"])
    assert result.exit_code == 2 and "No such command" in result.output
