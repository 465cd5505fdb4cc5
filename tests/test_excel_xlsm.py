"""The add-in workbook lpsa_return.xlsm: built by script, macro-enabled, carries the xlwings
configuration and the buttons, and opens in LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from lpsa_xl.excel import xlsm
from lpsa_xl.functions.registry import FUNCTIONS

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "workbooks" / "lpsa_return.xlsm"
SCRIPT = ROOT / "workbooks" / "build_lpsa_return_xlsm.py"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("xlsm") / "lpsa_return.xlsm"
    subprocess.run(
        [sys.executable, str(SCRIPT), "-o", str(out)],  # from workbooks/lpsa_return.xlsx
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return out


@pytest.mark.parametrize("which", ["built", "committed"])
def test_workbook_is_macro_enabled_and_carries_the_xlwings_configuration(
    which: str, built: Path
) -> None:
    path = built if which == "built" else COMMITTED
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        types = z.read("[Content_Types].xml").decode()
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
        with zipfile.ZipFile(xlsm.standalone_vba()) as quickstart:
            assert z.read("xl/vbaProject.bin") == quickstart.read("xl/vbaProject.bin")
        drawing = z.read("xl/drawings/lpsa_buttons.xml").decode()
    for label, macro, _row in xlsm.BUTTONS:
        assert f'macro="[0]!{macro}"' in drawing and f"<a:t>{label}</a:t>" in drawing
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert wb.sheetnames[0] == "Start"
    assert {"Agreement", "Targets", "Claim", "xlwings.conf"} <= set(wb.sheetnames)
    assert wb.code_name == "ThisWorkbook"  # bound to the VBA project's document modules
    assert wb["Start"].sheet_properties.codeName == "Sheet1"
    assert wb["xlwings.conf"].sheet_properties.codeName == "Sheet2"
    names = [ws.sheet_properties.codeName for ws in wb.worksheets]
    assert all(names) and len(set(names)) == len(names)  # every sheet has its own code name
    conf = wb["xlwings.conf"]
    assert (conf["A1"].value, conf["B1"].value) == ("UDF Modules", "lpsa_xl.excel.udfs")
    listed = [c.value for c in wb["Start"]["A"] if c.value]
    assert all(any(str(v).startswith(f"{n}(") for v in listed) for n in FUNCTIONS)


def test_the_template_is_only_read(tmp_path: Path, built: Path) -> None:
    template = tmp_path / "t.xlsx"
    shutil.copy(ROOT / "workbooks" / "lpsa_return.xlsx", template)
    before = template.read_bytes()
    xlsm.build_xlsm(template, tmp_path / "out.xlsm")
    assert template.read_bytes() == before
    missing = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "none.xlsx")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert missing.returncode == 2 and "no such template" in missing.stderr


@pytest.mark.libreoffice
def test_opens_without_repair_in_libreoffice(built: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice (LibreOffice) is not on PATH: cannot check the workbook opens")
    for fmt in ("pdf", "xlsx"):
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{tmp_path}/lo",
                "--convert-to",
                fmt,
                "--outdir",
                str(tmp_path),
                str(built),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    pdf = (tmp_path / "lpsa_return.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    with zipfile.ZipFile(tmp_path / "lpsa_return.xlsx") as z:
        drawings = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/drawings/draw")]
    assert any(all(f"<a:t>{label}</a:t>" in d for label, _, _ in xlsm.BUTTONS) for d in drawings)
    wb = openpyxl.load_workbook(tmp_path / "lpsa_return.xlsx")
    assert wb["xlwings.conf"]["B1"].value == "lpsa_xl.excel.udfs"


def test_a_rebuild_gives_the_committed_bytes(built: Path) -> None:
    """Building from the committed template gives the committed workbook byte for byte, so a
    rebuild when nothing changed leaves git clean."""
    assert built.read_bytes() == COMMITTED.read_bytes(), (
        "workbooks/lpsa_return.xlsm is stale: run python workbooks/build_lpsa_return_xlsm.py"
    )
