"""Speed of the Excel add-in's call paths. Prints a Markdown section for
benchmarks/README.md (section "Excel add-in").

    python benchmarks/bench_excel.py

Measures, best of several repeats of many calls:
* LPSA_REWARD through xlwings Server's call path (``custom_functions_call``) in-process, and
  through the FastAPI app over HTTP (Starlette's in-process test client: no network);
* LPSA_SCHEDULE over a 35-target table through the same two paths and through the classic UDF;
* xlwings' argument conversion of a 20,000-cell range: the default converter vs ``raw``
  (the add-in takes every argument raw).
"""

from __future__ import annotations

import asyncio
import os
import platform
import sys
import timeit
import warnings
from pathlib import Path

os.environ.setdefault("XLWINGS_ON_SERVER", "true")
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # noncommercial: benchmarking
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import xlwings as xw
from xlwings import conversion

from lpsa_xl.excel import server, udfs

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
import contextlib

from test_excel_udfs import targets_table


def best(fn, number: int, repeat: int = 5) -> float:
    """Seconds per call: the best of ``repeat`` runs of ``number`` calls."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def main() -> None:
    loop = asyncio.new_event_loop()
    client = TestClient(server.app)
    reward_args = ([[40.1]], [[40.2]], [[40.16]], [[275227]], None)
    table = targets_table(35)

    def in_process(name: str, *args: object) -> object:
        return loop.run_until_complete(
            xw.server.custom_functions_call(server.call_data(name, args), server.functions)
        )

    def http(name: str, *args: object) -> object:
        r = client.post(server.CALL_PATH, json={"func_name": name, "args": list(args)})
        assert r.status_code == 200
        return r.json()

    assert in_process("LPSA_REWARD", *reward_args) == [[165136.0]]
    assert len(in_process("LPSA_SCHEDULE", table, None, None)) == 36
    rows = [
        (
            "LPSA_REWARD, server call path in-process",
            best(lambda: in_process("LPSA_REWARD", *reward_args), 2000),
        ),
        (
            "LPSA_REWARD, FastAPI endpoint (test client)",
            best(lambda: http("LPSA_REWARD", *reward_args), 300),
        ),
        (
            "LPSA_REWARD, classic UDF function",
            best(lambda: udfs.LPSA_REWARD(40.1, 40.2, 40.16, 275227), 5000),
        ),
        (
            "LPSA_SCHEDULE 35 targets, server call path in-process",
            best(lambda: in_process("LPSA_SCHEDULE", table, None, None), 200),
        ),
        (
            "LPSA_SCHEDULE 35 targets, FastAPI endpoint (test client)",
            best(lambda: http("LPSA_SCHEDULE", table, None, None), 100),
        ),
        (
            "LPSA_SCHEDULE 35 targets, classic UDF function",
            best(lambda: udfs.LPSA_SCHEDULE(table), 200),
        ),
        (
            "35 x LPSA_REWARD, server call path in-process",
            35 * best(lambda: in_process("LPSA_REWARD", *reward_args), 2000),
        ),
    ]
    big = [[float(i * 100 + j) for j in range(20)] for i in range(1000)]  # 20,000 cells
    opts = {"convert": None}
    rows += [
        (
            "xlwings reads 20,000 cells, default converter",
            best(lambda: conversion.read(None, big, dict(opts), engine_name="officejs"), 5),
        ),
        (
            "xlwings reads 20,000 cells, raw converter",
            best(
                lambda: conversion.read(None, big, {"convert": "raw"}, engine_name="officejs"), 50
            ),
        ),
    ]
    loop.close()

    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    print("## Excel add-in\n")
    print("`python benchmarks/bench_excel.py`: best of 5 repeats; per call.\n")
    print(
        f"Machine: {cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, xlwings {xw.__version__}.\n"
    )
    print("| What | Per call |\n|---|---:|")
    for what, seconds in rows:
        print(
            f"| {what} | {seconds * 1e6:,.0f} µs |"
            if seconds < 0.01
            else f"| {what} | {seconds * 1e3:,.1f} ms |"
        )


if __name__ == "__main__":
    main()
