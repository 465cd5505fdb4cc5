"""xlwings Server: the custom-function call path in-process and through FastAPI's test client,
the scripts run against a book sent as JSON."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

# xlwings Server is dual-licensed; the noncommercial key is for these tests only.
os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest

pytest.importorskip("fastapi", reason="the server extra (fastapi) is not installed")
import warnings

import xlwings as xw
from excel_book import book_json, target_rows

with warnings.catch_warnings():  # starlette's notice about its httpx-based client
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import lpsa_xl
from lpsa_xl.excel import server
from lpsa_xl.functions.registry import FUNCTIONS

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(server.app)


def call(client: TestClient, name: str, *args: object) -> object:
    r = client.post(server.CALL_PATH, json={"func_name": name, "args": list(args)})
    assert r.status_code == 200, r.text
    return r.json()["result"]


def test_in_process_call_path_gives_the_core_figures() -> None:
    result = asyncio.run(
        xw.server.custom_functions_call(
            server.call_data("LPSA_REWARD", [[[40.1]], [[40.2]], [[40.16]], [[275227]], None]),
            server.functions,
        )
    )
    assert result == [[float(lpsa_xl.reward(40.1, 40.2, 40.16, 275227))]] == [[165136.0]]


def test_endpoint_answers_reward_and_schedule(client: TestClient) -> None:
    assert call(client, "LPSA_REWARD", [[40.1]], [[40.2]], [[40.16]], [[275227]], None) == [
        [165136.0]
    ]
    assert call(client, "LPSA_STATUS", 100, 110, [[112]], [[""]]) == [["Green"]]
    table = [["Ref", "Expected", "Target", "Actual"], ["A", 1, 2, 1.8], ["B", 10, 5, ""]]
    rows = call(client, "LPSA_SCHEDULE", table, [[1000]], None)
    assert rows[1] == ["A", 500.0, 1.0, 0.8, 0.8, 400.0, "Amber", 1.6]
    assert rows[2][3:7] == ["", "", "", ""]  # no actual: blanks, not errors


def test_bad_input_gives_real_error_values_with_reasons(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="lpsa_xl.reasons"):
        [[err]] = call(client, "LPSA_REWARD", [[1]], [[1]], [[1]], [[100]], None)
    assert err["type"] == "Error" and err["errorType"] == "Div0" and err["basicValue"] == "#DIV/0!"
    # Excel cannot show a message with #DIV/0!: the reason is kept in the server's log
    assert "message" not in err
    assert any("no stretch" in r.getMessage() for r in caplog.records)
    [[err]] = call(client, "LPSA_REWARD", [[""]], [[2]], [[3]], [[4]], None)
    assert err["errorType"] == "Value" and "expected" in err["message"]
    assert err["message"].startswith("LPSA.REWARD: ")  # the name as typed on the web
    [[err]] = call(client, "LPSA_PAYABLE", 1, 2, 3, [["LPSA9"]])
    assert err["errorType"] == "NotAvailable"
    # an error cell from Excel passes through as that error
    div0 = {"type": "Error", "basicValue": "#DIV/0!", "errorType": "Div0"}
    [[err]] = call(client, "LPSA_STRETCH", [[div0]], [[2]])
    assert err["basicValue"] == "#DIV/0!"
    r = client.post(server.CALL_PATH, json={"func_name": "NO_SUCH", "args": []})
    assert r.status_code == 404


def test_metadata_and_code_come_from_the_registry(client: TestClient) -> None:
    meta = client.get("/xlwings/custom-functions-meta").json()
    by_id = {f["id"]: f for f in meta["functions"]}
    assert set(by_id) == set(FUNCTIONS)
    for name, fn in FUNCTIONS.items():
        assert by_id[name]["description"] == fn.doc
        params = by_id[name]["parameters"]
        assert [p["name"] for p in params] == [a.name for a in fn.args]
        assert [p["description"] for p in params] == [a.doc for a in fn.args]
        assert [bool(p.get("optional")) for p in params] == [a.optional for a in fn.args]
    code = client.get("/xlwings/custom-functions-code").text
    assert all(f'CustomFunctions.associate("{n}"' in code for n in FUNCTIONS)
    assert "CustomFunctions.Error" in code and "@BATCH_PATH@" not in code
    assert {f["id"]: f["name"] for f in meta["functions"]} == server.WEB_NAMES
    manifest = client.get("/manifest.xml").text
    assert "http://testserver/xlwings/custom-functions-meta" in manifest and "@" not in manifest
    assert client.get("/taskpane.html").status_code == 200
    assert client.get("/static/taskpane.js").status_code == 200
    assert client.get("/static/../server.py").status_code == 404
    names = {s["function_name"] for s in client.get("/xlwings/custom-scripts-meta").json()}
    assert names == {"calculate", "validate", "build_claim"}


def test_scripts_run_against_a_json_book(client: TestClient) -> None:
    r = client.post("/xlwings/custom-scripts-call/calculate", json=book_json())
    assert r.status_code == 200, r.text
    writes = {
        a["start_column"]: a["values"] for a in r.json()["actions"] if a["func"] == "setValues"
    }
    header = book_json()["sheets"][1]["values"][3]
    reward = writes[header.index("Reward £")]
    expected = [
        float(line.reward)
        for line in lpsa_xl.assess(
            lpsa_xl.Agreement(
                "",
                "LPSA1",
                stated_potential=3578000,
                targets=lpsa_xl.targets_from_rows(
                    [
                        {"ref": r[0], "expected": r[3], "target": r[4], "actual": r[5]}
                        for r in target_rows()
                    ]
                ),
            )
        ).lines
    ]
    assert [v for [v] in reward] == expected
    r = client.post("/xlwings/custom-scripts-call/build_claim", json=book_json())
    paid = next(a["values"] for a in r.json()["actions"] if a["start_column"] == 2)
    assert sum(v for [v] in paid) == sum(expected)
    assert client.post("/xlwings/custom-scripts-call/nothing", json=book_json()).status_code == 404


def test_import_without_the_extra_says_how_to_install() -> None:
    code = (
        "import sys; sys.modules['fastapi'] = None\n"
        "try:\n    import lpsa_xl.excel.server\nexcept ImportError as e:\n    print(e)"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert 'pip install "lpsa-xl[server]"' in out.stdout


def test_schedule_over_35_targets_equals_35_scalar_calls_through_the_endpoint(
    client: TestClient,
) -> None:
    from test_excel_udfs import targets_table

    table = targets_table(35)
    schedule = call(client, "LPSA_SCHEDULE", table, None, None)
    head = schedule[0]
    for (_ref, e, t, a, pot), row in zip(table[1:], schedule[1:], strict=True):
        line = dict(zip(head, row, strict=True))
        assert [[line["reward"]]] == call(client, "LPSA_REWARD", e, t, a, pot, None, None)
        assert [[line["status"]]] == call(client, "LPSA_STATUS", e, t, a, None)


def test_classic_decorators_take_every_argument_raw_with_its_help() -> None:
    """With XLWINGS_ON_SERVER set, ``xw.func``/``xw.arg`` record their metadata on this OS
    too: the UDF module applies them with the registry's names, docs and the raw converter."""
    code = (
        "from lpsa_xl.excel import udfs\nfrom lpsa_xl.functions import registry\n"
        "for name, fn in registry.FUNCTIONS.items():\n"
        "    info = getattr(udfs, name).__xlfunc__\n"
        "    assert [a['name'] for a in info['args']] == [a.name for a in fn.args], name\n"
        "    assert [a['doc'] for a in info['args']] == [a.doc for a in fn.args], name\n"
        "    assert all(a['options']['convert'] == 'raw' for a in info['args']), name\n"
        "    assert info['ret']['doc'] == fn.doc and info['ret']['options']['convert'] == 'raw'\n"
        "print('ok')\n"
    )
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=root)  # fmt: skip
    assert out.stdout.strip() == "ok", out.stderr
