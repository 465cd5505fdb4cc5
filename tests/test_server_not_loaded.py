"""Every task-pane button on a return whose LPSA functions are not loaded (each LPSA cell shows
``#NAME?``: the desktop edition opened on the web, or the add-in not started), over real HTTP
(uvicorn): the answer writes the one finding that says how to load them, and never only asks
Excel to recalculate cells that cannot compute."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from excel_book import book_json_from_xlsx
from live_server import live_server

from lpsa_xl.excel.deploy import Settings
from tests.test_validate_parity import _all_lpsa_cells_show_name_error

ROOT = Path(__file__).resolve().parents[1]
NORTH = ROOT / "workbooks" / "examples" / "northshire_lpsa1.xlsx"


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with live_server(Settings()) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client


def _findings(actions: list[dict]) -> list[list[object]]:
    [written] = [a["values"] for a in actions if a["func"] == "setValues"]
    return written[1:]


@pytest.mark.parametrize("script", ["calculate", "build_claim", "validate"])
@pytest.mark.parametrize("web", [False, True])
def test_every_button_says_the_functions_are_not_loaded(
    http: httpx.Client, script: str, web: bool
) -> None:
    payload = _all_lpsa_cells_show_name_error(book_json_from_xlsx(NORTH), web)
    r = http.post(f"/xlwings/custom-scripts-call/{script}", json=payload)
    assert r.status_code == 200, r.text
    actions = r.json()["actions"]
    assert "calculate" not in [a["func"] for a in actions], actions
    [[severity, sheet, cell, rule, message]] = _findings(actions)
    assert (severity, rule) == ("error", "LPSA105")
    assert (sheet, cell) == ("Agreement", "B13")
    assert "not loaded" in message and "Import functions" in message


@pytest.mark.parametrize("script", ["calculate", "build_claim"])
def test_a_book_whose_functions_work_is_recalculated_as_before(
    http: httpx.Client, script: str
) -> None:
    r = http.post(f"/xlwings/custom-scripts-call/{script}", json=book_json_from_xlsx(NORTH))
    assert r.status_code == 200, r.text
    funcs = [a["func"] for a in r.json()["actions"]]
    assert "calculate" in funcs and "addSheet" not in funcs, funcs
