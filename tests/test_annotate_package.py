"""Annotated copies that lose nothing: every template return, chart and VBA included, gets its
findings as comments, highlights and a Findings sheet by patching the package, every other part
byte for byte; openpyxl and LibreOffice open each copy and see the notes."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.comments import Comment

from lpsa_xl.check.annotate import FILLS, FINDINGS_SHEET, annotate
from lpsa_xl.check.findings import FileResult, Finding
from lpsa_xl.cli import main

ROOT = Path(__file__).resolve().parents[1]
BOOKS = sorted((ROOT / "workbooks").glob("*.xls[xm]")) + sorted(
    (ROOT / "workbooks" / "examples").glob("*.xlsx")
)
#: The parts an annotation may change; every other original part is copied byte for byte.
MAY_CHANGE = re.compile(
    r"xl/worksheets/sheet\d+\.xml|xl/worksheets/_rels/sheet\d+\.xml\.rels|xl/styles\.xml"
    r"|xl/workbook\.xml|xl/_rels/workbook\.xml\.rels|\[Content_Types\]\.xml"
)


def _stale(src: Path, dst: Path) -> None:
    """A copy with Targets!M5 typed over, nothing recalculated: findings at many cells."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = re.sub(rb'(<c r="M5"[^>]*><v>)[^<]*(</v>)', rb"\g<1>40.19\g<2>", data)
            zout.writestr(item, data)


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("in")
    for book in BOOKS:
        shutil.copy(book, folder / book.name)
    _stale(ROOT / "workbooks" / "examples" / "northshire_lpsa1.xlsx", folder / "stale.xlsx")
    out = tmp_path_factory.mktemp("out") / "new" / "annotated"  # created by --annotate
    result = CliRunner().invoke(main, ["check", "-j", "1", "--json", str(folder),
                                       "--annotate", str(out)])  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    assert "LPSA103" not in result.stdout  # every copy written, no --force needed
    return folder, out


def test_every_original_part_survives(annotated: tuple[Path, Path]) -> None:
    folder, out = annotated
    kept: set[str] = set()
    for original in sorted(folder.iterdir()):
        copy = out / original.name
        with zipfile.ZipFile(original) as a, zipfile.ZipFile(copy) as b:
            assert set(a.namelist()) <= set(b.namelist())
            for name in a.namelist():
                if not MAY_CHANGE.fullmatch(name):
                    assert a.read(name) == b.read(name), (original.name, name)
            kept.update(n.rsplit("/", 1)[-1] for n in a.namelist())
            assert b.testzip() is None
    assert {"chart1.xml", "vbaProject.bin", "drawing1.xml", "table2.xml"} <= kept


def test_findings_are_comments_highlights_and_a_sheet(annotated: tuple[Path, Path]) -> None:
    _, out = annotated
    wb = openpyxl.load_workbook(out / "stale.xlsx")
    findings = list(wb[FINDINGS_SHEET].iter_rows(min_row=2, values_only=True))
    assert findings and findings[0][0] == "error"
    severities = [row[0] for row in findings]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    for _severity, _rule, sheet, cell, message in findings:
        if not cell:
            continue
        target = wb[sheet][cell]
        assert target.comment is not None and message in target.comment.text
        assert target.fill.fgColor.rgb in {f"FF{rgb}" for rgb in FILLS.values()}
    links = wb[FINDINGS_SHEET]._hyperlinks or [
        c.hyperlink for row in wb[FINDINGS_SHEET].iter_rows() for c in row if c.hyperlink
    ]
    assert links


def test_a_cells_own_comment_and_format_are_kept(tmp_path: Path) -> None:
    book = tmp_path / "own.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Targets"
    ws["B2"] = 1234.5
    ws["B2"].number_format = "£#,##0.00"
    ws["B2"].comment = Comment("typed by the council", "Finance")
    wb.save(book)
    found = [
        Finding("error", "LPSA007", "the claimed reward differs", "Targets", "B2"),
        Finding("warning", "LPSA014", "spend above budget", "Targets", "D7"),  # no such cell
        Finding("warning", "LPSA014", "beyond the last row", "Targets", "Z40"),
    ]
    target = tmp_path / "out.xlsx"
    assert annotate(FileResult(book, findings=found), target) == target
    wb = openpyxl.load_workbook(target)
    ws = wb["Targets"]
    assert "typed by the council" in ws["B2"].comment.text
    assert "the claimed reward differs" in ws["B2"].comment.text
    assert ws["B2"].number_format == "£#,##0.00" and ws["B2"].value == 1234.5
    assert ws["B2"].fill.fgColor.rgb == "FF" + FILLS["error"]
    assert ws["D7"].fill.fgColor.rgb == "FF" + FILLS["warning"]
    assert "beyond the last row" in ws["Z40"].comment.text


@pytest.mark.libreoffice
def test_libreoffice_opens_every_copy_and_reads_the_notes(
    annotated: tuple[Path, Path], tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice (LibreOffice) is not on PATH")
    _, out = annotated
    staged = tmp_path / "staged"  # one stem each: LibreOffice names its output by the stem
    staged.mkdir()
    for copy in out.iterdir():
        shutil.copy(copy, staged / f"{copy.stem}_{copy.suffix[1:]}{copy.suffix}")
    copies = sorted(staged.iterdir())
    converted = tmp_path / "lo"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "xlsx", "--outdir", str(converted), *map(str, copies)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for copy in copies:
        resaved = converted / (copy.stem + ".xlsx")
        assert resaved.exists(), copy.name
        wb = openpyxl.load_workbook(resaved)
        assert FINDINGS_SHEET in wb.sheetnames
        mine = openpyxl.load_workbook(copy)
        noted = {(ws.title, c.coordinate) for ws in mine.worksheets for row in ws.iter_rows()
                 for c in row if c.comment}  # fmt: skip
        read = {(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows()
                for c in row if c.comment}  # fmt: skip
        assert noted <= read, copy.name
        with zipfile.ZipFile(copy) as z, zipfile.ZipFile(resaved) as r:
            if any("charts/chart" in n for n in z.namelist()):
                assert any("charts/chart" in n for n in r.namelist()), copy.name
