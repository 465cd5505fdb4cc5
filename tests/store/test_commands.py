"""``lpsa-xl register``, ``lpsa-xl check --register --record`` and ``lpsa-xl history``, run as
users run them, on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from lpsa_xl.cli import main
from lpsa_xl.returns.templates import example_data
from tests.check_returns import good_return

EXAMPLES = Path(__file__).resolve().parents[2] / "workbooks" / "examples"
NORTHSHIRE = "Northshire County Council (fictional)"
#: The register rules (what check --register adds).
REGISTER_RULES = {"LPSA025", "LPSA026", "LPSA027", "LPSA028"}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def _returns(folder: Path, change: dict[str, object] | None = None) -> Path:
    """Northshire and Westbury returns as Excel saves them; ``change``: Northshire's target 1
    fields changed, an extra target, or a target left out."""
    folder.mkdir(exist_ok=True)
    north = example_data("northshire_lpsa1.json")
    change = change or {}
    north["targets"][0].update(change.get("first", {}))  # type: ignore[arg-type]
    if "extra" in change:
        north["targets"].append({**copy.deepcopy(north["targets"][1]), "ref": "9"})
    if "drop" in change:
        north["targets"] = [t for t in north["targets"] if t["ref"] != change["drop"]]
    good_return(folder / "northshire.xlsx", north)
    good_return(folder / "westbury.xlsx", example_data("westbury_lpsa2.json"))
    return folder


def test_register_add_list_show_remove(store_url: str) -> None:
    books = sorted(str(p) for p in EXAMPLES.glob("*.xlsx"))
    code, out = run("register", "add", *books, "--db", store_url)
    assert code == 0, out
    assert "Northshire County Council (fictional): version 1 (new), LPSA1" in out
    code, out = run("register", "add", books[1], "--db", store_url, "--json")
    assert code == 0 and json.loads(out)["registered"][0]["outcome"] == "unchanged"
    code, out = run("register", "list", "--db", store_url, "--json")
    names = [a["authority"] for a in json.loads(out)["agreements"]]
    assert len(names) == 4 and NORTHSHIRE in names
    code, out = run("register", "show", "northshire", "--db", store_url, "--json")
    [shown] = json.loads(out)["agreements"]
    assert shown["nbr"] == "143117800" and shown["lines"][0]["target"] == "40.2"
    assert shown["partners"] == [["County council", "0.8"], ["District councils", "0.2"]]
    code, out = run("register", "show", "northshire", "--on", "2003-03-31", "--db", store_url)
    assert code == 2 and "no version" in out
    code, out = run("register", "remove", "Southdale", "--db", store_url)
    assert code == 0 and "removed 1 version of Southdale City Council (fictional)" in out
    code, out = run("register", "remove", "westbury", "--version", "1", "--db", store_url,
                    "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["removed"] == {
        "authority": "Westbury Borough Council (fictional)",
        "version": 1,
        "versions_removed": 1,
    }
    code, out = run("register", "show", "Southdale", "--db", store_url)
    assert code == 2 and "'Southdale' is not in the register" in out


def test_one_unusable_file_and_nothing_is_registered(store_url: str, tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes((EXAMPLES / "westbury_lpsa2.xlsx").read_bytes()[:3000])
    code, out = run("register", "add", str(EXAMPLES / "northshire_lpsa1.xlsx"), str(corrupt),
                    "--db", store_url)  # fmt: skip
    assert code == 2
    assert "corrupt.xlsx" in out and "nothing was registered" in out
    assert "Traceback" not in out
    code, out = run("register", "list", "--db", store_url, "--json")
    assert json.loads(out)["agreements"] == []


def test_renegotiated_agreement_from_a_table_is_a_new_version(
    store_url: str, tmp_path: Path
) -> None:
    table = tmp_path / "agreed.csv"
    table.write_text("authority,scheme,stated_potential,period_start,ref,expected,target\n"
                     "Northshire,LPSA1,\"£3,577,945.13\",2003-04-01,1,40.1,40.2\n")  # fmt: skip
    assert run("register", "add", str(table), "--db", store_url)[0] == 0
    table.write_text(table.read_text().replace("40.2", "40.18"))
    code, out = run("register", "add", str(table), "--from", "2005-04-01", "--db", store_url)
    assert code == 0 and "version 2 (renegotiated)" in out
    code, out = run("register", "show", "Northshire", "--all", "--db", store_url, "--json")
    versions = json.loads(out)["agreements"]
    assert [(v["version"], v["lines"][0]["target"]) for v in versions] == [
        (1, "40.2"),
        (2, "40.18"),
    ]
    assert versions[0]["stated_potential"] == "3577945.13"
    code, out = run("register", "show", "Northshire", "--on", "2005-03-31", "--db", store_url,
                    "--json")  # fmt: skip
    assert json.loads(out)["agreements"][0]["version"] == 1


def _findings(out: str) -> dict[str, list[dict[str, str]]]:
    data = json.loads(out)
    return {Path(f["path"]).name: f["findings"] for f in data["files"]}


def test_check_against_the_register(store_url: str, tmp_path: Path) -> None:
    run("register", "add", str(EXAMPLES / "northshire_lpsa1.xlsx"),
        str(EXAMPLES / "southdale_lpsa1.xlsx"), "--db", store_url)  # fmt: skip
    folder = _returns(tmp_path / "returns", {"first": {"target": 40.18, "expected": 40.05}})
    code, out = run("check", str(folder), "--json", "--no-recalc", f"--register={store_url}")
    assert code == 1, out
    data = json.loads(out)
    north = _findings(out)["northshire.xlsx"]
    differ = [(f["cell"], f["message"]) for f in north if f["rule"] == "LPSA025"]
    assert ("J5", "target 1: target (with) is 40.18 but the agreement (version 1, in force "
            "from 01/04/2003) says 40.2") in differ  # fmt: skip
    assert any(cell == "I5" and "says 40.1" in m for cell, m in differ)
    west = _findings(out)["westbury.xlsx"]
    assert [f["severity"] for f in west if f["rule"] == "LPSA028"] == ["warning"]
    assert data["missing_returns"] == ["Southdale City Council (fictional)"]
    # the same returns without the register: clean
    code, out = run("check", str(folder), "--json", "--no-recalc")
    assert code == 0 and "missing_returns" not in json.loads(out)


def test_annotated_copies_carry_the_register_findings(store_url: str, tmp_path: Path) -> None:
    run("register", "add", str(EXAMPLES / "northshire_lpsa1.xlsx"), "--db", store_url)
    folder = _returns(tmp_path / "returns", {"first": {"target": 40.18}})
    copies = tmp_path / "annotated"
    code, out = run("check", str(folder), "--no-recalc", f"--register={store_url}",
                    "--annotate", str(copies))  # fmt: skip
    assert code == 1, out
    comment = openpyxl.load_workbook(copies / "northshire.xlsx")["Targets"]["J5"].comment
    assert comment is not None and "LPSA025" in comment.text and "says 40.2" in comment.text


@pytest.mark.parametrize(
    "change, rule, words",
    [
        ({"extra": True}, "LPSA026", "target 9 (row 12) is not in the agreement"),
        ({"drop": "2"}, "LPSA027", "agreed target 2 (Domestic burglaries per year) is missing"),
        ({"first": {"target": 40.20}}, None, ""),
    ],
)
def test_targets_added_or_left_out(
    store_url: str, tmp_path: Path, change: dict[str, object], rule: str | None, words: str
) -> None:
    run("register", "add", str(EXAMPLES / "northshire_lpsa1.xlsx"), "--db", store_url)
    folder = _returns(tmp_path / "returns", change)
    code, out = run("check", str(folder / "northshire.xlsx"), "--json", "--no-recalc",
                    f"--register={store_url}")  # fmt: skip
    found = [f for f in _findings(out)["northshire.xlsx"] if f["rule"] in REGISTER_RULES]
    if rule is None:
        assert found == [] and code == 0
        return
    assert [f["rule"] for f in found] == [rule], found
    assert words in found[0]["message"]


def test_record_history_and_changed_since_last_round(store_url: str, tmp_path: Path) -> None:
    run("register", "add", str(EXAMPLES / "northshire_lpsa1.xlsx"), "--db", store_url)
    first = _returns(tmp_path / "round1")
    code, out = run("check", str(first), "--json", "--no-recalc", f"--register={store_url}",
                    "--record")  # fmt: skip
    assert json.loads(out)["files"][0]["changes"] == []
    second = _returns(tmp_path / "round2", {"first": {"actual": 40.19}})
    report, html = tmp_path / "r.xlsx", tmp_path / "r.html"
    code, out = run("check", str(second), "--json", "--no-recalc", f"--register={store_url}",
                    "--record", "--report", str(report), "--html", str(html))  # fmt: skip
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert "1 actual: 40.16 -> 40.19" in files["northshire.xlsx"]["changes"]
    code, out = run("history", "northshire", "--db", store_url, "--json")
    assert code == 0, out
    rounds = json.loads(out)["rounds"]
    assert [r["round"] for r in rounds] == [1, 2]
    assert {"ref": "1", "field": "actual", "old": "40.16", "new": "40.19"} in rounds[1]["changes"]
    assert rounds[0]["total_potential"] == "3577945.00" and rounds[0]["agreement_version"] == 1
    code, out = run("history", "northshire", "--db", store_url)
    assert "round 2" in out and "1 actual: 40.16 -> 40.19" in out
    wb = openpyxl.load_workbook(report)
    header = [c.value for c in wb["Summary"][1]]
    column = header.index("Changed since last round")
    changed = {row[1]: row[column] for row in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert "1 actual: 40.16 -> 40.19" in changed[str(second / "northshire.xlsx")]
    assert [r[0] for r in wb["Missing returns"].iter_rows(min_row=2, values_only=True)] == []
    page = html.read_text()
    assert "Changed since last round" in page and "1 actual: 40.16 -&gt; 40.19" in page


def test_register_flag_before_a_folder_takes_the_folder_as_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LPSA_XL_DB", f"sqlite:///{tmp_path / 'env.db'}")
    run("register", "add", str(EXAMPLES / "northshire_lpsa1.xlsx"))
    folder = _returns(tmp_path / "returns")
    code, out = run("check", "--register", str(folder), "--json", "--no-recalc")
    assert code == 0, out
    assert sorted(_findings(out)) == ["northshire.xlsx", "westbury.xlsx"]
    assert json.loads(out)["missing_returns"] == []


def test_unreachable_register_is_one_line(tmp_path: Path) -> None:
    folder = _returns(tmp_path / "returns")
    code, out = run("check", str(folder), "--no-recalc",
                    "--register=postgresql://nobody@/none?host=/nonexistent&port=1")  # fmt: skip
    assert code == 2
    assert out.strip().splitlines()[-1].startswith("error: the database postgresql+psycopg://")
