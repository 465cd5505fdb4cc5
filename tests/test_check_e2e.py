"""``lpsa-xl check`` end to end through the REAL reader: no ``--reader``
override. A folder of real template-layout returns (built by lpsa-xl's templates, with the
core's figures cached in their formula cells as Excel saves them), the same returns with planted
faults (every rule but LPSA016, which needs the headless evaluator: see test_check_command.py),
a council layout the project has never seen, and the hostile corpus gives exactly the expected
findings at the right cells and the due exit code, and leaves every input byte-for-byte unchanged.

Cells of northshire_lpsa1 (template layout): Agreement!B5 scheme, B7 NBR, B8 stated potential;
Targets rows 5-11 = targets 1, 2, 3 (split), 3a, 3b, 4, 5; columns F direction, I expected,
J target, M actual, N weight, R potential, T % of stretch, V reward, W status, X 60% trigger;
Claim rows 6-8 = payments (C paid).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lpsa_xl.cli import main
from lpsa_xl.returns.compute import compute_book
from lpsa_xl.returns.read import read_return
from lpsa_xl.returns.templates import example_data
from tests._returns import council_book
from tests.check_returns import good_return
from tests.hostile.make_corpus import make_corpus

NORTH = example_data("northshire_lpsa1.json")
T, A, C = "Targets", "Agreement", "Claim"
#: Every template return holds a chart: LPSA102 (info, no cell) says an openpyxl copy loses it.
CHART = ("LPSA102", None, None)

#: Planted faults on northshire_lpsa1: file -> (cells typed over, {(rule, sheet, cell)}).
FAULTS: dict[str, tuple[dict[tuple[str, str], object], set[tuple[str, str | None, str | None]]]] = {
    "f01_missing_expected.xlsx": ({(T, "I6"): None}, {("LPSA001", T, "I6")}),
    "f02_text_actual.xlsx": ({(T, "M10"): "34.1 (prov.)"}, {("LPSA002", T, "M10")}),
    "f03_wrong_direction.xlsx": ({(T, "J6"): 4500}, {("LPSA003", T, "J6")}),
    "f04_zero_stretch.xlsx": ({(T, "J5"): 40.1}, {("LPSA004", T, "J5")}),
    # the sum is wrong, not one weight: the finding is on the target's first weight cell
    "f05_weights.xlsx": ({(T, "N9"): 0.2}, {("LPSA005", T, "N8")}),
    # built with the stated potential 2.5% of the NBR (its claims agree), then the NBR typed over
    "f06_potential_vs_nbr.xlsx": ({(A, "B7"): 140_000_000}, {("LPSA006", A, "B8")}),
    "f07_reward.xlsx": ({(T, "V5"): 500_000}, {("LPSA007", T, "V5")}),
    "f08_percent.xlsx": ({(T, "T5"): 0.5}, {("LPSA008", T, "T5")}),
    "f09_status.xlsx": ({(T, "W9"): "Green"}, {("LPSA009", T, "W9")}),
    "f10_trigger.xlsx": ({(T, "X5"): 40.3}, {("LPSA010", T, "X5")}),
    "f11_above_potential.xlsx": ({(T, "V6"): 800_000}, {("LPSA011", T, "V6")}),
    "f13_duplicate.xlsx": ({(T, "A10"): "2"}, {("LPSA013", T, "A10")}),
    # built without target 1's actual (the cached figures leave it out): a claim all the same
    "f15_actual_missing.xlsx": ({}, {("LPSA015", T, "M5")}),
    "f17_unknown_scheme.xlsx": ({(A, "B5"): "LPSA9"}, {("LPSA017", A, "B5")}),
    "f18_scheme_assumed.xlsx": ({(A, "B5"): None}, {("LPSA018", A, "B5")}),
    "f19_direction.xlsx": ({(T, "F5"): "sideways"}, {("LPSA019", T, "F5")}),
    "f20_payment.xlsx": ({(C, "C7"): 900_000}, {("LPSA020", C, "C7")}),
}
#: Faults built from other data than northshire_lpsa1's.
DATA = {
    "f06_potential_vs_nbr.xlsx": {**NORTH, "stated_potential": 3_577_945},
    "f15_actual_missing.xlsx": {
        **NORTH,
        "targets": [{**NORTH["targets"][0], "actual": None}, *NORTH["targets"][1:]],
    },
}
#: Returns whose own data holds a fault: Westbury and Eastmoor overspend a pump-priming line.
NATURAL = {
    "f14_westbury_lpsa2.xlsx": ("westbury_lpsa2.json", {("LPSA014", "Pump priming", "D11")}),
    "f14_eastmoor_laa2006.xlsx": ("eastmoor_laa2006.json", {("LPSA014", "Pump priming", "D12")}),
}
#: An LAA 2008 return of 37 designated targets (at most 35): found on the 36th (row 40).
LAA2008 = {
    "authority": "Eastborough (fictional)",
    "scheme": "LAA2008",
    "nbr": 150_000_000,
    "period_start": "2008-04-01",
    "period_end": "2011-03-31",
    "targets": [
        {"ref": f"NI{i}", "theme": "Economy", "direction": "higher", "expected": 10,
         "target": 12, "actual": 11}
        for i in range(1, 38)
    ],
}  # fmt: skip
LAA2008_EXPECTED = {("LPSA012", T, "A40")}

#: A council layout never seen: its own sheet name, headers, at an offset, labels above.
COUNCIL_HEADER = [
    "Target ref",
    "Indicator",
    "Lower is better",
    "Performance expected without the Local PSA",
    "PSA stretch target 2005-6",
    "05/06 Actual",
    "Reward claimed (£)",
]
COUNCIL_ROWS = [
    ["1", "Pupils with 5+ GCSEs A*-C (%)", "No", 40.1, 40.2, 40.16],
    ["2", "Domestic burglaries", "Yes", 4200, 3800, 3700],
    ["3", "People killed or seriously injured", "Yes", 420, 380, 395],
    ["4", "Adults in sport weekly (%)", "No", 21, 24, 22],
]
COUNCIL_LABELS = {
    "Council": "Northmoor County Council (fictional)",
    "Net budget requirement (£)": 143_117_800,
    "Scheme": "LPSA1",
}
#: The table starts at D9 (left=4, top=9): "Reward claimed (£)" is column J, rows 10-13.
COUNCIL_FAULT = ("LPSA007", "Stretch targets 05-06", "J11")


def _council(path: Path, reward_typo: int = 0) -> Path:
    """The council return, its claimed rewards the core's (target 2's off by ``reward_typo``)."""
    kw = {"header": COUNCIL_HEADER[:-1], "top": 9, "left": 4, "title_rows": COUNCIL_LABELS,
          "sheet": "Stretch targets 05-06"}  # fmt: skip
    council_book(path, COUNCIL_ROWS, **kw)
    rewards = [float(line.reward) for line in compute_book(read_return(path)).result.lines]
    rewards[1] += reward_typo
    rows = [[*r, reward] for r, reward in zip(COUNCIL_ROWS, rewards, strict=True)]
    return council_book(path, rows, **{**kw, "header": COUNCIL_HEADER})


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("returns")
    good = good_return(root / "good_northshire_lpsa1.xlsx", NORTH)
    good_return(root / "good_southdale_lpsa1.xlsx", example_data("southdale_lpsa1.json"))
    for name, (cells, _) in FAULTS.items():
        good_return(root / name, DATA.get(name, NORTH), claims=cells)
    for name, (source, _) in NATURAL.items():
        good_return(root / name, example_data(source))
    good_return(root / "f12_laa2008.xlsx", LAA2008, figures=False)
    _council(root / "council_good.xlsx")
    _council(root / "council_fault.xlsx", reward_typo=-1000)
    hostile = make_corpus(root / "hostile", base=good.read_bytes())
    return root, hostile


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--no-recalc", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


def _found(entry: dict) -> set[tuple[str, str | None, str | None]]:
    return {(f["rule"], f["sheet"], f["cell"]) for f in entry["findings"]}


def test_folder_gives_exactly_the_expected_findings(folder: tuple[Path, dict[str, str]]) -> None:
    root, hostile = folder
    before = _digest(root)
    code, out = _run("--json", "--jobs", "2", str(root))
    assert code == 2
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    for name in ("good_northshire_lpsa1.xlsx", "good_southdale_lpsa1.xlsx"):
        assert files[name]["status"] == "ok" and _found(files[name]) == {CHART}, files[name]
    assert files["council_good.xlsx"]["status"] == "ok", files["council_good.xlsx"]
    assert files["council_good.xlsx"]["findings"] == []
    assert files["council_good.xlsx"]["authority"] == "Northmoor County Council (fictional)"
    assert _found(files["council_fault.xlsx"]) == {COUNCIL_FAULT}, files["council_fault.xlsx"]
    planted = {
        **{n: e for n, (_, e) in FAULTS.items()},
        **{n: e for n, (_, e) in NATURAL.items()},
        "f12_laa2008.xlsx": LAA2008_EXPECTED,
    }
    for name, expected in planted.items():
        assert _found(files[name]) == expected | {CHART}, (name, files[name]["findings"])
        infos = all(f["severity"] == "info" for f in files[name]["findings"])
        assert files[name]["status"] == ("ok" if infos else "findings"), name
    rules = {rule for e in planted.values() for rule, _, _ in e}
    assert rules == {f"LPSA{i:03d}" for i in range(1, 21)} - {"LPSA016"}
    for name, problem in hostile.items():
        entry = files[name]
        if problem == "ok":  # a short dimension: read in full all the same, so a good return
            assert entry["status"] == "ok" and _found(entry) <= {CHART}, entry
            continue
        assert entry["findings"], name
        if entry["status"] == "unusable":
            got = {f["rule"] for f in entry["findings"]}
            assert "LPSA100" in got and got <= {"LPSA100", "LPSA101", "LPSA102"}, entry
        else:  # only a warning: otherwise a good return
            assert {f["rule"] for f in entry["findings"]} <= {"LPSA101", "LPSA102"}, entry
    unusable = {n for n, e in files.items() if e["status"] == "unusable"}
    assert unusable == {
        n
        for n, p in hostile.items()
        if p
        not in ("ok", "dimension-mismatch", "huge-sheet", "external-links", "vba", "lossy-parts")
    }
    assert _digest(root) == before


def test_exit_codes(folder: tuple[Path, dict[str, str]]) -> None:
    root, _ = folder
    good = [str(root / "good_northshire_lpsa1.xlsx"), str(root / "council_good.xlsx")]
    assert _run(*good)[0] == 0
    assert _run(str(root / "f14_westbury_lpsa2.xlsx"))[0] == 0  # a warning only
    assert _run(*good, str(root / "council_fault.xlsx"))[0] == 1
    assert _run(*good, str(root / "f07_reward.xlsx"))[0] == 1
    code, out = _run(*good, str(root / "hostile" / "password.xlsx"))
    assert code == 2
    assert "password.xlsx" in out.split("unusable: ")[-1] and "password-protected" in out


def test_council_finding_names_the_cell_and_figures(folder: tuple[Path, dict[str, str]]) -> None:
    root, _ = folder
    code, out = _run(str(root / "council_fault.xlsx"))
    assert code == 1
    assert "error LPSA007 Stretch targets 05-06!J11" in out, out


def test_terminal_summary_names_rule_and_cell(folder: tuple[Path, dict[str, str]]) -> None:
    root, _ = folder
    code, out = _run(str(root / "f03_wrong_direction.xlsx"))
    assert code == 1
    assert (
        "error LPSA003 Targets!J6  target 2: target is above expected, but lower is better" in out
    )
    assert "1 file: 0 ok, 1 with findings, 0 unusable; 1 error, 0 warnings" in out


def test_check_takes_extra_header_synonyms_for_a_council_layout(tmp_path: Path) -> None:
    """A council that calls its actual "Position at close" is read once told so (--headers)."""
    path = tmp_path / "odd_headers.xlsx"
    _council(path, reward_typo=-1000)
    renamed = [h if h != "05/06 Actual" else "Position at close" for h in COUNCIL_HEADER]
    rows = _rows_of(path)
    council_book(path, rows, header=renamed, top=9, left=4, title_rows=COUNCIL_LABELS,
                 sheet="Stretch targets 05-06")  # fmt: skip
    synonyms = tmp_path / "ours.toml"
    synonyms.write_text('[fields]\nactual = ["position at close"]\n', encoding="utf-8")
    plain = CliRunner().invoke(main, ["check", "--json", "--no-recalc", str(path)])
    told = CliRunner().invoke(
        main, ["check", "--json", "--no-recalc", "--headers", str(synonyms), str(path)]
    )
    found = {(f["rule"], f["sheet"], f["cell"]) for f in _findings(told)}
    assert COUNCIL_FAULT in found, told.output
    assert COUNCIL_FAULT not in {(f["rule"], f["sheet"], f["cell"]) for f in _findings(plain)}
    bad = CliRunner().invoke(main, ["check", "--headers", str(tmp_path / "none.toml"), str(path)])
    assert bad.exit_code == 2 and "cannot read header synonyms" in bad.output


def _rows_of(path: Path) -> list[list[object]]:
    import openpyxl

    ws = openpyxl.load_workbook(path)["Stretch targets 05-06"]
    return [[c.value for c in row[3:10]] for row in ws.iter_rows(min_row=10, max_row=13)]


def _findings(result) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return [f for file in json.loads(result.stdout)["files"] for f in file["findings"]]
