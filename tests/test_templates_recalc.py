"""The example returns recalculated headlessly (``lpsa-xl recalc``) show exactly the figures
``lpsa-xl compute`` and the rules core give. Needs the recalc command and
the LPSA_* function registry; skipped with the reason when this tree does not have them yet."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from lpsa_xl.cli import COMMANDS, main
from lpsa_xl.returns import layout as L
from lpsa_xl.returns.compute import compute_book
from lpsa_xl.returns.read import read_return
from lpsa_xl.returns.templates import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]

if "recalc" not in COMMANDS or importlib.util.find_spec("lpsa_xl.functions.registry") is None:
    pytest.skip(
        "lpsa-xl recalc or the LPSA_* registry is not in this tree", allow_module_level=True
    )

COLUMNS = {
    "Potential £": "potential",
    "Stretch": "stretch",
    "% of stretch": "achievement",
    "Payable %": "payable",
    "Reward £": "reward",
    "Status": "status",
    "60% trigger": "trigger",
    "£ per unit of stretch": "vfm_cost",
    "Benefit-cost ratio": "vfm_ratio",
    "On account £": "on_account",
}


def _same(cell: object, figure: object) -> bool:
    if figure is None:
        return cell in (None, "")
    if isinstance(figure, Decimal):
        return isinstance(cell, (int, float)) and abs(Decimal(repr(cell)) - figure) <= abs(
            figure
        ) * Decimal("1e-12")
    return cell == figure


@pytest.mark.parametrize("book", sorted(EXAMPLES))
def test_recalculated_example_shows_the_core_figures(tmp_path: Path, book: str) -> None:
    src = ROOT / "workbooks" / "examples" / book
    out = tmp_path / book
    result = CliRunner().invoke(main, ["recalc", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    core = compute_book(read_return(src)).result
    wb = openpyxl.load_workbook(out, data_only=True)
    ws = wb[L.TARGETS_SHEET]
    header = [c.value for c in ws[L.TABLE_HEADER_ROW]]
    rows = {
        str(r[0]): dict(zip(header, r, strict=False))
        for r in ws.iter_rows(min_row=L.TABLE_HEADER_ROW + 1, values_only=True)
    }
    for line in core.lines:
        row = rows[line.ref]
        for column, name in COLUMNS.items():
            assert _same(row[column], getattr(line, name)), (
                line.ref,
                column,
                row[column],
                getattr(line, name),
            )
    agreement = wb[L.AGREEMENT_SHEET]
    names = {
        n: wb.defined_names[n].attr_text.split("!")[1].replace("$", "")
        for n in ("Total_Reward", "Total_Potential", "On_Account")
    }
    assert _same(agreement[names["Total_Reward"]].value, core.total_reward)
    assert _same(agreement[names["Total_Potential"]].value, core.total_potential)
    assert _same(agreement[names["On_Account"]].value, core.on_account)
    claim = wb[L.CLAIM_SHEET]
    plan = [
        r
        for r in claim.iter_rows(
            min_row=L.CLAIM_FIRST_ROW,
            max_row=L.CLAIM_FIRST_ROW + L.CLAIM_ROWS - 1,
            values_only=True,
        )
        if r[0] not in (None, "")
    ]
    assert len(plan) == len(core.payments)
    for got, p in zip(plan, core.payments, strict=False):
        assert got[:2] == (p.year, p.kind)
        figures = (p.paid, p.capital, p.revenue)
        assert all(_same(g, w) for g, w in zip(got[2:], figures, strict=True))
