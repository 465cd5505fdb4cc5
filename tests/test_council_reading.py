"""Councils' own workbooks read right, or refused at the cell: the cases a new user hit first
(fractions beside a "49%" outturn, targets as columns, outturn on another sheet, the authority
and scheme named only in the title, an outturn typed 100 times too big). compute and check must
give the same figures for each."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from _council_layouts import columns_book, rows_book, split_book
from click.testing import CliRunner

from lpsa_xl.cli import main


def run(*args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(main, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    try:
        return result.exit_code, json.loads(result.stdout)
    except ValueError:
        return result.exit_code, result.output


def compute(path: Path) -> tuple[int, Any]:
    return run("compute", str(path), "--json")


def check(path: Path) -> dict[str, Any]:
    _code, data = run("check", str(path), "--json", "--no-recalc")
    assert isinstance(data, dict), data
    return data["files"][0]


def messages(file: dict[str, Any], severity: str | None = None) -> list[str]:
    return [
        f"{f['rule']} {f['sheet']}!{f['cell']} {f['message']}"
        for f in file["findings"]
        if severity is None or f["severity"] == severity
    ]


def test_fractions_beside_a_percent_text_outturn_are_one_scale(tmp_path: Path) -> None:
    # 0.40 -> 0.55 with an outturn typed "49%": 0.49 is 60% of the stretch, Amber, 60% of
    # £29,816 = £17,889.60, rounded to £17,890
    path = rows_book(tmp_path / "fractions.xlsx", [["1", "Recycling rate", 0.40, 0.55, "49%",
                                                    29816]])  # fmt: skip
    code, data = compute(path)
    assert code == 0, data
    line = data["targets"][0]
    assert (line["actual"], line["achievement"], line["status"]) == ("0.49", "0.6", "Amber")
    assert data["total_reward"] == "17890"
    file = check(path)
    assert file["total_reward"] == "17890" and file["total_potential"] == "29816"
    assert not messages(file, "error"), messages(file)


def test_percent_text_with_a_space_and_money_text(tmp_path: Path) -> None:
    path = rows_book(tmp_path / "texts.xlsx", [["1", "Recycling rate", 40, 55, "49 %",
                                                "\u00a329,816"]])  # fmt: skip
    code, data = compute(path)
    assert code == 0, data
    assert data["targets"][0]["actual"] == "49" and data["total_reward"] == "17890"
    assert check(path)["total_reward"] == "17890"


def test_undecidable_scale_is_refused_at_the_cell(tmp_path: Path) -> None:
    # 0.3 beside 30 and an outturn "32%": 0.32 and 32 fit the row equally badly
    path = rows_book(tmp_path / "undecided.xlsx", [["1", "Rate", 0.3, 30, "32%", 29816]])
    code, data = compute(path)
    assert code != 0 and "E5" in data and "scale" in data, data
    file = check(path)
    assert any("E5" in m and "scale" in m for m in messages(file, "error")), messages(file)
    assert file["total_reward"] is None


def test_compute_and_check_agree_on_every_total(tmp_path: Path) -> None:
    rows = [["1", "Recycling rate", 0.40, 0.55, "49%", 29816],
            ["2", "Burglaries", 4200, 3800, 3700, 30000]]  # fmt: skip
    path = rows_book(tmp_path / "two.xlsx", rows)
    _code, data = compute(path)
    file = check(path)
    assert (file["total_potential"], file["total_reward"]) == (
        data["total_potential"],
        data["total_reward"],
    )


def test_targets_as_columns_are_read(tmp_path: Path) -> None:
    labels = ["Target ref", "Measure", "Expected without the Local PSA", "Stretch target",
              "Outturn 2005/06", "Reward available (\u00a3)"]  # fmt: skip
    targets = [["1", "Recycling %", 30, 40, 36, 100000], ["2", "Burglaries", 4200, 3800, 3700,
                                                           100000]]  # fmt: skip
    path = columns_book(tmp_path / "columns.xlsx", labels, targets)
    code, data = compute(path)
    assert code == 0, data
    # 1: (36-30)/(40-30) = 60% of £100,000; 2: beaten, capped at £100,000
    assert [(t["ref"], t["reward"]) for t in data["targets"]] == [("1", "60000"), ("2", "100000")]
    assert data["scheme"] == "LPSA2"
    assert check(path)["total_reward"] == "160000"


def test_outturn_on_another_sheet_is_joined_by_ref(tmp_path: Path) -> None:
    agreed = [["1", "Recycling %", 30, 40, 100000], ["2", "Burglaries", 4200, 3800, 100000]]
    for first in (False, True):
        path = split_book(tmp_path / f"split{first}.xlsx", agreed, [["2", 3700], ["1", 36]],
                          outturn_first=first)  # fmt: skip
        code, data = compute(path)
        assert code == 0, data
        assert data["total_reward"] == "160000", data
        assert check(path)["total_reward"] == "160000"


def test_an_outturn_for_an_unknown_ref_is_named(tmp_path: Path) -> None:
    agreed = [["1", "Recycling %", 30, 40, 100000], ["2", "Burglaries", 4200, 3800, 100000]]
    path = split_book(tmp_path / "orphan.xlsx", agreed, [["1", 36], ["7", 12]])
    code, data = compute(path)
    assert code != 0 and "7" in data and "Outturn 2005-06" in data, data
    found = messages(check(path))
    assert any("7" in m and "Outturn 2005-06" in m for m in found), found
    assert any("target 2" in m and "outturn" in m.lower() for m in found), found


def test_title_names_the_authority_and_the_scheme(tmp_path: Path) -> None:
    path = rows_book(
        tmp_path / "titled.xlsx",
        [["1", "Recycling %", 30, 40, 36, 100000]],
        title="Fictional Clean Borough \u2013 LPSA2 final outturn",
    )
    file = check(path)
    found = messages(file)
    assert not any("authority's name is missing" in m for m in found), found
    assert not any("LPSA1" in m and "assumed" in m for m in found), found
    assert file["authority"] == "Fictional Clean Borough"
    assert file["status"] == "ok", found
    _code, data = compute(path)
    assert data["scheme"] == "LPSA2"
    assert any("title" in n and "Fictional Clean Borough" in n for n in data["notes"])


def test_an_outturn_a_hundred_times_too_big_is_questioned(tmp_path: Path) -> None:
    path = rows_book(tmp_path / "slip.xlsx", [["1", "Recycling %", 40, 55, 4900, 29816]])
    found = messages(check(path), "warning")
    assert any("E5" in m and "4,900" in m for m in found), found
    _code, data = compute(path)
    assert any("E5" in w for w in data["warnings"]), data
