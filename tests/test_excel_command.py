"""``lpsa-xl excel``: functions, build-xlsm and serve from the command line."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from lpsa_xl.cli import main
from lpsa_xl.functions.registry import FUNCTIONS

ROOT = Path(__file__).resolve().parents[1]


def test_functions_lists_every_function_with_help() -> None:
    out = CliRunner().invoke(main, ["excel", "functions"])
    assert out.exit_code == 0
    assert all(f"{n}(" in out.output and f.doc in out.output for n, f in FUNCTIONS.items())


def test_build_xlsm_from_a_template_and_its_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    template = tmp_path / "t.xlsx"
    wb = openpyxl.load_workbook(ROOT / "workbooks" / "lpsa_return.xlsm")
    del wb["Start"], wb["xlwings.conf"]  # back to the return template it was built from
    wb.save(template)
    out = runner.invoke(main, ["excel", "build-xlsm", str(template), str(tmp_path / "o.xlsm")])
    assert out.exit_code == 0 and (tmp_path / "o.xlsm").is_file()
    bad = runner.invoke(
        main, ["excel", "build-xlsm", str(ROOT / "README.md"), str(tmp_path / "b.xlsm")]
    )
    assert bad.exit_code == 1 and "README.md: not an Excel workbook" in bad.output
    assert "Traceback" not in bad.output and not (tmp_path / "b.xlsm").exists()
    again = runner.invoke(
        main, ["excel", "build-xlsm", str(tmp_path / "o.xlsm"), str(tmp_path / "c.xlsm")]
    )
    assert again.exit_code == 1 and "sheet Start: already has a sheet" in again.output
    suffix = runner.invoke(main, ["excel", "build-xlsm", str(template), str(tmp_path / "o.xlsx")])
    assert suffix.exit_code == 2 and ".xlsm" in suffix.output


def test_serve_needs_a_licence_key(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("XLWINGS_LICENSE_KEY", raising=False)
    out = CliRunner().invoke(main, ["excel", "serve"])
    assert out.exit_code == 1 and "XLWINGS_LICENSE_KEY" in out.output


def test_serve_refuses_a_bad_deployment_setting_in_one_line(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    monkeypatch.setenv("LPSA_ADDIN_ID", "not-a-guid")
    out = CliRunner().invoke(main, ["excel", "serve", "--port", "0"])
    assert out.exit_code == 1 and "LPSA_ADDIN_ID='not-a-guid' is not a GUID" in out.output
    assert "Traceback" not in out.output
