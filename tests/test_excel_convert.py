"""``lpsa-xl excel convert``: the LPSA function names of a workbook for Excel on the web or
desktop Excel; nothing else changes, there and back is the original byte for byte, and the
headless evaluator, check and compute read the web edition as they read the desktop one."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from lpsa_xl.cli import main
from lpsa_xl.functions.spelling import convert_formula

ROOT = Path(__file__).resolve().parents[1]
BOOKS = [*sorted((ROOT / "workbooks" / "examples").glob("*.xlsx")),
         ROOT / "workbooks" / "lpsa_return.xlsx", ROOT / "workbooks" / "lpsa_return.xlsm"]


@pytest.mark.parametrize(("desktop", "web"), [
    ("LPSA_REWARD(A1,B1,C1,D1)", "_xldudf_LPSA_REWARD(A1,B1,C1,D1)"),
    ('IF(A1="","",LPSA_STATUS(A1,B1,C1,Scheme))',
     'IF(A1="","",_xldudf_LPSA_STATUS(A1,B1,C1,Scheme))'),
    ('CONCAT("LPSA_REWARD(",1)', 'CONCAT("LPSA_REWARD(",1)'),  # inside a string: text
    ("&quot;LPSA_SHARE(&quot;&amp;LPSA_SHARE(1,2)",
     "&quot;LPSA_SHARE(&quot;&amp;_xldudf_LPSA_SHARE(1,2)"),
    ("LPSA_NOT_A_FUNCTION(1)+SUM(LPSA_X)", "LPSA_NOT_A_FUNCTION(1)+SUM(LPSA_X)"),  # unknown: kept
    ("_xlfn.LPSA_REWARD(1,2,3,4)", "_xlfn.LPSA_REWARD(1,2,3,4)"),
])  # fmt: skip
def test_only_the_registry_functions_are_renamed(desktop: str, web: str) -> None:
    assert convert_formula(desktop, "web") == web
    assert convert_formula(web, "desktop") == desktop


@pytest.mark.parametrize("book", BOOKS, ids=[b.name for b in BOOKS])
def test_there_and_back_is_the_original_byte_for_byte(book: Path, tmp_path: Path) -> None:
    web, back = tmp_path / f"web{book.suffix}", tmp_path / f"back{book.suffix}"
    runner = CliRunner()
    out = runner.invoke(main, ["excel", "convert", str(book), "-o", str(web), "--to", "web"])
    assert out.exit_code == 0, out.output
    assert runner.invoke(main, ["excel", "convert", str(web), "-o", str(back),
                                "--to", "desktop"]).exit_code == 0  # fmt: skip
    with zipfile.ZipFile(book) as a, zipfile.ZipFile(web) as w, zipfile.ZipFile(back) as b:
        assert a.namelist() == w.namelist() == b.namelist()
        changed = [n for n in a.namelist() if a.read(n) != w.read(n)]
        assert changed and all(n.startswith("xl/worksheets/") for n in changed)
        assert all(a.read(n) == b.read(n) for n in a.namelist())


def test_check_and_compute_read_the_web_edition_as_the_desktop_one(tmp_path: Path) -> None:
    from lpsa_xl.check.run import check_file
    from lpsa_xl.check.wiring import READER
    from lpsa_xl.returns.compute import compute_book
    from lpsa_xl.returns.read import read_return
    from lpsa_xl.returns.recalc import stale_cells

    book = ROOT / "workbooks" / "examples" / "westbury_lpsa2.xlsx"
    web = tmp_path / "westbury_web.xlsx"
    assert CliRunner().invoke(main, ["excel", "convert", str(book), "-o", str(web),
                                     "--to", "web"]).exit_code == 0  # fmt: skip
    assert stale_cells(web) == []  # every _xldudf_ formula evaluates to its cached value
    assert compute_book(read_return(web)).result == compute_book(read_return(book)).result
    found = [(f.rule, f.sheet, f.cell, f.message) for f in check_file(web, READER).findings]
    assert found == [(f.rule, f.sheet, f.cell, f.message)
                     for f in check_file(book, READER).findings]  # fmt: skip


def test_refusals_are_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    book = ROOT / "workbooks" / "lpsa_return.xlsx"
    same = runner.invoke(main, ["excel", "convert", str(book), "-o", str(book), "--to", "web"])
    assert same.exit_code == 1 and "the output is the input" in same.output
    ext = runner.invoke(main, ["excel", "convert", str(book), "-o", str(tmp_path / "x.xlsm"),
                               "--to", "web"])  # fmt: skip
    assert ext.exit_code == 1 and "keep the extension" in ext.output
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip at all")
    out = runner.invoke(main, ["excel", "convert", str(bad), "-o", str(tmp_path / "o.xlsx"),
                               "--to", "web"])  # fmt: skip
    assert out.exit_code == 1 and "bad.xlsx" in out.output and "Traceback" not in out.output
    assert not (tmp_path / "o.xlsx").exists()
