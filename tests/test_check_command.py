"""``lpsa-xl check`` end to end (issue 5 "done when"): a folder mixing good returns, returns with
planted faults and the hostile corpus gives exactly the expected findings at the right cells, the
right exit code, and leaves every input byte-for-byte unchanged."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lpsa_xl.check.run import check_file
from lpsa_xl.cli import main
from tests.check_fixture import (
    GOOD_AGREEMENT,
    GOOD_CLAIM,
    GOOD_PUMP,
    GOOD_ROWS,
    write_return,
)
from tests.hostile.make_corpus import make_corpus

READER = "tests.check_fixture:read_return"


def _rows(which: str, **changes: object) -> list[dict]:
    rows = copy.deepcopy(GOOD_ROWS)
    row = next(r for r in rows if r["ref"] == which)
    row.update(changes)
    return [{k: v for k, v in r.items() if v is not None} for r in rows]


#: Planted faults: file -> (agreement changes, rows, pump, {(rule, sheet, cell)} expected).
FAULTS = {
    "f01_missing_expected.xlsx": (
        {},
        _rows("2", expected=None),
        None,
        {("LPSA001", "Targets", "F3")},
    ),
    "f02_text_actual.xlsx": (
        {},
        _rows("3", actual="65 (prov.)"),
        None,
        {("LPSA002", "Targets", "H4")},
    ),
    "f03_wrong_direction.xlsx": ({}, _rows("1", target=1100), None, {("LPSA003", "Targets", "G2")}),
    "f04_zero_stretch.xlsx": ({}, _rows("3", target=50), None, {("LPSA004", "Targets", "G4")}),
    "f05_weights.xlsx": ({}, _rows("4b", weight=0.2), None, {("LPSA005", "Targets", "I6")}),
    "f06_potential_vs_nbr.xlsx": (
        {"nbr": 140_000_000},
        None,
        None,
        {("LPSA006", "Agreement", "B5")},
    ),
    "f07_reward.xlsx": ({}, _rows("2", reward=563_250), None, {("LPSA007", "Targets", "N3")}),
    "f08_percent.xlsx": ({}, _rows("1", achievement=0.7), None, {("LPSA008", "Targets", "L2")}),
    "f09_status.xlsx": ({}, _rows("4a", status="Amber"), None, {("LPSA009", "Targets", "O6")}),
    "f10_trigger.xlsx": ({}, _rows("3", trigger=55), None, {("LPSA010", "Targets", "P4")}),
    "f11_above_potential.xlsx": (
        {},
        _rows("3", reward=1_000_000),
        None,
        {("LPSA011", "Targets", "N4")},
    ),
    "f13_duplicate.xlsx": ({}, _rows("3", ref="2"), None, {("LPSA013", "Targets", "A4")}),
    "f14_pump_priming.xlsx": (
        {},
        None,
        [{"ref": "1", "year": "2003/04", "budget": 100_000, "spend": 125_000}],
        {("LPSA014", "Pump priming", "D2")},
    ),
    "f15_actual_missing.xlsx": (
        {"total_reward": 1_519_375},
        _rows("1", actual=None, achievement=None, payable=None, reward=None, status=None),
        None,
        {("LPSA015", "Targets", "H2")},
    ),
}
LAA2008 = (
    {"authority": "Eastborough", "scheme": "LAA2008"},
    [
        {"ref": f"NI{i}", "direction": "higher", "expected": 10, "target": 12, "actual": 11}
        for i in range(1, 38)
    ],
    {("LPSA012", "Targets", "A37")},
)


PAYMENT = ([{**GOOD_CLAIM[0], "amount": 1_171_187.5}], {("LPSA020", "Claim", "C2")})


def _write(path: Path, agreement: dict, rows: list[dict] | None, pump: list[dict] | None) -> Path:
    merged = {k: v for k, v in {**GOOD_AGREEMENT, **agreement}.items() if v is not None}
    return write_return(path, merged, GOOD_ROWS if rows is None else rows,
                        GOOD_PUMP if pump is None else pump, GOOD_CLAIM)  # fmt: skip


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Good returns, planted faults and the hostile corpus (built on a good return)."""
    root = tmp_path_factory.mktemp("returns")
    good = _write(root / "good_northshire.xlsx", {}, None, None)
    _write(root / "good_westshire.xlsx", {"authority": "Westshire"}, None, None)
    for name, (agreement, rows, pump, _) in FAULTS.items():
        _write(root / name, agreement, rows, pump)
    write_return(root / "f12_laa2008.xlsx", LAA2008[0], LAA2008[1])
    write_return(root / "f20_payment.xlsx", GOOD_AGREEMENT, GOOD_ROWS, GOOD_PUMP, PAYMENT[0])
    expected = make_corpus(root / "hostile", base=good.read_bytes())
    return root, expected


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--reader", READER, "--no-recalc", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


