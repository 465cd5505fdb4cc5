"""The deployment example works as the README shows it: gunicorn with deploy/gunicorn.conf.py
runs uvicorn workers serving the add-in, and behind a trusted proxy the manifest's URLs are the
proxy's https address. Skipped, saying why, without gunicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_gunicorn_with_the_example_config_serves_the_add_in() -> None:
    pytest.importorskip("gunicorn", reason="gunicorn is not installed (pip install gunicorn)")
    port = _port()
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "PYTHONPATH": str(ROOT),
           "LPSA_BIND": f"127.0.0.1:{port}", "LPSA_WORKERS": "2", "LPSA_TRUST_PROXY": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
                             "lpsa_xl.excel.server:app"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                r = httpx.get(url + "/manifest.xml", headers={
                    "x-forwarded-proto": "https", "x-forwarded-host": "lpsa.example.gov.uk"})
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError(proc.stdout.read().decode()[-3000:]) from None
                time.sleep(0.2)
        assert r.status_code == 200
        assert "https://lpsa.example.gov.uk/xlwings/custom-functions-code" in r.text
        body = {"calls": [{"func_name": "LPSA_REWARD",
                           "args": [40.1, 40.2, 40.16, 275227, None, None]}]}  # fmt: skip
        assert httpx.post(url + "/xlwings/custom-functions-batch", json=body).json() == {
            "results": [{"result": [[165136.0]]}]}  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(30)
