"""``lpsa-xl recalc``: cached values written, everything else byte-for-byte, input untouched,
atomic output, --check, --in-place, refusal on unknown functions and circular references."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from formula_util import book
from test_formula_workbook import rewrite_member

from lpsa_xl.cli import main

CELLS = {"A1": 40.1, "A2": 40.2, "A3": 40.16, "B1": "=ROUND((A3-A1)/(A2-A1),4)",
         "B2": '=IF(B1>=0.6,"paid","not paid")', "B3": "=B1>0.5", "B4": "=1/0",
         "B5": '="<&>"&A1'}  # fmt: skip


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["recalc", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = book(tmp_path / "in.xlsx", {"Sheet": CELLS})
    # a member openpyxl would not keep, to show it survives byte for byte
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/media/image1.png", b"\x89PNG\r\n\x1a\nnot really a picture")
    return path


def test_output_carries_cached_values_and_keeps_everything_else(
    source: Path, tmp_path: Path
) -> None:
    before = sha(source)
    out = tmp_path / "out.xlsx"
    code, stdout, _ = run(str(source), "-o", str(out))
    assert code == 0, stdout
    assert sha(source) == before  # the input is never modified
    ws = openpyxl.load_workbook(out, data_only=True)["Sheet"]
    assert ws["B1"].value == 0.6
    assert ws["B2"].value == "paid"
    assert ws["B3"].value is True
    assert ws["B4"].value == "#DIV/0!"
    assert ws["B5"].value == "<&>40.1"
    formulas = openpyxl.load_workbook(out)["Sheet"]
    assert formulas["B1"].value == "=ROUND((A3-A1)/(A2-A1),4)"  # formulas kept
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out) as zout:
        assert [i.filename for i in zin.infolist()] == [i.filename for i in zout.infolist()]
        changed = {n for n in zin.namelist() if zin.read(n) != zout.read(n)}
        assert changed == {"xl/worksheets/sheet1.xml", "xl/workbook.xml"}
        assert 'fullCalcOnLoad="1"' in zout.read("xl/workbook.xml").decode()
        sheet = zout.read("xl/worksheets/sheet1.xml").decode()
    assert re.search(r'<c r="B4"[^>]*t="e"[^>]*><f>1/0</f><v>#DIV/0!</v></c>', sheet)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temp file left


def test_check_lists_every_differing_cell(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    assert run(str(source), "-o", str(out))[0] == 0
    code, stdout, stderr = run(str(out), "--check")
    assert code == 0 and stdout == ""
    assert "0 of 5 formula cells differ" in stderr
    rewrite_member(
        out,
        "xl/worksheets/sheet1.xml",
        lambda x: x.replace("<v>0.6</v>", "<v>0.7</v>").replace("<v>paid</v>", "<v>Paid</v>"),
    )
    code, stdout, _ = run(str(out), "--check")
    assert code == 1
    assert stdout.splitlines() == ["Sheet\tB1\tcached 0.7\tcomputed 0.6",
                                   "Sheet\tB2\tcached 'Paid'\tcomputed 'paid'"]  # fmt: skip


def test_check_tolerates_float_noise_only(tmp_path: Path) -> None:
    path = book(tmp_path / "n.xlsx", {"S": {"A1": 0.1, "B1": "=A1*3", "B2": "=A1*3"}})
    rewrite_member(path, "xl/worksheets/sheet1.xml",
                   lambda x: x.replace("<f>A1*3</f><v />", "<f>A1*3</f><v>0.3</v>", 1)
                   .replace("<f>A1*3</f><v />", "<f>A1*3</f><v>0.3000001</v>"))  # fmt: skip
    code, stdout, _ = run(str(path), "--check")
    assert code == 1 and stdout.splitlines() == [
        "S\tB2\tcached 0.3000001\tcomputed 0.30000000000000004"
    ]


def test_unknown_functions_and_cycles_refuse_naming_cells(tmp_path: Path) -> None:
    path = book(tmp_path / "u.xlsx", {"Data": {"A1": "=FOO(1)", "A2": "=A3", "A3": "=A2"}})
    out = tmp_path / "out.xlsx"
    code, _, stderr = run(str(path), "-o", str(out))
    assert code == 2 and not out.exists()
    assert "u.xlsx" in stderr
    assert "unknown function or name FOO in Data!A1" in stderr
    assert "circular reference: Data!A2, Data!A3" in stderr
    assert "Traceback" not in stderr
    code, _, stderr = run(str(path), "-o", str(out), "--force")
    assert code == 0 and out.exists()
    ws = openpyxl.load_workbook(out, data_only=True)["Data"]
    assert ws["A1"].value == "#NAME?"


def test_in_place_keeps_a_backup(source: Path) -> None:
    original = source.read_bytes()
    code, _, stderr = run(str(source), "--in-place")
    assert code == 0, stderr
    backup = source.with_name("in.bak.xlsx")
    assert backup.read_bytes() == original
    assert openpyxl.load_workbook(source, data_only=True)["Sheet"]["B1"].value == 0.6
    run(str(source), "--in-place")
    assert source.with_name("in.bak2.xlsx").exists()  # an earlier backup is never overwritten


def test_refuses_unsafe_or_ambiguous_requests(source: Path, tmp_path: Path) -> None:
    assert run(str(source))[0] == 2  # no mode
    code, _, stderr = run(str(source), "-o", str(source))
    assert code == 2 and "--in-place" in stderr
    code, _, stderr = run(str(source), "-o", str(tmp_path / "x.xlsm"))
    assert code == 2 and "extension" in stderr
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    code, _, stderr = run(str(bad), "-o", str(tmp_path / "o.xlsx"))
    assert code == 2 and "bad.xlsx" in stderr and "not an Excel" in stderr


def test_macro_workbook_keeps_its_vba_project(tmp_path: Path) -> None:
    path = book(tmp_path / "m.xlsm", {"S": {"A1": 2, "B1": "=A1^10"}})
    vba = bytes(range(256)) * 8
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/vbaProject.bin", vba)
    out = tmp_path / "out.xlsm"
    assert run(str(path), "-o", str(out))[0] == 0
    with zipfile.ZipFile(out) as z:
        assert z.read("xl/vbaProject.bin") == vba
    assert openpyxl.load_workbook(out, data_only=True)["S"]["B1"].value == 1024


def test_a_failed_write_leaves_the_target_as_it_was(
    source: Path, tmp_path: Path, monkeypatch
) -> None:
    from lpsa_xl.formula import writer

    out = tmp_path / "out.xlsx"
    out.write_bytes(b"previous contents")

    class Boom(zipfile.ZipFile):
        def writestr(self, *args, **kwargs):  # type: ignore[override]
            raise OSError("disk full")

    monkeypatch.setattr(writer.zipfile, "ZipFile", Boom)
    with pytest.raises(OSError):
        writer.write_atomic(source, out, {})
    assert out.read_bytes() == b"previous contents"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.xlsx")] == []


def test_prefixed_sheet_xml_is_read_and_patched(tmp_path: Path) -> None:
    """Some producers (the Open XML SDK) write ``<x:c>`` with a namespace prefix."""
    path = book(tmp_path / "x.xlsx", {"S": {"A1": 4, "B1": "=A1*2", "B2": '="n"&A1'}})

    def prefix(xml: str) -> str:
        xml = re.sub(r"<(/?)(?!\?)(\w+)", r"<\1x:\2", xml)
        return xml.replace("<x:worksheet xmlns=", "<x:worksheet xmlns:x=")

    rewrite_member(path, "xl/worksheets/sheet1.xml", prefix)
    out = tmp_path / "out.xlsx"
    assert run(str(path), "-o", str(out))[0] == 0
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert '<x:c r="B1"><x:f>A1*2</x:f><x:v>8</x:v></x:c>' in sheet
    assert '<x:c r="B2" t="str"><x:f>"n"&amp;A1</x:f><x:v>n4</x:v></x:c>' in sheet
    code, _, stderr = run(str(out), "--check")
    assert code == 0, stderr
