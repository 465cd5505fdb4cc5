"""The quick read of the template layout (lpsa_xl/files/fastread.py) gives exactly the book
openpyxl's full load gives, and hands anything it does not handle back to openpyxl."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from lpsa_xl.returns import read as R
from lpsa_xl.returns.templates import build_return, example_data
from tests.check_returns import good_return


def _slow(path: Path) -> object:
    wb = R.open_workbook(path, data_only=True, read_only=False)
    assert R._is_template(wb)
    return R._read_template(path, wb)


@pytest.mark.parametrize(
    "name", ["northshire_lpsa1.json", "westbury_lpsa2.json", "eastmoor_laa2006.json"]
)
def test_quick_read_equals_openpyxl(tmp_path: Path, name: str) -> None:
    path = good_return(tmp_path / "r.xlsx", example_data(name))
    quick = R._read_quickly(path, R.load_synonyms)
    assert quick is not None and quick.targets
    assert quick == _slow(path) == R.read_return(path)


def test_saved_by_openpyxl_shared_strings_dates_booleans_errors(tmp_path: Path) -> None:
    """A return re-saved by openpyxl (shared strings) with a date, a boolean, an error and a
    percentage typed in: values and number formats as openpyxl reads them."""
    path = build_return(tmp_path / "r.xlsx", example_data("northshire_lpsa1.json"))
    wb = openpyxl.load_workbook(path)
    ws = wb["Targets"]
    ws["M5"] = "#DIV/0!"
    ws["M5"].data_type = "e"
    ws["M6"] = True
    ws["C7"] = "Health & <care>"
    wb["Agreement"]["B9"] = dt.datetime(2003, 4, 1)
    wb["Agreement"]["B9"].number_format = "dd/mm/yyyy"
    ws["N8"] = 0.9
    ws["N8"].number_format = "0%"
    wb.save(path)
    _to_shared_strings(path)
    quick = R._read_quickly(path, R.load_synonyms)
    assert quick == _slow(path)
    assert quick is not None
    row = {t.value("ref"): t for t in quick.targets}
    assert row["1"].value("actual") == "#DIV/0!" and row["2"].value("actual") is True
    assert row["3"].value("theme") == "Health & <care>"
    assert row["3a"].fields["weight"].number_format == "0%"
    assert quick.agreement["period_start"].value == dt.datetime(2003, 4, 1)


def _to_shared_strings(path: Path) -> None:
    """Store text as Excel does: in the shared strings part (openpyxl writes inline strings)."""
    strings: list[bytes] = []

    def shared(m: re.Match[bytes]) -> bytes:
        strings.append(m[3])
        return m[1] + b' t="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

    tmp = path.with_name("shared.xlsx")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                inline = (
                    rb'(<c r="[A-Z]+\d+"( s="\d+")?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>'
                )
                data = re.sub(inline, shared, data)
            elif item.filename == "xl/_rels/workbook.xml.rels":
                rel = (
                    b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdS"/>'
                )
                data = data.replace(b"</Relationships>", rel + b"</Relationships>")
            elif item.filename == "[Content_Types].xml":
                kind = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings"
                over = b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + kind
                data = data.replace(b"</Types>", over + b'+xml"/></Types>')
            zout.writestr(item, data)
        sst = b"".join(b"<si><t>" + t + b"</t></si>" for t in strings)
        zout.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + sst
            + b"</sst>",
        )
    assert strings
    tmp.replace(path)


def test_what_the_quick_read_cannot_handle_goes_to_openpyxl(tmp_path: Path) -> None:
    path = good_return(tmp_path / "r.xlsx", example_data("northshire_lpsa1.json"))
    odd = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(odd, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":  # an ISO date cell (t="d")
                data = re.sub(rb'<c r="H5"[^>]*?(/>|>.*?</c>)',
                              b'<c r="H5" t="d"><v>2001-03-31T00:00:00</v></c>', data)  # fmt: skip
            zout.writestr(item, data)
    assert R._read_quickly(odd, R.load_synonyms) is None
    book = R.read_return(odd)
    assert book.targets[0].fields["baseline_year"].value == dt.datetime(2001, 3, 31)


@pytest.mark.libreoffice
def test_a_return_saved_by_libreoffice(tmp_path: Path) -> None:
    """Another application's file (shared strings, its own styles and relationships): the
    quick read still takes it, and gives openpyxl's book."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not on PATH: cannot save a return with it")
    path = good_return(tmp_path / "in" / "westbury.xlsx", example_data("westbury_lpsa2.json"))
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    convert = ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path)]
    cmd = [exe, profile, "--headless", *convert, str(path)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    saved = tmp_path / "westbury.xlsx"
    with zipfile.ZipFile(saved) as z:
        assert "xl/sharedStrings.xml" in z.namelist()
    quick = R._read_quickly(saved, R.load_synonyms)
    assert quick is not None and quick == _slow(saved)
    assert len(quick.pump_priming) == 4 and quick.targets[0].claimed["reward"].value
