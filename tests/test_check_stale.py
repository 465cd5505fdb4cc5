"""LPSA016 with the real headless evaluator: a return whose cached values no longer follow from
its inputs (an input changed without recalculating) is caught at the stale cells."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile

from click.testing import CliRunner

from lpsa_xl.cli import main
from lpsa_xl.demo import recalculated_example


def _edit_cached_input(src, dst, cell: str, old: str, new: str) -> None:
    """Change an input cell's value in the sheet XML, leaving every formula's cache as it was."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                text = data.decode()
                pattern = rf'(<c r="{cell}"[^>]*><v>){re.escape(old)}(</v>)'
                text, n = re.subn(pattern, rf"\g<1>{new}\g<2>", text)
                assert n == 1
                data = text.encode()
            zout.writestr(item, data)


def test_stale_cached_values_are_found_by_recalculation(tmp_path):
    good, _ = recalculated_example("northshire_lpsa1.xlsx", tmp_path)
    stale = tmp_path / "stale.xlsx"
    _edit_cached_input(good, stale, "M5", "40.16", "40.19")  # target 1's actual
    before = hashlib.sha256(stale.read_bytes()).hexdigest()
    result = CliRunner().invoke(main, ["check", "--json", str(good), str(stale)])
    assert result.exit_code == 1, result.output
    files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(result.stdout)["files"]}
    assert files["northshire_lpsa1.xlsx"]["status"] == "ok"
    stale_cells = {
        (f["sheet"], f["cell"]) for f in files["stale.xlsx"]["findings"] if f["rule"] == "LPSA016"
    }
    assert {
        ("Targets", "T5"),
        ("Targets", "V5"),
        ("Agreement", "B15"),
        ("Claim", "C7"),
    } <= stale_cells
    assert hashlib.sha256(stale.read_bytes()).hexdigest() == before


def test_stale_message_shows_values_as_a_person_reads_them(tmp_path):
    """Numbers as Excel shows them, and an error value with its reason, never a Python repr."""
    good, _ = recalculated_example("northshire_lpsa1.xlsx", tmp_path)
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(stale, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":  # target 1's actual typed as text
                text, n = re.subn(
                    r'<c r="M5"( s="\d+")?[^>]*>.*?</c>',
                    r'<c r="M5"\1 t="inlineStr"><is><t>n/a</t></is></c>',
                    data.decode(),
                )
                assert n == 1
                data = text.encode()
            zout.writestr(item, data)
    result = CliRunner().invoke(main, ["check", "--json", str(stale)])
    findings = json.loads(result.stdout)["files"][0]["findings"]
    by_cell = {f["cell"]: f["message"] for f in findings if f["rule"] == "LPSA016"}
    assert "ExcelError" not in " ".join(by_cell.values())
    message = by_cell["B15"]
    assert re.fullmatch(
        r"the cached value \d+(\.\d+)? is stale: recalculated, the formula gives #VALUE! "
        r"\(LPSA_REWARD: actual: .*'n/a'.*\)",
        message,
    ), message
