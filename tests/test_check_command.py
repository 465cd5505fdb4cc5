"""``lpsa-xl check`` pieces with the fixture reader (tests/check_fixture.py): the stale-cache rule
with an injected recalculation, a missing reader, which files a folder gives. The end-to-end
tests through the real reader are in test_check_e2e.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from lpsa_xl.check.run import check_file
from lpsa_xl.cli import main
from lpsa_xl.returns.recalc import Difference
from tests.check_fixture import (
    GOOD_AGREEMENT,
    GOOD_CLAIM,
    GOOD_PUMP,
    GOOD_ROWS,
    write_return,
)

READER = "tests.check_fixture:read_return"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good return in the fixture layout."""
    root = tmp_path_factory.mktemp("returns")
    write_return(root / "good_northshire.xlsx", GOOD_AGREEMENT, GOOD_ROWS, GOOD_PUMP, GOOD_CLAIM)
    return root


def test_stale_cache_rule_with_an_injected_recompute(folder: Path) -> None:
    root = folder
    result = check_file(root / "good_northshire.xlsx", READER, recompute=fake_recompute)
    assert [(f.rule, f.sheet, f.cell) for f in result.findings] == [("LPSA016", "Targets", "N3")]
    assert "536250" in result.findings[0].message and "536000" in result.findings[0].message
    failing = check_file(root / "good_northshire.xlsx", READER, recompute=broken_recompute)
    assert [(f.rule, f.severity) for f in failing.findings] == [("LPSA104", "warning")]


def fake_recompute(path: Path) -> list[Difference]:
    """A stand-in for the headless evaluator: N3's cached value is not what it computes."""
    return [Difference("Targets", "N3", 536_250, 536_000)]


def broken_recompute(path: Path) -> list[Difference]:
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