def test_folder_gives_exactly_the_expected_findings(folder: tuple[Path, dict[str, str]]) -> None:
    root, hostile = folder
    before = _digest(root) | _digest(root / "hostile")
    code, out = _run("--json", "--jobs", "2", str(root))
    assert code == 2
    document = json.loads(out)
    assert list(document) == ["files"]
    files = {Path(f["path"]).name: f for f in document["files"]}
    for entry in document["files"]:
        assert list(entry) == ["path", "authority", "status", "findings"]
        assert entry["status"] in ("ok", "findings", "unusable")
        for f in entry["findings"]:
            assert list(f) == ["severity", "sheet", "cell", "rule", "message"]
    for name in ("good_northshire.xlsx", "good_westshire.xlsx"):
        assert files[name]["status"] == "ok" and files[name]["findings"] == [], files[name]
    assert files["good_westshire.xlsx"]["authority"] == "Westshire"
    for name, (*_, expected) in {
        **FAULTS,
        "f12_laa2008.xlsx": LAA2008,
        "f20_payment.xlsx": PAYMENT,
    }.items():
        got = {(f["rule"], f["sheet"], f["cell"]) for f in files[name]["findings"]}
        assert got == expected, (name, files[name]["findings"])
        assert files[name]["status"] == "findings"
    for name, problem in hostile.items():
        entry = files[name]
        if problem == "ok":  # a short dimension: read in full all the same, so a good return
            assert entry["status"] == "ok" and entry["findings"] == [], entry
            continue
        assert entry["findings"], name
        if entry["status"] == "unusable":
            assert any(f["rule"] == "LPSA100" for f in entry["findings"])
        else:  # only a warning: otherwise a good return
            assert {f["rule"] for f in entry["findings"]} <= {"LPSA101", "LPSA102"}, entry
    unusable = {n for n, e in files.items() if e["status"] == "unusable"}
    assert unusable == {
        n
        for n, p in hostile.items()
        if p
        not in ("ok", "dimension-mismatch", "huge-sheet", "external-links", "vba", "lossy-parts")
    }
    assert _digest(root) | _digest(root / "hostile") == before


def test_exit_codes(folder: tuple[Path, dict[str, str]]) -> None:
    root, _ = folder
    assert _run(str(root / "good_northshire.xlsx"), str(root / "good_westshire.xlsx"))[0] == 0
    assert _run(str(root / "good_northshire.xlsx"), str(root / "f07_reward.xlsx"))[0] == 1
    code, out = _run(str(root / "good_northshire.xlsx"), str(root / "hostile" / "password.xlsx"))
    assert code == 2
    assert "unusable: " in out and "password.xlsx" in out.split("unusable: ")[-1]
    assert "password-protected" in out


def test_terminal_summary_names_rule_and_cell(folder: tuple[Path, dict[str, str]]) -> None:
    root, _ = folder
    code, out = _run(str(root / "f03_wrong_direction.xlsx"))
    assert code == 1
    assert (
        "error LPSA003 Targets!G2  target 1: target is above expected, but lower is better" in out
    )
    assert "1 file: 0 ok, 1 with findings, 0 unusable; 1 error, 0 warnings" in out


def test_stale_cache_rule_with_an_injected_recompute(folder: tuple[Path, dict[str, str]]) -> None:
    root, _ = folder
    result = check_file(root / "good_northshire.xlsx", READER, recompute=fake_recompute)
    assert [(f.rule, f.sheet, f.cell) for f in result.findings] == [("LPSA016", "Targets", "N3")]
    assert "536250" in result.findings[0].message and "536000" in result.findings[0].message
    failing = check_file(root / "good_northshire.xlsx", READER, recompute=broken_recompute)
    assert [(f.rule, f.severity) for f in failing.findings] == [("LPSA104", "warning")]


def fake_recompute(path: Path) -> dict[tuple[str, str], object]:
    """A stand-in for the headless evaluator: N2 agrees with the cached value, N3 does not."""
    return {("Targets", "N2"): 715_000.0, ("Targets", "N3"): 536_000, ("Targets", "O2"): "Amber"}


def broken_recompute(path: Path) -> dict[tuple[str, str], object]:
    raise ValueError("unknown function FOO in Targets!Z9")


def test_no_reader_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--reader", "nowhere.module:read", str(tmp_path)])
    assert (
        result.exit_code == 2
        and "workbook reader nowhere.module:read is not available" in result.output
    )


def test_folders_give_their_xlsx_and_xlsm_files(tmp_path: Path) -> None:
    from lpsa_xl.check.run import expand_paths

    for name in ("b.xlsx", "a.XLSM", "~$b.xlsx", "notes.txt", "sub/c.xlsx"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    named = tmp_path / "notes.txt"  # a file named on the command line is checked whatever it is
    assert [
        p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path, named, tmp_path])
    ] == [
        "a.XLSM",
        "b.xlsx",
        "sub/c.xlsx",
        "notes.txt",
    ]
