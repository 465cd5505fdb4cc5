"""The report workbook as a returns-team lead opens it: Summary first, each sheet an Excel Table
with a filter, a frozen header, widths that show every £ figure, colours by conditional
formatting, links from a return to its findings, landscape one page wide; and LibreOffice opens
and prints it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from lpsa_xl.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("returns")
    for name in ("northshire_lpsa1.xlsx", "westbury_lpsa2.xlsx", "eastmoor_laa2006.xlsx"):
        shutil.copy(ROOT / "workbooks" / "examples" / name, folder / name)
    (folder / "damaged.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    out = tmp_path_factory.mktemp("out") / "report.xlsx"
    result = CliRunner().invoke(main, ["check", "-j", "1", str(folder), "--report", str(out)])
    assert result.exit_code == 2, result.output
    return out


def test_summary_first_one_row_per_return_unusable_with_reason(report: Path) -> None:
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames == ["Summary", "Findings", "Themes"]
    ws = wb["Summary"]
    head = [c.value for c in ws[1]]
    assert head[:6] == ["Authority", "File", "Status", "Errors", "Warnings", "Info"]
    rows = {r[0]: dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 4
    damaged = rows["damaged.xlsx"]
    assert damaged["Status"] == "unusable" and "zip" in damaged["Reason or note"]
    westbury = rows["Westbury Borough Council (fictional)"]
    assert westbury["Status"] == "warnings" and westbury["Potential £"] == 3_325_000


def test_each_sheet_is_a_table_frozen_fitted_and_prints_one_page_wide(report: Path) -> None:
    wb = openpyxl.load_workbook(report)
    for ws in wb.worksheets:
        (table,) = ws.tables.values()
        assert table.ref.startswith("A1:") and table.autoFilter is not None
        assert ws.freeze_panes == "A2"
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"
        for cell in ws[1]:  # every column has a width of its own
            assert ws.column_dimensions[cell.column_letter].width >= 6
    summary = wb["Summary"]
    money = [c for c in summary[1] if c.value.endswith("£")]
    for head in money:
        width = summary.column_dimensions[head.column_letter].width
        for (cell,) in summary.iter_rows(min_row=2, min_col=head.column, max_col=head.column):
            assert cell.number_format.startswith("£#,##0.00")
            if cell.value is not None:  # wide enough to show the figure, not ###
                assert width >= len(f"£{cell.value:,.2f}") + 1
    pct = next(c for c in summary[1] if c.value == "% of potential earned")
    assert summary.cell(2, pct.column).number_format == "0.00%"


def test_status_and_severity_are_coloured_and_returns_link_to_findings(report: Path) -> None:
    wb = openpyxl.load_workbook(report)
    summary, findings = wb["Summary"], wb["Findings"]
    for ws, words in ((summary, {"errors", "warnings", "ok", "unusable"}),
                      (findings, {"error", "warning", "info"})):  # fmt: skip
        rules = [r for cf in ws.conditional_formatting for r in cf.rules]
        colours = {r.formula[0].strip('"'): r.dxf.fill.fgColor.rgb for r in rules}
        assert words <= set(colours)
    assert colours["error"].endswith("FFC7CE")
    for (cell,) in summary.iter_rows(min_row=2, min_col=14, max_col=14):
        if cell.value == "none":
            continue
        sheet, _, where = cell.hyperlink.location.partition("!")
        assert sheet == "Findings"
        target = findings[where]
        name = summary.cell(cell.row, 1).value
        assert target.value == name  # the link lands on that return's first finding
    damaged = next(r for r in findings.iter_rows(min_row=2) if r[1].value == "damaged.xlsx")
    assert damaged[2].value == "error"


@pytest.mark.libreoffice
def test_libreoffice_prints_it_landscape(report: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice (LibreOffice) is not on PATH")
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(report)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = (tmp_path / "report.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    assert boxes and all(float(w) > float(h) for w, h in boxes)  # every page landscape
    # Summary, Findings and Themes each fit one page wide: a handful of pages in all
    assert len(boxes) <= 6
