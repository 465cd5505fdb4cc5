"""Validate in Excel against the agreements register, on a real SQLite file and a real
PostgreSQL server: the register named by the book's xlwings.conf sheet (desktop) or by the
server's LPSA_XL_REGISTER (xlwings Server) gives the findings ``lpsa-xl check --register``
gives for the same return saved as a file."""

from __future__ import annotations

import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwings as xw
from click.testing import CliRunner

from lpsa_xl.cli import main
from lpsa_xl.excel import macros
from lpsa_xl.excel.settings import REGISTER_KEY, register_url
from lpsa_xl.store import open_store, register
from lpsa_xl.store.sources import read_agreements
from tests.excel_book import _sheet, book_json_from_xlsx, run

EXAMPLES = Path(__file__).resolve().parents[2] / "workbooks" / "examples"
NORTHSHIRE = EXAMPLES / "northshire_lpsa1.xlsx"
REGISTER_RULES = ("LPSA025", "LPSA026", "LPSA027", "LPSA028", "LPSA029")


def _moved_target(tmp_path: Path) -> tuple[Path, str]:
    """Northshire's return with target 1 moved from the agreed 40.2 to 40.18: the file and
    the cell."""
    wb = openpyxl.load_workbook(NORTHSHIRE, data_only=True)
    ws = wb["Targets"]
    header = [c.value for c in ws[4]]
    column = openpyxl.utils.get_column_letter(header.index("Target") + 1)
    ws[f"{column}5"] = 40.18
    path = tmp_path / "northshire.xlsx"
    wb.save(path)
    return path, f"{column}5"


def _with_conf(payload: dict[str, Any], rows: list[list[object]]) -> dict[str, Any]:
    payload["sheets"].append(_sheet("xlwings.conf", rows))
    return payload


def _register(url: str) -> None:
    with open_store(url) as store:
        register.add(store, read_agreements(NORTHSHIRE))


def _register_findings(problems: list[Any]) -> list[tuple[str, str | None, str | None, str]]:
    return [(p.rule, p.sheet, p.cell, p.message) for p in problems if p.rule in REGISTER_RULES]


@pytest.fixture(autouse=True)
def _no_register_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REGISTER_KEY, raising=False)


def test_validate_with_the_conf_sheet_gives_what_check_register_gives(
    store_url: str, tmp_path: Path
) -> None:
    _register(store_url)
    path, cell = _moved_target(tmp_path)
    payload = _with_conf(book_json_from_xlsx(path), [["Interpreter_Win", "python"],
                                                      [REGISTER_KEY, store_url]])  # fmt: skip
    book = xw.Book(json=payload)
    try:
        assert register_url(book, server=False) == store_url
        assert register_url(book, server=True) is None  # a sent book does not choose
    finally:
        book.close()
    problems, actions = run(lambda b: macros.validate(b, register_url(b, server=False)), payload)
    found = _register_findings(problems)
    assert [(rule, sheet, at) for rule, sheet, at, _m in found] == [("LPSA025", "Targets", cell)]
    assert "is 40.18 but the agreement (version 1" in found[0][3] and "says 40.2" in found[0][3]
    written = next(a for a in actions if a["func"] == "setValues")["values"]
    assert ["error", "Targets", cell, "LPSA025"] in [row[:4] for row in written]
    # the same return as a file, through lpsa-xl check --register
    out = CliRunner().invoke(main, ["check", str(path), "--json", "--no-recalc",
                                    f"--register={store_url}"]).output  # fmt: skip
    [checked] = json.loads(out)["files"]
    assert [
        (f["rule"], f["sheet"], f["cell"], f["message"])
        for f in checked["findings"]
        if f["rule"] in REGISTER_RULES
    ] == found


def test_without_a_register_validate_is_unchanged(tmp_path: Path) -> None:
    path, _cell = _moved_target(tmp_path)
    payload = book_json_from_xlsx(path)
    book = xw.Book(json=payload)
    try:
        assert register_url(book, server=False) is None
    finally:
        book.close()
    problems, _actions = run(macros.validate, payload)
    assert _register_findings(problems) == []


def test_the_server_takes_its_register_from_its_environment_only(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over real HTTP (uvicorn): with LPSA_XL_REGISTER set on the server, Validate writes the
    register's finding; a book naming a register in its own xlwings.conf sheet does not make
    the server open it."""
    import httpx
    from live_server import live_server

    _register(store_url)
    path, cell = _moved_target(tmp_path)
    sent = _with_conf(book_json_from_xlsx(path), [[REGISTER_KEY, store_url]])

    def findings_written() -> list[list[object]]:
        with live_server() as base, httpx.Client(base_url=base, timeout=60) as http:
            r = http.post("/xlwings/custom-scripts-call/validate", json=sent)
        assert r.status_code == 200, r.text
        actions = r.json()["actions"]
        written = next(a for a in actions if a["func"] == "setValues")["values"]
        return [row[:4] for row in written if row[3] in REGISTER_RULES]

    assert findings_written() == []  # the book's own conf sheet is not followed
    monkeypatch.setenv(REGISTER_KEY, store_url)
    assert findings_written() == [["error", "Targets", cell, "LPSA025"]]


def test_an_unreachable_register_is_a_warning_and_the_return_is_still_checked(
    tmp_path: Path,
) -> None:
    path, _cell = _moved_target(tmp_path)
    url = "postgresql://nobody@/none?host=/nonexistent-folder&port=1"
    payload = _with_conf(book_json_from_xlsx(path), [[REGISTER_KEY, url]])
    problems, _actions = run(lambda b: macros.validate(b, register_url(b, server=False)), payload)
    [(rule, _s, _c, message)] = _register_findings(problems)
    assert rule == "LPSA029" and message.startswith("checked without the register: ")
    assert "\n" not in message
    assert [p for p in problems if p.rule != "LPSA029"] == run(macros.validate, payload)[0]
