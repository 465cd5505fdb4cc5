"""Benchmark of ``lpsa-xl check`` over a folder of returns (the target: within 1.5x of
openpyxl merely opening them).

    python benchmarks/bench_check.py [--returns 150] [--repeat 3] [--stale]

Writes ``--returns`` returns in lpsa-xl's template layout (14 targets, one split into
sub-targets, pump priming and a claim, every formula cell cached as Excel saves them; a few
planted faults; ``--stale``: only the core's figures cached, a stress of LPSA016 findings) into
a temporary folder, then times, as whole processes:

* the floor: one Python process opening every file read-only with openpyxl
  (``load_workbook(read_only=True)``), and the same also reading every cell's value;
* ``python -m lpsa_xl check FOLDER --json --no-recalc``, on one process and on every core;
* ``python -m lpsa_xl check FOLDER --json``, the default, which also recalculates every return
  headlessly for the stale-cache rule (LPSA016), on every core.

and prints the best of ``--repeat`` rounds (the commands take turns) with the ratios. Figures
go into benchmarks/README.md (section "check"). The check uses the real reader
(``lpsa_xl.check.wiring.READER``).
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lpsa_xl.returns.templates import example_data  # noqa: E402
from tests.check_returns import cache_values, good_return  # noqa: E402

OPEN_ONLY = """
import sys, openpyxl
for p in sys.argv[1:]:
    openpyxl.load_workbook(p, read_only=True).close()
"""
OPEN_AND_READ = """
import sys, openpyxl
for p in sys.argv[1:]:
    wb = openpyxl.load_workbook(p, read_only=True)
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            pass
    wb.close()
"""


def make_returns(folder: Path, n: int, *, stale: bool = False) -> list[Path]:
    """``n`` template-layout returns (northshire_lpsa1 with 9 more targets: 14 targets, one split
    into two sub-targets; two pump-priming lines), every tenth with a text actual planted and
    every 25th with one stale cached figure.

    As Excel saves them: every formula cell holds the value a recalculation gives (the planted
    text too is recalculated, so its dependants cache ``#VALUE!``). ``stale``: only the core's
    figures cached, the other formula cells blank or as the template left them, as
    tests/check_returns.good_return writes them: 54 to 75 stale cells a return, each an LPSA016
    finding (a stress of findings, not a folder a returns team receives)."""
    from lpsa_xl.returns.recalc import recalc_file

    base = example_data("northshire_lpsa1.json")
    extra = [{"ref": str(i), "theme": "Economy", "measure": f"Jobs created, area {i}",
              "direction": "higher", "expected": 100 + i, "target": 110 + i,
              "actual": 108 + i} for i in range(6, 15)]  # fmt: skip
    pump = [{"ref": "1", "year": "2003/04", "budget": 100_000, "spend": 90_000},
            {"ref": "2", "year": "2003/04", "budget": 150_000, "spend": 150_000}]  # fmt: skip
    paths = []
    for k in range(n):
        data = {**copy.deepcopy(base), "authority": f"Authority {k:03d}",
                "pump_priming_lines": pump}  # fmt: skip
        data["targets"] += copy.deepcopy(extra)
        claims = {("Targets", "M10"): "n/a"} if k % 10 == 0 else None
        path = good_return(folder / f"return_{k:03d}.xlsx", data, claims=claims)
        if not stale:
            recalc_file(path)
            if k % 25 == 5:  # a figure edited by hand after the last recalculation
                cache_values(path, {("Claim", "B3"): 1_000_000})
        paths.append(path)
    return paths


def _busy(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def cores_free() -> float:
    """How many cores this process really gets now: two equal CPU-bound tasks on two processes
    against one task alone (2.0 on an idle 2-core machine; near 1.0 when others load it)."""
    from concurrent.futures import ProcessPoolExecutor

    n = 5_000_000
    start = time.perf_counter()
    _busy(n)
    one = time.perf_counter() - start
    with ProcessPoolExecutor(2) as pool:
        start = time.perf_counter()
        list(pool.map(_busy, [n, n]))
        two = time.perf_counter() - start
    return 2 * one / two


def best_of(repeat: int, commands: list[list[str]]) -> list[float]:
    """The best time of each command over ``repeat`` rounds; the commands take turns within a
    round, so a machine shared with other jobs loads them alike."""
    best = [float("inf")] * len(commands)
    for _ in range(repeat):
        for i, command in enumerate(commands):
            start = time.perf_counter()
            subprocess.run(command, check=False, cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)  # fmt: skip
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--returns", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--stale",
        action="store_true",
        help="returns with only the core's figures cached (54-75 LPSA016 findings each)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [str(p) for p in make_returns(folder, args.returns, stale=args.stale)]
        size = sum(os.path.getsize(p) for p in paths)
        env_py = sys.executable
        floor = [env_py, "-c", OPEN_ONLY, *paths]
        floor_read = [env_py, "-c", OPEN_AND_READ, *paths]
        command = [env_py, "-m", "lpsa_xl", "check", str(folder), "--json", "--no-recalc"]
        with_recalc = command[:-1]  # the default: also the stale-cache rule (LPSA016)
        open_only, open_read, check, check_one, check_recalc = best_of(
            args.repeat, [floor, floor_read, command, [*command, "--jobs", "1"], with_recalc]
        )
        machine = f"{platform.machine()}, {os.cpu_count()} cores"
        system = f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
        print(f"machine: {machine}, {system}")
        free = cores_free()
        print(f"load average {os.getloadavg()[0]:.1f}; cores free for this run: {free:.1f}")
        runs = f"best of {args.repeat} runs, whole processes"
        kind = "only the core's figures cached" if args.stale else "saved as Excel saves them"
        print(f"{args.returns} returns ({kind}), {size / 1024:.0f} KB in all; {runs}")
        print(f"openpyxl open read-only          {open_only:6.2f} s")
        print(f"openpyxl open + read every cell  {open_read:6.2f} s")
        ratio_one = check_one / open_only
        print(f"lpsa-xl check --jobs 1           {check_one:6.2f} s  = {ratio_one:.2f}x open")
        print(f"lpsa-xl check (every core)       {check:6.2f} s  = {check / open_only:.2f}x open, "
              f"{check / open_read:.2f}x open+read")  # fmt: skip
        print(f"lpsa-xl check with recalculation {check_recalc:6.2f} s  = "
              f"{check_recalc / open_only:.2f}x open")  # fmt: skip


if __name__ == "__main__":
    main()
