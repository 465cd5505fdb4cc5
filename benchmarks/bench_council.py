"""Benchmark of ``lpsa-xl check`` over a folder of returns in councils' own layouts (the
target: within 2x of openpyxl merely opening them).

    python benchmarks/bench_council.py [--returns 150] [--repeat 3]

Writes ``--returns`` clean returns in five council layouts taken in turn (the layouts of the
council corpus, tests/council_corpus.py: one row per target with RAG and notes columns and a
total row; targets as columns with labels down column A; agreed figures and the outturn on two
sheets joined by ref; a year-by-year monitoring table; two tables under two-row merged
headers), 14 targets each, the authority and scheme named only in the title row, into a
temporary folder, then times, as whole processes:

* the floor: one Python process opening every file read-only with openpyxl
  (``load_workbook(read_only=True)``);
* ``python -m lpsa_xl check FOLDER --json --no-recalc``, on one process and on every core;
* ``python -m lpsa_xl check FOLDER --json``, the default (also the stale-cache rule);

and prints the best of ``--repeat`` rounds (the commands take turns) with the ratios, and how
many returns the check found an error in (0 expected: every return is clean). Figures go into
benchmarks/README.md (section "check, council layouts").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from council_corpus import Case, Sheet  # noqa: E402

from benchmarks.bench_check import OPEN_ONLY, best_of, cores_free  # noqa: E402
from lpsa_xl import status  # noqa: E402

LAYOUTS = ("rows", "columns", "split", "years", "merged")


def _targets(k: int) -> list[tuple[str, str, int, int, int, int]]:
    """14 targets (ref, measure, expected, target, outturn, reward available): rates, counts
    and lower-is-better counts, outturns between 60% and beyond the stretch, varied by ``k``."""
    out = []
    for i in range(1, 15):
        expected = 100 + 10 * i + k % 7
        up = i % 3 != 0
        target = expected + 20 if up else expected - 20
        outturn = expected + (12 + (i + k) % 12) * (1 if up else -1)
        out.append((str(i), f"Indicator {i}", expected, target, outturn, 20_000 + 1_000 * i))
    return out


def council_return(k: int) -> Case:
    """Return ``k`` of the folder, in layout ``LAYOUTS[k % 5]``."""
    layout = LAYOUTS[k % len(LAYOUTS)]
    title = f"Fictional Borough {k:03d} Council \u2013 LPSA2 final outturn 2005/06"
    rows = _targets(k)
    head = ["Ref", "Measure", "Performance expected without the Local PSA",
            "Performance target with the Local PSA"]  # fmt: skip
    if layout == "rows":
        body = [(*t, status(*t[2:5]), "Audited figure") for t in rows]
        total = ("Total", None, None, None, None, sum(t[5] for t in rows))
        sheet = Sheet("Targets", [[title], [], [*head, "Outturn", "Reward available (\u00a3)",
                                                "RAG", "Notes"], *body, total])  # fmt: skip
        return Case(f"r{k:03d}", layout, [sheet], None)
    if layout == "columns":
        labels = ["Target ref", "Measure", "Expected without the Local PSA", "Stretch target",
                  "Outturn 2005/06", "Reward available (\u00a3)"]  # fmt: skip
        grid: list[list[object]] = [[title], []]
        grid += [[label, *(t[i] for t in rows)] for i, label in enumerate(labels)]
        return Case(f"r{k:03d}", layout, [Sheet("LPSA summary", grid)], None)
    if layout == "split":
        agreed = Sheet("Agreed targets", [[title], [], ["Target ref", "Indicator",
                       "Expected without PSA", "Stretch target", "Reward available (\u00a3)"],
                       *[(*t[:4], t[5]) for t in rows]])  # fmt: skip
        outturn = Sheet("Outturn 2005-06", [["Target ref", "Final outturn"],
                                            *[(t[0], t[4]) for t in reversed(rows)]])  # fmt: skip
        return Case(f"r{k:03d}", layout, [agreed, outturn], None)
    if layout == "years":
        years = [(*t[:4], t[2], (t[2] + t[4]) // 2, t[4], t[5]) for t in rows]
        sheet = Sheet("Monitoring", [[title], [], [*head, "Outturn 2003/04", "Outturn 2004/05",
                                                   "Outturn 2005/06", "Reward available"],
                                     *years])  # fmt: skip
        return Case(f"r{k:03d}", layout, [sheet], None)
    top = [[title], ["Children and young people"],
           ["Ref", "Measure", "Performance", None, None, "Reward"],
           [None, None, "Expected without the Local PSA", "Target with the Local PSA",
            "Actual", "available (\u00a3)"]]  # fmt: skip
    second = [[], ["Safer communities"], ["Ref", "Measure", "Performance", None, None, "Reward"],
              [None, None, "Expected without the Local PSA", "Target with the Local PSA",
               "Actual", "available (\u00a3)"]]  # fmt: skip
    at = len(top) + 7 + len(second) - 1  # the second header's first row
    sheet = Sheet("Targets", [*top, *rows[:7], *second, *rows[7:]],
                  merges=["C3:E3", f"C{at}:E{at}"])  # fmt: skip
    return Case(f"r{k:03d}", layout, [sheet], None)


def make_returns(folder: Path, n: int) -> list[Path]:
    """``n`` clean council-layout returns in ``folder``."""
    return [council_return(k).build(folder) for k in range(n)]


def with_errors(folder: Path) -> list[str]:
    """The returns of ``folder`` in which ``lpsa-xl check`` finds an error."""
    out = subprocess.run([sys.executable, "-m", "lpsa_xl", "check", str(folder), "--json",
                          "--no-recalc"], capture_output=True, text=True, cwd=ROOT,
                         check=False)  # fmt: skip
    files = json.loads(out.stdout)["files"]
    return [Path(f["file"] if "file" in f else f["path"]).name for f in files
            if any(x["severity"] == "error" for x in f["findings"])]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--returns", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = [str(p) for p in make_returns(folder, args.returns)]
        size = sum(os.path.getsize(p) for p in paths)
        py = sys.executable
        floor = [py, "-c", OPEN_ONLY, *paths]
        command = [py, "-m", "lpsa_xl", "check", str(folder), "--json", "--no-recalc"]
        open_only, check, check_one, check_recalc = best_of(
            args.repeat, [floor, command, [*command, "--jobs", "1"], command[:-1]]
        )
        bad = with_errors(folder)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}, {platform.system()} {platform.release()}")  # fmt: skip
        print(f"load average {os.getloadavg()[0]:.1f}; cores free for this run: "
              f"{cores_free():.1f}")  # fmt: skip
        print(f"{args.returns} council-layout returns ({', '.join(LAYOUTS)} in turn, 14 "
              f"targets each), {size / 1024:.0f} KB in all; best of {args.repeat} runs, "
              "whole processes")  # fmt: skip
        print(f"returns with an error finding: {len(bad)} {bad[:5]}")
        print(f"openpyxl open read-only          {open_only:6.2f} s")
        print(f"lpsa-xl check --jobs 1           {check_one:6.2f} s  = "
              f"{check_one / open_only:.2f}x open")  # fmt: skip
        print(f"lpsa-xl check (every core)       {check:6.2f} s  = {check / open_only:.2f}x open")
        print(f"lpsa-xl check with recalculation {check_recalc:6.2f} s  = "
              f"{check_recalc / open_only:.2f}x open")  # fmt: skip


if __name__ == "__main__":
    main()
