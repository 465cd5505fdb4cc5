"""The served JavaScript (custom functions client and task pane) run in Node's built-in test
runner against the live server over real HTTP, with Office.js mocked (tests/js/). Skipped,
saying why, when node is not installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from council_corpus import CASES
from excel_book import book_json_from_xlsx
from live_server import live_server

from lpsa_xl.check.run import check_file
from lpsa_xl.check.wiring import READER
from tests.check_returns import good_return
from tests.test_check_e2e import FAULTS, NORTH
from tests.test_validate_parity import ERROR_FAULTS, FILE_ONLY

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "tests" / "js"
NODE = shutil.which("node")
KEY = "k" * 12 + "-test-only-key"


def _books(tmp: Path) -> tuple[dict, dict]:
    paths = sorted((ROOT / "workbooks" / "examples").glob("*.xlsx"))
    for name in ("f07_reward.xlsx", "f02_text_actual.xlsx"):
        paths.append(good_return(tmp / name, NORTH, claims=FAULTS[name][0]))
    paths.append(good_return(tmp / "e01_na_actual.xlsx", NORTH,
                             claims=ERROR_FAULTS["e01_na_actual.xlsx"]))  # fmt: skip
    # council layouts whose reading needs the number formats and document properties the
    # task pane sends: a %-formatted row, a date where the outturn goes, the authority named
    # only in the document title
    corpus = {c.name: c for c in CASES}
    for name in ("03_percent_formatted", "26_date_as_outturn", "18_document_properties"):
        paths.append(corpus[name].build(tmp))
    books, expected = {}, {}
    for path in paths:
        label = f"council_{path.stem}" if path.stem in corpus else path.stem
        books[label] = book_json_from_xlsx(path)
        expected[label] = [[f.rule, f.sheet or "", f.cell or ""]
                               for f in check_file(path, READER).findings
                               if f.rule not in FILE_ONLY]  # fmt: skip
    return books, expected


@pytest.mark.skipif(NODE is None, reason="node is not installed: the served JavaScript is not run")
def test_served_javascript_in_node(tmp_path: Path) -> None:
    from lpsa_xl.excel.deploy import Settings

    books, expected = _books(tmp_path)
    (tmp_path / "books.json").write_text(json.dumps(books))
    (tmp_path / "expected.json").write_text(json.dumps(expected))
    with live_server(Settings()) as url, live_server(Settings(key=KEY)) as keyed:
        env = {**os.environ, "LPSA_SERVER": url, "LPSA_KEYED_SERVER": keyed, "LPSA_KEY": KEY,
               "LPSA_BOOKS": str(tmp_path / "books.json"),
               "LPSA_EXPECTED": str(tmp_path / "expected.json")}  # fmt: skip
        files = sorted(str(p) for p in JS.glob("*.test.mjs"))
        out = subprocess.run([NODE, "--test", *files], capture_output=True, text=True,
                             env=env, timeout=300)  # fmt: skip
    report = out.stdout + out.stderr
    assert out.returncode == 0, report[-6000:]
    assert "# fail 0" in report and "# pass " in report
    passed = int(report.split("# pass ", 1)[1].split()[0])
    assert passed >= 20, report[-3000:]
