"""``lpsa-xl compute --json`` forecasts each target whose final period is not in yet from its
monitoring series (a column per year in a council layout, or a Monitoring table of ref, period
and value in the template), gives the totals a ``forecast_reward`` and rolls the targets up."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from openpyxl.worksheet.table import Table

from lpsa_xl.cli import main
from lpsa_xl.returns.compute import compute_book
from lpsa_xl.returns.read import read_return

EXAMPLES = Path(__file__).resolve().parents[1] / "workbooks" / "examples"


def _council(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Monitoring"
    ws.append(["Northshire LPSA monitoring"])
    ws.append([])
    ws.append(["Ref", "Measure", "Expected", "Target", "Outturn 2003/04", "Outturn 2004/05",
               "Outturn 2005/06"])  # fmt: skip
    ws.append(["1", "Recycling %", 40.1, 40.2, 40.1, 40.13, None])  # heading for exactly 60%
    ws.append(["2", "Burglaries", 4200, 3800, 4200, 4100, None])  # heading for 50%
    ws.append(["3", "Visits", 10, 20, 12, 16, 21])  # final outturn in: met
    wb.save(path)
    return path


def _json(path: Path, *args: str) -> dict:
    run = CliRunner().invoke(main, ["compute", str(path), "--json", *args])
    assert run.exit_code == 0, run.output
    return json.loads(run.output)


def test_year_columns_forecast_the_targets_whose_final_year_is_blank(tmp_path: Path) -> None:
    data = _json(_council(tmp_path / "c.xlsx"), "--potential", "300000", "--scheme", "LPSA1")
    by_ref = {t["ref"]: t for t in data["targets"]}
    one = by_ref["1"]["forecast"]
    assert (one["final_period"], one["method"], one["points"]) == ("2005/06", "trend", 2)
    assert (one["outturn"], one["low"], one["high"]) == ("40.16", "40.16", "40.16")
    assert (one["achievement"], one["reward"], one["status"]) == ("0.6", "60000", "at risk")
    two = by_ref["2"]["forecast"]
    assert (two["outturn"], two["reward"], two["status"]) == ("4000", "0", "likely missed")
    assert by_ref["3"]["forecast"] is None and by_ref["3"]["reward"] == "100000"
    assert data["final_period"] == "2005/06"
    assert data["forecast_reward"] == "160000"  # 100000 in + 60000 forecast + 0
    counts = {k: (v["targets"], v["potential"], v["reward"]) for k, v in data["rollup"].items()}
    assert counts["met"] == (1, "100000", "100000")
    assert counts["at risk"] == (1, "100000", "60000")
    assert counts["likely missed"] == (1, "100000", "0")
    assert sum(v[0] for v in counts.values()) == 3
    assert any("forecast to 2005/06" in note for note in data["notes"])


def _with_monitoring(tmp_path: Path, rows: list[list[object]]) -> Path:
    path = tmp_path / "northshire.xlsx"
    shutil.copy(EXAMPLES / "northshire_lpsa1.xlsx", path)
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Monitoring")
    ws.append(["Ref", "Period", "Value"])
    for row in rows:
        ws.append(row)
    ws.add_table(Table(displayName="Monitoring", ref=f"A1:C{len(rows) + 1}"))
    wb.save(path)
    return path


def test_a_monitoring_table_in_the_template_forecasts_by_quarter(tmp_path: Path) -> None:
    # target 4 (32.5 -> 28, lower is better) falls 0.5 a quarter from 2004 Q1 (January-March
    # 2004); 2005/06 ends eight quarters later, in January-March 2006: 28.5, 4/4.5 of the stretch
    rows = [["4", f"2004 Q{q}", 32.5 - 0.5 * (q - 1)] for q in range(1, 5)]
    rows += [["4", "2005 Q1", 30.5], ["5", "2003/04", 420]]
    done = compute_book(read_return(_with_monitoring(tmp_path, rows)))
    assert done.outlook is not None and done.outlook.final_period == "2005/06"
    four = done.outlook.forecasts["4"]
    assert (four.outturn, four.low, four.high, four.method) == (28.5, 28.5, 28.5, "trend")
    assert four.status == "at risk" and four.achievement == Decimal("0." + "8" * 39 + "9")
    five = done.outlook.forecasts["5"]
    assert (five.method, five.outturn) == ("last", 420)
    assert done.outlook.rollup is not None and done.outlook.rollup.count == 6


def test_a_series_that_cannot_be_forecast_is_a_warning_at_its_cell(tmp_path: Path) -> None:
    rows = [["4", "2004 Q1", 32], ["4", "March", 31]]
    done = compute_book(read_return(_with_monitoring(tmp_path, rows)))
    assert done.outlook is not None and "4" not in done.outlook.forecasts
    (warning,) = [w for w in done.warnings if "no forecast" in str(w)]
    assert warning.sheet == "Monitoring" and warning.cell == "C2" and "'March'" in str(warning)


def test_check_json_gives_each_return_and_the_folder_its_forecast_and_roll_up(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    rows = [["4", f"2004 Q{q}", 32.5 - 0.5 * (q - 1)] for q in range(1, 5)]
    _with_monitoring(tmp_path, rows).rename(folder / "a.xlsx")
    shutil.copy(EXAMPLES / "northshire_lpsa1.xlsx", folder / "b.xlsx")
    run = CliRunner().invoke(main, ["check", str(folder), "--json", "--no-recalc"])
    data = json.loads(run.output)
    a, b = sorted(data["files"], key=lambda f: f["path"])
    assert b["forecast_reward"] is None and b["rollup"]["at risk"]["targets"] == 0
    assert a["forecast_reward"] is not None and a["rollup"]["at risk"]["targets"] == 1
    assert a["rollup"]["at risk"]["reward"] == str(compute_book(read_return(folder / "a.xlsx"))
                                                   .outlook.forecasts["4"].reward)  # fmt: skip
    totals = data["rollup"]
    assert sum(c["targets"] for c in totals.values()) == sum(
        c["targets"] for f in (a, b) for c in f["rollup"].values()
    )
    assert totals["at risk"]["targets"] == 1
