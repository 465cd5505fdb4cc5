"""The lpsa-xl server over real HTTP: uvicorn in its own process on 127.0.0.1, as deployed.

    python benchmarks/bench_server.py [--repeats 200]

* one ``LPSA_REWARD`` call and one ``LPSA_SCHEDULE`` of a 35-row targets table, each posted
  ``--repeats`` times over one keep-alive connection (httpx): the median round trip;
* a recalculation burst of 500 ``=LPSA.REWARD`` cells through the served JavaScript client in
  Node (``benchmarks/burst.mjs``, Office.js mocked): with batching (as served: up to 200 calls a
  request, 4 requests in flight) and without (one request per cell, 4 in flight): the median of
  11 bursts after a warm-up.

Results go in benchmarks/README.md ("Excel add-in over HTTP").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "XLWINGS_LICENSE_KEY": os.environ.get("XLWINGS_LICENSE_KEY",
                                                              "noncommercial"),
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "lpsa_xl.excel.server:app", "--host", "127.0.0.1",
         "--port", str(port), "--no-access-log", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/xlwings/custom-functions-meta").status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def median_ms(client: httpx.Client, body: dict, repeats: int) -> float:
    times = []
    for _ in range(repeats + 5):
        start = time.perf_counter()
        r = client.post("/xlwings/custom-functions-call", json=body)
        times.append(time.perf_counter() - start)
        assert r.status_code == 200, r.text
    return statistics.median(times[5:]) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    from test_excel_udfs import targets_table

    proc, url = start_server()
    try:
        with httpx.Client(base_url=url) as client:  # one keep-alive connection
            reward = {"func_name": "LPSA_REWARD",
                      "args": [[[40.1]], [[40.2]], [[40.16]], [[275227]], None, None]}  # fmt: skip
            schedule = {"func_name": "LPSA_SCHEDULE", "args": [targets_table(35), None, None]}
            one = median_ms(client, reward, args.repeats)
            table = median_ms(client, schedule, args.repeats)
        bursts = []
        node = shutil.which("node")
        if node:
            for batch in (200, 1):
                out = subprocess.run([node, str(HERE / "burst.mjs"), url, "500", str(batch), "11"],
                                     capture_output=True, text=True, check=True)  # fmt: skip
                bursts.append(json.loads(out.stdout))
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"LPSA_REWARD, one call over HTTP (keep-alive), median of {args.repeats}: "
          f"{one:.2f} ms")  # fmt: skip
    print(f"LPSA_SCHEDULE 35 rows, one call over HTTP (keep-alive), median of {args.repeats}: "
          f"{table:.2f} ms")  # fmt: skip
    for b in bursts:
        how = "batched" if b["maxBatch"] > 1 else "one request per cell"
        print(f"500 x =LPSA.REWARD burst, {how}: {b['requests']} requests, "
              f"median {b['median_ms']:.0f} ms")  # fmt: skip
    if not bursts:
        print("node is not installed: the burst through the JavaScript client was not run")


if __name__ == "__main__":
    main()
