"""The lpsa-xl server as deployed: uvicorn on 127.0.0.1 over real HTTP (tests/live_server.py),
each deployment setting on a server of its own. Malformed and oversized requests get a 4xx with
one plain line and nothing of Python's; only the add-in's routes exist; dynamic answers are
never cached; the manifest is what Office accepts for the deployment it came from."""

from __future__ import annotations

import json
import logging
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from live_server import live_server

from lpsa_xl.excel.deploy import DEV_ADDIN_ID, Settings, SettingsError

STATIC = Path(__file__).resolve().parents[1] / "lpsa_xl" / "excel" / "static"
NS = {"o": "http://schemas.microsoft.com/office/appforoffice/1.1",
      "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0"}  # fmt: skip
INTERNALS = re.compile(r"Traceback|KeyError|TypeError|IndexError|string indices|File \"|"
                       r"pydantic|\.py\b|line \d+", re.I)  # fmt: skip
BATCH = "/xlwings/custom-functions-batch"
KEY = "a-long-organisation-key-for-tests"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with live_server(Settings(max_body=64 * 1024)) as base:
        yield base


@pytest.fixture(scope="module")
def http(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=30) as client:
        yield client


def _plain_4xx(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert text.count("\n") == 1 and text.endswith("\n") and len(text) < 200, text
    assert not INTERNALS.search(text), text
    return text.strip()


@pytest.mark.parametrize(("path", "body", "status", "says"), [
    ("/xlwings/custom-functions-call", b"{not json", 400, "not JSON"),
    ("/xlwings/custom-functions-call", b"[]", 400, "JSON object"),
    ("/xlwings/custom-functions-call", b"{}", 400, "names no function"),
    ("/xlwings/custom-functions-call", b'{"func_name": 5}', 400, "names no function"),
    ("/xlwings/custom-functions-call", b'{"func_name": "LPSA_REWARD", "args": "x"}', 400, "list"),
    ("/xlwings/custom-functions-call", b'{"func_name": "LPSA_REWARD", "args": [1,2,3,4,5,6,7,8]}',
     400, "at most 6"),
    ("/xlwings/custom-functions-call", b'{"func_name": "NOPE", "args": []}', 404, "NOPE"),
    (BATCH, b'{"calls": 3}', 400, "list of calls"),
    ("/xlwings/custom-scripts-call/validate", b"{}", 400, "book part"),
    ("/xlwings/custom-scripts-call/validate", b'"text"', 400, "JSON object"),
    ("/xlwings/custom-scripts-call/validate", b'{"book": {}, "sheets": "x"}', 400, "no sheets"),
    ("/xlwings/custom-scripts-call/validate", b'{"book": {}, "sheets": [{"values": []}]}', 400,
     "no name"),
    ("/xlwings/custom-scripts-call/validate",
     b'{"book": {}, "sheets": [{"name": "A", "values": "abc"}]}', 400, "rows of cells"),
    ("/xlwings/custom-scripts-call/nothing", b"{}", 404, "no script"),
])  # fmt: skip
def test_malformed_requests_get_a_plain_4xx(
    http: httpx.Client, path: str, body: bytes, status: int, says: str
) -> None:
    r = http.post(path, content=body, headers={"content-type": "application/json"})
    assert says in _plain_4xx(r, status)


def test_a_script_on_a_book_missing_parts_xlwings_needs_is_a_4xx_not_a_500(
    http: httpx.Client,
) -> None:
    body = {"book": {"name": "x.xlsx"}, "sheets": [{"name": "Targets", "values": [[1]]}]}
    r = http.post("/xlwings/custom-scripts-call/validate", json=body)
    assert r.status_code in (200, 400), r.text
    if r.status_code == 400:
        _plain_4xx(r, 400)


def test_a_bad_call_in_a_batch_spoils_only_itself(http: httpx.Client) -> None:
    calls = [{"func_name": "LPSA_STRETCH", "args": [[[1]], [[3]]]}, {"func_name": "NOPE"},
             {"func_name": "LPSA_STRETCH", "args": [[[1]]]}]  # fmt: skip
    r = http.post(BATCH, json={"calls": calls})
    assert r.status_code == 200
    ok, bad, short = r.json()["results"]
    assert ok == {"result": [[2.0]]}
    assert "NOPE" in bad["error"]
    [[missing]] = short["result"]  # a missing argument is a blank: #VALUE! naming it
    assert missing["basicValue"] == "#VALUE!" and "target" in missing["message"]


def test_oversized_requests_get_413(http: httpx.Client) -> None:
    big = b'{"calls": [' + b'{"func_name": "LPSA_STRETCH", "args": [1, 2]},' * 2000 + b"{}]}"
    assert "larger than" in _plain_4xx(http.post(BATCH, content=big), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(100):
            yield b" " * 1024

    assert "larger than" in _plain_4xx(http.post(BATCH, content=chunks()), 413)
    calls = [{"func_name": "LPSA_STRETCH", "args": [1, 2]}] * 2001
    with live_server(Settings()) as roomy:
        assert "at most 2000" in _plain_4xx(httpx.post(roomy + BATCH, json={"calls": calls}), 413)


@pytest.mark.parametrize("path", ["/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect",
                                  "/static/../deploy.py", "/static/manifest.xml", "/nothing"])
def test_only_the_add_ins_routes_are_served(http: httpx.Client, path: str) -> None:
    assert _plain_4xx(http.get(path), 404) == "not found"


def test_dynamic_answers_are_never_stored_and_icons_may_be(http: httpx.Client) -> None:
    for r in (http.get("/manifest.xml"), http.get("/xlwings/custom-functions-meta"),
              http.get("/xlwings/custom-functions-code"), http.get("/taskpane.html"),
              http.post(BATCH, json={"calls": []}), http.get("/nothing"),
              http.post(BATCH, content=b"x")):  # fmt: skip
        assert r.headers["cache-control"] == "no-store", r.url
        assert r.headers["x-content-type-options"] == "nosniff"
    assert http.get("/static/icon-32.png").headers["cache-control"].startswith("public")


def test_every_request_gets_one_structured_access_log_line(
    http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="lpsa_xl.access"):
        http.get("/manifest.xml?key=secret-never-logged")
        http.post(BATCH, json={"calls": [{"func_name": "LPSA_STRETCH", "args": [1, 2]}]})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "lpsa_xl.access"]
    assert [(x["method"], x["path"], x["status"]) for x in lines] == [
        ("GET", "/manifest.xml", 200), ("POST", BATCH, 200)]  # fmt: skip
    assert lines[1]["bytes_in"] > 0 and lines[1]["bytes_out"] > 0 and lines[1]["ms"] >= 0
    assert "secret" not in caplog.text


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_declares_what_the_code_uses_and_icons_of_their_real_size(
    http: httpx.Client,
) -> None:
    root = ET.fromstring(http.get("/manifest.xml").content)
    sets = {s.get("Name"): s.get("MinVersion")
            for s in root.iterfind(".//o:Requirements//o:Set", NS)}  # fmt: skip
    # what the served JavaScript uses, and the requirement set each first appeared in
    uses = {"CustomFunctions.Error": ("CustomFunctionsRuntime", "1.2"),
            "getUsedRangeOrNullObject": ("ExcelApi", "1.4"),
            "getRangeOrNullObject": ("ExcelApi", "1.4"),
            "getBoundingRect": ("ExcelApi", "1.2"),
            "CustomFunctions.associate": ("CustomFunctionsRuntime", "1.1")}  # fmt: skip
    code = (STATIC / "functions.js").read_text() + (STATIC / "taskpane.js").read_text()
    code += http.get("/xlwings/custom-functions-code").text
    for api, (name, version) in uses.items():
        if api in code:
            assert name in sets and tuple(map(int, sets[name].split("."))) >= tuple(
                map(int, version.split("."))), (api, sets)  # fmt: skip
    assert sets == {"CustomFunctionsRuntime": "1.2", "ExcelApi": "1.4"}  # nothing more
    from lpsa_xl.excel.calls import MIN_RUNTIME

    assert sets["CustomFunctionsRuntime"] == MIN_RUNTIME
    images = [(int(i.get("size")), i.get("resid")) for i in root.iterfind(".//bt:Image[@size]", NS)]
    urls = {i.get("id"): i.get("DefaultValue") for i in root.iterfind(".//bt:Image[@id]", NS)}
    urls["IconUrl"] = root.find("o:IconUrl", NS).get("DefaultValue")
    urls["HighResolutionIconUrl"] = root.find("o:HighResolutionIconUrl", NS).get("DefaultValue")
    images += [(32, "IconUrl"), (64, "HighResolutionIconUrl")]
    assert images
    for size, resid in images:
        data = httpx.get(urls[resid]).content
        assert _png_size(data) == (size, size), (resid, urls[resid])
    assert root.find("o:Id", NS).text == DEV_ADDIN_ID  # 127.0.0.1: the development Id


def test_committed_icons_are_what_the_script_draws() -> None:
    from lpsa_xl.excel.icons import SIZES, draw, png

    for size in SIZES:
        assert (STATIC / f"icon-{size}.png").read_bytes() == png(draw(size))


def _manifest(base: str, **headers: str) -> ET.Element:
    r = httpx.get(base + "/manifest.xml", headers=headers)
    assert r.status_code == 200, r.text
    return ET.fromstring(r.content)  # well-formed, whatever the headers held


def _urls(root: ET.Element) -> set[str]:
    return {u.get("DefaultValue") for u in root.iterfind(".//bt:Url", NS)}


def test_manifest_urls_and_id_per_deployment() -> None:
    with live_server(Settings()) as plain:
        port = plain.rsplit(":", 1)[1]
        # a Host with "&" is escaped, not a broken manifest; proxy headers are not trusted
        root = _manifest(plain, host=f"a&b.example:{port}", **{"x-forwarded-proto": "https"})
        assert f"http://a&b.example:{port}/taskpane.html" in _urls(root)
        derived = root.find("o:Id", NS).text
        assert derived != DEV_ADDIN_ID
        assert _manifest(plain, host=f"a&b.example:{port}").find("o:Id", NS).text == derived
        other = _manifest(plain, host="other.example").find("o:Id", NS).text
        assert other not in (derived, DEV_ADDIN_ID)
    with live_server(Settings(trust_proxy=True)) as proxied:
        root = _manifest(proxied, **{"x-forwarded-proto": "https",
                                     "x-forwarded-host": "lpsa.example.gov.uk"})  # fmt: skip
        assert "https://lpsa.example.gov.uk/xlwings/custom-functions-meta" in _urls(root)
        r = httpx.get(proxied + "/manifest.xml", headers={"x-forwarded-host": "a b/c"})
        assert "X-Forwarded-Host" in _plain_4xx(r, 400)
    public = "https://excel.example.gov.uk/lpsa"
    fixed = "0b9f3a3e-5d1e-4c47-9a4b-6f1e2d3c4b5a"
    with live_server(Settings(public_url=public, addin_id=fixed, addin_name="LPSA & LAA")) as pub:
        root = _manifest(pub, **{"x-forwarded-host": "ignored.example"})
        assert all(u.startswith(public + "/") for u in _urls(root))
        assert root.find("o:Id", NS).text == fixed
        assert root.find("o:DisplayName", NS).get("DefaultValue") == "LPSA & LAA"


def test_settings_from_the_environment_refuse_bad_values() -> None:
    s = Settings.from_env({"LPSA_PUBLIC_URL": "https://x.example/", "LPSA_TRUST_PROXY": "1",
                           "LPSA_MAX_BODY": "4096"})  # fmt: skip
    assert (s.public_url, s.trust_proxy, s.max_body, s.key) == ("https://x.example", True, 4096,
                                                                None)  # fmt: skip
    for env, says in [({"LPSA_PUBLIC_URL": "ftp://x"}, "LPSA_PUBLIC_URL"),
                      ({"LPSA_ADDIN_ID": "nope"}, "GUID"),
                      ({"LPSA_MAX_BODY": "lots"}, "LPSA_MAX_BODY"),
                      ({"LPSA_KEY": "short"}, "LPSA_KEY")]:  # fmt: skip
        with pytest.raises(SettingsError, match=says):
            Settings.from_env(env)


def test_with_a_key_calls_and_the_manifest_need_it() -> None:
    with live_server(Settings(key=KEY)) as keyed:
        body = {"calls": [{"func_name": "LPSA_STRETCH", "args": [1, 2]}]}
        assert "key" in _plain_4xx(httpx.post(keyed + BATCH, json=body), 401)
        wrong = {"authorization": "Bearer " + "x" * len(KEY)}
        _plain_4xx(httpx.post(keyed + BATCH, json=body, headers=wrong), 401)
        ok = httpx.post(keyed + BATCH, json=body, headers={"authorization": f"Bearer {KEY}"})
        assert ok.json() == {"results": [{"result": [[1.0]]}]}
        _plain_4xx(httpx.get(keyed + "/manifest.xml"), 401)
        r = httpx.get(keyed + f"/manifest.xml?key={KEY}")
        assert r.status_code == 200
        assert all(u.endswith(f"?key={KEY}") for u in _urls(ET.fromstring(r.content))
                   if "custom-functions-meta" not in u)  # fmt: skip
        assert KEY in httpx.get(keyed + f"/xlwings/custom-functions-code?key={KEY}").text
        assert KEY not in httpx.get(keyed + "/xlwings/custom-functions-code").text
        assert KEY not in httpx.get(keyed + "/xlwings/custom-functions-code?key=guess").text


def test_text_figures_are_the_numbers_files_give(http: httpx.Client, tmp_path: Path) -> None:
    """"45%" and "£3,325,000" typed as text: the web functions take them as the same numbers
    the headless evaluator takes them as in a file (one text-to-number conversion for both)."""
    import openpyxl

    from lpsa_xl.returns.recalc import recompute

    texts = ["45%", "45 %", "£3,325,000", "(1,200)"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for i, text in enumerate(texts, start=1):
        ws.cell(i, 1, text)
        ws.cell(i, 2, f"=LPSA_ACHIEVEMENT(0,1,A{i})")
    path = tmp_path / "texts.xlsx"
    wb.save(path)
    in_file = recompute(path)
    calls = [{"func_name": "LPSA_ACHIEVEMENT", "args": [[[0]], [[1]], [[t]]]} for t in texts]
    results = http.post(BATCH, json={"calls": calls}).json()["results"]
    got = [r["result"][0][0] for r in results]
    assert got == [in_file[("S", f"B{i}")] for i in range(1, len(texts) + 1)]
    assert got[:2] == [0.45, 0.45] and got[2] == 3325000.0 and got[3] == -1200.0


def test_a_fault_of_the_server_is_one_line_and_its_traceback_goes_to_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from lpsa_xl.excel.server import create_app

    guarded = create_app(Settings())

    @guarded.app.get("/xlwings/fails")  # a route whose code has a bug
    async def fails() -> None:
        raise KeyError("book")

    with live_server(app=guarded) as base, caplog.at_level(logging.ERROR):
        r = httpx.get(base + "/xlwings/fails")
    assert r.status_code == 500
    assert r.text == "the lpsa-xl server failed on this request; the reason is in its log\n"
    assert r.headers["cache-control"] == "no-store"
    assert "KeyError" in caplog.text  # the reason, for whoever runs the server
