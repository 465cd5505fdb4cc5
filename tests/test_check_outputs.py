"""The checker's outputs: report workbook, HTML page with its chart, and
annotated copies (comments and highlights), inputs untouched and writes atomic."""

from __future__ import annotations

import copy
import hashlib
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from lpsa_xl.check.annotate import FINDINGS_SHEET
from lpsa_xl.cli import main
from tests.check_fixture import GOOD_AGREEMENT, GOOD_CLAIM, GOOD_PUMP, GOOD_ROWS, write_return
from tests.hostile.make_corpus import make_corpus, vba_project

READER = "tests.check_fixture:read_return"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def returns(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    write_return(folder / "north.xlsx", GOOD_AGREEMENT, GOOD_ROWS, GOOD_PUMP, GOOD_CLAIM)
    rows = copy.deepcopy(GOOD_ROWS)
    rows[1]["reward"] = 500_000  # target 2 claims £500,000 of a recomputed £536,250
    rows[0]["status"] = "Green"  # target 1 is Amber
    south = {**GOOD_AGREEMENT, "authority": "Southshire", "total_reward": 2_198_125}
    write_return(folder / "south.xlsx", south, rows, GOOD_PUMP, GOOD_CLAIM)
    return folder


def _check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["check", "--reader", READER, "--no-recalc", "-j", "1", *args]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


def test_report_workbook(returns: Path, tmp_path: Path) -> None:
    report = tmp_path / "out" / "report.xlsx"
    code, _ = _check(str(returns), "--report", str(report))
    assert code == 1
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames == ["Summary", "Findings", "Themes"]
    findings = list(wb["Findings"].iter_rows(min_row=2, values_only=True))
    assert {(f[1], f[3], f[4], f[5]) for f in findings} == {
        ("south.xlsx", "LPSA007", "Targets", "N3"),
        ("south.xlsx", "LPSA009", "Targets", "O2"),
        ("south.xlsx", "LPSA010", "Agreement", "B10"),  # the claimed total follows the claims
    }
    summary = {r[0]: r for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    north, south = summary["Northshire County Council"], summary["Southshire"]
    assert north[7:13] == (
        3_575_000,
        2_234_375,
        2_234_375,
        0,
        2_234_375 / 3_575_000,
        pytest.approx(0.98),
    )  # (.8+.6+1.5+.5+1.5)/5
    assert south[8:11] == (2_234_375, 2_198_125, -36_250)
    assert (north[2], south[2], south[3]) == ("ok", "errors", 3)
    themes = {(r[0], r[1]): r[2:] for r in wb["Themes"].iter_rows(min_row=2, values_only=True)}
    assert themes[("Southshire", "Health")] == (
        3,
        1,
        1,
        1,
        pytest.approx(1 / 3),
        pytest.approx(2 / 3),
    )
    assert list(tmp_path.joinpath("out").iterdir()) == [report]  # no temporary file left


def test_html_report_is_one_offline_page(returns: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    _check(str(returns), "--html", str(page))
    text = page.read_text(encoding="utf-8")
    assert "Southshire" in text and "£2,234,375 of £3,575,000 (62.5%)" in text
    assert "<script" not in text and "http" not in text and "src=" not in text
    assert "LPSA007" in text
    assert '<div class="bar-label">Northshire County Council</div>' in text  # named by authority


def test_annotated_copies_carry_comments_and_highlights(returns: Path, tmp_path: Path) -> None:
    before = {p.name: _sha(p) for p in returns.iterdir()}
    out = tmp_path / "annotated"
    code, _ = _check(str(returns), "--annotate", str(out))
    assert code == 1
    assert {p.name: _sha(p) for p in returns.iterdir()} == before
    assert sorted(p.name for p in out.iterdir()) == ["north.xlsx", "south.xlsx"]
    wb = openpyxl.load_workbook(out / "south.xlsx")
    cell = wb["Targets"]["N3"]
    assert "LPSA007" in cell.comment.text and "£536,250" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert wb["Targets"]["O2"].comment is not None and wb["Targets"]["N2"].comment is None
    rows = list(wb[FINDINGS_SHEET].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[3]) for r in rows] == [
        ("LPSA009", "O2"),
        ("LPSA007", "N3"),
        ("LPSA010", "B10"),
    ]
    assert wb["Targets"]["G2"].value == 900  # the figures are copied as they were


def test_every_usable_file_of_the_hostile_corpus_is_annotated_losing_nothing(
    tmp_path: Path,
) -> None:
    """Charts, images, shapes, form controls, pivot caches...: patched, never dropped."""
    folder = tmp_path / "in"
    make_corpus(
        folder, base=write_return(tmp_path / "base.xlsx", GOOD_AGREEMENT, GOOD_ROWS).read_bytes()
    )
    out = tmp_path / "out"
    _, text = _check(str(folder), "--annotate", str(out), "--json")
    files = json.loads(text)["files"]
    assert not [f for r in files for f in r["findings"] if f["rule"] == "LPSA103"]
    usable = [Path(r["path"]) for r in files if r["status"] != "unusable"]
    assert Path(folder / "chart.xlsx") in usable
    for source in usable:
        copy = out / source.name
        with zipfile.ZipFile(source) as a, zipfile.ZipFile(copy) as b:
            for name in a.namelist():
                if (
                    "worksheets/sheet" not in name
                    and not name.endswith((".rels", "].xml"))
                    and (name not in ("xl/styles.xml", "xl/workbook.xml"))
                ):
                    assert a.read(name) == b.read(name), (source.name, name)
        assert FINDINGS_SHEET in openpyxl.load_workbook(copy).sheetnames


def test_annotated_xlsm_keeps_its_vba_project(tmp_path: Path) -> None:
    from tests.hostile import make_corpus as corpus

    base = write_return(tmp_path / "base.xlsx", GOOD_AGREEMENT, GOOD_ROWS).read_bytes()
    corpus._BASE = base
    try:
        data = vba_project()
    finally:
        corpus._BASE = None
    source = tmp_path / "in" / "macro.xlsm"
    source.parent.mkdir()
    source.write_bytes(data)
    out = tmp_path / "out"
    _check(str(source), "--annotate", str(out))
    with zipfile.ZipFile(out / "macro.xlsm") as zf, zipfile.ZipFile(source) as original:
        assert zf.read("xl/vbaProject.bin") == original.read("xl/vbaProject.bin")


def test_copies_of_files_with_one_name_do_not_overwrite_each_other(tmp_path: Path) -> None:
    from lpsa_xl.check.annotate import copy_names

    files = [Path("a/return.xlsx"), Path("b/return.xlsx"), Path("c/other.xlsm")]
    assert copy_names(files, tmp_path) == {
        Path("a/return.xlsx"): tmp_path / "return.xlsx",
        Path("b/return.xlsx"): tmp_path / "return (2).xlsx",
        Path("c/other.xlsm"): tmp_path / "other.xlsm",
    }
